"""The bloc-year's phase: ``bloc_year_advance`` is the only writer of ``BlocYear.phase``.

Every workflow that moves the cycle on (opening the self-assessment, starting
the review, publishing the ranking, opening the conference's first vote,
submitting, returning and deciding the proposal) calls it inside its own
transaction; the bloc-year page calls it for the moves that have no workflow of
their own (open registration, start the year, close it, and the council's moves
back). The moves allowed, and who may take each, are the table ``PHASE_MOVES``
beside the enum; what must hold before a move is checked here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.enums import (
    PHASE_MOVES,
    REGISTRATION_COUNTED_STATES,
    DeadlineStep,
    MemberRole,
    Phase,
    PhaseActor,
    PhaseMove,
)
from blocs.models import BlocYear, Registration
from blocs.rules import is_council_of, is_secretariat
from blocs.selectors.deadlines import membership_deadlines
from emulation import audit
from emulation.models import User


class NeedsConfirmation(ValidationError):
    """The move is allowed, but early: the user confirms the warnings first."""


@dataclass(frozen=True)
class Check:
    """What a move needs: refusals stop it; warnings need the user's confirmation."""

    refusals: list[str]
    warnings: list[str]


def _refusal_for(move: PhaseMove) -> str:
    if PhaseActor.SECRETARIAT not in move.by:
        return _("Only council staff can move this bloc-year from %(old)s to %(new)s.")
    if PhaseActor.COUNCIL not in move.by:
        return _("Only the bloc's secretariat can move this bloc-year from %(old)s to %(new)s.")
    return _(
        "Only the bloc's secretariat or council staff can move this bloc-year "
        "from %(old)s to %(new)s."
    )


