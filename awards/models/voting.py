"""Polls, candidates, the secret ballot, paper counts and results.

Secrecy by construction: a VoterRecord (poll, agency) says who has voted; a
Ballot (poll, random UUID, receipt code) and its BallotChoices say what was
chosen. The two are written in one transaction and share no key, no timestamp
and no sequence: Ballot and BallotChoice have random UUID primary keys and no
time column, so neither the schema nor the row ids can tie a ballot to a voter
or to the order of voting. Ballots are only ever listed ordered by their
random id or by receipt code.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from awards.enums import PollMode, PollPurpose, PollState, ResultStatus, ThresholdBase
from awards.rules_math import percent_of


class Poll(models.Model):
    """One ballot round on one award type (or on next year's leader/deputy)."""

    meeting = models.ForeignKey(
        "awards.Meeting", verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="polls"
    )
    purpose = models.CharField(
        _("purpose"), max_length=10, choices=PollPurpose.choices, default=PollPurpose.AWARD
    )
    award_type = models.ForeignKey(
        "awards.AwardType",
        verbose_name=_("award type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="polls",
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    runoff_of = models.ForeignKey(
        "self",
        verbose_name=_("run-off of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="runoffs",
    )
    mode = models.CharField(
        _("mode"), max_length=10, choices=PollMode.choices, default=PollMode.ONLINE
    )
    state = models.CharField(
        _("state"), max_length=10, choices=PollState.choices, default=PollState.DRAFT
    )
    quota = models.PositiveSmallIntegerField(
        _("choose up to"), help_text=_("How many candidates a ballot may choose (the quota).")
    )
    threshold_percent = models.PositiveSmallIntegerField(_("threshold (%)"), null=True, blank=True)
    threshold_base = models.CharField(
        _("threshold base"),
        max_length=10,
        choices=ThresholdBase.choices,
        default=ThresholdBase.VALID_BALLOTS,
    )
    # Counted when the poll closes (online) or when the paper counts agree.
    ballots_total = models.PositiveSmallIntegerField(_("ballots"), null=True, blank=True)
    ballots_blank = models.PositiveSmallIntegerField(_("blank ballots"), null=True, blank=True)
    ballots_invalid = models.PositiveSmallIntegerField(_("invalid ballots"), null=True, blank=True)
    voters_expected = models.PositiveSmallIntegerField(_("voters"), null=True, blank=True)
    members_count = models.PositiveSmallIntegerField(_("members"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["meeting", "purpose", "award_type__order", "round", "id"]
        constraints = [
            # A cancelled poll frees its award (or purpose) for a new poll.
            models.UniqueConstraint(
                fields=["meeting", "award_type", "round"],
                condition=Q(purpose=PollPurpose.AWARD) & ~Q(state=PollState.CANCELLED),
                name="poll_unique_award_round",
            ),
            models.UniqueConstraint(
                fields=["meeting", "purpose", "round"],
                condition=~Q(purpose=PollPurpose.AWARD) & ~Q(state=PollState.CANCELLED),
                name="poll_unique_leadership_round",
            ),
            models.CheckConstraint(
                name="poll_cancelled_has_reason",
                condition=~Q(state=PollState.CANCELLED) | ~Q(cancel_reason=""),
            ),
            models.CheckConstraint(
                name="poll_award_type_iff_award",
                condition=Q(purpose=PollPurpose.AWARD, award_type__isnull=False)
                | (~Q(purpose=PollPurpose.AWARD) & Q(award_type__isnull=True)),
            ),
            models.CheckConstraint(name="poll_quota_positive", condition=Q(quota__gte=1)),
            models.CheckConstraint(
                name="poll_threshold_percent",
                condition=Q(threshold_percent__isnull=True) | Q(threshold_percent__lte=100),
            ),
            models.CheckConstraint(name="poll_round_positive", condition=Q(round__gte=1)),
        ]

    def __str__(self):
        return f"{self.title} – {self.round}"

    @property
    def title(self) -> str:
        if self.purpose == PollPurpose.AWARD and self.award_type_id:
            return self.award_type.name
        return str(self.get_purpose_display())

    @property
    def ballots_valid(self) -> int | None:
        if self.ballots_total is None:
            return None
        return self.ballots_total - (self.ballots_invalid or 0)


class PollCandidate(models.Model):
    """A member on the ballot; withdrawn candidates stay, with the reason."""

    poll = models.ForeignKey(
        Poll,
        verbose_name=_("poll"),
        on_delete=models.CASCADE,
        related_name="candidates",
        db_index=False,
    )
    membership = models.ForeignKey(
        "blocs.Membership",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="poll_candidacies",
    )
    added_manually = models.BooleanField(_("added by the secretariat"), default=False)
    withdrawn = models.BooleanField(_("removed from the ballot"), default=False)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["membership__rotation_order", "membership__agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "membership"], name="candidate_unique"),
        ]

    def __str__(self):
        return str(self.membership.agency)


class VoterRecord(models.Model):
    """ "This agency has voted in this poll" — and nothing else."""

    poll = models.ForeignKey(
        Poll,
        verbose_name=_("poll"),
        on_delete=models.CASCADE,
        related_name="voter_records",
        db_index=False,
    )
    agency = models.ForeignKey(
        "blocs.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("voter record")
        verbose_name_plural = _("voter records")
        # By name: never the order (or time) in which the agencies voted.
        ordering = ["poll", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "agency"], name="voter_record_unique"),
        ]

    def __str__(self):
        return f"{self.agency} – {self.poll}"


class Ballot(models.Model):
    """An anonymous ballot: a random id, its poll, a receipt code. No time, no
    sequence, no reference to who cast it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(
        Poll,
        verbose_name=_("poll"),
        on_delete=models.CASCADE,
        related_name="ballots",
        db_index=False,
    )
    receipt = models.CharField(_("receipt code"), max_length=16)
    is_invalid = models.BooleanField(_("invalid"), default=False)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["id"]  # random: never the order of casting
        constraints = [
            models.UniqueConstraint(fields=["poll", "receipt"], name="ballot_receipt_unique"),
        ]

    def __str__(self):
        return self.receipt


class BallotChoice(models.Model):
    """One candidate chosen on one ballot (also keyed by a random id)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(
        Ballot,
        verbose_name=_("ballot"),
        on_delete=models.CASCADE,
        related_name="choices",
        db_index=False,
    )
    candidate = models.ForeignKey(
        PollCandidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("ballot choice")
        verbose_name_plural = _("ballot choices")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "candidate"], name="ballot_choice_unique"),
        ]

    def __str__(self):
        return str(self.candidate_id)


class PaperCount(models.Model):
    """One counting-committee member's independent count of a paper poll."""

    poll = models.ForeignKey(
        Poll,
        verbose_name=_("poll"),
        on_delete=models.CASCADE,
        related_name="paper_counts",
        db_index=False,
    )
    counter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ballots_total = models.PositiveSmallIntegerField(_("ballots collected"))
    ballots_blank = models.PositiveSmallIntegerField(_("blank ballots"))
    ballots_invalid = models.PositiveSmallIntegerField(_("invalid ballots"))
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("paper count")
        verbose_name_plural = _("paper counts")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "counter"], name="paper_count_unique"),
            models.CheckConstraint(
                name="paper_count_consistent",
                condition=Q(
                    ballots_total__gte=F("ballots_blank") + F("ballots_invalid"),
                ),
            ),
        ]

    def __str__(self):
        return f"{self.poll} – {self.counter}"


