"""Who sees which bloc-years, and who runs them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from blocs.enums import MEMBERSHIP_EDITABLE_PHASES, SECRETARIAT_ROLES, MemberRole
from blocs.models import Agency, AgencyLineage, Bloc, BlocYear, EmulationYear, Membership, Province
from blocs.selectors.deadlines import extensions_read_with, keep_extensions
from emulation.models import User
from emulation.prepared import PreparedQuery
from emulation.rules import is_council, is_council_staff, sees_all_provinces
from emulation.search import matching
from emulation.vocabulary import Vocabulary, vocabulary_from

# Which bloc-years a user sees: the lookup from a bloc-year that must equal
# the user's value, for each kind of user (None: every bloc-year).
VISIBILITY_LOOKUPS = {
    "all": None,
    "province": "bloc__province_id",
    "agency": "memberships__agency_id",
}


def visibility_of(user: User) -> tuple[str, int | None] | None:
    """Council staff: their province (national: all); agency users: their own
    blocs; anyone else: none (None)."""
    if not user.is_authenticated:
        return None
    if sees_all_provinces(user):
        return "all", None
    if is_council_staff(user):
        return "province", user.province_id
    if user.agency_id:
        return "agency", user.agency_id
    return None


def bloc_years_visible_to(user: User) -> QuerySet[BlocYear]:
    """The bloc-years the user sees (``visibility_of``)."""
    qs = BlocYear.objects.select_related("bloc", "bloc__province", "year")
    visibility = visibility_of(user)
    if visibility is None:
        return qs.none()
    kind, value = visibility
    lookup = VISIBILITY_LOOKUPS[kind]
    return qs.filter(**{lookup: value}) if lookup else qs


class VisibleById:
    """One row read by its id among those whose bloc-year the user sees, with
    the SQL compiled once per process for each kind of user: the page's
    fetch-and-authorise costs its query, not the building of it. ``base()``
    gives the queryset (its ``select_related``), ``to_bloc_year`` the lookup
    from its model to the bloc-year ("" for a bloc-year)."""

    def __init__(self, base: Callable[[], QuerySet], to_bloc_year: str = ""):
        prefix = f"{to_bloc_year}__" if to_bloc_year else ""
        self._queries = {}
        for kind, lookup in VISIBILITY_LOOKUPS.items():
            if lookup is None:
                self._queries[kind] = PreparedQuery(lambda pk: base().filter(pk=pk))
            else:
                self._queries[kind] = PreparedQuery(
                    lambda pk, value, lookup=prefix + lookup: base().filter(
                        pk=pk, **{lookup: value}
                    ),
                    arity=2,
                )

    def __call__(self, user: User, pk: int):
        """The row, or 404 for missing and forbidden alike."""
        visibility = visibility_of(user)
        if visibility is None:
            raise Http404
        kind, value = visibility
        query = self._queries[kind]
        found = query(pk) if VISIBILITY_LOOKUPS[kind] is None else query(pk, value)
        if not found:
            raise Http404
        return found[0]


class VisibleBlocYears:
    """A read over the bloc-years the user sees (``bloc_years_visible_to``),
    with the SQL compiled once per process for each kind of user:
    ``build(bloc_years, *values)`` gives the queryset from the visible
    bloc-years, and calling it with the user and the values gives its rows
    (``sliced=True``: the slice ``rows=(start, stop)`` of them)."""

    def __init__(self, build: Callable[..., QuerySet], arity: int = 0, *, sliced: bool = False):
        self._arity = arity
        self._queries = {}
        for kind, lookup in VISIBILITY_LOOKUPS.items():
            if lookup is None:
                self._queries[kind] = PreparedQuery(
                    lambda *values: build(BlocYear.objects.all(), *values),
                    arity=arity,
                    sliced=sliced,
                )
            else:
                self._queries[kind] = PreparedQuery(
                    lambda value, *values, lookup=lookup: build(
                        BlocYear.objects.filter(**{lookup: value}), *values
                    ),
                    arity=arity + 1,
                    sliced=sliced,
                )

    def __call__(self, user: User, *values, rows: tuple[int, int] | None = None) -> list:
        visibility = visibility_of(user)
        if visibility is None:
            return []
        kind, value = visibility
        query = self._queries[kind]
        if VISIBILITY_LOOKUPS[kind] is None:
            return query(*values, rows=rows)
        return query(value, *values, rows=rows)


get_bloc_year_for = VisibleById(
    lambda: BlocYear.objects.select_related("bloc", "bloc__province", "year")
)
get_bloc_year_for.__doc__ = "Fetch a bloc-year the user may see; 404 for missing and forbidden."


def _next_year_id():
    """The id of the same bloc's bloc-year of the next year, once it is
    carried forward (None before)."""
    return Subquery(
        BlocYear.objects.filter(
            bloc_id=OuterRef("bloc_id"),
            year__province_id=OuterRef("year__province_id"),
            year__year=OuterRef("year__year") + 1,
        ).values("pk")[:1]
    )


# The bloc-year's own page reads it with its deadline extensions (one JSON
# value of the same query: its deadlines are then asked with no query) and
# the id of the next year's bloc-year.
_bloc_year_page_for = VisibleById(
    lambda: BlocYear.objects.select_related("bloc", "bloc__province", "year").annotate(
        extension_rows=extensions_read_with("pk"), next_year_id=_next_year_id()
    )
)


def get_bloc_year_page_for(user: User, pk: int) -> BlocYear:
    """``get_bloc_year_for`` with the bloc-year's deadline extensions kept on
    it (``keep_extensions``; ``extension_rows`` is None when it has none) and
    ``next_year_id``, the id of the same bloc's bloc-year of the next year
    once it is carried forward."""
    bloc_year = _bloc_year_page_for(user, pk)
    keep_extensions(bloc_year, bloc_year.extension_rows)
    return bloc_year


def memberships_of_user(user: User) -> QuerySet[Membership]:
    """The memberships of the user's agency, newest year first."""
    if not user.is_authenticated or not user.agency_id:
        return Membership.objects.none()
    return (
        Membership.objects.filter(agency_id=user.agency_id)
        .select_related("bloc_year", "bloc_year__bloc__province", "bloc_year__year", "agency")
        .order_by("-bloc_year__year__year")
    )


