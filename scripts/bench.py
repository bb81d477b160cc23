# ruff: noqa: S603 - the subprocesses are this script and manage.py, with fixed arguments
"""`make bench`: query counts, server time per page and the country-wide
ranking, on the small demo and on a synthetic national data set, against
PostgreSQL and gunicorn. Prints one line per figure: ``BENCH <name> <value>
[<unit>]``, a ``FAIL …`` line for every missed target, and exits non-zero when
any target is missed. Writes var/bench/report.html (an SVG chart of each
page's cost against the trivial view).

    python scripts/bench.py            # everything (what `make bench` runs)

Steps:
1. Fresh databases emu_bench_demo and emu_bench_national on the server of
   DATABASE_URL (default postgres://postgres@127.0.0.1:5432): migrate and
   seed_demo --force in both; generate_load_data in the national one
   (BENCH_NATIONAL_ARGS gives a smaller one while iterating).
2. Query counts per main page, in a subprocess per database (test Client and
   CaptureQueriesContext), for the same demo objects: they must be equal.
3. gunicorn (2 workers, DEBUG off, Redis as the shared cache) on the national
   database; a small threaded http.client driver, 20 concurrent clients, only
   127.0.0.1. **Each page alone**, one after the other in the same run,
   between two runs of the trivial view, and the whole round ROUNDS times
   over: a page's server time per request is 2 workers / its throughput, and
   the median of its rounds' ratios to the trivial view's (the mean of the
   runs on either side of each) is the headline (``alone_ratio_<page>``);
   the workers' CPU time per request (``alone_cpu_ratio_<page>``) is given
   beside it, as it does not depend on what else a shared machine runs. The
   trivial view asked by a signed-in user is measured the same way, with no
   target (``reference_ratio_signed_in_trivial``): what every page and post
   pays for its session, user and second-factor check. So is the cheapest
   audited write (``reference_ratio_signed_in_write``: a signed-in user's
   choice of language, its row and audit event committed to disk), what every
   post pays before its own work; each of its requests must have written
   (counted afterwards from the audit log). Each run's machine
   time per request is also split (from /proc, when PostgreSQL and Redis run
   on this machine) into the CPU time of the workers, the database, Redis and
   the clients, and the rest (cores idle while a request waits); without the
   clients' part, each ratio is given again (``alone_server_ratio_<page>``,
   no target). Then a **mixed run** (every page, autosaves and ballots
   interleaved at random) gives only the throughput and p95 under a realistic
   mix (``mixed_*``): in a mixed run every request waits in the same queue,
   so a ratio of its latencies says nothing about a page.
   Sessions (and the opened polls) are made by a probe subprocess; every
   ballot is a different head's first ballot, every autosave a real save of
   an editable demo assessment's row at its current version.
4. The ranking of every locked bloc-year in the country through the selector,
   against the equivalent hand-written SQL: the two in turn, five times, the
   best time of each, the heap collected before each (neither pays for the
   other's garbage).

The probes are the same file run with a sub-command (probe-queries,
probe-sessions, probe-writes, probe-ranking) inside Django.
"""

from __future__ import annotations

import gc
import itertools
import json
import os
import random
import re
import socket
import statistics
import string
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CONCURRENCY = 20
CORES = os.cpu_count() or 1
LOAD_SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))  # per run, at most
LOAD_REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))  # per endpoint, at most
TRIVIAL_RUN = 1000  # requests of each run of the trivial view
ROUNDS = 3  # runs of each endpoint alone: its figures are its median run's
NATIONAL_ARGS = os.environ.get(
    "BENCH_NATIONAL_ARGS",
    "--provinces 34 --blocs 40 --members 12 --criteria 40 --years 3",
).split()
SECRET_KEY = "bench-" + "".join(random.choices(string.ascii_letters + string.digits, k=50))  # noqa: S311
# The main pages (GET) and the two posts a person makes most.
PAGES = ["overview", "assessment", "ranking", "dashboard", "ballot_page", "inbox", "proposal"]
POSTS = ["autosave", "ballot"]
# Measured alone like a page, with no target: the trivial view asked by a
# signed-in user (session, user and second-factor check, before any view
# runs), what every page and post pays on top of the trivial view; and the
# cheapest audited write the product makes (a signed-in user's choice of
# language: the user's row and its audit event, one transaction, committed
# to disk), what every post pays before its own work.
REFERENCES = ["signed_in_trivial", "signed_in_write"]
# How many users choose their language in turn (each request changes it).
WRITERS = 100
# What an endpoint answers when it works, if not 200: the language's choice
# goes back to the page it was made on.
EXPECTED_STATUS = {"signed_in_write": 302}
TARGET_RATIO = {**dict.fromkeys(PAGES, 5), **dict.fromkeys(POSTS, 3)}
TARGET_DASHBOARD_P95_MS = 300
TARGET_RANKING_RATIO = 1.5
REPORT = ROOT / "var" / "bench" / "report.html"

failures: list[str] = []


def bench(name: str, value, unit: str = "") -> None:
    if isinstance(value, float):
        value = f"{value:.2f}" if value < 100 else f"{value:.0f}"
    print(f"BENCH {name} {value} {unit}".rstrip(), flush=True)


def fail(message: str) -> None:
    failures.append(message)
    print(f"FAIL {message}", flush=True)


