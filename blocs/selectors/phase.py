"""Reads about the bloc-year's phase: its history of moves."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from blocs.enums import Phase
from blocs.models import BlocYear
from emulation.models import AuditEvent


@dataclass(frozen=True)
class PhaseMoveRecord:
    at: datetime.datetime
    old: Phase
    new: Phase
    by: str
    reason: str
    confirmed: tuple[str, ...]

    @property
    def back(self) -> bool:
        return self.new.index < self.old.index or (
            self.new == Phase.CLOSED and self.old != Phase.DECIDED
        )


def phase_history(bloc_year: BlocYear) -> list[PhaseMoveRecord]:
    """Every move of the bloc-year's phase, oldest first (one query)."""
    events = AuditEvent.objects.filter(
        action="bloc_year.phase",
        target_type=ContentType.objects.get_for_model(BlocYear),
        target_id=str(bloc_year.pk),
    ).order_by("created_at", "id")
    return [
        PhaseMoveRecord(
            at=e.created_at,
            old=Phase(e.data["old"]),
            new=Phase(e.data["new"]),
            by=e.actor_name,
            reason=e.data.get("reason", ""),
            confirmed=tuple(e.data.get("confirmed", ())),
        )
        for e in events.only("created_at", "actor_name", "data")
    ]
