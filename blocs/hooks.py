"""What blocs read from the app built on them, supplied by that app.

blocs never imports awards. Where a blocs page or service needs data that the
awards app owns, it calls a hook here, and awards supplies the function in its
``AppConfig.ready()``:

- ``women_shares(agency_ids=, year=)`` -> {agency id: percent of women staff},
  the ranking's ≥ 70%-women tie-break (the year's facts are the awards');
- ``registrable_award_types()`` -> the QuerySet of titles and forms an agency
  may register for (the award catalogue);
- ``next_leadership(bloc_year)`` -> the next year's leader and deputy as the
  year-end conference settled them, or None (carry-forward proposes them).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured


class Hook:
    """One function that an app above blocs supplies, called through this object."""

    def __init__(self, name: str):
        self.name = name
        self._function: Callable | None = None

    def supply(self, function: Callable) -> None:
        self._function = function

    def __call__(self, *args, **kwargs):
        if self._function is None:
            raise ImproperlyConfigured(
                f"No app supplies blocs.hooks.{self.name}; is the awards app installed?"
            )
        return self._function(*args, **kwargs)


women_shares = Hook("women_shares")
registrable_award_types = Hook("registrable_award_types")
next_leadership = Hook("next_leadership")
