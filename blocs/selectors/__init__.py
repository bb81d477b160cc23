"""Reads of the blocs app, re-exported from one module per area."""

from blocs.selectors.organisation import (
    bloc_years_visible_to,
    get_bloc_year_for,
    memberships_of_user,
    secretariat_bloc_year_ids,
    user_is_secretariat,
)

__all__ = [
    "bloc_years_visible_to",
    "get_bloc_year_for",
    "memberships_of_user",
    "secretariat_bloc_year_ids",
    "user_is_secretariat",
]
