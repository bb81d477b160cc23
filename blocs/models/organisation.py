"""Provinces, agencies and their lineage, blocs, years and memberships."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from blocs.enums import SECRETARIAT_ROLES, BlocKind, LineageKind, MemberRole, Phase
from emulation.vocabulary import SYMBOL_MAX_LENGTH, validate_symbol, validate_vocabulary


class Province(models.Model):
    """The tenant: council staff belong to one province and see only it."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # The province's rule for its blocs' year-end conferences (provincial
    # guidance, no national number): at least this share of a bloc's members
    # must be present to open a vote, and must have cast a ballot to close it.
    # A conference may ask for more, never for less.
    quorum_numerator = models.PositiveSmallIntegerField(
        _("conference quorum: numerator"), default=2
    )
    quorum_denominator = models.PositiveSmallIntegerField(
        _("conference quorum: denominator"),
        default=3,
        help_text=_(
            "At least this share of a bloc's members must be present to open a vote "
            "and must have voted to close it, e.g. 2/3."
        ),
    )
    # The province's words for positions, document symbols and the way a
    # deduction is written, over the defaults (emulation.vocabulary); pages and
    # documents read them through blocs.selectors.vocabulary_for.
    vocabulary = models.JSONField(
        _("vocabulary"),
        default=dict,
        blank=True,
        validators=[validate_vocabulary],
        help_text=_("Terms that differ from the defaults, by name; empty keeps every default."),
    )

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="province_quorum_fraction",
                condition=Q(quorum_numerator__gte=1)
                & Q(quorum_denominator__gte=1)
                & Q(quorum_numerator__lte=F("quorum_denominator")),
            ),
        ]

    def __str__(self):
        return self.name


class Agency(models.Model):
    """A provincial body. Its identity is stable; its names may change."""

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="agencies"
    )
    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short unique code, e.g. stc for Sở Tài chính."),
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active until"), null=True, blank=True)
    # When the row last changed, for the API's incremental sync (updated_since).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="agency_active_range",
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=F("active_from")),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class AgencyLineage(models.Model):
    """Predecessor → successor, so that history follows an agency."""

    predecessor = models.ForeignKey(
        Agency,
        verbose_name=_("predecessor"),
        on_delete=models.PROTECT,
        related_name="successor_links",
        db_index=False,
    )
    successor = models.ForeignKey(
        Agency,
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        related_name="predecessor_links",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LineageKind.choices)
    effective_date = models.DateField(_("effective date"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("agency lineage")
        verbose_name_plural = _("agency lineage")
        ordering = ["effective_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="lineage_unique_pair"
            ),
            models.CheckConstraint(
                name="lineage_not_self", condition=~Q(predecessor=F("successor"))
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.get_kind_display()})"


class Bloc(models.Model):
    """An emulation bloc (khối) or cluster (cụm) of a province."""

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="blocs"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    abbreviation = models.CharField(
        _("abbreviation"),
        max_length=SYMBOL_MAX_LENGTH,
        blank=True,
        validators=[validate_symbol],
        help_text=_(
            "The bloc's abbreviation in the numbers of its documents, e.g. KTMTH in "
            "01/BB-KTMTH; empty: the province's abbreviation for a bloc."
        ),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=BlocKind.choices, default=BlocKind.BLOC
    )
    is_active = models.BooleanField(_("active"), default=True)
    # When the row last changed, for the API's incremental sync (updated_since).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("bloc")
        verbose_name_plural = _("blocs")
        ordering = ["name"]

    def __str__(self):
        return self.name


class EmulationYear(models.Model):
    """The year of achievement in one province, with its deadlines."""

    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="years",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("year"))
    registration_deadline = models.DateField(_("registration deadline"), null=True, blank=True)
    self_assessment_opens = models.DateField(_("self-assessment opens"), null=True, blank=True)
    self_assessment_deadline = models.DateField(
        _("self-assessment deadline"), null=True, blank=True
    )
    review_deadline = models.DateField(_("review deadline"), null=True, blank=True)
    dispute_deadline = models.DateField(_("dispute deadline"), null=True, blank=True)
    proposal_deadline = models.DateField(_("proposal deadline"), null=True, blank=True)

    class Meta:
        verbose_name = _("emulation year")
        verbose_name_plural = _("emulation years")
        ordering = ["-year", "province__name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="year_unique_per_province"),
            models.CheckConstraint(
                name="year_plausible", condition=Q(year__gte=2000) & Q(year__lte=2100)
            ),
        ]

    def __str__(self):
        return str(self.year)


class BlocYear(models.Model):
    """A bloc in one year: its members, its phase, its scoring table."""

    bloc = models.ForeignKey(
        Bloc,
        verbose_name=_("bloc"),
        on_delete=models.PROTECT,
        related_name="bloc_years",
        db_index=False,
    )
    year = models.ForeignKey(
        EmulationYear,
        verbose_name=_("year"),
        on_delete=models.PROTECT,
        related_name="bloc_years",
    )
    phase = models.CharField(_("phase"), max_length=24, choices=Phase.choices, default=Phase.SETUP)
    phase_changed_at = models.DateTimeField(_("phase changed at"), null=True, blank=True)
    # When the bloc-year, its phase or its members last changed (the API's
    # incremental sync): the membership services touch it too.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("bloc-year")
        verbose_name_plural = _("bloc-years")
        ordering = ["-year__year", "bloc__name"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year"], name="blocyear_unique"),
        ]

    def __str__(self):
        return f"{self.bloc} – {self.year}"

    def clean(self):
        # The bloc and the year are of one province: the council's pages read
        # a province's bloc-years through either (bloc_year_create refuses
        # the others; this holds it for the admin too).
        if (
            self.bloc_id is not None
            and self.year_id is not None
            and self.bloc.province_id != self.year.province_id
        ):
            raise ValidationError(_("The bloc and the year belong to different provinces."))

    @property
    def phase_enum(self) -> Phase:
        return Phase(self.phase)


class Membership(models.Model):
    """An agency's membership of a bloc in a year, with its role."""

    bloc_year = models.ForeignKey(
        BlocYear,
        verbose_name=_("bloc-year"),
        on_delete=models.CASCADE,
        related_name="memberships",
        db_index=False,
    )
    # Denormalised from bloc_year so that the database can hold "an agency in at
    # most one bloc per year"; set only by the services that create memberships.
    year = models.ForeignKey(
        EmulationYear, on_delete=models.PROTECT, related_name="+", editable=False
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="memberships",
        db_index=False,
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    rotation_order = models.PositiveSmallIntegerField(
        _("rotation order"),
        default=0,
        help_text=_("Order in which members take turns to lead the bloc."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["rotation_order", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["bloc_year", "agency"], name="membership_unique"),
            models.UniqueConstraint(fields=["agency", "year"], name="membership_one_bloc_per_year"),
            models.UniqueConstraint(
                fields=["bloc_year"],
                condition=Q(role=MemberRole.LEADER),
                name="membership_one_leader",
            ),
            models.UniqueConstraint(
                fields=["bloc_year"],
                condition=Q(role=MemberRole.DEPUTY),
                name="membership_one_deputy",
            ),
        ]

    def __str__(self):
        return f"{self.agency} ({self.get_role_display()}) – {self.bloc_year}"

    @property
    def is_secretariat(self) -> bool:
        return self.role in SECRETARIAT_ROLES
