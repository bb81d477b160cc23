"""The council's province-wide choice for the Government's emulation flag."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.government_flag import flag_board
from awards.models import GovernmentFlagChoice
from blocs.models import Province
from blocs.services.organisation import require_province_council
from emulation import audit
from emulation.models import User


@transaction.atomic
def government_flag_choose(
    *,
    actor: User | None,
    province: Province,
    year: int,
    considered_on: datetime.date,
    source_document: str,
    membership_ids: set[int],
) -> GovernmentFlagChoice:
    """Record which of the province's bloc leaders the council proposes for the
    Government's flag for ``year`` (replacing an earlier choice). Each must
    lead its bloc and meet the flag's standard on ``considered_on`` (the
    council's meeting); choosing none is a choice too. A bloc's proposed
    Government flag is approved only for a collective chosen here."""
    require_province_council(actor, province)
    source_document = (source_document or "").strip()
    if considered_on is None:
        raise ValidationError(_("Enter the date of the council's consideration."))
    if not source_document:
        raise ValidationError(
            _("Name the source document (e.g. the minutes of the council's meeting).")
        )
    Province.objects.select_for_update().get(pk=province.pk)
    board = flag_board(province=province, year=year, considered_on=considered_on)
    eligible = {r.membership.pk: r for r in board.eligible}
    leaders = {r.membership.pk: r for r in board.leaders}
    errors = []
    for membership_id in sorted(membership_ids):
        if membership_id in eligible:
            continue
        result = leaders.get(membership_id)
        if result is None:
            errors.append(
                _("A chosen collective does not lead one of the province's blocs in %(year)s.")
                % {"year": year}
            )
        else:
            errors.append(
                _("%(agency)s does not meet the standard of the Government's flag: %(why)s")
                % {
                    "agency": result.agency.display_name,
                    "why": " ".join(result.reasons),
                }
            )
    if errors:
        raise ValidationError(errors)
    choice = (
        GovernmentFlagChoice.objects.select_for_update()
        .filter(province=province, year=year)
        .first()
    )
    old = (
        sorted(choice.memberships.values_list("agency__code", flat=True))
        if choice is not None
        else []
    )
    if choice is None:
        choice = GovernmentFlagChoice(province=province, year=year)
    choice.considered_on = considered_on
    choice.source_document = source_document[:255]
    choice.chosen_by = actor if actor is not None and actor.pk else None
    choice.save()
    choice.memberships.set(sorted(membership_ids))
    audit.record(
        actor=actor,
        action="government_flag.choose",
        target=choice,
        data={
            "year": year,
            "considered_on": considered_on,
            "source": choice.source_document,
            "old": old,
            "new": sorted(eligible[m].agency.code for m in membership_ids),
        },
    )
    return choice
