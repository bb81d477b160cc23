"""The dossier of a bloc-year in one download: a ZIP with every issued document
in PDF and DOCX, a table of contents and the evidence index, and one merged PDF
in the order a council files it.

``assemble_dossier`` builds the files (the management command ``export_dossier``
calls it directly); on the page, ``dossier_export_request`` queues the work for
Django's task framework and ``dossier_export_run`` (the task) records its
progress on the DossierExport row, so the page can show it while a worker
assembles the files."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from pypdf import PdfReader, PdfWriter

from awards.documents.builders.common import bloc_spec
from awards.documents.selectors import dossier_documents, dossier_evidence
from awards.enums import DossierExportState
from awards.models import DossierExport
from blocs.models import BlocYear
from emulation import audit
from emulation.documents import Paragraph, Table, render_docx, render_pdf
from emulation.excel import workbook_bytes
from emulation.models import IssuedDocument, User
from emulation.text import download_name

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class AssembledDossier:
    archive: bytes  # the ZIP
    merged_pdf: bytes
    documents: int
    pages: int  # of the merged PDF: the table of contents and every document
    part_pages: tuple[int, ...]  # the table of contents first, then each document
    archive_name: str  # "ho-so-tmth-2023.zip"
    merged_name: str  # "ho-so-tmth-2023.pdf"


def _quiet(percent: int, step: str) -> None:
    """Progress nobody watches."""


def _dossier_name(bloc_year: BlocYear, extension: str) -> str:
    return download_name("Hồ sơ", bloc_year.bloc.code, bloc_year.year.year, extension=extension)


def _page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def _number_and_date(document: IssuedDocument) -> str:
    date = document.date.strftime("%d/%m/%Y")
    return f"{document.number}, ngày {date}" if document.number else f"Ngày {date}"


def _contents_spec(
    bloc_year: BlocYear, documents: list[IssuedDocument], pages: list[int], first: int
):
    """The table of contents: each document, its number and date, its pages in
    the merged PDF (``first``: the page where the first document starts)."""
    rows, page = [], first
    for index, (document, count) in enumerate(zip(documents, pages, strict=True), start=1):
        span = str(page) if count == 1 else f"{page}–{page + count - 1}"
        rows.append([str(index), document.title, _number_and_date(document), span])
        page += count
    return bloc_spec(
        bloc_year,
        kind_name="MỤC LỤC HỒ SƠ",
        summary=f"Hồ sơ thi đua, khen thưởng năm {bloc_year.year.year}",
        number="",
        date=timezone.localdate(),
        draft=False,
        body=[
            Paragraph(
                f"Hồ sơ gồm {len(documents)} văn bản đã ban hành, xếp theo thứ tự lưu hồ sơ; "
                "số trang tính trên tệp PDF ghép toàn bộ hồ sơ."
            ),
            Table(
                ["STT", "Tên văn bản", "Số, ngày văn bản", "Trang"],
                rows,
                widths=[1, 8, 4, 1.6],
                numeric=(3,),
            ),
        ],
        signatures=[],
    )


def _evidence_index(bloc_year: BlocYear) -> bytes:
    rows = [
        [
            index,
            evidence.item.assessment.membership.agency.name,
            evidence.item.criterion.code,
            evidence.original_name,
            evidence.kind.upper(),
            round(evidence.size / 1024, 1),
            timezone.localtime(evidence.uploaded_at).strftime("%d/%m/%Y %H:%M"),
        ]
        for index, evidence in enumerate(dossier_evidence(bloc_year), start=1)
    ]
    return workbook_bytes(
        ["STT", "Đơn vị", "Tiêu chí", "Tên tệp minh chứng", "Loại", "Dung lượng (KB)", "Tải lên"],
        rows,
        title="Danh mục minh chứng",
    )


def assemble_dossier(bloc_year: BlocYear, *, on_progress: Progress = _quiet) -> AssembledDossier:
    """Read the newest issued version of every document of the bloc-year and
    build the ZIP and the merged PDF. Refused when nothing has been issued."""
    documents = dossier_documents(bloc_year)
    if not documents:
        raise ValidationError(
            _("No document of this bloc-year has been issued yet: issue them first.")
        )
    on_progress(5, _("Reading the issued documents"))
    pdfs, docxs = [], []
    for index, document in enumerate(documents, start=1):
        with document.pdf.open("rb") as handle:
            pdfs.append(handle.read())
        with document.docx.open("rb") as handle:
            docxs.append(handle.read())
        on_progress(5 + 45 * index // len(documents), document.title)
    pages = [_page_count(data) for data in pdfs]

    on_progress(55, _("Writing the table of contents"))
    with translation.override("vi"):
        # The contents' own length decides where the first document starts.
        contents_pdf, contents_pages = b"", 1
        for _attempt in range(3):
            spec = _contents_spec(bloc_year, documents, pages, contents_pages + 1)
            contents_pdf = render_pdf(spec)
            if _page_count(contents_pdf) == contents_pages:
                break
            contents_pages = _page_count(contents_pdf)
        contents_docx = render_docx(spec)

    on_progress(70, _("Merging the PDF files"))
    writer = PdfWriter()
    writer.append(io.BytesIO(contents_pdf), outline_item="Mục lục hồ sơ")
    for document, data in zip(documents, pdfs, strict=True):
        writer.append(io.BytesIO(data), outline_item=document.title)
    merged = io.BytesIO()
    writer.write(merged)
    merged_pdf = merged.getvalue()

    on_progress(85, _("Writing the evidence index and the ZIP file"))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(download_name("00 Mục lục hồ sơ", extension="pdf"), contents_pdf)
        zf.writestr(download_name("00 Mục lục hồ sơ", extension="docx"), contents_docx)
        for index, (document, pdf, docx) in enumerate(
            zip(documents, pdfs, docxs, strict=True), start=1
        ):
            zf.writestr(f"{index:02d}-{document.filename('pdf')}", pdf)
            zf.writestr(f"{index:02d}-{document.filename('docx')}", docx)
        evidence_name = download_name("Danh mục minh chứng", extension="xlsx")
        zf.writestr(evidence_name, _evidence_index(bloc_year))
        zf.writestr(_dossier_name(bloc_year, "pdf"), merged_pdf)
    on_progress(95, _("Storing the dossier"))
    return AssembledDossier(
        archive=archive.getvalue(),
        merged_pdf=merged_pdf,
        documents=len(documents),
        pages=_page_count(merged_pdf),
        part_pages=(_page_count(contents_pdf), *pages),
        archive_name=_dossier_name(bloc_year, "zip"),
        merged_name=_dossier_name(bloc_year, "pdf"),
    )


def dossier_export_request(*, actor: User, bloc_year: BlocYear) -> DossierExport:
    """Queue the assembly of the bloc-year's dossier (a worker runs it). While
    one is queued or running, that one is returned instead of a second."""
    with transaction.atomic():
        locked = BlocYear.objects.select_for_update().get(pk=bloc_year.pk)
        pending = (
            DossierExport.objects.filter(bloc_year=locked, state__in=DossierExportState.pending())
            .order_by("-requested_at")
            .first()
        )
        if pending is not None:
            return pending
        if not IssuedDocument.objects.filter(bloc_year=locked).exists():
            raise ValidationError(
                _("No document of this bloc-year has been issued yet: issue them first.")
            )
        export = DossierExport.objects.create(
            bloc_year=locked, requested_by=actor, step=_("Waiting for the worker")
        )
        audit.record(actor=actor, action="dossier.request", target=export, data={})
        transaction.on_commit(lambda: dossier_assemble.enqueue(export.pk))
    return export


def _progress_of(export_id: int) -> Progress:
    def record(percent: int, step: str) -> None:
        DossierExport.objects.filter(pk=export_id).update(progress=percent, step=str(step)[:200])

    return record


def dossier_export_run(*, export_id: int) -> DossierExport:
    """Assemble a queued dossier, recording the progress as it goes; store the
    ZIP and the merged PDF, or the reason it failed."""
    with transaction.atomic():
        export = (
            DossierExport.objects.select_for_update(of=("self",))
            .select_related("bloc_year__bloc", "bloc_year__year", "requested_by")
            .get(pk=export_id)
        )
        if export.state != DossierExportState.QUEUED:
            return export
        export.state, export.step = DossierExportState.RUNNING, _("Starting")
        export.save(update_fields=["state", "step"])
    try:
        assembled = assemble_dossier(export.bloc_year, on_progress=_progress_of(export.pk))
    except Exception as exc:  # noqa: BLE001 - whatever failed is shown, the worker goes on
        logger.exception("Assembling dossier export %s failed", export.pk)
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        with transaction.atomic():
            export = DossierExport.objects.select_for_update().get(pk=export.pk)
            export.state, export.error = DossierExportState.FAILED, message[:2000]
            export.finished_at = timezone.now()
            export.save(update_fields=["state", "error", "finished_at"])
            audit.record(
                actor=export.requested_by,
                action="dossier.fail",
                target=export,
                data={"error": export.error},
            )
        return export
    with transaction.atomic():
        export = DossierExport.objects.select_for_update().get(pk=export.pk)
        export.archive.save(assembled.archive_name, ContentFile(assembled.archive), save=False)
        export.merged_pdf.save(assembled.merged_name, ContentFile(assembled.merged_pdf), save=False)
        export.state, export.progress = DossierExportState.DONE, 100
        export.step = ""
        export.documents, export.pages = assembled.documents, assembled.pages
        export.finished_at = timezone.now()
        export.save(
            update_fields=[
                "archive",
                "merged_pdf",
                "state",
                "progress",
                "step",
                "documents",
                "pages",
                "finished_at",
            ]
        )
        audit.record(
            actor=export.requested_by,
            action="dossier.assemble",
            target=export,
            data={"documents": assembled.documents, "pages": assembled.pages},
        )
    return export


@task()
def dossier_assemble(export_id: int) -> str:
    """The background task: assemble one queued dossier; returns its state."""
    return str(dossier_export_run(export_id=export_id).state)


def dossier_filename(export: DossierExport, extension: str) -> str:
    """ "ho-so-tmth-2023.zip", "ho-so-tmth-2023.pdf"."""
    return _dossier_name(export.bloc_year, extension)


__all__ = [
    "AssembledDossier",
    "assemble_dossier",
    "dossier_assemble",
    "dossier_export_request",
    "dossier_export_run",
    "dossier_filename",
]
