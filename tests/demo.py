"""The demo data set for tests that need the whole demo.

``seed_demo`` walks four years of the cycle through the services; it costs
seconds. A test worker runs it once, then keeps a copy of every table and of
the files it wrote, and gives later tests that copy back: the same rows with
the same keys, in a few milliseconds. ``tests/emulation/test_seed_demo.py``
runs the command itself.
"""

from __future__ import annotations

import datetime
import io
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

# Tables the copy leaves alone: the migration history, and SQLite's own.
_KEPT = {"django_migrations", "sqlite_sequence"}


@dataclass
class _Copy:
    database: str
    tables: dict[str, object]  # table → rows (SQLite) or COPY text (PostgreSQL)
    files: Path


_copy: _Copy | None = None


def load_demo() -> None:
    """Put the demo in the test database in place of what it holds (the
    award catalogue and rule sets that migrations load included)."""
    global _copy
    database = str(connection.settings_dict["NAME"])
    if _copy is None or _copy.database != database:
        _reload_migration_data()
        call_command("seed_demo", force=True, stdout=io.StringIO())
        _copy = _Copy(database, _read_tables(), _save_files())
        return
    with transaction.atomic():
        _write_tables(_copy.tables)
    shutil.copytree(_copy.files, default_storage.location, dirs_exist_ok=True)
    for cache in caches.all():
        cache.clear()
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def _reload_migration_data() -> None:
    # A transactional test before this one flushed what the data migrations loaded.
    from tests.conftest import reload_migration_data

    reload_migration_data()


def _table_names() -> list[str]:
    return sorted(t for t in connection.introspection.table_names() if t not in _KEPT)


def _read_tables() -> dict[str, object]:
    quote = connection.ops.quote_name
    tables: dict[str, object] = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for table in _table_names():
                with raw.copy(f"COPY {quote(table)} TO STDOUT") as copy:
                    tables[table] = b"".join(bytes(block) for block in copy)
        return tables
    with connection.cursor() as cursor:
        for table in _table_names():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - table names from introspection
            columns = [c[0] for c in cursor.description]
            # SQLite hands times back as datetime.time but takes them only as text.
            rows = [
                tuple(v.isoformat() if isinstance(v, datetime.time) else v for v in row)
                for row in cursor.fetchall()
            ]
            tables[table] = (columns, rows)
    return tables


def _write_tables(tables: dict[str, object]) -> None:
    """Replace every table's rows by the copy's (foreign keys are checked at
    the end of the transaction, so the order does not matter)."""
    quote = connection.ops.quote_name
    names = list(tables)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE, not DELETE: the audit log's trigger refuses a DELETE.
            cursor.execute("TRUNCATE " + ", ".join(quote(t) for t in names))
            raw = cursor.cursor
            for table in names:
                if tables[table]:
                    with raw.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                        copy.write(tables[table])
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(sql)
            return
        for table in names:
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
        for table in names:
            columns, rows = tables[table]
            if rows:
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
                    f"VALUES ({', '.join(['%s'] * len(columns))})",
                    rows,
                )


def _save_files() -> Path:
    saved = Path(tempfile.mkdtemp(prefix="demo-files-"))
    location = Path(default_storage.location)
    if location.exists():
        shutil.copytree(location, saved, dirs_exist_ok=True)
    return saved
