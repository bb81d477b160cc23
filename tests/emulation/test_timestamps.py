"""Timestamps read from PostgreSQL come out exactly as Django's own loader
gives them, through psycopg's C parser."""

import datetime

import psycopg
import pytest
from django.db import connection

from emulation.timestamps import loader_for
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# Text as PostgreSQL sends it: whole and fractional seconds, other offsets,
# the first and last years Python can hold, and values it cannot.
TEXTS = [
    b"2026-12-07 22:30:00+00",
    b"2026-12-07 22:30:00.123456+00",
    b"2026-01-01 00:00:00.5+07",
    b"2026-06-01 10:00:00+05:30",
    b"1999-12-31 23:59:59.999999+00",
    b"0001-01-01 00:00:00+00",
    b"9999-12-31 23:59:59.999999+00",
    b"infinity",
    b"-infinity",
    b"0005-01-01 00:00:00+00 BC",
]


def _loaded(loader, text):
    try:
        return loader.load(text)
    except psycopg.DataError as exc:  # the error, as a value to compare
        return (type(exc), str(exc))


@pytest.mark.parametrize("timezone", [datetime.UTC, None])
def test_every_value_loads_as_djangos_loader_loads_it(timezone):
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader
    from psycopg.postgres import types

    class DjangosLoader(BaseTzLoader):
        pass

    DjangosLoader.timezone = timezone
    oid = types["timestamptz"].oid
    connection.ensure_connection()
    ours = loader_for(timezone)(oid, connection.connection)
    djangos = DjangosLoader(oid, connection.connection)
    for text in TEXTS:
        mine, theirs = _loaded(ours, text), _loaded(djangos, text)
        assert mine == theirs, text
        if isinstance(mine, datetime.datetime):
            assert mine.tzinfo is theirs.tzinfo, text


def test_each_connection_reads_timestamps_with_it_in_djangos_time_zone():
    from psycopg.postgres import types
    from psycopg.pq import Format

    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(types["timestamptz"].oid, Format.TEXT)
    assert loader is loader_for(connection.timezone)
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", ["2026-12-07 22:30:00.5+07"])
        (value,) = cursor.fetchone()
    assert value == datetime.datetime(2026, 12, 7, 15, 30, 0, 500000, tzinfo=datetime.UTC)
    assert value.tzinfo is connection.timezone
    # A row saved and read back keeps its instant.
    user = UserFactory(last_login=datetime.datetime(2026, 3, 4, 5, 6, 7, 890, tzinfo=datetime.UTC))
    assert type(user).objects.get(pk=user.pk).last_login == user.last_login
