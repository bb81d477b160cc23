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
