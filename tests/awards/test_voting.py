"""Polls and the secret ballot, through the services: quorum, casting,
thresholds at their exact boundaries, quota, ties and run-offs, paper counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards.enums import (
    AttendanceStatus,
    LeadershipMethod,
    PollMode,
    PollPurpose,
    PollState,
    ResultStatus,
    ThresholdBase,
)
from awards.models import Ballot, BallotChoice, Poll, Result, VoterRecord
from awards.selectors import rule_for
from awards.selectors.meeting import next_leadership_for
from awards.services import agency_fact_set
from awards.services.meeting import (
    attendance_record,
    counter_add,
    meeting_update,
    next_leadership_set,
)
from awards.services.voting import (
    ballot_cast,
    candidate_add,
    candidate_remove,
    paper_count_enter,
    poll_close,
    poll_create,
    poll_create_runoff,
    poll_open,
    poll_publish,
    poll_update,
    result_override,
)
from emulation.models import AuditEvent
from tests.factories import UserFactory
from tests.factories.meeting import build_conference

pytestmark = pytest.mark.django_db


def candidate(poll, membership):
    return poll.candidates.get(membership=membership)


def run_poll(conf, poll, ballots: list[list[int]]):
    """Open, let voter i cast ballots[i], close; returns results by member index."""
    poll_open(actor=conf.secretariat, poll=poll)
    for voter, chosen in enumerate(ballots):
        conf.cast(poll, voter, chosen)
    poll = poll_close(actor=conf.secretariat, poll=poll)
    index = {m.pk: i for i, m in enumerate(conf.memberships)}
    return poll, {
        index[r.candidate.membership_id]: r
        for r in Result.objects.filter(poll=poll).select_related("candidate")
    }


# --- who runs the polls ---------------------------------------------------------------


def test_only_the_secretariat_runs_the_polls():
    """The services answer the same rule as the conference's pages."""
    conf = build_conference(members=5, present=5)
    poll = conf.draft_poll()
    head = conf.heads[-1]
    council = UserFactory(is_council_staff=True, province=conf.bloc_year.bloc.province)

    for actor in (head, council):
        with pytest.raises(PermissionDenied):
            attendance_record(
                actor=actor,
                meeting=conf.meeting,
                membership=conf.memberships[0],
                status=AttendanceStatus.ABSENT,
            )
        with pytest.raises(PermissionDenied):
            counter_add(actor=actor, meeting=conf.meeting, user=head)
        with pytest.raises(PermissionDenied):
            poll_create(actor=actor, meeting=conf.meeting, award_type=conf.award())
        with pytest.raises(PermissionDenied):
            poll_update(
                actor=actor,
                poll=poll,
                mode=poll.mode,
                quota=2,
                threshold_percent=poll.threshold_percent,
                threshold_base=poll.threshold_base,
            )
        with pytest.raises(PermissionDenied):
            candidate_remove(actor=actor, candidate=poll.candidates.first(), reason="Rút.")
        with pytest.raises(PermissionDenied):
            poll_open(actor=actor, poll=poll)
    poll = poll_open(actor=conf.secretariat, poll=poll)
    for actor in (head, council):
        with pytest.raises(PermissionDenied):
            poll_close(actor=actor, poll=poll)
    poll.refresh_from_db()
    assert poll.state == PollState.OPEN


# --- quorum -------------------------------------------------------------------------


def test_poll_opens_with_exactly_two_thirds_of_nine_present():
    conf = build_conference(members=9, present=6)
    poll = conf.draft_poll()

    poll = poll_open(actor=conf.secretariat, poll=poll)

    assert poll.state == PollState.OPEN
    assert poll.voters_expected == 6 and poll.members_count == 9


def test_poll_refuses_to_open_with_five_of_nine_present():
    conf = build_conference(members=9, present=5)
    poll = conf.draft_poll()

    with pytest.raises(
        ValidationError, match="Chưa đủ số thành viên tham dự: 5/9 .* cần ít nhất 6 \\(2/3\\)"
    ):
        poll_open(actor=conf.secretariat, poll=poll)
    poll.refresh_from_db()
    assert poll.state == PollState.DRAFT


