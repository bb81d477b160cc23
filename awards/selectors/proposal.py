"""Reads of proposals: who sees and acts on them, the council's inbox, the
dashboard tasks."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from awards.enums import ItemDecision, ProposalState
from awards.models import AwardType, Decision, Proposal, ProposalItem
from blocs.enums import PROPOSAL_PREPARATION_PHASES, SECRETARIAT_ROLES, DeadlineStep
from blocs.models import Agency, BlocYear, EmulationYear, Membership, Province
from blocs.selectors import bloc_years_visible_to
from blocs.selectors.deadlines import bloc_year_deadlines, extensions_read_with, keep_extensions
from blocs.selectors.organisation import VisibleBlocYears, VisibleById
from emulation.dashboard import Task
from emulation.models import IssuedDocument, User
from emulation.prepared import PreparedQuery
from emulation.rules import is_council, sees_all_provinces


def _base() -> QuerySet[Proposal]:
    return Proposal.objects.select_related(
        "bloc_year", "bloc_year__bloc", "bloc_year__bloc__province", "bloc_year__year"
    )


# The proposal's page reads its decision (if any) with it, and the deadline
# extensions of its bloc-year (the page shows the proposal deadline).
_proposal_for = VisibleById(
    lambda: (
        _base()
        .select_related("decision")
        .annotate(bloc_year_extensions=extensions_read_with("bloc_year_id"))
    ),
    "bloc_year",
)


def get_proposal_for(user: User, pk: int) -> Proposal:
    """A proposal whose bloc-year the user may see; 404 for missing and
    forbidden. Its bloc-year's deadlines are then asked with no query."""
    proposal = _proposal_for(user, pk)
    keep_extensions(proposal.bloc_year, proposal.bloc_year_extensions)
    return proposal


def proposal_of(bloc_year: BlocYear) -> Proposal | None:
    return _base().filter(bloc_year=bloc_year).first()


class ItemAgency(NamedTuple):
    """An item's agency as the proposal page shows it."""

    pk: int
    code: str
    name: str
    short_name: str

    display_name = Agency.display_name


class ItemAwardType(NamedTuple):
    """An item's award type as the proposal page shows it."""

    pk: int
    code: str
    name: str
    short_name: str

    display_name = AwardType.display_name


class ItemVote(NamedTuple):
    """The council's vote on an item (``CouncilVote``)."""

    members: int
    votes_for: int
    votes_against: int
    written: int
    threshold_percent: int | None
    threshold_source: str


class ItemRow(NamedTuple):
    """A proposal's item as its page shows it and its decision's form reads
    it: the values, not the item, its agency, award type and vote built as
    models."""

    pk: int
    membership_id: int
    votes: int | None
    base: int | None
    percent: Decimal | None
    rank: int | None
    score: Decimal | None
    decision: str
    decision_note: str
    prize_coefficient: Decimal | None
    prize_base_salary: int | None
    prize_amount: int | None
    agency: ItemAgency
    award_type: ItemAwardType
    council_vote: ItemVote | None

    @property
    def award_type_id(self) -> int:
        return self.award_type.pk


# An item's row: its own columns (``ItemRow``'s first twelve), its agency's,
# its award type's, and its council vote's (none when the vote's id is None).
_ITEM_COLUMNS = (
    "pk",
    "membership_id",
    "votes",
    "base",
    "percent",
    "rank",
    "score",
    "decision",
    "decision_note",
    "prize_coefficient",
    "prize_base_salary",
    "prize_amount",
    "agency_id",
    "agency__code",
    "agency__name",
    "agency__short_name",
    "award_type_id",
    "award_type__code",
    "award_type__name",
    "award_type__short_name",
    "council_vote__id",
    "council_vote__members",
    "council_vote__votes_for",
    "council_vote__votes_against",
    "council_vote__written",
    "council_vote__threshold_percent",
    "council_vote__threshold_source",
)


def _item_row(row: tuple) -> ItemRow:
    vote_id, vote = row[20], row[21:]
    return ItemRow(
        *row[:12],
        ItemAgency(*row[12:16]),
        ItemAwardType(*row[16:20]),
        ItemVote(*vote) if vote_id is not None else None,
    )


