"""An autosave locks its assessment and its bloc-year, not the rows shared by
the whole province (its year, the bloc): on PostgreSQL, each in its own
connection."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from blocs.models import BlocYear, EmulationYear
from blocs.services.assessment import item_score_save


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_autosave_leaves_the_province_s_year_free_and_holds_its_bloc_year(cast, window):
    saved, done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def autosave_held_open():
        try:
            with transaction.atomic():
                item_score_save(
                    actor=cast.officer,
                    assessment=window.assessment,
                    criterion=window.criteria["1.1"],
                    field="score",
                    value=Decimal("9.5"),
                    base_version=0,
                )
                saved.set()
                done.wait(10)
        except BaseException as exc:  # noqa: BLE001 - failed in the main thread
            errors.append(exc)
            saved.set()
        finally:
            connection.close()

    thread = threading.Thread(target=autosave_held_open)
    thread.start()
    try:
        assert saved.wait(10)
        with transaction.atomic():
            year = EmulationYear.objects.select_for_update(nowait=True).get(
                pk=cast.bloc_year.year_id
            )
        with pytest.raises(DatabaseError), transaction.atomic():
            BlocYear.objects.select_for_update(nowait=True).get(pk=cast.bloc_year.pk)
    finally:
        done.set()
        thread.join()
    assert not errors
    assert year.pk == cast.bloc_year.year_id
