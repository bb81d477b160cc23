"""Writes for the year-end conference: the meeting, attendance, the counting
committee and next year's leadership."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import AttendanceStatus, LeadershipMethod, PollPurpose, PollState
from awards.models import Attendance, CountingCommitteeMember, Meeting, NextLeadership, Poll, Result
from awards.rules import polls_with_visible_tally
from blocs.enums import CONFERENCE_OVER_PHASES, Phase
from blocs.models import Agency, BlocYear, Membership
from blocs.services import bloc_year_advance
from emulation import audit
from emulation.models import User
from emulation.refusals import require_actor


def _check_quorum_fraction(numerator: int, denominator: int, province) -> None:
    """A fraction between 1/d and 1, and not below the province's quorum."""
    if not (1 <= numerator <= denominator):
        raise ValidationError(
            _("The quorum must be a fraction between 1/%(d)s and 1, e.g. 2/3.")
            % {"d": denominator or 1}
        )
    if numerator * province.quorum_denominator < province.quorum_numerator * denominator:
        raise ValidationError(
            _("The province's quorum is %(num)s/%(den)s: a conference may not ask for less.")
            % {"num": province.quorum_numerator, "den": province.quorum_denominator}
        )


def _check_times(starts_at: datetime.time | None, ends_at: datetime.time | None) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError(_("The conference must end after it starts."))


def _require_running(actor: User | None, obj) -> None:
    """The bloc's secretariat runs the conference."""
    require_actor(
        actor, "awards.run_conference", obj, _("Only the bloc's secretariat can do this.")
    )


def _lock_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("bloc_year", "bloc_year__bloc__province")
        .get(pk=meeting.pk)
    )


@transaction.atomic
def meeting_create(
    *,
    actor: User | None,
    bloc_year: BlocYear,
    date: datetime.date,
    place: str,
    chair: str,
    secretary: str,
    quorum_numerator: int | None = None,
    quorum_denominator: int | None = None,
    starts_at: datetime.time | None = None,
    ends_at: datetime.time | None = None,
) -> Meeting:
    """Convene the year-end conference of a bloc-year (one per bloc-year);
    its quorum is the province's unless a larger one is given."""
    BlocYear.objects.select_for_update().get(pk=bloc_year.pk)
    _require_running(actor, bloc_year)
    if bloc_year.phase in CONFERENCE_OVER_PHASES:
        raise ValidationError(_("This bloc-year's proposal has already been submitted."))
    if Meeting.objects.filter(bloc_year=bloc_year).exists():
        raise ValidationError(_("This bloc-year already has a conference."))
    province = bloc_year.bloc.province
    if quorum_numerator is None or quorum_denominator is None:
        quorum_numerator = province.quorum_numerator
        quorum_denominator = province.quorum_denominator
    _check_quorum_fraction(quorum_numerator, quorum_denominator, province)
    _check_times(starts_at, ends_at)
    meeting = Meeting(
        bloc_year=bloc_year,
        date=date,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        chair=chair,
        secretary=secretary,
        quorum_numerator=quorum_numerator,
        quorum_denominator=quorum_denominator,
    )
    meeting.full_clean()
    meeting.save()
    audit.record(
        actor=actor,
        action="meeting.create",
        target=meeting,
        data={
            "bloc_year": bloc_year.pk,
            "date": date,
            "place": place,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "quorum": f"{quorum_numerator}/{quorum_denominator}",
        },
    )
    return meeting


# What the secretariat edits on a meeting (the edit page's fields, the update's columns).
MEETING_FIELDS = (
    "date",
    "place",
    "starts_at",
    "ends_at",
    "chair",
    "secretary",
    "quorum_numerator",
    "quorum_denominator",
)