def secretariat_bloc_year_ids(user: User) -> set[int]:
    """Ids of the bloc-years whose secretariat the user belongs to."""
    if not user.is_authenticated or not user.agency_id:
        return set()
    return set(
        Membership.objects.filter(agency_id=user.agency_id, role__in=SECRETARIAT_ROLES).values_list(
            "bloc_year_id", flat=True
        )
    )


def _lineage_edges():
    return list(
        AgencyLineage.objects.values_list(
            "predecessor_id", "successor_id", "effective_date", "kind"
        )
    )


def successor_at(agency, date):
    """The agency that carries ``agency``'s identity on ``date``.

    Follows successor links whose effective date is on or before ``date``
    (a merge, a rename, or a split — for a split, the first successor by
    effective date and id). Returns the agency itself when nothing applies.
    One query for the links, one for the result.
    """
    by_predecessor: dict[int, list[tuple]] = {}
    for pred, succ, eff, _kind in _lineage_edges():
        by_predecessor.setdefault(pred, []).append((eff, succ))
    current, seen = agency.pk, {agency.pk}
    while True:
        candidates = sorted(e for e in by_predecessor.get(current, []) if e[0] <= date)
        if not candidates or candidates[0][1] in seen:
            break
        current = candidates[0][1]
        seen.add(current)
    return agency if current == agency.pk else Agency.objects.get(pk=current)


def lineage_ids(agency) -> set[int]:
    """Ids of the agency and all its predecessors, transitively (one query)."""
    by_successor: dict[int, list[int]] = {}
    for pred, succ, _eff, _kind in _lineage_edges():
        by_successor.setdefault(succ, []).append(pred)
    found, stack = {agency.pk}, [agency.pk]
    while stack:
        for pred in by_successor.get(stack.pop(), []):
            if pred not in found:
                found.add(pred)
                stack.append(pred)
    return found


def agency_history(agency):
    """The agency and its predecessors with the lineage links between them,
    oldest link first: ``(agencies, links)``."""
    ids = lineage_ids(agency)
    agencies = list(Agency.objects.filter(pk__in=ids).order_by("active_from", "name"))
    links = list(
        AgencyLineage.objects.filter(successor_id__in=ids)
        .select_related("predecessor", "successor")
        .order_by("effective_date", "id")
    )
    return agencies, links


