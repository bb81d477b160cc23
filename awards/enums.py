"""Choices of the awards app: the catalogue, rules, facts and history."""

from django.db import models
from django.utils.translation import pgettext_lazy


class AwardKind(models.TextChoices):
    TITLE = "title", pgettext_lazy("award kind", "Emulation title")
    FORM = "form", pgettext_lazy("award kind", "Commendation form")


class AwardLevel(models.TextChoices):
    """Who confers the award."""

    STATE = "state", pgettext_lazy("award level", "State / Government")
    PROVINCE = "province", pgettext_lazy("award level", "Province")
    AGENCY = "agency", pgettext_lazy("award level", "Agency (grassroots)")
