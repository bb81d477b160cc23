"""Reads of the blocs app, re-exported from one module per area."""

from blocs.selectors.organisation import (
    agencies_active_in_year,
    agencies_addable_to,
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
    lineage_ids,
    members_editable,
    memberships_for_export,
    memberships_of_bloc_year,
    memberships_of_user,
    provinces_managed_by,
    secretariat_bloc_year_ids,
    successor_at,
    successors_at,
)
from blocs.selectors.registration import (
    covenant_of,
    covenant_spec,
    get_membership_for,
    get_movement_for,
    membership_of,
    movements_available_to,
    movements_of_bloc_year,
    movements_visible_to,
    progress_summary,
    registered_award_type_ids,
    registration_counts,
    registration_of,
    registration_overview,
    targets_with_achievement,
)

__all__ = [
    "agencies_active_in_year",
    "agencies_addable_to",
    "agency_history",
    "bloc_years_visible_to",
    "get_bloc_year_for",
    "lineage_ids",
    "memberships_of_user",
    "secretariat_bloc_year_ids",
    "successor_at",
    "agencies_visible_to",
    "agency_is_active_on",
    "agency_lineage_links",
    "blocs_visible_to",
    "carry_forward_plan",
    "emulation_years_visible_to",
    "get_agency_for",
    "get_bloc_for",
    "get_emulation_year_for",
    "members_editable",
    "memberships_for_export",
    "memberships_of_bloc_year",
    "provinces_managed_by",
    "successors_at",
    "covenant_of",
    "covenant_spec",
    "get_membership_for",
    "get_movement_for",
    "membership_of",
    "movements_available_to",
    "movements_of_bloc_year",
    "movements_visible_to",
    "progress_summary",
    "registered_award_type_ids",
    "registration_counts",
    "registration_of",
    "registration_overview",
    "targets_with_achievement",
]

# Review and ranking.
from blocs.selectors.ranking import RankingRow, ranking_for, rankings_for  # noqa: E402

__all__ += ["RankingRow", "ranking_for", "rankings_for"]

# Scoring tables and self-assessment.
from blocs.selectors.assessment import (  # noqa: E402
    assessment_view,
    get_assessment_for,
    overview_for,
    progress_by_assessment,
    totals_by_assessment,
)
from blocs.selectors.scoring import (  # noqa: E402
    get_table_for,
    scoring_table_for,
    table_structure,
    tables_visible_to,
)

__all__ += [
    "assessment_view",
    "get_assessment_for",
    "overview_for",
    "progress_by_assessment",
    "totals_by_assessment",
    "get_table_for",
    "scoring_table_for",
    "table_structure",
    "tables_visible_to",
]
