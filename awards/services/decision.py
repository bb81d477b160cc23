"""The council's decision on a proposal: the approved items become award
records (the agencies' history, on which later eligibility rests)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import AwardSource, ItemDecision, ProposalState
from awards.models import AwardRecord, CouncilVote, Decision, Proposal, ProposalItem
from awards.selectors.council_numbers import (
    VoteCount,
    base_salary_on,
    council_thresholds,
    prize_amount,
    prize_coefficients,
    vote_needed,
)
from awards.services.proposal import (
    _lock,
    _lock_bloc_year,
    check_transition,
    notify_about,
    require_deciding_council,
)
from blocs.enums import Phase
from blocs.services import bloc_year_advance
from emulation import audit
from emulation.enums import NotificationKind
from emulation.models import User
from emulation.uploads import safe_original_name, validate_upload

SCAN_KINDS = ("pdf", "jpg", "png")


@transaction.atomic
def decision_record(
    *,
    actor: User | None,
    proposal: Proposal,
    number: str,
    date: datetime.date,
    signer: str,
    scanned_file=None,
    council_members: int | None = None,
    council_votes: dict[int, VoteCount] | None = None,
) -> Decision:
    """Record the decision (number, date, signer, scan) on a received proposal.

    Every approved item becomes an AwardRecord with source "decision"; an
    award already in the history for the same agency, award and year (e.g.
    imported earlier) is taken over by the decision rather than duplicated.
    The proposal becomes “decided” and the bloc-year moves to “decided”.

    ``council_votes`` (item id → for, against, written) is the council's vote
    on ``council_members`` members. An approved item whose award type needs
    the council's vote on the decision's date (a threshold on ALL members,
    e.g. 80% for the flags) is refused without enough votes for. The prize
    money (coefficient × base salary in force on that date) is fixed on each
    approved item.
    """
    number, signer = (number or "").strip(), (signer or "").strip()
    if not number:
        raise ValidationError(_("Enter the decision's number, e.g. 215/QĐ-UBND."))
    if date is None:
        raise ValidationError(_("Enter the decision's date."))
    if not signer:
        raise ValidationError(_("Enter who signed the decision."))
    if date > timezone.localdate():
        raise ValidationError(_("The decision's date cannot be in the future."))
    if scanned_file is not None:
        validate_upload(scanned_file, allowed=SCAN_KINDS)
    locked = _lock(proposal)
    require_deciding_council(actor, locked)
    check_transition(locked, ProposalState.DECIDED)
    bloc_year = _lock_bloc_year(locked.bloc_year_id)
    year = bloc_year.year.year
    items = list(
        locked.items.select_for_update(of=("self",))
        .select_related("agency", "award_type")
        .order_by("award_type__order", "id")
    )
    if any(i.decision == ItemDecision.PENDING for i in items):
        raise ValidationError(_("Approve or refuse every item before recording the decision."))
    approved = [i for i in items if i.decision == ItemDecision.APPROVED]
    if not approved:
        raise ValidationError(
            _("No item is approved: return the proposal instead of recording a decision.")
        )
    province_id = bloc_year.bloc.province_id
    votes = _council_votes(
        items=items,
        approved=approved,
        members=council_members,
        given=council_votes or {},
        thresholds=council_thresholds(
            province_id=province_id, day=date, award_type_ids={i.award_type_id for i in items}
        ),
    )
    decision = Decision(
        proposal=locked,
        number=number,
        date=date,
        signer=signer,
        recorded_by=actor if actor is not None and actor.pk else None,
    )
    if scanned_file is not None:
        decision.scanned_name = safe_original_name(scanned_file.name)
        decision.scanned_file.save(scanned_file.name, scanned_file, save=False)
    decision.save(force_insert=True)

    existing = {
        (r.agency_id, r.award_type_id): r
        for r in AwardRecord.objects.select_for_update().filter(
            agency_id__in=[i.agency_id for i in approved],
            award_type_id__in=[i.award_type_id for i in approved],
            year=year,
            one_off=False,
        )
    }
    created, adopted = [], []
    for item in approved:
        record = existing.get((item.agency_id, item.award_type_id))
        if record is not None:
            if ProposalItem.objects.filter(award_record=record).exists():
                raise ValidationError(
                    _("%(agency)s already has “%(award)s” for %(year)s from another decision.")
                    % {
                        "agency": item.agency.display_name,
                        "award": item.award_type.name,
                        "year": year,
                    }
                )
            record.decision_number, record.decision_date = number, date
            record.signer, record.source = signer, AwardSource.DECISION
            record.save(
                update_fields=["decision_number", "decision_date", "signer", "source", "updated_at"]
            )
            adopted.append(record)
        else:
            record = AwardRecord.objects.create(
                agency=item.agency,
                award_type=item.award_type,
                year=year,
                decision_number=number,
                decision_date=date,
                signer=signer,
                source=AwardSource.DECISION,
            )
            created.append(record)
        item.award_record = record
    coefficients = prize_coefficients(
        province_id=province_id, day=date, award_type_ids={i.award_type_id for i in approved}
    )
    base_salary = base_salary_on(date)
    for item in approved:
        coefficient = coefficients.get(item.award_type_id)
        if coefficient is not None and base_salary is not None:
            item.prize_coefficient = coefficient.coefficient
            item.prize_base_salary = base_salary.amount
            item.prize_amount = prize_amount(
                coefficient=coefficient.coefficient, base_salary=base_salary.amount
            )
    ProposalItem.objects.bulk_update(
        approved, ["award_record", "prize_coefficient", "prize_base_salary", "prize_amount"]
    )
    CouncilVote.objects.bulk_create(votes)

    locked.state = ProposalState.DECIDED
    locked.decided_at = timezone.now()
    locked.save(update_fields=["state", "decided_at"])
    old_phase = bloc_year.phase
    if old_phase != Phase.DECIDED:
        bloc_year_advance(actor=actor, bloc_year=bloc_year, to=Phase.DECIDED, via="decision_record")
    audit.record(
        actor=actor,
        action="proposal.decide",
        target=locked,
        data={
            "decision": decision.pk,
            "number": number,
            "date": date,
            "signer": signer,
            "scan": bool(decision.scanned_file),
            "granted": [f"{i.agency.code}:{i.award_type.code}" for i in approved],
            "not_granted": [
                f"{i.agency.code}:{i.award_type.code}"
                for i in items
                if i.decision == ItemDecision.REJECTED
            ],
            "records_created": [r.pk for r in created],
            "records_adopted": [r.pk for r in adopted],
            "council_votes": {
                f"{v.item.agency.code}:{v.item.award_type.code}": [
                    v.votes_for,
                    v.votes_against,
                    v.written,
                    v.members,
                    v.threshold_percent,
                ]
                for v in votes
            },
            "prize_money": sum(i.prize_amount or 0 for i in approved),
            "phase": [old_phase, Phase.DECIDED.value],
        },
    )
    notify_about(locked, kind=NotificationKind.DECISION_RECORDED, number=number)
    return decision


def _council_votes(
    *, items, approved, members: int | None, given: dict[int, VoteCount], thresholds: dict
) -> list[CouncilVote]:
    """The council's votes to record, checked: within the number of members,
    and enough votes for on every approved item whose award type needs them."""
    by_id = {i.pk: i for i in items}
    if set(given) - set(by_id):
        raise ValidationError(_("Some voted items are not part of this proposal."))
    needing = [i for i in approved if i.award_type_id in thresholds]
    if (given or needing) and not members:
        raise ValidationError(
            _("Enter the number of the council's members: its vote is counted on all of them.")
        )
    errors, votes = [], []
    for item in needing:
        if item.pk not in given:
            errors.append(
                _(
                    "%(award)s for %(agency)s needs the council's vote: "
                    "enter the votes for and against."
                )
                % {"award": item.award_type.name, "agency": item.agency.display_name}
            )
    for item_id, count in given.items():
        item = by_id[item_id]
        names = {"award": item.award_type.name, "agency": item.agency.display_name}
        if min(count.votes_for, count.votes_against, count.written) < 0:
            errors.append(
                _("%(award)s for %(agency)s: a number of votes cannot be negative.") % names
            )
            continue
        if count.votes_for + count.votes_against > members:
            errors.append(
                _(
                    "%(award)s for %(agency)s: %(cast)s votes for and against, more than the "
                    "council's %(members)s members."
                )
                % {**names, "cast": count.votes_for + count.votes_against, "members": members}
            )
            continue
        if count.written > count.votes_for + count.votes_against:
            errors.append(
                _("%(award)s for %(agency)s: more written votes than votes for and against.")
                % names
            )
            continue
        threshold = thresholds.get(item.award_type_id)
        if (
            threshold is not None
            and item.decision == ItemDecision.APPROVED
            and count.votes_for * 100 < threshold.percent * members
        ):
            errors.append(
                _(
                    "%(award)s for %(agency)s cannot be approved: %(for)s of the council's "
                    "%(members)s members voted for it (%(share)s%%); at least %(percent)s%% of "
                    "all members are needed, that is %(needed)s votes (%(source)s)."
                )
                % {
                    **names,
                    "for": count.votes_for,
                    "members": members,
                    "share": (count.votes_for * 100) // members,
                    "percent": threshold.percent,
                    "needed": vote_needed(members=members, percent=threshold.percent),
                    "source": threshold.source,
                }
            )
            continue
        votes.append(
            CouncilVote(
                item=item,
                members=members,
                votes_for=count.votes_for,
                votes_against=count.votes_against,
                written=count.written,
                threshold_percent=threshold.percent if threshold is not None else None,
                threshold_source=threshold.source if threshold is not None else "",
            )
        )
    if errors:
        raise ValidationError(errors)
    return votes


@transaction.atomic
def decision_scan_attach(*, actor: User, decision: Decision, scanned_file) -> Decision:
    """Attach the scan of a recorded decision: the signed paper often arrives
    days after the decision is entered. Council staff of the province only;
    the file is checked like any upload. A scan once attached stays: like the
    decision itself, it is corrected only by a new decision."""
    locked = (
        Decision.objects.select_for_update()
        .select_related("proposal__bloc_year__bloc")
        .get(pk=decision.pk)
    )
    if actor is None or not actor.has_perm("awards.decide_proposal", locked.proposal):
        raise PermissionDenied(_("Only the council staff of the province can attach the scan."))
    if locked.scanned_file:
        raise ValidationError(
            _("The decision already has its scan; it is corrected only by a new decision.")
        )
    if scanned_file is None:
        raise ValidationError(_("Choose the scanned decision (PDF, JPG or PNG)."))
    validate_upload(scanned_file, allowed=SCAN_KINDS)
    locked.scanned_name = safe_original_name(scanned_file.name)
    locked.scanned_file.save(scanned_file.name, scanned_file, save=False)
    locked.save(update_fields=["scanned_file", "scanned_name"])
    audit.record(
        actor=actor,
        action="decision.scan_attach",
        target=locked.proposal,
        data={
            "decision": locked.pk,
            "number": locked.number,
            "name": locked.scanned_name,
            "size": scanned_file.size,
        },
    )
    return locked
