"""The one helper every service calls to record what it changed."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from emulation.figures import FIGURE_ACTIONS, figures_changed
from emulation.models import AuditEvent, User
from emulation.prepared import PreparedInsert

# The events of the busiest writes (an autosave), written without a model save.
_insert = PreparedInsert(AuditEvent)


def record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    need_id: bool = True,
) -> AuditEvent:
    """Append an audit event. Call it inside the service's transaction.

    ``action`` is a dotted name such as ``assessment.submit``; ``data`` holds
    what changed (old and new values, reasons) and must be JSON-serialisable
    (Decimals and dates are encoded as strings). With ``need_id=False`` the
    event is written by an insert compiled once, with no ``RETURNING``: the
    event returned has no id.
    """
    event = AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.get_username() if actor is not None and actor.pk else "",
        action=action,
        data=data or {},
    )
    if target is not None:
        event.target_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        event.target_id = str(target.pk)
        event.target_repr = str(target)[:255]
    if need_id:
        event.save(force_insert=True)
    else:
        _insert(event)
    if action.startswith(FIGURE_ACTIONS):
        figures_changed()
    return event
