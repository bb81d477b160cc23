"""The conference moves the bloc-year to the voting phase when it meets, and
its votes do not open before the day of the meeting."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from awards.enums import AttendanceStatus, PollState
from awards.models import Meeting
from awards.services.meeting import attendance_record
from awards.services.voting import poll_open
from blocs.enums import Phase
from blocs.selectors.phase import phase_history
from tests.factories import put_in_phase
from tests.factories.meeting import build_conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference():
    conf = build_conference(members=3)
    put_in_phase(conf.bloc_year, Phase.RANKING_PUBLISHED)
    return conf


def _attend(conf, index=0):
    return attendance_record(
        actor=conf.secretariat,
        meeting=conf.meeting,
        membership=conf.memberships[index],
        status=AttendanceStatus.PRESENT,
        representative="Nguyễn Văn A",
    )


def test_recording_attendance_on_the_day_opens_the_voting_phase(conference):
    _attend(conference)

    conference.bloc_year.refresh_from_db()
    assert conference.bloc_year.phase == Phase.VOTING
    last = phase_history(conference.bloc_year)[-1]
    assert (last.old, last.new, last.by) == (
        Phase.RANKING_PUBLISHED,
        Phase.VOTING,
        conference.secretariat.username,
    )


def test_attendance_recorded_ahead_of_the_day_leaves_the_phase(conference):
    Meeting.objects.filter(pk=conference.meeting.pk).update(
        date=timezone.localdate() + datetime.timedelta(days=12)
    )
    conference.meeting.refresh_from_db()

    _attend(conference)

    conference.bloc_year.refresh_from_db()
    assert conference.bloc_year.phase == Phase.RANKING_PUBLISHED


def test_no_vote_opens_before_the_day_of_the_meeting(conference):
    poll = conference.draft_poll()
    Meeting.objects.filter(pk=conference.meeting.pk).update(
        date=timezone.localdate() + datetime.timedelta(days=12)
    )

    with pytest.raises(ValidationError, match="chỉ được mở từ ngày đó"):
        poll_open(actor=conference.secretariat, poll=poll)

    poll.refresh_from_db()
    assert poll.state == PollState.DRAFT


def test_the_first_vote_opens_the_voting_phase_if_attendance_came_earlier(conference):
    poll = conference.draft_poll()

    poll_open(actor=conference.secretariat, poll=poll)

    conference.bloc_year.refresh_from_db()
    assert conference.bloc_year.phase == Phase.VOTING


def test_no_vote_opens_before_the_ranking_is_published(conference):
    poll = conference.draft_poll()
    put_in_phase(conference.bloc_year, Phase.REVIEW)

    with pytest.raises(ValidationError, match="chưa được công bố"):
        poll_open(actor=conference.secretariat, poll=poll)