def note(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


# --- databases ---------------------------------------------------------------


def database_url(name: str) -> str:
    base = urllib.parse.urlsplit(
        os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432"
    )
    return urllib.parse.urlunsplit(base._replace(path=f"/{name}"))


def admin_sql(*statements: str) -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


STATIC_ROOT = ROOT / "var" / "bench-static"
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/2")


def django_env(db_name: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DATABASE_URL=database_url(db_name),
        DJANGO_SETTINGS_MODULE="emulation.settings",
        DEBUG="false",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        PYTHONUNBUFFERED="1",
        STATIC_ROOT=str(STATIC_ROOT),
        # As deployed on several hosts: a shared Redis cache, which also
        # fronts the sessions (cached_db).
        CACHE_URL=CACHE_URL,
    )
    env.update(extra)
    return env


def manage(db_name: str, *args: str, quiet: bool = True) -> subprocess.Popen:
    return subprocess.Popen(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=django_env(db_name),
        stdout=subprocess.DEVNULL if quiet else None,
        stderr=None,
    )


def wait(process: subprocess.Popen, what: str) -> None:
    if process.wait() != 0:
        raise SystemExit(f"{what} failed (exit {process.returncode})")


def prepare_databases() -> None:
    """The demo database is migrated and seeded once; the national one starts
    as a copy of it (CREATE DATABASE … TEMPLATE) and gets the load data."""
    started = time.monotonic()
    admin_sql(
        'DROP DATABASE IF EXISTS "emu_bench_national" WITH (FORCE)',
        'DROP DATABASE IF EXISTS "emu_bench_demo" WITH (FORCE)',
        'CREATE DATABASE "emu_bench_demo"',
    )
    static = manage("emu_bench_demo", "collectstatic", "--noinput", "-v0")
    wait(manage("emu_bench_demo", "migrate", "--noinput", "-v0"), "migrate")
    wait(manage("emu_bench_demo", "seed_demo", "--force"), "seed_demo")
    wait(static, "collectstatic")
    bench("setup_demo_s", time.monotonic() - started, "s")
    admin_sql('CREATE DATABASE "emu_bench_national" TEMPLATE "emu_bench_demo"')
    note("generating the national data set: " + " ".join(NATIONAL_ARGS))
    load_started = time.monotonic()
    generate = subprocess.Popen(
        [PY, "manage.py", "generate_load_data", *NATIONAL_ARGS],
        cwd=ROOT,
        env=django_env("emu_bench_national"),
        stdout=subprocess.PIPE,
        text=True,
    )
    shown = 0.0
    for line in generate.stdout:
        if time.monotonic() - shown > 10 or "done" in line:
            note(line.strip())
            shown = time.monotonic()
    wait(generate, "generate_load_data")
    import psycopg

    with psycopg.connect(database_url("emu_bench_national"), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    bench("load_data_s", time.monotonic() - load_started, "s")
    bench("setup_s", time.monotonic() - started, "s")


# --- probes (run inside Django, in a subprocess) -----------------------------


def probe(command: str, db_name: str, **env: str) -> dict:
    result = subprocess.run(
        [PY, __file__, command],
        cwd=ROOT,
        env=django_env(db_name, **env),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"{command} on {db_name} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def demo_objects() -> dict:
    """The demo's objects that every page is measured on, in both databases."""
    from awards.models import Poll, Proposal
    from blocs.models import BlocYear, Province, SelfAssessment
    from emulation.models import User

    bloc_year = BlocYear.objects.select_related("bloc", "year").get(
        bloc__code="tmth", year__year=2023
    )
    assessment = (
        SelfAssessment.objects.filter(
            membership__bloc_year__bloc__code="tmth",
            membership__bloc_year__year__year=2024,
            membership__agency__code="ttt",
        )
        .select_related("membership__agency")
        .get()
    )
    national, _ = User.objects.get_or_create(
        username="bench.national",
        defaults={
            "full_name": "Cán bộ Ban Thi đua - Khen thưởng Trung ương",
            "is_council_staff": True,
            "is_national": True,
        },
    )
    poll = Poll.objects.get(meeting__bloc_year=bloc_year, award_type__code="co_tinh", round=1)
    # The whole-country overview is drawn only when there are several
    # provinces: an empty one makes the demo show it too, like for like.
    Province.objects.get_or_create(code="bench-empty", defaults={"name": "Tỉnh trống (bench)"})
    proposal = Proposal.objects.filter(bloc_year__bloc__code="tmth").order_by("pk").first()
    return {
        "dashboard_path": (
            f"/council/?province={bloc_year.bloc.province_id}&year={bloc_year.year.year}"
        ),
        "bloc_year": bloc_year,
        "secretariat": User.objects.get(username="vpubnd.officer"),
        "assessment": assessment,
        "assessment_user": User.objects.get(username="ttt.officer"),
        "national": national,
        "poll": poll,
        "proposal": proposal,
    }


def page_paths(objects: dict) -> dict[str, tuple]:
    """Each main page but the ballot: (user, path)."""
    return {
        "overview": (objects["secretariat"], f"/bloc-years/{objects['bloc_year'].pk}/"),
        "assessment": (objects["assessment_user"], f"/assessments/{objects['assessment'].pk}/"),
        "ranking": (objects["secretariat"], f"/bloc-years/{objects['bloc_year'].pk}/ranking/"),
        "dashboard": (objects["national"], objects["dashboard_path"]),
        "inbox": (objects["national"], "/council/proposals/"),
        "proposal": (objects["national"], f"/proposals/{objects['proposal'].pk}/"),
    }


def open_poll(poll):
    from awards.services import voting

    if poll.state == "draft":
        poll = voting.poll_open(actor=None, poll=poll)
    return poll


def ballot_page_head(objects: dict, poll):
    """The head whose ballot page is measured: one of the demo bloc-year's
    heads whose agency has not voted in ``poll``."""
    from awards.models import VoterRecord
    from emulation.models import User

    voted = set(VoterRecord.objects.filter(poll=poll).values_list("agency_id", flat=True))
    return (
        User.objects.filter(agency__memberships__bloc_year=objects["bloc_year"], agency_role="head")
        .exclude(agency_id__in=voted)
        .order_by("username")
        .first()
    )


def first_candidate(poll) -> int:
    return poll.candidates.filter(withdrawn=False).order_by("pk").values_list("pk", flat=True)[0]


def language_writers(count: int) -> list:
    """The users of the language's choice: load-data officers (no other
    request signs them in), each back to Vietnamese so that the first choice,
    English, is a change."""
    from emulation.models import User

    writers = list(
        User.objects.filter(agency__code__startswith="load-", agency_role="officer").order_by("pk")[
            :count
        ]
    )
    User.objects.filter(pk__in=[u.pk for u in writers]).update(language="vi")
    return writers


def autosave_rows() -> list[dict]:
    """Every row of the demo's editable assessments, with a user who may edit
    it and the row's current version: each autosave is a real save. The
    assessments take turns (the first row of each, then the second…), as the
    officers of several agencies save at the same time. Two saves of one
    assessment wait for each other (its lock): all twenty clients saving into
    one assessment at once, which its officers seldom do, would add that wait
    to what an autosave costs."""
    from blocs.models import Criterion, ItemScore, SelfAssessment
    from blocs.selectors.assessment import edit_refusal
    from emulation.models import User

    per_assessment = []
    for assessment in (
        SelfAssessment.objects.filter(membership__agency__code__in=DEMO_AGENCIES)
        .select_related("membership__bloc_year", "membership__agency")
        .order_by("pk")
    ):
        users = User.objects.filter(agency_id=assessment.membership.agency_id).order_by("pk")
        user = next((u for u in users if edit_refusal(u, assessment) is None), None)
        if user is None:
            continue
        versions = dict(
            ItemScore.objects.filter(assessment=assessment).values_list("criterion_id", "version")
        )
        per_assessment.append(
            [
                {
                    "user": user,
                    "path": f"/assessments/{assessment.pk}/items/{criterion.pk}/",
                    "version": versions.get(criterion.pk, 0),
                }
                for criterion in Criterion.objects.filter(table_id=assessment.table_id)
                .exclude(kind="deduction")
                .order_by("pk")
            ]
        )
    return [row for turn in itertools.zip_longest(*per_assessment) for row in turn if row]


# The demo's agencies (the load data's codes start with "load-").
DEMO_AGENCIES = ["ttt", "stp", "sngv", "skhdt", "bdt", "snv", "vpubnd", "stc", "vpdbqh"]


def probe_queries() -> dict:
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    objects = demo_objects()
    poll = open_poll(objects["poll"])
    head = ballot_page_head(objects, poll)
    pages = page_paths(objects)
    pages["ballot_page"] = (head, f"/polls/{poll.pk}/vote/")
    # The content types the audit names are cached, as in a server that has
    # run for a while: whether this process happened to audit a poll already
    # (opening it) must not change the count.
    ContentType.objects.get_for_models(*apps.get_models())
    counts, statuses, timings, slowest, sizes = {}, {}, {}, {}, {}
    for name, (user, path) in pages.items():
        client = Client()
        client.force_login(user)
        pass_second_factor(client.session, user)
        client.get(path)  # warm: caches of content types, translations, templates
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        counts[name] = len(captured)
        statuses[name] = response.status_code
        sizes[name] = len(response.content)
        slowest[name] = sorted(
            ((float(q["time"]), q["sql"][:300]) for q in captured.captured_queries), reverse=True
        )[:3]
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            client.get(path)
            runs.append((time.perf_counter() - started) * 1000)
        timings[name] = statistics.median(runs)
    row = autosave_rows()[0]
    client = Client()
    client.force_login(row["user"])
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            row["path"], {"field": "note", "note": "bench", "version": row["version"]}
        )
    counts["autosave"] = len(captured)
    statuses["autosave"] = response.status_code if saved(response.content) else "not saved"
    sizes["autosave"] = len(response.content)
    client = Client()
    client.force_login(head)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            pages["ballot_page"][1],
            {"agency": head.agency_id, "candidates": [first_candidate(poll)]},
        )
    counts["ballot"] = len(captured)
    statuses["ballot"] = response.status_code if RECEIPT.search(response.content) else "no receipt"
    sizes["ballot"] = len(response.content)
    return {
        "counts": counts,
        "statuses": statuses,
        "ms": timings,
        "slowest": slowest,
        "bytes": sizes,
    }


def pass_second_factor(session, user) -> None:
    """Council staff and administrators reach their pages only in a session
    verified by a second factor: give the user an authenticator (once) and
    mark the session as the code step does."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not (user.is_superuser or user.is_council_staff):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def new_session(user) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    pass_second_factor(session, user)
    return session.session_key


def probe_sessions() -> dict:
    from django.conf import settings
    from django.db.models import Max

    from awards.models import Attendance, Poll, VoterRecord
    from emulation.models import AuditEvent, User

    objects = demo_objects()
    sessions = {
        name: [path, new_session(user)] for name, (user, path) in page_paths(objects).items()
    }
    # Ballots: the load data's conferences, opened through the voting service;
    # one request per head, each its agency's first ballot in that poll.
    # Drafts, or polls a previous run (BENCH_REUSE) opened: their heads that
    # have not voted yet.
    polls = list(
        Poll.objects.filter(
            state__in=["draft", "open"], meeting__bloc_year__bloc__code__startswith="load-"
        )
        .select_related("meeting")
        .order_by("pk")[: int(os.environ.get("BENCH_POLLS", "200"))]
    )
    heads = {
        u.agency_id: u
        for u in User.objects.filter(
            agency_role="head",
            agency__memberships__bloc_year__meeting__in=[p.meeting for p in polls],
        )
    }
    ballots = []
    for poll in polls:
        poll = open_poll(poll)
        candidate = first_candidate(poll)
        voted = set(VoterRecord.objects.filter(poll=poll).values_list("agency_id", flat=True))
        for attendance in (
            Attendance.objects.filter(meeting_id=poll.meeting_id)
            .exclude(membership__agency_id__in=voted)
            .select_related("membership")
        ):
            head = heads[attendance.membership.agency_id]
            ballots.append(
                [
                    f"/polls/{poll.pk}/vote/",
                    new_session(head),
                    attendance.membership.agency_id,
                    candidate,
                ]
            )
    random.Random(7).shuffle(ballots)
    # The audit events from here on are the bench's.
    writers = language_writers(WRITERS)
    audit_mark = AuditEvent.objects.aggregate(last=Max("pk"))["last"] or 0
    # The ballot page: opened (not cast) by the last head, whose ballot is not sent.
    path, key, _agency, _candidate = ballots.pop()
    sessions["ballot_page"] = [path, key]
    keys = {}
    autosaves = []
    for row in autosave_rows():
        if row["user"].pk not in keys:
            keys[row["user"].pk] = new_session(row["user"])
        autosaves.append([row["path"], keys[row["user"].pk], row["version"]])
    return {
        "cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "pages": sessions,
        "ballots": ballots,
        "autosaves": autosaves,
        "writers": [new_session(user) for user in writers],
        "audit_mark": audit_mark,
    }


def probe_writes() -> dict:
    """How many languages were chosen (audit events) since the sessions' probe."""
    from emulation.models import AuditEvent

    mark = int(os.environ["BENCH_AUDIT_MARK"])
    return {"written": AuditEvent.objects.filter(pk__gt=mark, action="user.language").count()}


def probe_ranking() -> dict:
    from django.db import connection

    from blocs.models import BlocYear
    from blocs.selectors.ranking import ranking_for, rankings_for

    locked = list(BlocYear.objects.filter(review__locked_at__isnull=False).order_by("pk"))
    sql = """
        SELECT fs.bloc_year_id, fs.membership_id, m.agency_id, a.name, fs.total,
               fs.self_total, fs.deduction, fs.tie_break_score, fs.women_percent,
               fs.rank, fs.shared_rank
          FROM blocs_finalscore fs
          JOIN blocs_membership m ON m.id = fs.membership_id
          JOIN blocs_agency a ON a.id = m.agency_id
          JOIN blocs_blocyearreview r ON r.bloc_year_id = fs.bloc_year_id
         WHERE r.locked_at IS NOT NULL
         ORDER BY fs.bloc_year_id, fs.rank, a.name
    """

    def timed(fn):
        # Neither pays for the other's garbage: the heap is collected before
        # each timing (the caller has dropped the previous result), or a
        # collection started by one would walk the rows the other left.
        gc.collect()
        started = time.perf_counter()
        result = fn()
        return (time.perf_counter() - started) * 1000, result

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def bulk_read():
        # The selector is given the same question as the SQL: the locked bloc-years.
        return rankings_for(BlocYear.objects.filter(review__locked_at__isnull=False))

    # The two in turn, the best of five of each: on a shared machine the load
    # drifts within seconds, and a ratio of two runs taken at different
    # moments measures the drift as much as the selector.
    sql_times, bulk_times = [], []
    for _ in range(5):
        elapsed, sql_rows = timed(raw)
        sql_times.append(elapsed)
        rows_sql, sql_rows = len(sql_rows), None
        elapsed, bulk = timed(bulk_read)
        bulk_times.append(elapsed)
        rows_bulk, bulk = sum(len(rows) for rows in bulk.values()), None
    sql_ms, bulk_ms = min(sql_times), min(bulk_times)
    per_ms, per = timed(lambda: [ranking_for(by) for by in locked])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql)
        plan = [row[0] for row in cursor.fetchall()]
    return {
        "bloc_years": len(locked),
        "rows_sql": rows_sql,
        "rows_bulk": rows_bulk,
        "rows_per": sum(len(rows) for rows in per),
        "sql_ms": sql_ms,
        "bulk_ms": bulk_ms,
        "per_ms": per_ms,
        "plan": plan,
    }


