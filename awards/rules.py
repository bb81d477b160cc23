"""Who may do what at the year-end conference, with the ballots, the proposal,
the dossier's documents, the facts and the award rules (django-rules).

Built from the roles of ``blocs.rules`` (council staff of a province, the
secretariat of a bloc-year, the head of an agency, a member); what is
particular to awards is defined here once: who holds a vote at a meeting,
who sits on its counting committee.
"""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet

from awards.enums import AttendanceStatus, PollState
from awards.models import Attendance, CountingCommitteeMember, Meeting, Poll
from blocs.rules import (
    bloc_year_of,
    is_council_of,
    is_member,
    is_own_agency,
    is_secretariat,
    oversees,
)
from emulation.prepared import PreparedQuery
from emulation.rules import is_provincial_council_staff, is_superuser


def _bloc_year(obj):
    """The bloc-year of a poll, an attendance, a meeting, a proposal or a bloc-year."""
    if isinstance(obj, (Poll, Attendance)):
        obj = obj.meeting
    return bloc_year_of(obj)


def _meeting(obj) -> Meeting | None:
    if isinstance(obj, Meeting):
        return obj
    return getattr(obj, "meeting", None)


# --- votes and counting ----------------------------------------------------------------


# Every ballot and ballot page reads who holds which vote: only the rows that
# can give this user a vote (their agency's own, and those naming their agency
# as the proxy holder), compiled once per process.
_attendance_of = PreparedQuery(
    lambda meeting_id, agency_id: (
        Attendance.objects.filter(meeting_id=meeting_id)
        .filter(Q(membership__agency_id=agency_id) | Q(proxy_to__agency_id=agency_id))
        .select_related("membership__agency", "proxy_to")
        .only("status", "membership__agency__name", "membership__agency__code", "proxy_to__agency")
        .order_by()
    ),
    arity=2,
)


def agencies_user_votes_for(user, meeting: Meeting) -> list:
    """The agencies whose ballot this user casts: their own agency if it is
    present, and the agencies that gave their agency a written proxy. Only
    the head of an agency votes. (Either way the agency takes part in the
    vote: present, or represented by proxy.)"""
    return _agencies_voted_for(user, meeting.pk)


def votes_held_at(user, *, meeting_id: int) -> list:
    """``agencies_user_votes_for`` by the meeting's id, read afresh (unlike
    ``votes_held_by``): the service that casts a ballot asks under the
    poll's lock."""
    return _agencies_voted_for(user, meeting_id)


def _agencies_voted_for(user, meeting_id: int) -> list:
    if not user.is_authenticated or not user.is_agency_head:
        return []
    agencies = []
    for a in _attendance_of(meeting_id, user.agency_id):
        own_present = (
            a.membership.agency_id == user.agency_id and a.status == AttendanceStatus.PRESENT
        )
        proxy_for = (
            a.status == AttendanceStatus.PROXY
            and a.proxy_to is not None
            and a.proxy_to.agency_id == user.agency_id
        )
        if own_present or proxy_for:
            agencies.append(a.membership.agency)
    agencies.sort(key=lambda ag: (ag.pk != user.agency_id, ag.name))
    return agencies


def votes_held_by(user, meeting: Meeting) -> list:
    """``agencies_user_votes_for``, asked once per request: the ballot page
    checks the permission, then lists the same agencies (kept on the user
    object, which lives for one request)."""
    known = getattr(user, "_votes_held_in", None)
    if known is None:
        known = user._votes_held_in = {}
    if meeting.pk not in known:
        known[meeting.pk] = agencies_user_votes_for(user, meeting)
    return known[meeting.pk]


@rules.predicate
def holds_a_vote(user, obj) -> bool:
    """The head of an agency present at the meeting, or holding a proxy."""
    meeting = _meeting(obj)
    if meeting is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(votes_held_by(user, meeting))


_counter_seat = PreparedQuery(
    lambda meeting_id, user_id: CountingCommitteeMember.objects.filter(
        meeting_id=meeting_id, user_id=user_id
    ).only("pk"),
    arity=2,
)


@rules.predicate
def is_counter(user, obj) -> bool:
    """A member of the meeting's counting committee."""
    meeting = _meeting(obj)
    if meeting is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(_counter_seat(meeting.pk, user.pk))


# --- roles, seen from the conference and the proposal -----------------------------------


