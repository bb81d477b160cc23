"""Reads of the blocs app, re-exported from one module per area."""

from blocs.selectors.organisation import (
    agency_history,
    bloc_years_visible_to,
    get_bloc_year_for,
    lineage_ids,
    memberships_of_user,
    secretariat_bloc_year_ids,
    successor_at,
    user_is_secretariat,
)

__all__ = [
    "agency_history",
    "bloc_years_visible_to",
    "get_bloc_year_for",
    "lineage_ids",
    "memberships_of_user",
    "secretariat_bloc_year_ids",
    "successor_at",
    "user_is_secretariat",
]

# Review and ranking (issue 5).
from blocs.selectors.ranking import RankingRow, ranking_for  # noqa: E402

__all__ += ["RankingRow", "ranking_for"]
