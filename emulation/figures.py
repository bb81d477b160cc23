"""Figures counted over a whole country's bloc-years, kept in the shared cache
under a version that every change of what they count replaces.

What the council's country overview counts (the bloc-years, their phases,
their proposals' states, the years' deadlines and the extensions of them)
changes only through services, each writing one audit event
(``emulation.audit.record``) whose action starts with one of
``FIGURE_ACTIONS``, through the admin (``admin.*``) or a year's import
(``backup.*``), and in a migration or the commands that generate data (which
renew it themselves). Once such a transaction has committed, the version is
replaced by a new one, so that a figure kept under the old version is never
read again.

A reader keeps what it computed under the version it read *before* reading
the database: a change committed after that version was read replaces it
once committed, so a figure from before a change is never kept under a
version from after it.

Only with a shared cache (``settings.SHARED_CACHE``): a cache of one process
would not learn of another process's changes. The keys name the database,
so that two databases sharing one cache never read each other's figures.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

# The audit actions (prefixes) of every change of what the figures count:
# bloc-years created, carried forward or moved on to another phase; proposals
# created, changed, submitted, received, returned or decided; deadlines
# extended or withdrawn; years created or their deadlines changed; anything
# changed in the admin; a year imported from a backup.
FIGURE_ACTIONS = ("bloc_year.", "proposal.", "deadline.", "year.", "admin.", "backup.")


def _version_key() -> str:
    return f"figures-version:{settings.DATABASES['default']['NAME']}"


def figures_changed() -> None:
    """Replace the version once the current transaction commits (at once
    outside one)."""
    if settings.SHARED_CACHE:
        transaction.on_commit(_replace_version)


def renew_after_migrate(**kwargs) -> None:
    """``post_migrate``: a migration may have changed what the figures count."""
    figures_changed()


def _replace_version() -> None:
    cache.set(_version_key(), uuid.uuid4().hex, None)


def kept_figures(name: str, compute: Callable[[], T], timeout: int) -> T:
    """``compute()``, or what it gave under the current version (one round
    trip to the cache when it is there)."""
    if not settings.SHARED_CACHE:
        return compute()
    version_key = _version_key()
    key = f"figures:{settings.DATABASES['default']['NAME']}:{name}"
    found = cache.get_many([version_key, key])
    version = found.get(version_key)
    if version is None:
        cache.add(version_key, uuid.uuid4().hex, None)
        version = cache.get(version_key)
    kept = found.get(key)
    if version is not None and kept is not None and kept[0] == version:
        return kept[1]
    value = compute()
    if version is not None:
        cache.set(key, (version, value), timeout)
    return value
