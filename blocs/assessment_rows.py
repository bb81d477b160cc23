"""The rows of the assessment page: one partial (jinja2/blocs/assessment/_row.html)
for the page and for an autosave's answer alike, kept in the cache under a
digest of everything the row shows.

A row holds no token and nothing of the person who looks at it but whether
they may edit it, so the key is the row's own content: the criterion, the
saved item (its version, values, who saved it and when), its files, its
links, whether it is editable, the language, the time zone and the partial's
source. Any change to one of them is another key: nothing is invalidated by
hand and nothing leaks from one person, role or language to another. A row
showing a form's errors or a stale save is never cached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template import engines
from django.utils import timezone, translation
from markupsafe import Markup

from blocs.selectors.assessment import Row

PARTIAL = "blocs/assessment/_row.html"
TIMEOUT = 24 * 60 * 60
_SOURCE = hashlib.sha1(
    (Path(settings.BASE_DIR) / "jinja2" / PARTIAL).read_bytes(), usedforsecurity=False
).hexdigest()[:12]


def _drawn_for() -> tuple[str, str, str]:
    """What every row's drawing depends on besides the row: the language, the
    time zone and the partial's source."""
    return (translation.get_language(), timezone.get_current_timezone_name(), _SOURCE)


def row_key(row: Row, editable: bool, drawn_for: tuple[str, str, str] | None = None) -> str:
    c, item = row.criterion, row.item
    shown = (
        c.pk,
        c.code,
        c.text,
        c.guidance,
        c.kind,
        str(c.max_points),
        str(c.step),
        c.na_allowed,
        c.evidence_required,
        row.save_url,
        bool(editable),
        None
        if item is None
        else (
            item.pk,
            item.version,
            str(item.score),
            item.not_applicable,
            item.note,
            item.updated_at.isoformat() if item.updated_at else None,
            item.updated_by.get_full_name() if item.updated_by_id else None,
        ),
        tuple(
            (e.pk, e.original_name, e.download_url, e.delete_url, tuple(e.shared_with))
            for e in row.evidence
        ),
        drawn_for or _drawn_for(),
    )
    digest = hashlib.sha1(repr(shown).encode(), usedforsecurity=False).hexdigest()
    return f"assessment-row:{digest}"


def _render(row: Row, editable: bool, form=None, stale=None) -> str:
    template = engines["jinja2"].env.get_template(PARTIAL)
    return template.render(row=row, editable=editable, form=form, stale=stale)


def render_row(row: Row, *, editable: bool, form=None, stale=None) -> Markup:
    """One row, rendered afresh (an autosave's answer). A row as saved is
    stored for the next page; one with a refused value or a stale save is not."""
    html = _render(row, editable, form, stale)
    if not form and not stale:
        cache.set(row_key(row, editable), html, TIMEOUT)
    return Markup(html)  # noqa: S704 - rendered by the template engine, escaped there


def page_rows(rows: Iterable[Row], *, editable: bool) -> dict[int, Markup]:
    """The page's rows by criterion: all of them in one round trip to the
    cache, the missing ones rendered and stored in one more."""
    drawn_for = _drawn_for()
    keys = {row_key(row, editable, drawn_for): row for row in rows}
    html = cache.get_many(list(keys))
    missing = {key: _render(row, editable) for key, row in keys.items() if key not in html}
    if missing:
        cache.set_many(missing, TIMEOUT)
        html.update(missing)
    return {row.criterion.pk: Markup(html[key]) for key, row in keys.items()}  # noqa: S704
