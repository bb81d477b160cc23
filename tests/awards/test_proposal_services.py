"""When a proposal is sent: the council sees the real moment."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from awards.services import proposal_submit
from tests.factories.proposal import build_proposal

pytestmark = pytest.mark.django_db


def test_a_submission_records_the_moment_it_is_made_not_nine_oclock():
    """A dossier sent at 15:44 reads 15:44 on the council's page (9:00 is only
    for the demo's back-dated history)."""
    conf, proposal = build_proposal(members=4, prefix="tm")
    moment = timezone.localtime().replace(hour=15, minute=44, second=0, microsecond=0)

    with mock.patch("django.utils.timezone.now", return_value=moment):
        proposal_submit(actor=conf.secretariat, proposal=proposal)

    proposal.refresh_from_db()
    assert timezone.localtime(proposal.submitted_at).strftime("%H:%M") == "15:44"


def test_a_back_dated_submission_keeps_nine_oclock_of_its_day():
    conf, proposal = build_proposal(members=4, prefix="tb")
    day = timezone.localdate() - datetime.timedelta(days=1)

    proposal_submit(actor=conf.secretariat, proposal=proposal, today=day)

    proposal.refresh_from_db()
    local = timezone.localtime(proposal.submitted_at)
    assert (local.date(), local.strftime("%H:%M")) == (day, "09:00")
