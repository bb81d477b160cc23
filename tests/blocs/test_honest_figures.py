"""Figures that must not mislead: a verified total before verification, an
opening date called "passed", "−0" deductions, a years-old task counted in
days, a next step that only names the phase."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blocs.enums import Phase
from blocs.templatetags.scoring_tags import deduction
from emulation.dashboard import Task
from tests.factories import put_in_phase
from tests.factories.review import make_env, verify_all

pytestmark = pytest.mark.django_db


def test_before_verification_the_overview_shows_no_verified_total(cast, login):
    env = make_env(cast, members=2)
    url = reverse("blocs:review_overview", args=[env.bloc_year.pk])

    before = login(cast.secretariat).get(url).content.decode()
    verify_all(env)
    after = login(cast.secretariat).get(url).content.decode()

    row_before = before.split('data-agency="mem"')[1].split("</tr>")[0]
    row_after = after.split('data-agency="mem"')[1].split("</tr>")[0]
    assert row_before.count('<span class="text-muted">–</span>') == 2
    assert '<span class="text-muted">–</span>' not in row_after


def test_an_opening_date_in_the_past_is_opened_not_passed(cast, login):
    year = cast.bloc_year.year
    year.self_assessment_opens = timezone.localdate() - datetime.timedelta(days=3)
    year.save()

    html = login(cast.council).get(reverse("blocs:bloc_year_detail", args=[cast.bloc_year.pk]))

    opening = html.content.decode().split("Ngày bắt đầu tự chấm điểm")[1].split("</dd>")[0]
    assert "đã mở" in opening
    assert "đã hết hạn" not in opening


def test_the_next_step_says_what_happens_not_only_the_phase(cast, login):
    put_in_phase(cast.bloc_year, Phase.SELF_ASSESSMENT)

    html = login(cast.officer).get(reverse("blocs:bloc_year_detail", args=[cast.bloc_year.pk]))

    text = html.content.decode()
    assert "Giai đoạn hiện tại" not in text
    assert "Các thành viên tự chấm điểm" in text


@pytest.mark.parametrize(("value", "shown"), [(0, "0"), (None, "0"), (2.5, "−2,5")])
def test_deductions_carry_their_sign_only_when_there_are_some(value, shown):
    from decimal import Decimal

    assert deduction(None if value is None else Decimal(str(value))) == shown


def test_a_task_overdue_for_long_is_not_counted_in_days(cast, login, monkeypatch):
    old = Task(title="Nộp hồ sơ", due=timezone.localdate() - datetime.timedelta(days=1040))
    recent = Task(title="Chấm điểm", due=timezone.localdate() - datetime.timedelta(days=3))
    monkeypatch.setattr("emulation.views.tasks_for", lambda user: [old, recent])

    text = login(cast.officer).get(reverse("home")).content.decode()

    assert "1040" not in text
    assert "quá hạn 3 ngày" in text


@pytest.mark.parametrize(
    ("language", "shown"), [("vi", "92,5 −2,5 +1,25"), ("en", "92.5 −2.5 +1.25")]
)
def test_points_are_written_as_the_pages_language_writes_numbers(language, shown):
    """One number format per language: the ranking's points read as the
    proposal's amounts and percentages do (92,5 in Vietnamese, 92.5 in English)."""
    from decimal import Decimal

    from django.utils import translation

    from blocs.templatetags.review_tags import points, signed

    with translation.override(language):
        text = f"{points(Decimal('92.50'))} {deduction(Decimal('2.5'))} {signed(Decimal('1.25'))}"

    assert text == shown


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_page_that_asks_the_separator_once_writes_the_same_points(language):
    """The ranking asks its language's decimal separator once for every row."""
    from decimal import Decimal

    from django.utils import translation

    from blocs.templatetags.review_tags import decimal_separator, points, signed

    with translation.override(language):
        sep = decimal_separator()
        once = (points(Decimal("92.50"), sep), deduction(Decimal("2.5"), None, sep))
        each = (points(Decimal("92.50")), deduction(Decimal("2.5")))
        differences = (signed(Decimal("1.25"), sep), signed(Decimal("1.25")))

    assert once == each
    assert differences[0] == differences[1]