@transaction.atomic
def meeting_update(
    *,
    actor: User | None,
    meeting: Meeting,
    date: datetime.date,
    place: str,
    chair: str,
    secretary: str,
    quorum_numerator: int,
    quorum_denominator: int,
    starts_at: datetime.time | None = None,
    ends_at: datetime.time | None = None,
) -> Meeting:
    locked = _lock_meeting(meeting)
    _require_running(actor, locked)
    _check_quorum_fraction(quorum_numerator, quorum_denominator, locked.bloc_year.bloc.province)
    _check_times(starts_at, ends_at)
    quorum_changed = (locked.quorum_numerator, locked.quorum_denominator) != (
        quorum_numerator,
        quorum_denominator,
    )
    if quorum_changed and locked.polls.exclude(state=PollState.DRAFT).exists():
        raise ValidationError(_("The quorum cannot change once a poll has been opened."))
    old = {
        "date": locked.date,
        "place": locked.place,
        "starts_at": locked.starts_at,
        "ends_at": locked.ends_at,
        "chair": locked.chair,
        "secretary": locked.secretary,
        "quorum": f"{locked.quorum_numerator}/{locked.quorum_denominator}",
    }
    locked.date, locked.place, locked.chair, locked.secretary = date, place, chair, secretary
    locked.starts_at, locked.ends_at = starts_at, ends_at
    locked.quorum_numerator, locked.quorum_denominator = quorum_numerator, quorum_denominator
    locked.full_clean()
    locked.save(update_fields=list(MEETING_FIELDS))
    audit.record(
        actor=actor,
        action="meeting.update",
        target=locked,
        data={
            "old": old,
            "new": {
                "date": date,
                "place": place,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "chair": chair,
                "secretary": secretary,
                "quorum": f"{quorum_numerator}/{quorum_denominator}",
            },
        },
    )
    return locked


@transaction.atomic
def attendance_record(
    *,
    actor: User | None,
    meeting: Meeting,
    membership: Membership,
    status: AttendanceStatus | str,
    representative: str = "",
    proxy_to: Membership | None = None,
    authorisation=None,
    authorisation_name: str = "",
) -> Attendance:
    """Record one member's attendance. A proxy needs another member that is
    present and the written authorisation (already checked by
    emulation.uploads.validate_upload). Refused while a poll is open, since
    the number of voters must not change during a vote."""
    locked = _lock_meeting(meeting)
    _require_running(actor, locked)
    if membership.bloc_year_id != locked.bloc_year_id:
        raise ValidationError(_("This agency is not a member of the bloc this year."))
    if locked.polls.filter(state=PollState.OPEN).exists():
        raise ValidationError(_("Attendance cannot change while a poll is open."))
    existing = Attendance.objects.filter(meeting=locked, membership=membership).first()
    status = AttendanceStatus(status)
    if status != AttendanceStatus.PRESENT and (
        Attendance.objects.filter(
            meeting=locked, proxy_to=membership, status=AttendanceStatus.PROXY
        ).exists()
    ):
        raise ValidationError(
            _("%(agency)s holds another member's proxy, so it must be present.")
            % {"agency": membership.agency}
        )
    if status == AttendanceStatus.PROXY:
        if proxy_to is None or proxy_to.bloc_year_id != locked.bloc_year_id:
            raise ValidationError(_("Choose the member that holds the proxy."))
        if proxy_to.pk == membership.pk:
            raise ValidationError(_("A member cannot hold its own proxy."))
        holder = Attendance.objects.filter(meeting=locked, membership=proxy_to).first()
        if holder is None or holder.status != AttendanceStatus.PRESENT:
            raise ValidationError(
                _("The proxy holder (%(agency)s) must itself be recorded as present.")
                % {"agency": proxy_to.agency}
            )
        if authorisation is None and not (existing and existing.authorisation):
            raise ValidationError(_("Attach the written authorisation for the proxy."))
        representative = representative or ""
    else:
        proxy_to = None
    if status == AttendanceStatus.PRESENT and not representative.strip():
        raise ValidationError(_("Enter the name of the agency's representative."))
    if status == AttendanceStatus.ABSENT:
        representative = ""

    attendance = existing or Attendance(meeting=locked, membership=membership)
    old = {"status": existing.status, "proxy_to": existing.proxy_to_id} if existing else None
    attendance.status = status
    attendance.representative = representative.strip()
    attendance.proxy_to = proxy_to
    fields = ["status", "representative", "proxy_to"]
    if status == AttendanceStatus.PROXY and authorisation is not None:
        attendance.authorisation = authorisation
        attendance.authorisation_name = authorisation_name[:255]
        fields += ["authorisation", "authorisation_name"]
    elif status != AttendanceStatus.PROXY:
        attendance.authorisation = ""
        attendance.authorisation_name = ""
        fields += ["authorisation", "authorisation_name"]
    if existing:
        attendance.save(update_fields=fields)
    else:
        attendance.save()
    audit.record(
        actor=actor,
        action="meeting.attendance",
        target=locked,
        data={
            "agency": membership.agency.code,
            "old": old,
            "status": str(status),
            "representative": attendance.representative,
            "proxy_to": proxy_to.agency.code if proxy_to else None,
        },
    )
    # The conference is in session: the bloc-year moves to the voting phase.
    bloc_year = locked.bloc_year
    if bloc_year.phase == Phase.RANKING_PUBLISHED and timezone.localdate() >= locked.date:
        bloc_year_advance(actor=actor, bloc_year=bloc_year, to=Phase.VOTING, via="conference")
    return attendance


