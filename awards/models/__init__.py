"""Models of the awards app, re-exported from one module per area."""

from awards.models.catalogue import AwardType
from awards.models.facts import AgencyYearFact, AwardRecord, Disqualification
from awards.models.rules import AwardRule, RuleSet

__all__ = [
    "AgencyYearFact",
    "AwardRecord",
    "AwardRule",
    "AwardType",
    "Disqualification",
    "RuleSet",
]
