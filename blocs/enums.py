from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BlocKind(models.TextChoices):
    BLOC = "khoi", pgettext_lazy("bloc kind", "Bloc (khối)")
    CLUSTER = "cum", pgettext_lazy("bloc kind", "Cluster (cụm)")


class MemberRole(models.TextChoices):
    LEADER = "leader", pgettext_lazy("member role", "Leader")
    DEPUTY = "deputy", pgettext_lazy("member role", "Deputy leader")
    MEMBER = "member", pgettext_lazy("member role", "Member")


# Who signs for an agency whose head's position is not recorded (the covenant,
# the self-assessment report): one wording for every document.
HEAD_CAPACITY = "Thủ trưởng đơn vị"


# TextChoices turns tuple members into choices; keep the named group outside.
SECRETARIAT_ROLES = (MemberRole.LEADER, MemberRole.DEPUTY)


class LineageKind(models.TextChoices):
    MERGE = "merge", pgettext_lazy("lineage", "Merger")
    SPLIT = "split", pgettext_lazy("lineage", "Split")
    RENAME = "rename", pgettext_lazy("lineage", "Renaming")


class Phase(models.TextChoices):
    """The phase of a bloc-year, in the order of the cycle."""

    SETUP = "setup", _("Setup")
    REGISTRATION = "registration", _("Registration")
    IN_PROGRESS = "in_progress", _("In progress")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    REVIEW = "review", _("Review")
    RANKING_PUBLISHED = "ranking_published", _("Ranking published")
    VOTING = "voting", _("Voting")
    PROPOSAL_SUBMITTED = "proposal_submitted", _("Proposal submitted")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")

    @classmethod
    def ordered(cls) -> list["Phase"]:
        return list(cls)

    @property
    def index(self) -> int:
        return list(Phase).index(self)


# The phase groups, named once. Members can be added, removed and given roles
# only before the year starts.
MEMBERSHIP_EDITABLE_PHASES = (Phase.SETUP, Phase.REGISTRATION)
# Registration is possible until the year's work is being assessed.
REGISTRATION_PHASES = (Phase.SETUP, Phase.REGISTRATION, Phase.IN_PROGRESS)
# Covenant and movements: managed until the year is ranked.
START_OF_YEAR_PHASES = (
    Phase.SETUP,
    Phase.REGISTRATION,
    Phase.IN_PROGRESS,
    Phase.SELF_ASSESSMENT,
    Phase.REVIEW,
)
# Assessments are returned, reopened and reviewed while these last.
ASSESSMENT_PHASES = (Phase.SELF_ASSESSMENT, Phase.REVIEW)
# The year end, whose eligibility the dashboards follow.
YEAR_END_PHASES = (Phase.SELF_ASSESSMENT, Phase.REVIEW, Phase.RANKING_PUBLISHED, Phase.VOTING)
# The conference prepares its proposal once the ranking is out.
PROPOSAL_PREPARATION_PHASES = (Phase.RANKING_PUBLISHED, Phase.VOTING)
# The year-end conference is prepared from the review on, and held after the
# ranking; its documents are drafted over the same span.
CONFERENCE_PHASES = (Phase.REVIEW, Phase.RANKING_PUBLISHED, Phase.VOTING)
# The members fill in their self-assessment once the year is under way.
SELF_ASSESSMENT_TASK_PHASES = (Phase.IN_PROGRESS, Phase.SELF_ASSESSMENT)
# The ranking is published from its phase on (a council's unlock takes the
# bloc-year back to the review and unpublishes it).
RANKED_PHASES = tuple(p for p in Phase if p.index >= Phase.RANKING_PUBLISHED.index)
# Once the proposal has gone to the council, the conference is over.
CONFERENCE_OVER_PHASES = (Phase.PROPOSAL_SUBMITTED, Phase.DECIDED, Phase.CLOSED)
# The year's cycle is over: decided, or closed (an abandoned year too).
FINISHED_PHASES = (Phase.DECIDED, Phase.CLOSED)


class PhaseActor(models.TextChoices):
    """Who may take a move of the bloc-year's phase."""

    SECRETARIAT = "secretariat", _("the bloc's secretariat")
    COUNCIL = "council", _("council staff")


@dataclass(frozen=True)
class PhaseMove:
    """One allowed move of a bloc-year's phase.

    ``by``: who may take it. ``via``: the workflow that takes it (None: the
    bloc-year page's own button). ``back``: a move back, which needs a reason.
    """

    source: Phase
    target: Phase
    by: frozenset[str]
    via: str | None = None
    back: bool = False


