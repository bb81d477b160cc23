"""Reads and permission predicates of self-assessments."""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, Max, OuterRef, Q, prefetch_related_objects
from django.http import Http404
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs import scoring_math
from blocs.enums import (
    ASSESSMENT_EDITABLE_STATES,
    ASSESSMENT_PHASES,
    SELF_ASSESSMENT_TASK_PHASES,
    AssessmentState,
    CriterionKind,
    DeadlineStep,
    MemberRole,
    Phase,
)
from blocs.models import (
    AssessmentDelegation,
    BlocYear,
    Criterion,
    CriterionGroup,
    Evidence,
    ItemScore,
    Membership,
    SelfAssessment,
)
from blocs.selectors.deadlines import (
    bloc_year_deadlines,
    effective_deadline,
    extensions_read_with,
    keep_extensions,
    membership_deadlines,
)
from blocs.selectors.registration import targets_read_with
from blocs.selectors.scoring import table_structure
from emulation.dashboard import Task
from emulation.json_rows import JSONRows
from emulation.models import User, name_shown
from emulation.prepared import PreparedQuery

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


# --- time -------------------------------------------------------------------


def deadline_moment(deadline: datetime.date | None) -> datetime.datetime | None:
    """The end of the deadline day in Asia/Ho_Chi_Minh (the next midnight)."""
    if deadline is None:
        return None
    return datetime.datetime.combine(
        deadline + datetime.timedelta(days=1), datetime.time.min, VIETNAM
    )


def deadline_passed(
    bloc_year: BlocYear,
    now: datetime.datetime | None = None,
    membership: Membership | None = None,
) -> bool:
    """The self-assessment deadline of the bloc-year (or of one agency in it,
    with its extensions) is over."""
    moment = deadline_moment(
        effective_deadline(bloc_year, DeadlineStep.SELF_ASSESSMENT, membership)
    )
    return moment is not None and (now or timezone.now()) >= moment


def today_in_vietnam() -> datetime.date:
    return timezone.now().astimezone(VIETNAM).date()


# --- who may do what ---------------------------------------------------------


def edit_refusal(
    user: User, assessment: SelfAssessment, now: datetime.datetime | None = None
) -> str | None:
    """Why the user may not change the scores now, or None if they may."""
    bloc_year = assessment.membership.bloc_year
    if not user.has_perm("blocs.edit_assessment", assessment):
        return _("Only the agency's own staff can change its self-assessment.")
    if assessment.state not in ASSESSMENT_EDITABLE_STATES:
        return _("The self-assessment has been submitted and is read-only.")
    if assessment.reopened_at is not None:
        if bloc_year.phase not in ASSESSMENT_PHASES:
            return _("The self-assessment window is not open.")
        return None
    if bloc_year.phase != Phase.SELF_ASSESSMENT:
        return _("The self-assessment window is not open.")
    if deadline_passed(bloc_year, now, assessment.membership):
        deadline = effective_deadline(
            bloc_year, DeadlineStep.SELF_ASSESSMENT, assessment.membership
        )
        return _(
            "The deadline (%(date)s) has passed; only the bloc secretariat can reopen "
            "the self-assessment, or the council extend the deadline."
        ) % {"date": deadline.strftime("%d/%m/%Y")}
    return None


# --- fetching ---------------------------------------------------------------


def _assessments():
    return SelfAssessment.objects.select_related(
        "membership",
        "membership__agency",
        "membership__bloc_year",
        "membership__bloc_year__bloc",
        "membership__bloc_year__bloc__province",
        "membership__bloc_year__year",
        "table",
        # Who submitted it is shown; who changed it last is not (the rows
        # show who saved each).
        "submitted_by",
    )


# Every assessment page reads its assessment, with whether its reader is a
# person the head delegated the submission to (what the page's submit button
# asks of an officer) and its bloc-year's deadline extensions (what its
# deadline and whether it may be changed ask): compiled once per process.
def _read_by(pk: int, user_id: int):
    return (
        _assessments()
        .filter(pk=pk)
        .annotate(
            reader_is_delegate=Exists(
                AssessmentDelegation.objects.filter(
                    assessment_id=OuterRef("pk"), delegate_id=user_id
                )
            ),
            bloc_year_extensions=extensions_read_with("membership__bloc_year_id"),
        )
    )