# The proposal page's items and decision: compiled once per process. An
# item's row joins what the page shows of it (no membership, no award record).
_items_of = PreparedQuery(
    lambda proposal_id: (
        ProposalItem.objects.filter(proposal_id=proposal_id)
        .order_by("award_type__order", "rank", "membership__rotation_order", "id")
        .values_list(*_ITEM_COLUMNS)
    )
)
_decision_of = PreparedQuery(lambda proposal_id: Decision.objects.filter(proposal_id=proposal_id))
_documents_of = PreparedQuery(
    lambda proposal_id: IssuedDocument.objects.filter(
        pk__in=Proposal.documents.through.objects.filter(proposal_id=proposal_id).values(
            "issueddocument_id"
        )
    ).order_by("kind", "-version")
)


def items_of(proposal: Proposal) -> list[ItemRow]:
    """The proposal's items, by award type and rank (one query)."""
    return [_item_row(row) for row in _items_of(proposal.pk)]


def documents_of(proposal: Proposal) -> list[IssuedDocument]:
    return _documents_of(proposal.pk)


def decision_of(proposal: Proposal):
    """The proposal's decision, or None: as read with the proposal where it
    was (``get_proposal_for``), else from the database."""
    if Proposal.decision.is_cached(proposal):
        # None read with the proposal: the descriptor raises, as getattr sees.
        return getattr(proposal, "decision", None)
    found = _decision_of(proposal.pk)
    return found[0] if found else None


# The inbox's order: what waits for the council first.
_INBOX_ORDER = {
    ProposalState.SUBMITTED: 0,
    ProposalState.RECEIVED: 1,
    ProposalState.RETURNED: 2,
    ProposalState.DECIDED: 3,
}
# The inbox's filters: the lookup of each, from a proposal.
_INBOX_FILTERS = {
    "year": "bloc_year__year__year",
    "province_id": "bloc_year__bloc__province_id",
    "bloc_id": "bloc_year__bloc_id",
}


def _inbox_proposals(bloc_years: QuerySet[BlocYear], state: str, names, *values):
    """The proposals of the inbox: sent to the council, filtered."""
    qs = (
        Proposal.objects.filter(bloc_year__in=bloc_years.values("pk"))
        .exclude(state=ProposalState.DRAFT)
        .filter(**{_INBOX_FILTERS[name]: value for name, value in zip(names, values, strict=True)})
    )
    return qs.filter(state=state) if state else qs


