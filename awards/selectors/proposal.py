"""Reads of proposals: who sees and acts on them, the council's inbox, the
dashboard tasks."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _

from awards.enums import ItemDecision, ProposalState
from awards.models import Decision, Proposal, ProposalItem
from blocs.enums import PROPOSAL_PREPARATION_PHASES, SECRETARIAT_ROLES, DeadlineStep
from blocs.models import BlocYear, Membership, Province
from blocs.selectors import bloc_years_visible_to
from blocs.selectors.deadlines import bloc_year_deadlines
from blocs.selectors.organisation import VisibleById
from emulation.dashboard import Task
from emulation.models import IssuedDocument, User
from emulation.prepared import PreparedQuery
from emulation.rules import is_council, sees_all_provinces


def _base() -> QuerySet[Proposal]:
    return Proposal.objects.select_related(
        "bloc_year", "bloc_year__bloc", "bloc_year__bloc__province", "bloc_year__year"
    )


_proposal_for = VisibleById(_base, "bloc_year")


def get_proposal_for(user: User, pk: int) -> Proposal:
    """A proposal whose bloc-year the user may see; 404 for missing and forbidden."""
    return _proposal_for(user, pk)


def proposal_of(bloc_year: BlocYear) -> Proposal | None:
    return _base().filter(bloc_year=bloc_year).first()


# The proposal page's items and decision: compiled once per process. An
# item's row joins what the page shows of it (no membership, no award record).
_items_of = PreparedQuery(
    lambda proposal_id: (
        ProposalItem.objects.filter(proposal_id=proposal_id)
        .select_related("agency", "award_type", "council_vote")
        .order_by("award_type__order", "rank", "membership__rotation_order", "id")
    )
)
_decision_of = PreparedQuery(lambda proposal_id: Decision.objects.filter(proposal_id=proposal_id))
_documents_of = PreparedQuery(
    lambda proposal_id: IssuedDocument.objects.filter(
        pk__in=Proposal.documents.through.objects.filter(proposal_id=proposal_id).values(
            "issueddocument_id"
        )
    ).order_by("kind", "-version")
)


def items_of(proposal: Proposal) -> list[ProposalItem]:
    return _items_of(proposal.pk)


def documents_of(proposal: Proposal) -> list[IssuedDocument]:
    return _documents_of(proposal.pk)


def decision_of(proposal: Proposal):
    found = _decision_of(proposal.pk)
    return found[0] if found else None


def inbox(
    user: User,
    *,
    year: int | None = None,
    bloc_id: int | None = None,
    state: str = "",
    province_id: int | None = None,
) -> QuerySet[Proposal]:
    """The council's inbox across blocs and years (submitted first), filtered;
    one query whatever the number of blocs."""
    if not is_council(user):
        return Proposal.objects.none()
    qs = (
        _base()
        .filter(bloc_year__in=bloc_years_visible_to(user).values("pk"))
        .exclude(state=ProposalState.DRAFT)
        .select_related("decision")
        .annotate(
            item_count=Count("items"),
            approved_count=Count("items", filter=Q(items__decision=ItemDecision.APPROVED)),
        )
    )
    if year:
        qs = qs.filter(bloc_year__year__year=year)
    if province_id:
        qs = qs.filter(bloc_year__bloc__province_id=province_id)
    if bloc_id:
        qs = qs.filter(bloc_year__bloc_id=bloc_id)
    if state:
        qs = qs.filter(state=state)
    order = {
        ProposalState.SUBMITTED: 0,
        ProposalState.RECEIVED: 1,
        ProposalState.RETURNED: 2,
        ProposalState.DECIDED: 3,
    }
    return qs.annotate(
        state_order=Case(
            *[When(state=s, then=Value(n)) for s, n in order.items()],
            default=Value(9),
            output_field=IntegerField(),
        )
    ).order_by("state_order", "-bloc_year__year__year", "bloc_year__bloc__name")


def inbox_filters(user: User, province_id: int | None = None) -> dict:
    """The years and blocs to filter the inbox by (two queries). Who sees
    every province chooses a province first, and then its blocs (one more
    query): a country has over a thousand blocs, too many for one list."""
    visible = bloc_years_visible_to(user)
    years = visible.order_by().values_list("year__year", flat=True).distinct()
    options = {"states": ProposalState.choices[1:], "years": sorted(years, reverse=True)}
    if sees_all_provinces(user):
        options["provinces"] = list(Province.objects.order_by("name").values_list("pk", "name"))
        visible = visible.filter(bloc__province_id=province_id)
    options["blocs"] = list(
        visible.order_by("bloc__name").values_list("bloc_id", "bloc__name").distinct()
    )
    return options


def pending_count(user: User) -> int:
    if not is_council(user):
        return 0
    return Proposal.objects.filter(
        bloc_year__in=bloc_years_visible_to(user).values("pk"), state=ProposalState.SUBMITTED
    ).count()


def dashboard_tasks(user: User) -> list[Task]:
    """Council: "k đề nghị chờ tiếp nhận"; secretariat: send the proposal by
    the deadline, or fix a returned one. Three queries at most."""
    tasks: list[Task] = []
    if is_council(user):
        count = pending_count(user)
        if count:
            tasks.append(
                Task(
                    title=_("%(count)s proposals waiting to be received") % {"count": count},
                    url=reverse("awards:council_inbox") + "?state=submitted",
                    order=50,
                    level="warning",
                )
            )
    if user.is_authenticated and user.agency_id:
        memberships = (
            Membership.objects.filter(
                agency_id=user.agency_id,
                role__in=SECRETARIAT_ROLES,
                bloc_year__phase__in=PROPOSAL_PREPARATION_PHASES,
            )
            .select_related("bloc_year__bloc", "bloc_year__year")
            .prefetch_related("bloc_year__deadline_extensions")
            .order_by("-bloc_year__year__year")
        )
        deadlines = bloc_year_deadlines([m.bloc_year for m in memberships], DeadlineStep.PROPOSAL)
        bloc_year_ids = [m.bloc_year_id for m in memberships]
        proposals = {
            p.bloc_year_id: p for p in Proposal.objects.filter(bloc_year_id__in=bloc_year_ids)
        }
        for membership in memberships:
            bloc_year = membership.bloc_year
            proposal = proposals.get(bloc_year.pk)
            deadline = deadlines[bloc_year.pk].date
            if proposal is not None and proposal.state == ProposalState.RETURNED:
                title = _("The council returned the proposal of %(bloc)s: fix it and resubmit") % {
                    "bloc": bloc_year.bloc.name
                }
                detail = proposal.return_reason
                url = reverse("awards:proposal_detail", args=[proposal.pk])
                level = "danger"
            elif proposal is None or proposal.state == ProposalState.DRAFT:
                # The due date stands beside the title on the dashboard, once.
                title = _("Send the proposal to the council")
                detail = f"{bloc_year.bloc.name} – {bloc_year.year.year}"
                url = (
                    reverse("awards:proposal_detail", args=[proposal.pk])
                    if proposal
                    else reverse("awards:proposal_start", args=[bloc_year.pk])
                )
                level = "primary"
            else:
                continue
            tasks.append(
                Task(
                    title=title,
                    detail=detail,
                    url=url,
                    due=deadline,
                    level=level,
                    order=60,
                    extra={"deadline": deadlines[bloc_year.pk]},
                )
            )
    return tasks
