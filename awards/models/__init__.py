"""Models of the awards app, re-exported from one module per area."""

from awards.models.catalogue import AwardType
from awards.models.facts import AgencyYearFact, AwardRecord, Disqualification, LeadingChoice
from awards.models.meeting import Attendance, CountingCommitteeMember, Meeting, NextLeadership
from awards.models.rules import AwardRule, RuleSet
from awards.models.voting import (
    Ballot,
    BallotChoice,
    PaperCount,
    PaperCountLine,
    Poll,
    PollCandidate,
    Result,
    VoterRecord,
)

__all__ = [
    "Attendance",
    "Ballot",
    "BallotChoice",
    "CountingCommitteeMember",
    "Meeting",
    "NextLeadership",
    "PaperCount",
    "PaperCountLine",
    "Poll",
    "PollCandidate",
    "Result",
    "VoterRecord",
    "AgencyYearFact",
    "AwardRecord",
    "AwardRule",
    "AwardType",
    "Disqualification",
    "LeadingChoice",
    "RuleSet",
]

# Proposals to the council and its decisions.
from awards.models.proposal import (  # noqa: E402
    Decision,
    Proposal,
    ProposalItem,
    ProposalQuota,
    ResultsPublication,
)

__all__ += ["Decision", "Proposal", "ProposalItem", "ProposalQuota", "ResultsPublication"]

# The council's own numbers (vote thresholds, prize money) and its votes.
from awards.models.council import (  # noqa: E402
    BaseSalary,
    CouncilVote,
    CouncilVoteThreshold,
    GovernmentFlagChoice,
    PrizeCoefficient,
)

__all__ += [
    "BaseSalary",
    "CouncilVote",
    "CouncilVoteThreshold",
    "GovernmentFlagChoice",
    "PrizeCoefficient",
]

# The dossier assembled for download (ZIP and merged PDF).
from awards.models.dossier import DossierExport  # noqa: E402

__all__ += ["DossierExport"]
