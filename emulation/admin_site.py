from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class EmulationAdminSite(admin.AdminSite):
    """The Django admin, for superusers only."""

    site_header = _("Emulation blocs – administration")
    site_title = _("Emulation blocs administration")
    index_title = _("Administration")

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