_assessment_for_reader = PreparedQuery(_read_by, arity=2)
# The assessment page's read: the same, with the assessment's items, their
# savers' names and their files as one JSON text (``assessment_view``), and
# its member's registered targets with their reports as another
# (``targets_from_read``).
_assessment_page_for_reader = PreparedQuery(
    lambda pk, user_id: _read_by(pk, user_id).annotate(
        items_read=_ITEMS_READ.read_with("assessment_id"),
        targets_read=targets_read_with("membership_id"),
    ),
    arity=2,
)


def get_assessment_for(user: User, pk: int, *, page: bool = False) -> SelfAssessment:
    """An assessment the user may see; 404 for missing and forbidden alike.
    It knows whether the user is a delegate for its submission
    (``blocs.rules.is_delegate_for`` asks no query of it) and its bloc-year
    its deadline extensions. The assessment ``page`` also reads its items
    and its member's targets in the same query (``assessment_view`` and
    ``targets_from_read`` ask none)."""
    found = (_assessment_page_for_reader if page else _assessment_for_reader)(pk, user.pk)
    if found:
        assessment = found[0]
        assessment.delegation_read_for = user.pk
        keep_extensions(assessment.membership.bloc_year, assessment.bloc_year_extensions)
    return _seen_by(user, found)


# An autosave reads before its service locks the assessment only what the
# permission to see it asks (its agency, its bloc-year's phase, its
# province), its table (which holds the criterion saved) and what its answer
# shows besides the row (the province's words for the deductions): the
# service reads under its lock what the save is checked against. Compiled
# once per process.
_assessment_to_save = PreparedQuery(
    lambda pk: (
        SelfAssessment.objects.select_related("membership__bloc_year__bloc__province", "table")
        .filter(pk=pk)
        .order_by()
    )
)


def get_assessment_to_save(user: User, pk: int) -> SelfAssessment:
    """An assessment the user may see, read for an autosave (its year and its
    bloc-year's extensions are read if asked); 404 as ``get_assessment_for``."""
    return _seen_by(user, _assessment_to_save(pk))


def _seen_by(user: User, found: list[SelfAssessment]) -> SelfAssessment:
    """The assessment found, if the user may see it; 404 otherwise."""
    if not found or not user.has_perm("blocs.view_assessment", found[0]):
        raise Http404
    return found[0]


_criterion_of_table = PreparedQuery(
    lambda pk, table_id: Criterion.objects.filter(pk=pk, table_id=table_id), arity=2
)


def get_criterion_for(assessment: SelfAssessment, pk: int) -> Criterion:
    """A criterion of the assessment's table (every autosave names one); 404
    otherwise. A frozen table's criteria are known without a query."""
    if assessment.table.frozen_at is not None:
        _groups, criteria = table_structure(assessment.table, shared=True)
        found = [c for c in criteria if c.id == pk]
    else:
        found = _criterion_of_table(pk, assessment.table_id)
    if not found:
        raise Http404
    return found[0]


def assessment_of_membership(membership: Membership) -> SelfAssessment | None:
    return _assessments().filter(membership=membership).first()


# --- progress and detail -----------------------------------------------------


@dataclass
class Progress:
    scored: int = 0
    total: int = 0
    missing_evidence: int = 0

    @property
    def complete(self) -> bool:
        return self.scored >= self.total and self.missing_evidence == 0

    @property
    def unscored(self) -> int:
        return max(0, self.total - self.scored)

    def __str__(self):
        return _("%(k)s/%(n)s criteria, missing evidence: %(m)s") % {
            "k": self.scored,
            "n": self.total,
            "m": self.missing_evidence,
        }


def _needs_evidence(criterion: Criterion, item, evidence_count: int) -> bool:
    """An item (anything with ``score`` and ``not_applicable``) scored above
    zero on a criterion that requires evidence, with no file attached."""
    return bool(
        criterion.evidence_required
        and item is not None
        and not item.not_applicable
        and item.score is not None
        and item.score > 0
        and evidence_count == 0
    )


_SENTINELS = (987654321, 987654322)


