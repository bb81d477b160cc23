"""Concurrent locks and dispute resolutions on PostgreSQL (each thread with its
own connection): exactly one succeeds, the others are refused cleanly."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from blocs import services
from blocs.models import Adjustment, FinalScore
from emulation.models import AuditEvent
from tests.factories.review import make_env, verify_all


def _race(n, action):
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    guard = threading.Lock()

    def run():
        try:
            barrier.wait()
            action()
            outcome = "ok"
        except ValidationError:
            outcome = "refused"
        finally:
            connection.close()
        with guard:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_locks_write_one_snapshot(cast):
    env = make_env(cast, members=3)
    verify_all(env)
    services.review_release(actor=env.secretariat, bloc_year=env.bloc_year)

    outcomes = _race(
        6, lambda: services.review_lock(actor=env.secretariat, bloc_year=env.bloc_year)
    )

    assert sorted(outcomes) == ["ok"] + ["refused"] * 5
    assert FinalScore.objects.filter(bloc_year=env.bloc_year).count() == 3
    assert AuditEvent.objects.filter(action="review.lock").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_resolutions_of_one_dispute(cast):
    env = make_env(cast, members=3)
    verify_all(env, {cast.member.pk: {"1.1": ("20", "Thiếu minh chứng")}})
    services.review_release(actor=env.secretariat, bloc_year=env.bloc_year)
    dispute = services.dispute_open(
        actor=cast.officer,
        assessment=env.assessment(cast.member),
        criterion=env.table.criteria["1.1"],
        explanation="Đã có minh chứng",
    )

    outcomes = _race(
        6,
        lambda: services.dispute_resolve(
            actor=env.secretariat, dispute=dispute, accept=True, resolution="Chấp nhận"
        ),
    )

    assert sorted(outcomes) == ["ok"] + ["refused"] * 5
    assert Adjustment.objects.filter(dispute=dispute).count() == 1
