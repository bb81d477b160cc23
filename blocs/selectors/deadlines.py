"""The effective deadline of a step: the latest of the year's own deadline,
the bloc-year's extension and the agency's extension.

Every deadline check and every page that shows a deadline reads it here.
``effective_deadline`` answers for one bloc-year (one query for its
extensions, none when they were prefetched with ``with_extensions``);
``bloc_year_deadlines`` and ``membership_deadlines`` answer for a list page in
one query whatever its length.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections
from django.db.models import (
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import JSONArray
from django.utils.translation import gettext as _

from blocs.enums import DEADLINE_FIELD_OF_STEP, DeadlineStep, Phase
from blocs.models import BlocYear, BlocYearReview, DeadlineExtension, EmulationYear, Membership
from emulation.json_rows import JSONList
from emulation.prepared import PreparedQuery


@dataclass(frozen=True)
class Deadline:
    """A step's deadline for one bloc-year (or one agency in it)."""

    step: DeadlineStep | None  # None: a date no extension applies to
    own: datetime.date | None  # the year's deadline
    extension: DeadlineExtension | None = None  # the extension in force, if any

    @property
    def date(self) -> datetime.date | None:
        return self.extension.deadline if self.extension is not None else self.own

    @property
    def extended(self) -> bool:
        return self.extension is not None

    def passed(self, today: datetime.date) -> bool:
        """True once ``today`` is after the deadline day."""
        return self.date is not None and today > self.date

    def days_left(self, today: datetime.date) -> int | None:
        return None if self.date is None else (self.date - today).days


def year_deadline(year: EmulationYear, step: DeadlineStep | str) -> datetime.date | None:
    """The year's own deadline of a step, as the council set it for the province."""
    return getattr(year, DEADLINE_FIELD_OF_STEP[DeadlineStep(step)])


def _resolve(
    own: datetime.date | None,
    extensions: Iterable[DeadlineExtension],
    step: DeadlineStep,
    membership_id: int | None,
) -> Deadline:
    best: DeadlineExtension | None = None
    if own is None:  # no deadline for the step this year: nothing to extend
        return Deadline(step=step, own=None)
    for extension in extensions:
        if extension.step != step:
            continue
        if extension.membership_id is not None and extension.membership_id != membership_id:
            continue
        if extension.deadline <= own:
            continue
        if best is None or extension.deadline > best.deadline:
            best = extension
    return Deadline(step=step, own=own, extension=best)


def with_extensions(queryset: QuerySet[BlocYear]) -> QuerySet[BlocYear]:
    """Bloc-years with their extensions prefetched (one query for all)."""
    return queryset.prefetch_related("deadline_extensions")


# A bloc-year's extensions when they were not prefetched: compiled once per process.
_extensions_query = PreparedQuery(
    lambda bloc_year_id: DeadlineExtension.objects.filter(bloc_year_id=bloc_year_id)
)


# The whole-bloc-year extensions of every bloc-year of a year: compiled once per process.
_year_extensions_query = PreparedQuery(
    lambda year_id: DeadlineExtension.objects.filter(
        bloc_year__year_id=year_id, membership__isnull=True
    )
)


def bloc_year_extensions_in(year: EmulationYear) -> dict[int, list[DeadlineExtension]]:
    """Bloc-year id → the extensions the council gave the whole bloc-year, for
    the bloc-years of an emulation year that have any (one query)."""
    found: dict[int, list[DeadlineExtension]] = {}
    for extension in _year_extensions_query(year.pk):
        found.setdefault(extension.bloc_year_id, []).append(extension)
    return found


def bloc_year_deadline(
    year: EmulationYear, step: DeadlineStep | str, extensions: Iterable[DeadlineExtension]
) -> Deadline:
    """The step's deadline for a whole bloc-year of ``year``, from its
    extensions already read (no query)."""
    step = DeadlineStep(step)
    return _resolve(year_deadline(year, step), extensions, step, None)


def _extensions_of(bloc_year: BlocYear) -> list[DeadlineExtension]:
    """The prefetched rows when there are any (``load_extensions``), else one query."""
    if "deadline_extensions" in getattr(bloc_year, "_prefetched_objects_cache", {}):
        return list(bloc_year.deadline_extensions.all())
    return _extensions_query(bloc_year.pk)


def deadline_for(
    bloc_year: BlocYear, step: DeadlineStep | str, membership: Membership | None = None
) -> Deadline:
    """The step's deadline for the bloc-year, or for one agency (membership) in it."""
    step = DeadlineStep(step)
    return _resolve(
        year_deadline(bloc_year.year, step),
        _extensions_of(bloc_year),
        step,
        membership.pk if membership is not None else None,
    )