@functools.lru_cache(maxsize=32)
def _link_parts(name: str, ids: int, prefix: str) -> tuple[str, ...]:
    """The address ``name`` takes with ``ids`` ids (under the script prefix
    ``prefix``), cut where they go: reverse() once per process."""
    address = reverse(name, args=list(_SENTINELS[:ids]))
    parts = []
    for sentinel in _SENTINELS[:ids]:
        head, address = address.split(str(sentinel), 1)
        parts.append(head)
    return (*parts, address)


def _link_maker(name: str, *args) -> Callable[[int], str]:
    """The address ``name`` takes with ``args`` and, last, the id it is
    called with: a 40-criterion page links every row and every file, and
    reverse() costs 20 µs a time."""
    parts = _link_parts(name, len(args) + 1, get_script_prefix())
    head = "".join(f"{part}{arg}" for part, arg in zip(parts, args, strict=False))
    head += parts[-2]
    tail = parts[-1]
    return lambda pk: f"{head}{pk}{tail}"


def _save_link(assessment: SelfAssessment) -> Callable[[int], str]:
    """A row's autosave address, relative to the assessment's page."""
    page = _link_maker("blocs:assessment_detail")(assessment.pk)
    absolute = _link_maker("blocs:item_save", assessment.pk)
    return lambda pk: absolute(pk).removeprefix(page)


class SavedItem(NamedTuple):
    """What the assessment page shows of a saved item, read as plain values:
    building forty items and the users who saved them as model objects cost
    the page more than reading them."""

    pk: int
    criterion_id: int
    score: Decimal | None
    not_applicable: bool
    note: str
    version: int
    updated_at: datetime.datetime | None


@dataclass
class Row:
    criterion: Criterion
    item: ItemScore | SavedItem | None
    evidence: list[Evidence] = field(default_factory=list)
    # Where the row's fields autosave, relative to the assessment's page
    # (where the row is always shown): a page has a hundred of them.
    save_url: str = ""
    # The name of who saved the item last (None: nobody yet).
    saved_by: str | None = None

    @property
    def missing_evidence(self) -> bool:
        return _needs_evidence(self.criterion, self.item, len(self.evidence))

    @property
    def unscored(self) -> bool:
        """A standard criterion with neither a score nor "not applicable": it
        keeps the assessment from being submitted."""
        return self.criterion.kind == CriterionKind.STANDARD and (
            self.item is None or (self.item.score is None and not self.item.not_applicable)
        )

    @property
    def version(self) -> int:
        return self.item.version if self.item else 0


# What the assessment page can show instead of every criterion: the ones not
# scored yet, the ones missing their evidence, or both (what keeps the
# assessment from being submitted).
ROW_FILTERS: dict[str, Callable[[Row], bool]] = {
    "unscored": lambda row: row.unscored,
    "missing": lambda row: row.missing_evidence,
    "incomplete": lambda row: row.unscored or row.missing_evidence,
}


@dataclass
class ShownGroup:
    """A group of the scoring table with the rows a filter keeps."""

    group: CriterionGroup
    rows: list[Row]


@dataclass
class AssessmentView:
    assessment: SelfAssessment
    groups: list[ShownGroup]  # every group of the table, with all its rows
    rows: dict[int, Row]
    totals: scoring_math.Totals
    progress: Progress
    # The rows as drawn, kept with the view by whoever draws them (the page:
    # blocs.assessment_rows), shared by every copy of the same view.
    drawn: dict = field(default_factory=dict, repr=False, compare=False)

    def shown_groups(self, show: str | None) -> list[ShownGroup]:
        """The groups and rows the page shows under the filter ``show`` (every
        row without one); a group left empty by the filter is left out."""
        keep = ROW_FILTERS.get(show or "")
        if keep is None:
            return self.groups
        shown = [ShownGroup(g.group, [r for r in g.rows if keep(r)]) for g in self.groups]
        return [g for g in shown if g.rows]

    def incomplete(self) -> tuple[list[Criterion], list[Criterion]]:
        """The criteria not scored yet and those missing their evidence, in
        the table's order: what a refused submission names."""
        rows = [r for g in self.groups for r in g.rows]
        return (
            [r.criterion for r in rows if r.unscored],
            [r.criterion for r in rows if r.missing_evidence],
        )


@dataclass
class RowView:
    """One criterion's row and the assessment's totals: what an autosave shows."""

    row: Row
    totals: scoring_math.Totals
    progress: Progress


