"""The bloc's proposal to the council (hồ sơ đề nghị khen thưởng), the
council's decision (quyết định khen thưởng), and the public results flag."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from awards.enums import ItemDecision, ProposalState
from emulation.uploads import RandomName


class Proposal(models.Model):
    """A bloc-year's dossier to the council: items built from the published
    results, the issued documents, and its way through the council."""

    bloc_year = models.OneToOneField(
        "blocs.BlocYear",
        verbose_name=_("bloc-year"),
        on_delete=models.PROTECT,
        related_name="proposal",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ProposalState.choices, default=ProposalState.DRAFT
    )
    number = models.CharField(
        _("number of the proposal letter"),
        max_length=60,
        blank=True,
        help_text=_("E.g. 05/TTr-KTĐ"),
    )
    note = models.TextField(_("note to the council"), blank=True)
    documents = models.ManyToManyField(
        "emulation.IssuedDocument",
        verbose_name=_("documents of the dossier"),
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submission_count = models.PositiveSmallIntegerField(_("times submitted"), default=0)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-bloc_year__year__year", "bloc_year__bloc__name"]
        constraints = [
            models.CheckConstraint(
                name="proposal_returned_has_reason",
                condition=~Q(state=ProposalState.RETURNED) | ~Q(return_reason=""),
            ),
            models.CheckConstraint(
                name="proposal_submitted_has_time",
                condition=Q(state=ProposalState.DRAFT) | Q(submitted_at__isnull=False),
            ),
        ]

    def __str__(self):
        return str(_("Proposal of %(bloc_year)s") % {"bloc_year": self.bloc_year})


class ProposalItem(models.Model):
    """One proposed award for one member, with the figures behind it."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="items",
        db_index=False,
    )
    membership = models.ForeignKey(
        "blocs.Membership",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="proposal_items",
    )
    agency = models.ForeignKey(
        "blocs.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    award_type = models.ForeignKey(
        "awards.AwardType",
        verbose_name=_("award type"),
        on_delete=models.PROTECT,
        related_name="proposal_items",
    )
    result = models.ForeignKey(
        "awards.Result",
        verbose_name=_("vote result"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    votes = models.PositiveSmallIntegerField(_("votes"), null=True, blank=True)
    base = models.PositiveSmallIntegerField(_("counted on"), null=True, blank=True)
    percent = models.DecimalField(
        _("percentage"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    decision = models.CharField(
        _("council's decision"),
        max_length=10,
        choices=ItemDecision.choices,
        default=ItemDecision.PENDING,
    )
    decision_note = models.CharField(_("council's note"), max_length=500, blank=True)
    award_record = models.OneToOneField(
        "awards.AwardRecord",
        verbose_name=_("award record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal_item",
    )
    # The prize money, fixed when the decision is recorded: the coefficient
    # and the base salary in force on the decision's date, and their product
    # rounded to the whole đồng.
    prize_coefficient = models.DecimalField(
        _("prize coefficient"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    prize_base_salary = models.PositiveIntegerField(_("base salary (VND)"), null=True, blank=True)
    prize_amount = models.PositiveBigIntegerField(_("prize money (VND)"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposed item")
        verbose_name_plural = _("proposed items")
        ordering = ["award_type__order", "rank", "membership__rotation_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "agency", "award_type"], name="proposalitem_unique"
            ),
            models.CheckConstraint(
                name="proposalitem_percent_range",
                condition=Q(percent__isnull=True)
                | (Q(percent__gte=Decimal(0)) & Q(percent__lte=Decimal(100))),
            ),
            models.CheckConstraint(
                name="proposalitem_record_only_if_approved",
                condition=Q(award_record__isnull=True) | Q(decision=ItemDecision.APPROVED),
            ),
            models.CheckConstraint(
                name="proposalitem_prize_only_if_approved",
                condition=Q(prize_amount__isnull=True) | Q(decision=ItemDecision.APPROVED),
            ),
        ]

    def __str__(self):
        return f"{self.award_type} – {self.agency}"


class ProposalQuota(models.Model):
    """How many members the bloc-year could propose for an award type, fixed
    when the proposal is submitted (again on each resubmission). A percentage
    counted on those eligible for another award needs the eligibility engine;
    fixing it here lets the council's dashboard show it for every bloc at once.
    """

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="quotas",
        db_index=False,
    )
    award_type = models.ForeignKey(
        "awards.AwardType", verbose_name=_("award type"), on_delete=models.PROTECT, related_name="+"
    )
    quota = models.PositiveSmallIntegerField(_("quota"))

    class Meta:
        verbose_name = _("quota of a proposal")
        verbose_name_plural = _("quotas of proposals")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "award_type"], name="proposalquota_unique"),
        ]

    def __str__(self):
        return f"{self.award_type}: {self.quota}"


class Decision(models.Model):
    """The council's decision on a proposal: number, date, signer, the scan."""

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="decision"
    )
    number = models.CharField(_("decision number"), max_length=60, help_text=_("E.g. 215/QĐ-UBND"))
    date = models.DateField(_("decision date"))
    signer = models.CharField(_("signed by"), max_length=255)
    scanned_file = models.FileField(
        _("scanned decision"), upload_to=RandomName("decisions"), max_length=200, blank=True
    )
    scanned_name = models.CharField(_("file name"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-date", "number"]
        constraints = [
            models.CheckConstraint(name="decision_number_present", condition=~Q(number="")),
        ]

    def __str__(self):
        return str(
            _("Decision no. %(number)s of %(date)s")
            % {"number": self.number, "date": self.date.strftime("%d/%m/%Y")}
        )


class ResultsPublication(models.Model):
    """The council's choice to publish a year's decided awards without login."""

    province = models.ForeignKey(
        "blocs.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="results_publications",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("year"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("public results page")
        verbose_name_plural = _("public results pages")
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="results_publication_unique"),
        ]

    def __str__(self):
        return f"{self.province} {self.year}"
