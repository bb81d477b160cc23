"""The home dashboard: what each user has to do next.

Each app contributes tasks by registering a provider in its
``AppConfig.ready()``. A provider takes the user and returns a list of Task;
it must issue a fixed number of queries whatever the amount of data. Tasks
are shown by their order, then their due date; providers registered first
come first among equals.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass(frozen=True)
class Task:
    title: str
    detail: str = ""
    url: str = ""
    due: datetime.date | None = None
    level: str = "primary"  # bootstrap contextual class
    order: int = 100
    extra: dict = field(default_factory=dict)

    @property
    def days_left(self) -> int | None:
        if self.due is None:
            return None
        return (self.due - timezone.localdate()).days

    @property
    def days_overdue(self) -> int:
        left = self.days_left
        return -left if left is not None and left < 0 else 0


Provider = Callable[[object], list[Task]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add a provider of dashboard tasks (once, however often it is registered)."""
    if provider not in _providers:
        _providers.append(provider)


def tasks_for(user) -> list[Task]:
    tasks: list[Task] = []
    for provider in _providers:
        tasks.extend(provider(user))
    return sorted(tasks, key=lambda t: (t.order, t.due or datetime.date.max))