class PaperCountLine(models.Model):
    count = models.ForeignKey(
        PaperCount,
        verbose_name=_("paper count"),
        on_delete=models.CASCADE,
        related_name="lines",
        db_index=False,
    )
    candidate = models.ForeignKey(
        PollCandidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="+"
    )
    votes = models.PositiveSmallIntegerField(_("votes"))

    class Meta:
        verbose_name = _("paper count line")
        verbose_name_plural = _("paper count lines")
        constraints = [
            models.UniqueConstraint(fields=["count", "candidate"], name="paper_line_unique"),
        ]

    def __str__(self):
        return f"{self.candidate_id}: {self.votes}"


class Result(models.Model):
    """A candidate's result: votes, share of the base, elected or not and why."""

    poll = models.ForeignKey(
        Poll,
        verbose_name=_("poll"),
        on_delete=models.CASCADE,
        related_name="results",
        db_index=False,
    )
    candidate = models.OneToOneField(
        PollCandidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="result"
    )
    votes = models.PositiveSmallIntegerField(_("votes"))
    base = models.PositiveSmallIntegerField(_("base"))
    status = models.CharField(_("result"), max_length=12, choices=ResultStatus.choices)
    elected = models.BooleanField(_("elected"), default=False)
    reason = models.CharField(_("why"), max_length=500, blank=True)
    overridden = models.BooleanField(_("overridden"), default=False)
    override_reason = models.CharField(_("reason for the override"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["poll", "position"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "candidate"], name="result_unique"),
            models.CheckConstraint(
                name="result_override_has_reason",
                condition=Q(overridden=False) | ~Q(override_reason=""),
            ),
            models.CheckConstraint(
                name="result_elected_consistent",
                condition=Q(overridden=True)
                | Q(elected=True, status=ResultStatus.ELECTED)
                | (Q(elected=False) & ~Q(status=ResultStatus.ELECTED)),
            ),
        ]

    def __str__(self):
        return f"{self.candidate} – {self.votes}"

    @property
    def percent(self):

        return percent_of(votes=self.votes, base=self.base)
