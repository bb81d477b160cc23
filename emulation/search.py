"""Search that ignores diacritics and case: "dan toc" finds "Dân tộc".

Both sides are folded the same way: lower case, Vietnamese (and other Latin)
letters without their marks, "đ" as "d". In the database the fold is plain
SQL ``translate(lower(…))`` on PostgreSQL (no extension needed) and a
function registered on each SQLite connection.
"""

from __future__ import annotations

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import CharField, Func, Q, Value


def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", char)[0]
    return base.lower()


# Every accented Latin letter (Latin-1, Latin Extended-A/B and the Vietnamese
# block), upper and lower case, with the one plain letter it folds to.
_ACCENTED = "".join(
    chr(code)
    for block in ((0x00C0, 0x0250), (0x1EA0, 0x1F00))
    for code in range(*block)
    if chr(code).isalpha()
    and len(_fold_char(chr(code))) == 1
    and _fold_char(chr(code)).isascii()
    and _fold_char(chr(code)) != chr(code)
)
_PLAIN = "".join(_fold_char(c) for c in _ACCENTED)
_TABLE = str.maketrans(_ACCENTED, _PLAIN)


def fold(text: str) -> str:
    """``text`` in lower case without diacritics."""
    return unicodedata.normalize("NFC", text).lower().translate(_TABLE)


class Folded(Func):
    """The database's fold of a text column, to compare with ``fold(query)``."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        # translate(lower(x), accented, plain): lower() alone is ASCII-only
        # under the C locale, so the upper-case accented letters are mapped too.
        return Func(
            Func(self.source_expressions[0], function="LOWER"),
            Value(_ACCENTED),
            Value(_PLAIN),
            function="TRANSLATE",
        ).as_sql(compiler, connection, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return Func(self.source_expressions[0], function="emulation_fold").as_sql(
            compiler, connection, **extra_context
        )


def _register_on_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "emulation_fold",
            1,
            lambda text: None if text is None else fold(text),
            deterministic=True,
        )


def connect() -> None:
    """Register the SQLite function on every new connection (from the app's ready())."""
    connection_created.connect(_register_on_sqlite, dispatch_uid="emulation.search.fold")


def matching(queryset, query: str, *fields: str):
    """``queryset`` narrowed to rows where any of ``fields`` contains every
    word of ``query``, diacritics and case ignored."""
    words = fold(query).split()
    if not words:
        return queryset
    annotations = {f"_folded_{name}": Folded(name) for name in fields}
    queryset = queryset.annotate(**annotations)
    for word in words:
        condition = Q()
        for alias in annotations:
            condition |= Q(**{f"{alias}__contains": word})
        queryset = queryset.filter(condition)
    return queryset
