"""The council's decision on a proposal: the approved items become award
records (the agencies' history, on which later eligibility rests)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import AwardSource, ItemDecision, ProposalState
from awards.models import AwardRecord, Decision, Proposal, ProposalItem
from awards.services.proposal import _lock, _lock_bloc_year, check_transition
from blocs.enums import Phase
from blocs.services import bloc_year_advance
from emulation import audit
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
) -> Decision:
    """Record the decision (number, date, signer, scan) on a received proposal.

    Every approved item becomes an AwardRecord with source "decision"; an
    award already in the history for the same agency, award and year (e.g.
    imported earlier) is taken over by the decision rather than duplicated.
    The proposal becomes “decided” and the bloc-year moves to “decided”.
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
            record.save(update_fields=["decision_number", "decision_date", "signer", "source"])
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
    ProposalItem.objects.bulk_update(approved, ["award_record"])

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
            "phase": [old_phase, Phase.DECIDED.value],
        },
    )
    return decision