# --- the load driver -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of a process so far (Linux /proc), or None
    once it has ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def workers_cpu_seconds(server: subprocess.Popen) -> float:
    """User and system CPU time of gunicorn's workers so far (Linux /proc)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return sum(cpu_seconds(int(pid)) or 0.0 for pid in children)


# Where a request's machine time goes besides gunicorn's workers: the
# PostgreSQL backends serving the bench's database and the Redis server (the
# sessions), the SERVERS, and this process (the clients). Read from /proc, so
# only when the two servers run on this machine; the rest of the machine's
# time is cores left idle while a request waits (a commit's flush to disk, a
# round trip) and any other process.
SERVERS = ("db", "cache")
PARTS = (*SERVERS, "clients")


def local_redis() -> int | None:
    """The Redis server's pid, when both SERVERS run on this machine; None
    (with a note saying why) when they do not."""
    hosts = {
        urllib.parse.urlsplit(database_url("postgres")).hostname,
        urllib.parse.urlsplit(CACHE_URL).hostname,
    }
    if not hosts <= {None, "127.0.0.1", "localhost", "::1"}:
        note("the database or the cache is not on this machine: no split of the machine time")
        return None
    redis = [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and _comm(entry) == "redis-server"
    ]
    if len(redis) != 1:
        note(f"{len(redis)} Redis servers on this machine: no split of the machine time")
        return None
    return redis[0]


def _comm(entry: Path) -> str:
    try:
        return (entry / "comm").read_text().strip()
    except OSError:
        return ""


def servers_cpu(db_name: str, redis: int) -> dict[str, dict[int, float]]:
    """CPU seconds so far of each process of SERVERS, by pid."""
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        backends = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s "
            "AND backend_type = 'client backend'",
            [db_name],
        ).fetchall()
    return {
        "db": {pid: cpu_seconds(pid) or 0.0 for (pid,) in backends},
        "cache": {redis: cpu_seconds(redis) or 0.0},
    }


def servers_spent(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds each of SERVERS spent between two readings: a backend that
    started between them counts whole (its start-up is the run's too)."""
    return {
        name: sum(seconds - before[name].get(pid, 0.0) for pid, seconds in after[name].items())
        for name in SERVERS
    }


