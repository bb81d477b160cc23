"""Models of the blocs app, one module per area, re-exported here."""

from blocs.models.assessment import (
    AssessmentDelegation,
    Evidence,
    ItemScore,
    ReminderSent,
    SelfAssessment,
)
from blocs.models.deadlines import DeadlineExtension
from blocs.models.organisation import (
    Agency,
    AgencyLineage,
    Bloc,
    BlocYear,
    EmulationYear,
    Membership,
    Province,
)
from blocs.models.registration import (
    BlocYearMovement,
    Covenant,
    Movement,
    Registration,
    RegistrationTarget,
    TargetProgress,
)
from blocs.models.review import (
    Adjustment,
    BlocYearReview,
    Dispute,
    DisputeEvidence,
    FinalScore,
    ReviewAssignment,
    ReviewedScore,
)
from blocs.models.scoring import Criterion, CriterionGroup, ScoringTable

__all__ = [
    "DeadlineExtension",
    "Agency",
    "AgencyLineage",
    "Bloc",
    "BlocYear",
    "EmulationYear",
    "Membership",
    "Province",
    "Criterion",
    "CriterionGroup",
    "ScoringTable",
    "AssessmentDelegation",
    "Evidence",
    "ItemScore",
    "ReminderSent",
    "SelfAssessment",
    "BlocYearMovement",
    "Covenant",
    "Movement",
    "Registration",
    "RegistrationTarget",
    "TargetProgress",
    "Adjustment",
    "BlocYearReview",
    "Dispute",
    "DisputeEvidence",
    "FinalScore",
    "ReviewAssignment",
    "ReviewedScore",
]
