from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyRole(models.TextChoices):
    """What a user does for their agency."""

    OFFICER = "officer", _("Emulation officer")
    HEAD = "head", _("Head of agency")
