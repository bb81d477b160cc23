"""The rows every autosave and every ballot write are written with each index
of their tables: those tables keep only the indexes their readers use."""

import pytest
from django.db import connection

from awards.models import Ballot, BallotChoice, VoterRecord
from blocs.models import ItemScore
from emulation.models import AuditEvent

WRITTEN_BY_EVERY_POST = [AuditEvent, ItemScore, VoterRecord, Ballot, BallotChoice]


def _indexes(model) -> dict[str, dict]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, model._meta.db_table)


@pytest.mark.parametrize("model", WRITTEN_BY_EVERY_POST, ids=lambda m: m.__name__)
def test_no_index_repeats_the_head_of_another(db, model):
    """A foreign key's own index is left out where a unique constraint
    already leads with its column (PostgreSQL and SQLite alike)."""
    indexes = {name: c for name, c in _indexes(model).items() if c["index"] or c["unique"]}
    repeated = [
        (name, c["columns"], other_name)
        for name, c in indexes.items()
        if not c["unique"]
        for other_name, other in indexes.items()
        if other_name != name and other["columns"][: len(c["columns"])] == c["columns"]
    ]
    assert repeated == []


def test_the_audit_log_is_indexed_for_its_readers_only(db):
    """An object's history (type and key), the log by action (matched whole:
    no index for LIKE), by time and by actor."""
    indexed = sorted(
        tuple(c["columns"])
        for c in _indexes(AuditEvent).values()
        if c["index"] and not c["primary_key"]
    )
    assert indexed == [
        ("action",),
        ("actor_id",),
        ("created_at",),
        ("target_type_id", "target_id"),
    ]
