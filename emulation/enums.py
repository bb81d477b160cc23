from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyRole(models.TextChoices):
    """What a user does for their agency."""

    OFFICER = "officer", _("Emulation officer")
    HEAD = "head", _("Head of agency")


class DocumentKind(models.TextChoices):
    """The kinds of official document the application issues."""

    COVENANT = "covenant", _("Emulation covenant")
    YEAR_END_REPORT = "year_end_report", _("Year-end report")
    MEETING_MINUTES = "meeting_minutes", _("Meeting minutes")
    VOTE_COUNT = "vote_count", _("Vote-count minutes")
    PROPOSAL_LETTER = "proposal_letter", _("Proposal letter")
    SCORE_SUMMARY = "score_summary", _("Score summary")
    ACHIEVEMENT_REPORT = "achievement_report", _("Achievement report")
    DRAFT_DECISION = "draft_decision", _("Draft decision")


class NarrativeSection(models.TextChoices):
    """Parts of the year's documents that the bloc secretariat writes."""

    SITUATION = "situation", _("Situation and characteristics")
    ACHIEVEMENTS = "achievements", _("Main achievements of the year")
    ASSESSMENT = "assessment", _("General assessment: strengths and shortcomings")
    PLAN = "plan", _("Direction and tasks for next year")
    MEETING_DISCUSSION = "meeting_discussion", _("Discussion at the conference")
    MEETING_CONCLUSION = "meeting_conclusion", _("Conclusions of the conference")


class NotificationKind(models.TextChoices):
    """What a notification tells; each user chooses which kinds also come by e-mail."""

    ASSESSMENT_RETURNED = "assessment_returned", _("Self-assessment returned")
    ASSESSMENT_REOPENED = "assessment_reopened", _("Self-assessment reopened")
    ASSESSMENT_SUBMITTED = "assessment_submitted", _("Self-assessment submitted")
    DEADLINE_REMINDER = "deadline_reminder", _("Deadline approaching")
    POLL_OPENED = "poll_opened", _("Secret ballot open")
    PROPOSAL_SUBMITTED = "proposal_submitted", _("Proposal sent to the council")
    PROPOSAL_RECEIVED = "proposal_received", _("Proposal received by the council")
    PROPOSAL_RETURNED = "proposal_returned", _("Proposal returned by the council")
    DECISION_RECORDED = "decision_recorded", _("Commendation decision recorded")


class EmailDelivery(models.TextChoices):
    """Where a notification's e-mail stands."""

    NONE = "none", _("not e-mailed")
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
