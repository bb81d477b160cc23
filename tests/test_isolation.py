"""The test suite never touches the database that DATABASE_URL names: only
the test database (test_… on PostgreSQL, in memory on SQLite) is created,
written and dropped. CI also runs the whole suite on a fresh, unmigrated
PostgreSQL database and checks that it is still empty afterwards (.ci/run)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def fresh_database(tmp_path):
    """An empty database of the vendor the suite runs on: its URL and a
    function listing its tables."""
    if connection.vendor != "postgresql":
        path = tmp_path / "real.sqlite3"

        def tables():
            if not path.exists():
                return []
            with sqlite3.connect(path) as db:
                return db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()

        yield f"sqlite:///{path}", tables
        return
    s = connection.settings_dict
    name = f"emu_isolation_{uuid.uuid4().hex[:12]}"
    server = {
        "host": s["HOST"] or None,
        "port": s["PORT"] or None,
        "user": s["USER"] or None,
        "password": s["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:

        def tables():
            with psycopg.connect(dbname=name, **server) as db:
                return db.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                ).fetchall()

        auth = f"{s['USER']}:{s['PASSWORD']}@" if s["PASSWORD"] else f"{s['USER']}@"
        yield f"postgres://{auth}{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}", tables
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'DROP DATABASE IF EXISTS "test_{name}" WITH (FORCE)')


def test_a_test_run_leaves_the_configured_database_untouched(tmp_path):
    """A run of transactional tests (whose teardown puts the catalogue back;
    on SQLite they are skipped) on a fresh, unmigrated database: it passes,
    and the database named by DATABASE_URL is still empty."""
    with fresh_database(tmp_path) as (url, tables):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST")}
        env["DATABASE_URL"] = url

        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-p",
                "no:xdist",
                "tests/awards/test_voting_concurrency.py",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
        assert tables() == []
