"""The proposal workflow through the services: built from the published
results, submitted by the deadline, received, returned, resubmitted, approved
item by item — and the whole flow into history and next year's eligibility."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from awards.eligibility import evaluate
from awards.enums import AwardSource, ItemDecision, ProposalState
from awards.models import AwardRecord, Proposal, ProposalItem
from awards.selectors import award_history, rule_for
from awards.services import (
    award_record_add,
    award_rule_set,
    decision_record,
    proposal_create,
    proposal_item_remove,
    proposal_items_decide,
    proposal_receive,
    proposal_refresh,
    proposal_return,
    proposal_submit,
)
from blocs.enums import DeadlineStep, MemberRole, Phase
from blocs.models import BlocYear
from blocs.selectors import lineage_ids
from blocs.services import deadline_extend
from emulation.models import AuditEvent
from tests.factories import BlocYearFactory, UserFactory, add_member
from tests.factories.proposal import build_proposal, build_voted

pytestmark = pytest.mark.django_db


def items_by(proposal):
    return {
        (i.agency.code, i.award_type.code): i
        for i in proposal.items.select_related("agency", "award_type")
    }


def test_proposal_is_built_from_the_published_results_with_the_documents():
    conf, proposal = build_proposal(members=5)

    items = items_by(proposal)
    assert set(items) == {
        ("p0", "tt_ldxs"),
        ("p1", "tt_ldxs"),
        ("p2", "tt_ldxs"),
        ("p0", "bk_ubnd"),
        ("p3", "bk_ubnd"),
    }
    item = items[("p0", "tt_ldxs")]
    assert (item.votes, item.base, item.percent) == (5, 5, Decimal("100.00"))
    assert item.decision == ItemDecision.PENDING
    assert [d.kind for d in proposal.documents.all()] == ["proposal_letter"]
    assert proposal.state == ProposalState.DRAFT
    assert AuditEvent.objects.filter(action="proposal.create").count() == 1


def test_proposal_refused_before_any_published_result():
    conf = build_voted(members=3, prefix="q", elected={})

    with pytest.raises(ValidationError, match="kết quả"):
        proposal_create(actor=conf.secretariat, bloc_year=conf.bloc_year)
    assert not Proposal.objects.exists()


def test_proposal_refused_twice_for_one_bloc_year():
    conf, _proposal = build_proposal(members=4)

    with pytest.raises(ValidationError):
        proposal_create(actor=conf.secretariat, bloc_year=conf.bloc_year)
    assert Proposal.objects.count() == 1


def test_submit_moves_the_bloc_year_to_proposal_submitted():
    conf, proposal = build_proposal(members=4)

    proposal = proposal_submit(actor=conf.secretariat, proposal=proposal)

    assert proposal.state == ProposalState.SUBMITTED
    assert proposal.submitted_at is not None and proposal.submission_count == 1
    assert BlocYear.objects.get(pk=conf.bloc_year.pk).phase == Phase.PROPOSAL_SUBMITTED
    event = AuditEvent.objects.get(action="proposal.submit")
    assert event.data["phase"] == [Phase.VOTING, Phase.PROPOSAL_SUBMITTED]


def test_submit_after_the_deadline_is_refused_by_the_server():
    conf, proposal = build_proposal(members=4, deadline=datetime.date(2024, 1, 31))

    with pytest.raises(ValidationError, match="31/01/2024"):
        proposal_submit(actor=conf.secretariat, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DRAFT
    assert BlocYear.objects.get(pk=conf.bloc_year.pk).phase == Phase.VOTING


def test_submit_on_the_deadline_day_is_accepted(monkeypatch):
    conf, proposal = build_proposal(members=4, deadline=datetime.date(2024, 1, 31))
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *a, **k: datetime.date(2024, 1, 31)
    )

    proposal = proposal_submit(actor=conf.secretariat, proposal=proposal)

    assert proposal.state == ProposalState.SUBMITTED


def test_submit_needs_the_documents():
    conf = build_voted(members=4, prefix="nd", letter=False)
    proposal = proposal_create(actor=conf.secretariat, bloc_year=conf.bloc_year)

    with pytest.raises(ValidationError, match="tờ trình|văn bản|hồ sơ"):
        proposal_submit(actor=conf.secretariat, proposal=proposal)


def test_receive_and_return_follow_the_transitions_table():
    conf, proposal = build_proposal(members=4)

    with pytest.raises(ValidationError):
        proposal_receive(actor=None, proposal=proposal)  # a draft is not received
    proposal_submit(actor=conf.secretariat, proposal=proposal)
    proposal = proposal_receive(actor=None, proposal=proposal)
    assert proposal.state == ProposalState.RECEIVED
    with pytest.raises(ValidationError):
        proposal_submit(actor=conf.secretariat, proposal=proposal)


def test_return_needs_a_reason_and_sends_the_bloc_back_to_voting():
    conf, proposal = build_proposal(members=4)
    proposal_submit(actor=conf.secretariat, proposal=proposal)

    with pytest.raises(ValidationError, match="lý do"):
        proposal_return(actor=None, proposal=proposal, reason="  ")
    proposal = proposal_return(actor=None, proposal=proposal, reason="Thiếu biên bản kiểm phiếu")

    assert proposal.state == ProposalState.RETURNED
    assert proposal.return_reason == "Thiếu biên bản kiểm phiếu"
    assert BlocYear.objects.get(pk=conf.bloc_year.pk).phase == Phase.VOTING


def test_resubmission_after_a_return_is_allowed_after_the_deadline(monkeypatch):
    conf, proposal = build_proposal(members=4, deadline=datetime.date(2024, 1, 31))
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *a, **k: datetime.date(2024, 1, 30)
    )
    proposal_submit(actor=conf.secretariat, proposal=proposal)
    proposal_return(actor=None, proposal=proposal, reason="Bổ sung báo cáo thành tích")
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *a, **k: datetime.date(2024, 2, 10)
    )

    proposal = proposal_submit(actor=conf.secretariat, proposal=proposal)

    assert proposal.state == ProposalState.SUBMITTED and proposal.submission_count == 2


def test_items_can_be_left_out_only_while_editable():
    conf, proposal = build_proposal(members=4)
    item = proposal.items.get(agency__code="p3")

    proposal_item_remove(actor=conf.secretariat, item=item)
    assert not proposal.items.filter(agency__code="p3").exists()
    proposal_submit(actor=conf.secretariat, proposal=proposal)
    with pytest.raises(ValidationError):
        proposal_item_remove(actor=conf.secretariat, item=proposal.items.first())


def test_refresh_rebuilds_the_items_while_returned():
    conf, proposal = build_proposal(members=4)
    proposal_item_remove(actor=conf.secretariat, item=proposal.items.get(agency__code="p3"))
    proposal_submit(actor=conf.secretariat, proposal=proposal)
    proposal_return(actor=None, proposal=proposal, reason="Đề nghị đủ các đơn vị đã được bầu")

    proposal_refresh(actor=conf.secretariat, proposal=proposal)

    assert proposal.items.filter(agency__code="p3").exists()


def test_approve_item_by_item_needs_a_received_proposal():
    conf, proposal = build_proposal(members=4)
    proposal_submit(actor=conf.secretariat, proposal=proposal)
    first = proposal.items.first()
    with pytest.raises(ValidationError):
        proposal_items_decide(actor=None, proposal=proposal, approved_ids={first.pk})

    proposal_receive(actor=None, proposal=proposal)
    proposal_items_decide(
        actor=None, proposal=proposal, approved_ids={first.pk}, notes={first.pk: "Đủ điều kiện"}
    )

    decisions = dict(proposal.items.values_list("pk", "decision"))
    assert decisions.pop(first.pk) == ItemDecision.APPROVED
    assert set(decisions.values()) == {ItemDecision.REJECTED}
    assert proposal.items.get(pk=first.pk).decision_note == "Đủ điều kiện"


def test_approving_an_item_of_another_proposal_is_refused():
    conf, proposal = build_proposal(members=4)
    _conf2, other = build_proposal(members=4, prefix="o")
    proposal_submit(actor=conf.secretariat, proposal=proposal)
    proposal_receive(actor=None, proposal=proposal)

    with pytest.raises(ValidationError):
        proposal_items_decide(actor=None, proposal=proposal, approved_ids={other.items.first().pk})


def test_database_refuses_a_returned_proposal_without_reason():
    conf, proposal = build_proposal(members=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.RETURNED)


def test_database_refuses_an_award_record_on_an_item_not_approved():
    conf, proposal = build_proposal(members=4)
    item = proposal.items.first()
    record = award_record_add(
        actor=None,
        agency=item.agency,
        award_type=item.award_type,
        year=2023,
        decision_number="1/QĐ",
        decision_date=datetime.date(2024, 3, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalItem.objects.filter(pk=item.pk).update(award_record=record)


# --- acceptance: the whole flow ---------------------------------------------------


def test_whole_flow_returned_resubmitted_partly_approved_decided_into_history_and_eligibility(
    monkeypatch,
):
    """proposal → returned → resubmitted → partly approved → decision → the
    award is in the history, and next year's eligibility uses it."""
    conf, proposal = build_proposal(members=5, year=2023)
    p0 = conf.memberships[0].agency
    p1 = conf.memberships[1].agency
    council = UserFactory(
        username="hd.council", is_council_staff=True, province=conf.bloc_year.bloc.province
    )
    # p0 and p1 held Tập thể lao động xuất sắc in 2022 as well (imported history).
    for agency in (p0, p1):
        award_record_add(
            actor=None,
            agency=agency,
            award_type=conf.award("tt_ldxs"),
            year=2022,
            decision_number="99/QĐ-UBND",
            decision_date=datetime.date(2023, 3, 1),
            source=AwardSource.IMPORTED,
        )
    # Next year: the same bloc in 2024, where Bằng khen needs two consecutive
    # years of Tập thể lao động xuất sắc (2022 and 2023).
    next_year = BlocYearFactory(
        bloc=conf.bloc_year.bloc, year__province=conf.bloc_year.bloc.province, year__year=2024
    )
    add_member(next_year, p0, MemberRole.LEADER, 0)
    add_member(next_year, p1, MemberRole.MEMBER, 1)
    # (A rule counting the two years before the one under review.)
    certificate_rule = rule_for(year=2024, award_type=conf.award("bk_ubnd"))
    award_rule_set(
        actor=None,
        rule_set=certificate_rule.rule_set,
        award_type=conf.award("bk_ubnd"),
        prerequisites=[{"type": "award", "award_type": "tt_ldxs", "years": 2, "end_offset": 1}],
    )

    def eligible(agency):
        results = evaluate(bloc_year=next_year, award_type=conf.award("bk_ubnd"))
        return next(r for r in results if r.agency == agency)

    assert not eligible(p0).eligible

    proposal_submit(actor=conf.secretariat, proposal=proposal)
    proposal_return(actor=council, proposal=proposal, reason="Bổ sung biên bản họp khối")
    proposal_submit(actor=conf.secretariat, proposal=proposal)
    proposal_receive(actor=council, proposal=proposal)
    items = items_by(proposal)
    approved = {items[("p0", "tt_ldxs")].pk, items[("p3", "bk_ubnd")].pk}
    proposal_items_decide(actor=council, proposal=proposal, approved_ids=approved)
    decision = decision_record(
        actor=council,
        proposal=proposal,
        number="215/QĐ-UBND",
        date=datetime.date(2024, 3, 15),
        signer="Chủ tịch UBND tỉnh",
    )

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DECIDED
    assert BlocYear.objects.get(pk=conf.bloc_year.pk).phase == Phase.DECIDED
    records = AwardRecord.objects.filter(decision_number="215/QĐ-UBND")
    assert {(r.agency.code, r.award_type.code) for r in records} == {
        ("p0", "tt_ldxs"),
        ("p3", "bk_ubnd"),
    }
    assert {r.source for r in records} == {AwardSource.DECISION}
    assert decision.proposal_id == proposal.pk
    history = list(award_history(agency_ids=lineage_ids(p0)))
    assert [(r.year, r.award_type.code) for r in history] == [(2023, "tt_ldxs"), (2022, "tt_ldxs")]
    # p1 was proposed but not approved: no record, so still not eligible.
    assert not AwardRecord.objects.filter(agency=p1, year=2023).exists()
    assert eligible(p0).eligible
    assert not eligible(p1).eligible
    assert list(
        AuditEvent.objects.filter(target_id=str(proposal.pk), action__startswith="proposal.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "proposal.create",
        "proposal.submit",
        "proposal.return",
        "proposal.submit",
        "proposal.receive",
        "proposal.items_decide",
        "proposal.decide",
    ]


def test_submit_after_the_deadline_is_accepted_once_the_council_extends_it(monkeypatch):
    conf, proposal = build_proposal(members=4, deadline=datetime.date(2024, 1, 31))
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *a, **k: datetime.date(2024, 2, 3)
    )
    with pytest.raises(ValidationError, match="gia hạn"):
        proposal_submit(actor=conf.secretariat, proposal=proposal)
    council = UserFactory(is_council_staff=True, province=conf.bloc_year.bloc.province)

    deadline_extend(
        actor=council,
        bloc_year=conf.bloc_year,
        step=DeadlineStep.PROPOSAL,
        deadline=datetime.date(2024, 2, 5),
        reason="Khối tổ chức hội nghị muộn do sáp nhập",
    )
    proposal = proposal_submit(actor=conf.secretariat, proposal=proposal)

    assert proposal.state == ProposalState.SUBMITTED


