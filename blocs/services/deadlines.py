"""Council staff give one bloc-year, or one agency in it, a later deadline for
a step of the cycle, with a reason; and withdraw it."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.enums import AGENCY_DEADLINE_STEPS, DeadlineStep
from blocs.models import BlocYear, DeadlineExtension, Membership
from blocs.selectors.deadlines import extension_refusal, year_deadline
from emulation import audit
from emulation.models import User


def _check_may_extend(actor: User | None, bloc_year: BlocYear) -> None:
    if actor is None or not actor.has_perm("blocs.extend_deadline", bloc_year):
        raise PermissionDenied(_("Only the council staff of the province can extend deadlines."))


def _lock_bloc_year(bloc_year: BlocYear) -> BlocYear:
    return BlocYear.objects.select_for_update().select_related("bloc", "year").get(pk=bloc_year.pk)


def _check_step_open(bloc_year: BlocYear, step: DeadlineStep) -> None:
    refusal = extension_refusal(bloc_year, step)
    if refusal:
        raise ValidationError(refusal)


@transaction.atomic
def deadline_extend(
    *,
    actor: User | None,
    bloc_year: BlocYear,
    step: DeadlineStep | str,
    deadline: datetime.date,
    reason: str,
    membership: Membership | None = None,
) -> DeadlineExtension:
    """Give the bloc-year (or one agency, ``membership``, in it) until
    ``deadline`` for ``step``. A second extension of the same step for the
    same bloc-year or agency replaces the first."""
    locked = _lock_bloc_year(bloc_year)
    _check_may_extend(actor, locked)
    if step not in DeadlineStep.values:
        raise ValidationError(_("Choose the step whose deadline is extended."))
    step = DeadlineStep(step)
    if membership is not None:
        if membership.bloc_year_id != locked.pk:
            raise ValidationError(_("The agency is not a member of this bloc-year."))
        if step not in AGENCY_DEADLINE_STEPS:
            raise ValidationError(
                _(
                    "The proposal is the bloc's: extend its deadline for the whole bloc-year, "
                    "not for one agency."
                )
            )
    _check_step_open(locked, step)
    own = year_deadline(locked.year, step)
    if own is None:
        raise ValidationError(
            _("The year %(year)s has no %(step)s deadline to extend.")
            % {"year": locked.year.year, "step": step.label.lower()}
        )
    if deadline is None or deadline <= own:
        raise ValidationError(
            {
                "deadline": _(
                    "The extended deadline must be after the year's own deadline (%(date)s)."
                )
                % {"date": own.strftime("%d/%m/%Y")}
            }
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    extension = (
        DeadlineExtension.objects.select_for_update()
        .filter(bloc_year=locked, step=step, membership=membership)
        .first()
    )
    old = None
    now = timezone.now()
    if extension is None:
        extension = DeadlineExtension.objects.create(
            bloc_year=locked,
            membership=membership,
            step=step,
            deadline=deadline,
            reason=reason,
            granted_by=actor if actor is not None and actor.pk else None,
            granted_at=now,
        )
    else:
        old = {"deadline": extension.deadline, "reason": extension.reason}
        extension.deadline, extension.reason = deadline, reason
        extension.granted_by = actor if actor is not None and actor.pk else None
        extension.granted_at = now
        extension.save(update_fields=["deadline", "reason", "granted_by", "granted_at"])
    audit.record(
        actor=actor,
        action="deadline.extend",
        target=locked,
        data={
            "step": str(step),
            "agency": membership.agency.code if membership is not None else None,
            "year_deadline": own,
            "deadline": deadline,
            "reason": reason,
            "old": old,
        },
    )
    return extension


@transaction.atomic
def deadline_extension_withdraw(
    *, actor: User | None, extension: DeadlineExtension, reason: str = ""
) -> None:
    """Withdraw an extension: the year's deadline (or the bloc-year's
    extension, for an agency) applies again."""
    locked = _lock_bloc_year(extension.bloc_year)
    _check_may_extend(actor, locked)
    extension = (
        DeadlineExtension.objects.select_for_update(of=("self",))
        .select_related("membership__agency")
        .filter(pk=extension.pk, bloc_year=locked)
        .first()
    )
    if extension is None:
        raise ValidationError(_("This extension has already been withdrawn."))
    _check_step_open(locked, DeadlineStep(extension.step))
    data = {
        "step": extension.step,
        "agency": extension.membership.agency.code if extension.membership_id else None,
        "deadline": extension.deadline,
        "reason": extension.reason,
        "withdrawal_reason": (reason or "").strip(),
    }
    extension.delete()
    audit.record(actor=actor, action="deadline.withdraw", target=locked, data=data)