@transaction.atomic
def counter_add(*, actor: User | None, meeting: Meeting, user: User) -> CountingCommitteeMember:
    """Appoint a member of the counting committee: a user of a member agency."""
    locked = _lock_meeting(meeting)
    _require_running(actor, locked)
    if (
        not user.agency_id
        or not Membership.objects.filter(
            bloc_year_id=locked.bloc_year_id, agency_id=user.agency_id
        ).exists()
    ):
        raise ValidationError(_("Counting committee members must belong to a member agency."))
    if CountingCommitteeMember.objects.filter(meeting=locked, user=user).exists():
        raise ValidationError(_("%(user)s is already on the counting committee.") % {"user": user})
    counter = CountingCommitteeMember.objects.create(meeting=locked, user=user)
    audit.record(
        actor=actor, action="meeting.counter_add", target=locked, data={"user": user.username}
    )
    return counter


@transaction.atomic
def counter_remove(*, actor: User | None, counter: CountingCommitteeMember) -> None:
    locked = _lock_meeting(counter.meeting)
    _require_running(actor, locked)
    username = counter.user.username
    if counter.meeting.polls.filter(paper_counts__counter=counter.user).exists():
        raise ValidationError(_("This member has already entered a count and stays on record."))
    counter.delete()
    audit.record(
        actor=actor, action="meeting.counter_remove", target=locked, data={"user": username}
    )


def _elected_agency(meeting: Meeting, purpose: str) -> Agency | None:

    poll = (
        polls_with_visible_tally(Poll.objects.filter(meeting=meeting, purpose=purpose))
        .order_by("-round")
        .first()
    )
    if poll is None:
        return None
    result = (
        Result.objects.filter(poll=poll, elected=True)
        .select_related("candidate__membership__agency")
        .first()
    )
    return result.candidate.membership.agency if result else None


@transaction.atomic
def next_leadership_set(
    *,
    actor: User | None,
    meeting: Meeting,
    leader: Agency,
    deputy: Agency,
    method: LeadershipMethod | str,
    note: str = "",
) -> NextLeadership:
    """Record next year's leader and deputy as the meeting settled them. The
    carry-forward to next year reads ``meeting.next_leadership``."""
    locked = _lock_meeting(meeting)
    _require_running(actor, locked)
    method = LeadershipMethod(method)
    member_ids = set(
        Membership.objects.filter(bloc_year_id=locked.bloc_year_id).values_list(
            "agency_id", flat=True
        )
    )
    if leader.pk not in member_ids or deputy.pk not in member_ids:
        raise ValidationError(_("The leader and the deputy must be members of the bloc."))
    if leader.pk == deputy.pk:
        raise ValidationError(_("The leader and the deputy must be different agencies."))
    if method == LeadershipMethod.POLL:
        elected_leader = _elected_agency(locked, PollPurpose.LEADER)
        elected_deputy = _elected_agency(locked, PollPurpose.DEPUTY)
        if elected_leader is None or elected_leader.pk != leader.pk:
            raise ValidationError(
                _("No published poll of this meeting elected %(agency)s as leader.")
                % {"agency": leader}
            )
        if elected_deputy is None or elected_deputy.pk != deputy.pk:
            raise ValidationError(
                _("No published poll of this meeting elected %(agency)s as deputy.")
                % {"agency": deputy}
            )
    if method == LeadershipMethod.ACCLAMATION and not note.strip():
        raise ValidationError(_("Record how the meeting acclaimed the leadership."))
    record, created = NextLeadership.objects.select_for_update().get_or_create(
        meeting=locked,
        defaults={"leader": leader, "deputy": deputy, "method": method, "note": note.strip()},
    )
    old = None
    if not created:
        old = {"leader": record.leader_id, "deputy": record.deputy_id, "method": record.method}
        record.leader, record.deputy, record.method, record.note = (
            leader,
            deputy,
            method,
            note.strip(),
        )
        record.save(update_fields=["leader", "deputy", "method", "note"])
    audit.record(
        actor=actor,
        action="meeting.next_leadership",
        target=locked,
        data={
            "old": old,
            "leader": leader.code,
            "deputy": deputy.code,
            "method": str(method),
            "note": note.strip(),
        },
    )
    return record