def _date(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def move_for(source: Phase | str, target: Phase | str) -> PhaseMove | None:
    """The table's move from ``source`` to ``target``, or None when it is not allowed."""
    try:
        return PHASE_MOVES.get((Phase(source), Phase(target)))
    except ValueError:
        return None


def may_take(user: User | None, bloc_year: BlocYear, move: PhaseMove) -> bool:
    """Whether ``user`` is among those the table lets take ``move``.

    ``None`` is the application itself (the demo, management commands)."""
    if user is None:
        return True
    if PhaseActor.COUNCIL in move.by and is_council_of(user, bloc_year):
        return True
    return PhaseActor.SECRETARIAT in move.by and is_secretariat(user, bloc_year)


def _open_registration(bloc_year: BlocYear, today: datetime.date) -> Check:
    roles = list(bloc_year.memberships.values_list("role", flat=True))
    refusals = []
    if len(roles) < 2:
        refusals.append(_("A bloc needs at least two members before registration opens."))
    elif MemberRole.LEADER not in roles:
        refusals.append(_("Choose the leading agency (Trưởng khối) before registration opens."))
    return Check(refusals, [])


def _start_year(bloc_year: BlocYear, today: datetime.date) -> Check:
    """Not while a member that has not registered still has time to (the
    year's registration deadline, or the council's extension for the bloc-year
    or for that agency); once every member has registered, the secretariat
    confirms starting before the deadline."""
    members = list(bloc_year.memberships.all())
    deadlines = membership_deadlines(members, DeadlineStep.REGISTRATION)
    running = [deadlines[m.pk].date for m in members if not deadlines[m.pk].passed(today)]
    running = [date for date in running if date is not None]
    if not running:
        return Check([], [])
    registered = set(
        Registration.objects.filter(
            membership__bloc_year=bloc_year, state__in=REGISTRATION_COUNTED_STATES
        ).values_list("membership_id", flat=True)
    )
    missing = [m for m in members if m.pk not in registered]
    waiting = [deadlines[m.pk].date for m in missing if not deadlines[m.pk].passed(today)]
    waiting = [date for date in waiting if date is not None]
    if waiting:
        return Check(
            [
                _(
                    "Registration is open until %(deadline)s and %(missing)s of %(members)s "
                    "members have not registered yet: the year can start after the deadline, "
                    "or once every member has registered."
                )
                % {
                    "deadline": _date(max(waiting)),
                    "missing": len(missing),
                    "members": len(members),
                }
            ],
            [],
        )
    if missing:
        # The members still missing have had their time: nothing is waited for.
        return Check([], [])
    return Check(
        [],
        [
            _(
                "Every member has registered, but registration is open until %(deadline)s. "
                "Start the year early?"
            )
            % {"deadline": _date(max(running))}
        ],
    )


def _open_self_assessment(bloc_year: BlocYear, today: datetime.date) -> Check:
    opens = bloc_year.year.self_assessment_opens
    if opens is None or today >= opens:
        return Check([], [])
    return Check(
        [],
        [
            _("The year's self-assessment opens on %(date)s. Open it early for this bloc?")
            % {"date": _date(opens)}
        ],
    )


def _nothing(bloc_year: BlocYear, today: datetime.date) -> Check:
    return Check([], [])


# What must hold before a move, beyond who takes it (the workflow that takes a
# move checks its own prerequisites: a scoring table, locked scores, a quorum...).
_CHECKS: dict[tuple[Phase, Phase], Callable[[BlocYear, datetime.date], Check]] = {
    (Phase.SETUP, Phase.REGISTRATION): _open_registration,
    (Phase.REGISTRATION, Phase.IN_PROGRESS): _start_year,
    (Phase.IN_PROGRESS, Phase.SELF_ASSESSMENT): _open_self_assessment,
}


def check_move(bloc_year: BlocYear, to: Phase, today: datetime.date | None = None) -> Check:
    """The refusals and warnings of moving ``bloc_year`` to ``to`` now (no write)."""
    current = Phase(bloc_year.phase)
    move = move_for(current, to)
    if move is None:
        if current == to:
            message = _("The bloc-year is already at the %(phase)s phase.") % {
                "phase": to.label.lower()
            }
        else:
            message = _(
                "The bloc-year is at the %(current)s phase; it cannot move to %(to)s from here."
            ) % {"current": current.label.lower(), "to": to.label.lower()}
        return Check([message], [])
    return _CHECKS.get((current, to), _nothing)(bloc_year, today or timezone.localdate())


@transaction.atomic
def bloc_year_advance(
    *,
    actor: User | None,
    bloc_year: BlocYear,
    to: Phase | str,
    reason: str = "",
    via: str | None = None,
    confirm: bool = False,
    today: datetime.date | None = None,
) -> BlocYear:
    """Move ``bloc_year`` to the phase ``to``: the only writer of ``BlocYear.phase``.

    The move must be in ``PHASE_MOVES``; ``via`` names the workflow taking it
    (None: the bloc-year page), and must be the table's. A move back needs a
    reason. Warnings (going early where that is allowed) raise
    ``NeedsConfirmation`` unless ``confirm``. ``today`` back-dates the date
    checks (the demo's history). One audit event ``bloc_year.phase``.
    """
    if to not in Phase.values:
        raise ValidationError(_("Choose the step to take."))
    to = Phase(to)
    locked = (
        BlocYear.objects.select_for_update().select_related("bloc", "year").get(pk=bloc_year.pk)
    )
    old = Phase(locked.phase)
    move = move_for(old, to)
    if move is not None and move.via != via:
        move = None
    if move is not None and not may_take(actor, locked, move):
        raise PermissionDenied(
            _refusal_for(move) % {"old": old.label.lower(), "new": to.label.lower()}
        )
    check = check_move(locked, to, today)
    if move is None and not check.refusals:
        check = Check(
            [
                _("The bloc-year is at the %(current)s phase; it cannot move to %(to)s from here.")
                % {"current": old.label.lower(), "to": to.label.lower()}
            ],
            [],
        )
    if check.refusals:
        raise ValidationError(check.refusals)
    reason = (reason or "").strip()
    if move.back and not reason:
        raise ValidationError({"reason": _("Give the reason for moving the bloc-year back.")})
    if check.warnings and not confirm:
        raise NeedsConfirmation(check.warnings, code="confirm")
    locked.phase = to
    locked.phase_changed_at = timezone.now()
    locked.save(update_fields=["phase", "phase_changed_at", "updated_at"])
    data = {"old": old.value, "new": to.value}
    if reason:
        data["reason"] = reason
    if check.warnings:
        data["confirmed"] = check.warnings
    audit.record(actor=actor, action="bloc_year.phase", target=locked, data=data)
    bloc_year.phase, bloc_year.phase_changed_at = locked.phase, locked.phase_changed_at
    return locked
