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

Since a key can only ever name the same HTML, each process also keeps the
rows it drew, read or saved, by what they show: a page shown again (by any
user) takes its rows from there, without a round trip to the cache. And a
page whose saved state has not changed since the process last showed it (its
view is the one kept, see ``blocs.selectors.assessment.assessment_view``)
takes them from its view, without computing their keys.
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


def _shown(row: Row, editable: bool, drawn_for: tuple[str, str, str]) -> tuple:
    """Everything the row's drawing depends on."""
    c, item = row.criterion, row.item
    return (
        c.id,
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
            row.saved_by,
        ),
        tuple(
            (e.id, e.original_name, e.download_url, e.delete_url, tuple(e.shared_with))
            for e in row.evidence
        ),
        drawn_for,
    )


def _key(shown: tuple) -> str:
    """The row's key in the cache."""
    digest = hashlib.sha1(repr(shown).encode(), usedforsecurity=False).hexdigest()
    return f"assessment-row:{digest}"


# This process's rows, by what they show (see the module's docstring); a few
# megabytes at most, emptied when full.
_kept: dict[tuple, str] = {}
_KEPT = 2048


def _keep(drawn: dict[tuple, str]) -> None:
    if len(_kept) + len(drawn) > _KEPT:
        _kept.clear()
    _kept.update(drawn)


def forget_kept_rows() -> None:
    """Empty this process's rows (with the cache, between tests)."""
    _kept.clear()


def _render(row: Row, editable: bool, form=None, stale=None) -> str:
    template = engines["jinja2"].env.get_template(PARTIAL)
    return template.render(row=row, editable=editable, form=form, stale=stale)


def render_row(row: Row, *, editable: bool, form=None, stale=None) -> Markup:
    """One row, rendered afresh (an autosave's answer). A row as saved is kept
    by the process for its next page (another process's page draws it once
    and stores it: a row is saved far more often than a page is loaded); one
    with a refused value or a stale save is not."""
    html = _render(row, editable, form, stale)
    if not form and not stale:
        _keep({_shown(row, editable, _drawn_for()): html})
    return Markup(html)  # noqa: S704 - rendered by the template engine, escaped there


def page_rows(rows: Iterable[Row], *, editable: bool, drawn: dict) -> dict[int, Markup]:
    """The page's rows by criterion. ``drawn`` is what was drawn of the rows'
    view before (``AssessmentView.drawn``, shared by every page that reads
    the same saved state): the rows found there are taken as they are. Of
    the others, those this process has kept are taken, the rest come from
    the cache in one round trip, and those missing there are rendered and
    stored in one more; all are added to ``drawn``."""
    drawn_for = _drawn_for()
    done = drawn.setdefault((bool(editable), drawn_for), {})
    rows = [row for row in rows if row.criterion.id not in done]
    if rows:
        done.update(_page_rows(rows, editable, drawn_for))
    return done


def _page_rows(rows: list[Row], editable: bool, drawn_for: tuple) -> dict[int, Markup]:
    shown = {row.criterion.id: (_shown(row, editable, drawn_for), row) for row in rows}
    html = {s: _kept[s] for s, _row in shown.values() if s in _kept}
    if len(html) < len(shown):
        keys = {_key(s): (s, row) for s, row in shown.values() if s not in html}
        found = cache.get_many(list(keys))
        missing = {
            key: _render(row, editable) for key, (_s, row) in keys.items() if key not in found
        }
        if missing:
            cache.set_many(missing, TIMEOUT)
            found.update(missing)
        drawn = {keys[key][0]: text for key, text in found.items()}
        _keep(drawn)
        html.update(drawn)
    return {pk: Markup(html[s]) for pk, (s, _row) in shown.items()}  # noqa: S704