def successors_at(agencies, date: datetime.date) -> dict[int, Agency]:
    """``successor_at`` for many agencies at once: agency id → successor (two queries)."""
    by_predecessor: dict[int, list[tuple]] = {}
    for pred, succ, eff, _kind in _lineage_edges():
        by_predecessor.setdefault(pred, []).append((eff, succ))
    target: dict[int, int] = {}
    for agency in agencies:
        current, seen = agency.pk, {agency.pk}
        while True:
            candidates = sorted(e for e in by_predecessor.get(current, []) if e[0] <= date)
            if not candidates or candidates[0][1] in seen:
                break
            current = candidates[0][1]
            seen.add(current)
        target[agency.pk] = current
    known = {a.pk: a for a in agencies}
    missing = {pk for pk in target.values() if pk not in known}
    if missing:
        known.update({a.pk: a for a in Agency.objects.filter(pk__in=missing)})
    return {pk: known[succ] for pk, succ in target.items()}


def agencies_active_in_year(year: int) -> QuerySet[Agency]:
    """Agencies that may be members of a bloc in ``year``: active on its last
    day — not merged away or dissolved during it, not created after it. The
    member pickers offer these, and adding a member accepts only these."""
    end = datetime.date(year, 12, 31)
    return Agency.objects.filter(
        Q(active_from__isnull=True) | Q(active_from__lte=end),
        Q(active_to__isnull=True) | Q(active_to__gte=end),
    )


def agencies_addable_to(bloc_year: BlocYear) -> QuerySet[Agency]:
    """The "add a member" list: agencies of the bloc's province active in the
    year and in no bloc yet that year."""
    return (
        agencies_active_in_year(bloc_year.year.year)
        .filter(province_id=bloc_year.bloc.province_id)
        .exclude(memberships__year_id=bloc_year.year_id)
        .order_by("name")
    )


def agency_is_active_on(agency: Agency, date: datetime.date) -> bool:
    if agency.active_from and agency.active_from > date:
        return False
    return not (agency.active_to and agency.active_to < date)


# --- what council staff see: their province's rows, or every province's ------


def provinces_managed_by(user: User) -> QuerySet[Province]:
    if not is_council(user):
        return Province.objects.none()
    if sees_all_provinces(user):
        return Province.objects.all()
    return Province.objects.filter(pk=user.province_id)


class ProvinceChoice(NamedTuple):
    """A province as a page lists it to choose from: its id, code and name."""

    pk: int
    code: str
    name: str


# ``provinces_managed_by`` by name, for the pages that list them on every
# request (a picker of 36 provinces): compiled once per process, and only
# their ids, codes and names, not provinces built as models.
_PROVINCE_CHOICE = ("pk", "code", "name")
_every_province = PreparedQuery(
    lambda: Province.objects.order_by("name").values_list(*_PROVINCE_CHOICE), 0
)
_own_province = PreparedQuery(
    lambda pk: Province.objects.filter(pk=pk).values_list(*_PROVINCE_CHOICE)
)


def provinces_managed_list(user: User) -> list[ProvinceChoice]:
    """The provinces of ``provinces_managed_by(user)``, by name, as a list."""
    if not is_council(user):
        return []
    rows = _every_province() if sees_all_provinces(user) else _own_province(user.province_id)
    return [ProvinceChoice._make(row) for row in rows]


def province_chosen(choice: ProvinceChoice) -> Province:
    """The province of ``choice``, as a read of its code and name gives it
    (any other field is read when first used): no query."""
    return Province.from_db(DEFAULT_DB_ALIAS, ["id", "code", "name"], choice)


def agencies_visible_to(user: User, *, search: str = "") -> QuerySet[Agency]:
    """Agencies of the provinces the council user manages, optionally searched."""
    qs = Agency.objects.select_related("province")
    if not is_council(user):
        return qs.none()
    if not sees_all_provinces(user):
        qs = qs.filter(province_id=user.province_id)
    qs = matching(qs, search[:100], "code", "name", "short_name")
    return qs.order_by("province__name", "name")


def get_agency_for(user: User, pk: int) -> Agency:
    try:
        return agencies_visible_to(user).get(pk=pk)
    except Agency.DoesNotExist:
        raise Http404 from None


def agency_lineage_links(agency: Agency) -> list[AgencyLineage]:
    """The links in which the agency is predecessor or successor, oldest first."""
    return list(
        AgencyLineage.objects.filter(Q(predecessor=agency) | Q(successor=agency))
        .select_related("predecessor", "successor")
        .order_by("effective_date", "id")
    )