_BOTH = frozenset({PhaseActor.SECRETARIAT, PhaseActor.COUNCIL})
_COUNCIL = frozenset({PhaseActor.COUNCIL})
_SECRETARIAT = frozenset({PhaseActor.SECRETARIAT})

# The one table of the bloc-year's phase moves: a move not listed here is refused.
# What must hold before each move is checked by ``blocs.services.phase``.
PHASE_MOVES: dict[tuple[Phase, Phase], PhaseMove] = {
    (m.source, m.target): m
    for m in (
        PhaseMove(Phase.SETUP, Phase.REGISTRATION, _BOTH),
        PhaseMove(Phase.REGISTRATION, Phase.IN_PROGRESS, _BOTH),
        PhaseMove(Phase.IN_PROGRESS, Phase.SELF_ASSESSMENT, _BOTH, via="self_assessment_open"),
        PhaseMove(Phase.SELF_ASSESSMENT, Phase.REVIEW, _SECRETARIAT, via="review_start"),
        PhaseMove(Phase.REVIEW, Phase.RANKING_PUBLISHED, _SECRETARIAT, via="ranking_publish"),
        PhaseMove(Phase.RANKING_PUBLISHED, Phase.VOTING, _SECRETARIAT, via="conference"),
        PhaseMove(Phase.VOTING, Phase.PROPOSAL_SUBMITTED, _SECRETARIAT, via="proposal_submit"),
        PhaseMove(Phase.PROPOSAL_SUBMITTED, Phase.DECIDED, _COUNCIL, via="decision_record"),
        PhaseMove(Phase.DECIDED, Phase.CLOSED, _BOTH),
        # Back, by the council, with a reason, while nothing later depends on it.
        PhaseMove(Phase.REGISTRATION, Phase.SETUP, _COUNCIL, back=True),
        PhaseMove(Phase.IN_PROGRESS, Phase.REGISTRATION, _COUNCIL, back=True),
        PhaseMove(Phase.RANKING_PUBLISHED, Phase.REVIEW, _COUNCIL, via="review_unlock", back=True),
        PhaseMove(
            Phase.PROPOSAL_SUBMITTED, Phase.VOTING, _COUNCIL, via="proposal_return", back=True
        ),
        # A year abandoned or superseded before its decision is closed by the
        # council, with a reason; it then leaves the dashboards.
        *(
            PhaseMove(phase, Phase.CLOSED, _COUNCIL, back=True)
            for phase in Phase
            if phase not in (Phase.DECIDED, Phase.CLOSED)
        ),
    )
}

# The moves the bloc-year page offers as buttons (the others belong to a workflow).
PAGE_MOVES = {key: move for key, move in PHASE_MOVES.items() if move.via is None}


# --- scoring tables and self-assessment --------------------------------------


class CriterionKind(models.TextChoices):
    STANDARD = "standard", pgettext_lazy("criterion kind", "Standard")
    BONUS = "bonus", pgettext_lazy("criterion kind", "Bonus")
    DEDUCTION = "deduction", pgettext_lazy("criterion kind", "Deduction")


class AssessmentState(models.TextChoices):
    """A self-assessment's state; review states are used by the review workflow."""

    DRAFT = "draft", pgettext_lazy("assessment state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("assessment state", "Submitted")
    RETURNED = "returned", pgettext_lazy("assessment state", "Returned")
    VERIFIED = "verified", pgettext_lazy("assessment state", "Verified")
    DISPUTED = "disputed", pgettext_lazy("assessment state", "Disputed")
    LOCKED = "locked", pgettext_lazy("assessment state", "Locked")


# The agency may change its scores only in these states.
ASSESSMENT_EDITABLE_STATES = (AssessmentState.DRAFT, AssessmentState.RETURNED)

# The one allowed-transitions table of the self-assessment workflow.
ASSESSMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AssessmentState.DRAFT: frozenset({AssessmentState.SUBMITTED}),
    AssessmentState.SUBMITTED: frozenset(
        {AssessmentState.RETURNED, AssessmentState.DRAFT, AssessmentState.VERIFIED}
    ),
    AssessmentState.RETURNED: frozenset({AssessmentState.SUBMITTED, AssessmentState.DRAFT}),
    AssessmentState.VERIFIED: frozenset(
        {AssessmentState.DISPUTED, AssessmentState.LOCKED, AssessmentState.SUBMITTED}
    ),
    AssessmentState.DISPUTED: frozenset({AssessmentState.VERIFIED, AssessmentState.LOCKED}),
    # Locked scores are unlocked only through an audited unlock by council staff.
    AssessmentState.LOCKED: frozenset({AssessmentState.VERIFIED}),
}


