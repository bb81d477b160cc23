"""Schema operations the apps' migrations share."""

from __future__ import annotations

from django.db import migrations


def foreign_keys_unindexed(
    fields: list[migrations.AlterField], own_indexes: list[tuple[str, str, str]]
) -> migrations.SeparateDatabaseAndState:
    """Foreign keys turned to ``db_index=False`` (``fields``, for Django's
    state) whose own indexes — (table, column, index name) — are dropped by
    name, and made again when the migration is reversed.

    Not by ``AlterField`` alone: on PostgreSQL it drops every single-column
    btree index on the column, partial unique ones included (a bloc-year's one
    leader and one deputy), and checks every foreign key again."""
    return migrations.SeparateDatabaseAndState(
        state_operations=fields,
        database_operations=[
            migrations.RunSQL(
                sql=[f'DROP INDEX IF EXISTS "{name}"' for _table, _column, name in own_indexes],
                reverse_sql=[
                    f'CREATE INDEX "{name}" ON "{table}" ("{column}")'
                    for table, column, name in own_indexes
                ],
            )
        ],
    )
