"""The agency profile (history with predecessors, ratings, scores and ranks,
trend chart), the award_history command, and ranks carried into proposals."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from awards.services import agency_fact_set, award_record_add, proposal_create
from blocs.enums import LineageKind, MemberRole
from blocs.services import lineage_add
from emulation.enums import AgencyRole
from tests.factories import (
    AgencyFactory,
    BlocFactory,
    BlocYearFactory,
    ProvinceFactory,
    UserFactory,
    add_member,
)
from tests.factories.proposal import build_voted
from tests.factories.review import FinalScoreFactory

pytestmark = pytest.mark.django_db


def final_score(membership, total: str, rank: int):
    """A locked snapshot row (as the review's lock writes it)."""
    return FinalScoreFactory(membership=membership, total=Decimal(total), rank=rank)


@pytest.fixture
def merged(db, award):
    """skh (2022, 2023) merged into tc from 2025; tc has its own history."""
    province = ProvinceFactory(code="lstinh")
    old = AgencyFactory(province=province, code="skh", name="Sở Kế hoạch và Đầu tư")
    new = AgencyFactory(province=province, code="tc", name="Sở Tài chính")
    lineage_add(
        actor=None,
        predecessor=old,
        successor=new,
        kind=LineageKind.MERGE,
        effective_date=datetime.date(2025, 3, 1),
    )
    bloc = BlocFactory(province=province, code="lskhoi")
    for year, agency, rank, total in ((2022, old, 2, "95.50"), (2023, old, 1, "98.00")):
        bloc_year = BlocYearFactory(bloc=bloc, year__province=province, year__year=year)
        final_score(add_member(bloc_year, agency, MemberRole.MEMBER, 1), total, rank)
        add_member(bloc_year, AgencyFactory(province=province), MemberRole.LEADER, 0)
    agency_fact_set(actor=None, agency=old, year=2023, rating="excellent", women_percent=None)
    award_record_add(
        actor=None,
        agency=old,
        award_type=award("tt_ldxs"),
        year=2023,
        decision_number="215/QĐ-UBND",
        decision_date=datetime.date(2024, 3, 15),
    )
    award_record_add(
        actor=None,
        agency=new,
        award_type=award("bk_ubnd"),
        year=2025,
        decision_number="88/QĐ-UBND",
        decision_date=datetime.date(2026, 3, 1),
    )
    return province, old, new


def test_profile_shows_history_with_predecessors_ratings_ranks_and_a_chart(client, merged):
    province, old, new = merged
    council = UserFactory(username="hd", is_council_staff=True, province=province)
    client.force_login(council)

    page = client.get(reverse("awards:agency_profile", args=[new.pk])).content.decode()

    assert "Sở Kế hoạch và Đầu tư → Sở Tài chính" in page
    assert "Tập thể lao động xuất sắc" in page and "215/QĐ-UBND" in page
    assert "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in page
    assert "Hoàn thành xuất sắc nhiệm vụ" in page
    assert "98,00" in page or "98.00" in page
    assert "<svg" in page and "<polyline" in page and "style=" not in page.split("<svg")[1]


@pytest.mark.parametrize(
    ("who", "status"),
    [("own", 200), ("successor", 200), ("stranger", 404), ("other_council", 404)],
)
def test_profile_visibility(client, merged, who, status):
    province, old, new = merged
    users = {
        "own": UserFactory(username="own", agency=old, agency_role=AgencyRole.OFFICER),
        "successor": UserFactory(username="succ", agency=new, agency_role=AgencyRole.HEAD),
        "stranger": UserFactory(
            username="str",
            agency=AgencyFactory(province=province),
            agency_role=AgencyRole.OFFICER,
        ),
        "other_council": UserFactory(
            username="hd2", is_council_staff=True, province=ProvinceFactory(code="khac")
        ),
    }
    client.force_login(users[who])
    assert client.get(reverse("awards:agency_profile", args=[old.pk])).status_code == status


def test_profile_of_the_successor_is_hidden_from_the_predecessor_users(client, merged):
    # History flows forward: users of the old agency do not see the new one.
    _province, old, new = merged
    client.force_login(UserFactory(username="own", agency=old, agency_role=AgencyRole.OFFICER))
    assert client.get(reverse("awards:agency_profile", args=[new.pk])).status_code == 404


def test_profile_refuses_post(client, merged):
    province, old, _new = merged
    client.force_login(UserFactory(username="hd", is_council_staff=True, province=province))
    assert client.post(reverse("awards:agency_profile", args=[old.pk])).status_code == 405


def test_award_history_command_prints_predecessors(merged):
    out = io.StringIO()

    call_command("award_history", "tc", stdout=out)

    text = out.getvalue()
    assert "Sở Kế hoạch và Đầu tư (skh) → Sở Tài chính (tc)" in text
    assert "2025\tBằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in text
    assert "2023\tTập thể lao động xuất sắc [skh]\t215/QĐ-UBND 15/03/2024" in text


def test_award_history_command_refuses_an_unknown_code(db):
    with pytest.raises(CommandError, match="nope"):
        call_command("award_history", "nope", stdout=io.StringIO())


def test_proposal_items_carry_the_rank_and_score_of_the_locked_ranking():
    conf = build_voted(members=4, prefix="rk")
    for index, membership in enumerate(conf.memberships):
        final_score(membership, f"{90 - index}.25", index + 1)

    proposal = proposal_create(actor=conf.secretariat, bloc_year=conf.bloc_year)

    item = proposal.items.get(agency=conf.memberships[3].agency, award_type__code="bk_ubnd")
    assert (item.rank, item.score) == (4, Decimal("87.25"))


@pytest.mark.parametrize("years", [1, 5])
def test_profile_query_count_does_not_grow_with_years(
    client, award, years, django_assert_num_queries
):
    province = ProvinceFactory(code="qctinh")
    agency = AgencyFactory(province=province, code="qc")
    bloc = BlocFactory(province=province, code="qckhoi")
    # The latest year is the same either way: the path to the next award judges it.
    for year in range(2025 - years, 2025):
        bloc_year = BlocYearFactory(bloc=bloc, year__province=province, year__year=year)
        final_score(add_member(bloc_year, agency, MemberRole.MEMBER, 1), "90.00", 2)
        add_member(bloc_year, AgencyFactory(province=province), MemberRole.LEADER, 0)
        agency_fact_set(actor=None, agency=agency, year=year, rating="excellent")
        award_record_add(
            actor=None,
            agency=agency,
            award_type=award("tt_ldxs"),
            year=year,
            decision_number=f"{year}/QĐ-UBND",
            decision_date=datetime.date(year + 1, 3, 1),
        )
    client.force_login(UserFactory(username="hd", is_council_staff=True, province=province))
    client.get(reverse("awards:agency_profile", args=[agency.pk]))

    # The history, then the eligibility engine's fixed load for the path to the next award.
    with django_assert_num_queries(28):
        page = client.get(reverse("awards:agency_profile", args=[agency.pk]))

    assert page.content.decode().count('class="award-record"') == years


def test_profile_chart_falls_back_to_the_ratings_without_two_ranked_years(client):
    province = ProvinceFactory(code="rttinh")
    agency = AgencyFactory(province=province, code="rt")
    for year, rating in ((2021, "good"), (2022, "excellent"), (2023, "excellent")):
        agency_fact_set(actor=None, agency=agency, year=year, rating=rating)
    client.force_login(UserFactory(username="rt", agency=agency, agency_role=AgencyRole.HEAD))

    page = client.get(reverse("awards:agency_profile", args=[agency.pk])).content.decode()

    assert "Mức độ hoàn thành nhiệm vụ qua các năm" in page
    assert page.count('class="trend-chart__point"') == 3
    assert 'cx="24.0" cy="48.0"' in page  # "hoàn thành tốt" first; never "24,0"
