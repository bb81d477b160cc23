"""Concurrent locks and dispute resolutions on PostgreSQL (each thread with its
own connection): exactly one succeeds, the others are refused cleanly."""

from __future__ import annotations

import pytest

from blocs import services
from blocs.models import Adjustment, FinalScore
from emulation.models import AuditEvent
from tests.concurrency import run_concurrently
from tests.factories.review import make_env, verify_all


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_locks_write_one_snapshot(cast):
    env = make_env(cast, members=3)
    verify_all(env)
    services.review_release(actor=env.secretariat, bloc_year=env.bloc_year)

    outcomes = run_concurrently(
        6, lambda _i: services.review_lock(actor=env.secretariat, bloc_year=env.bloc_year)
    )

    assert sorted(o.kind for o in outcomes) == ["ok"] + ["refused"] * 5
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

    outcomes = run_concurrently(
        6,
        lambda _i: services.dispute_resolve(
            actor=env.secretariat, dispute=dispute, accept=True, resolution="Chấp nhận"
        ),
    )

    assert sorted(o.kind for o in outcomes) == ["ok"] + ["refused"] * 5
    assert Adjustment.objects.filter(dispute=dispute).count() == 1
