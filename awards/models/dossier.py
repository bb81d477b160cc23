"""The dossier of a bloc-year assembled for download: one ZIP and one merged PDF
of its issued documents, built in the background (awards.documents.export)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from awards.enums import DossierExportState
from emulation.uploads import RandomName


class DossierExport(models.Model):
    """One request to assemble the dossier. Written only by the services of
    ``awards.documents.export``: the request, the progress, the result."""

    bloc_year = models.ForeignKey(
        "blocs.BlocYear",
        verbose_name=_("bloc-year"),
        on_delete=models.CASCADE,
        related_name="dossier_exports",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=DossierExportState.choices,
        default=DossierExportState.QUEUED,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("current step"), max_length=200, blank=True)
    archive = models.FileField(
        _("ZIP file"), upload_to=RandomName("dossiers"), max_length=200, blank=True
    )
    merged_pdf = models.FileField(
        _("merged PDF"), upload_to=RandomName("dossiers"), max_length=200, blank=True
    )
    documents = models.PositiveSmallIntegerField(_("documents"), default=0)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("dossier export")
        verbose_name_plural = _("dossier exports")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="dossierexport_progress_percent", condition=Q(progress__lte=100)
            ),
            models.CheckConstraint(
                name="dossierexport_done_has_files",
                condition=~Q(state=DossierExportState.DONE) | (~Q(archive="") & ~Q(merged_pdf="")),
            ),
        ]

    def __str__(self):
        return f"{self.bloc_year} – {self.get_state_display()}"

    @property
    def pending(self) -> bool:
        return self.state in DossierExportState.pending()
