"""Writes of the proposal workflow: draft → submitted → received → returned |
decided (the decision itself is in awards.services.decision).

The bloc's secretariat prepares the dossier from the published results and
submits it before the year's proposal deadline; the council receives it,
returns it with a reason (the bloc fixes and resubmits), and approves item by
item. Each function is one audited transition."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards import eligibility
from awards.enums import (
    PROPOSAL_EDITABLE_STATES,
    PROPOSAL_TRANSITIONS,
    ItemDecision,
    PollPurpose,
    ProposalState,
)
from awards.government_flag import FLAG, chosen_for_flag
from awards.models import Poll, Proposal, ProposalItem, ProposalQuota, Result, ResultsPublication
from awards.rules import polls_with_visible_tally
from blocs.enums import PROPOSAL_PREPARATION_PHASES, DeadlineStep, Phase
from blocs.models import BlocYear, Province
from blocs.selectors import ranking_for
from blocs.selectors.deadlines import effective_deadline
from blocs.selectors.organisation import council_staff_of_province, secretariat_users
from blocs.services import bloc_year_advance
from blocs.services.organisation import require_province_council
from emulation import audit
from emulation.enums import NotificationKind
from emulation.models import IssuedDocument, User
from emulation.refusals import require_actor
from emulation.services import notification_send


def _lock(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def _lock_bloc_year(bloc_year_id: int) -> BlocYear:
    return BlocYear.objects.select_for_update().get(pk=bloc_year_id)


def notify_about(
    proposal: Proposal, *, kind: NotificationKind, to_council: bool = False, **params
) -> None:
    """Tell the bloc-year's secretariat (or, ``to_council``, the province's
    council staff) what happened to the proposal; inside the caller's transaction."""
    bloc_year = BlocYear.objects.select_related("bloc", "year").get(pk=proposal.bloc_year_id)
    notification_send(
        recipients=(
            council_staff_of_province(bloc_year.bloc.province_id)
            if to_council
            else secretariat_users(bloc_year)
        ),
        kind=kind,
        params={"year": bloc_year.year.year, "bloc": bloc_year.bloc.name, **params},
        url=reverse("awards:proposal_detail", args=[proposal.pk]),
    )


def require_secretariat(actor: User | None, obj) -> None:
    """The bloc's secretariat prepares, changes and submits the proposal."""
    require_actor(
        actor, "awards.prepare_proposal", obj, _("Only the bloc's secretariat can do this.")
    )


def require_deciding_council(actor: User | None, obj) -> None:
    """The province's council staff receive, return and decide the proposal."""
    require_actor(
        actor,
        "awards.decide_proposal",
        obj,
        _("Only the council staff of the province can receive and decide the proposal."),
    )


def check_transition(proposal: Proposal, new: ProposalState) -> None:
    """Refuse a transition the workflow does not allow, with a clear message."""
    if new not in PROPOSAL_TRANSITIONS[ProposalState(proposal.state)]:
        raise ValidationError(
            _("A proposal in the state “%(old)s” cannot become “%(new)s”.")
            % {"old": ProposalState(proposal.state).label, "new": ProposalState(new).label}
        )


def _moment(today: datetime.date | None) -> datetime.datetime:
    """Now, or 9:00 on a back-dated day (the demo's history)."""
    if today is None:
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(9, 0)))


