"""Rows of one query read inside another, as one JSON value.

A page that reads its main object and then, in a query of its own, a list
hanging from it (an assessment's items) pays a second round trip to the
database for what a subquery of the first read gives: the list's rows as one
JSON array. ``JSONRows`` names the columns once, as ``values_list()`` takes
them, writes the subquery (``read_with``) and turns its text back into the
tuples ``values_list()`` would give (``decode``): the same values of the
same types on PostgreSQL and SQLite (decimals to their places, booleans,
aware datetimes, dates). The text itself can serve as a key: it names
everything that was read.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Aggregate, JSONField, OuterRef, Subquery, TextField
from django.db.models.functions import Cast, JSONArray


class JSONList(Aggregate):
    """A group's values as one JSON list."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def _field_at(model: type[models.Model], path: str) -> models.Field:
    """The field a ``values_list()`` path names (``pk``, ``updated_by__full_name``,
    ``evidence__id``: across relations, forward or reverse)."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _aware(value: str) -> datetime.datetime:
    # PostgreSQL writes the offset (the connection's time zone is UTC);
    # SQLite stores UTC without one.
    moment = datetime.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    kind = field.get_internal_type()
    if kind == "DecimalField":
        exponent = Decimal(1).scaleb(-field.decimal_places)
        return lambda value: Decimal(value).quantize(exponent)
    if kind == "BooleanField":
        return bool
    if kind == "DateTimeField":
        return _aware
    if kind == "DateField":
        return datetime.date.fromisoformat
    return None  # numbers and text are read as they are


class JSONRows:
    """The rows of ``model`` at ``columns`` (paths as ``values_list()`` takes
    them) read as one JSON text with another query's row."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]):
        self.model = model
        self.columns = tuple(columns)
        self._converters = [
            (position, converter)
            for position, path in enumerate(self.columns)
            if (converter := _converter(_field_at(model, path))) is not None
        ]

    def read_with(self, outer_key: str, key: str = "pk") -> Cast:
        """An annotation of a read of another model: the rows whose
        ``outer_key`` is the read row's ``key``, as JSON text (None for no
        row)."""
        rows = (
            self.model.objects.filter(**{outer_key: OuterRef(key)})
            .order_by()
            .values(outer_key)
            .annotate(rows=JSONList(JSONArray(*self.columns)))
            .values("rows")
        )
        return Cast(Subquery(rows), TextField())

    def decode(self, text: str | None) -> list[tuple]:
        """The tuples ``values_list(*columns)`` would give for the rows read."""
        rows = json.loads(text, parse_float=Decimal) if text else []
        for row in rows:
            for position, converter in self._converters:
                if row[position] is not None:
                    row[position] = converter(row[position])
        return [tuple(row) for row in rows]
