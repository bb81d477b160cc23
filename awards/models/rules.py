"""Rule sets by legal basis, and one rule per award type in each."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from awards.enums import QuotaKind, Rounding, ThresholdBase
from awards.models.catalogue import AwardType
from awards.rules_math import share_of_count


class RuleSet(models.Model):
    """The rules of one legal basis.

    The rule set that applies is chosen by the **date of consideration** (the
    bloc's conference, the council's meeting), not by the year of the
    achievement: ``valid_from``–``valid_until``. A rule set without dates
    covers the achievement years ``first_year``–``last_year`` instead.
    ``transitional_before``: a dossier submitted before that date continues
    under the rule set in force on its submission (Decree 152/2025 Art. 60).

    A rule set belongs to a province, or is the national default (no
    province). Within one scope the year ranges do not overlap (the services
    refuse an overlap); a province's own rule set wins over the default.
    """

    province = models.ForeignKey(
        "blocs.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="rule_sets",
        null=True,
        blank=True,
        help_text=_("Empty: the national default for every province."),
    )
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=500,
        help_text=_("E.g. Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định 98/2023/NĐ-CP"),
    )
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(
        _("last year"), null=True, blank=True, help_text=_("Empty: until further notice.")
    )
    valid_from = models.DateField(
        _("applies to considerations from"),
        null=True,
        blank=True,
        help_text=_(
            "The date of consideration (conference, council meeting) from which it applies."
        ),
    )
    valid_until = models.DateField(
        _("applies to considerations until"),
        null=True,
        blank=True,
        help_text=_("Empty: until further notice."),
    )
    transitional_before = models.DateField(
        _("dossiers submitted before this date keep the earlier rules"),
        null=True,
        blank=True,
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["-first_year", "id"]
        constraints = [
            models.CheckConstraint(
                name="ruleset_year_range",
                condition=Q(last_year__isnull=True) | Q(last_year__gte=F("first_year")),
            ),
            models.CheckConstraint(
                name="ruleset_first_year_plausible",
                condition=Q(first_year__gte=2000) & Q(first_year__lte=2100),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.years_display})"

    @property
    def years_display(self) -> str:
        if self.last_year is None:
            return _("from %(first)s") % {"first": self.first_year}
        return f"{self.first_year}–{self.last_year}"

    def covers(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    @property
    def dated(self) -> bool:
        return self.valid_from is not None

    def covers_date(self, day) -> bool:
        """Whether a consideration on ``day`` falls under this rule set (dated sets only)."""
        if self.valid_from is None:
            return False
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class AwardRule(models.Model):
    """What a rule set says about one award type (all data, never code).

    ``prerequisites`` is a list of alternatives, any one of which suffices::

        [{"type": "rating", "min_rating": "excellent", "years": 2},
         {"type": "award", "award_type": "tt_ldxs", "years": 2, "end_offset": 1},
         {"type": "eligible_for", "award_type": "co_tinh"}]

    ``years`` consecutive years ending with the year under review minus
    ``end_offset`` (default 0); history follows agency lineage. An ``award``
    alternative with ``"this_year_standard": true`` accepts, for the year
    under review, meeting that award's standard (decided at the same time).
    A ``fact``
    alternative names an achievement the secretariat recorded with its
    evidence: ``{"type": "fact", "fact": "one_off"}``.

    ``conditions`` must all hold (Law Art. 25–28)::

        [{"type": "led_bloc"},
         {"type": "completed_share", "min_percent": 100},
         {"type": "ldtt_share", "min_percent": 70},
         {"type": "cstdcs_count", "min": 1},
         {"type": "disciplined_max", "max": 0}]

    ``excludes``: award codes that cannot be given for the same achievement
    (the same year) together with this one (Law Art. 5).
    ``options``: named choices where the text is not settled, each with its
    note, e.g. ``{"earlier_award_within_window": {"value": false,
    "award_types": ["bk_ubnd"], "note": "…"}}``.
    """

    rule_set = models.ForeignKey(
        RuleSet,
        verbose_name=_("rule set"),
        on_delete=models.CASCADE,
        related_name="rules",
        db_index=False,
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award type"), on_delete=models.PROTECT, related_name="rules"
    )
    quota_kind = models.CharField(
        _("quota"), max_length=10, choices=QuotaKind.choices, default=QuotaKind.NONE
    )
    quota_count = models.PositiveSmallIntegerField(_("quota (number)"), null=True, blank=True)
    quota_percent = models.DecimalField(
        _("quota (percent)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    quota_rounding = models.CharField(
        _("rounding"), max_length=10, choices=Rounding.choices, default=Rounding.DOWN
    )
    quota_of = models.ForeignKey(
        AwardType,
        verbose_name=_("percentage counted on those eligible for"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty: the percentage is counted on the bloc's members."),
    )
    threshold_percent = models.PositiveSmallIntegerField(
        _("vote threshold (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    threshold_base = models.CharField(
        _("threshold counted on"),
        max_length=10,
        choices=ThresholdBase.choices,
        default=ThresholdBase.ALL_MEMBERS,
    )
    prerequisites = models.JSONField(_("prerequisites (any of)"), default=list, blank=True)
    conditions = models.JSONField(_("conditions (all of)"), default=list, blank=True)
    excludes = models.JSONField(_("not together with (same achievement)"), default=list, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    disqualifying_kinds = models.JSONField(_("disqualifying facts"), default=list, blank=True)
    registration_required = models.BooleanField(_("registration required"), default=False)
    min_rank = models.PositiveSmallIntegerField(_("minimum rank"), null=True, blank=True)
    min_score = models.DecimalField(
        _("minimum score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    members_only = models.BooleanField(_("only for bloc members"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("award rule")
        verbose_name_plural = _("award rules")
        ordering = ["rule_set", "award_type__order"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "award_type"], name="awardrule_unique"),
            models.CheckConstraint(
                name="awardrule_quota_shape",
                condition=Q(quota_kind=QuotaKind.NONE)
                | Q(quota_kind=QuotaKind.COUNT, quota_count__isnull=False)
                | Q(quota_kind=QuotaKind.PERCENT, quota_percent__isnull=False),
            ),
            models.CheckConstraint(
                name="awardrule_threshold_range",
                condition=Q(threshold_percent__isnull=True)
                | (Q(threshold_percent__gte=1) & Q(threshold_percent__lte=100)),
            ),
            models.CheckConstraint(
                name="awardrule_quota_percent_range",
                condition=Q(quota_percent__isnull=True)
                | (Q(quota_percent__gt=0) & Q(quota_percent__lte=100)),
            ),
        ]

    def __str__(self):
        return f"{self.award_type} – {self.rule_set}"

    def quota_for(self, member_count: int) -> int | None:
        """How many of ``member_count`` may be proposed; None = no quota."""
        if self.quota_kind == QuotaKind.COUNT:
            return self.quota_count
        if self.quota_kind == QuotaKind.PERCENT:
            return share_of_count(member_count, self.quota_percent, self.quota_rounding)
        return None
