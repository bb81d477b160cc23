"""The home dashboard: what each user has to do next.

Each app contributes tasks through a provider function listed in PROVIDERS.
A provider takes the user and returns a list of Task; it must issue a fixed
number of queries whatever the amount of data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.module_loading import import_string

PROVIDERS = [
    "blocs.dashboard.tasks_for",
    "blocs.selectors.assessment.dashboard_tasks",
    "blocs.dashboard_registration.tasks_for",
    "awards.dashboard_meeting.tasks_for",
    "blocs.dashboard_review.tasks_for",
    "awards.selectors.proposal.dashboard_tasks",
    "awards.dashboard_eligibility.tasks_for",
    "emulation.documents.dashboard.tasks_for",
]


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


def tasks_for(user) -> list[Task]:
    tasks: list[Task] = []
    for path in PROVIDERS:
        tasks.extend(import_string(path)(user))
    return sorted(tasks, key=lambda t: (t.order, t.due or datetime.date.max))