def start_gunicorn(db_name: str, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "emulation.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=django_env(db_name, CONN_MAX_AGE="60"),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn did not start")
        try:
            status, _ = request(port, "GET", "/healthz", {})
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not answer /healthz")


def request(port: int, method: str, path: str, headers: dict, body: str | None = None):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def summarise(latencies: list[float], wall: float, errors: int) -> dict:
    latencies = sorted(latencies)
    return {
        "n": len(latencies),
        "p50": statistics.median(latencies),
        "p95": latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))],
        "rps": len(latencies) / wall,
        "errors": errors,
    }


def run_load(port: int, jobs: list) -> dict:
    """Send ``jobs`` — (name, method, path, headers, body, check) — with
    CONCURRENCY threads in the order given, stopping at LOAD_SECONDS; returns
    each name's latencies, throughput and count of bad answers, all measured
    in this one run."""
    lock = threading.Lock()
    position = [0]
    latencies: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    deadline = time.monotonic() + LOAD_SECONDS

    def worker():
        while time.monotonic() < deadline:
            with lock:
                if position[0] >= len(jobs):
                    return
                name, method, path, headers, body, check = jobs[position[0]]
                position[0] += 1
            started = time.perf_counter()
            try:
                status, content = request(port, method, path, headers, body)
                ok = status == EXPECTED_STATUS.get(name, 200) and (check is None or check(content))
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.setdefault(name, []).append(elapsed)
                errors[name] = errors.get(name, 0) + (not ok)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    return {name: summarise(values, wall, errors[name]) for name, values in latencies.items()}


