"""Double clicks on PostgreSQL: concurrent decisions on one proposal, and a
concurrent submit and return, leave one consistent outcome."""

from __future__ import annotations

import datetime

import pytest

from awards.models import AwardRecord, Decision
from awards.services import (
    decision_record,
    proposal_items_decide,
    proposal_receive,
    proposal_submit,
)
from tests.concurrency import run_concurrently
from tests.factories.proposal import build_proposal


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_decisions_record_one():
    conf, proposal = build_proposal(members=4, prefix="cc")
    proposal_submit(actor=conf.secretariat, proposal=proposal)
    proposal_receive(actor=None, proposal=proposal)
    approved = set(proposal.items.values_list("pk", flat=True))
    proposal_items_decide(actor=None, proposal=proposal, approved_ids=approved)

    outcomes = run_concurrently(
        10,
        lambda i: decision_record(
            actor=None,
            proposal=proposal,
            number=f"{200 + i}/QĐ-UBND",
            date=datetime.date(2024, 3, 15),
            signer="Chủ tịch UBND tỉnh",
        ),
    )

    assert sorted(o.kind for o in outcomes) == ["ok"] + ["refused"] * 9
    assert Decision.objects.count() == 1
    number = Decision.objects.get().number
    assert AwardRecord.objects.count() == len(approved)
    assert set(AwardRecord.objects.values_list("decision_number", flat=True)) == {number}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_count_one_submission():
    conf, proposal = build_proposal(members=4, prefix="cs")

    outcomes = run_concurrently(
        8, lambda i: proposal_submit(actor=conf.secretariat, proposal=proposal)
    )

    proposal.refresh_from_db()
    assert [o.kind for o in outcomes].count("ok") == 1
    assert proposal.submission_count == 1
