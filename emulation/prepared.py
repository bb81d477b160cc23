"""Reads that every request makes, compiled to SQL once per process.

Building a queryset and compiling it costs more CPU than the database spends
answering a primary-key lookup: for the signed-in user (with agency, province
and unread count) about 1 ms of compiling for 0.1 ms of query. A
``PreparedQuery`` compiles its queryset once (per thread and database), with
marker values where the caller's values go, and then only runs the SQL with
the values of the call, building the model objects as the queryset would
(related objects of ``select_related`` and annotations included).

Only for querysets whose SQL does not depend on the values (a filter on an id
or a key, not on a list whose length varies or on a value that may be None).
A ``values_list()`` queryset gives its tuples (or, ``flat=True``, its values)
as it would, for a page that needs a few columns and not model objects.

On PostgreSQL a prepared query is also a prepared statement: its values are
bound on the server, and once it has run ``prepare_threshold`` times on a
connection (settings) the database keeps its plan. The reads of a page join
up to nine tables, and PostgreSQL takes longer to plan such a read (1 to 5
ms) than to run it (0.2 ms). Other queries keep Django's client-side binding.

``sliced=True`` reads one slice of the rows, ``query(*values, rows=(start,
stop))`` as ``queryset[start:stop]``: Django writes a slice's bounds into the
SQL, so a prepared query adds them as parameters (``LIMIT`` / ``OFFSET``) for
a paged list.

``shared=(names)`` locks some of the rows of ``select_for_update(of=...)``
``FOR SHARE`` on PostgreSQL, which Django's ORM cannot ask for: a row that a
write only needs to stay as it is (the bloc-year whose phase allows the save,
the poll that is open) is held against a change, and not against the other
writes that need it so. Each of ``names`` must be one of ``of``; the others
stay ``FOR UPDATE``. A database that locks no row (SQLite) is unaffected.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.sql import InsertQuery

# Two sets of integers standing for the caller's values at compile time,
# within the range of every integer column (Django compiles a value out of a
# column's range to an empty result, and a year is a small integer). The query
# is compiled with each: a parameter is the caller's where both put their
# marker, so a constant of the query that happens to equal one is told apart.
_MARKERS = tuple(32_001 + n for n in range(8))
_CHECK_MARKERS = tuple(32_101 + n for n in range(8))


def _slots(params, markers) -> list[tuple[int, int]]:
    return [
        (position, markers.index(value))
        for position, value in enumerate(params)
        if isinstance(value, int) and not isinstance(value, bool) and value in markers
    ]


def _cursor(connection):
    """A cursor for a prepared query: on PostgreSQL (psycopg 3, prepared
    statements allowed) one that binds the values on the server, so the query
    can be prepared; elsewhere the connection's own cursor. Either is wrapped
    as Django wraps its own (errors translated; queries counted and logged
    when Django logs them)."""
    if (
        connection.vendor != "postgresql"
        or connection.settings_dict["OPTIONS"].get("prepare_threshold") is None
    ):
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = ServerBindingCursor(connection.connection)
    if connection.queries_logged:
        return _LoggedCursor(cursor, connection)
    return connection.make_cursor(cursor)


class _LoggedCursor(CursorDebugWrapper):
    """Django's logging cursor, logging the SQL with its values as Django
    would: it reads them back from the driver, which forgets them once a
    statement is prepared."""

    def execute(self, sql, params=None):
        logged = self.db.ops.compose_sql(sql, params)
        with self.debug_sql(logged):
            return CursorWrapper.execute(self, sql, params)


def _share_locked(compiler, sql: str, shared: tuple[str, ...]) -> str:
    """``sql`` (the compiled SQL of a ``select_for_update(of=...)`` query)
    with the rows of ``shared`` locked ``FOR SHARE`` and the others of ``of``
    still ``FOR UPDATE``; unchanged where the database locks no row."""
    query = compiler.query
    connection = compiler.connection
    names = tuple(query.select_for_update_of)
    if not query.select_for_update or not set(shared) <= set(names):
        raise ValueError("shared=... names rows the query's select_for_update(of=...) locks")
    if query.select_for_update_nowait or query.select_for_update_skip_locked:
        raise ValueError("a query with rows locked FOR SHARE waits for its locks")
    if not connection.features.has_select_for_update_of:
        return sql

    def clause(of: tuple[str, ...]) -> list[str]:
        # The quoted tables of ``of`` as Django writes them after OF.
        query.select_for_update_of = of
        try:
            return compiler.get_select_for_update_of_arguments()
        finally:
            query.select_for_update_of = names

    no_key = query.select_for_no_key_update
    whole = connection.ops.for_update_sql(of=clause(names), no_key=no_key)
    if not sql.endswith(whole):
        raise ValueError("the query's locking clause must end its SQL")
    kept = tuple(name for name in names if name not in shared)
    parts = [connection.ops.for_update_sql(of=clause(kept), no_key=no_key)] if kept else []
    parts.append(f"FOR SHARE OF {', '.join(clause(shared))}")
    return sql[: -len(whole)] + " ".join(parts)


class PreparedQuery:
    """``build(*values)`` gives the queryset; calling the prepared query with
    values gives the list of its model objects (or its ``values_list()`` rows).
    ``arity=0``: a query without values (a short list read on every request);
    ``sliced=True``: each call reads the slice ``rows=(start, stop)``;
    ``shared=(names)``: those rows of ``of`` locked ``FOR SHARE``."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        arity: int = 1,
        *,
        sliced: bool = False,
        shared: tuple[str, ...] = (),
    ):
        if not 0 <= arity <= len(_MARKERS):
            raise ValueError(f"arity must be between 0 and {len(_MARKERS)}")
        self._build = build
        self._arity = arity
        self._sliced = sliced
        self._shared = shared
        self._local = threading.local()

    def _compiled(self, alias: str) -> dict[str, Any]:
        connection = connections[alias]
        cache = self._local.__dict__.setdefault("by_alias", {})
        compiled = cache.get(alias)
        if compiled is not None and compiled["connection"] is connection:
            return compiled
        queryset = self._build(*_MARKERS[: self._arity])
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = _slots(params, _MARKERS)
        check = self._build(*_CHECK_MARKERS[: self._arity]).query.get_compiler(using=alias)
        check_sql, check_params = check.as_sql()
        if check_sql != sql or _slots(check_params, _CHECK_MARKERS) != slots:
            raise ValueError("the query's SQL must not depend on the values")
        if sorted({marker for _, marker in slots}) != list(range(self._arity)):
            raise ValueError("every value must appear as a parameter of the query")
        if self._shared:
            sql = _share_locked(compiler, sql, self._shared)
        if self._sliced:
            if queryset.query.is_sliced:
                raise ValueError("a sliced prepared query is given its slice at each call")
            sql += " LIMIT %s OFFSET %s"
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        compiled = {
            "connection": connection,
            "compiler": compiler,
            "sql": sql,
            "params": list(params),
            "slots": slots,
            "types": {position: type(params[position]) for position, _ in slots},
            "iterable": queryset._iterable_class,
            # What results_iter() would work out again on every call.
            "converters": compiler.get_converters(columns),
            "composite": compiler.has_composite_fields(columns),
            "columns": columns,
        }
        if compiled["iterable"] is ModelIterable:
            compiled.update(self._model_reading(compiler, alias))
        elif compiled["iterable"] not in (ValuesListIterable, FlatValuesListIterable):
            raise ValueError("a prepared query gives model objects or values_list() rows")
        cache[alias] = compiled
        return compiled

    @staticmethod
    def _model_reading(compiler, alias: str) -> dict[str, Any]:
        klass_info = compiler.klass_info
        start = klass_info["select_fields"][0]
        end = klass_info["select_fields"][-1] + 1
        return {
            "model": klass_info["model"],
            "fields": (start, end),
            "init_list": [column[0].target.attname for column in compiler.select[start:end]],
            "populators": get_related_populators(klass_info, compiler.select, alias),
            "annotations": dict(compiler.annotation_col_map or {}),
        }

    def __call__(
        self, *values, using: str = "default", rows: tuple[int, int] | None = None
    ) -> list[Model] | list[tuple] | list:
        if len(values) != self._arity:
            raise TypeError(f"expected {self._arity} values, got {len(values)}")
        if (rows is not None) != self._sliced:
            raise TypeError("rows=(start, stop) is given to a sliced prepared query, and only")
        compiled = self._compiled(using)
        params = list(compiled["params"])
        for position, marker in compiled["slots"]:
            # The database adapter's own integer type where it has one (a
            # small integer column's values are given as such).
            value = values[marker]
            params[position] = value if value is None else compiled["types"][position](value)
        if rows is not None:
            start, stop = rows
            if not 0 <= start <= stop:
                raise ValueError("a slice is 0 <= start <= stop")
            params += [stop - start, start]
        compiler = compiled["compiler"]
        with _cursor(compiled["connection"]) as cursor:
            cursor.execute(compiled["sql"], params)
            rows = cursor.fetchall()
        if compiled["converters"]:
            rows = compiler.apply_converters(rows, compiled["converters"])
        if compiled["composite"]:
            rows = compiler.composite_fields_to_tuples(rows, compiled["columns"])
        if compiled["iterable"] is ValuesListIterable:
            return [tuple(row) for row in rows]
        if compiled["iterable"] is FlatValuesListIterable:
            return [row[0] for row in rows]
        start, end = compiled["fields"]
        model = compiled["model"]
        objects = []
        for row in rows:
            obj = model.from_db(using, compiled["init_list"], row[start:end])
            for populator in compiled["populators"]:
                populator.populate(row, obj)
            for name, position in compiled["annotations"].items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