def effective_deadline(
    bloc_year: BlocYear, step: DeadlineStep | str, membership: Membership | None = None
) -> datetime.date | None:
    """The latest of the year's deadline, the bloc-year's and the agency's extension."""
    return deadline_for(bloc_year, step, membership).date


def _extensions_by_bloc_year(
    bloc_years: list[BlocYear], step: DeadlineStep
) -> dict[int, list[DeadlineExtension]]:
    found: dict[int, list[DeadlineExtension]] = {b.pk: [] for b in bloc_years}
    pending = []
    for bloc_year in bloc_years:
        cache = getattr(bloc_year, "_prefetched_objects_cache", {})
        if "deadline_extensions" in cache:
            found[bloc_year.pk] = list(cache["deadline_extensions"])
        else:
            pending.append(bloc_year.pk)
    if pending:
        for extension in DeadlineExtension.objects.filter(bloc_year_id__in=pending, step=step):
            found[extension.bloc_year_id].append(extension)
    return found


def bloc_year_deadlines(
    bloc_years: Iterable[BlocYear], step: DeadlineStep | str
) -> dict[int, Deadline]:
    """Bloc-year id → the step's deadline for the whole bloc-year (one query at most)."""
    step = DeadlineStep(step)
    bloc_years = list(bloc_years)
    extensions = _extensions_by_bloc_year(bloc_years, step)
    return {
        b.pk: _resolve(year_deadline(b.year, step), extensions[b.pk], step, None)
        for b in bloc_years
    }


def membership_deadlines(
    memberships: Iterable[Membership], step: DeadlineStep | str
) -> dict[int, Deadline]:
    """Membership id → the step's deadline for that agency (one query at most)."""
    step = DeadlineStep(step)
    memberships = list(memberships)
    bloc_years = list({m.bloc_year_id: m.bloc_year for m in memberships}.values())
    extensions = _extensions_by_bloc_year(bloc_years, step)
    return {
        m.pk: _resolve(
            year_deadline(m.bloc_year.year, step), extensions[m.bloc_year_id], step, m.pk
        )
        for m in memberships
    }


# The bloc-year page's extensions, with whom each is for and who granted it:
# compiled once per process.
_extensions_listed = PreparedQuery(
    lambda bloc_year_id: (
        DeadlineExtension.objects.filter(bloc_year_id=bloc_year_id)
        .select_related("membership__agency", "granted_by")
        .order_by("step", "membership_id", "id")
    )
)
_STEP_ORDER = {step: n for n, step in enumerate(DeadlineStep)}


def extensions_of_bloc_year(bloc_year: BlocYear) -> list[DeadlineExtension]:
    """The bloc-year's extensions for its page, the bloc's before the agencies'
    (one query, which also serves every deadline asked of the bloc-year after)."""
    extensions = _extensions_listed(bloc_year.pk)
    # Kept on the bloc-year as Django's prefetch keeps a relation's rows, so
    # that every deadline asked of it afterwards reads them (``_extensions_of``).
    cached = DeadlineExtension.objects.all()
    cached._result_cache = extensions
    cached._prefetch_done = True
    bloc_year.__dict__.setdefault("_prefetched_objects_cache", {})["deadline_extensions"] = cached
    return sorted(
        extensions,
        key=lambda e: (
            _STEP_ORDER[e.step],
            e.membership_id is not None,
            e.membership.agency.name if e.membership_id else "",
        ),
    )


def open_steps(bloc_year: BlocYear) -> set[DeadlineStep]:
    """The steps whose deadline can still be extended (or an extension withdrawn)."""
    return {step for step in DeadlineStep if extension_refusal(bloc_year, step) is None}


def _scores_locked(bloc_year: BlocYear, phase: Phase) -> bool:
    if phase.index >= Phase.RANKING_PUBLISHED.index:
        return True
    review = BlocYearReview.objects.filter(bloc_year=bloc_year).only("locked_at").first()
    return review is not None and review.locked_at is not None