def test_the_services_answer_the_same_rules_as_the_pages():
    """The secretariat prepares and submits; the province's council receives,
    returns and decides; a member's head does neither."""
    conf, proposal = build_proposal(members=4)
    province = conf.bloc_year.bloc.province
    council = UserFactory(is_council_staff=True, province=province)
    head = conf.heads[-1]
    item = proposal.items.first()

    for actor in (head, council):
        with pytest.raises(PermissionDenied):
            proposal_refresh(actor=actor, proposal=proposal)
        with pytest.raises(PermissionDenied):
            proposal_item_remove(actor=actor, item=item)
        with pytest.raises(PermissionDenied):
            proposal_submit(actor=actor, proposal=proposal)
    proposal_submit(actor=conf.secretariat, proposal=proposal)

    for actor in (head, conf.secretariat):
        with pytest.raises(PermissionDenied):
            proposal_receive(actor=actor, proposal=proposal)
        with pytest.raises(PermissionDenied):
            proposal_return(actor=actor, proposal=proposal, reason="Thiếu biên bản.")
    proposal = proposal_receive(actor=council, proposal=proposal)
    with pytest.raises(PermissionDenied):
        proposal_items_decide(actor=conf.secretariat, proposal=proposal, approved_ids={item.pk})
    with pytest.raises(PermissionDenied):
        decision_record(
            actor=conf.secretariat,
            proposal=proposal,
            number="215/QĐ-UBND",
            date=datetime.date(2024, 1, 15),
            signer="Chủ tịch UBND tỉnh",
        )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.RECEIVED
