"""Reads of scoring tables."""

from __future__ import annotations

import copy

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from blocs.models import BlocYear, Criterion, CriterionGroup, ScoringTable, SelfAssessment
from emulation.models import User
from emulation.rules import is_council_staff, sees_all_provinces


def scoring_table_for(bloc_year: BlocYear) -> ScoringTable | None:
    """The table a bloc-year uses: the one its assessments were started with;
    else its bloc's latest table for the year; else the province default."""

    started = (
        SelfAssessment.objects.filter(membership__bloc_year=bloc_year)
        .select_related("table")
        .first()
    )
    if started is not None:
        return started.table
    tables = list(
        ScoringTable.objects.filter(year_id=bloc_year.year_id)
        .filter(Q(bloc_id__isnull=True) | Q(bloc_id=bloc_year.bloc_id))
        .order_by("-version")
    )
    own = [t for t in tables if t.bloc_id == bloc_year.bloc_id]
    default = [t for t in tables if t.bloc_id is None]
    return (own or default or [None])[0]


def tables_visible_to(user: User) -> QuerySet[ScoringTable]:
    """Council staff see their province's tables (national: all)."""
    qs = ScoringTable.objects.select_related("year", "bloc").annotate(
        criterion_count=Count("criteria", distinct=True)
    )
    if not user.is_authenticated:
        return qs.none()
    if sees_all_provinces(user):
        return qs
    if is_council_staff(user):
        return qs.filter(year__province_id=user.province_id)
    return qs.none()


def get_table_for(user: User, pk: int) -> ScoringTable:
    try:
        return tables_visible_to(user).get(pk=pk)
    except ScoringTable.DoesNotExist:
        raise Http404 from None


# Frozen tables' structures this process has read, by the cache's key: an
# assessment page and every autosave ask for theirs.
_frozen_structures: dict[str, tuple[list[CriterionGroup], list[Criterion]]] = {}
_FROZEN_KEPT = 512


def forget_frozen_structures() -> None:
    """Empty this process's copies (with the cache, between tests)."""
    _frozen_structures.clear()


def table_structure(
    table: ScoringTable, *, shared: bool = False
) -> tuple[list[CriterionGroup], list[Criterion]]:
    """Groups and criteria in order (two queries); each group gets ``.items``.
    A frozen table never changes again: its structure comes from the cache,
    under a key naming the table and the moment it froze (no query), and is
    then kept in the process. Each call gets groups of its own (callers hang
    their rows on them), unless it only reads them (``shared``); the criteria
    are shared and must not be changed."""
    if table.frozen_at is None:
        return _table_structure(table)
    key = f"table-structure:{table.pk}:{table.frozen_at.isoformat()}"
    structure = _frozen_structures.get(key)
    if structure is None:
        structure = cache.get(key)
        if structure is None:
            structure = _table_structure(table)
            cache.set(key, structure, 24 * 60 * 60)
        if len(_frozen_structures) >= _FROZEN_KEPT:
            _frozen_structures.clear()
        _frozen_structures[key] = structure
    groups, criteria = structure
    return (groups if shared else [copy.copy(g) for g in groups]), criteria


def _table_structure(table: ScoringTable) -> tuple[list[CriterionGroup], list[Criterion]]:
    groups = list(table.groups.order_by("order", "id"))
    criteria = list(Criterion.objects.filter(table=table).order_by("group__order", "order", "id"))
    by_group: dict[int, list[Criterion]] = {}
    for c in criteria:
        by_group.setdefault(c.group_id, []).append(c)
    for g in groups:
        g.items = by_group.get(g.pk, [])
    criteria = [c for g in groups for c in g.items]
    return groups, criteria