def test_a_proxy_counts_towards_the_quorum(tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    conf = build_conference(members=9, present=5)
    attendance_record(
        actor=conf.secretariat,
        meeting=conf.meeting,
        membership=conf.memberships[8],
        status=AttendanceStatus.PROXY,
        proxy_to=conf.memberships[2],
        authorisation=SimpleUploadedFile("uy-quyen.pdf", b"%PDF-1.4 test"),
        authorisation_name="uy-quyen.pdf",
    )
    poll = conf.draft_poll()

    poll = poll_open(actor=conf.secretariat, poll=poll)

    assert poll.voters_expected == 6
    # The proxy holder's head casts the absent member's ballot too.
    conf.cast(poll, 2, [0])
    ballot_cast(
        actor=conf.heads[2],
        poll=poll,
        agency_id=conf.memberships[8].agency_id,
        candidate_ids=[candidate(poll, conf.memberships[0]).pk],
    )
    assert VoterRecord.objects.filter(poll=poll).count() == 2
    # …and the absent member's own head cannot.
    with pytest.raises(PermissionDenied):
        conf.cast(poll, 8, [0])


def test_proxy_needs_a_present_holder_and_the_written_authorisation():
    conf = build_conference(members=9, present=5)
    with pytest.raises(ValidationError, match="Đính kèm giấy ủy quyền"):
        attendance_record(
            actor=conf.secretariat,
            meeting=conf.meeting,
            membership=conf.memberships[8],
            status=AttendanceStatus.PROXY,
            proxy_to=conf.memberships[2],
        )
    with pytest.raises(ValidationError):
        attendance_record(
            actor=conf.secretariat,
            meeting=conf.meeting,
            membership=conf.memberships[8],
            status=AttendanceStatus.PROXY,
            proxy_to=conf.memberships[7],  # absent itself
            authorisation=object(),
        )


def test_attendance_cannot_change_while_a_poll_is_open():
    conf = build_conference(members=9)
    poll_open(actor=conf.secretariat, poll=conf.draft_poll())

    with pytest.raises(ValidationError):
        attendance_record(
            actor=conf.secretariat,
            meeting=conf.meeting,
            membership=conf.memberships[3],
            status=AttendanceStatus.ABSENT,
        )


def test_quorum_fraction_cannot_change_after_a_poll_opened():
    conf = build_conference(members=9)
    poll_open(actor=conf.secretariat, poll=conf.draft_poll())
    m = conf.meeting

    with pytest.raises(ValidationError):
        meeting_update(
            actor=conf.secretariat,
            meeting=m,
            date=m.date,
            place=m.place,
            chair=m.chair,
            secretary=m.secretary,
            quorum_numerator=1,
            quorum_denominator=2,
        )


# --- casting ------------------------------------------------------------------------


def test_cast_writes_one_voter_record_and_one_anonymous_ballot():
    conf = build_conference(members=9)
    poll = conf.draft_poll(quota=2)
    poll_open(actor=conf.secretariat, poll=poll)

    receipt = conf.cast(poll, 3, [0, 4])

    assert VoterRecord.objects.filter(poll=poll, agency=conf.memberships[3].agency).count() == 1
    ballot = Ballot.objects.get(poll=poll)
    assert ballot.receipt == receipt and len(receipt) == 11
    assert set(
        BallotChoice.objects.filter(ballot=ballot).values_list("candidate__membership", flat=True)
    ) == {conf.memberships[0].pk, conf.memberships[4].pk}
    event = AuditEvent.objects.filter(action="ballot.cast").get()
    assert event.data == {"agency": conf.memberships[3].agency.code}
    assert receipt not in str(event.data) and str(ballot.pk) not in event.target_id


def test_second_cast_for_the_same_agency_is_refused_and_changes_nothing():
    conf = build_conference(members=9)
    poll = conf.draft_poll()
    poll_open(actor=conf.secretariat, poll=poll)
    conf.cast(poll, 3, [0])

    with pytest.raises(ValidationError, match="đã bỏ phiếu trong cuộc bỏ phiếu này"):
        conf.cast(poll, 3, [1])

    assert Ballot.objects.filter(poll=poll).count() == 1
    assert VoterRecord.objects.filter(poll=poll).count() == 1


def test_a_receipt_code_drawn_twice_in_a_poll_refuses_the_cast_and_writes_nothing(monkeypatch):
    conf = build_conference(members=9)
    poll = conf.open_poll()
    monkeypatch.setattr("awards.services.voting.secrets.choice", lambda alphabet: alphabet[0])
    assert conf.cast(poll, 2, [0]) == "AAAAA-AAAAA"

    with pytest.raises(ValidationError, match="chưa được ghi nhận"):
        conf.cast(poll, 3, [1])

    assert list(Ballot.objects.values_list("receipt", flat=True)) == ["AAAAA-AAAAA"]
    assert BallotChoice.objects.count() == 1
    assert list(VoterRecord.objects.values_list("agency", flat=True)) == [
        conf.memberships[2].agency.pk
    ]
    monkeypatch.undo()
    assert len(conf.cast(poll, 3, [1])) == 11  # sent again, it counts


@pytest.mark.parametrize(
    ("who", "chosen", "refusal"),
    [
        ("too_many", [0, 1], ValidationError),
        # Not theirs to cast: refused as the ballot page refuses them.
        ("absent", [0], PermissionDenied),
        ("not_candidate", [5], ValidationError),
        ("officer", [0], PermissionDenied),
    ],
)
def test_cast_refusals(who, chosen, refusal):
    conf = build_conference(members=9, present=8)  # member 8 absent
    poll = conf.draft_poll(quota=1, candidates=conf.memberships[:5])
    poll_open(actor=conf.secretariat, poll=poll)
    actor, agency = conf.heads[3], conf.memberships[3].agency
    ids = [
        c.pk
        for c in poll.candidates.filter(
            membership__in=[conf.memberships[i] for i in chosen if i < 5]
        )
    ]
    if who == "absent":
        actor, agency = conf.heads[8], conf.memberships[8].agency
    if who == "not_candidate":
        ids = [999999]
    if who == "officer":
        actor = conf.secretariat  # an officer, not the head
        agency = conf.memberships[0].agency

    with pytest.raises(refusal):
        ballot_cast(actor=actor, poll=poll, agency_id=agency.pk, candidate_ids=ids)
    assert not Ballot.objects.exists() and not VoterRecord.objects.exists()


def test_no_cast_before_opening_or_after_closing():
    conf = build_conference(members=9)
    poll = conf.draft_poll()
    with pytest.raises(ValidationError, match="không trong thời gian bỏ phiếu"):
        conf.cast(poll, 2, [0])
    poll_open(actor=conf.secretariat, poll=poll)
    for voter in range(3, 9):
        conf.cast(poll, voter, [0])
    poll_close(actor=conf.secretariat, poll=poll)
    with pytest.raises(ValidationError):
        conf.cast(poll, 2, [0])


def test_transitions_follow_the_table():
    conf = build_conference(members=9)
    poll = conf.draft_poll()
    with pytest.raises(ValidationError):
        poll_close(actor=conf.secretariat, poll=poll)
    with pytest.raises(ValidationError):
        poll_publish(actor=conf.secretariat, poll=poll)
    poll_open(actor=conf.secretariat, poll=poll)
    with pytest.raises(ValidationError):
        poll_open(actor=conf.secretariat, poll=poll)


# --- thresholds at their exact boundaries -----------------------------------------


@pytest.mark.parametrize(("yes", "elected"), [(8, True), (7, False)])
def test_eighty_percent_of_nine(yes, elected):
    conf = build_conference(members=9)
    poll = conf.draft_poll(
        quota=1,
        threshold_percent=80,
        base=ThresholdBase.ALL_MEMBERS,
        candidates=[conf.memberships[0]],
    )
    ballots = [[0]] * yes + [[]] * (9 - yes)

    poll, results = run_poll(conf, poll, ballots)

    assert results[0].votes == yes and results[0].base == 9
    assert results[0].elected is elected
    assert results[0].status == (ResultStatus.ELECTED if elected else ResultStatus.BELOW_THRESHOLD)
    assert poll.ballots_total == 9 and poll.ballots_blank == 9 - yes


@pytest.mark.parametrize(("yes", "elected"), [(6, True), (5, False)])
def test_two_thirds_of_nine_as_67_percent_is_not_six(yes, elected):
    """6/9 = 66.67 % < 67 %: with integers a 67 % threshold needs 7 of 9, and
    a 66 % threshold takes 6. We check 66 % here: 6 passes, 5 fails."""
    conf = build_conference(members=9)
    poll = conf.draft_poll(
        quota=1,
        threshold_percent=66,
        base=ThresholdBase.VALID_BALLOTS,
        candidates=[conf.memberships[0]],
    )

    _, results = run_poll(conf, poll, [[0]] * yes + [[]] * (9 - yes))

    assert results[0].elected is elected


def test_base_present_counts_members_present_not_ballots():
    conf = build_conference(members=9, present=7)
    poll = conf.draft_poll(
        quota=1, threshold_percent=50, base=ThresholdBase.PRESENT, candidates=[conf.memberships[0]]
    )

    # 4 of 7 present vote yes, 2 vote blank, 1 does not vote at all.
    _, results = run_poll(conf, poll, [[0]] * 4 + [[]] * 2)

    assert results[0].base == 7 and results[0].elected


def test_blank_ballots_are_valid_ballots():
    conf = build_conference(members=9)
    poll = conf.draft_poll(
        quota=1,
        threshold_percent=50,
        base=ThresholdBase.VALID_BALLOTS,
        candidates=[conf.memberships[0]],
    )

    poll, results = run_poll(conf, poll, [[0]] * 4 + [[]] * 5)

    assert poll.ballots_blank == 5 and results[0].base == 9
    assert not results[0].elected  # 4/9 < 50 %


def test_nobody_is_elected_without_a_vote_even_without_a_threshold():
    """No threshold, quota 2: the candidate with votes is elected, the one
    nobody chose is not; a poll without ballots does not even close."""
    conf = build_conference(members=9)
    poll = conf.draft_poll(conf.memberships[:2], quota=2)

    _, results = run_poll(conf, poll, [[0]] * 3 + [[]] * 3)
    empty = poll_open(
        actor=conf.secretariat, poll=conf.draft_poll([conf.memberships[2]], code="co_tinh")
    )

    assert results[0].elected and results[0].votes == 3
    assert not results[1].elected and results[1].votes == 0
    assert results[1].status == ResultStatus.BELOW_THRESHOLD
    with pytest.raises(ValidationError, match="Chưa đủ số phiếu tối thiểu"):
        poll_close(actor=conf.secretariat, poll=empty)
    assert not Result.objects.filter(poll=empty).exists()


# --- quota, ties, run-offs ----------------------------------------------------------


def test_quota_takes_the_highest_votes():
    conf = build_conference(members=9)
    poll = conf.draft_poll(quota=2, threshold_percent=50, candidates=conf.memberships[:4])
    ballots = [[0, 1]] * 5 + [[0, 2]] * 3 + [[2, 3]]  # 0:8, 1:5, 2:4, 3:1

    _, results = run_poll(conf, poll, ballots)

    assert [results[i].status for i in range(4)] == [
        ResultStatus.ELECTED,
        ResultStatus.ELECTED,
        ResultStatus.BELOW_THRESHOLD,
        ResultStatus.BELOW_THRESHOLD,
    ]
    assert results[0].position == 1 and results[1].position == 2


def test_over_the_threshold_but_outside_the_quota():
    conf = build_conference(members=9)
    poll = conf.draft_poll(quota=1, threshold_percent=50, candidates=conf.memberships[:2])
    ballots = [[0]] * 9

    poll_open(actor=conf.secretariat, poll=poll)
    # 0 gets 9, 1 gets 0: then a two-seat example where 1 passes but is outside quota.
    for voter, chosen in enumerate(ballots):
        conf.cast(poll, voter, chosen)
    poll_close(actor=conf.secretariat, poll=poll)
    assert Result.objects.get(poll=poll, candidate__membership=conf.memberships[0]).elected

    conf2 = build_conference(members=9, prefix="q")
    poll2 = conf2.draft_poll(quota=1, threshold_percent=50, candidates=conf2.memberships[:2])
    _, results = run_poll(conf2, poll2, [[0]] * 6 + [[1]] * 3)
    assert results[0].elected
    assert results[1].status == ResultStatus.BELOW_THRESHOLD  # 3/9

    conf3 = build_conference(members=9, prefix="r")
    poll3 = conf3.draft_poll(quota=1, threshold_percent=30, candidates=conf3.memberships[:2])
    _, results = run_poll(conf3, poll3, [[0]] * 5 + [[1]] * 4)
    assert results[0].elected
    assert results[1].status == ResultStatus.OVER_QUOTA and not results[1].elected


def test_tie_at_the_quota_opens_a_runoff_among_the_tied():
    conf = build_conference(members=9)
    poll = conf.draft_poll(quota=2, threshold_percent=30, candidates=conf.memberships[:3])
    ballots = [[0, 1]] * 3 + [[0, 2]] * 3 + [[0]] * 3  # 0:9, 1:3, 2:3

    poll, results = run_poll(conf, poll, ballots)

    assert results[0].status == ResultStatus.ELECTED
    assert results[1].status == results[2].status == ResultStatus.TIE
    runoff = poll_create_runoff(actor=conf.secretariat, poll=poll)
    assert runoff.round == 2 and runoff.runoff_of == poll and runoff.quota == 1
    assert {c.membership_id for c in runoff.candidates.all()} == {
        conf.memberships[1].pk,
        conf.memberships[2].pk,
    }
    _, results2 = run_poll(conf, runoff, [[1]] * 5 + [[2]] * 4)
    assert results2[1].elected and not results2[2].elected
    with pytest.raises(ValidationError):
        poll_create_runoff(actor=conf.secretariat, poll=poll)


def test_no_runoff_without_a_tie():
    conf = build_conference(members=9)
    poll = conf.draft_poll(quota=1, candidates=conf.memberships[:2])
    poll, _ = run_poll(conf, poll, [[0]] * 9)
    with pytest.raises(ValidationError):
        poll_create_runoff(actor=conf.secretariat, poll=poll)


def test_a_tie_is_broken_by_the_share_of_women():

    conf = build_conference(members=9)
    agency_fact_set(actor=None, agency=conf.memberships[2].agency, year=2023, women_percent=75)
    agency_fact_set(actor=None, agency=conf.memberships[1].agency, year=2023, women_percent=40)
    poll = conf.draft_poll(quota=1, threshold_percent=30, candidates=conf.memberships[1:3])

    _, results = run_poll(conf, poll, [[1]] * 4 + [[2]] * 4 + [[]])

    assert results[2].elected and results[2].status == ResultStatus.ELECTED
    assert "bằng phiếu, được xếp trên" in results[2].reason
    assert results[1].status == ResultStatus.OVER_QUOTA


def test_the_tie_break_is_not_cited_when_every_tied_candidate_fits_the_quota():
    """Equal votes, different shares of women, quota 2: both are elected, and
    the reason says so without a tie-break that decided nothing."""
    conf = build_conference(members=9)
    agency_fact_set(actor=None, agency=conf.memberships[2].agency, year=2023, women_percent=75)
    agency_fact_set(actor=None, agency=conf.memberships[1].agency, year=2023, women_percent=40)
    poll = conf.draft_poll(quota=2, threshold_percent=30, candidates=conf.memberships[1:3])

    _, results = run_poll(conf, poll, [[1, 2]] * 8 + [[]])

    for index in (1, 2):
        assert results[index].status == ResultStatus.ELECTED
        assert results[index].reason == "Đạt tỷ lệ phiếu và nằm trong chỉ tiêu."


def test_override_needs_a_reason_and_is_recorded():
    conf = build_conference(members=9)
    poll = conf.draft_poll(quota=1, threshold_percent=80, candidates=[conf.memberships[0]])
    poll, results = run_poll(conf, poll, [[0]] * 7 + [[]] * 2)
    assert not results[0].elected

    with pytest.raises(ValidationError):
        result_override(actor=conf.secretariat, result=results[0], elected=True, reason=" ")
    result = result_override(
        actor=conf.secretariat,
        result=results[0],
        elected=True,
        reason="Hội nghị suy tôn bằng hình thức biểu quyết giơ tay (9/9).",
    )

    assert result.elected and result.overridden
    assert AuditEvent.objects.filter(action="poll.result_override").count() == 1
    poll_publish(actor=conf.secretariat, poll=poll)
    with pytest.raises(ValidationError):
        result_override(actor=conf.secretariat, result=result, elected=False, reason="x")


# --- candidates ---------------------------------------------------------------------


def test_candidates_added_and_removed_with_a_reason_only_in_draft():
    conf = build_conference(members=9)
    poll = conf.draft_poll(candidates=conf.memberships[:2])

    with pytest.raises(ValidationError):
        candidate_add(actor=conf.secretariat, poll=poll, membership=conf.memberships[5], reason="")
    added = candidate_add(
        actor=conf.secretariat,
        poll=poll,
        membership=conf.memberships[5],
        reason="Đề nghị của Trưởng khối",
    )
    assert added.added_manually
    candidate_remove(
        actor=conf.secretariat,
        candidate=candidate(poll, conf.memberships[1]),
        reason="Đang bị thanh tra",
    )
    assert set(poll.candidates.filter(withdrawn=False).values_list("membership", flat=True)) == {
        conf.memberships[0].pk,
        conf.memberships[5].pk,
    }
    poll_open(actor=conf.secretariat, poll=poll)
    with pytest.raises(ValidationError):
        candidate_remove(actor=conf.secretariat, candidate=added, reason="x")
    with pytest.raises(ValidationError):
        poll_update(
            actor=conf.secretariat,
            poll=poll,
            mode=PollMode.ONLINE,
            quota=2,
            threshold_percent=None,
            threshold_base=ThresholdBase.VALID_BALLOTS,
        )


def test_poll_defaults_come_from_the_rule_of_the_year():
    conf = build_conference(members=9)
    poll = poll_create(
        actor=conf.secretariat, meeting=conf.meeting, award_type=conf.award("co_tinh")
    )

    rule = rule_for(
        year=2023, award_type=conf.award("co_tinh"), province_id=conf.bloc_year.bloc.province_id
    )
    if rule is not None and rule.quota_for(9) is not None:
        assert poll.quota == rule.quota_for(9)
        assert poll.threshold_percent == rule.threshold_percent
    assert poll.state == PollState.DRAFT and poll.round == 1
    with pytest.raises(ValidationError):
        poll_create(actor=conf.secretariat, meeting=conf.meeting, award_type=conf.award("co_tinh"))


# --- paper ballots ------------------------------------------------------------------


def test_paper_counts_must_agree_before_results_stand():
    conf = build_conference(members=9)
    counter_a, counter_b = conf.heads[3], conf.heads[4]
    counter_add(actor=conf.secretariat, meeting=conf.meeting, user=counter_a)
    counter_add(actor=conf.secretariat, meeting=conf.meeting, user=counter_b)
    poll = conf.draft_poll(
        quota=1, threshold_percent=50, mode=PollMode.PAPER, candidates=conf.memberships[:2]
    )
    poll_open(actor=conf.secretariat, poll=poll)
    poll = poll_close(actor=conf.secretariat, poll=poll)
    c0, c1 = candidate(poll, conf.memberships[0]).pk, candidate(poll, conf.memberships[1]).pk

    paper_count_enter(
        actor=counter_a,
        poll=poll,
        ballots_total=9,
        ballots_blank=1,
        ballots_invalid=1,
        votes={c0: 5, c1: 2},
    )
    assert not Result.objects.filter(poll=poll).exists()  # one count is not enough
    paper_count_enter(
        actor=counter_b,
        poll=poll,
        ballots_total=9,
        ballots_blank=1,
        ballots_invalid=1,
        votes={c0: 4, c1: 3},
    )
    assert not Result.objects.filter(poll=poll).exists()  # mismatch
    with pytest.raises(ValidationError, match="chưa khớp nhau"):
        poll_publish(actor=conf.secretariat, poll=poll)

    paper_count_enter(
        actor=counter_b,
        poll=poll,
        ballots_total=9,
        ballots_blank=1,
        ballots_invalid=1,
        votes={c0: 5, c1: 2},
    )

    poll.refresh_from_db()
    assert (poll.ballots_total, poll.ballots_blank, poll.ballots_invalid) == (9, 1, 1)
    r0 = Result.objects.get(poll=poll, candidate_id=c0)
    assert r0.votes == 5 and r0.base == 8 and r0.elected  # 5/8 valid ≥ 50 %
    poll_publish(actor=conf.secretariat, poll=poll)
    assert Poll.objects.get(pk=poll.pk).state == PollState.PUBLISHED


def test_paper_count_refusals():
    conf = build_conference(members=9)
    counter_add(actor=conf.secretariat, meeting=conf.meeting, user=conf.heads[3])
    poll = conf.draft_poll(quota=1, mode=PollMode.PAPER, candidates=conf.memberships[:2])
    poll_open(actor=conf.secretariat, poll=poll)
    c0, c1 = candidate(poll, conf.memberships[0]).pk, candidate(poll, conf.memberships[1]).pk
    kwargs = {"ballots_total": 9, "ballots_blank": 0, "ballots_invalid": 0}
    with pytest.raises(ValidationError):  # still open
        paper_count_enter(actor=conf.heads[3], poll=poll, votes={c0: 5, c1: 4}, **kwargs)
    poll_close(actor=conf.secretariat, poll=poll)
    with pytest.raises(ValidationError):  # not on the committee
        paper_count_enter(actor=conf.heads[5], poll=poll, votes={c0: 5, c1: 4}, **kwargs)
    with pytest.raises(ValidationError):  # more votes than ballots
        paper_count_enter(actor=conf.heads[3], poll=poll, votes={c0: 10, c1: 0}, **kwargs)
    with pytest.raises(ValidationError):  # more marks than the quota allows
        paper_count_enter(actor=conf.heads[3], poll=poll, votes={c0: 6, c1: 6}, **kwargs)
    with pytest.raises(ValidationError):  # more ballots than voters
        paper_count_enter(
            actor=conf.heads[3],
            poll=poll,
            votes={c0: 1, c1: 1},
            ballots_total=10,
            ballots_blank=0,
            ballots_invalid=0,
        )


def test_leadership_poll_defaults_to_all_members_quota_one():
    conf = build_conference(members=9)
    poll = poll_create(actor=conf.secretariat, meeting=conf.meeting, purpose=PollPurpose.LEADER)
    assert poll.quota == 1 and poll.threshold_percent == 50 and poll.award_type is None
    assert poll.candidates.count() == 9


def test_leadership_elected_by_the_meetings_polls_feeds_the_carry_forward():

    conf = build_conference(members=9)
    leader_poll = poll_create(
        actor=conf.secretariat, meeting=conf.meeting, purpose=PollPurpose.LEADER
    )
    deputy_poll = poll_create(
        actor=conf.secretariat, meeting=conf.meeting, purpose=PollPurpose.DEPUTY
    )
    leader_poll, _ = run_poll(conf, leader_poll, [[1]] * 7 + [[2]] * 2)
    deputy_poll, _ = run_poll(conf, deputy_poll, [[2]] * 6 + [[3]] * 3)
    with pytest.raises(ValidationError):  # not published yet
        next_leadership_set(
            actor=conf.secretariat,
            meeting=conf.meeting,
            leader=conf.memberships[1].agency,
            deputy=conf.memberships[2].agency,
            method=LeadershipMethod.POLL,
        )
    poll_publish(actor=conf.secretariat, poll=leader_poll)
    poll_publish(actor=conf.secretariat, poll=deputy_poll)
    with pytest.raises(ValidationError):  # not who the polls elected
        next_leadership_set(
            actor=conf.secretariat,
            meeting=conf.meeting,
            leader=conf.memberships[3].agency,
            deputy=conf.memberships[2].agency,
            method=LeadershipMethod.POLL,
        )

    next_leadership_set(
        actor=conf.secretariat,
        meeting=conf.meeting,
        leader=conf.memberships[1].agency,
        deputy=conf.memberships[2].agency,
        method=LeadershipMethod.POLL,
    )

    record = next_leadership_for(conf.bloc_year)
    assert (record.leader, record.deputy, record.method) == (
        conf.memberships[1].agency,
        conf.memberships[2].agency,
        LeadershipMethod.POLL,
    )


def test_acclamation_needs_a_note():

    conf = build_conference(members=9)
    with pytest.raises(ValidationError):
        next_leadership_set(
            actor=conf.secretariat,
            meeting=conf.meeting,
            leader=conf.memberships[1].agency,
            deputy=conf.memberships[2].agency,
            method=LeadershipMethod.ACCLAMATION,
            note=" ",
        )
