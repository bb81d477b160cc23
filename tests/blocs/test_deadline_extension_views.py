"""The council's "Extensions" section of the bloc-year page: grant, withdraw,
and the effective deadline shown where the deadline is shown."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from blocs import services
from blocs.enums import DeadlineStep
from blocs.models import DeadlineExtension, EmulationYear
from blocs.selectors.deadlines import Deadline
from blocs.templatetags.deadline_tags import extended
from tests.factories import BlocYearFactory

REASON = "Đơn vị bị ảnh hưởng bởi bão số 3"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def year_deadlines(cast):
    EmulationYear.objects.filter(pk=cast.bloc_year.year_id).update(
        registration_deadline=days(-1), dispute_deadline=days(-1)
    )
    cast.bloc_year.year.refresh_from_db()


def extend_url(cast):
    return reverse("blocs:deadline_extend", args=[cast.bloc_year.pk])


def extend_registration(cast, bloc_year=None):
    """The council extends the registration deadline of ``bloc_year`` (the
    cast's by default) to four days from now."""
    return services.deadline_extend(
        actor=cast.council,
        bloc_year=bloc_year or cast.bloc_year,
        step=DeadlineStep.REGISTRATION,
        deadline=days(4),
        reason=REASON,
    )


def post_extension(client, cast, **data):
    return client.post(
        extend_url(cast),
        {"step": "registration", "deadline": days(5).isoformat(), "reason": REASON, **data},
        follow=True,
    )


def test_council_extends_one_agency_and_the_page_shows_it(cast, login, year_deadlines):
    client = login(cast.council)

    response = post_extension(client, cast, membership=cast.member.pk)

    extension = DeadlineExtension.objects.get()
    assert (extension.membership, extension.deadline) == (cast.member, days(5))
    text = response.content.decode()
    assert f"gia hạn đến {days(5):%d/%m/%Y}" in text
    assert REASON in text
    # The agency's own page shows its effective deadline, the others' do not move.
    officer_page = login(cast.officer).get(
        reverse("blocs:registration_detail", args=[cast.member.pk])
    )
    assert f"gia hạn đến {days(5):%d/%m/%Y}" in officer_page.content.decode()


def test_council_extends_the_whole_bloc(cast, login, year_deadlines):
    response = post_extension(login(cast.council), cast, step="disputes")

    assert DeadlineExtension.objects.get().membership is None
    assert "Hạn kiến nghị" in response.content.decode()


def test_a_refused_extension_says_why_and_changes_nothing(cast, login, year_deadlines):
    response = post_extension(login(cast.council), cast, deadline=days(-3).isoformat())

    assert not DeadlineExtension.objects.exists()
    assert "phải sau hạn chung" in response.content.decode()


def test_council_withdraws_an_extension(cast, login, year_deadlines):
    extension = extend_registration(cast)
    url = reverse("blocs:deadline_extension_withdraw", args=[cast.bloc_year.pk, extension.pk])

    response = login(cast.council).post(url, follow=True)

    assert not DeadlineExtension.objects.exists()
    assert "đã được thu hồi" in response.content.decode()


def test_the_secretariat_sees_extensions_but_no_form(cast, login, year_deadlines):
    extend_registration(cast)
    page = login(cast.secretariat).get(reverse("blocs:bloc_year_detail", args=[cast.bloc_year.pk]))
    text = page.content.decode()
    assert REASON in text
    assert extend_url(cast) not in text


def test_a_member_sees_the_extended_deadline_but_no_list(cast, login, year_deadlines):
    extend_registration(cast)
    page = login(cast.officer).get(reverse("blocs:bloc_year_detail", args=[cast.bloc_year.pk]))
    text = page.content.decode()

    assert f"gia hạn đến {days(4):%d/%m/%Y}" in text and REASON in text
    assert 'id="extensions"' not in text


@pytest.mark.parametrize("who", ["secretariat", "officer", "head"])
def test_other_roles_may_not_extend(cast, login, year_deadlines, who):
    response = post_extension(login(getattr(cast, who)), cast)
    assert response.status_code == 403
    assert not DeadlineExtension.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_council"])
def test_outsiders_get_404(cast, login, year_deadlines, who):
    assert post_extension(login(getattr(cast, who)), cast).status_code == 404
    extension = extend_registration(cast)
    url = reverse("blocs:deadline_extension_withdraw", args=[cast.bloc_year.pk, extension.pk])
    assert login(getattr(cast, who)).post(url).status_code == 404
    assert DeadlineExtension.objects.exists()


def test_an_extension_of_another_bloc_year_is_404(cast, login, year_deadlines):
    other = BlocYearFactory(bloc__province=cast.province, year=cast.bloc_year.year)
    extension = extend_registration(cast, other)
    url = reverse("blocs:deadline_extension_withdraw", args=[cast.bloc_year.pk, extension.pk])
    assert login(cast.council).post(url).status_code == 404


def test_wrong_method_is_405(cast, login):
    client = login(cast.council)
    assert client.get(extend_url(cast)).status_code == 405
    url = reverse("blocs:deadline_extension_withdraw", args=[cast.bloc_year.pk, 1])
    assert client.get(url).status_code == 405


def test_an_extended_deadline_shows_its_badge_and_reason_escaped():
    own = datetime.date(2024, 3, 15)
    extension = DeadlineExtension(
        step=DeadlineStep.REGISTRATION, deadline=datetime.date(2024, 3, 22), reason="<b>Lũ</b>"
    )

    with translation.override("vi"):
        badge = extended(Deadline(step=DeadlineStep.REGISTRATION, own=own, extension=extension))
        plain = extended(Deadline(step=DeadlineStep.REGISTRATION, own=own))

    assert "gia hạn đến 22/03/2024" in badge
    assert "&lt;b&gt;Lũ&lt;/b&gt;" in badge
    assert plain == ""