class ItemState(NamedTuple):
    """What the totals and progress need of one saved item."""

    score: Decimal | None
    not_applicable: bool
    evidence_count: int


_NO_FILES = ItemState(None, False, 0)


def _summary(
    groups: list, criteria: list[Criterion], states: dict[int, ItemState]
) -> tuple[scoring_math.Totals, Progress]:
    """Totals and progress from each criterion's saved state (no query)."""
    # An item's state has what the totals read of its value: its score and "not applicable".
    totals = scoring_math.compute_totals(groups, criteria, states)
    standard = [c for c in criteria if c.kind == CriterionKind.STANDARD]
    scored = 0
    for c in standard:
        state = states.get(c.id)
        if state and (state.not_applicable or state.score is not None):
            scored += 1
    missing = 0
    for c in criteria:
        state = states.get(c.id)
        if state and _needs_evidence(c, state, state.evidence_count):
            missing += 1
    return totals, Progress(scored=scored, total=len(standard), missing_evidence=missing)


def _mark_shared(evidence: list[Evidence], attachments, code_of: Callable[[Evidence], str]) -> None:
    """Set ``shared_with`` on each file: the codes of the other criteria the
    same stored file is attached to (one upload can prove several criteria).
    ``attachments`` are (stored name, criterion code) pairs of the assessment,
    ``code_of`` the code of a file's own criterion."""
    codes: dict[str, set[str]] = {}
    for name, code in attachments:
        codes.setdefault(name, set()).add(code)
    for e in evidence:
        own = codes.get(e.file.name, set())
        e.shared_with = sorted(own - {code_of(e)})


# The assessment page's items, each with the name of who saved it and its
# files, one row a file (or one for an item without any): the columns of
# SavedItem, those of name_shown, then those of Evidence (None without a
# file). Compiled once per process.
_SAVER = tuple(f"updated_by__{f}" for f in ("full_name", "first_name", "last_name", "username"))
_EVIDENCE = [f.attname for f in Evidence._meta.concrete_fields]
_ITEM_END = len(SavedItem._fields)
_SAVER_END = _ITEM_END + len(_SAVER)
_PAGE_COLUMNS = (
    "pk",
    *SavedItem._fields[1:],
    *_SAVER,
    *(f"evidence__{name}" for name in _EVIDENCE),
)
_page_items = PreparedQuery(
    lambda assessment_id: (
        ItemScore.objects.filter(assessment_id=assessment_id).order_by().values_list(*_PAGE_COLUMNS)
    )
)
# The same rows, read with the page's assessment (``get_assessment_for(page=True)``).
_ITEMS_READ = JSONRows(ItemScore, _PAGE_COLUMNS)


def _file_order(evidence: Evidence) -> tuple:
    return (evidence.uploaded_at, evidence.id)


# The views this process built, by everything they are made of: a view read
# again with nothing changed (the same items, savers' names and files) is
# taken from here; any change is another key, so nothing is invalidated by
# hand. Only a frozen table's (its structure never changes). At most 128
# views with their rows as drawn, some megabytes; emptied when full.
_views: dict[tuple, AssessmentView] = {}
_VIEWS_KEPT = 128


def forget_kept_views() -> None:
    """Empty this process's views (with the cache, between tests)."""
    _views.clear()


def assessment_view(assessment: SelfAssessment) -> AssessmentView:
    """Everything the assessment page shows, in a fixed number of queries.
    The view is shared by every caller that reads the same saved state: it
    must not be changed."""
    table = assessment.table
    if hasattr(assessment, "items_read"):  # read with it, as one text
        read = assessment.items_read or ""
    else:
        read = tuple(_page_items(assessment.pk))
    if table.frozen_at is None:
        return _build_view(assessment, read)
    key = (assessment.pk, table.pk, table.frozen_at, get_script_prefix(), read)
    view = _views.get(key)
    if view is None:
        view = _build_view(assessment, read)
        if len(_views) >= _VIEWS_KEPT:
            _views.clear()
        _views[key] = view
    return dataclasses.replace(view, assessment=assessment)


