"""The Government's flag, chosen province-wide by the council among the
collectives leading the province's blocs (Law 06/2022 Art. 25)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards.government_flag import flag_board
from awards.models import GovernmentFlagChoice
from awards.services import (
    agency_fact_set,
    government_flag_choose,
    leading_choose,
    proposal_items_decide,
    proposal_receive,
    proposal_submit,
)
from blocs.models import FinalScore, Membership
from emulation.models import AuditEvent
from tests.factories import AgencyFactory, BlocYearFactory, UserFactory, add_member
from tests.factories.proposal import build_proposal
from tests.factories.registration import register

ON = datetime.date(2024, 2, 20)
URL = reverse("awards:government_flag")


def _lead(membership, *, rank=1, shared=False, rating="excellent"):
    agency_fact_set(
        actor=None,
        agency=membership.agency,
        year=2023,
        rating=rating,
        source_document="QĐ xếp loại 2023",
    )
    FinalScore.objects.create(
        bloc_year=membership.bloc_year,
        membership=membership,
        self_total=90,
        total=90,
        deduction=0,
        tie_break_score=0,
        rank=rank,
        shared_rank=shared,
        locked_at=timezone.now(),
    )


@pytest.fixture
def leaders(cast):
    """Both blocs of the province have a leader registered for the flag; the
    second bloc's leader is rated only "good"."""
    other = Membership.objects.get(agency=cast.outsider.agency)
    register(cast, cast.leader, award_codes=("co_chinh_phu",))
    register(cast, other, award_codes=("co_chinh_phu",))
    _lead(cast.leader)
    _lead(cast.member, rank=2)
    _lead(other, rating="good")
    return cast.leader, other


def test_the_board_lists_each_bloc_s_leader_with_its_verdict(cast, leaders):
    first, second = leaders
    board = flag_board(province=cast.province, year=2023, considered_on=ON)
    by_agency = {r.agency.code: r for r in board.leaders}
    assert set(by_agency) == {"lead", "out"}  # the second-ranked member is not listed
    assert by_agency["lead"].eligible
    assert not by_agency["out"].eligible
    assert "Hoàn thành tốt nhiệm vụ" in " ".join(by_agency["out"].reasons)
    assert [r.agency.code for r in board.eligible] == ["lead"]


def test_the_choice_is_recorded_and_audited(cast, leaders):
    first, _second = leaders
    choice = government_flag_choose(
        actor=cast.council,
        province=cast.province,
        year=2023,
        considered_on=ON,
        source_document="Biên bản họp Hội đồng số 02/BB-HĐTĐKT",
        membership_ids={first.pk},
    )
    assert list(choice.memberships.all()) == [first]
    event = AuditEvent.objects.get(action="government_flag.choose")
    assert event.data["new"] == ["lead"] and event.data["old"] == []
    government_flag_choose(
        actor=cast.council,
        province=cast.province,
        year=2023,
        considered_on=ON,
        source_document="Biên bản số 03",
        membership_ids=set(),
    )
    assert GovernmentFlagChoice.objects.get().memberships.count() == 0
    assert AuditEvent.objects.filter(action="government_flag.choose").count() == 2


@pytest.mark.parametrize(
    ("who", "source", "message"),
    [
        ("out", "BB 02", "không đạt tiêu chuẩn"),
        ("mem", "BB 02", "không phải là tập thể dẫn đầu"),
        ("lead", "  ", "văn bản căn cứ"),
    ],
)
def test_the_choice_is_refused_with_the_reason(cast, leaders, who, source, message):
    membership = Membership.objects.get(agency__code=who)
    with pytest.raises(ValidationError, match=message):
        government_flag_choose(
            actor=cast.council,
            province=cast.province,
            year=2023,
            considered_on=ON,
            source_document=source,
            membership_ids={membership.pk},
        )
    assert not GovernmentFlagChoice.objects.exists()


def test_a_shared_first_rank_lists_both_until_the_conference_chooses(cast):
    by = BlocYearFactory(bloc__province=cast.province, year=cast.bloc_year.year)
    a = add_member(by, AgencyFactory(province=cast.province, code="a1"))
    b = add_member(by, AgencyFactory(province=cast.province, code="b1"))
    _lead(a, shared=True)
    _lead(b, shared=True)
    board = flag_board(province=cast.province, year=2023, considered_on=ON)
    shared = [r for r in board.leaders if r.membership.bloc_year_id == by.pk]
    assert {r.agency.code for r in shared} == {"a1", "b1"}
    assert all("đồng hạng nhất" in " ".join(r.reasons) for r in shared)


