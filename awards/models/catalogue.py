"""The award catalogue: emulation titles and commendation forms."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.enums import AwardKind, AwardLevel


class AwardType(models.Model):
    """A title (danh hiệu thi đua) or a commendation form (hình thức khen thưởng)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255, help_text=_("The legal Vietnamese name."))
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=AwardKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=AwardLevel.choices)
    for_collective = models.BooleanField(_("for collectives"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("award type")
        verbose_name_plural = _("award types")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name
