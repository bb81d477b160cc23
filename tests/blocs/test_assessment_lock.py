"""An autosave locks its assessment and holds its bloc-year against a change
(not against the other members' saves), and leaves free the rows shared by
the whole province (its year, the bloc): on PostgreSQL, each in its own
connection."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from blocs.models import BlocYear, EmulationYear, ItemScore
from blocs.services.assessment import item_score_save
from tests.concurrency import held_open


def _autosave(cast, window):
    """The member's save of a score, to hold open."""
    return lambda: item_score_save(
        actor=cast.officer,
        assessment=window.assessment,
        criterion=window.criteria["1.1"],
        field="score",
        value=Decimal("9.5"),
        base_version=0,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_autosave_leaves_the_province_s_year_free_and_holds_its_bloc_year(cast, window):
    with held_open(_autosave(cast, window)):
        with transaction.atomic():
            year = EmulationYear.objects.select_for_update(nowait=True).get(
                pk=cast.bloc_year.year_id
            )
        with pytest.raises(DatabaseError), transaction.atomic():
            BlocYear.objects.select_for_update(nowait=True).get(pk=cast.bloc_year.pk)
    assert year.pk == cast.bloc_year.year_id


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_members_of_a_bloc_save_at_once_and_the_phase_waits_for_them(cast, window):
    """The bloc-year is held against a change (its phase, its deadline), not
    against another member's save: while one member's save is under way,
    another member of the bloc saves without waiting for it, and the phase
    cannot move until both have ended."""
    with held_open(_autosave(cast, window)), transaction.atomic():
        # A wait for the other save (ten seconds) would end this one's.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
        item_score_save(
            actor=cast.secretariat,
            assessment=window.leader_assessment,
            criterion=window.criteria["1.1"],
            field="score",
            value=Decimal("8"),
            base_version=0,
        )
        with pytest.raises(DatabaseError), transaction.atomic():
            BlocYear.objects.select_for_update(nowait=True).get(pk=cast.bloc_year.pk)
    scores = ItemScore.objects.filter(criterion=window.criteria["1.1"])
    assert sorted(scores.values_list("score", flat=True)) == [Decimal("8"), Decimal("9.5")]
