"""A year's dates follow the cycle, and carrying a bloc forward proposes the
new year's dates, editable, flagging those already past."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from blocs import services
from blocs.models import BlocYear, EmulationYear
from emulation.models import AuditEvent
from tests.factories import AgencyFactory, add_member

D = datetime.date
IN_ORDER = {
    "registration_deadline": D(2030, 3, 31),
    "self_assessment_opens": D(2030, 11, 20),
    "self_assessment_deadline": D(2030, 12, 10),
    "review_deadline": D(2030, 12, 25),
    "dispute_deadline": D(2031, 1, 5),
    "proposal_deadline": D(2031, 1, 31),
}
PAIRS = list(zip(IN_ORDER, list(IN_ORDER)[1:], strict=False))


def test_dates_in_the_cycles_order_are_accepted(cast):
    year = services.emulation_year_create(actor=None, province=cast.province, year=2030, **IN_ORDER)
    assert year.registration_deadline == D(2030, 3, 31)


@pytest.mark.parametrize(("earlier", "later"), PAIRS)
def test_each_date_before_the_one_it_follows_is_refused(cast, earlier, later):
    dates = {**IN_ORDER, later: IN_ORDER[earlier] - datetime.timedelta(days=1)}

    with pytest.raises(ValidationError) as refusal:
        services.emulation_year_create(actor=None, province=cast.province, year=2030, **dates)

    assert later in refusal.value.message_dict
    assert not EmulationYear.objects.filter(year=2030).exists()


def test_a_registration_deadline_after_self_assessment_opens_is_refused(cast):
    year = services.emulation_year_create(actor=None, province=cast.province, year=2030, **IN_ORDER)
    with pytest.raises(ValidationError, match="Ngày mở tự chấm điểm .* hạn đăng ký"):
        services.emulation_year_update(
            actor=None, emulation_year=year, **{**IN_ORDER, "registration_deadline": D(2030, 12, 1)}
        )
    year.refresh_from_db()
    assert year.registration_deadline == D(2030, 3, 31)


def test_only_the_dates_given_are_compared(cast):
    year = services.emulation_year_create(
        actor=None,
        province=cast.province,
        year=2030,
        registration_deadline=D(2030, 3, 31),
        proposal_deadline=D(2031, 1, 31),
    )
    assert year.self_assessment_deadline is None


def test_the_year_page_refuses_dates_out_of_order_with_a_message(cast, login):
    year = services.emulation_year_create(actor=None, province=cast.province, year=2030, **IN_ORDER)
    data = {name: date.isoformat() for name, date in IN_ORDER.items()}
    data["registration_deadline"] = "2030-12-01"

    response = login(cast.council).post(reverse("blocs:year_edit", args=[year.pk]), data)

    assert response.status_code == 200
    assert "không thể trước" in response.content.decode()
    year.refresh_from_db()
    assert year.registration_deadline == D(2030, 3, 31)


# --- carry forward proposes the new year's dates -----------------------------------


@pytest.fixture
def year_2023(cast):
    """The cast's 2023 with a full set of dates, all now long past when moved to 2024."""
    EmulationYear.objects.filter(pk=cast.bloc_year.year_id).update(
        **{name: date.replace(year=date.year - 7) for name, date in IN_ORDER.items()}
    )
    cast.bloc_year.year.refresh_from_db()
    return cast.bloc_year.year


def test_the_page_proposes_next_years_dates_and_flags_those_past(cast, login, year_2023):
    url = reverse("blocs:bloc_year_carry_forward", args=[cast.bloc_year.pk])

    response = login(cast.council).get(url)

    form = response.context["form"]
    assert form.initial["registration_deadline"] == D(2024, 3, 31)
    assert form.initial["proposal_deadline"] == D(2025, 1, 31)
    assert len(form.past_deadlines) == 6  # 2024 is over
    text = response.content.decode()
    assert "Các mốc đề xuất sau đã qua" in text
    assert 'name="registration_deadline"' in text


def test_no_dates_are_proposed_when_the_year_exists(cast, login, year_2023):
    services.emulation_year_create(actor=None, province=cast.province, year=2024)
    url = reverse("blocs:bloc_year_carry_forward", args=[cast.bloc_year.pk])

    form = login(cast.council).get(url).context["form"]

    assert "registration_deadline" not in form.fields


def test_carrying_forward_creates_the_year_with_the_dates_chosen(cast, login, year_2023):
    today = timezone.localdate()
    chosen = {
        name: (today + datetime.timedelta(days=30 * (i + 1))).isoformat()
        for i, name in enumerate(IN_ORDER)
    }
    url = reverse("blocs:bloc_year_carry_forward", args=[cast.bloc_year.pk])

    response = login(cast.council).post(
        url, {"as_of": "2024-01-01", "leader": cast.member.agency.pk, **chosen}
    )

    assert response.status_code == 302
    year = EmulationYear.objects.get(province=cast.province, year=2024)
    assert year.registration_deadline == today + datetime.timedelta(days=30)
    event = AuditEvent.objects.get(action="bloc_year.carry_forward")
    assert event.data["deadlines"]["proposal_deadline"] == chosen["proposal_deadline"]


def test_carrying_forward_refuses_dates_out_of_order(cast, login, year_2023):
    url = reverse("blocs:bloc_year_carry_forward", args=[cast.bloc_year.pk])
    dates = {name: date.replace(year=date.year + 1).isoformat() for name, date in IN_ORDER.items()}
    dates["registration_deadline"] = "2031-12-15"

    response = login(cast.council).post(
        url, {"as_of": "2024-01-01", "leader": cast.member.agency.pk, **dates}
    )

    assert response.status_code == 400
    assert "không thể trước" in response.content.decode()
    assert not BlocYear.objects.filter(year__year=2024).exists()
    assert not EmulationYear.objects.filter(year=2024).exists()


def test_the_service_keeps_proposing_the_moved_dates_by_default(cast, year_2023):
    add_member(cast.bloc_year, AgencyFactory(province=cast.province, code="third"), order=3)

    new = services.bloc_year_carry_forward(actor=cast.council, bloc_year=cast.bloc_year)

    assert new.year.self_assessment_deadline == D(2024, 12, 10)
