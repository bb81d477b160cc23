"""The path to the next award on an agency's profile: what is missing and the
first year it could be met, from the same rules as the eligibility table."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.next_award import first_year_met, path_to_next_awards
from awards.services import agency_fact_set
from blocs.enums import MemberRole
from emulation.enums import AgencyRole
from tests.factories import (
    AgencyFactory,
    BlocFactory,
    BlocYearFactory,
    ProvinceFactory,
    UserFactory,
    add_member,
)


@pytest.mark.parametrize(
    ("met", "years", "offset", "from_year", "expected"),
    [
        # 5 excellent years needed; 2023–2025 recorded: two more, 2027.
        ({2023: True, 2024: True, 2025: True}, 5, 0, 2025, (2027, 2)),
        # the year under review not yet rated: it counts as one more year.
        ({2024: True}, 2, 0, 2025, (2025, 1)),
        # already met.
        ({2024: True, 2025: True}, 2, 0, 2025, (2025, 0)),
        # a bad year restarts the count after it.
        ({2023: True, 2024: False, 2025: True}, 3, 0, 2025, (2027, 2)),
        # a window ending the year before (end_offset 1).
        ({2024: True}, 2, 1, 2025, (2026, 1)),
        # nothing recorded at all.
        ({}, 2, 0, 2025, (2026, 2)),
    ],
)
def test_first_year_met(met, years, offset, from_year, expected):
    assert first_year_met(met=met, years=years, end_offset=offset, from_year=from_year) == expected


@pytest.fixture
def agency_2025(db):
    """An agency in its bloc's 2025 bloc-year, rated excellent 2023–2025."""
    province = ProvinceFactory(code="nttinh")
    agency = AgencyFactory(province=province, code="nt", name="Sở Tư pháp")
    bloc = BlocFactory(province=province, code="ntkhoi")
    bloc_year = BlocYearFactory(bloc=bloc, year__province=province, year__year=2025)
    add_member(bloc_year, agency, MemberRole.MEMBER, 1)
    add_member(bloc_year, AgencyFactory(province=province), MemberRole.LEADER, 0)
    for year in (2023, 2024, 2025):
        agency_fact_set(actor=None, agency=agency, year=year, rating="excellent")
    return province, agency


def test_path_says_how_many_more_excellent_years_and_when(agency_2025):
    _province, agency = agency_2025

    path = path_to_next_awards(agency)

    assert path.year == 2025
    by_code = {n.award_type.code: n for n in path.next_awards}
    ttg = by_code["bk_ttg"]
    assert ttg.first_year == 2027
    assert [s.text for s in ttg.steps] == ["thêm 2 năm hoàn thành xuất sắc nhiệm vụ (2027)"]
    assert ttg.reasons  # the engine's own reasons, shown as they are


def test_an_unregistered_title_waits_for_next_years_registration(agency_2025):
    _province, agency = agency_2025

    ldxs = {n.award_type.code: n for n in path_to_next_awards(agency).next_awards}["tt_ldxs"]

    assert [s.text for s in ldxs.steps] == [
        "đã đạt “hoàn thành xuất sắc nhiệm vụ” trong các năm cần thiết"
    ]
    assert [s.text for s in ldxs.conditions] == ["đăng ký thi đua danh hiệu này từ đầu năm 2026"]
    assert ldxs.first_year == 2026


def test_profile_page_shows_the_path(client, agency_2025):
    province, agency = agency_2025
    client.force_login(UserFactory(username="hd", is_council_staff=True, province=province))

    page = client.get(reverse("awards:agency_profile", args=[agency.pk])).content.decode()

    assert "Lộ trình đến hình thức khen thưởng tiếp theo" in page
    assert "thêm 2 năm hoàn thành xuất sắc nhiệm vụ (2027)" in page
    assert "sớm nhất cho năm 2027" in page


def test_own_users_see_the_path_strangers_do_not(client, agency_2025):
    province, agency = agency_2025
    own = UserFactory(username="own", agency=agency, agency_role=AgencyRole.OFFICER)
    client.force_login(own)
    assert (
        "thêm 2 năm"
        in client.get(reverse("awards:agency_profile", args=[agency.pk])).content.decode()
    )
    stranger = UserFactory(
        username="str", agency=AgencyFactory(province=province), agency_role=AgencyRole.OFFICER
    )
    client.force_login(stranger)
    assert client.get(reverse("awards:agency_profile", args=[agency.pk])).status_code == 404
    assert client.post(reverse("awards:agency_profile", args=[agency.pk])).status_code == 405


def test_no_path_without_a_bloc_year(db):
    assert path_to_next_awards(AgencyFactory(code="lone")) is None