def extension_refusal(bloc_year: BlocYear, step: DeadlineStep | str) -> str | None:
    """Why a later deadline for the step would no longer change anything (the
    step is over for the bloc-year), or None while it still can."""
    step = DeadlineStep(step)
    phase = Phase(bloc_year.phase)
    if step == DeadlineStep.REGISTRATION and phase.index > Phase.IN_PROGRESS.index:
        return _("Registration is over for this bloc-year: its deadline can no longer be extended.")
    scored_steps = (DeadlineStep.SELF_ASSESSMENT, DeadlineStep.DISPUTES)
    if step in scored_steps and _scores_locked(bloc_year, phase):
        return _(
            "The scores of this bloc-year are locked: the %(step)s deadline can no longer "
            "be extended."
        ) % {"step": step.label.lower()}
    if step == DeadlineStep.PROPOSAL and phase.index >= Phase.PROPOSAL_SUBMITTED.index:
        return _(
            "The proposal has already been sent to the council: its deadline can no longer "
            "be extended."
        )
    return None


# What a page asks of an extension read with its bloc-year (the other columns
# are read if ever asked).
_READ_WITH = ("id", "bloc_year_id", "membership_id", "step", "deadline", "reason")


def extensions_read_with(bloc_year_path: str) -> Subquery:
    """An annotation of a read that holds a bloc-year (its id at
    ``bloc_year_path``): the bloc-year's extensions as one JSON value, for
    ``keep_extensions``. A page that reads its bloc-year so reads its
    deadlines without a query of their own."""
    return Subquery(
        DeadlineExtension.objects.filter(bloc_year_id=OuterRef(bloc_year_path))
        .order_by()
        .values("bloc_year_id")
        .annotate(rows=JSONList(JSONArray(*_READ_WITH)))
        .values("rows")
    )


def keep_extensions(bloc_year: BlocYear, rows: list | None) -> None:
    """Keep on the bloc-year the extensions read with it
    (``extensions_read_with``; None: it has none) where ``load_extensions``
    keeps them, in the model's order, for every deadline asked of it after."""
    db = DeadlineExtension.objects.db
    extensions = []
    for values in rows or ():
        values = list(values)
        values[4] = datetime.date.fromisoformat(values[4])
        extension = DeadlineExtension.from_db(db, _READ_WITH, values)
        extension.bloc_year = bloc_year
        extensions.append(extension)
    if len(extensions) > 1:
        # The model's ordering (step, membership, id), with the database's place for no membership.
        last = connections[db].features.nulls_order_largest
        extensions.sort(
            key=lambda e: (e.step, (e.membership_id is None) == last, e.membership_id or 0, e.id)
        )
    # Kept as Django's prefetch keeps a relation's rows (as ``extensions_of_bloc_year`` does).
    kept = DeadlineExtension.objects.all()
    kept._result_cache = extensions
    kept._prefetch_done = True
    bloc_year.__dict__.setdefault("_prefetched_objects_cache", {})["deadline_extensions"] = kept


def load_extensions(*bloc_years: BlocYear) -> None:
    """Read the bloc-years' extensions once (one query), so that every
    deadline asked of them afterwards costs none."""
    if len(bloc_years) == 1:
        # A page's one bloc-year (the common case): the compiled query, its
        # rows kept where a prefetch keeps them, at a fraction of the cost.
        bloc_year = bloc_years[0]
        prefetched = bloc_year.__dict__.setdefault("_prefetched_objects_cache", {})
        if "deadline_extensions" not in prefetched:
            rows = bloc_year.deadline_extensions.all()
            rows._result_cache = _extensions_query(bloc_year.pk)
            for extension in rows._result_cache:
                extension.bloc_year = bloc_year
            rows._prefetch_done = True
            prefetched["deadline_extensions"] = rows
        return
    prefetch_related_objects(list(bloc_years), "deadline_extensions")


def agency_deadlines(
    bloc_years: Iterable[BlocYear], step: DeadlineStep | str, agency_id: int
) -> dict[int, Deadline]:
    """Bloc-year id → the step's deadline for one agency, a member of each of
    the bloc-years (one query at most)."""
    step = DeadlineStep(step)
    bloc_years = list(bloc_years)
    if not bloc_years:
        return {}
    found: dict[int, list[DeadlineExtension]] = {b.pk: [] for b in bloc_years}
    for extension in DeadlineExtension.objects.filter(
        Q(membership__isnull=True) | Q(membership__agency_id=agency_id),
        bloc_year_id__in=list(found),
        step=step,
    ):
        found[extension.bloc_year_id].append(extension)
    return {
        b.pk: _resolve(
            year_deadline(b.year, step),
            found[b.pk],
            step,
            next((e.membership_id for e in found[b.pk] if e.membership_id), None),
        )
        for b in bloc_years
    }
