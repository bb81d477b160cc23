"""Timestamps read from PostgreSQL, parsed by psycopg's C parser.

Django's PostgreSQL backend reads every ``timestamptz`` column with a loader
of its own, derived from psycopg's pure-Python one (the C one cannot be
subclassed): it parses the text, then sets Django's time zone on the result
(Django ticket 36960). Parsing a timestamp in Python costs about five times
what the C parser does, and the pages read many: a ranking about thirty, a
proposal a dozen, every signed-in request three (its user's).

Each new PostgreSQL connection gets, in place of Django's loader, one that
does the same with the parser psycopg itself uses (the C one when psycopg's
binary package is installed, the Python one otherwise): the same datetime,
the same time zone, the same errors. It carries Django's ``timezone``
attribute, which Django compares before each cursor; should the two differ
(a connection's time zone changed), Django puts its own loader back on that
cursor, as it would without this module.
"""

from __future__ import annotations

import functools
from datetime import tzinfo

from django.db.backends.signals import connection_created


@functools.cache
def loader_for(timezone: tzinfo | None) -> type:
    """The loader class giving timestamps in ``timezone`` (None: naive), as
    Django's does, through psycopg's own parser."""
    import psycopg
    from psycopg.adapt import Loader
    from psycopg.postgres import types
    from psycopg.pq import Format

    # The class psycopg registers for the type: the C parser where there is one.
    parser = psycopg.adapters.get_loader(types["timestamptz"].oid, Format.TEXT)

    class TimestamptzLoader(Loader):
        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._parse = parser(oid, context).load

        def load(self, data):
            return self._parse(data).replace(tzinfo=self.timezone)

    TimestamptzLoader.timezone = timezone
    return TimestamptzLoader


def _register_on_postgresql(sender, connection, **kwargs):
    # psycopg 3's connections have adapters; psycopg2's (which Django also
    # takes) keep Django's own parsing.
    adapters = getattr(connection.connection, "adapters", None)
    if connection.vendor == "postgresql" and adapters is not None:
        adapters.register_loader("timestamptz", loader_for(connection.timezone))


def connect() -> None:
    """Register the loader on every new connection (from the app's ready())."""
    connection_created.connect(_register_on_postgresql, dispatch_uid="emulation.timestamps")
