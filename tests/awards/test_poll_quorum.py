"""A poll closes only with the meeting's quorum of ballots (the province's
setting, 2/3 of the bloc's members by default); the secretariat may cancel a
poll instead, and a cancelled poll never shows a tally. Nothing shown orders
or times the casts finer than the poll."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.enums import PollMode, PollState
from awards.models import Ballot, BallotChoice, Poll, Result, VoterRecord
from awards.services.meeting import counter_add, meeting_create, meeting_update
from awards.services.voting import (
    paper_count_enter,
    poll_cancel,
    poll_close,
    poll_create,
    poll_open,
    poll_publish,
)
from blocs.enums import MemberRole
from emulation.enums import AgencyRole
from emulation.models import AuditEvent
from tests.factories.meeting import build_conference
from tests.factories.organisation import (
    BlocYearFactory,
    ProvinceFactory,
    UserFactory,
    add_member,
)

NOT_ENOUGH = "Chưa đủ số phiếu tối thiểu để kết thúc"


@pytest.fixture
def conf(db):
    return build_conference(members=9, prefix="q")  # quorum 2/3 of 9: 6 ballots


def test_a_poll_below_the_quorum_of_ballots_does_not_close(conf):
    poll = conf.open_poll(conf.memberships[:2])
    for voter in range(5):
        conf.cast(poll, voter, [0])

    with pytest.raises(ValidationError, match=NOT_ENOUGH) as refusal:
        poll_close(actor=conf.secretariat, poll=poll)

    assert "5 phiếu" in str(refusal.value) and "ít nhất 6 phiếu" in str(refusal.value)
    poll.refresh_from_db()
    assert poll.state == PollState.OPEN and not Result.objects.filter(poll=poll).exists()
    conf.cast(poll, 5, [1])
    assert poll_close(actor=conf.secretariat, poll=poll).state == PollState.CLOSED


def test_closing_below_the_quorum_on_the_page_says_why(conf, login):
    poll = conf.open_poll(conf.memberships[:2])
    conf.cast(poll, 0, [0])

    page = login(conf.secretariat).post(reverse("awards:poll_close", args=[poll.pk]), follow=True)

    assert NOT_ENOUGH in page.content.decode()
    assert Poll.objects.get(pk=poll.pk).state == PollState.OPEN


def test_the_quorum_is_the_provinces_setting_and_a_meeting_cannot_ask_for_less(db):
    province = ProvinceFactory(code="q34", quorum_numerator=3, quorum_denominator=4)
    bloc_year = BlocYearFactory(bloc__province=province, year__province=province)
    leader = add_member(bloc_year, role=MemberRole.LEADER)
    for _i in range(3):
        add_member(bloc_year)
    secretariat = UserFactory(
        username="q34.officer", agency=leader.agency, agency_role=AgencyRole.OFFICER
    )

    meeting = meeting_create(
        actor=secretariat,
        bloc_year=bloc_year,
        date=datetime.date(2024, 1, 18),
        place="Hội trường",
        chair="Chủ tọa",
        secretary="Thư ký",
    )

    assert (meeting.quorum_numerator, meeting.quorum_denominator) == (3, 4)
    with pytest.raises(ValidationError, match="3/4"):
        meeting_update(
            actor=secretariat,
            meeting=meeting,
            date=meeting.date,
            place=meeting.place,
            chair=meeting.chair,
            secretary=meeting.secretary,
            quorum_numerator=2,
            quorum_denominator=3,
        )


def test_a_paper_poll_counted_below_the_quorum_is_not_published(conf, login):
    counters = conf.heads[2:4]
    for user in counters:
        counter_add(actor=conf.secretariat, meeting=conf.meeting, user=user)
    poll = poll_open(
        actor=conf.secretariat,
        poll=poll_create(
            actor=conf.secretariat,
            meeting=conf.meeting,
            award_type=conf.award(),
            mode=PollMode.PAPER,
            quota=1,
            threshold_percent=50,
            candidates=conf.memberships[:1],
        ),
    )
    poll_close(actor=conf.secretariat, poll=poll)
    candidate = poll.candidates.get().pk
    for user in counters:
        paper_count_enter(
            actor=user,
            poll=poll,
            ballots_total=4,
            ballots_blank=0,
            ballots_invalid=0,
            votes={candidate: 4},
        )

    with pytest.raises(ValidationError, match=NOT_ENOUGH):
        poll_publish(actor=conf.secretariat, poll=poll)
    # The counts' per-candidate votes are not in the admin's audit list either.
    root = UserFactory(username="q.root", is_superuser=True, is_staff=True)
    listing = login(root).get("/admin/emulation/auditevent/").content.decode()
    assert "poll.paper_count" not in listing and "poll.close" in listing


@pytest.mark.parametrize("state", [PollState.DRAFT, PollState.OPEN, PollState.CLOSED])
def test_the_secretariat_cancels_a_poll_with_a_reason_and_it_keeps_no_tally(conf, state):
    poll = conf.draft_poll(conf.memberships[:2])
    if state != PollState.DRAFT:
        poll = poll_open(actor=conf.secretariat, poll=poll)
        for voter in range(6):
            conf.cast(poll, voter, [0])
    if state == PollState.CLOSED:
        poll = poll_close(actor=conf.secretariat, poll=poll)

    with pytest.raises(ValidationError, match="lý do"):
        poll_cancel(actor=conf.secretariat, poll=poll, reason="  ")
    poll = poll_cancel(actor=conf.secretariat, poll=poll, reason="Phiếu in sai tên đơn vị")

    assert poll.state == PollState.CANCELLED and poll.ballots_total is None
    assert not Ballot.objects.filter(poll=poll).exists()
    assert not BallotChoice.objects.filter(ballot__poll=poll).exists()
    assert not Result.objects.filter(poll=poll).exists()
    event = AuditEvent.objects.filter(action="poll.cancel").get()
    assert event.data["reason"] == "Phiếu in sai tên đơn vị" and event.data["from"] == state
    with pytest.raises(ValidationError):
        poll_publish(actor=conf.secretariat, poll=poll)
    # The award is free for a new poll.
    again = conf.draft_poll(conf.memberships[:2])
    assert again.round == 1 and again.state == PollState.DRAFT


def test_a_published_poll_cannot_be_cancelled(conf):
    poll = conf.open_poll(conf.memberships[:2])
    for voter in range(6):
        conf.cast(poll, voter, [0])
    poll_publish(actor=conf.secretariat, poll=poll_close(actor=conf.secretariat, poll=poll))

    with pytest.raises(ValidationError):
        poll_cancel(actor=conf.secretariat, poll=poll, reason="Muộn")


# --- the page ---------------------------------------------------------------------------


def test_the_poll_page_cancels_and_then_says_so_without_a_tally(conf, login):
    poll = conf.open_poll(conf.memberships[:2])
    conf.cast(poll, 0, [0])
    client = login(conf.secretariat)
    address = reverse("awards:poll_cancel", args=[poll.pk])
    detail = client.get(reverse("awards:poll_detail", args=[poll.pk])).content.decode()
    assert "Hủy cuộc bỏ phiếu" in detail

    client.post(address, {"reason": ""})
    assert Poll.objects.get(pk=poll.pk).state == PollState.OPEN
    page = client.post(address, {"reason": "Thiếu thành viên"}, follow=True).content.decode()

    assert Poll.objects.get(pk=poll.pk).state == PollState.CANCELLED
    assert "Đã hủy" in page and "Thiếu thành viên" in page and "results-table" not in page
    receipts = login(conf.heads[4]).get(reverse("awards:poll_receipts", args=[poll.pk]))
    assert receipts.status_code == 403


def test_cancel_is_for_the_secretariat_by_post(conf, login):
    poll = conf.open_poll(conf.memberships[:2])
    address = reverse("awards:poll_cancel", args=[poll.pk])
    outsider = UserFactory(username="q.outsider")

    assert login(outsider).post(address, {"reason": "x"}).status_code == 404
    assert login(conf.heads[4]).post(address, {"reason": "x"}).status_code == 403
    assert login(conf.secretariat).get(address).status_code == 405
    assert Poll.objects.get(pk=poll.pk).state == PollState.OPEN


# --- nothing orders or times the casts ----------------------------------------------------


def test_the_audit_list_neither_times_nor_orders_the_casts(conf, login):
    poll = conf.open_poll(conf.memberships[:2])
    # Cast in an order that is not the alphabetical one.
    for voter in [7, 2, 5, 0, 8, 3]:
        conf.cast(poll, voter, [0])
    poll_close(actor=conf.secretariat, poll=poll)
    root = UserFactory(username="q.root", is_superuser=True, is_staff=True)

    listing = login(root).get("/admin/emulation/auditevent/").content.decode()
    filtered = login(root).get("/admin/emulation/auditevent/?action=ballot.cast").content.decode()

    assert "ballot.cast" not in listing
    assert "q7.head" not in listing and "q7.head" not in filtered
    assert "q7.head" not in listing
    event = AuditEvent.objects.get(action="poll.close")
    assert event.data["voters"] == sorted(["q7", "q2", "q5", "q0", "q8", "q3"])
    cast = AuditEvent.objects.filter(action="ballot.cast").first()
    assert login(root).get(f"/admin/emulation/auditevent/{cast.pk}/change/").status_code in (
        302,
        404,
    )
    # Voter records come out by agency name, never by insertion.
    names = [r.agency.name for r in VoterRecord.objects.filter(poll=poll)]
    assert names == sorted(names)


def test_no_address_in_the_admin_counts_the_casts_between_two_events(conf, login):
    """Audit events are numbered in the order they are written. Were they
    opened by number, the hidden casts would show as gaps (and answer
    differently from listed events): how many heads voted between two
    listed events. The list names no number, and no event opens by one."""
    poll = conf.open_poll(conf.memberships[:2])
    for voter in [7, 2, 5, 0, 8, 3]:
        conf.cast(poll, voter, [0])
    poll_close(actor=conf.secretariat, poll=poll)
    client = login(UserFactory(username="q.root", is_superuser=True, is_staff=True))
    listed = AuditEvent.objects.get(action="poll.close")
    hidden = AuditEvent.objects.filter(action="ballot.cast").first()

    listing = client.get("/admin/emulation/auditevent/").content.decode()
    answers = {
        client.get(f"/admin/emulation/auditevent/{event.pk}/{page}").status_code
        for event in (listed, hidden)
        for page in ("change/", "history/", "delete/", "")
    }

    assert "/admin/emulation/auditevent/" + str(listed.pk) not in listing
    assert "q0" in listing and "q8" in listing  # the closing event's voters, read in the list
    assert answers <= {404}
