"""What the fuzz tests share: Hypothesis settings, the row counts that show a
refused input wrote nothing, and a conference with a poll to aim forms at."""

from __future__ import annotations

from django.apps import apps
from hypothesis import HealthCheck, settings


def fuzz_settings(examples: int) -> settings:
    """Hypothesis in a Django test: no example database, no deadline, and the
    health checks a database-backed fixture or a wide form trips by design."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,  # forms with many fields: large inputs
        ],
    )


def row_counts() -> dict[str, int]:
    """Rows per model of the project's apps."""
    return {
        m._meta.label: m.objects.count()
        for app in ("blocs", "awards", "emulation")
        for m in apps.get_app_config(app).get_models()
    }


def conference_with_poll(prefix: str):
    """A three-member conference and a draft poll of its award, all on the ballot."""
    from tests.factories.meeting import build_conference

    conf = build_conference(members=3, prefix=prefix)
    return conf, conf.draft_poll(threshold_percent=50)
