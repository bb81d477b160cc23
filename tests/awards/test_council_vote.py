"""The council's vote at decision time (on ALL its members, absent members
voting in writing) and the prize money fixed by the decision."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from awards.enums import ItemDecision, ProposalState
from awards.models import AwardType, BaseSalary, CouncilVote, CouncilVoteThreshold, Decision
from awards.selectors.council_numbers import (
    VoteCount,
    base_salary_on,
    council_thresholds,
    prize_amount,
    prize_coefficients,
    vote_needed,
)
from awards.services import (
    decision_record,
    proposal_items_decide,
    proposal_receive,
    proposal_submit,
)
from emulation.enums import AgencyRole
from emulation.models import AuditEvent
from tests.factories import AgencyFactory, ProvinceFactory, UserFactory
from tests.factories.proposal import build_proposal

pytestmark = pytest.mark.django_db

# Decree 98/2023 is in force on this date (thresholds confirmed); the base
# salary is 1,800,000 đồng.
DATE = datetime.date(2024, 3, 15)


@pytest.fixture
def flagged():
    """A received proposal: co_tinh for member 0, tt_ldxs for members 0 and 1."""
    conf, proposal = build_proposal(members=4, elected={"co_tinh": [0], "tt_ldxs": [0, 1]})
    proposal_submit(actor=conf.secretariat, proposal=proposal)
    proposal_receive(actor=None, proposal=proposal)
    items = {(i.award_type.code, i.agency.code): i for i in proposal.items.select_related()}
    proposal_items_decide(
        actor=None, proposal=proposal, approved_ids={i.pk for i in items.values()}
    )
    return conf, proposal, items


def decide(proposal, **kwargs):
    values = {
        "actor": None,
        "proposal": proposal,
        "number": "215/QĐ-UBND",
        "date": DATE,
        "signer": "Chủ tịch UBND tỉnh",
    }
    values.update(kwargs)
    return decision_record(**values)


@pytest.mark.parametrize(
    ("members", "votes_for", "approved"),
    [(15, 12, True), (15, 11, False), (10, 8, True), (10, 7, False), (9, 8, True), (9, 7, False)],
)
def test_flag_needs_eighty_percent_of_all_members(flagged, members, votes_for, approved):
    _conf, proposal, items = flagged
    flag = items[("co_tinh", "p0")]
    votes = {flag.pk: VoteCount(votes_for, members - votes_for)}

    if approved:
        decide(proposal, council_members=members, council_votes=votes)
        vote = CouncilVote.objects.get(item=flag)
        assert (vote.votes_for, vote.members, vote.threshold_percent) == (votes_for, members, 80)
        assert vote.met is True
        assert "Điều 30" in vote.threshold_source
    else:
        with pytest.raises(ValidationError) as refused:
            decide(proposal, council_members=members, council_votes=votes)
        text = " ".join(refused.value.messages)
        assert "Cờ thi đua của Ủy ban nhân dân tỉnh" in text
        assert f"{votes_for} trên tổng số {members} thành viên" in text
        assert f"{vote_needed(members=members, percent=80)} phiếu" in text
        assert not Decision.objects.exists()
        assert not CouncilVote.objects.exists()


def test_written_votes_of_absent_members_count_towards_the_threshold(flagged):
    _conf, proposal, items = flagged
    flag = items[("co_tinh", "p0")]
    # 10 present voted for, 2 absent members voted for in writing: 12 of 15.
    decide(proposal, council_members=15, council_votes={flag.pk: VoteCount(12, 1, 2)})
    vote = CouncilVote.objects.get(item=flag)
    assert (vote.votes_for, vote.votes_against, vote.written) == (12, 1, 2)


def test_flag_without_the_councils_vote_is_refused(flagged):
    _conf, proposal, _items = flagged
    with pytest.raises(ValidationError, match="số thành viên Hội đồng"):
        decide(proposal)
    with pytest.raises(ValidationError, match="cần Hội đồng biểu quyết"):
        decide(proposal, council_members=15, council_votes={})


def test_titles_without_a_threshold_need_no_vote(flagged):
    _conf, proposal, items = flagged
    proposal_items_decide(
        actor=None,
        proposal=proposal,
        approved_ids={items[("tt_ldxs", "p0")].pk, items[("tt_ldxs", "p1")].pk},
    )
    decide(proposal)
    assert proposal.items.get(pk=items[("co_tinh", "p0")].pk).decision == ItemDecision.REJECTED
    assert not CouncilVote.objects.exists()


def test_votes_over_the_members_are_refused_by_the_service_and_the_database(flagged):
    _conf, proposal, items = flagged
    flag = items[("co_tinh", "p0")]
    with pytest.raises(ValidationError, match="nhiều hơn"):
        decide(proposal, council_members=15, council_votes={flag.pk: VoteCount(13, 3)})
    with pytest.raises(ValidationError, match="bằng văn bản"):
        decide(proposal, council_members=15, council_votes={flag.pk: VoteCount(12, 0, 13)})
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilVote.objects.create(item=flag, members=15, votes_for=13, votes_against=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilVote.objects.create(item=flag, members=15, votes_for=5, votes_against=0, written=6)


def test_after_decree_152_the_threshold_applies_meanwhile_and_says_it_is_unconfirmed(flagged):
    conf, proposal, items = flagged
    day = datetime.date(2025, 8, 1)
    province_id = conf.bloc_year.bloc.province_id
    threshold = council_thresholds(province_id=province_id, day=day)[
        items[("co_tinh", "p0")].award_type_id
    ]
    assert threshold.percent == 80 and threshold.confirmed is False
    assert "152/2025" in threshold.note
    # A province's own threshold wins over the national one.
    CouncilVoteThreshold.objects.create(
        province_id=province_id,
        award_type_id=threshold.award_type_id,
        percent=90,
        valid_from=datetime.date(2025, 7, 1),
        source="Quy chế của tỉnh",
    )
    own = council_thresholds(province_id=province_id, day=day)[threshold.award_type_id]
    assert own.percent == 90


def test_no_threshold_before_the_decree_of_2023():
    thresholds = council_thresholds(province_id=None, day=datetime.date(2023, 2, 24))
    assert thresholds == {}


@pytest.mark.parametrize(
    ("day", "amount"),
    [
        (datetime.date(2023, 2, 24), 1_490_000),
        (datetime.date(2023, 7, 1), 1_800_000),
        (datetime.date(2024, 6, 30), 1_800_000),
        (datetime.date(2024, 7, 1), 2_340_000),
        (datetime.date(2026, 1, 1), 2_340_000),
    ],
)
def test_base_salary_in_force_on_the_decision_date(day, amount):
    assert base_salary_on(day).amount == amount


def test_no_base_salary_before_the_first_known_one():
    assert base_salary_on(datetime.date(2019, 6, 30)) is None
    assert BaseSalary.objects.count() == 3


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("co_chinh_phu", 28_080_000),
        ("co_tinh", 18_720_000),
        ("tt_ldxs", 3_510_000),
        ("tt_ldtt", 1_880_000),
        ("bk_ttg", 16_380_000),
        ("bk_ubnd", 7_020_000),
    ],
)
def test_prize_money_of_each_award_at_2_340_000(code, expected):
    award = AwardType.objects.get(code=code)
    coefficient = prize_coefficients(province_id=None, day=datetime.date(2025, 9, 1))[award.pk]
    assert "152/2025" in coefficient.source
    assert prize_amount(coefficient=coefficient.coefficient, base_salary=2_340_000) == expected


def test_prize_money_rounds_up_to_the_ten_thousand_dong():
    assert prize_amount(coefficient=Decimal("1.5"), base_salary=1_490_000) == 2_240_000
    assert prize_amount(coefficient=Decimal("0.8"), base_salary=2_340_000) == 1_880_000
    assert prize_amount(coefficient=Decimal("0.85"), base_salary=1_490_001) == 1_270_000
    # An amount already on the ten thousand stays as it is.
    assert prize_amount(coefficient=Decimal("1.5"), base_salary=2_340_000) == 3_510_000
    assert prize_amount(coefficient=Decimal("2"), base_salary=1_800_000) == 3_600_000


def test_decision_fixes_the_prize_money_of_the_approved_items(flagged):
    _conf, proposal, items = flagged
    flag = items[("co_tinh", "p0")]
    decide(proposal, council_members=15, council_votes={flag.pk: VoteCount(14, 1)})
    amounts = {
        (i.award_type.code, i.agency.code): (
            i.prize_coefficient,
            i.prize_base_salary,
            i.prize_amount,
        )
        for i in proposal.items.select_related("award_type", "agency")
    }
    assert amounts[("co_tinh", "p0")] == (Decimal("8.00"), 1_800_000, 14_400_000)
    assert amounts[("tt_ldxs", "p1")] == (Decimal("1.50"), 1_800_000, 2_700_000)
    event = AuditEvent.objects.get(action="proposal.decide")
    assert event.data["prize_money"] == 14_400_000 + 2 * 2_700_000
    assert event.data["council_votes"] == {"p0:co_tinh": [14, 1, 0, 15, 80]}


# --- the page --------------------------------------------------------------------


def url(name, pk):
    return reverse(f"awards:{name}", args=[pk])


def test_page_approval_boxes_start_unticked_and_the_decision_asks_to_confirm(client, flagged):
    conf, proposal, items = flagged
    proposal.items.update(decision=ItemDecision.PENDING)
    council = UserFactory(
        username="hd", is_council_staff=True, province=conf.bloc_year.bloc.province
    )
    client.force_login(council)

    page = client.get(url("proposal_detail", proposal.pk)).content.decode()
    assert 'name="approved"' in page and " checked" not in page.split('name="approved"')[1][:80]
    assert 'name="confirm"' in page and "không thể hoàn tác" in page.lower()
    assert "≥ 80%" in page

    proposal_items_decide(
        actor=None, proposal=proposal, approved_ids={i.pk for i in items.values()}
    )
    flag = items[("co_tinh", "p0")]
    data = {
        "number": "215/QĐ-UBND",
        "date": DATE.isoformat(),
        "signer": "Chủ tịch UBND tỉnh",
        "council_members": "15",
        f"for-{flag.pk}": "11",
        f"against-{flag.pk}": "4",
    }
    unconfirmed = client.post(url("decision_create", proposal.pk), data)
    assert unconfirmed.status_code == 400 and not Decision.objects.exists()

    short = client.post(url("decision_create", proposal.pk), {**data, "confirm": "on"})
    assert short.status_code == 400 and not Decision.objects.exists()
    assert "chưa đạt 80% tổng số thành viên" in short.content.decode()

    data[f"for-{flag.pk}"], data[f"against-{flag.pk}"], data[f"written-{flag.pk}"] = "12", "3", "2"
    done = client.post(url("decision_create", proposal.pk), {**data, "confirm": "on"}, follow=True)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DECIDED
    page = done.content.decode()
    assert "12 đồng ý / 15 thành viên, 3 không đồng ý" in page and "2 phiếu bằng văn bản" in page
    assert "14.400.000" in page  # 8 × 1.800.000
    assert "19.800.000" in page  # total: 14.400.000 + 2 × 2.700.000


# --- the council's numbers page ----------------------------------------------------


def test_numbers_page_shows_each_value_with_its_source(client, django_assert_num_queries):
    own, other = ProvinceFactory(code="sotinh"), ProvinceFactory(code="khac")
    flag = AwardType.objects.get(code="co_tinh")
    CouncilVoteThreshold.objects.create(
        province=own, award_type=flag, percent=85, source="Quy chế tỉnh mình"
    )
    CouncilVoteThreshold.objects.create(
        province=other, award_type=flag, percent=95, source="Quy chế tỉnh khác"
    )
    url = reverse("awards:council_numbers")
    client.force_login(UserFactory(username="hdn", is_council_staff=True, province=own))

    page = client.get(url).content.decode()

    assert "Nghị định 98/2023/NĐ-CP, Điều 30 khoản 7" in page
    assert "Quy chế tỉnh mình" in page and "Quy chế tỉnh khác" not in page
    assert "2.340.000" in page and "Nghị định 73/2024/NĐ-CP" in page
    assert "chưa đối chiếu" in page  # the Decree 152 thresholds, applied meanwhile
    for n in range(5):  # more rows, the same queries
        CouncilVoteThreshold.objects.create(
            province=own, award_type=flag, percent=80 + n, source=f"Quy chế {n}"
        )
    with django_assert_num_queries(6):
        client.get(url)
    assert client.post(url).status_code == 405
    client.force_login(
        UserFactory(
            username="cbn", agency=AgencyFactory(province=own), agency_role=AgencyRole.OFFICER
        )
    )
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("n", [1, 5])
def test_council_numbers_query_count_does_not_grow(client, django_assert_num_queries, n):
    own = ProvinceFactory(code="sotinh")
    flag = AwardType.objects.get(code="co_tinh")
    for i in range(n):
        CouncilVoteThreshold.objects.create(
            province=own, award_type=flag, percent=80 + i, source=f"Quy chế số {i}"
        )
    client.force_login(UserFactory(username="hdn", is_council_staff=True, province=own))
    url = reverse("awards:council_numbers")
    client.get(url)

    with django_assert_num_queries(COUNCIL_NUMBERS_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count("Quy chế số ") == n


COUNCIL_NUMBERS_QUERIES = 6


@pytest.mark.parametrize(
    ("day", "code", "coefficient", "decree", "confirmed", "note"),
    [
        (datetime.date(2023, 2, 24), "tt_ldxs", "1.50", "91/2017", True, "Điều 69"),
        (datetime.date(2023, 12, 31), "bk_ubnd", "2.00", "91/2017", True, "Điều 73"),
        (datetime.date(2024, 1, 1), "bk_ubnd", "2.00", "98/2023", False, "Chưa tìm thấy"),
        (datetime.date(2025, 6, 30), "bk_ttg", "7.00", "98/2023", False, "cá nhân 3,5 lần"),
        (datetime.date(2025, 6, 30), "co_tinh", "8.00", "98/2023", True, "Điều 54"),
        (datetime.date(2025, 7, 1), "bk_ubnd", "3.00", "152/2025", True, ""),
    ],
)
def test_the_coefficient_is_the_decree_s_in_force_on_the_decision_date(
    day, code, coefficient, decree, confirmed, note
):
    award = AwardType.objects.get(code=code)
    row = prize_coefficients(province_id=None, day=day)[award.pk]
    assert row.coefficient == Decimal(coefficient)
    assert decree in row.source
    assert row.confirmed is confirmed
    assert note in row.note  # the article read, or what applies meanwhile


def test_the_earlier_base_salaries_name_the_decree_they_were_checked_against():
    marked = {s.valid_from.year: (s.confirmed, s.note) for s in BaseSalary.objects.all()}
    assert marked[2024] == (True, "")
    assert marked[2019][0] and "38/2019" in marked[2019][1]
    assert marked[2023][0] and "24/2023" in marked[2023][1]
