"""Reads of the blocs app, re-exported from one module per area."""

from blocs.selectors.organisation import (
    agencies_visible_to,
    agency_history,
    agency_is_active_on,
    agency_lineage_links,
    bloc_years_visible_to,
    blocs_visible_to,
    carry_forward_plan,
    emulation_years_visible_to,
    get_agency_for,
    get_bloc_for,
    get_bloc_year_for,
    get_emulation_year_for,
    is_council,
    lineage_ids,
    members_editable,
    memberships_for_export,
    memberships_of_bloc_year,
    memberships_of_user,
    provinces_managed_by,
    secretariat_bloc_year_ids,
    successor_at,
    successors_at,
    user_is_secretariat,
    user_manages_bloc_year,
    user_manages_province,
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
    "agencies_visible_to",
    "agency_is_active_on",
    "agency_lineage_links",
    "blocs_visible_to",
    "carry_forward_plan",
    "emulation_years_visible_to",
    "get_agency_for",
    "get_bloc_for",
    "get_emulation_year_for",
    "is_council",
    "members_editable",
    "memberships_for_export",
    "memberships_of_bloc_year",
    "provinces_managed_by",
    "successors_at",
    "user_manages_bloc_year",
    "user_manages_province",
]

# Review and ranking (issue 5).
from blocs.selectors.ranking import RankingRow, ranking_for  # noqa: E402

__all__ += ["RankingRow", "ranking_for"]
