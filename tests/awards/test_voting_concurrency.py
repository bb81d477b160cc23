"""Casts at the same moment on PostgreSQL (each thread with its own
connection): 20 casts for the same agency give exactly one ballot; the heads
of different agencies cast without waiting for each other; the poll cannot
close under a cast, nor take one once closed."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext

from awards.enums import PollState
from awards.models import Ballot, BallotChoice, Poll, VoterRecord
from awards.services.voting import ballot_cast, poll_close
from tests.concurrency import held_open, run_concurrently
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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_heads_cast_at_once_and_the_poll_closes_only_after_their_casts():
    """While one head's cast is under way, another head casts without waiting
    for it (a wait would last ten seconds), and closing the poll must wait."""
    conf = build_conference(members=5, prefix="y")
    poll = conf.open_poll(conf.memberships[:2])
    candidate_id = poll.candidates.first().pk

    def first_cast():
        return ballot_cast(
            actor=conf.heads[2],
            poll=poll,
            agency_id=conf.memberships[2].agency_id,
            candidate_ids=[candidate_id],
        )

    with held_open(first_cast) as first, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
        second = ballot_cast(
            actor=conf.heads[3],
            poll=poll,
            agency_id=conf.memberships[3].agency_id,
            candidate_ids=[],
        )
        with pytest.raises(DatabaseError), transaction.atomic():
            Poll.objects.select_for_update(nowait=True).get(pk=poll.pk)

    assert first.receipt and second.receipt
    assert VoterRecord.objects.filter(poll=poll).count() == 2
    assert Ballot.objects.filter(poll=poll).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_cast_sent_while_the_poll_closes_waits_and_is_refused():
    """A head who sends a ballot while the secretariat closes the poll waits
    for the closing, then is told the poll is not open: the count made at
    closing is final."""
    conf = build_conference(members=6, prefix="x")
    poll = conf.open_poll(conf.memberships[:2])
    candidate_id = poll.candidates.first().pk
    for voter in range(4):  # two thirds of the members: enough ballots to close
        conf.cast(poll, voter, [0])
    refusals: list[ValidationError] = []

    def late_cast():
        try:
            ballot_cast(
                actor=conf.heads[4],
                poll=poll,
                agency_id=conf.memberships[4].agency_id,
                candidate_ids=[candidate_id],
            )
        except ValidationError as exc:
            refusals.append(exc)
        finally:
            connection.close()

    caster = threading.Thread(target=late_cast)
    with held_open(lambda: poll_close(actor=conf.secretariat, poll=poll)) as closed:
        caster.start()
        caster.join(1)
        assert caster.is_alive(), "the cast waits for the closing to end"
    caster.join(10)

    assert closed.state == PollState.CLOSED
    # Refused as the poll stands once closed, in the thread's language.
    assert [r.messages for r in refusals] == [[gettext("This poll is not open for voting.")]]
    assert VoterRecord.objects.filter(poll=poll).count() == 4
