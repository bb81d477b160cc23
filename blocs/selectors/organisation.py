"""Who sees which bloc-years, and who runs them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from blocs.enums import MemberRole
from blocs.models import BlocYear, Membership
from emulation.models import User

SECRETARIAT_ROLES = (MemberRole.LEADER, MemberRole.DEPUTY)


def bloc_years_visible_to(user: User) -> QuerySet[BlocYear]:
    """Council staff: their province (national: all); agency users: their own blocs."""
    qs = BlocYear.objects.select_related("bloc", "bloc__province", "year")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or (user.is_council_staff and user.is_national):
        return qs
    if user.is_council_staff:
        return qs.filter(bloc__province_id=user.province_id)
    if user.agency_id:
        return qs.filter(memberships__agency_id=user.agency_id)
    return qs.none()


def get_bloc_year_for(user: User, pk: int) -> BlocYear:
    """Fetch a bloc-year the user may see; 404 for missing and forbidden alike."""
    try:
        return bloc_years_visible_to(user).get(pk=pk)
    except BlocYear.DoesNotExist:
        raise Http404 from None


def memberships_of_user(user: User) -> QuerySet[Membership]:
    """The memberships of the user's agency, newest year first."""
    if not user.is_authenticated or not user.agency_id:
        return Membership.objects.none()
    return (
        Membership.objects.filter(agency_id=user.agency_id)
        .select_related("bloc_year", "bloc_year__bloc", "bloc_year__year", "agency")
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


def user_is_secretariat(user: User, bloc_year: BlocYear) -> bool:
    """The secretariat of a bloc-year is the users of its leading and deputy agencies."""
    if not user.is_authenticated or not user.agency_id:
        return False
    return Membership.objects.filter(
        bloc_year=bloc_year, agency_id=user.agency_id, role__in=SECRETARIAT_ROLES
    ).exists()


def _lineage_edges():
    from blocs.models import AgencyLineage

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
    from blocs.models import Agency

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
    from blocs.models import Agency, AgencyLineage

    ids = lineage_ids(agency)
    agencies = list(Agency.objects.filter(pk__in=ids).order_by("active_from", "name"))
    links = list(
        AgencyLineage.objects.filter(successor_id__in=ids)
        .select_related("predecessor", "successor")
        .order_by("effective_date", "id")
    )
    return agencies, links
