"""Reads for the year-end conference: the meeting a user may see, attendance, quorum."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from awards.enums import REPRESENTED_STATUSES, AttendanceStatus
from awards.models import Attendance, Meeting, NextLeadership
from awards.rules import agencies_user_votes_for as agencies_user_votes_for
from awards.rules_math import has_quorum, quorum_needed
from blocs.models import Membership
from blocs.selectors import bloc_years_visible_to
from emulation.enums import AgencyRole
from emulation.models import User


def get_meeting_for(user, pk: int) -> Meeting:
    """A meeting whose bloc-year the user may see; 404 for missing and forbidden."""
    visible = bloc_years_visible_to(user).values("pk")
    try:
        return Meeting.objects.select_related(
            "bloc_year", "bloc_year__bloc", "bloc_year__bloc__province", "bloc_year__year"
        ).get(pk=pk, bloc_year__in=visible)
    except Meeting.DoesNotExist:
        raise Http404 from None


def meeting_of(bloc_year) -> Meeting | None:
    return Meeting.objects.filter(bloc_year=bloc_year).first()


@dataclass(frozen=True)
class AttendanceRow:
    membership: Membership
    attendance: Attendance | None

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance else ""


def attendance_rows(meeting: Meeting) -> list[AttendanceRow]:
    """Every member of the bloc-year with its attendance (or none yet); two queries."""
    memberships = list(
        Membership.objects.filter(bloc_year_id=meeting.bloc_year_id)
        .select_related("agency")
        .order_by("rotation_order", "agency__name")
    )
    by_membership = {
        a.membership_id: a
        for a in Attendance.objects.filter(meeting=meeting).select_related(
            "proxy_to", "proxy_to__agency"
        )
    }
    return [AttendanceRow(m, by_membership.get(m.pk)) for m in memberships]


@dataclass(frozen=True)
class Quorum:
    members: int
    present: int
    proxies: int
    absent: int
    needed: int
    numerator: int
    denominator: int

    @property
    def represented(self) -> int:
        return self.present + self.proxies

    @property
    def met(self) -> bool:
        return has_quorum(
            represented=self.represented,
            members=self.members,
            numerator=self.numerator,
            denominator=self.denominator,
        )


def quorum_of(meeting: Meeting) -> Quorum:
    """Members present or represented by proxy, against the meeting's fraction."""
    members = Membership.objects.filter(bloc_year_id=meeting.bloc_year_id).count()
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    for status in Attendance.objects.filter(meeting=meeting).values_list("status", flat=True):
        counts[status] += 1
    return Quorum(
        members=members,
        present=counts[AttendanceStatus.PRESENT],
        proxies=counts[AttendanceStatus.PROXY],
        absent=counts[AttendanceStatus.ABSENT],
        needed=quorum_needed(
            members=members,
            numerator=meeting.quorum_numerator,
            denominator=meeting.quorum_denominator,
        ),
        numerator=meeting.quorum_numerator,
        denominator=meeting.quorum_denominator,
    )


def represented_agency_ids(meeting: Meeting) -> set[int]:
    """Agencies that take part in the vote: present, or represented by proxy."""
    return set(
        Attendance.objects.filter(meeting=meeting, status__in=REPRESENTED_STATUSES).values_list(
            "membership__agency_id", flat=True
        )
    )


def next_leadership_for(bloc_year) -> NextLeadership | None:
    """Next year's leader and deputy as this bloc-year's conference settled
    them (rotation, poll or acclamation), for the carry-forward to read."""
    return (
        NextLeadership.objects.filter(meeting__bloc_year=bloc_year)
        .select_related("leader", "deputy", "meeting")
        .first()
    )


def voting_heads(meeting: Meeting) -> QuerySet[User]:
    """The active heads who cast the conference's ballots: of the agencies
    present, and of those holding another member's proxy."""
    rows = Attendance.objects.filter(meeting=meeting).filter(
        Q(status=AttendanceStatus.PRESENT) | Q(status=AttendanceStatus.PROXY)
    )
    agency_ids = set()
    for status, own, proxy in rows.values_list(
        "status", "membership__agency_id", "proxy_to__agency_id"
    ):
        agency_ids.add(own if status == AttendanceStatus.PRESENT else proxy)
    agency_ids.discard(None)
    return User.objects.filter(
        is_active=True, agency_role=AgencyRole.HEAD, agency_id__in=agency_ids
    )