# --- movements, covenant, registration, mid-year review ----------------------


class MovementLauncher(models.TextChoices):
    """Who launched an emulation movement (phong trào thi đua)."""

    PRIME_MINISTER = "prime_minister", _("Prime Minister")
    PROVINCE = "province", _("Provincial People's Committee")
    COUNCIL = "council", _("Provincial Emulation and Commendation Council")


class CovenantState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("covenant", "Draft")
    SIGNED = "signed", pgettext_lazy("covenant", "Signed")


COVENANT_TRANSITIONS = {
    CovenantState.DRAFT: {CovenantState.SIGNED},
    CovenantState.SIGNED: set(),
}


class RegistrationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("registration", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("registration", "Registered")
    REOPENED = "reopened", pgettext_lazy("registration", "Reopened")


REGISTRATION_TRANSITIONS = {
    RegistrationState.DRAFT: {RegistrationState.SUBMITTED},
    RegistrationState.SUBMITTED: {RegistrationState.REOPENED},
    RegistrationState.REOPENED: {RegistrationState.SUBMITTED},
}
# The agency may change its targets and titles in these states.
REGISTRATION_EDITABLE_STATES = (RegistrationState.DRAFT, RegistrationState.REOPENED)
# A registration in these states counts as "registered" (for eligibility too):
# a reopened registration stands until it is submitted again.
REGISTRATION_COUNTED_STATES = (RegistrationState.SUBMITTED, RegistrationState.REOPENED)


class ProgressPeriod(models.TextChoices):
    """When an agency reports on its targets."""

    MID_YEAR = "mid_year", _("Mid-year review")
    YEAR_END = "year_end", _("Year end")


# The phases in which each report may be made or corrected.
PROGRESS_PHASES = {
    ProgressPeriod.MID_YEAR: (Phase.REGISTRATION, Phase.IN_PROGRESS),
    ProgressPeriod.YEAR_END: (Phase.IN_PROGRESS, Phase.SELF_ASSESSMENT, Phase.REVIEW),
}


# --- review, disputes and ranking --------------------------------------------


class ReviewMode(models.TextChoices):
    LEADER = "leader", pgettext_lazy("review mode", "Verification by the leading agency")
    CROSS = "cross", pgettext_lazy("review mode", "Cross-scoring by the members")
    BOTH = (
        "both",
        pgettext_lazy("review mode", "Cross-scoring, then verification by the leading agency"),
    )


class ReviewStage(models.TextChoices):
    """Who entered a verified score: an assigned member, or the leading agency
    (whose score, and a resolved dispute's, decides)."""

    CROSS = "cross", pgettext_lazy("review stage", "Cross-scoring")
    LEADER = "leader", pgettext_lazy("review stage", "Leading agency")


class DisputeState(models.TextChoices):
    OPEN = "open", pgettext_lazy("dispute state", "Open")
    ACCEPTED = "accepted", pgettext_lazy("dispute state", "Accepted")
    REJECTED = "rejected", pgettext_lazy("dispute state", "Rejected")


DISPUTE_TRANSITIONS: dict[str, frozenset[str]] = {
    DisputeState.OPEN: frozenset({DisputeState.ACCEPTED, DisputeState.REJECTED}),
    DisputeState.ACCEPTED: frozenset(),
    DisputeState.REJECTED: frozenset(),
}


# --- deadlines and their extensions ------------------------------------------


class DeadlineStep(models.TextChoices):
    """A step of the cycle whose deadline the council can extend."""

    REGISTRATION = "registration", pgettext_lazy("deadline step", "Registration")
    SELF_ASSESSMENT = "self_assessment", pgettext_lazy("deadline step", "Self-assessment")
    DISPUTES = "disputes", pgettext_lazy("deadline step", "Disputes")
    PROPOSAL = "proposal", pgettext_lazy("deadline step", "Proposal to the council")


# The year's own deadline of each step (a field of EmulationYear).
DEADLINE_FIELD_OF_STEP = {
    DeadlineStep.REGISTRATION: "registration_deadline",
    DeadlineStep.SELF_ASSESSMENT: "self_assessment_deadline",
    DeadlineStep.DISPUTES: "dispute_deadline",
    DeadlineStep.PROPOSAL: "proposal_deadline",
}
# The steps each agency takes for itself, which one agency may be given more
# time for; the proposal is the bloc's and is extended for the bloc-year only.
AGENCY_DEADLINE_STEPS = (
    DeadlineStep.REGISTRATION,
    DeadlineStep.SELF_ASSESSMENT,
    DeadlineStep.DISPUTES,
)
