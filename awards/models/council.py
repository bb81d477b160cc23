"""The council's own numbers, as data with their sources: the share of its
members needed to approve an award (its vote at decision time), the prize
money coefficients and the base salary; and the vote it recorded on each
proposed item."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class _Dated(models.Model):
    """A value in force from ``valid_from`` (empty: from any earlier date) to
    ``valid_to`` (empty: until further notice), nationally or in one province."""

    province = models.ForeignKey(
        "blocs.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the national default; a province's own value wins over it."),
    )
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=500, help_text=_("The legal text and article it comes from.")
    )
    confirmed = models.BooleanField(
        _("confirmed in the text"),
        default=True,
        help_text=_("Untick when the value is applied meanwhile, not yet confirmed in the text."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        abstract = True

    def covers(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class CouncilVoteThreshold(_Dated):
    """The share of ALL council members whose vote approves an award type
    (Decree 98/2023 Art. 30(7): 80% for the flags, 90% for the individual
    titles of provincial level and above); absent members vote in writing."""

    award_type = models.ForeignKey(
        "awards.AwardType",
        verbose_name=_("award type"),
        on_delete=models.PROTECT,
        related_name="council_thresholds",
    )
    percent = models.PositiveSmallIntegerField(_("share of all council members (%)"))

    class Meta:
        verbose_name = _("council vote threshold")
        verbose_name_plural = _("council vote thresholds")
        ordering = ["award_type__order", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                name="councilthreshold_percent_range",
                condition=Q(percent__gte=1) & Q(percent__lte=100),
            ),
            models.CheckConstraint(
                name="councilthreshold_dates",
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
            ),
        ]

    def __str__(self):
        return f"{self.award_type}: {self.percent}%"


class PrizeCoefficient(_Dated):
    """The prize money of an award type for a collective, as a multiple of the
    base salary (Decree 152/2025 Art. 50–54)."""

    award_type = models.ForeignKey(
        "awards.AwardType",
        verbose_name=_("award type"),
        on_delete=models.PROTECT,
        related_name="prize_coefficients",
    )
    coefficient = models.DecimalField(_("times the base salary"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("prize money coefficient")
        verbose_name_plural = _("prize money coefficients")
        ordering = ["award_type__order", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                name="prizecoefficient_positive", condition=Q(coefficient__gt=Decimal(0))
            ),
            models.CheckConstraint(
                name="prizecoefficient_dates",
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
            ),
        ]

    def __str__(self):
        return f"{self.award_type}: ×{self.coefficient}"


class BaseSalary(models.Model):
    """The base salary (mức lương cơ sở) in force from a date, in whole đồng."""

    valid_from = models.DateField(_("in force from"), unique=True)
    amount = models.PositiveIntegerField(_("amount (VND per month)"))
    source = models.CharField(_("source"), max_length=500)
    confirmed = models.BooleanField(
        _("confirmed in the text"),
        default=True,
        help_text=_("Untick when the value is applied meanwhile, not yet confirmed in the text."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(name="basesalary_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self):
        return f"{self.amount:,} ({self.valid_from:%d/%m/%Y})".replace(",", ".")


class CouncilVote(models.Model):
    """The council's vote on one proposed item, recorded with its decision:
    the members of the council, the votes for and against (the written votes
    of absent members included), and the threshold applied with its source."""

    item = models.OneToOneField(
        "awards.ProposalItem",
        verbose_name=_("proposed item"),
        on_delete=models.CASCADE,
        related_name="council_vote",
    )
    members = models.PositiveSmallIntegerField(_("members of the council"))
    votes_for = models.PositiveSmallIntegerField(_("votes for"))
    votes_against = models.PositiveSmallIntegerField(_("votes against"))
    written = models.PositiveSmallIntegerField(
        _("of which written votes of absent members"), default=0
    )
    threshold_percent = models.PositiveSmallIntegerField(
        _("threshold applied (%)"), null=True, blank=True
    )
    threshold_source = models.CharField(_("source of the threshold"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("council's vote")
        verbose_name_plural = _("council's votes")
        constraints = [
            models.CheckConstraint(name="councilvote_members", condition=Q(members__gte=1)),
            models.CheckConstraint(
                name="councilvote_within_members",
                condition=Q(members__gte=F("votes_for") + F("votes_against")),
            ),
            models.CheckConstraint(
                name="councilvote_written_within_votes",
                condition=Q(written__lte=F("votes_for") + F("votes_against")),
            ),
            models.CheckConstraint(
                name="councilvote_threshold_range",
                condition=Q(threshold_percent__isnull=True)
                | (Q(threshold_percent__gte=1) & Q(threshold_percent__lte=100)),
            ),
        ]

    def __str__(self):
        return f"{self.votes_for}/{self.members}"

    @property
    def percent_for(self) -> Decimal:
        return (Decimal(self.votes_for * 100) / self.members).quantize(Decimal("0.1"))

    @property
    def met(self) -> bool | None:
        if self.threshold_percent is None:
            return None
        return self.votes_for * 100 >= self.threshold_percent * self.members


class GovernmentFlagChoice(models.Model):
    """The council's province-wide choice, for a year, among the collectives
    leading the province's blocs, of those it proposes for the Government's
    emulation flag (Law 06/2022 Art. 25: no per-bloc quota). A bloc's
    proposed Government flag is approved only for a collective chosen here."""

    province = models.ForeignKey(
        "blocs.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("year of the achievements"))
    considered_on = models.DateField(_("date of the council's consideration"))
    source_document = models.CharField(_("source document"), max_length=255)
    memberships = models.ManyToManyField(
        "blocs.Membership",
        verbose_name=_("collectives chosen"),
        blank=True,
        related_name="+",
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    chosen_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("choice for the Government's flag")
        verbose_name_plural = _("choices for the Government's flag")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year"], name="governmentflagchoice_one_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.province} {self.year}"
