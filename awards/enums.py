"""Choices of the awards app: the catalogue, rules, facts and history."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AwardKind(models.TextChoices):
    TITLE = "title", pgettext_lazy("award kind", "Emulation title")
    FORM = "form", pgettext_lazy("award kind", "Commendation form")


class AwardLevel(models.TextChoices):
    """Who confers the award."""

    STATE = "state", pgettext_lazy("award level", "State / Government")
    PROVINCE = "province", pgettext_lazy("award level", "Province")
    AGENCY = "agency", pgettext_lazy("award level", "Agency (grassroots)")


class QuotaKind(models.TextChoices):
    NONE = "none", pgettext_lazy("quota", "No quota")
    COUNT = "count", pgettext_lazy("quota", "A fixed number per bloc")
    PERCENT = "percent", pgettext_lazy("quota", "A percentage of the members")


class Rounding(models.TextChoices):
    DOWN = "down", pgettext_lazy("rounding", "Round down")
    UP = "up", pgettext_lazy("rounding", "Round up")
    NEAREST = "nearest", pgettext_lazy("rounding", "Round to nearest (half up)")


class ThresholdBase(models.TextChoices):
    """What the vote percentage is counted on."""

    VALID_BALLOTS = "valid", pgettext_lazy("threshold base", "valid ballots")
    PRESENT = "present", pgettext_lazy("threshold base", "members present")
    ALL_MEMBERS = "all", pgettext_lazy("threshold base", "all members")


class TaskRating(models.TextChoices):
    """Task-completion rating of a collective, best first."""

    EXCELLENT = "excellent", pgettext_lazy("rating", "Completed tasks excellently")
    GOOD = "good", pgettext_lazy("rating", "Completed tasks well")
    COMPLETED = "completed", pgettext_lazy("rating", "Completed tasks")
    NOT_COMPLETED = "not_completed", pgettext_lazy("rating", "Did not complete tasks")

    @property
    def rank(self) -> int:
        """0 for the best rating; lower is better."""
        return list(TaskRating).index(self)

    def at_least(self, other: "TaskRating") -> bool:
        return self.rank <= TaskRating(other).rank


class DisqualificationKind(models.TextChoices):
    """Decree 98/2023 Art. 4 and Decree 152/2025 Art. 4; Circular 15/2025 (dissolution).

    ``discipline`` is a discipline *imposed*, with its period (from/until):
    achievements count only from the end of the period. The others are cases
    being handled between their opening and closing dates.
    """

    DISCIPLINE_CONSIDERED = (
        "discipline_considered",
        pgettext_lazy("disqualification", "Discipline being considered"),
    )
    DISCIPLINE = "discipline", pgettext_lazy("disqualification", "Discipline imposed")
    INVESTIGATION = "investigation", pgettext_lazy("disqualification", "Under investigation")
    INSPECTION = "inspection", pgettext_lazy("disqualification", "Under inspection")
    EXAMINATION = "examination", pgettext_lazy("disqualification", "Under examination or audit")
    COMPLAINT = "complaint", pgettext_lazy("disqualification", "Complaint being handled")
    DENUNCIATION = "denunciation", pgettext_lazy("disqualification", "Denunciation being handled")
    PRESS = "press", pgettext_lazy("disqualification", "Press reports being verified")
    DISSOLVED = "dissolved", pgettext_lazy("disqualification", "Unit dissolved")


# Cases that bar an award only with signs of violation (Decree 152/2025 Art. 4).
KINDS_NEEDING_SIGNS = frozenset({"investigation", "inspection", "examination"})


class AwardSource(models.TextChoices):
    IMPORTED = "imported", pgettext_lazy("award source", "Imported history")
    DECISION = "decision", pgettext_lazy("award source", "Council decision")
    MANUAL = "manual", pgettext_lazy("award source", "Entered by council staff")
    EXTERNAL = "external", pgettext_lazy("award source", "Received from another system")


class PrerequisiteType(models.TextChoices):
    """Kinds of prerequisite an AwardRule may list (any one of them suffices)."""

    RATING = "rating", _("Consecutive years with a task-completion rating at least")
    AWARD = "award", _("Consecutive years holding an award")
    ELIGIBLE_FOR = "eligible_for", _("Meets the standard of another award this year")
    FACT = "fact", _("An achievement the secretariat recorded with its evidence")


class AchievementFact(models.TextChoices):
    """Achievements recorded per agency and year with their evidence (Law Art. 73, 74)."""

    MOVEMENT = "movement_outstanding", _("Outstanding in an emulation movement")
    ONE_OFF = "one_off", _("A one-off (unexpected) achievement")
    CONTRIBUTION = "contribution", _("A contribution to the province's development")


class ConditionType(models.TextChoices):
    """Conditions of a rule, all of which must hold (Law Art. 25–28)."""

    LED_BLOC = "led_bloc", _("Led the bloc (rank 1 after tie-breaks, or chosen by the conference)")
    COMPLETED_SHARE = "completed_share", _("Share of its people who completed their tasks")
    LDTT_SHARE = "ldtt_share", _("Share of its people holding Lao động tiên tiến")
    CSTDCS_COUNT = "cstdcs_count", _("People holding Chiến sĩ thi đua cơ sở")
    DISCIPLINED_MAX = "disciplined_max", _("People disciplined at warning or above")


# --- The year-end conference: meetings, polls and secret ballots -------------


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", pgettext_lazy("attendance", "Present")
    ABSENT = "absent", pgettext_lazy("attendance", "Absent")
    PROXY = "proxy", pgettext_lazy("attendance", "Proxy to another member")


# Agencies that take part in the vote (their own head or their proxy's head casts).
REPRESENTED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.PROXY)


class PollPurpose(models.TextChoices):
    AWARD = "award", pgettext_lazy("poll purpose", "Award proposal")
    LEADER = "leader", pgettext_lazy("poll purpose", "Next year's leader")
    DEPUTY = "deputy", pgettext_lazy("poll purpose", "Next year's deputy leader")


class PollMode(models.TextChoices):
    ONLINE = "online", pgettext_lazy("poll mode", "Online secret ballot")
    PAPER = "paper", pgettext_lazy("poll mode", "Paper ballot")


class PollState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("poll state", "Draft")
    OPEN = "open", pgettext_lazy("poll state", "Voting open")
    CLOSED = "closed", pgettext_lazy("poll state", "Closed, counting")
    PUBLISHED = "published", pgettext_lazy("poll state", "Results published")
    CANCELLED = "cancelled", pgettext_lazy("poll state", "Cancelled")


# A poll is cancelled instead of closed (too few ballots) or instead of being
# published; a cancelled poll shows no tally and frees its award for a new poll.
POLL_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PollState.DRAFT: (PollState.OPEN, PollState.CANCELLED),
    PollState.OPEN: (PollState.CLOSED, PollState.CANCELLED),
    PollState.CLOSED: (PollState.PUBLISHED, PollState.CANCELLED),
    PollState.PUBLISHED: (),
    PollState.CANCELLED: (),
}


class ResultStatus(models.TextChoices):
    ELECTED = "elected", pgettext_lazy("result", "Elected")
    BELOW_THRESHOLD = "below", pgettext_lazy("result", "Below the threshold")
    OVER_QUOTA = "over_quota", pgettext_lazy("result", "Outside the quota")
    TIE = "tie", pgettext_lazy("result", "Tie at the quota: run-off needed")


class LeadershipMethod(models.TextChoices):
    ROTATION = "rotation", pgettext_lazy("leadership", "Confirmed by rotation")
    POLL = "poll", pgettext_lazy("leadership", "Elected by a poll of the meeting")
    ACCLAMATION = "acclamation", pgettext_lazy("leadership", "Acclaimed by the meeting")


# --- Proposals to the council and its decisions ------------------------------


class ProposalState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("proposal state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("proposal state", "Submitted to the council")
    RECEIVED = "received", pgettext_lazy("proposal state", "Received by the council")
    RETURNED = "returned", pgettext_lazy("proposal state", "Returned for correction")
    DECIDED = "decided", pgettext_lazy("proposal state", "Decided")


# The one allowed-transitions table of the proposal workflow.
PROPOSAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ProposalState.DRAFT: frozenset({ProposalState.SUBMITTED}),
    ProposalState.SUBMITTED: frozenset({ProposalState.RECEIVED, ProposalState.RETURNED}),
    ProposalState.RECEIVED: frozenset({ProposalState.RETURNED, ProposalState.DECIDED}),
    ProposalState.RETURNED: frozenset({ProposalState.SUBMITTED}),
    ProposalState.DECIDED: frozenset(),
}
# The bloc's secretariat may change the dossier in these states.
PROPOSAL_EDITABLE_STATES = (ProposalState.DRAFT, ProposalState.RETURNED)
# Waiting for the council to act.
PROPOSAL_PENDING_STATES = (ProposalState.SUBMITTED, ProposalState.RECEIVED)


class ItemDecision(models.TextChoices):
    """The council's word on one proposed item."""

    PENDING = "pending", pgettext_lazy("item decision", "Not yet decided")
    APPROVED = "approved", pgettext_lazy("item decision", "Approved")
    REJECTED = "rejected", pgettext_lazy("item decision", "Not approved")


class DossierExportState(models.TextChoices):
    """A dossier being assembled in the background: queued, then running, then
    done (its ZIP and merged PDF stored) or failed (the reason kept)."""

    QUEUED = "queued", pgettext_lazy("dossier export", "Queued")
    RUNNING = "running", pgettext_lazy("dossier export", "Being assembled")
    DONE = "done", pgettext_lazy("dossier export", "Ready")
    FAILED = "failed", pgettext_lazy("dossier export", "Failed")

    @classmethod
    def pending(cls) -> tuple[str, ...]:
        return (cls.QUEUED, cls.RUNNING)
