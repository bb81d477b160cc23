"""Double submission on PostgreSQL: 20 concurrent casts for the same agency
(each thread with its own connection) give exactly one ballot."""

from __future__ import annotations

import pytest

from awards.models import Ballot, BallotChoice, VoterRecord
from awards.services.voting import ballot_cast
from tests.concurrency import run_concurrently
from tests.factories.meeting import build_conference


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_casts_for_one_agency_give_one_ballot():
    conf = build_conference(members=9)
    poll = conf.open_poll(conf.memberships[:3])
    candidate_id = poll.candidates.first().pk
    outcomes = run_concurrently(
        20,
        lambda _i: ballot_cast(
            actor=conf.heads[4],
            poll=poll,
            agency_id=conf.memberships[4].agency_id,
            candidate_ids=[candidate_id],
        ),
    )

    assert len(outcomes) == 20
    assert sum(o.ok for o in outcomes) == 1
    assert next(o.value for o in outcomes if o.ok).receipt  # the one ballot's
    assert sum(not o.ok for o in outcomes) == 19
    assert VoterRecord.objects.filter(poll=poll).count() == 1
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert BallotChoice.objects.filter(ballot__poll=poll).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_casts_of_different_agencies_all_count():
    conf = build_conference(members=9, prefix="z")
    poll = conf.open_poll(conf.memberships[:3])
    candidate_id = poll.candidates.first().pk
    # Any refusal or error fails the test: every agency's ballot must count.
    run_concurrently(
        9,
        lambda i: ballot_cast(
            actor=conf.heads[i],
            poll=poll,
            agency_id=conf.memberships[i].agency_id,
            candidate_ids=[candidate_id],
        ),
        refusals=(),
    )

    assert VoterRecord.objects.filter(poll=poll).count() == 9
    assert Ballot.objects.filter(poll=poll).count() == 9
