"""Writes for polls and the secret ballot.

``ballot_cast`` is the heart of it: it locks the poll row, checks that the
agency has not voted, then writes a VoterRecord (who voted) and an anonymous
Ballot with its choices (what was chosen) in one transaction. The two share
no key, no timestamp and no sequence; the audit event names the poll and the
agency, never the ballot or its receipt. The VoterRecord unique constraint is
the last line of defence against a double submission.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, FilteredRelation, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards import eligibility
from awards.enums import (
    POLL_TRANSITIONS,
    PollMode,
    PollPurpose,
    PollState,
    ResultStatus,
    ThresholdBase,
)
from awards.models import (
    AwardType,
    Ballot,
    BallotChoice,
    CountingCommitteeMember,
    Meeting,
    PaperCount,
    PaperCountLine,
    Poll,
    PollCandidate,
    Result,
    VoterRecord,
)
from awards.rules import votes_held_at
from awards.rules_math import meets_threshold, percent_of, quorum_needed
from awards.selectors import rule_for, women_share_by_agency
from awards.selectors.meeting import quorum_of, voting_heads
from blocs.enums import CONFERENCE_OVER_PHASES, PROPOSAL_PREPARATION_PHASES, Phase
from blocs.models import Agency, Membership
from blocs.selectors import ranking_for
from blocs.services import bloc_year_advance
from emulation import audit
from emulation.enums import NotificationKind
from emulation.models import User
from emulation.prepared import PreparedInsert, PreparedQuery
from emulation.refusals import require_actor
from emulation.services import notification_send

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
DEFAULT_LEADERSHIP_THRESHOLD = 50


def _lock_poll(poll: Poll) -> Poll:
    return (
        Poll.objects.select_for_update(of=("self",))
        .select_related("meeting", "meeting__bloc_year", "award_type")
        .get(pk=poll.pk)
    )


def _require_running(actor: User | None, obj) -> None:
    """The bloc's secretariat runs the conference's polls."""
    require_actor(
        actor, "awards.run_conference", obj, _("Only the bloc's secretariat can do this.")
    )


def _check_transition(poll: Poll, new: PollState) -> None:
    if new not in POLL_TRANSITIONS[PollState(poll.state)]:
        raise ValidationError(
            _("A poll that is “%(old)s” cannot become “%(new)s”.")
            % {"old": PollState(poll.state).label, "new": new.label}
        )


def _default_candidates(meeting: Meeting, purpose: str, award_type) -> list[Membership]:
    bloc_year = meeting.bloc_year
    if purpose == PollPurpose.AWARD:
        return list(eligibility.eligible_memberships(bloc_year=bloc_year, award_type=award_type))
    return list(Membership.objects.filter(bloc_year=bloc_year).select_related("agency"))


def _default_rule(meeting: Meeting, award_type, candidates: int):
    """Quota and threshold from the year's rule; (quota, percent, base).

    The quota comes from the eligibility engine, which counts a percentage on
    those eligible for another award where the rule says so (the Government
    flag: ≤ 20% of those meeting the provincial-flag standard)."""
    quota, percent, base = None, None, ThresholdBase.VALID_BALLOTS
    if award_type is not None:
        bloc_year = meeting.bloc_year
        rule = rule_for(
            year=bloc_year.year.year,
            award_type=award_type,
            province_id=bloc_year.bloc.province_id,
        )
        if rule is not None:
            quota = eligibility.quota(bloc_year=bloc_year, award_type=award_type)
            percent = rule.threshold_percent
            base = rule.threshold_base or base
    else:
        quota, percent = 1, DEFAULT_LEADERSHIP_THRESHOLD
    if quota is None:
        quota = max(candidates, 1)
    return quota, percent, base


@transaction.atomic
def poll_create(
    *,
    actor: User | None,
    meeting: Meeting,
    purpose: PollPurpose | str = PollPurpose.AWARD,
    award_type: AwardType | None = None,
    mode: PollMode | str = PollMode.ONLINE,
    quota: int | None = None,
    threshold_percent: int | None = None,
    threshold_base: ThresholdBase | str | None = None,
    candidates: list[Membership] | None = None,
) -> Poll:
    """Prepare a poll (first round) in draft, with the eligible candidates (or
    the given ones) and the quota and threshold of the year's rule (editable
    while in draft)."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("bloc_year", "bloc_year__year", "bloc_year__bloc")
        .get(pk=meeting.pk)
    )
    _require_running(actor, meeting)
    purpose = PollPurpose(purpose)
    if meeting.bloc_year.phase in CONFERENCE_OVER_PHASES:
        raise ValidationError(_("This bloc-year's proposal has already been submitted."))
    if purpose == PollPurpose.AWARD and award_type is None:
        raise ValidationError(_("Choose the award the poll is for."))
    if purpose != PollPurpose.AWARD:
        award_type = None
    existing = Poll.objects.filter(meeting=meeting, purpose=purpose, award_type=award_type).exclude(
        state=PollState.CANCELLED
    )
    if existing.exists():
        raise ValidationError(
            _("This meeting already has a poll for %(what)s; a further round is a run-off.")
            % {"what": award_type.name if award_type else PollPurpose(purpose).label}
        )
    if candidates is None:
        memberships = _default_candidates(meeting, purpose, award_type)
    else:
        memberships = [m for m in candidates if m.bloc_year_id == meeting.bloc_year_id]
    rule_quota, rule_percent, rule_base = _default_rule(meeting, award_type, len(memberships))
    if quota is None and rule_quota == 0:
        raise ValidationError(
            _("The year's rule gives this bloc no quota for %(award)s.")
            % {"award": award_type.name if award_type else ""}
        )
    poll = Poll(
        meeting=meeting,
        purpose=purpose,
        award_type=award_type,
        mode=mode,
        quota=quota if quota is not None else rule_quota,
        threshold_percent=threshold_percent if quota is not None else rule_percent,
        # An explicit quota comes with its own threshold (None = no threshold).
        threshold_base=threshold_base or rule_base,
    )
    poll.full_clean()
    poll.save()
    PollCandidate.objects.bulk_create(PollCandidate(poll=poll, membership=m) for m in memberships)
    audit.record(
        actor=actor,
        action="poll.create",
        target=poll,
        data={
            "purpose": str(purpose),
            "award_type": award_type.code if award_type else None,
            "mode": str(mode),
            "quota": poll.quota,
            "threshold": poll.threshold_percent,
            "base": poll.threshold_base,
            "candidates": [m.agency.code for m in memberships],
        },
    )
    return poll


