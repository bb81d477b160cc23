from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from awards.models import (
    AgencyYearFact,
    AwardRecord,
    AwardRule,
    AwardType,
    BaseSalary,
    CouncilVote,
    CouncilVoteThreshold,
    Disqualification,
    PrizeCoefficient,
    RuleSet,
)
from awards.services.rules import RULE_FIELDS, validate_rule_values
from emulation.admin_site import AuditedAdmin, ReadOnlyAdmin


@admin.register(AwardType)
class AwardTypeAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "level", "for_collective", "is_active", "order")
    list_filter = ("kind", "level", "for_collective", "is_active")
    search_fields = ("code", "name")


class AwardRuleAdminForm(forms.ModelForm):
    class Meta:
        model = AwardRule
        fields = ("award_type", *RULE_FIELDS)

    def clean(self):
        data = super().clean()
        try:
            cleaned = validate_rule_values({f: data.get(f) for f in RULE_FIELDS if f in data})
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        data.update(cleaned)
        return data


class AwardRuleInline(admin.StackedInline):
    model = AwardRule
    form = AwardRuleAdminForm
    extra = 0
    autocomplete_fields = ("award_type",)


@admin.register(RuleSet)
class RuleSetAdmin(AuditedAdmin):
    list_display = ("name", "province", "first_year", "last_year", "legal_basis")
    list_filter = ("province",)
    inlines = [AwardRuleInline]


# Facts, disqualifications and award records decide eligibility: they are
# written by their pages and importers, through audited services.
@admin.register(AgencyYearFact)
class AgencyYearFactAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("agency", "year", "rating", "women_percent")
    list_filter = ("year", "rating")
    search_fields = ("agency__name", "agency__code")
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)


@admin.register(Disqualification)
class DisqualificationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("agency", "year", "kind", "source_document", "started_on", "ended_on")
    list_filter = ("year", "kind")
    search_fields = ("agency__name", "source_document")
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)


@admin.register(AwardRecord)
class AwardRecordAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("agency", "award_type", "year", "decision_number", "decision_date", "source")
    list_filter = ("year", "award_type", "source", "one_off")
    search_fields = ("agency__name", "decision_number")
    list_select_related = ("agency", "award_type")
    autocomplete_fields = ("agency",)


# The council's numbers, as data with their sources (thresholds of its vote,
# prize money): configuration, changed by the admin with an audit trail.
@admin.register(CouncilVoteThreshold)
class CouncilVoteThresholdAdmin(AuditedAdmin):
    list_display = (
        "award_type",
        "percent",
        "province",
        "valid_from",
        "valid_to",
        "confirmed",
        "source",
    )
    list_filter = ("award_type", "province", "confirmed")
    list_select_related = ("award_type", "province")


@admin.register(PrizeCoefficient)
class PrizeCoefficientAdmin(AuditedAdmin):
    list_display = (
        "award_type",
        "coefficient",
        "province",
        "valid_from",
        "valid_to",
        "confirmed",
        "source",
    )
    list_filter = ("award_type", "province", "confirmed")
    list_select_related = ("award_type", "province")


@admin.register(BaseSalary)
class BaseSalaryAdmin(AuditedAdmin):
    list_display = ("valid_from", "amount", "confirmed", "source")


@admin.register(CouncilVote)
class CouncilVoteAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("item", "members", "votes_for", "votes_against", "written", "threshold_percent")
    list_select_related = ("item__agency", "item__award_type")
