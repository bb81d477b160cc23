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
