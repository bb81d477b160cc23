"""Selectors of the awards app, re-exported from one module per area."""

from awards.selectors.facts import (
    award_history,
    disqualifications_by_agency,
    facts_by_agency_year,
    merit_awards_by_agency_year,
    predecessors_map,
    women_share_by_agency,
)
from awards.selectors.rules import (
    active_award_types,
    registrable_award_types,
    rule_for,
    rule_set_for,
    rule_sets_covering,
    rule_sets_visible_to,
    rules_of,
)

__all__ = [
    "active_award_types",
    "award_history",
    "disqualifications_by_agency",
    "facts_by_agency_year",
    "merit_awards_by_agency_year",
    "predecessors_map",
    "registrable_award_types",
    "rule_for",
    "rule_set_for",
    "rule_sets_covering",
    "rule_sets_visible_to",
    "rules_of",
    "women_share_by_agency",
]