class PreparedInsert:
    """An INSERT of rows of ``model``, its SQL written once: calling it with
    model instances (built, not saved) writes them, with no ``RETURNING``
    (the caller knows what it needs of the rows: a key drawn in Python, or
    nothing). On PostgreSQL it is a prepared statement, as a
    ``PreparedQuery`` is. Like ``bulk_create`` it sends no signal and calls
    no ``save()``; every column is written as ``save()`` would write it
    (``pre_save``: defaults, ``auto_now_add``), but a key the database draws."""

    def __init__(self, model: type[Model]):
        self._model = model
        meta = model._meta
        self._fields = [
            field
            for field in meta.local_concrete_fields
            if not field.generated and field is not meta.auto_field
        ]
        self._sql_by_alias: dict[str, str] = {}

    def _sql(self, alias: str) -> str:
        """Django's own SQL for one row, with no ``RETURNING``."""
        sql = self._sql_by_alias.get(alias)
        if sql is None:
            query = InsertQuery(self._model)
            query.insert_values(self._fields, [self._model()])
            [(sql, _params)] = query.get_compiler(using=alias).as_sql()
            self._sql_by_alias[alias] = sql
        return sql

    def __call__(self, *objects: Model, using: str = "default") -> None:
        connection = connections[using]
        rows = [
            [
                field.get_db_prep_save(field.pre_save(obj, add=True), connection)
                for field in self._fields
            ]
            for obj in objects
        ]
        sql = self._sql(using)
        with _cursor(connection) as cursor:
            if len(rows) == 1:
                cursor.execute(sql, rows[0])
            elif rows:
                cursor.executemany(sql, rows)


