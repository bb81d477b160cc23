"""Reads for polls: progress (only k of n while open), results, receipts."""

from __future__ import annotations

from django.db.models import Count, Prefetch

from awards.models import Ballot, Poll, PollCandidate, Result, VoterRecord
from awards.rules import polls_with_visible_tally
from blocs.selectors.organisation import VisibleById
from emulation.prepared import PreparedQuery

_poll_for = VisibleById(
    lambda: Poll.objects.select_related(
        "award_type",
        "meeting",
        "meeting__bloc_year",
        "meeting__bloc_year__bloc",
        "meeting__bloc_year__year",
        "runoff_of",
    ),
    "meeting__bloc_year",
)


def get_poll_for(user, pk: int) -> Poll:
    """A poll whose bloc-year the user may see; 404 for missing and forbidden."""
    return _poll_for(user, pk)


# The ballot and the receipt, on every head's phone at once: only what they
# show (the poll's title, round, state and quota; the bloc-year's name, year
# and phase), not every column of six tables.
_poll_for_ballot = VisibleById(
    lambda: (
        Poll.objects.select_related(
            "award_type", "meeting__bloc_year__bloc", "meeting__bloc_year__year"
        )
        .only(
            "meeting_id",
            "purpose",
            "award_type__name",
            "round",
            "mode",
            "state",
            "quota",
            "meeting__bloc_year__phase",
            "meeting__bloc_year__bloc__name",
            "meeting__bloc_year__year__year",
        )
        .order_by()
    ),
    "meeting__bloc_year",
)


def get_poll_for_ballot(user, pk: int) -> Poll:
    """``get_poll_for`` with only what the ballot page and the receipt show."""
    return _poll_for_ballot(user, pk)


def polls_of(meeting) -> list[Poll]:
    """The meeting's polls with their vote counts (one query)."""
    return list(
        Poll.objects.filter(meeting=meeting)
        .select_related("award_type")
        .annotate(voted=Count("voter_records", distinct=True))
        .order_by("purpose", "award_type__order", "round", "id")
    )


# The ballot page's and every ballot's candidates: compiled once per process.
_active_candidates = PreparedQuery(
    lambda poll_id: (
        PollCandidate.objects.filter(poll_id=poll_id, withdrawn=False)
        .select_related("membership", "membership__agency")
        .only("membership__agency__name")
        .order_by("membership__rotation_order", "membership__agency__name")
    )
)


def active_candidates(poll: Poll) -> list[PollCandidate]:
    return _active_candidates(poll.pk)


def all_candidates(poll: Poll) -> list[PollCandidate]:
    return list(
        poll.candidates.select_related("membership", "membership__agency").order_by(
            "withdrawn", "membership__rotation_order", "membership__agency__name"
        )
    )


def voted_count(poll: Poll) -> int:
    """k in "k of n have voted" — the only figure shown while a poll is open."""
    return VoterRecord.objects.filter(poll=poll).count()


# Which agencies have voted: read by the ballot page and after each cast.
_voter_records = PreparedQuery(
    lambda poll_id: VoterRecord.objects.filter(poll_id=poll_id).only("agency_id").order_by()
)


def voted_agency_ids(poll: Poll) -> set[int]:
    return {record.agency_id for record in _voter_records(poll.pk)}


def results_of(poll: Poll) -> list[Result]:
    """The poll's results; callers show them only where ``awards.see_results`` allows."""
    return list(
        Result.objects.filter(poll=poll)
        .select_related("candidate", "candidate__membership", "candidate__membership__agency")
        .order_by("position")
    )


def receipts_of(poll: Poll) -> list[str]:
    """The receipt codes of the counted ballots, sorted (never in casting order)."""
    return sorted(Ballot.objects.filter(poll=poll).values_list("receipt", flat=True))


def polls_with_results(meeting) -> list[Poll]:
    """The polls whose tally may be shown (``awards.rules.polls_with_visible_tally``:
    published ones), with their results, for the projector and the documents."""
    return list(
        polls_with_visible_tally(Poll.objects.filter(meeting=meeting))
        .select_related("award_type")
        .prefetch_related(
            Prefetch(
                "results",
                queryset=Result.objects.select_related("candidate__membership__agency").order_by(
                    "position"
                ),
            )
        )
        .order_by("purpose", "award_type__order", "round", "id")
    )


def elected_memberships(poll: Poll) -> list:
    return [
        r.candidate.membership
        for r in Result.objects.filter(poll=poll, elected=True).select_related(
            "candidate__membership__agency"
        )
    ]