def test_a_proposed_government_flag_is_approved_only_when_chosen(db, client):
    conf, proposal = build_proposal(members=3, elected={"co_chinh_phu": [0], "tt_ldxs": [1]})
    proposal_submit(actor=conf.secretariat, proposal=proposal)
    proposal_receive(actor=None, proposal=proposal)
    items = list(proposal.items.select_related("award_type"))
    flag = next(i for i in items if i.award_type.code == "co_chinh_phu")
    with pytest.raises(ValidationError, match="chưa được Hội đồng lựa chọn"):
        proposal_items_decide(actor=None, proposal=proposal, approved_ids={i.pk for i in items})
    others = {i.pk for i in items if i.pk != flag.pk}
    proposal_items_decide(actor=None, proposal=proposal, approved_ids=others)
    bloc_year = proposal.bloc_year
    council = UserFactory(is_council_staff=True, province=bloc_year.bloc.province)
    client.force_login(council)
    page = client.get(reverse("awards:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Chưa được Hội đồng chọn trong toàn tỉnh:" in page
    choice = GovernmentFlagChoice.objects.create(
        province=bloc_year.bloc.province,
        year=bloc_year.year.year,
        considered_on=ON,
        source_document="BB",
    )
    choice.memberships.add(flag.membership)
    proposal_items_decide(actor=None, proposal=proposal, approved_ids={i.pk for i in items})
    flag.refresh_from_db()
    assert flag.decision == "approved"
    page = client.get(reverse("awards:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Đã được Hội đồng chọn trong toàn tỉnh." in page


def test_the_page_shows_the_leaders_and_records_the_choice(client, cast, leaders, login):
    first, _second = leaders
    page = login(cast.council).get(URL, {"year": 2023, "on": ON.isoformat()})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-agency="lead" data-eligible="yes"' in html
    assert 'data-agency="out" data-eligible="no"' in html
    response = client.post(
        f"{URL}?year=2023",
        {
            "considered_on": ON.isoformat(),
            "source_document": "Biên bản họp Hội đồng số 02/BB-HĐTĐKT",
            "memberships": [first.pk],
        },
    )
    assert response.status_code == 302
    assert list(GovernmentFlagChoice.objects.get().memberships.all()) == [first]
    page = client.get(URL, {"year": 2023}).content.decode()
    assert "02/BB-HĐTĐKT" in page and "checked" in page


def test_the_page_refuses_bad_input_and_keeps_it(client, cast, leaders, login):
    _first, second = leaders
    response = login(cast.council).post(
        f"{URL}?year=2023",
        {"considered_on": ON.isoformat(), "source_document": "BB 9", "memberships": [second.pk]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "không đạt tiêu chuẩn" in html and 'value="BB 9"' in html
    assert not GovernmentFlagChoice.objects.exists()


def test_the_page_is_for_council_staff(client, cast, login):
    assert client.get(URL).status_code == 302  # to the login page
    assert login(cast.officer).get(URL).status_code == 403
    assert login(cast.secretariat).post(URL, {}).status_code == 403
    assert login(cast.other_council).get(URL).status_code == 200  # its own province
    assert client.put(URL).status_code == 405


def _blocs_with_leaders(cast, blocs: int, first: int = 0) -> None:
    for n in range(first, first + blocs):
        by = BlocYearFactory(bloc__province=cast.province, year=cast.bloc_year.year)
        for m in range(5):
            member = add_member(by, AgencyFactory(province=cast.province, code=f"x{n}{m}"))
            register(cast, member, award_codes=("co_chinh_phu",))
            _lead(member, rank=m + 1)
        if n % 2:  # half the blocs by the conference's choice, half by rank 1
            leading_choose(
                actor=None,
                bloc_year=by,
                membership=by.memberships.order_by("pk").last(),
                source_document="Biên bản hội nghị khối",
            )


def test_the_page_s_queries_do_not_grow_with_the_blocs(cast, leaders, login):
    """One load of the engine for every bloc's leaders: the same number of
    queries for the demo's two blocs and for six."""
    client = login(cast.council)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, {"year": 2023, "on": "2024-02-20"})
        assert response.status_code == 200
        return len(captured)

    _blocs_with_leaders(cast, 1)
    few = queries()
    _blocs_with_leaders(cast, 4, first=1)
    many = queries()
    assert many == few