@transaction.atomic
def poll_update(
    *,
    actor: User | None,
    poll: Poll,
    mode: PollMode | str,
    quota: int,
    threshold_percent: int | None,
    threshold_base: ThresholdBase | str,
) -> Poll:
    """Change a draft poll's mode, quota and threshold."""
    locked = _lock_poll(poll)
    _require_running(actor, locked)
    if locked.state != PollState.DRAFT:
        raise ValidationError(_("Only a draft poll can be changed."))
    old = {
        "mode": locked.mode,
        "quota": locked.quota,
        "threshold": locked.threshold_percent,
        "base": locked.threshold_base,
    }
    locked.mode, locked.quota = mode, quota
    locked.threshold_percent, locked.threshold_base = threshold_percent, threshold_base
    locked.full_clean()
    locked.save(update_fields=["mode", "quota", "threshold_percent", "threshold_base"])
    audit.record(
        actor=actor,
        action="poll.update",
        target=locked,
        data={
            "old": old,
            "new": {
                "mode": str(mode),
                "quota": quota,
                "threshold": threshold_percent,
                "base": str(threshold_base),
            },
        },
    )
    return locked


@transaction.atomic
def candidate_add(
    *, actor: User | None, poll: Poll, membership: Membership, reason: str
) -> PollCandidate:
    """Put a member on the ballot by hand (the reason is recorded)."""
    locked = _lock_poll(poll)
    _require_running(actor, locked)
    if locked.state != PollState.DRAFT:
        raise ValidationError(_("Candidates can only change while the poll is a draft."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for adding this candidate."))
    if membership.bloc_year_id != locked.meeting.bloc_year_id:
        raise ValidationError(_("This agency is not a member of the bloc this year."))
    candidate = PollCandidate.objects.filter(poll=locked, membership=membership).first()
    if candidate is not None and not candidate.withdrawn:
        raise ValidationError(
            _("%(agency)s is already on the ballot.") % {"agency": membership.agency}
        )
    if candidate is None:
        candidate = PollCandidate.objects.create(
            poll=locked, membership=membership, added_manually=True, reason=reason.strip()
        )
    else:
        candidate.withdrawn, candidate.added_manually = False, True
        candidate.reason = reason.strip()
        candidate.save(update_fields=["withdrawn", "added_manually", "reason"])
    audit.record(
        actor=actor,
        action="poll.candidate_add",
        target=locked,
        data={"agency": membership.agency.code, "reason": reason.strip()},
    )
    return candidate


@transaction.atomic
def candidate_remove(*, actor: User | None, candidate: PollCandidate, reason: str) -> None:
    """Take a member off the ballot; it stays listed with the reason."""
    locked = _lock_poll(candidate.poll)
    _require_running(actor, locked)
    if locked.state != PollState.DRAFT:
        raise ValidationError(_("Candidates can only change while the poll is a draft."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for removing this candidate."))
    candidate = PollCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.withdrawn:
        raise ValidationError(_("This candidate has already been removed."))
    candidate.withdrawn, candidate.reason = True, reason.strip()
    candidate.save(update_fields=["withdrawn", "reason"])
    audit.record(
        actor=actor,
        action="poll.candidate_remove",
        target=locked,
        data={"agency": candidate.membership.agency.code, "reason": reason.strip()},
    )


@transaction.atomic
def poll_open(*, actor: User | None, poll: Poll, today: datetime.date | None = None) -> Poll:
    """Open the vote: on or after the conference's day, with the quorum and at
    least one candidate. The number of voters (members present or represented)
    is fixed at this moment. The bloc-year is then in the voting phase (the
    conference's attendance moves it there on the day). ``today`` back-dates
    the date check (the demo's history)."""
    locked = _lock_poll(poll)
    _require_running(actor, locked)
    _check_transition(locked, PollState.OPEN)
    meeting = Meeting.objects.select_for_update().get(pk=locked.meeting_id)
    bloc_year = meeting.bloc_year
    if bloc_year.phase in CONFERENCE_OVER_PHASES:
        raise ValidationError(_("This bloc-year's proposal has already been submitted."))
    if bloc_year.phase not in PROPOSAL_PREPARATION_PHASES:
        raise ValidationError(_("The ranking has not been published yet: no vote can open."))
    if (today or timezone.localdate()) < meeting.date:
        raise ValidationError(
            _("The conference meets on %(date)s: its votes open on that day.")
            % {"date": meeting.date.strftime("%d/%m/%Y")}
        )
    quorum = quorum_of(meeting)
    if not quorum.met:
        raise ValidationError(
            _(
                "No quorum: %(represented)s of %(members)s members are present or "
                "represented; at least %(needed)s are needed (%(num)s/%(den)s)."
            )
            % {
                "represented": quorum.represented,
                "members": quorum.members,
                "needed": quorum.needed,
                "num": quorum.numerator,
                "den": quorum.denominator,
            }
        )
    if not locked.candidates.filter(withdrawn=False).exists():
        raise ValidationError(_("The ballot has no candidates."))
    if (
        locked.runoff_of_id is None
        and locked.meeting.polls.filter(
            purpose=locked.purpose, award_type=locked.award_type_id, state=PollState.OPEN
        )
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError(_("Another round of this poll is open."))
    locked.state = PollState.OPEN
    locked.opened_at = timezone.now()
    locked.voters_expected = quorum.represented
    locked.members_count = quorum.members
    locked.save(update_fields=["state", "opened_at", "voters_expected", "members_count"])
    audit.record(
        actor=actor,
        action="poll.open",
        target=locked,
        data={"voters": quorum.represented, "members": quorum.members},
    )
    if locked.mode == PollMode.ONLINE:
        # The head's dashboard carries the "vote now" task while the poll is open.
        notification_send(
            recipients=voting_heads(meeting),
            kind=NotificationKind.POLL_OPENED,
            params={"poll": str(locked.title), "bloc": bloc_year.bloc.name},
            url=reverse("home"),
        )
    if bloc_year.phase == Phase.RANKING_PUBLISHED:
        bloc_year_advance(actor=actor, bloc_year=bloc_year, to=Phase.VOTING, via="conference")
    return locked


# What a cast reads under the poll's lock, in one statement compiled once per
# process (every head of every conference casts through it): the poll's
# meeting, state, mode and quota, with the id of each active candidate, one
# row per candidate (a poll without any: one row, with None). Only the poll's
# row is locked, and only FOR SHARE: the heads of a conference cast at the
# same moment and none waits for another's ballot, while closing, cancelling
# or changing the poll (FOR UPDATE) waits for the casts under way.
_poll_locked_for_cast = PreparedQuery(
    lambda pk: (
        Poll.objects.filter(pk=pk)
        .annotate(active=FilteredRelation("candidates", condition=Q(candidates__withdrawn=False)))
        .select_for_update(of=("self",))
        .values_list("meeting_id", "state", "mode", "quota", "active__id")
        .order_by()
    ),
    shared=("self",),
)


# What a cast writes, in statements written once per process: nothing is read
# back (the ballot's key is drawn here; the voter record's is never needed).
_insert_voter_record = PreparedInsert(VoterRecord)
_insert_ballot = PreparedInsert(Ballot)
_insert_choices = PreparedInsert(BallotChoice)


def _new_receipt() -> str:
    """Ten symbols of a 32-letter alphabet (50 random bits): two ballots of a
    poll draw the same code about once in 10^13 casts, and the database's
    constraint refuses that cast (see ``ballot_cast``)."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(10))
    return f"{raw[:5]}-{raw[5:]}"


@dataclass(frozen=True)
class BallotCast:
    """A ballot just cast, for the head who cast it: the receipt code, to
    show once (nothing stored links it to the voter), the agency whose
    ballot it was, and every agency whose ballot the head casts at the
    meeting, as read under the poll's lock (the others may still be to cast)."""

    receipt: str
    agency: Agency
    held: list[Agency]


@transaction.atomic
def ballot_cast(
    *, actor: User, poll: Poll, agency_id: int, candidate_ids: list[int] | set[int]
) -> BallotCast:
    """Cast the secret ballot of the agency ``agency_id``.

    The poll row is locked against a change (not against other casts): it
    stays open until the cast commits. Two casts for the same agency meet at
    the unique constraint on (poll, agency) of the VoterRecord: the second
    waits for the first, then is refused, which rolls the whole cast back.
    No choices is a blank ballot.

    Only the head of an agency present, or of the agency it gave its written
    proxy to, casts its ballot: read under the lock, before anything else, so
    that anyone else is refused (``PermissionDenied``) whatever the poll's
    state, as the ballot page refuses them.
    """
    rows = _poll_locked_for_cast(poll.pk)
    if not rows:
        raise Poll.DoesNotExist
    meeting_id, state, mode, quota = rows[0][:4]
    held = votes_held_at(actor, meeting_id=meeting_id)
    agency = next((a for a in held if a.pk == agency_id), None)
    if agency is None:
        raise PermissionDenied
    if state != PollState.OPEN:
        raise ValidationError(_("This poll is not open for voting."))
    if mode != PollMode.ONLINE:
        raise ValidationError(_("This poll is counted on paper ballots."))
    chosen = set(candidate_ids)
    if len(chosen) > quota:
        raise ValidationError(
            _("Choose at most %(n)s candidates; this ballot chose %(k)s.")
            % {"n": quota, "k": len(chosen)}
        )
    # Candidates change only while the poll is a draft: the ids read under
    # the lock of an open poll are the ballot's.
    if chosen and not chosen <= {row[-1] for row in rows}:
        raise ValidationError(_("The ballot names someone who is not a candidate."))
    try:
        # No savepoint: on a duplicate the error leaves this atomic block and
        # the whole cast is rolled back.
        _insert_voter_record(VoterRecord(poll_id=poll.pk, agency_id=agency.pk))
    except IntegrityError:
        raise ValidationError(
            _("%(agency)s has already voted in this poll.") % {"agency": agency}
        ) from None
    ballot = Ballot(poll_id=poll.pk, receipt=_new_receipt())
    try:
        _insert_ballot(ballot)
    except IntegrityError:
        # The code drawn is another ballot's of this poll: nothing is written,
        # the head sends the ballot again (and draws another code).
        raise ValidationError(_("Your ballot was not recorded. Please send it again.")) from None
    _insert_choices(*(BallotChoice(ballot_id=ballot.pk, candidate_id=pk) for pk in sorted(chosen)))
    # The audit names who voted, never the ballot or its receipt. (The poll as
    # the caller read it: its title and round do not change.)
    audit.record(
        actor=actor,
        action="ballot.cast",
        target=poll,
        data={"agency": agency.code},
        need_id=False,
    )
    return BallotCast(receipt=ballot.receipt, agency=agency, held=held)


@dataclass
class Tally:
    total: int
    blank: int
    invalid: int
    votes: dict[int, int]  # candidate id → votes


def _online_tally(poll: Poll) -> Tally:
    ballots = Ballot.objects.filter(poll=poll).annotate(n=Count("choices"))
    total = blank = invalid = 0
    for n, is_invalid in ballots.values_list("n", "is_invalid"):
        total += 1
        if is_invalid:
            invalid += 1
        elif n == 0:
            blank += 1
    votes = dict(
        BallotChoice.objects.filter(ballot__poll=poll, ballot__is_invalid=False)
        .values("candidate_id")
        .annotate(n=Count("id"))
        .values_list("candidate_id", "n")
    )
    return Tally(total=total, blank=blank, invalid=invalid, votes=votes)


def _tie_break_data(poll: Poll, agency_ids: list[int]):
    """Ranking totals (if the ranking exists and is published) and the women's share."""
    ranking = {row.agency.pk: row.total for row in ranking_for(poll.meeting.bloc_year)}
    women = women_share_by_agency(agency_ids=agency_ids, year=poll.meeting.bloc_year.year.year)
    return ranking, women


def _base_for(poll: Poll, tally: Tally) -> int:
    if poll.threshold_base == ThresholdBase.PRESENT:
        return poll.voters_expected or 0
    if poll.threshold_base == ThresholdBase.ALL_MEMBERS:
        return poll.members_count or 0
    return tally.total - tally.invalid


def _compute_results(poll: Poll, tally: Tally) -> None:
    """Write a Result per active candidate: threshold, quota, tie-breaks."""
    Result.objects.filter(poll=poll).delete()
    candidates = list(poll.candidates.filter(withdrawn=False).select_related("membership__agency"))
    base = _base_for(poll, tally)
    agency_ids = [c.membership.agency_id for c in candidates]
    ranking, women = _tie_break_data(poll, agency_ids)

    def key(c):
        total = ranking.get(c.membership.agency_id)
        share = women.get(c.membership.agency_id)
        return (
            -tally.votes.get(c.pk, 0),
            0 if total is None else -total,
            0 if share is not None and share * 1 >= 70 else 1,
        )

    # Nobody is elected by nobody: without a threshold a candidate still
    # needs at least one vote.
    qualified = [
        c
        for c in candidates
        if tally.votes.get(c.pk, 0) > 0
        and meets_threshold(
            votes=tally.votes.get(c.pk, 0), base=base, percent=poll.threshold_percent
        )
    ]
    qualified.sort(key=key)
    status: dict[int, tuple[str, str]] = {}
    seats = poll.quota
    # The seats left when the first candidate with a given number of votes is
    # placed: a tie-break decided something only if those candidates did not
    # all fit in them.
    seats_at_votes: dict[int, int] = {}
    i = 0
    while i < len(qualified):
        group = [qualified[i]]
        while i + len(group) < len(qualified) and key(qualified[i + len(group)]) == key(group[0]):
            group.append(qualified[i + len(group)])
        vote_peers = [c for c in qualified if key(c)[0] == key(group[0])[0]]
        seats_left = seats_at_votes.setdefault(key(group[0])[0], seats)
        broke_tie = len(vote_peers) > len(group) and len(vote_peers) > seats_left
        if len(group) <= seats:
            why = _("Meets the threshold and is within the quota.")
            if broke_tie:
                why = _(
                    "Meets the threshold; equal votes, placed ahead by the ranking score "
                    "or the preference for collectives with at least 70 per cent women."
                )
            for c in group:
                status[c.pk] = (ResultStatus.ELECTED, why)
            seats -= len(group)
        elif seats > 0:
            why = _("Tied with %(n)s others for the last %(seats)s place(s): a run-off is needed.")
            for c in group:
                status[c.pk] = (ResultStatus.TIE, why % {"n": len(group) - 1, "seats": seats})
            seats = 0
        else:
            for c in group:
                status[c.pk] = (
                    ResultStatus.OVER_QUOTA,
                    _("Meets the threshold but the quota of %(q)s is filled by higher votes.")
                    % {"q": poll.quota},
                )
        i += len(group)
    rows = []
    ordered = qualified + sorted(
        (c for c in candidates if c.pk not in status), key=lambda c: -tally.votes.get(c.pk, 0)
    )
    for position, c in enumerate(ordered, start=1):
        votes = tally.votes.get(c.pk, 0)
        if c.pk in status:
            result_status, why = status[c.pk]
        elif votes == 0:
            result_status = ResultStatus.BELOW_THRESHOLD
            why = _("No ballot chose this candidate: nobody is elected without a vote.")
        else:
            result_status = ResultStatus.BELOW_THRESHOLD
            why = _(
                "%(votes)s of %(base)s votes (%(pct)s%%) is below the threshold of %(t)s%%."
            ) % {
                "votes": votes,
                "base": base,
                "pct": percent_of(votes=votes, base=base),
                "t": poll.threshold_percent,
            }
        rows.append(
            Result(
                poll=poll,
                candidate=c,
                votes=votes,
                base=base,
                status=result_status,
                elected=result_status == ResultStatus.ELECTED,
                reason=why[:500],
                position=position,
            )
        )
    Result.objects.bulk_create(rows)


def _reshuffle(poll: Poll) -> None:
    """Rewrite the poll's voter records and ballots in the closing transaction,
    in an order that says nothing (agency id; random ballot id), so that
    neither row ids (VoterRecord's sequence, SQLite's rowid), nor the physical
    order of the rows, nor PostgreSQL's per-transaction ``xmin`` (shared by a
    VoterRecord and the Ballot written with it) can tie a ballot to a voter
    or to the time it was cast. The old row versions are left to VACUUM."""
    voters = sorted(VoterRecord.objects.filter(poll=poll).values_list("agency_id", flat=True))
    ballots = sorted(Ballot.objects.filter(poll=poll).values_list("id", "receipt", "is_invalid"))
    choices = sorted(
        BallotChoice.objects.filter(ballot__poll=poll).values_list(
            "id", "ballot_id", "candidate_id"
        )
    )
    BallotChoice.objects.filter(ballot__poll=poll).delete()
    Ballot.objects.filter(poll=poll).delete()
    VoterRecord.objects.filter(poll=poll).delete()
    VoterRecord.objects.bulk_create(VoterRecord(poll=poll, agency_id=a) for a in voters)
    Ballot.objects.bulk_create(
        Ballot(id=pk, poll=poll, receipt=receipt, is_invalid=invalid)
        for pk, receipt, invalid in ballots
    )
    BallotChoice.objects.bulk_create(
        BallotChoice(id=pk, ballot_id=ballot_id, candidate_id=candidate_id)
        for pk, ballot_id, candidate_id in choices
    )


def ballots_needed(poll: Poll) -> int:
    """The meeting's quorum, counted on the members when the poll opened: a
    poll closes (online) or is published (paper) only with this many ballots."""
    members = poll.members_count
    if members is None:
        members = Membership.objects.filter(bloc_year_id=poll.meeting.bloc_year_id).count()
    return quorum_needed(
        members=members,
        numerator=poll.meeting.quorum_numerator,
        denominator=poll.meeting.quorum_denominator,
    )


def _require_ballot_quorum(poll: Poll, ballots: int) -> None:
    needed = ballots_needed(poll)
    if ballots < needed:
        raise ValidationError(
            _(
                "Not enough ballots to close the poll: %(ballots)s cast, at least "
                "%(needed)s needed (the meeting's quorum, %(num)s/%(den)s of %(members)s "
                "members). Wait for the remaining ballots, or cancel the poll."
            )
            % {
                "ballots": ballots,
                "needed": needed,
                "num": poll.meeting.quorum_numerator,
                "den": poll.meeting.quorum_denominator,
                "members": poll.members_count,
            }
        )


@transaction.atomic
def poll_close(*, actor: User | None, poll: Poll) -> Poll:
    """Close the vote, with at least the meeting's quorum of ballots (online;
    a paper poll's ballots are checked when its count is published). Online
    ballots are counted now; paper ballots by the counting committee
    (paper_count_enter)."""
    locked = _lock_poll(poll)
    _require_running(actor, locked)
    _check_transition(locked, PollState.CLOSED)
    if locked.mode == PollMode.ONLINE:
        _require_ballot_quorum(locked, VoterRecord.objects.filter(poll=locked).count())
    locked.state = PollState.CLOSED
    locked.closed_at = timezone.now()
    fields = ["state", "closed_at"]
    # Who voted, in alphabetical order of the codes: the audit list orders
    # and times casts no finer than the poll.
    voters = sorted(VoterRecord.objects.filter(poll=locked).values_list("agency__code", flat=True))
    data: dict = {"voted": len(voters), "voters": voters}
    if locked.mode == PollMode.ONLINE:
        _reshuffle(locked)
        tally = _online_tally(locked)
        locked.ballots_total, locked.ballots_blank = tally.total, tally.blank
        locked.ballots_invalid = tally.invalid
        fields += ["ballots_total", "ballots_blank", "ballots_invalid"]
        _compute_results(locked, tally)
        data.update(ballots=tally.total, blank=tally.blank)
    locked.save(update_fields=fields)
    audit.record(actor=actor, action="poll.close", target=locked, data=data)
    return locked


def _count_signature(count: PaperCount) -> tuple:
    lines = tuple(sorted((line.candidate_id, line.votes) for line in count.lines.all()))
    return (count.ballots_total, count.ballots_blank, count.ballots_invalid, lines)


@transaction.atomic
def paper_count_enter(
    *,
    actor: User,
    poll: Poll,
    ballots_total: int,
    ballots_blank: int,
    ballots_invalid: int,
    votes: dict[int, int],
) -> PaperCount:
    """One counting-committee member enters (or corrects) their own count.
    When two members' counts agree, the results stand; while they differ, the
    results are withdrawn until the counts are reconciled."""

    locked = _lock_poll(poll)
    if locked.mode != PollMode.PAPER:
        raise ValidationError(_("This poll is counted online."))
    if locked.state != PollState.CLOSED:
        raise ValidationError(_("Paper ballots are counted after the poll closes."))
    if not CountingCommitteeMember.objects.filter(
        meeting_id=locked.meeting_id, user=actor
    ).exists():
        raise ValidationError(_("Only members of the counting committee enter counts."))
    candidates = {c.pk for c in locked.candidates.filter(withdrawn=False)}
    if set(votes) != candidates:
        raise ValidationError(_("Enter the votes of every candidate."))
    if min([ballots_total, ballots_blank, ballots_invalid, *votes.values()]) < 0:
        raise ValidationError(_("Counts cannot be negative."))
    if ballots_blank + ballots_invalid > ballots_total:
        raise ValidationError(_("Blank and invalid ballots cannot exceed the ballots collected."))
    if locked.voters_expected is not None and ballots_total > locked.voters_expected:
        raise ValidationError(
            _("%(total)s ballots collected, but only %(n)s members voted.")
            % {"total": ballots_total, "n": locked.voters_expected}
        )
    marked = ballots_total - ballots_blank - ballots_invalid
    for n in votes.values():
        if n > marked:
            raise ValidationError(
                _("A candidate cannot have more votes (%(n)s) than marked valid ballots (%(m)s).")
                % {"n": n, "m": marked}
            )
    if sum(votes.values()) > marked * locked.quota:
        raise ValidationError(
            _("The votes add up to more than %(q)s per marked ballot.") % {"q": locked.quota}
        )
    count, _created = PaperCount.objects.update_or_create(
        poll=locked,
        counter=actor,
        defaults={
            "ballots_total": ballots_total,
            "ballots_blank": ballots_blank,
            "ballots_invalid": ballots_invalid,
        },
    )
    PaperCountLine.objects.filter(count=count).delete()
    PaperCountLine.objects.bulk_create(
        PaperCountLine(count=count, candidate_id=pk, votes=n) for pk, n in votes.items()
    )
    counts = list(PaperCount.objects.filter(poll=locked).prefetch_related("lines"))
    signatures = {_count_signature(c) for c in counts}
    agreed = len(counts) >= 2 and len(signatures) == 1
    if agreed:
        tally = Tally(
            total=ballots_total, blank=ballots_blank, invalid=ballots_invalid, votes=dict(votes)
        )
        locked.ballots_total, locked.ballots_blank = ballots_total, ballots_blank
        locked.ballots_invalid = ballots_invalid
        _compute_results(locked, tally)
    else:
        locked.ballots_total = locked.ballots_blank = locked.ballots_invalid = None
        Result.objects.filter(poll=locked).delete()
    locked.save(update_fields=["ballots_total", "ballots_blank", "ballots_invalid"])
    audit.record(
        actor=actor,
        action="poll.paper_count",
        target=locked,
        data={
            "total": ballots_total,
            "blank": ballots_blank,
            "invalid": ballots_invalid,
            "votes": {str(k): v for k, v in votes.items()},
            "agreed": agreed,
        },
    )
    return count


@transaction.atomic
def result_override(*, actor: User | None, result: Result, elected: bool, reason: str) -> Result:
    """Overrule the count for one candidate (e.g. acclamation), with a reason."""
    locked = _lock_poll(result.poll)
    _require_running(actor, locked)
    if locked.state != PollState.CLOSED:
        raise ValidationError(
            _("Results can only be overridden after closing and before publication.")
        )
    if not reason.strip():
        raise ValidationError(_("An override needs a recorded reason."))
    result = Result.objects.select_for_update().get(pk=result.pk)
    old = {"elected": result.elected, "status": result.status}
    result.elected, result.overridden = elected, True
    result.override_reason = reason.strip()[:500]
    result.save(update_fields=["elected", "overridden", "override_reason"])
    audit.record(
        actor=actor,
        action="poll.result_override",
        target=locked,
        data={
            "agency": result.candidate.membership.agency.code,
            "old": old,
            "elected": elected,
            "reason": reason.strip(),
        },
    )
    return result


@transaction.atomic
def poll_publish(*, actor: User | None, poll: Poll) -> Poll:
    """Publish the results: members then see them and can check their receipts."""
    locked = _lock_poll(poll)
    _require_running(actor, locked)
    _check_transition(locked, PollState.PUBLISHED)
    if not Result.objects.filter(poll=locked).exists():
        if locked.mode == PollMode.PAPER:
            raise ValidationError(_("The two counts of the counting committee do not agree yet."))
        raise ValidationError(_("There are no results to publish."))
    if locked.mode == PollMode.PAPER:
        _require_ballot_quorum(locked, locked.ballots_total or 0)
    locked.state = PollState.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["state", "published_at"])
    audit.record(
        actor=actor,
        action="poll.publish",
        target=locked,
        data={
            "elected": list(
                Result.objects.filter(poll=locked, elected=True).values_list(
                    "candidate__membership__agency__code", flat=True
                )
            )
        },
    )
    return locked


@transaction.atomic
def poll_cancel(*, actor: User | None, poll: Poll, reason: str) -> Poll:
    """Cancel a poll that has not been published (too few ballots, a fault in
    the ballot), with the reason. Its ballots and any results are destroyed
    so that no tally of it can ever be shown or computed; who voted stays
    recorded. A new poll may then be created for the same award."""
    locked = _lock_poll(poll)
    _require_running(actor, locked)
    _check_transition(locked, PollState.CANCELLED)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for cancelling the poll."))
    if locked.runoffs.exclude(state=PollState.CANCELLED).exists():
        raise ValidationError(_("Cancel the run-off of this poll first."))
    voted = VoterRecord.objects.filter(poll=locked).count()
    Result.objects.filter(poll=locked).delete()
    BallotChoice.objects.filter(ballot__poll=locked).delete()
    Ballot.objects.filter(poll=locked).delete()
    PaperCountLine.objects.filter(count__poll=locked).delete()
    PaperCount.objects.filter(poll=locked).delete()
    old = locked.state
    locked.state = PollState.CANCELLED
    locked.cancel_reason = reason[:500]
    locked.ballots_total = locked.ballots_blank = locked.ballots_invalid = None
    locked.save(
        update_fields=[
            "state",
            "cancel_reason",
            "ballots_total",
            "ballots_blank",
            "ballots_invalid",
        ]
    )
    audit.record(
        actor=actor,
        action="poll.cancel",
        target=locked,
        data={"from": old, "voted": voted, "reason": reason},
    )
    return locked


@transaction.atomic
def poll_create_runoff(*, actor: User | None, poll: Poll) -> Poll:
    """A run-off among the candidates tied at the quota boundary, for the
    places left."""
    locked = _lock_poll(poll)
    _require_running(actor, locked)
    if locked.state not in (PollState.CLOSED, PollState.PUBLISHED):
        raise ValidationError(_("A run-off follows a closed poll."))
    tied = list(Result.objects.filter(poll=locked, status=ResultStatus.TIE, overridden=False))
    if len(tied) < 2:
        raise ValidationError(_("There is no tie at the quota to settle."))
    if locked.runoffs.exclude(state=PollState.CANCELLED).exists():
        raise ValidationError(_("This poll already has a run-off."))
    elected = Result.objects.filter(poll=locked, elected=True).count()
    runoff = Poll(
        meeting=locked.meeting,
        purpose=locked.purpose,
        award_type=locked.award_type,
        round=locked.round + 1,
        runoff_of=locked,
        mode=locked.mode,
        quota=max(locked.quota - elected, 1),
        threshold_percent=locked.threshold_percent,
        threshold_base=locked.threshold_base,
    )
    runoff.full_clean()
    runoff.save()
    PollCandidate.objects.bulk_create(
        PollCandidate(
            poll=runoff,
            membership_id=r.candidate.membership_id,
            reason=_("Tied in round %(r)s.") % {"r": locked.round},
        )
        for r in Result.objects.filter(pk__in=[t.pk for t in tied]).select_related("candidate")
    )
    audit.record(
        actor=actor,
        action="poll.runoff",
        target=runoff,
        data={"of": locked.pk, "round": runoff.round, "quota": runoff.quota},
    )
    return runoff