class PreparedUpdate:
    """An UPDATE of the columns ``fields`` of one row of ``model`` by its key,
    its SQL written once: calling it with a model instance (read, then
    changed) writes those columns as ``save(update_fields=fields)`` would
    (``pre_save``: ``auto_now``), with no compiling. Like ``QuerySet.update``
    it sends no signal and calls no ``save()``; a row that is not there is an
    error, as it is for ``save(update_fields=...)``. On PostgreSQL it is a
    prepared statement, as a ``PreparedQuery`` is."""

    def __init__(self, model: type[Model], fields: list[str]):
        self._model = model
        self._fields = [model._meta.get_field(name) for name in fields]
        if any(hasattr(field, "get_placeholder") for field in self._fields):
            raise ValueError("a column whose value is not a plain parameter is not prepared")
        self._sql_by_alias: dict[str, str] = {}

    def _sql(self, alias: str) -> str:
        """The columns' names quoted by the database's backend; every value bound."""
        sql = self._sql_by_alias.get(alias)
        if sql is None:
            quote = connections[alias].ops.quote_name
            meta = self._model._meta
            columns = ", ".join(f"{quote(field.column)} = %s" for field in self._fields)
            sql = f"UPDATE {quote(meta.db_table)} SET {columns} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
            self._sql_by_alias[alias] = sql
        return sql

    def __call__(self, obj: Model, using: str = "default") -> None:
        connection = connections[using]
        values = [
            field.get_db_prep_save(field.pre_save(obj, add=False), connection)
            for field in self._fields
        ]
        values.append(obj.pk)
        with _cursor(connection) as cursor:
            cursor.execute(self._sql(using), values)
            if cursor.rowcount != 1:
                raise DatabaseError(f"{self._model.__name__} {obj.pk} was not updated.")
