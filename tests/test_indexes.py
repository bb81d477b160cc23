"""Every row is written with each index of its table: a table keeps only the
indexes its readers use (README, "Indexes")."""

import pytest
from django.apps import apps
from django.db import connection

from emulation.models import AuditEvent

MODELS = [
    m for m in apps.get_models() if m._meta.app_label in {"emulation", "blocs", "awards", "api"}
]


def _indexes(model) -> dict[str, dict]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, model._meta.db_table)


def _partial(model) -> set[str]:
    """The names of the model's partial constraints and indexes: they leave
    rows out, so they serve no lookup of every row."""
    declared = [*model._meta.constraints, *model._meta.indexes]
    return {c.name for c in declared if getattr(c, "condition", None) is not None}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_no_index_repeats_the_head_of_another(db, model):
    """A foreign key's own index is left out where a unique constraint (or
    another index) already leads with its column."""
    # Left out besides the partial ones: on PostgreSQL, the LIKE index Django
    # adds beside a unique text column's (another operator class, for prefix
    # matches), named so.
    left_out = _partial(model)
    indexes = {
        name: c
        for name, c in _indexes(model).items()
        if (c["index"] or c["unique"])
        and c["columns"]
        and name not in left_out
        and not name.endswith("_like")
    }
    repeated = [
        (name, c["columns"], other_name)
        for name, c in indexes.items()
        if not c["unique"]
        for other_name, other in indexes.items()
        if other_name != name and other["columns"][: len(c["columns"])] == c["columns"]
    ]
    assert repeated == []


def test_the_audit_log_is_indexed_for_its_readers_only(db):
    """Every state change writes an event. An object's history (type and
    key), the log by action (matched whole: no index for LIKE), by time and
    by actor."""
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