def _build_view(assessment: SelfAssessment, read: str | tuple[tuple, ...]) -> AssessmentView:
    """The view of the items ``read``: their JSON text, or their rows."""
    saved = _ITEMS_READ.decode(read) if isinstance(read, str) else read
    groups, criteria = table_structure(assessment.table, shared=True)
    items, savers = {}, {}
    files = []
    db = Evidence.objects.db
    for values in saved:
        criterion_id = values[1]
        if criterion_id not in items:
            items[criterion_id] = SavedItem._make(values[:_ITEM_END])
            if values[_SAVER_END - 1] is not None:  # the username: someone saved it
                savers[criterion_id] = name_shown(*values[_ITEM_END:_SAVER_END])
        if values[_SAVER_END] is not None:  # a file
            files.append(Evidence.from_db(db, _EVIDENCE, values[_SAVER_END:]))
    files.sort(key=_file_order)
    save_url = _save_link(assessment)
    download_url = _link_maker("blocs:evidence_download")
    delete_url = _link_maker("blocs:evidence_delete", assessment.pk)
    evidence: dict[int, list[Evidence]] = {}
    code_of_item = {i.pk: c.code for c in criteria if (i := items.get(c.id))}
    _mark_shared(
        files,
        [(e.file.name, code_of_item.get(e.item_id, "")) for e in files],
        lambda e: code_of_item.get(e.item_id, ""),
    )
    for e in files:
        e.download_url, e.delete_url = download_url(e.id), delete_url(e.id)
        evidence.setdefault(e.item_id, []).append(e)
    rows = {}
    for c in criteria:
        cid = c.id
        item = items.get(cid)
        rows[cid] = Row(
            c,
            item,
            evidence.get(item.pk, []) if item else [],
            save_url=save_url(cid),
            saved_by=savers.get(cid),
        )
    # The table's groups are shared (the structure of a frozen table): each
    # is shown with its rows, not given them.
    shown = [ShownGroup(g, [rows[c.id] for c in g.items]) for g in groups]
    states = {
        cid: ItemState(r.item.score, r.item.not_applicable, len(r.evidence))
        for cid, r in rows.items()
        if r.item
    }
    totals, progress = _summary(groups, criteria, states)
    return AssessmentView(assessment, shown, rows, totals, progress)


# An autosave's row: the assessment's saved state (for the totals), its item,
# and its files with, in the same query, where else each is attached.
# Compiled once per process.
_item_states = PreparedQuery(
    lambda assessment_id: (
        ItemScore.objects.filter(assessment_id=assessment_id)
        .annotate(files=Count("evidence"))
        .order_by()
        .values_list("criterion_id", "score", "not_applicable", "files")
    )
)
_row_item = PreparedQuery(
    lambda assessment_id, criterion_id: ItemScore.objects.filter(
        assessment_id=assessment_id, criterion_id=criterion_id
    ).select_related("updated_by"),
    arity=2,
)
_row_evidence = PreparedQuery(
    lambda assessment_id, item_id: (
        Evidence.objects.filter(
            item__assessment_id=assessment_id,
            file__in=Evidence.objects.filter(item_id=item_id).values("file"),
        )
        .select_related("item__criterion")
        .order_by("uploaded_at", "id")
    ),
    arity=2,
)


def assessment_row(
    assessment: SelfAssessment,
    criterion: Criterion,
    item: ItemScore | None = None,
    states: dict[int, ItemState] | None = None,
) -> RowView:
    """One criterion's row with the assessment's totals and progress (at most
    three queries, whatever the size of the table): what an autosave answers.
    ``item`` is the criterion's item as just saved, if the caller has it, and
    ``states`` every item of the assessment as saved with it (criterion id →
    ItemState), if the caller read them."""
    groups, criteria = table_structure(assessment.table, shared=True)
    if states is None:
        states = {cid: ItemState(*values) for cid, *values in _item_states(assessment.pk)}
    if item is None and criterion.pk in states:
        found = _row_item(assessment.pk, criterion.pk)
        item = found[0] if found else None
    evidence = []
    if item is not None and states.get(criterion.pk, _NO_FILES).evidence_count:
        attached = _row_evidence(assessment.pk, item.pk)
        evidence = [e for e in attached if e.item_id == item.pk]
        _mark_shared(
            evidence,
            [(e.file.name, e.item.criterion.code) for e in attached],
            lambda e: criterion.code,
        )
        download_url = _link_maker("blocs:evidence_download")
        delete_url = _link_maker("blocs:evidence_delete", assessment.pk)
        for e in evidence:
            e.download_url, e.delete_url = download_url(e.pk), delete_url(e.pk)
    row = Row(
        criterion,
        item,
        evidence,
        save_url=_save_link(assessment)(criterion.pk),
        saved_by=item.updated_by.get_full_name() if item and item.updated_by_id else None,
    )
    totals, progress = _summary(groups, criteria, states)
    return RowView(row, totals, progress)