RECEIPT = re.compile(rb"[A-Z2-9]{5}-[A-Z2-9]{5}")


def saved(content: bytes) -> bool:
    """An autosave's answer: the row and the totals, no error, not stale."""
    return b'id="assessment-summary"' in content and b'role="alert"' not in content


def load_jobs(sessions: dict, csrf: str) -> dict[str, list]:
    """Requests per endpoint: the trivial view and each page with its user's
    session (LOAD_REQUESTS of each); every ballot (each a different head's
    first ballot); autosaves, in passes over every editable demo row, each
    pass at the next version of the row."""
    jobs = {"trivial": [("trivial", "GET", "/healthz", {}, None, None)] * LOAD_REQUESTS}
    for name, (path, key) in sessions["pages"].items():
        headers = {"Cookie": f"{sessions['cookie']}={key}", "Accept-Language": "vi"}
        jobs[name] = [(name, "GET", path, headers, None, None)] * LOAD_REQUESTS
    # The assessment page's user (an agency's officer) asks for the trivial view.
    headers = {"Cookie": f"{sessions['cookie']}={sessions['pages']['assessment'][1]}"}
    jobs["signed_in_trivial"] = [
        ("signed_in_trivial", "GET", "/healthz", headers, None, None)
    ] * LOAD_REQUESTS

    def post(name, path, key, body, check):
        headers = {
            "Cookie": f"{sessions['cookie']}={key}; {sessions['csrf_cookie']}={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept-Language": "vi",
        }
        if name == "autosave":
            headers["HX-Request"] = "true"  # as htmx sends it
        return (name, "POST", path, headers, urllib.parse.urlencode(body), check)

    jobs["ballot"] = [
        post(
            "ballot",
            path,
            key,
            {"agency": agency, "candidates": candidate},
            lambda content: RECEIPT.search(content) is not None,
        )
        for path, key, agency, candidate in sessions["ballots"]
    ]
    # Each writer's language, pass after pass, English then Vietnamese: every
    # request a change. A pass is WRITERS requests, so under 20 clients a
    # writer's next request goes out some 80 requests after its previous one;
    # one that found nothing to change would fail the count of the writes.
    writers = sessions["writers"]
    passes = -(-(10 + ROUNDS * LOAD_REQUESTS) // max(1, len(writers)))
    jobs["signed_in_write"] = [
        post("signed_in_write", "/i18n/setlang/", key, {"language": "vi" if n % 2 else "en"}, None)
        for n in range(passes)
        for key in writers
    ]
    rows = sessions["autosaves"]
    passes = -(-3 * LOAD_REQUESTS // max(1, len(rows)))
    jobs["autosave"] = [
        post(
            "autosave",
            path,
            key,
            {"field": "note", "note": f"Ghi chú {n}", "version": version + n},
            saved,
        )
        for n in range(passes)
        for path, key, version in rows
    ]
    return jobs


def take(jobs: dict, name: str, count: int) -> list:
    """The next ``count`` jobs of a kind that consumes them (ballots, autosaves)."""
    taken, jobs[name] = jobs[name][:count], jobs[name][count:]
    return taken


def mix(jobs: list, ordered: list) -> list:
    """``jobs`` shuffled, with ``ordered`` spread among them in its own order
    (an autosave's next pass must come after its previous one)."""
    rng = random.Random(11)
    slots = [False] * len(jobs) + [True] * len(ordered)
    rng.shuffle(jobs)
    rng.shuffle(slots)
    jobs_iter, ordered_iter = iter(jobs), iter(ordered)
    return [next(ordered_iter) if slot else next(jobs_iter) for slot in slots]


def loadavg(when: str) -> None:
    one, five, fifteen = os.getloadavg()
    bench(f"loadavg_{when}", f"{one:.2f} {five:.2f} {fifteen:.2f}", "(1, 5, 15 min)")


ENDPOINTS = ["trivial", *PAGES, *POSTS]
MEASURED_ALONE = [*REFERENCES, *PAGES, *POSTS]
# The endpoints whose requests each change something: each is sent once.
WRITES = [*POSTS, "signed_in_write"]
results: dict[str, dict] = {}


def measure_load() -> None:
    """Each endpoint alone, between two runs of the trivial view alone (its
    baseline is the mean of the two, so a drift of the machine's speed during
    the page's run is shared out, not put on the page), then one mixed run
    for the throughput and p95 under a realistic mix."""
    sessions = probe("probe-sessions", "emu_bench_national")
    csrf = "".join(random.choices(string.ascii_letters + string.digits, k=32))  # noqa: S311
    jobs = load_jobs(sessions, csrf)
    alone_count = min(200, LOAD_REQUESTS)
    needed = 10 + ROUNDS * alone_count + LOAD_REQUESTS
    if len(jobs["ballot"]) < needed:  # before the server starts: none is left running
        raise SystemExit(
            f"only {len(jobs['ballot'])} ballots left to cast (needs {needed}): run `make bench` "
            "without BENCH_REUSE to rebuild the national data set"
        )
    port = free_port()
    server = start_gunicorn("emu_bench_national", port)

    # A trivial request costs a worker a fifth to a tenth of a page's time: as
    # many requests as a page's run would last a tenth of a second, much of it
    # the clients starting up, which would make the trivial view look slower.
    def as_trivial_run(kind: list) -> list:
        return (kind * (TRIVIAL_RUN // len(kind) + 1))[:TRIVIAL_RUN]

    trivial_batch = as_trivial_run(jobs["trivial"])

    redis = local_redis()

    def measured(batch: list, name: str) -> dict:
        """One run of ``batch``: ``name``'s figures, with the CPU ms per request
        of the workers ("cpu") and, where the SERVERS run on this machine, of
        each of PARTS (by its name)."""
        servers = redis and servers_cpu("emu_bench_national", redis)
        workers, clients = workers_cpu_seconds(server), time.process_time()
        r = run_load(port, batch)[name]
        spent = {"cpu": workers_cpu_seconds(server) - workers}
        if servers:
            spent["clients"] = time.process_time() - clients
            spent.update(servers_spent(servers, servers_cpu("emu_bench_national", redis)))
        return {**r, "ms": 2000 / r["rps"], **{k: v * 1000 / r["n"] for k, v in spent.items()}}

    def trivial_run() -> dict:
        return measured(trivial_batch, "trivial")

    try:
        warm = [job for name in ("trivial", *PAGES) for job in jobs[name][:10]]
        warm += [job for name in REFERENCES if name not in WRITES for job in jobs[name][:10]]
        warm += [job for name in WRITES for job in take(jobs, name, 10)]
        warmed = run_load(port, warm)  # both workers, every page
        # Each page alone, between two trivial runs: on a shared machine the
        # load drifts, so a page is set against the trivial view measured on
        # either side of it. The workers' CPU time per request is also taken
        # (from /proc): it does not depend on what else the machine runs. All
        # of it ROUNDS times over, each run of an endpoint at another moment:
        # a burst of the machine's own work (a checkpoint, another process)
        # during one run moves one of its figures, not their median.
        trivial_runs = [trivial_run()]
        rounds: list[dict[str, tuple[dict, int]]] = []
        for _ in range(ROUNDS):
            alone = {}
            for name in MEASURED_ALONE:
                if name in WRITES:
                    batch = take(jobs, name, alone_count)
                elif name in REFERENCES:  # nearly as cheap as the trivial view: as many requests
                    batch = as_trivial_run(jobs[name])
                else:
                    batch = jobs[name][:alone_count]
                # The run and the position of the trivial run before it.
                alone[name] = (measured(batch, name), len(trivial_runs) - 1)
                trivial_runs.append(trivial_run())
            rounds.append(alone)
        mixed = [job for name in ("trivial", *PAGES) for job in jobs[name]]
        mixed += take(jobs, "ballot", LOAD_REQUESTS)
        mixed_results = run_load(port, mix(mixed, take(jobs, "autosave", LOAD_REQUESTS)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    # Each of the reference's writes must have written: a request that
    # changed nothing would make the cheapest write look cheaper.
    sent = warmed["signed_in_write"]["n"] + sum(
        alone["signed_in_write"][0]["n"] for alone in rounds
    )
    written = probe(
        "probe-writes", "emu_bench_national", BENCH_AUDIT_MARK=str(sessions["audit_mark"])
    )["written"]
    bench("reference_signed_in_write_written", f"{written} of {sent}")
    if written != sent:
        fail(f"signed_in_write: {written} of its {sent} requests wrote an audited change")
    # Alone under 20 clients: the time a worker spends on one request is
    # 2 workers / throughput; its ratio to the trivial view's, measured in the
    # same run on either side of it, is what the page costs beyond the
    # framework's bare minimum.
    trivial_costs = [r["ms"] for r in trivial_runs]
    bare = statistics.median(trivial_costs)
    bench("alone_trivial_ms_per_request", bare, "ms")
    bench(
        "alone_trivial_ms_per_request_range", f"{min(trivial_costs):.2f}-{max(trivial_costs):.2f}"
    )
    trivial_cpu = statistics.median(r["cpu"] for r in trivial_runs)
    bench("alone_trivial_cpu_ms_per_request", trivial_cpu, "ms")
    splits = [machine_split(r) for r in trivial_runs]
    split = splits[0] and {part: statistics.median(s[part] for s in splits) for part in splits[0]}
    results["trivial"] = {"ms": bare, "ratio": 1.0, "split": split}
    bench_split("trivial", split)
    for name in MEASURED_ALONE:
        # Each round's ratio to the trivial runs on either side of it; the
        # figures given are those of the round of the median ratio.
        runs = []
        for alone in rounds:
            r, position = alone[name]
            beside = (trivial_costs[position] + trivial_costs[position + 1]) / 2
            runs.append((2000 / r["rps"] / beside, beside, r, position))
        ratio, beside, r, position = sorted(runs, key=lambda run: run[0])[len(runs) // 2]
        cost = 2000 / r["rps"]
        results[name] = {"ms": cost, "ratio": ratio, "split": machine_split(r)}
        headline = "reference" if name in REFERENCES else "alone"  # a reference is no page
        bench(f"alone_{name}_rounds", " ".join(f"{run[0]:.2f}" for run in runs))
        bench(f"alone_{name}_ms_per_request", cost, "ms")
        bench(f"alone_{name}_p50", r["p50"], "ms")
        bench(f"alone_{name}_trivial_beside_ms", beside, "ms")
        bench(f"alone_{name}_cpu_ms_per_request", r["cpu"], "ms")
        bench_split(name, results[name]["split"])
        if splits[0]:
            # The clients run on the same cores: their share of the machine's
            # time is about the same for every request, so it draws every
            # ratio towards 1. Without it (no target, for information):
            trivial_beside = [without_clients(splits[position + n]) for n in (0, 1)]
            own = without_clients(results[name]["split"])
            results[name]["server_ratio"] = own / statistics.mean(trivial_beside)
            bench(f"{headline}_server_ratio_{name}", results[name]["server_ratio"])
        bench(f"{headline}_ratio_{name}", ratio)
        bench(f"alone_cpu_ratio_{name}", r["cpu"] / trivial_cpu)
        for _ratio, _beside, run, _position in runs:
            if run["errors"]:
                fail(f"{name} alone: {run['errors']} of {run['n']} requests failed")
        if name in REFERENCES:
            continue
        if ratio > TARGET_RATIO[name]:
            fail(f"{name} alone is {ratio:.1f}x the trivial view (target {TARGET_RATIO[name]}x)")
    # The mixed run: throughput and tail latency under a realistic mix only.
    for name in ENDPOINTS:
        r = mixed_results[name]
        bench(f"mixed_{name}_requests", r["n"])
        bench(f"mixed_p95_{name}_ms", r["p95"], "ms")
        bench(f"mixed_{name}_rps", r["rps"], "req/s")
        if r["errors"]:
            fail(f"{name} in the mixed run: {r['errors']} of {r['n']} requests failed")
    bench("mixed_total_rps", sum(mixed_results[n]["rps"] for n in ENDPOINTS), "req/s")
    if mixed_results["dashboard"]["p95"] > TARGET_DASHBOARD_P95_MS:
        fail(f"council dashboard p95 in the mixed run above {TARGET_DASHBOARD_P95_MS} ms")


def machine_split(r: dict) -> dict[str, float] | None:
    """Where one request's machine time (the cores × the run's time, over its
    requests) went, in ms: the workers' CPU, that of each of PARTS, and the
    rest. None when theirs was not read."""
    if "db" not in r:
        return None
    spent = {"workers": r["cpu"], **{name: r[name] for name in PARTS}}
    return {**spent, "rest": CORES * 1000 / r["rps"] - sum(spent.values())}


def without_clients(split: dict[str, float]) -> float:
    """A request's machine time less the bench's clients' CPU."""
    return sum(split.values()) - split["clients"]


def bench_split(name: str, split: dict[str, float] | None) -> None:
    if split is None:
        return
    for part in PARTS:
        bench(f"alone_{name}_{part}_cpu_ms_per_request", split[part], "ms")
    bench(f"alone_{name}_rest_ms_per_request", split["rest"], "ms")


def measure_queries() -> None:
    demo = probe("probe-queries", "emu_bench_demo")
    national = probe("probe-queries", "emu_bench_national")
    for name in [*PAGES, *POSTS]:
        bench(f"queries_{name}_demo", demo["counts"][name])
        bench(f"queries_{name}_national", national["counts"][name])
        bench(f"bytes_{name}_national", national["bytes"][name], "B")
        if demo["counts"][name] != national["counts"][name]:
            fail(
                f"queries_{name}: {demo['counts'][name]} on the demo, "
                f"{national['counts'][name]} on the national data set"
            )
        for where, statuses in (("demo", demo["statuses"]), ("national", national["statuses"])):
            if statuses[name] != 200:
                fail(f"{name} answered {statuses[name]} on the {where} database")
    for name in PAGES:
        bench(f"inprocess_{name}_demo_ms", demo["ms"][name], "ms")
        bench(f"inprocess_{name}_national_ms", national["ms"][name], "ms")
        for seconds, sql in national["slowest"][name]:
            note(f"slowest on {name} (national): {seconds * 1000:.1f} ms {sql}")


def write_report() -> None:
    """var/bench/report.html: each endpoint's server time per request as a bar,
    against the trivial view and the target."""
    names = [n for n in ["trivial", *MEASURED_ALONE] if n in results]
    if not names:
        return
    width, bar, left = 660, 22, 130
    top = max(max(results[n]["ratio"] for n in names), 5) * 1.1
    rows = []
    for i, name in enumerate(names):
        r = results[name]
        y = 30 + i * (bar + 8)
        w = (width - left - 80) * r["ratio"] / top
        target = TARGET_RATIO.get(name)
        colour = "#888" if target is None else "#2a7" if r["ratio"] <= target else "#c33"
        rows.append(
            f'<text x="{left - 6}" y="{y + 16}" text-anchor="end">{name}</text>'
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}"/>'
            f'<text x="{left + w + 4:.1f}" y="{y + 16}">{r["ratio"]:.1f}× · {r["ms"]:.1f} ms</text>'
        )
        if target:
            x = left + (width - left - 80) * target / top
            rows.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 2}" y2="{y + bar + 2}" '
                'stroke="#000" stroke-dasharray="3,2"/>'
            )
    height = 40 + len(names) * (bar + 8)
    one, five, fifteen = os.getloadavg()
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(
        "<!doctype html><meta charset=utf-8><title>make bench</title>"
        "<h1>Server time per request, each page alone, against the trivial view</h1>"
        f"<p>One run, 2 gunicorn workers, 20 clients, each endpoint alone {ROUNDS} times "
        f"(its median run is drawn); national data: {' '.join(NATIONAL_ARGS)}; "
        f"load average at the end {one:.2f} {five:.2f} {fifteen:.2f}. "
        "Dashed line: the target (5× for a page, 3× for a post). "
        "signed_in_trivial (grey, no target): the trivial view asked by a signed-in "
        "user, what every page and post pays before its view runs. "
        "signed_in_write (grey, no target): the cheapest audited write, a signed-in "
        "user's choice of language, what every post pays before its own work. "
        f"Failures: {len(failures)}.</p>"
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="13">{"".join(rows)}</svg>'
        + "".join(f"<p>FAIL {f}</p>" for f in failures)
        + split_chart(names),
        encoding="utf-8",
    )
    note(f"report: {REPORT}")


# The parts of a request's machine time, as drawn: name, colour, legend.
SPLIT_PARTS = [
    ("workers", "#3569b5", "gunicorn's workers (Django)"),
    ("db", "#e8912d", "PostgreSQL"),
    ("cache", "#a04cc0", "Redis"),
    ("clients", "#9a9a9a", "the bench's clients"),
    (
        "rest",
        "#dcdcdc",
        "the rest: cores idle while a request waits (a commit's flush, a round trip)",
    ),
]


def split_chart(names: list[str]) -> str:
    """The second chart of the report: each endpoint's machine time per
    request as stacked bars, part by part (empty when it was not read)."""
    names = [n for n in names if results[n].get("split")]
    if not names:
        return ""
    width, bar, left = 760, 22, 130
    top = max(sum(max(v, 0) for v in results[n]["split"].values()) for n in names) * 1.05
    scale = (width - left - 230) / top
    rows = []
    for i, (_part, colour, label) in enumerate(SPLIT_PARTS):
        rows.append(
            f'<rect x="{left}" y="{8 + i * 18}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{left + 18}" y="{19 + i * 18}">{label}</text>'
        )
    first = 20 + len(SPLIT_PARTS) * 18
    for i, name in enumerate(names):
        split = results[name]["split"]
        y, x = first + i * (bar + 8), float(left)
        rows.append(f'<text x="{left - 6}" y="{y + 16}" text-anchor="end">{name}</text>')
        for part, colour, _label in SPLIT_PARTS:
            w = max(split[part], 0) * scale
            rows.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}"/>'
            )
            x += w
        total = sum(max(v, 0) for v in split.values())
        server = results[name].get("server_ratio")
        label = f"{total:.1f} ms" + (f" · {server:.1f}× without the clients" if server else "")
        rows.append(f'<text x="{x + 4:.1f}" y="{y + 16}">{label}</text>')
    height = first + len(names) * (bar + 8) + 10
    return (
        "<h2>Where a request's machine time goes</h2>"
        f"<p>The same runs: the {CORES} cores' time over the requests served, in ms per "
        "request, split by the CPU time each process spent (from /proc). The clients share "
        "the cores: beside each bar, its ratio to the trivial view without their part "
        "(no target).</p>"
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="13">{"".join(rows)}</svg>'
    )


def measure_ranking() -> None:
    r = probe("probe-ranking", "emu_bench_national")
    bench("ranking_bloc_years", r["bloc_years"])
    bench("ranking_rows", r["rows_sql"])
    bench("ranking_country_ms", r["bulk_ms"], "ms")
    bench("ranking_sql_ms", r["sql_ms"], "ms")
    bench("ranking_per_bloc_year_ms", r["per_ms"], "ms")
    ratio = r["bulk_ms"] / r["sql_ms"]
    bench("ratio_ranking_sql", ratio)
    if not r["rows_sql"] == r["rows_bulk"] == r["rows_per"]:
        fail(f"ranking rows differ: {r['rows_sql']} {r['rows_bulk']} {r['rows_per']}")
    if ratio > TARGET_RANKING_RATIO:
        fail(f"country-wide ranking {ratio:.1f}x the raw SQL (target {TARGET_RANKING_RATIO}x)")
    for line in r["plan"]:
        note(f"EXPLAIN {line}")


def main() -> int:
    started = time.monotonic()
    loadavg("start")
    if os.environ.get("BENCH_REUSE"):  # while working on the bench itself
        wait(manage("emu_bench_demo", "collectstatic", "--noinput", "-v0"), "collectstatic")
    else:
        prepare_databases()
    bench("national_args", " ".join(NATIONAL_ARGS))
    measure_queries()
    measure_ranking()
    measure_load()
    bench("bench_total_s", time.monotonic() - started, "s")
    loadavg("end")
    write_report()
    if failures:
        print(f"BENCH failures {len(failures)}")
        return 1
    print("BENCH failures 0")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("probe-"):
        setup_django()
        command = {
            "probe-queries": probe_queries,
            "probe-sessions": probe_sessions,
            "probe-ranking": probe_ranking,
            "probe-writes": probe_writes,
        }[sys.argv[1]]
        print(json.dumps(command(), default=str))
    else:
        sys.exit(main())
