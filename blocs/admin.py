from django.contrib import admin

from blocs.models import Agency, AgencyLineage, Bloc, BlocYear, EmulationYear, Membership, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "province", "active_from", "active_to")
    list_filter = ("province",)
    search_fields = ("code", "name", "short_name")
    list_select_related = ("province",)


@admin.register(AgencyLineage)
class AgencyLineageAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "successor", "kind", "effective_date")
    list_filter = ("kind",)
    list_select_related = ("predecessor", "successor")
    autocomplete_fields = ("predecessor", "successor")


@admin.register(Bloc)
class BlocAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "province", "is_active")
    list_filter = ("province", "kind", "is_active")
    search_fields = ("code", "name")
    list_select_related = ("province",)


@admin.register(EmulationYear)
class EmulationYearAdmin(admin.ModelAdmin):
    list_display = ("year", "province", "registration_deadline", "self_assessment_deadline")
    list_filter = ("province",)
    list_select_related = ("province",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("agency",)
    readonly_fields = ("agency", "role", "rotation_order")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BlocYear)
class BlocYearAdmin(admin.ModelAdmin):
    list_display = ("bloc", "year", "phase")
    list_filter = ("phase", "year__year", "bloc__province")
    list_select_related = ("bloc", "year")
    readonly_fields = ("phase", "phase_changed_at")
    inlines = [MembershipInline]


# --- Start of the year: read-only here; the pages and services write. --------------
from blocs.models import (  # noqa: E402
    Covenant,
    Movement,
    Registration,
    RegistrationTarget,
)


class _ReadOnly:
    """Shown for inspection; changes go through the application's services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Movement)
class MovementAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("title", "launched_by", "starts_on", "ends_on", "province", "is_active")
    list_filter = ("province", "launched_by", "is_active")
    search_fields = ("title", "launch_document", "anniversary")
    list_select_related = ("province",)


@admin.register(Covenant)
class CovenantAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("bloc_year", "number", "signed_on", "state")
    list_filter = ("state",)
    list_select_related = ("bloc_year__bloc", "bloc_year__year")


class RegistrationTargetInline(_ReadOnly, admin.TabularInline):
    model = RegistrationTarget
    fields = ("order", "indicator", "unit", "target_value")
    extra = 0


@admin.register(Registration)
class RegistrationAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("membership", "state", "submitted_at")
    list_filter = ("state", "membership__bloc_year__year__year")
    search_fields = ("membership__agency__name", "membership__agency__code")
    list_select_related = ("membership__agency", "membership__bloc_year__bloc")
    inlines = [RegistrationTargetInline]
