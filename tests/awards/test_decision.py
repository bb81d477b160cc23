"""Recording the council's decision: approved items become award records."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.enums import AwardSource, ItemDecision, ProposalState
from awards.models import AwardRecord, Decision
from awards.services import (
    award_record_add,
    decision_record,
    proposal_items_decide,
    proposal_receive,
    proposal_submit,
)
from emulation.models import AuditEvent
from tests.factories.proposal import build_proposal

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def received(**kwargs):
    conf, proposal = build_proposal(**kwargs)
    proposal_submit(actor=conf.secretariat, proposal=proposal)
    proposal_receive(actor=None, proposal=proposal)
    return conf, proposal


def decide(proposal, **kwargs):
    values = {
        "actor": None,
        "proposal": proposal,
        "number": "215/QĐ-UBND",
        "date": datetime.date(2024, 3, 15),
        "signer": "Chủ tịch UBND tỉnh",
    }
    values.update(kwargs)
    return decision_record(**values)


def test_decision_with_a_scan_grants_only_the_approved_items():
    conf, proposal = received(members=4)
    approved = set(proposal.items.filter(award_type__code="tt_ldxs").values_list("pk", flat=True))
    proposal_items_decide(actor=None, proposal=proposal, approved_ids=approved)

    decision = decide(
        proposal, scanned_file=SimpleUploadedFile("qd-215.pdf", PDF, "application/pdf")
    )

    assert decision.scanned_name == "qd-215.pdf"
    assert decision.scanned_file.name.startswith("decisions/")
    assert "qd-215" not in decision.scanned_file.name  # random storage name
    records = AwardRecord.objects.filter(decision_number="215/QĐ-UBND")
    assert sorted(records.values_list("agency__code", flat=True)) == ["p0", "p1", "p2"]
    assert set(records.values_list("award_type__code", flat=True)) == {"tt_ldxs"}
    assert set(records.values_list("year", flat=True)) == {2023}
    assert all(i.award_record_id for i in proposal.items.filter(decision=ItemDecision.APPROVED))
    assert not proposal.items.filter(decision=ItemDecision.REJECTED, award_record__isnull=False)
    assert AuditEvent.objects.filter(action="proposal.decide").count() == 1


def test_decision_takes_over_an_imported_record_instead_of_duplicating_it():
    conf, proposal = received(members=4)
    item = proposal.items.get(agency__code="p0", award_type__code="tt_ldxs")
    imported = award_record_add(
        actor=None,
        agency=item.agency,
        award_type=item.award_type,
        year=2023,
        decision_number="215/QĐ-UBND",
        decision_date=datetime.date(2024, 3, 15),
        source=AwardSource.IMPORTED,
    )
    proposal_items_decide(actor=None, proposal=proposal, approved_ids={item.pk})

    decide(proposal)

    imported.refresh_from_db()
    assert imported.source == AwardSource.DECISION
    assert AwardRecord.objects.filter(agency=item.agency, year=2023).count() == 1
    item.refresh_from_db()
    assert item.award_record_id == imported.pk


def test_decision_refused_while_items_are_undecided():
    conf, proposal = received(members=4)

    with pytest.raises(ValidationError, match="mục|đề nghị"):
        decide(proposal)
    assert not Decision.objects.exists()


def test_decision_refused_when_nothing_is_approved():
    conf, proposal = received(members=4)
    proposal_items_decide(actor=None, proposal=proposal, approved_ids=set())

    with pytest.raises(ValidationError, match="trả lại"):
        decide(proposal)
    assert not AwardRecord.objects.exists()


def test_decision_refused_on_a_proposal_not_received():
    conf, proposal = build_proposal(members=4)
    proposal_submit(actor=conf.secretariat, proposal=proposal)

    with pytest.raises(ValidationError):
        decide(proposal)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED


def test_decision_refuses_a_future_date_and_a_wrong_file():
    conf, proposal = received(members=4)
    proposal_items_decide(actor=None, proposal=proposal, approved_ids={proposal.items.first().pk})

    with pytest.raises(ValidationError):
        decide(proposal, date=datetime.date(2999, 1, 1))
    with pytest.raises(ValidationError):
        decide(proposal, scanned_file=SimpleUploadedFile("qd.pdf", b"not a pdf", "text/plain"))
    with pytest.raises(ValidationError):
        decide(proposal, number="  ")
    assert not Decision.objects.exists() and not AwardRecord.objects.exists()
