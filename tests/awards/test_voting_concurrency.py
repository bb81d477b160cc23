"""Double submission on PostgreSQL: 20 concurrent casts for the same agency
(each thread with its own connection) give exactly one ballot."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from awards.models import Ballot, BallotChoice, VoterRecord
from awards.services.voting import ballot_cast
from tests.factories.meeting import build_conference


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_casts_for_one_agency_give_one_ballot():
    conf = build_conference(members=9)
    poll = conf.open_poll(conf.memberships[:3])
    candidate_id = poll.candidates.first().pk
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def cast():
        try:
            barrier.wait()
            receipt = ballot_cast(
                actor=conf.heads[4],
                poll=poll,
                agency=conf.memberships[4].agency,
                candidate_ids=[candidate_id],
            )
            outcome = f"ok:{receipt}"
        except ValidationError:
            outcome = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=cast) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(outcomes) == 20
    assert sum(o.startswith("ok:") for o in outcomes) == 1
    assert outcomes.count("refused") == 19
    assert VoterRecord.objects.filter(poll=poll).count() == 1
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert BallotChoice.objects.filter(ballot__poll=poll).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_casts_of_different_agencies_all_count():
    conf = build_conference(members=9, prefix="z")
    poll = conf.open_poll(conf.memberships[:3])
    candidate_id = poll.candidates.first().pk
    barrier = threading.Barrier(9)
    errors: list[Exception] = []

    def cast(i):
        try:
            barrier.wait()
            ballot_cast(
                actor=conf.heads[i],
                poll=poll,
                agency=conf.memberships[i].agency,
                candidate_ids=[candidate_id],
            )
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=(i,)) for i in range(9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert VoterRecord.objects.filter(poll=poll).count() == 9
    assert Ballot.objects.filter(poll=poll).count() == 9