def progress_by_assessment(assessment_ids: list[int]) -> dict[int, Progress]:
    """k/n and missing evidence for many assessments (three queries)."""
    if not assessment_ids:
        return {}
    totals = dict(
        SelfAssessment.objects.filter(pk__in=assessment_ids)
        .annotate(
            n=Count("table__criteria", filter=Q(table__criteria__kind=CriterionKind.STANDARD))
        )
        .values_list("pk", "n")
    )
    scored = dict(
        ItemScore.objects.filter(
            assessment_id__in=assessment_ids, criterion__kind=CriterionKind.STANDARD
        )
        .filter(Q(not_applicable=True) | Q(score__isnull=False))
        .values("assessment_id")
        .annotate(k=Count("id"))
        .values_list("assessment_id", "k")
    )
    missing = dict(
        ItemScore.objects.filter(
            assessment_id__in=assessment_ids,
            criterion__evidence_required=True,
            not_applicable=False,
            score__gt=0,
        )
        .annotate(files=Count("evidence"))
        .filter(files=0)
        .values("assessment_id")
        .annotate(m=Count("id"))
        .values_list("assessment_id", "m")
    )
    return {
        pk: Progress(
            scored=scored.get(pk, 0), total=totals.get(pk, 0), missing_evidence=missing.get(pk, 0)
        )
        for pk in assessment_ids
    }


@dataclass
class OverviewRow:
    membership: Membership
    assessment: SelfAssessment | None
    progress: Progress | None
    last_change: datetime.datetime | None
    total: Decimal | None = None


def overview_for(bloc_year: BlocYear) -> list[OverviewRow]:
    """Each member's state, progress and last change (a fixed number of queries)."""
    memberships = list(
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("agency", "self_assessment", "self_assessment__updated_by")
        .order_by("rotation_order", "agency__name")
    )
    assessments = {m.pk: m.self_assessment for m in memberships if hasattr(m, "self_assessment")}
    ids = [a.pk for a in assessments.values()]
    progress = progress_by_assessment(ids)
    last_item = dict(
        ItemScore.objects.filter(assessment_id__in=ids)
        .values("assessment_id")
        .annotate(last=Max("updated_at"))
        .values_list("assessment_id", "last")
    )
    totals = totals_by_assessment(list(assessments.values()))
    rows = []
    for m in memberships:
        a = assessments.get(m.pk)
        last = None
        if a is not None:
            last = max(x for x in (a.updated_at, last_item.get(a.pk)) if x is not None)
        rows.append(
            OverviewRow(
                m,
                a,
                progress.get(a.pk) if a else None,
                last,
                totals[a.pk].total if a else None,
            )
        )
    return rows


def totals_by_assessment(assessments: list[SelfAssessment]) -> dict[int, scoring_math.Totals]:
    """Self-assessed totals of many assessments (three queries)."""
    if not assessments:
        return {}
    table_ids = {a.table_id for a in assessments}
    groups = list(CriterionGroup.objects.filter(table_id__in=table_ids))
    criteria = list(Criterion.objects.filter(table_id__in=table_ids))
    values: dict[int, dict[int, scoring_math.ItemValue]] = {a.pk: {} for a in assessments}
    for aid, cid, score, na in ItemScore.objects.filter(assessment_id__in=list(values)).values_list(
        "assessment_id", "criterion_id", "score", "not_applicable"
    ):
        values[aid][cid] = scoring_math.ItemValue(score, na)
    result = {}
    for a in assessments:
        result[a.pk] = scoring_math.compute_totals(
            [g for g in groups if g.table_id == a.table_id],
            [c for c in criteria if c.table_id == a.table_id],
            values[a.pk],
        )
    return result


