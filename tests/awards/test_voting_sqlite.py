"""The embedded SQLite database (the default of `make run`) under a real
vote: heads casting at the same moment all get their ballot or a clear
refusal, never a server error. Runs in a subprocess on an SQLite file, as the
test database is an in-memory one whose locking is not the file's."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _environment(database: Path, media: Path, **extra_env: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(media),
        DJANGO_ALLOW_ASYNC_UNSAFE="true",
        **extra_env,
    )
    return env


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """One migrated SQLite file for the module; each test votes on a copy."""
    directory = tmp_path_factory.mktemp("sqlite-template")
    database = directory / "db.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=_environment(database, directory / "media"),
        check=True,
        timeout=300,
    )
    return database


@pytest.fixture
def burst(tmp_path, migrated):
    def run(*args: str, **extra_env: str) -> dict:
        return _burst(tmp_path, migrated, *args, **extra_env)

    return run


def _burst(tmp_path, migrated: Path, *args: str, **extra_env: str) -> dict:
    database = tmp_path / "db.sqlite3"
    shutil.copyfile(migrated, database)
    env = _environment(database, tmp_path / "media", **extra_env)
    result = subprocess.run(
        [sys.executable, "-m", "tests.awards.sqlite_vote_burst", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_ten_heads_voting_at_once_on_sqlite_all_get_a_ballot_or_a_clear_refusal(burst):
    outcome = burst("10")

    statuses = [a["status"] for a in outcome["answers"]]
    assert len(statuses) == 10
    assert 500 not in statuses, statuses
    counted = [a for a in outcome["answers"] if a["receipt"]]
    refused = [a for a in outcome["answers"] if not a["receipt"]]
    assert all(a["busy"] for a in refused), outcome["answers"]
    assert outcome["ballots"] == outcome["voter_records"] == len(counted)
    # With immediate transactions and a busy timeout, every ballot goes in.
    assert len(counted) == 10
    assert outcome["journal_mode"] == "wal"


def test_twenty_casts_for_one_agency_on_sqlite_give_one_ballot_and_no_error(burst):
    outcome = burst("20", "same")

    statuses = [a["status"] for a in outcome["answers"]]
    assert 500 not in statuses, statuses
    assert sum(a["receipt"] for a in outcome["answers"]) == 1
    assert all(a["refused"] for a in outcome["answers"] if not a["receipt"])
    assert outcome["ballots"] == outcome["voter_records"] == 1


def test_a_ballot_the_busy_database_cannot_take_gets_a_clear_message_not_an_error(burst):
    """Without any wait for the lock, casts that collide are refused with a
    message that says the ballot was not recorded; what was shown a receipt
    is counted, and nothing else. A cast whose very first read (the session,
    the user) meets the busy database, before the ballot page is reached,
    gets the "temporarily unavailable" page (503, try again): also never a
    server error, with DEBUG on as `make run` serves."""
    # Thirty at once: a cast holds the write lock briefly, and ten did not
    # always meet one another.
    outcome = burst("30", SQLITE_BUSY_TIMEOUT="0")

    statuses = [a["status"] for a in outcome["answers"]]
    assert 500 not in statuses, [a["error"] for a in outcome["answers"] if a["error"]]
    counted = [a for a in outcome["answers"] if a["receipt"]]
    refused = [a for a in outcome["answers"] if not a["receipt"]]
    assert refused, outcome["answers"]
    assert all((a["busy"] and a["refused"]) or a["unavailable"] for a in refused), outcome[
        "answers"
    ]
    assert outcome["ballots"] == outcome["voter_records"] == len(counted)


def test_a_head_who_finds_the_database_locked_gets_the_unavailable_page_not_an_error(burst):
    """The whole file is locked by another connection and nobody waits: the
    heads' requests fail on their first read, the session's, in a middleware
    before the ballot page. With DEBUG on (as `make run` serves) Django used
    to answer that with its debug page and a 500."""
    outcome = burst("3", "locked", SQLITE_BUSY_TIMEOUT="0")

    assert [a["status"] for a in outcome["answers"]] == [503, 503, 503], [
        a["error"] for a in outcome["answers"]
    ]
    assert all(a["unavailable"] and not a["receipt"] for a in outcome["answers"])
    assert outcome["ballots"] == outcome["voter_records"] == 0
