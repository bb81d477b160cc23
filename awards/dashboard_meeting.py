"""Dashboard tasks of the year-end conference (see emulation.dashboard): a
head's open ballots, the secretariat's conference to prepare or run, a
counter's paper count to enter. A fixed number of queries whatever the data."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from awards.enums import AttendanceStatus, PollMode, PollState
from awards.models import Attendance, Poll, VoterRecord
from blocs.enums import CONFERENCE_PHASES, SECRETARIAT_ROLES, Phase
from blocs.models import Membership
from emulation.dashboard import Task


def _ballots(user, meeting_ids: set[int]) -> list[Task]:
    """Open online polls where the head still has a ballot to cast (own or by proxy)."""
    if not user.is_agency_head or not meeting_ids:
        return []
    voting_for = list(
        Attendance.objects.filter(meeting_id__in=meeting_ids)
        .filter(
            Q(membership__agency_id=user.agency_id, status=AttendanceStatus.PRESENT)
            | Q(proxy_to__agency_id=user.agency_id, status=AttendanceStatus.PROXY)
        )
        .values_list("meeting_id", "membership__agency_id")
    )
    if not voting_for:
        return []
    polls = list(
        Poll.objects.filter(
            meeting_id__in={m for m, _a in voting_for},
            state=PollState.OPEN,
            mode=PollMode.ONLINE,
        ).select_related("award_type", "meeting__bloc_year__bloc")
    )
    if not polls:
        return []
    voted = set(VoterRecord.objects.filter(poll__in=polls).values_list("poll_id", "agency_id"))
    tasks = []
    for poll in polls:
        pending = [a for m, a in voting_for if m == poll.meeting_id and (poll.pk, a) not in voted]
        if pending:
            tasks.append(
                Task(
                    title=_("Secret ballot open: %(poll)s") % {"poll": poll.title},
                    detail=_("%(bloc)s – %(n)s ballot(s) to cast.")
                    % {"bloc": poll.meeting.bloc_year.bloc.name, "n": len(pending)},
                    url=reverse("awards:poll_vote", args=[poll.pk]),
                    level="success",
                    order=5,
                )
            )
    return tasks


def _conference_task(bloc_year) -> Task:
    meeting = getattr(bloc_year, "meeting", None)
    if meeting is None:
        title = _("Convene the year-end conference of %(year)s") % {"year": bloc_year.year.year}
    else:
        title = _("Year-end conference of %(year)s on %(date)s") % {
            "year": bloc_year.year.year,
            "date": meeting.date.strftime("%d/%m/%Y"),
        }
    return Task(
        title=title,
        detail=_("%(bloc)s: attendance, polls and the projector screen.")
        % {"bloc": bloc_year.bloc.name},
        url=reverse("awards:meeting_start", args=[bloc_year.pk]),
        order=40,
    )


def _member_task(bloc_year, meeting) -> Task:
    return Task(
        title=_("Year-end conference of %(year)s on %(date)s")
        % {"year": bloc_year.year.year, "date": meeting.date.strftime("%d/%m/%Y")},
        detail=_("%(bloc)s: attendance, polls, published results and receipt codes.")
        % {"bloc": bloc_year.bloc.name},
        url=reverse("awards:meeting_detail", args=[meeting.pk]),
        level="info",
        order=60,
    )


def tasks_for(user) -> list[Task]:
    """One query for most users (their memberships in a conference phase);
    heads with a convened conference add up to three. Counters find their
    paper counts on the conference page."""
    if not user.is_authenticated or not user.agency_id:
        return []
    memberships = Membership.objects.filter(
        agency_id=user.agency_id, bloc_year__phase__in=CONFERENCE_PHASES
    ).select_related("bloc_year__bloc", "bloc_year__year", "bloc_year__meeting")
    tasks: list[Task] = []
    meeting_ids: set[int] = set()
    for m in memberships:
        meeting = getattr(m.bloc_year, "meeting", None)
        if meeting is not None and m.bloc_year.phase == Phase.VOTING:
            meeting_ids.add(meeting.pk)
        if m.role in SECRETARIAT_ROLES:
            tasks.append(_conference_task(m.bloc_year))
        elif meeting is not None:
            tasks.append(_member_task(m.bloc_year, meeting))
    return _ballots(user, meeting_ids) + tasks
