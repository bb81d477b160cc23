"""The demo data set, built step by step through the services.

Each step is a function ``run(ctx)`` in a module listed in STEPS; it must be
idempotent (a second run changes nothing) and should create its rows through
the services, so that the demo also shows a realistic audit trail. ``ctx`` is
a DemoContext shared by the steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STEPS = [
    "emulation.demo.base",
    "emulation.demo.accounts",  # second factors of council and admin, an invitation
    "emulation.demo.organisation",
    # Before scoring: registrations belong to the start of the year.
    "emulation.demo.registration",
    "emulation.demo.scoring",
    "emulation.demo.awards",  # facts and award history: eligibility
    "emulation.demo.decisions",  # the 2022 cycle decided: proposal and decision
    "emulation.demo.review",  # the 2023 review: adjustments, a dispute, lock, ranking
    "emulation.demo.meeting",  # late: the 2023 conference, after ranking if there is one
    # A second 2023 bloc and the council's Government-flag choice: every eligibility outcome.
    "emulation.demo.eligibility",
    "emulation.demo.documents",  # the 2023 dossier's documents, issued where data allow
    "emulation.demo.api",  # a client of the national database, and an award it sent
    "emulation.demo.notifications",  # last: a reminder, and the older notifications read
]

DEMO_PASSWORD = "demo-2023"  # noqa: S105 - documented demo password


@dataclass
class DemoContext:
    stdout: Any = None
    data: dict[str, Any] = field(default_factory=dict)

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)