def submitted_count(rows: list[OverviewRow]) -> int:
    return sum(
        1
        for r in rows
        if r.assessment is not None and r.assessment.state not in ASSESSMENT_EDITABLE_STATES
    )


# --- dashboard ---------------------------------------------------------------


def dashboard_tasks(user: User) -> list:
    """Self-assessment tasks for the home dashboard: one query when there is
    nothing to do, a fixed handful otherwise."""

    tasks: list[Task] = []
    if not user.is_authenticated or not user.agency_id:
        return tasks
    memberships = list(
        Membership.objects.filter(
            agency_id=user.agency_id,
            bloc_year__phase__in=SELF_ASSESSMENT_TASK_PHASES,
        )
        .select_related("bloc_year", "bloc_year__year", "self_assessment")
        .annotate(
            members=Count("bloc_year__memberships", distinct=True),
            submitted=Count(
                "bloc_year__memberships__self_assessment",
                filter=~Q(
                    bloc_year__memberships__self_assessment__state__in=ASSESSMENT_EDITABLE_STATES
                ),
                distinct=True,
            ),
        )
    )
    own = [
        m
        for m in memberships
        if m.bloc_year.phase == Phase.SELF_ASSESSMENT
        and hasattr(m, "self_assessment")
        and m.self_assessment.state in ASSESSMENT_EDITABLE_STATES
    ]
    progress = progress_by_assessment([m.self_assessment.pk for m in own]) if own else {}
    secretariat = [m for m in memberships if m.role in (MemberRole.LEADER, MemberRole.DEPUTY)]
    if own or secretariat:  # the extensions of every bloc-year, in one query
        prefetch_related_objects([m.bloc_year for m in memberships], "deadline_extensions")
    own_deadlines = membership_deadlines(own, DeadlineStep.SELF_ASSESSMENT)
    bloc_deadlines = bloc_year_deadlines(
        [m.bloc_year for m in secretariat], DeadlineStep.SELF_ASSESSMENT
    )
    delegated = (
        set(
            SelfAssessment.objects.filter(
                pk__in=[m.self_assessment.pk for m in own], delegations__delegate=user
            ).values_list("pk", flat=True)
        )
        if own and not user.is_agency_head
        else set()
    )
    for m in own:
        a, year = m.self_assessment, m.bloc_year.year
        if a.state == AssessmentState.RETURNED:
            title = _("Self-assessment %(year)s was returned: %(reason)s") % {
                "year": year.year,
                "reason": a.return_reason,
            }
            level = "danger"
        elif user.is_agency_head or a.pk in delegated:
            title = _("Approve and submit the self-assessment of %(year)s") % {"year": year.year}
            level = "warning"
        else:
            title = _("Self-assessment %(year)s") % {"year": year.year}
            level = "primary"
        tasks.append(
            Task(
                title=title,
                detail=str(progress[a.pk]),
                url=reverse("blocs:assessment_detail", args=[a.pk]),
                due=own_deadlines[m.pk].date,
                extra={"deadline": own_deadlines[m.pk]},
                level=level,
                order=50,
            )
        )
    for m in memberships:
        if m.role not in (MemberRole.LEADER, MemberRole.DEPUTY):
            continue
        year = m.bloc_year.year
        url = reverse("blocs:assessment_overview", args=[m.bloc_year_id])
        if m.bloc_year.phase == Phase.IN_PROGRESS:
            opens = year.self_assessment_opens
            if opens is not None and opens <= today_in_vietnam() + datetime.timedelta(days=14):
                tasks.append(
                    Task(
                        title=_("Open the self-assessment window of %(year)s")
                        % {"year": year.year},
                        url=url,
                        due=opens,
                        level="warning",
                        order=60,
                    )
                )
            continue
        tasks.append(
            Task(
                title=_("%(k)s/%(n)s agencies have submitted the self-assessment of %(year)s")
                % {"k": m.submitted, "n": m.members, "year": year.year},
                url=url,
                due=bloc_deadlines[m.bloc_year_id].date,
                extra={"deadline": bloc_deadlines[m.bloc_year_id]},
                level="info",
                order=60,
            )
        )
    return tasks


def total_of(assessment: SelfAssessment) -> Decimal:
    return assessment_view(assessment).totals.total
