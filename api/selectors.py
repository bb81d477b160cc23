"""What a client may read: published things only, of its province (or of
every province for a national client).

"Published" is never defined here: the ranking is out when the bloc-year is in
one of ``blocs.enums.RANKED_PHASES`` (the rule ``ranking_is_published`` asks
the same); a poll's tally when ``awards.rules.polls_with_visible_tally`` keeps
it; a proposal has been submitted when it is out of the bloc's hands (not in
``PROPOSAL_EDITABLE_STATES``: a draft, or returned for correction).
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from api.models import ApiClient
from awards.enums import PROPOSAL_EDITABLE_STATES, ItemDecision, ProposalState
from awards.models import AwardRecord, Decision, Poll, Proposal, ProposalItem, Result
from awards.rules import polls_with_visible_tally
from blocs.enums import RANKED_PHASES
from blocs.models import Agency, AgencyLineage, Bloc, BlocYear, Membership


def _scoped(queryset: QuerySet, client: ApiClient, province_path: str) -> QuerySet:
    if client.is_national:
        return queryset
    return queryset.filter(**{province_path: client.province_id})


def agencies_for(client: ApiClient) -> QuerySet[Agency]:
    return _scoped(
        Agency.objects.select_related("province").prefetch_related(
            Prefetch(
                "predecessor_links",
                queryset=AgencyLineage.objects.select_related("predecessor"),
            ),
            Prefetch(
                "successor_links",
                queryset=AgencyLineage.objects.select_related("successor"),
            ),
        ),
        client,
        "province",
    )


def blocs_for(client: ApiClient) -> QuerySet[Bloc]:
    return _scoped(Bloc.objects.select_related("province"), client, "province")


def bloc_years_for(client: ApiClient) -> QuerySet[BlocYear]:
    return _scoped(
        BlocYear.objects.select_related("bloc__province", "year").prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("agency").order_by(
                    "rotation_order", "agency__name"
                ),
            )
        ),
        client,
        "bloc__province",
    )


def ranked_bloc_years_for(client: ApiClient) -> QuerySet[BlocYear]:
    """Bloc-years whose ranking is published (their rows: ``rankings_for``)."""
    return _scoped(
        BlocYear.objects.filter(phase__in=RANKED_PHASES).select_related("bloc__province", "year"),
        client,
        "bloc__province",
    )


def published_polls_for(client: ApiClient) -> QuerySet[Poll]:
    return _scoped(
        polls_with_visible_tally(Poll.objects.all())
        .select_related("meeting__bloc_year__bloc__province", "meeting__bloc_year__year")
        .select_related("award_type")
        .prefetch_related(
            Prefetch(
                "results",
                queryset=Result.objects.select_related("candidate__membership__agency").order_by(
                    "position"
                ),
            )
        ),
        client,
        "meeting__bloc_year__bloc__province",
    )


def submitted_proposals_for(client: ApiClient) -> QuerySet[Proposal]:
    return _scoped(
        Proposal.objects.exclude(state__in=PROPOSAL_EDITABLE_STATES)
        .select_related("bloc_year__bloc__province", "bloc_year__year")
        .prefetch_related(
            Prefetch("items", queryset=ProposalItem.objects.select_related("agency", "award_type"))
        ),
        client,
        "bloc_year__bloc__province",
    )


def decisions_for(client: ApiClient) -> QuerySet[Decision]:
    return _scoped(
        Decision.objects.filter(proposal__state=ProposalState.DECIDED)
        .select_related("proposal__bloc_year__bloc__province", "proposal__bloc_year__year")
        .prefetch_related(
            Prefetch(
                "proposal__items",
                queryset=ProposalItem.objects.filter(decision=ItemDecision.APPROVED)
                .select_related("agency", "award_type")
                .order_by("award_type__order", "agency__name"),
                to_attr="approved_items",
            )
        ),
        client,
        "proposal__bloc_year__bloc__province",
    )


def award_records_for(client: ApiClient) -> QuerySet[AwardRecord]:
    return _scoped(
        AwardRecord.objects.select_related("agency__province", "award_type"),
        client,
        "agency__province",
    )
