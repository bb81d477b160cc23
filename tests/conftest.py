"""Shared fixtures: a bloc-year with a fixed cast of users, as in healthchecks'
tests: the secretariat (leader's officer), a member's officer and head, an
outsider agency's officer (another bloc), council staff of the province,
council staff of another province, and a superuser."""

from __future__ import annotations

import os
from dataclasses import dataclass

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# calls from that thread (live_server, fixtures) must be allowed — in tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.conf import settings
from django.db import connection

from blocs.enums import MemberRole
from emulation.enums import AgencyRole
from tests.factories import (
    AgencyFactory,
    BlocYearFactory,
    ProvinceFactory,
    UserFactory,
    add_member,
)


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests skip on SQLite with a reason (never silently in CI:
    CI runs the suite on PostgreSQL too)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://…)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def _is_transactional(item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    if "live_server" in fixtures or "transactional_db" in fixtures:
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker is not None and marker.kwargs.get("transaction"))


def reload_migration_data() -> None:
    """Put back the rows that data migrations load: the award catalogue and
    the national rule sets (idempotent)."""
    import importlib

    from django.apps import apps

    from awards.models import BaseSalary, RuleSet

    importlib.import_module("awards.migrations.0002_load_catalogue").load(apps, None)
    if not RuleSet.objects.filter(province__isnull=True).exists():
        importlib.import_module("awards.migrations.0004_seed_rule_sets").seed(apps, None)
        importlib.import_module("awards.migrations.0009_rules_as_the_law_says").apply(apps, None)
    if not BaseSalary.objects.exists():  # the council's thresholds, coefficients, salaries
        importlib.import_module("awards.migrations.0011_council_vote_and_prize_money").seed(
            apps, None
        )
        importlib.import_module("awards.migrations.0014_prize_money_before_decree_152").apply(
            apps, None
        )
        importlib.import_module("awards.migrations.0018_prize_money_confirmed_from_quotes").apply(
            apps, None
        )


# The database DATABASE_URL names, as configured before pytest-django puts the
# test database in its place: no hook of this file may ever write to it.
CONFIGURED_DATABASE_NAME = str(settings.DATABASES["default"]["NAME"])


def _test_database_in_use() -> bool:
    return str(connection.settings_dict["NAME"]) != CONFIGURED_DATABASE_NAME


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by flushing the database (the last teardown),
    which removes the award catalogue and rule sets that migrations loaded.
    Put them back, so that every test starts with them whatever ran before it
    in the same worker. Only while the test database is in place: after the
    worker's last test it is already dropped, and a skipped test may never
    have created it."""
    yield
    if nextitem is not None and _is_transactional(item) and _test_database_in_use():
        _with_db(item, reload_migration_data)


@pytest.fixture(scope="session", autouse=True)
def _no_stray_connections_at_the_end(django_db_setup, django_db_blocker):
    """Before the test database is dropped, end the connections other contexts
    left open (live-server request threads, Playwright's greenlets, the reload
    above): PostgreSQL refuses to drop a database still in use."""
    yield
    from django.db import connection, connections

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        connections.close_all()


def _with_db(item, function) -> None:
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        function()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: worlds are rebuilt with the same
    ids (and the demo copied with the same timestamps), so nothing kept by an
    earlier test may answer for this one."""
    from django.core.cache import cache

    from blocs.assessment_rows import forget_kept_rows
    from blocs.selectors.assessment import forget_kept_views
    from blocs.selectors.scoring import forget_frozen_structures

    cache.clear()
    forget_frozen_structures()
    forget_kept_rows()
    forget_kept_views()


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """Django keeps content types in a process-wide cache; a test that flushed
    the database, or restored the demo's copy and was rolled back, leaves ids
    there that the next test's database may not have."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _fast_and_vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _forced_logins_pass_the_second_factor(settings):
    """``force_login`` opens a session without the code step; tests of
    two-factor sign-in turn the requirement back on (``two_factor_required``)."""
    settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture
def two_factor_required(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """A queued task runs as it is queued (after the commit that queues it):
    tests of the worker itself set the database backend back."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@dataclass
class Cast:
    province: object
    bloc_year: object
    leader: object  # leader agency's membership
    member: object  # an ordinary member's membership
    secretariat: object  # officer of the leading agency
    secretariat_head: object
    officer: object  # officer of an ordinary member
    head: object  # head of that member
    outsider: object  # officer of an agency in another bloc of the province
    council: object  # council staff of the province
    other_council: object  # council staff of another province
    admin: object


@pytest.fixture
def cast(db) -> Cast:
    province = ProvinceFactory(code="tinh", name="Tỉnh Thử Nghiệm")
    bloc_year = BlocYearFactory(bloc__province=province, bloc__code="khoi1", year__year=2023)
    leader = add_member(
        bloc_year, AgencyFactory(province=province, code="lead"), MemberRole.LEADER, 1
    )
    member = add_member(
        bloc_year, AgencyFactory(province=province, code="mem"), MemberRole.MEMBER, 2
    )
    other_bloc_year = BlocYearFactory(
        bloc__province=province, bloc__code="khoi2", year=bloc_year.year
    )
    outsider_membership = add_member(other_bloc_year, AgencyFactory(province=province, code="out"))
    other_province = ProvinceFactory(code="khac", name="Tỉnh Khác")
    return Cast(
        province=province,
        bloc_year=bloc_year,
        leader=leader,
        member=member,
        secretariat=UserFactory(
            username="lead.officer", agency=leader.agency, agency_role=AgencyRole.OFFICER
        ),
        secretariat_head=UserFactory(
            username="lead.head", agency=leader.agency, agency_role=AgencyRole.HEAD
        ),
        officer=UserFactory(
            username="mem.officer", agency=member.agency, agency_role=AgencyRole.OFFICER
        ),
        head=UserFactory(username="mem.head", agency=member.agency, agency_role=AgencyRole.HEAD),
        outsider=UserFactory(
            username="out.officer",
            agency=outsider_membership.agency,
            agency_role=AgencyRole.OFFICER,
        ),
        council=UserFactory(username="council", is_council_staff=True, province=province),
        other_council=UserFactory(
            username="council2", is_council_staff=True, province=other_province
        ),
        admin=UserFactory(username="root", is_superuser=True, is_staff=True),
    )


@pytest.fixture
def login(client):
    """Log a user in on the test client (force_login: axes wants a request)."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}