@rules.predicate
def is_bloc_secretariat(user, obj) -> bool:
    """The secretariat of the bloc-year of a meeting, a poll or a proposal."""
    return is_secretariat(user, _bloc_year(obj))


@rules.predicate
def is_bloc_council(user, obj) -> bool:
    """Council staff of the province of a meeting's, a poll's or a proposal's bloc."""
    bloc_year = _bloc_year(obj)
    return bloc_year is not None and is_council_of(user, bloc_year)


@rules.predicate
def is_proxy_party(user, attendance) -> bool:
    """The user's agency gave the written proxy, or holds it."""
    if not isinstance(attendance, Attendance):
        return False
    return is_own_agency(user, attendance.membership) or (
        attendance.proxy_to is not None and is_own_agency(user, attendance.proxy_to)
    )


# --- polls ------------------------------------------------------------------------------


@rules.predicate
def poll_is_published(user, poll) -> bool:
    return isinstance(poll, Poll) and poll.state == PollState.PUBLISHED


# --- the tally of a poll: one rule for every surface ---------------------------------------
#
# A poll's per-candidate figures (votes, shares, who is elected and why) are
# shown only once the poll is published: not while it is open, not after it
# closes (the secretariat and the council included: before publication only
# the number of ballots cast is shown), never for a cancelled poll. The poll
# page, the projector, the documents (previewed and issued), the proposal and
# any export or API ask this rule: per poll (``tally_is_visible`` /
# ``awards.see_results``) or per query (``polls_with_visible_tally``).

TALLY_VISIBLE = Q(state=PollState.PUBLISHED)


def tally_is_shown(poll: Poll) -> bool:
    """Whether the poll's tally may be shown at all (to anybody who sees its bloc-year)."""
    return poll.state == PollState.PUBLISHED


def polls_with_visible_tally(polls: QuerySet) -> QuerySet:
    """The polls of ``polls`` whose tally may be shown (the same rule, as a query)."""
    return polls.filter(TALLY_VISIBLE)


@rules.predicate
def poll_tally_is_shown(user, poll) -> bool:
    return isinstance(poll, Poll) and tally_is_shown(poll)


@rules.predicate
def sees_poll(user, poll) -> bool:
    """Whoever sees the poll's bloc-year: its members, the province's council,
    national staff and administrators."""
    bloc_year = _bloc_year(poll)
    return bloc_year is not None and (is_council_of(user, bloc_year) or is_member(user, bloc_year))


def tally_is_visible(user, poll: Poll) -> bool:
    """The one answer to "may this user see this poll's tally?" (for a
    serializer or a view that has no request permission check)."""
    return user.has_perm("awards.see_results", poll)


# --- rule sets --------------------------------------------------------------------------


@rules.predicate
def is_national_default(user, rule_set) -> bool:
    return rule_set is not None and rule_set.province_id is None


# --- the permissions ----------------------------------------------------------------------

# The conference: the secretariat runs it (meeting, attendance, counting
# committee, polls, results, the projector screen).
rules.add_perm("awards.run_conference", is_bloc_secretariat)
rules.add_perm("awards.see_proxy_authorisation", is_bloc_secretariat | is_proxy_party)
rules.add_perm("awards.cast_ballot", holds_a_vote)
rules.add_perm("awards.count_paper_ballots", is_counter)
# Nobody sees a tally before the poll is published (the secretariat and the
# council included); after publication whoever sees the bloc-year. A
# cancelled poll never shows one.
rules.add_perm("awards.see_results", poll_tally_is_shown & sees_poll)
rules.add_perm("awards.check_receipts", poll_is_published & sees_poll)

# The proposal: the secretariat prepares and submits, the province's council decides.
rules.add_perm("awards.prepare_proposal", is_bloc_secretariat)
rules.add_perm("awards.decide_proposal", is_bloc_council)

# The dossier's documents: the secretariat, and an administrator who
# re-issues a document for it.
rules.add_perm("awards.prepare_documents", is_bloc_secretariat | is_superuser)

# Eligibility: the council and the secretariat see every member's row.
rules.add_perm("awards.see_all_eligibility", oversees)

# Facts of the members, award history, rules.
rules.add_perm("awards.enter_facts", is_bloc_council)
rules.add_perm("awards.import_history", is_provincial_council_staff)
rules.add_perm("awards.edit_rules", is_council_of)
# A province's council copies the national default into its own rule set.
rules.add_perm(
    "awards.copy_rule_set", is_council_of | (is_national_default & is_provincial_council_staff)
)