def blocs_visible_to(user: User) -> QuerySet[Bloc]:
    qs = Bloc.objects.select_related("province").annotate(year_count=Count("bloc_years"))
    if not is_council(user):
        return qs.none()
    if not sees_all_provinces(user):
        qs = qs.filter(province_id=user.province_id)
    return qs.order_by("province__name", "name")


def get_bloc_for(user: User, pk: int) -> Bloc:
    try:
        return blocs_visible_to(user).get(pk=pk)
    except Bloc.DoesNotExist:
        raise Http404 from None


def emulation_years_visible_to(user: User) -> QuerySet[EmulationYear]:
    qs = EmulationYear.objects.select_related("province").annotate(
        bloc_year_count=Count("bloc_years")
    )
    if not is_council(user):
        return qs.none()
    if not sees_all_provinces(user):
        qs = qs.filter(province_id=user.province_id)
    return qs.order_by("-year", "province__name")


def get_emulation_year_for(user: User, pk: int) -> EmulationYear:
    try:
        return emulation_years_visible_to(user).get(pk=pk)
    except EmulationYear.DoesNotExist:
        raise Http404 from None


def members_editable(bloc_year: BlocYear) -> bool:
    return bloc_year.phase in MEMBERSHIP_EDITABLE_PHASES


def memberships_of_bloc_year(bloc_year: BlocYear) -> QuerySet[Membership]:
    return bloc_year.memberships.select_related("agency").order_by("rotation_order", "agency__name")


class MemberRow(NamedTuple):
    """A member of a bloc-year as its page lists it: the values it shows,
    not a membership and its agency built as models."""

    pk: int
    agency_id: int
    agency_code: str
    agency_name: str
    role: str
    rotation_order: int


# The bloc-year page's members: compiled once per process.
_members_of_bloc_year = PreparedQuery(
    lambda bloc_year_id: (
        Membership.objects.filter(bloc_year_id=bloc_year_id)
        .order_by("rotation_order", "agency__name")
        .values_list("pk", "agency_id", "agency__code", "agency__name", "role", "rotation_order")
    )
)


def member_list(bloc_year: BlocYear) -> list[MemberRow]:
    """The members of ``memberships_of_bloc_year``, in its order, for a page
    that only shows them."""
    return [MemberRow._make(row) for row in _members_of_bloc_year(bloc_year.pk)]


def memberships_for_export(user: User, *, year: int | None = None) -> QuerySet[Membership]:
    """Memberships of the bloc-years the council user oversees (one query)."""
    if not is_council(user):
        return Membership.objects.none()
    qs = Membership.objects.select_related(
        "bloc_year__bloc", "bloc_year__bloc__province", "bloc_year__year", "agency"
    )
    if not sees_all_provinces(user):
        qs = qs.filter(bloc_year__bloc__province_id=user.province_id)
    if year:
        qs = qs.filter(bloc_year__year__year=year)
    return qs.order_by("-bloc_year__year__year", "bloc_year__bloc__code", "rotation_order")


# --- carry forward -------------------------------------------------------------


@dataclass
class CarryLine:
    """One member of the old bloc-year and what becomes of it next year."""

    old: Membership
    new_agency: Agency | None  # None: dropped
    note: str = ""  # why it changed (Vietnamese, for the confirmation page)


@dataclass
class CarryForwardPlan:
    bloc_year: BlocYear
    next_year: int
    as_of: datetime.date
    existing_year: EmulationYear | None
    already_done: BlocYear | None
    lines: list[CarryLine] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)  # next year's members, in order
    leader: Agency | None = None
    deputy: Agency | None = None

    @property
    def possible(self) -> bool:
        return self.already_done is None and bool(self.agencies)