def _items_counted(**lookups):
    """How many items of the proposal (with ``lookups``): a subquery, not a
    join grouped by every column of the page's six tables, which cost
    PostgreSQL more to plan than to run, and twice as much with a page's
    LIMIT."""
    return Coalesce(
        Subquery(
            ProposalItem.objects.filter(proposal=OuterRef("pk"), **lookups)
            .order_by()
            .values("proposal")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def _inbox_queryset(bloc_years: QuerySet[BlocYear], state: str, names, *values):
    qs = _inbox_proposals(bloc_years, state, names, *values).annotate(
        item_count=_items_counted(),
        approved_count=_items_counted(decision=ItemDecision.APPROVED),
    )
    # The proposal's id last: two blocs of the same name in two provinces
    # keep their order from one page to the next.
    return qs.annotate(
        state_order=Case(
            *[When(state=s, then=Value(n)) for s, n in _INBOX_ORDER.items()],
            default=Value(9),
            output_field=IntegerField(),
        )
    ).order_by("state_order", "-bloc_year__year__year", "bloc_year__bloc__name", "pk")


class InboxRow(NamedTuple):
    """A proposal as the council's inbox lists it, with the number of all the
    inbox holds (``found``): the values, not the proposal, its bloc-year,
    bloc, province, year and decision built as models."""

    pk: int
    state: str
    submitted_at: datetime.datetime | None
    year: int
    bloc_code: str
    bloc_name: str
    province_name: str
    decision_number: str | None
    decision_date: datetime.date | None
    item_count: int
    approved_count: int
    found: int

    @property
    def state_label(self) -> str:
        return ProposalState(self.state).label


def _inbox_page(bloc_years: QuerySet[BlocYear], state: str, names, *values):
    """The inbox's rows (``InboxRow``), each with the number of all (read
    with a page of them)."""
    return (
        _inbox_queryset(bloc_years, state, names, *values)
        .annotate(found=Window(Count("*")))
        .values_list(
            "pk",
            "state",
            "submitted_at",
            "bloc_year__year__year",
            "bloc_year__bloc__code",
            "bloc_year__bloc__name",
            "bloc_year__bloc__province__name",
            "decision__number",
            "decision__date",
            "item_count",
            "approved_count",
            "found",
        )
    )


def _inbox_count(bloc_years: QuerySet[BlocYear], state: str, names, *values):
    """How many proposals the inbox holds, by state (at most four rows)."""
    return (
        _inbox_proposals(bloc_years, state, names, *values)
        .order_by()
        .values_list("state")
        .annotate(found=Count("pk"))
        .values_list("found", flat=True)
    )


class Inbox:
    """The council's inbox as Django's ``Paginator`` reads it: ``count()``
    and a slice of the rows (submitted first), each one query compiled once
    for each kind of user and set of filters. Empty for anyone but the
    council. ``page()`` reads a page in range in one query."""

    def __init__(self, user: User, state: str, names: tuple[str, ...], values: tuple):
        self._user = user
        self._values = values
        self._council = is_council(user)
        self._rows, self._count = _inbox_queries(state, names)
        self._found: int | None = None
        self._read: tuple[int, int, list[InboxRow]] | None = None

    def count(self) -> int:
        if self._found is None:
            self._found = sum(self._count(self._user, *self._values)) if self._council else 0
        return self._found

    def __getitem__(self, index: slice) -> list[InboxRow]:
        """The rows ``index.start`` to ``index.stop`` (as ``Paginator``
        slices); each row knows how many the inbox holds (``found``)."""
        start, stop = index.start, index.stop
        if self._read is not None and self._read[0] == start and stop <= self._read[1]:
            return self._read[2][: stop - start]
        rows = self._rows(self._user, *self._values, rows=(start, stop)) if self._council else []
        rows = [InboxRow._make(row) for row in rows]
        self._read = (start, stop, rows)
        if rows:
            self._found = rows[0].found
        return rows

    def page(self, number, *, per_page: int) -> Page:
        """``Paginator(self, per_page).get_page(number)``: the page asked is
        read first, and its rows carry the count of all, so a page in range
        costs one query; an empty inbox or a page beyond the last is
        counted apart."""
        try:
            asked = int(number)
        except (TypeError, ValueError):
            asked = 1
        if asked >= 1:
            self[(asked - 1) * per_page : asked * per_page]
        return Paginator(self, per_page).get_page(number)


# One pair of compiled queries for each set of filters used (and each
# state): a handful.
_inbox_compiled: dict[tuple, tuple[VisibleBlocYears, VisibleBlocYears]] = {}


def _inbox_queries(state: str, names: tuple[str, ...]) -> tuple[VisibleBlocYears, VisibleBlocYears]:
    queries = _inbox_compiled.get((state, names))
    if queries is None:
        queries = _inbox_compiled.setdefault(
            (state, names),
            (
                VisibleBlocYears(
                    lambda bloc_years, *values: _inbox_page(bloc_years, state, names, *values),
                    arity=len(names),
                    sliced=True,
                ),
                VisibleBlocYears(
                    lambda bloc_years, *values: _inbox_count(bloc_years, state, names, *values),
                    arity=len(names),
                ),
            ),
        )
    return queries


def inbox(
    user: User,
    *,
    year: int | None = None,
    bloc_id: int | None = None,
    state: str = "",
    province_id: int | None = None,
) -> Inbox:
    """The council's inbox across blocs and years (submitted first), filtered,
    to be read a page at a time (``Inbox.page``): one query whatever the
    number of blocs."""
    state = ProposalState(state).value if state else ""
    given = {"year": year, "province_id": province_id, "bloc_id": bloc_id}
    names = tuple(name for name, value in given.items() if value)
    return Inbox(user, state, names, tuple(given[name] for name in names))


# The years of the emulation years that have a bloc-year the user sees: for
# a national user the database asks each of a hundred years for one of its
# bloc-years (an index lookup), rather than joining the country's four
# thousand bloc-years to their years to keep four.
_years_seen = VisibleBlocYears(
    lambda bloc_years: (
        EmulationYear.objects.filter(Exists(bloc_years.filter(year=OuterRef("pk"))))
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
)
_blocs_seen = VisibleBlocYears(
    lambda bloc_years: (
        bloc_years.order_by("bloc__name").values_list("bloc_id", "bloc__name").distinct()
    )
)
_blocs_of_province_seen = VisibleBlocYears(
    lambda bloc_years, province_id: (
        bloc_years.filter(bloc__province_id=province_id)
        .order_by("bloc__name")
        .values_list("bloc_id", "bloc__name")
        .distinct()
    ),
    arity=1,
)
_provinces = PreparedQuery(lambda: Province.objects.order_by("name").values_list("pk", "name"), 0)


def inbox_filters(user: User, province_id: int | None = None) -> dict:
    """The years and blocs to filter the inbox by (two queries). Who sees
    every province chooses a province first, and then its blocs (one more
    query): a country has over a thousand blocs, too many for one list."""
    options = {
        "states": ProposalState.choices[1:],
        "years": sorted(_years_seen(user), reverse=True),
    }
    if sees_all_provinces(user):
        options["provinces"] = _provinces()
        options["blocs"] = _blocs_of_province_seen(user, province_id) if province_id else []
    else:
        options["blocs"] = _blocs_seen(user)
    return options


def pending_count(user: User) -> int:
    if not is_council(user):
        return 0
    return Proposal.objects.filter(
        bloc_year__in=bloc_years_visible_to(user).values("pk"), state=ProposalState.SUBMITTED
    ).count()


def dashboard_tasks(user: User) -> list[Task]:
    """Council: "k đề nghị chờ tiếp nhận"; secretariat: send the proposal by
    the deadline, or fix a returned one. Three queries at most."""
    tasks: list[Task] = []
    if is_council(user):
        count = pending_count(user)
        if count:
            tasks.append(
                Task(
                    title=_("%(count)s proposals waiting to be received") % {"count": count},
                    url=reverse("awards:council_inbox") + "?state=submitted",
                    order=50,
                    level="warning",
                )
            )
    if user.is_authenticated and user.agency_id:
        memberships = (
            Membership.objects.filter(
                agency_id=user.agency_id,
                role__in=SECRETARIAT_ROLES,
                bloc_year__phase__in=PROPOSAL_PREPARATION_PHASES,
            )
            .select_related("bloc_year__bloc", "bloc_year__year")
            .prefetch_related("bloc_year__deadline_extensions")
            .order_by("-bloc_year__year__year")
        )
        deadlines = bloc_year_deadlines([m.bloc_year for m in memberships], DeadlineStep.PROPOSAL)
        bloc_year_ids = [m.bloc_year_id for m in memberships]
        proposals = {
            p.bloc_year_id: p for p in Proposal.objects.filter(bloc_year_id__in=bloc_year_ids)
        }
        for membership in memberships:
            bloc_year = membership.bloc_year
            proposal = proposals.get(bloc_year.pk)
            deadline = deadlines[bloc_year.pk].date
            if proposal is not None and proposal.state == ProposalState.RETURNED:
                title = _("The council returned the proposal of %(bloc)s: fix it and resubmit") % {
                    "bloc": bloc_year.bloc.name
                }
                detail = proposal.return_reason
                url = reverse("awards:proposal_detail", args=[proposal.pk])
                level = "danger"
            elif proposal is None or proposal.state == ProposalState.DRAFT:
                # The due date stands beside the title on the dashboard, once.
                title = _("Send the proposal to the council")
                detail = f"{bloc_year.bloc.name} – {bloc_year.year.year}"
                url = (
                    reverse("awards:proposal_detail", args=[proposal.pk])
                    if proposal
                    else reverse("awards:proposal_start", args=[bloc_year.pk])
                )
                level = "primary"
            else:
                continue
            tasks.append(
                Task(
                    title=title,
                    detail=detail,
                    url=url,
                    due=deadline,
                    level=level,
                    order=60,
                    extra={"deadline": deadlines[bloc_year.pk]},
                )
            )
    return tasks
