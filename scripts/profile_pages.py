"""In-process CPU time per request of each main page, for A/B comparisons on
a shared machine: the process's own CPU time (time.process_time) around each
request through django.test.Client, N requests per page, best and median.
Another engineer's load changes the wall clock, not much this process's CPU.

    DATABASE_URL=postgres://…/mydb python scripts/profile_pages.py [-n 40]
    python scripts/profile_pages.py --profile assessment   # cProfile, top 40
    python scripts/profile_pages.py --sql dashboard        # the queries of one request

The database must hold the demo (seed_demo --force) and some load data
(generate_load_data … --meetings N) for the ballots; the pages and the users
are bench.py's, so the figures compare with `make bench`'s.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "profile-pages-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import bench  # noqa: E402 - the pages, users and helpers of `make bench`

bench.setup_django()

from django.test import Client  # noqa: E402


def signed_in(user, client: Client | None = None) -> Client:
    """``client`` (a new one by default) signed in as ``user``. One client
    serves many users where it can: a new client loads the middleware anew
    (WhiteNoise scans the static files), which a server does once."""
    client = client or Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(user)
    bench.pass_second_factor(client.session, user)
    return client


def measure(requests, n: int) -> list[float]:
    """CPU ms of each of ``n`` calls of the next request (after two to warm)."""
    for _ in range(2):
        next(requests)()
    costs = []
    for _ in range(n):
        request = next(requests)
        started = time.process_time()
        request()
        costs.append((time.process_time() - started) * 1000)
    return costs


def python_calls(requests, n: int = 3) -> int:
    """Python function calls per request (the fewest of ``n``): unlike the
    CPU time, it does not move with what else the machine runs."""
    fewest = None
    for _ in range(n):
        request = next(requests)
        profiler = cProfile.Profile()
        profiler.runcall(request)
        calls = pstats.Stats(profiler).total_calls
        fewest = calls if fewest is None else min(fewest, calls)
    return fewest


def repeat(client: Client, path: str, check=None):
    def request():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if check:
            assert check(response.content), path

    while True:
        yield request


def page_requests(n: int) -> dict:
    objects = bench.demo_objects()
    poll = bench.open_poll(objects["poll"])
    head = bench.ballot_page_head(objects, poll)
    jobs = {"trivial": repeat(Client(), "/healthz")}
    # What every page and post pays before its view runs (no target).
    jobs["signed_in_trivial"] = repeat(signed_in(objects["assessment_user"]), "/healthz")
    pages = bench.page_paths(objects)
    pages["ballot_page"] = (head, f"/polls/{poll.pk}/vote/")
    for name, (user, path) in pages.items():
        jobs[name] = repeat(signed_in(user), path)
    jobs["signed_in_write"] = language_changes()
    jobs["autosave"] = autosaves()
    jobs["ballot"] = ballots()
    return jobs


def language_changes():
    """The cheapest audited write (no target): a load-data officer's choice of
    language, English and Vietnamese in turn, each a change, as in the bench."""
    (writer,) = bench.language_writers(1)
    client = signed_in(writer)
    for n in range(1_000_000):
        language = "en" if n % 2 == 0 else "vi"

        def request(language=language):
            response = post_form(client, "/i18n/setlang/", {"language": language})
            assert response.status_code == 302, response.status_code

        yield request


def post_form(client: Client, path: str, data: dict, **headers):
    """A form posted as a browser and htmx post it, and as the bench does:
    urlencoded (the test client's default, multipart, costs the server more)."""
    return client.post(
        path,
        urlencode(data, doseq=True),
        content_type="application/x-www-form-urlencoded",
        **headers,
    )


def autosaves():
    """Each call a real save of the next editable row, at its version."""
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    rows = bench.autosave_rows()  # the versions as they stand: pass n saves each row once more
    for n in range(1000):
        for row in rows:
            signed_in(row["user"], client)

            def request(row=row, n=n):
                response = post_form(
                    client,
                    row["path"],
                    {"field": "note", "note": f"Ghi chú {n}", "version": row["version"] + n},
                    HTTP_HX_REQUEST="true",
                )
                assert bench.saved(response.content), response.content[:500]

            yield request


def ballots():
    """Each call a different head's first ballot in a load-data poll."""
    from awards.models import Attendance, Poll, VoterRecord
    from emulation.models import User

    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    for poll in Poll.objects.filter(
        state__in=["draft", "open"], meeting__bloc_year__bloc__code__startswith="load-"
    ).order_by("pk"):
        poll = bench.open_poll(poll)
        candidate = bench.first_candidate(poll)
        voted = set(VoterRecord.objects.filter(poll=poll).values_list("agency_id", flat=True))
        for attendance in (
            Attendance.objects.filter(meeting_id=poll.meeting_id)
            .exclude(membership__agency_id__in=voted)
            .select_related("membership")
        ):
            agency = attendance.membership.agency_id
            head = User.objects.filter(agency_id=agency, agency_role="head").first()
            signed_in(head, client)

            def request(poll=poll, agency=agency, candidate=candidate):
                response = post_form(
                    client, f"/polls/{poll.pk}/vote/", {"agency": agency, "candidates": [candidate]}
                )
                assert bench.RECEIPT.search(response.content), response.content[:500]

            yield request
    raise SystemExit("no ballot left: generate_load_data --meetings N gives more polls")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=40, help="requests per page (default 40)")
    parser.add_argument("--only", nargs="*", help="these pages only")
    parser.add_argument("--profile", metavar="PAGE", help="cProfile one page, print the top")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--sql", metavar="PAGE", help="print the queries of one request")
    args = parser.parse_args()
    jobs = page_requests(args.n)
    if args.sql:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        requests = jobs[args.sql]
        measure(requests, 2)
        request = next(requests)  # a post's sign-in, made here, is not its request's
        with CaptureQueriesContext(connection) as queries:
            request()
        for number, query in enumerate(queries.captured_queries, 1):
            print(f"{number:>3} {query['time']:>6}s  {query['sql']}")
        return
    if args.profile:
        requests = jobs[args.profile]
        measure(requests, 2)
        profiler = cProfile.Profile(time.process_time)
        for _ in range(args.n):
            # Only the request: an autosave's or a ballot's sign-in, made
            # when the next one is drawn, is the driver's work.
            request = next(requests)
            profiler.runcall(request)
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
        return
    names = args.only or list(jobs)
    if "trivial" not in names:
        names.insert(0, "trivial")
    results = {name: measure(jobs[name], args.n) for name in names}
    calls = {name: python_calls(jobs[name]) for name in names}
    trivial = min(results["trivial"])
    print(f"{'page':<17} {'best ms':>8} {'median':>8} {'ratio':>6} {'calls':>7}  (CPU, n={args.n})")
    for name, costs in results.items():
        best = min(costs)
        print(
            f"{name:<17} {best:8.2f} {statistics.median(costs):8.2f} {best / trivial:6.1f}"
            f" {calls[name]:7d}"
        )


if __name__ == "__main__":
    main()
