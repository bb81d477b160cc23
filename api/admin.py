from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api.models import ApiCall, ApiClient
from api.services import api_client_revoke
from emulation.admin_site import ReadOnlyAdmin


@admin.register(ApiClient)
class ApiClientAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Clients are made with ``manage.py create_api_client`` (which prints the
    token once); here they are inspected and revoked."""

    list_display = ["name", "province", "can_write", "token_prefix", "created_at", "revoked_at"]
    list_filter = ["can_write", "province"]
    search_fields = ["name", "token_prefix"]
    readonly_fields = ["token_prefix", "created_at", "revoked_at"]
    exclude = ["token_digest"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected clients' tokens"))
    def revoke(self, request, queryset):
        clients = list(queryset.filter(revoked_at__isnull=True))
        for client in clients:
            api_client_revoke(actor=request.user, client=client)
        self.message_user(
            request,
            ngettext("%(count)d client revoked.", "%(count)d clients revoked.", len(clients))
            % {"count": len(clients)},
            messages.SUCCESS,
        )


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["at", "client", "method", "path", "status"]
    list_filter = ["status", "method", "client"]
    search_fields = ["path"]
    date_hierarchy = "at"