def _percent(votes: int, base: int) -> Decimal | None:
    if not base:
        return None
    return (Decimal(votes) * 100 / Decimal(base)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _ranking_by_membership(bloc_year: BlocYear) -> dict[int, object]:
    return {row.membership.pk: row for row in ranking_for(bloc_year)}


def elected_results(bloc_year: BlocYear) -> list[Result]:
    """The elected candidates of the bloc-year's published award polls (run-offs
    included), one per member and award type: the latest round wins."""
    results = (
        Result.objects.filter(
            poll__in=polls_with_visible_tally(Poll.objects.filter(meeting__bloc_year=bloc_year)),
            poll__purpose=PollPurpose.AWARD,
            elected=True,
        )
        .select_related("poll__award_type", "candidate__membership__agency")
        .order_by("poll__award_type__order", "poll__round", "position")
    )
    chosen: dict[tuple[int, int], Result] = {}
    for result in results:
        chosen[(result.candidate.membership_id, result.poll.award_type_id)] = result
    return list(chosen.values())


def latest_documents(bloc_year: BlocYear) -> list[IssuedDocument]:
    """The newest issued version of each of the bloc-year's documents."""
    newest: dict[tuple[str, str], IssuedDocument] = {}
    for document in IssuedDocument.objects.filter(bloc_year=bloc_year).order_by(
        "kind", "subject_key", "version"
    ):
        newest[(document.kind, document.subject_key)] = document
    return list(newest.values())


def _build_items(proposal: Proposal, bloc_year: BlocYear) -> int:
    results = elected_results(bloc_year)
    if not results:
        raise ValidationError(
            _(
                "There are no published results to propose yet: the conference must vote "
                "and the secretariat publish the results first."
            )
        )
    ranking = _ranking_by_membership(bloc_year)
    proposal.items.all().delete()
    items = []
    for result in results:
        membership = result.candidate.membership
        row = ranking.get(membership.pk)
        items.append(
            ProposalItem(
                proposal=proposal,
                membership=membership,
                agency=membership.agency,
                award_type=result.poll.award_type,
                result=result,
                votes=result.votes,
                base=result.base,
                percent=_percent(result.votes, result.base),
                rank=getattr(row, "rank", None),
                score=getattr(row, "total", None),
            )
        )
    ProposalItem.objects.bulk_create(items)
    proposal.documents.set(latest_documents(bloc_year))
    return len(items)


@transaction.atomic
def proposal_create(*, actor: User | None, bloc_year: BlocYear, number: str = "", note: str = ""):
    """Prepare the bloc-year's proposal from its published results and attach
    the issued documents (tờ trình, biên bản họp, biên bản kiểm phiếu…)."""
    locked = _lock_bloc_year(bloc_year.pk)
    require_secretariat(actor, locked)
    if Proposal.objects.filter(bloc_year=locked).exists():
        raise ValidationError(_("This bloc-year already has a proposal."))
    if locked.phase not in PROPOSAL_PREPARATION_PHASES:
        raise ValidationError(
            _(
                "A proposal is prepared after the ranking is published and the conference has "
                "voted; this bloc-year is in phase “%(phase)s”."
            )
            % {"phase": Phase(locked.phase).label}
        )
    proposal = Proposal.objects.create(bloc_year=locked, number=number.strip(), note=note.strip())
    count = _build_items(proposal, locked)
    audit.record(
        actor=actor,
        action="proposal.create",
        target=proposal,
        data={
            "bloc_year": locked.pk,
            "items": count,
            "documents": sorted(proposal.documents.values_list("pk", flat=True)),
        },
    )
    return proposal


def _check_editable(proposal: Proposal) -> None:
    if proposal.state not in PROPOSAL_EDITABLE_STATES:
        raise ValidationError(
            _("The proposal is “%(state)s”: it can be changed only as a draft or when returned.")
            % {"state": ProposalState(proposal.state).label}
        )


@transaction.atomic
def proposal_refresh(*, actor: User | None, proposal: Proposal) -> Proposal:
    """Rebuild the items from the published results and attach the newest
    documents (after a run-off, a re-issued letter, or a return)."""
    locked = _lock(proposal)
    require_secretariat(actor, locked)
    _check_editable(locked)
    bloc_year = BlocYear.objects.get(pk=locked.bloc_year_id)
    count = _build_items(locked, bloc_year)
    audit.record(
        actor=actor,
        action="proposal.refresh",
        target=locked,
        data={
            "items": count,
            "documents": sorted(locked.documents.values_list("pk", flat=True)),
        },
    )
    return locked


@transaction.atomic
def proposal_update(*, actor: User | None, proposal: Proposal, number: str, note: str) -> Proposal:
    """Change the proposal letter's number and the note to the council."""
    locked = _lock(proposal)
    require_secretariat(actor, locked)
    _check_editable(locked)
    old = {"number": locked.number, "note": locked.note}
    locked.number, locked.note = number.strip(), note.strip()
    locked.save(update_fields=["number", "note"])
    audit.record(
        actor=actor,
        action="proposal.update",
        target=locked,
        data={"old": old, "new": {"number": locked.number, "note": locked.note}},
    )
    return locked


@transaction.atomic
def proposal_item_remove(*, actor: User | None, item: ProposalItem) -> None:
    """Leave one item out of the dossier (e.g. on the council's advice)."""
    locked = _lock(item.proposal)
    require_secretariat(actor, locked)
    _check_editable(locked)
    item = ProposalItem.objects.select_related("agency", "award_type").get(pk=item.pk)
    if locked.items.count() <= 1:
        raise ValidationError(_("A proposal needs at least one item."))
    audit.record(
        actor=actor,
        action="proposal.item_remove",
        target=locked,
        data={"agency": item.agency.code, "award": item.award_type.code, "votes": item.votes},
    )
    item.delete()


@transaction.atomic
def proposal_submit(
    *, actor: User | None, proposal: Proposal, today: datetime.date | None = None
) -> Proposal:
    """Send the dossier to the council. The first submission must be made by
    the year's proposal deadline; a dossier the council returned may be sent
    again after it. The bloc-year moves to “proposal submitted”. ``today``
    back-dates the check for past years (the demo's history)."""
    locked = _lock(proposal)
    require_secretariat(actor, locked)
    check_transition(locked, ProposalState.SUBMITTED)
    bloc_year = _lock_bloc_year(locked.bloc_year_id)
    deadline = effective_deadline(bloc_year, DeadlineStep.PROPOSAL)
    # ``back_dated`` keeps the demo's 9:00 on a past day; a real submission
    # records the moment it is made.
    back_dated, today = today, today or timezone.localdate()
    if locked.state == ProposalState.DRAFT and deadline is not None and today > deadline:
        raise ValidationError(
            _(
                "The deadline for proposals to the council was %(deadline)s; the proposal can "
                "no longer be submitted. Ask the council's secretariat to extend the deadline."
            )
            % {"deadline": deadline.strftime("%d/%m/%Y")}
        )
    if not locked.items.exists():
        raise ValidationError(_("A proposal needs at least one item."))
    conflicts = eligibility.exclusion_conflicts(
        bloc_year=bloc_year,
        items=[
            (i.agency, i.award_type) for i in locked.items.select_related("agency", "award_type")
        ],
    )
    if conflicts:
        raise ValidationError(
            [*conflicts, _("Leave one of the two out of the proposal, then submit it again.")]
        )
    if not locked.documents.exists():
        raise ValidationError(
            _(
                "Attach the dossier's documents first: issue the proposal letter and the "
                "minutes, then refresh the proposal."
            )
        )
    old_state = locked.state
    fixed = _fix_quotas(locked, bloc_year)
    locked.state = ProposalState.SUBMITTED
    locked.submitted_at = _moment(back_dated)
    locked.submitted_by = actor if actor is not None and actor.pk else None
    locked.submission_count += 1
    locked.save(update_fields=["state", "submitted_at", "submitted_by", "submission_count"])
    old_phase = bloc_year.phase
    if old_phase != Phase.PROPOSAL_SUBMITTED:
        bloc_year_advance(
            actor=actor,
            bloc_year=bloc_year,
            to=Phase.PROPOSAL_SUBMITTED,
            via="proposal_submit",
            today=today,
        )
    audit.record(
        actor=actor,
        action="proposal.submit",
        target=locked,
        data={
            "old": old_state,
            "submission": locked.submission_count,
            "items": locked.items.count(),
            "phase": [old_phase, Phase.PROPOSAL_SUBMITTED.value],
            "quotas": fixed,
        },
    )
    notify_about(locked, kind=NotificationKind.PROPOSAL_SUBMITTED, to_council=True)
    return locked


def _fix_quotas(proposal: Proposal, bloc_year: BlocYear) -> dict[str, int]:
    """Record the quotas the submitted proposal answers to (replacing those of
    an earlier submission); award type code → quota, for the audit."""
    found = eligibility.quotas(bloc_year=bloc_year)
    proposal.quotas.all().delete()
    ProposalQuota.objects.bulk_create(
        ProposalQuota(proposal=proposal, award_type=t, quota=q) for t, q in found.items()
    )
    return {t.code: q for t, q in sorted(found.items(), key=lambda pair: pair[0].code)}


@transaction.atomic
def proposal_receive(
    *, actor: User | None, proposal: Proposal, today: datetime.date | None = None
) -> Proposal:
    """The council's secretariat acknowledges a complete dossier (``today``
    back-dates it for past years)."""
    locked = _lock(proposal)
    require_deciding_council(actor, locked)
    check_transition(locked, ProposalState.RECEIVED)
    locked.state = ProposalState.RECEIVED
    locked.received_at = _moment(today)
    locked.received_by = actor if actor is not None and actor.pk else None
    locked.save(update_fields=["state", "received_at", "received_by"])
    audit.record(actor=actor, action="proposal.receive", target=locked, data={})
    notify_about(locked, kind=NotificationKind.PROPOSAL_RECEIVED)
    return locked


@transaction.atomic
def proposal_return(*, actor: User | None, proposal: Proposal, reason: str) -> Proposal:
    """Send the dossier back to the bloc with the reason; the bloc-year goes
    back to the voting phase so that its secretariat fixes and resubmits."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the proposal is returned."))
    locked = _lock(proposal)
    require_deciding_council(actor, locked)
    check_transition(locked, ProposalState.RETURNED)
    bloc_year = _lock_bloc_year(locked.bloc_year_id)
    old_state = locked.state
    locked.state = ProposalState.RETURNED
    locked.returned_at = timezone.now()
    locked.return_reason = reason
    locked.save(update_fields=["state", "returned_at", "return_reason"])
    locked.items.update(decision=ItemDecision.PENDING, decision_note="")
    old_phase = bloc_year.phase
    if old_phase != Phase.VOTING:
        bloc_year_advance(
            actor=actor, bloc_year=bloc_year, to=Phase.VOTING, reason=reason, via="proposal_return"
        )
    audit.record(
        actor=actor,
        action="proposal.return",
        target=locked,
        data={"old": old_state, "reason": reason, "phase": [old_phase, Phase.VOTING.value]},
    )
    notify_about(locked, kind=NotificationKind.PROPOSAL_RETURNED, reason=reason)
    return locked


@transaction.atomic
def proposal_items_decide(
    *,
    actor: User | None,
    proposal: Proposal,
    approved_ids: set[int],
    notes: dict[int, str] | None = None,
) -> Proposal:
    """The council approves item by item (it may approve fewer than proposed):
    the items in ``approved_ids`` are approved, the others not."""
    locked = _lock(proposal)
    require_deciding_council(actor, locked)
    if locked.state != ProposalState.RECEIVED:
        raise ValidationError(
            _("Items are approved after the proposal is received; it is “%(state)s”.")
            % {"state": ProposalState(locked.state).label}
        )
    notes = notes or {}
    items = list(
        locked.items.select_for_update(of=("self",)).select_related("agency", "award_type")
    )
    unknown = set(approved_ids) - {i.pk for i in items}
    if unknown:
        raise ValidationError(_("Some chosen items are not part of this proposal."))
    _check_government_flag(locked, [i for i in items if i.pk in approved_ids])
    changed = []
    for item in items:
        decision = ItemDecision.APPROVED if item.pk in approved_ids else ItemDecision.REJECTED
        note = (notes.get(item.pk) or "").strip()[:500]
        if item.decision != decision or item.decision_note != note:
            item.decision, item.decision_note = decision, note
            changed.append(item)
    ProposalItem.objects.bulk_update(changed, ["decision", "decision_note"])
    audit.record(
        actor=actor,
        action="proposal.items_decide",
        target=locked,
        data={
            "approved": sorted(
                f"{i.agency.code}:{i.award_type.code}"
                for i in items
                if i.decision == ItemDecision.APPROVED
            ),
            "not_approved": sorted(
                f"{i.agency.code}:{i.award_type.code}"
                for i in items
                if i.decision == ItemDecision.REJECTED
            ),
        },
    )
    return locked


def _check_government_flag(proposal: Proposal, approved: list[ProposalItem]) -> None:
    """The Government's flag is chosen province-wide by the council among the
    blocs' leaders: a bloc's proposed flag is approved only for a collective
    the council chose for the year."""
    flags = [i for i in approved if i.award_type.code == FLAG]
    if not flags:
        return
    bloc_year = BlocYear.objects.select_related("bloc", "year").get(pk=proposal.bloc_year_id)
    chosen = chosen_for_flag(province_id=bloc_year.bloc.province_id, year=bloc_year.year.year)
    refused = [i for i in flags if chosen is None or i.membership_id not in chosen]
    if refused:
        raise ValidationError(
            [
                _(
                    "“%(award)s” for %(agency)s cannot be approved: the council has not chosen "
                    "it province-wide among the blocs' leaders for %(year)s (the council's page "
                    "of the Government's flag)."
                )
                % {
                    "award": i.award_type.name,
                    "agency": i.agency.display_name,
                    "year": bloc_year.year.year,
                }
                for i in refused
            ]
        )


@transaction.atomic
def results_publication_set(*, actor: User | None, province, year: int, enabled: bool) -> bool:
    """Open or close the public (no login) results page of a province's year."""
    require_province_council(actor, province)

    Province.objects.select_for_update().get(pk=province.pk)
    existing = ResultsPublication.objects.filter(province=province, year=year).first()
    if enabled and existing is None:
        publication = ResultsPublication.objects.create(
            province=province, year=year, published_by=actor if actor and actor.pk else None
        )
        audit.record(actor=actor, action="results.publish", target=publication, data={"year": year})
        return True
    if not enabled and existing is not None:
        audit.record(actor=actor, action="results.unpublish", target=existing, data={"year": year})
        existing.delete()
        return True
    return False
