"""Run by tests/awards/test_voting_sqlite.py in a subprocess, on a fresh SQLite
*file* (as `make run` serves): migrate, build a conference of ten present
agencies, then let every head post a ballot at the same moment through the
real stack (middleware, view, service), each thread with its own connection.
Prints one JSON line: the answers' status codes, the receipts shown, the
"busy" refusals, the "temporarily unavailable" pages and the rows written."""

from __future__ import annotations

import json
import os
import sqlite3
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from awards.models import Ballot, VoterRecord  # noqa: E402
from tests.concurrency import run_concurrently  # noqa: E402
from tests.factories.meeting import build_conference  # noqa: E402

VOTERS = int(sys.argv[1]) if len(sys.argv) > 1 else 10
SAME_AGENCY = len(sys.argv) > 2 and sys.argv[2] == "same"
# "locked": another connection holds the whole file locked while the heads
# post, so that even their first read (the session) finds it busy.
LOCKED = len(sys.argv) > 2 and sys.argv[2] == "locked"


def main() -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    conf = build_conference(members=max(VOTERS, 3))
    poll = conf.open_poll(conf.memberships[:3])
    candidate = poll.candidates.first().pk
    vote_url = reverse("awards:poll_vote", args=[poll.pk])
    clients = []
    for i in range(VOTERS):
        client = Client(raise_request_exception=False)
        client.force_login(conf.heads[0 if SAME_AGENCY else i])
        clients.append(client)
    agencies = [conf.memberships[0 if SAME_AGENCY else i].agency.pk for i in range(VOTERS)]
    connection.close()
    if LOCKED:
        holder = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE django_session SET expire_date = expire_date")

    def vote(i: int) -> dict:
        response = clients[i].post(
            vote_url, {"agency": agencies[i], "candidates": [candidate]}, follow=False
        )
        html = response.content.decode()
        return {
            "status": response.status_code,
            "receipt": 'class="receipt-code' in html,
            "busy": "đang bận" in html,
            "refused": "alert-danger" in html,
            # The "temporarily unavailable" page: the database did not even
            # answer the reads before the ballot (the session, the user).
            "unavailable": response.status_code == 503 and "tạm thời" in html,
            # A server error names its exception, so that a failing run says why.
            "error": repr(response.exc_info[1]) if response.status_code == 500 else "",
        }

    answers = [outcome.value for outcome in run_concurrently(VOTERS, vote, refusals=())]
    if LOCKED:
        holder.execute("ROLLBACK")
        holder.close()
    print(
        json.dumps(
            {
                "answers": answers,
                "ballots": Ballot.objects.filter(poll=poll).count(),
                "voter_records": VoterRecord.objects.filter(poll=poll).count(),
                "journal_mode": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
