"""``{% assessment_row row %}``: the one partial of an assessment row
(blocs/assessment/_row.html), for the page and for an autosave's answer alike,
kept in the cache under a digest of everything the row shows.

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
from pathlib import Path

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

register = template.Library()

PARTIAL = "blocs/assessment/_row.html"
TIMEOUT = 24 * 60 * 60
_PREFETCHED = "assessment_rows"


def _partial_digest() -> str:
    for directory in settings.TEMPLATES[0]["DIRS"]:
        path = Path(directory) / PARTIAL
        if path.exists():
            return hashlib.sha1(path.read_bytes(), usedforsecurity=False).hexdigest()[:12]
    return "0"


_SOURCE = _partial_digest()


def row_key(row, editable: bool) -> str:
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
        translation.get_language(),
        timezone.get_current_timezone_name(),
        _SOURCE,
    )
    digest = hashlib.sha1(repr(shown).encode(), usedforsecurity=False).hexdigest()
    return f"assessment-row:{digest}"


def _render(row, editable: bool, form=None, stale=None) -> str:
    return get_template(PARTIAL).render(
        {"row": row, "editable": editable, "form": form, "stale": stale}
    )


def _cached(rows, editable: bool) -> dict[int, str]:
    """Rows by criterion: all of them in one round trip to the cache, the
    missing ones rendered and stored in one more."""
    keys = {row_key(row, editable): row for row in rows}
    html = cache.get_many(list(keys))
    missing = {key: _render(row, editable) for key, row in keys.items() if key not in html}
    if missing:
        cache.set_many(missing, TIMEOUT)
        html.update(missing)
    return {row.criterion.pk: html[key] for key, row in keys.items()}


@register.simple_tag(takes_context=True)
def assessment_row(context, row):
    editable = bool(context.get("editable"))
    form, stale = context.get("form"), context.get("stale")
    if form or stale:
        html = _render(row, editable, form, stale)
    else:
        page = getattr(context.get("view"), "rows", None)
        if not isinstance(page, dict) or row.criterion.pk not in page:
            # An autosave's row: just saved, so new; stored for the next page.
            html = _render(row, editable)
            cache.set(row_key(row, editable), html, TIMEOUT)
            return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there
        # The page's rows are fetched together, at the first one.
        rows = context.render_context.get(_PREFETCHED)
        if rows is None or row.criterion.pk not in rows:
            rows = context.render_context[_PREFETCHED] = _cached(page.values(), editable)
        html = rows[row.criterion.pk]
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there
