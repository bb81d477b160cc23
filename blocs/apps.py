from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlocsConfig(AppConfig):
    name = "blocs"
    verbose_name = _("Emulation blocs")
    default_auto_field = "django.db.models.BigAutoField"
