from django.contrib import admin

from blocs.models import Agency, AgencyLineage, Bloc, BlocYear, EmulationYear, Membership, Province
from emulation.admin_site import AuditedAdmin, ReadOnlyAdmin


@admin.register(Province)
class ProvinceAdmin(AuditedAdmin):
    # The vocabulary is checked by its field's validator, as on the council's page.
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("code", "name", "short_name", "province", "active_from", "active_to")
    list_filter = ("province",)
    search_fields = ("code", "name", "short_name")
    list_select_related = ("province",)


@admin.register(AgencyLineage)
class AgencyLineageAdmin(AuditedAdmin):
    list_display = ("predecessor", "successor", "kind", "effective_date")
    list_filter = ("kind",)
    list_select_related = ("predecessor", "successor")
    autocomplete_fields = ("predecessor", "successor")


@admin.register(Bloc)
class BlocAdmin(AuditedAdmin):
    list_display = ("code", "name", "abbreviation", "kind", "province", "is_active")
    list_filter = ("province", "kind", "is_active")
    search_fields = ("code", "name")
    list_select_related = ("province",)

    def get_readonly_fields(self, request, obj=None):
        # A bloc stays in its province: its bloc-years are of that province's
        # years (BlocYear.clean), and no page moves a bloc.
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, "province") if obj is not None else readonly


@admin.register(EmulationYear)
class EmulationYearAdmin(AuditedAdmin):
    list_display = ("year", "province", "registration_deadline", "self_assessment_deadline")
    list_filter = ("province",)
    list_select_related = ("province",)


class MembershipInline(ReadOnlyAdmin, admin.TabularInline):
    """Members are added, changed and removed by the services (the pages)."""

    model = Membership
    extra = 0
    fields = ("agency", "role", "rotation_order")


@admin.register(BlocYear)
class BlocYearAdmin(AuditedAdmin):
    list_display = ("bloc", "year", "phase")
    list_filter = ("phase", "year__year", "bloc__province")
    list_select_related = ("bloc", "year")
    readonly_fields = ("phase", "phase_changed_at")
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        # A bloc-year is not moved to another bloc or year: its members,
        # assessments and proposal belong to that bloc's year.
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, "bloc", "year") if obj is not None else readonly


# --- Start of the year: read-only here; the pages and services write. --------------
from blocs.models import (  # noqa: E402
    Covenant,
    Movement,
    Registration,
    RegistrationTarget,
)


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("title", "launched_by", "starts_on", "ends_on", "province", "is_active")
    list_filter = ("province", "launched_by", "is_active")
    search_fields = ("title", "launch_document", "anniversary")
    list_select_related = ("province",)


@admin.register(Covenant)
class CovenantAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("bloc_year", "number", "signed_on", "state")
    list_filter = ("state",)
    list_select_related = ("bloc_year__bloc", "bloc_year__year")


class RegistrationTargetInline(ReadOnlyAdmin, admin.TabularInline):
    model = RegistrationTarget
    fields = ("order", "indicator", "unit", "target_value")
    extra = 0


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("membership", "state", "submitted_at")
    list_filter = ("state", "membership__bloc_year__year__year")
    search_fields = ("membership__agency__name", "membership__agency__code")
    list_select_related = ("membership__agency", "membership__bloc_year__bloc")
    inlines = [RegistrationTargetInline]