def shift_year(date: datetime.date | None, years: int = 1) -> datetime.date | None:
    if date is None:
        return None
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def carry_forward_plan(
    bloc_year: BlocYear, *, as_of: datetime.date | None = None
) -> CarryForwardPlan:
    """What carrying ``bloc_year`` into the next year would do.

    Members are replaced by their successor as of ``as_of`` (default: 1 January
    of the next year), inactive agencies are dropped, duplicates (two members
    merged into one) kept once, agencies already in another bloc that year
    dropped. The proposed leader is the member after the current leader in the
    rotation order, the deputy the one after that.
    """
    next_year = bloc_year.year.year + 1
    as_of = as_of or datetime.date(next_year, 1, 1)
    existing_year = EmulationYear.objects.filter(
        province_id=bloc_year.year.province_id, year=next_year
    ).first()
    already_done = (
        BlocYear.objects.filter(bloc_id=bloc_year.bloc_id, year=existing_year).first()
        if existing_year
        else None
    )
    plan = CarryForwardPlan(
        bloc_year=bloc_year,
        next_year=next_year,
        as_of=as_of,
        existing_year=existing_year,
        already_done=already_done,
    )
    memberships = list(memberships_of_bloc_year(bloc_year))
    successors = successors_at([m.agency for m in memberships], as_of)
    taken: dict[int, str] = {}
    if existing_year is not None:
        taken = dict(
            Membership.objects.filter(year=existing_year)
            .exclude(bloc_year__bloc_id=bloc_year.bloc_id)
            .values_list("agency_id", "bloc_year__bloc__name")
        )
    chosen: dict[int, Agency] = {}
    position: dict[int, int] = {}  # old membership index → index in plan.agencies
    for index, membership in enumerate(memberships):
        new = successors[membership.agency_id]
        note = ""
        if new.pk != membership.agency_id:
            note = _("Replaced by its successor %(agency)s.") % {"agency": new.name}
        if not agency_is_active_on(new, as_of):
            plan.lines.append(
                CarryLine(
                    membership,
                    None,
                    _("No longer active on %(date)s.") % {"date": as_of.strftime("%d/%m/%Y")},
                )
            )
            continue
        if new.pk in chosen:
            position[index] = list(chosen).index(new.pk)
            plan.lines.append(
                CarryLine(
                    membership,
                    None,
                    _("Merged into %(agency)s, which is already a member.") % {"agency": new.name},
                )
            )
            continue
        if new.pk in taken:
            plan.lines.append(
                CarryLine(
                    membership,
                    None,
                    _("Already a member of %(bloc)s in %(year)s.")
                    % {"bloc": taken[new.pk], "year": next_year},
                )
            )
            continue
        position[index] = len(chosen)
        chosen[new.pk] = new
        plan.lines.append(CarryLine(membership, new, note))
    plan.agencies = list(chosen.values())
    count = len(plan.agencies)
    if count:
        leader_index = next(
            (i for i, m in enumerate(memberships) if m.role == MemberRole.LEADER), None
        )
        start = -1
        if leader_index is not None:
            # The leader's place next year (its own, or the next surviving member's).
            for offset in range(len(memberships)):
                i = (leader_index + offset) % len(memberships)
                if i in position:
                    start = position[i] if offset == 0 else position[i] - 1
                    break
        plan.leader = plan.agencies[(start + 1) % count]
        if count > 1:
            plan.deputy = plan.agencies[(start + 2) % count]
    return plan


# --- who is told (notifications) ----------------------------------------------------


def users_of_agency(agency_id: int) -> QuerySet[User]:
    """The active users (officers and head) of an agency."""
    return User.objects.filter(agency_id=agency_id, is_active=True)


def secretariat_users(bloc_year: BlocYear) -> QuerySet[User]:
    """The active users of the bloc-year's secretariat (its leading and deputy
    agencies: the roles ``blocs.rules.is_secretariat`` answers for)."""
    return User.objects.filter(
        is_active=True,
        agency__memberships__bloc_year=bloc_year,
        agency__memberships__role__in=SECRETARIAT_ROLES,
    ).distinct()


def council_staff_of_province(province_id: int) -> QuerySet[User]:
    """The active council staff of a province (not the national staff: they
    oversee, the province's own staff act)."""
    return User.objects.filter(is_active=True, is_council_staff=True, province_id=province_id)


def vocabulary_for(province: Province) -> Vocabulary:
    """The province's words (defaults merged with its overrides), kept on the
    instance so that a page or document asks once; no query of its own."""
    cached = getattr(province, "_vocabulary", None)
    if cached is None:
        cached = vocabulary_from(province.vocabulary)
        province._vocabulary = cached
    return cached


def get_province_for(user: User, pk: int) -> Province:
    """A province whose settings the council user manages; 404 otherwise."""
    try:
        return provinces_managed_by(user).get(pk=pk)
    except Province.DoesNotExist:
        raise Http404 from None
