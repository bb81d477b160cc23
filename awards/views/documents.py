"""The documents of a bloc-year's dossier: list, preview, draft download, issue,
the narrative sections the secretariat writes, and the whole dossier assembled
in the background as one ZIP and one merged PDF.

Whoever sees the bloc-year sees the list and downloads the issued versions
(through emulation.documents' protected download) and the assembled dossier;
only the secretariat previews, downloads drafts, writes the narratives,
issues and assembles the dossier, and so may an administrator (403 otherwise:
awards.prepare_documents)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards.documents.builders import DocumentEntry, documents_for, entry_for
from awards.documents.dossier import dossier_document_issue
from awards.documents.export import dossier_export_request, dossier_filename
from awards.documents.narratives import narrative_save, narratives_of
from awards.documents.selectors import get_dossier_export_for, latest_dossier_export
from awards.enums import DossierExportState
from awards.forms.documents import IssueForm, NarrativeForm
from blocs.models import BlocYear
from blocs.selectors import get_bloc_year_for
from emulation.documents import render_body, render_docx, render_pdf
from emulation.documents.responses import CONTENT_TYPES, document_response
from emulation.documents.services import subject_key_for
from emulation.models import IssuedDocument
from emulation.refusals import refusal_text, require

DOSSIER_FILES = {"zip": ("archive", "application/zip"), "pdf": ("merged_pdf", "application/pdf")}


def bloc_year_for_documents(user, pk: int, *, manage: bool = False) -> BlocYear:
    """Fetch and authorise: 404 if the user cannot see the bloc-year, 403 if
    ``manage`` and the user is not in its secretariat."""
    bloc_year = get_bloc_year_for(user, pk)
    if manage:
        require(user, "awards.prepare_documents", bloc_year)
    return bloc_year


def _entry_or_404(bloc_year: BlocYear, slug: str) -> DocumentEntry:
    entry = entry_for(bloc_year, slug)
    if entry is None:
        raise Http404
    return entry


@require_GET
@login_required
def document_list(request, pk: int):
    bloc_year = bloc_year_for_documents(request.user, pk)
    entries = documents_for(bloc_year)
    issued: dict[tuple[str, str], list[IssuedDocument]] = {}
    for document in (
        IssuedDocument.objects.filter(bloc_year=bloc_year)
        .select_related("issued_by")
        .order_by("kind", "subject_key", "-version")
    ):
        issued.setdefault((document.kind, document.subject_key), []).append(document)
    rows = []
    for entry in entries:
        key = (entry.kind.value, subject_key_for(bloc_year=bloc_year, target=entry.target))
        rows.append({"entry": entry, "issued": issued.pop(key, [])})
    # Issued documents whose subject is no longer in the dossier (e.g. an agency
    # no longer proposed) stay listed: an issued document never disappears.
    others = [document for versions in issued.values() for document in versions]
    return render(
        request,
        "awards/documents/list.html",
        {
            "bloc_year": bloc_year,
            "rows": rows,
            "others": others,
            "export": latest_dossier_export(bloc_year),
            "can_manage": request.user.has_perm("awards.prepare_documents", bloc_year),
        },
    )


def _preview_context(bloc_year: BlocYear, entry: DocumentEntry, form: IssueForm) -> dict:
    spec = entry.build(bloc_year, draft=True)
    return {
        "bloc_year": bloc_year,
        "entry": entry,
        "spec": spec,
        "incomplete": spec.incomplete(),
        "document_body": mark_safe(render_body(spec)),  # noqa: S308 - escaped
        "form": form,
    }


@require_GET
@login_required
def document_preview(request, pk: int, slug: str):
    bloc_year = bloc_year_for_documents(request.user, pk, manage=True)
    entry = _entry_or_404(bloc_year, slug)
    form = IssueForm(
        initial={"number": entry.number_suffix, "date": timezone.localdate().isoformat()}
    )
    return render(
        request, "awards/documents/preview.html", _preview_context(bloc_year, entry, form)
    )


@require_GET
@login_required
def document_draft_download(request, pk: int, slug: str, fmt: str):
    """The document as it would be issued today, marked "DỰ THẢO", never stored."""
    bloc_year = bloc_year_for_documents(request.user, pk, manage=True)
    entry = _entry_or_404(bloc_year, slug)
    if fmt not in CONTENT_TYPES:
        raise Http404
    spec = entry.build(bloc_year, draft=True)
    data = render_docx(spec) if fmt == "docx" else render_pdf(spec)
    return document_response(data, fmt=fmt, filename=entry.filename(fmt, draft=True))


@require_POST
@login_required
def document_issue_view(request, pk: int, slug: str):
    bloc_year = bloc_year_for_documents(request.user, pk, manage=True)
    entry = _entry_or_404(bloc_year, slug)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            document = dossier_document_issue(
                actor=request.user,
                bloc_year=bloc_year,
                slug=entry.slug,
                number=form.cleaned_data["number"],
                date=form.cleaned_data["date"],
            )
        except ValidationError as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(
                request,
                _("%(title)s has been issued as number %(number)s (version %(version)s).")
                % {"title": entry.title, "number": document.number, "version": document.version},
            )
            return redirect("awards:document_list", pk=bloc_year.pk)
    return render(
        request,
        "awards/documents/preview.html",
        _preview_context(bloc_year, entry, form),
        status=400,
    )


@require_http_methods(["GET", "POST"])
@login_required
def narrative_edit(request, pk: int):
    bloc_year = bloc_year_for_documents(request.user, pk, manage=True)
    if request.method == "POST":
        form = NarrativeForm(request.POST)
        if form.is_valid():
            try:
                narrative_save(actor=request.user, bloc_year=bloc_year, texts=form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, refusal_text(exc))
            else:
                messages.success(request, _("The sections of the report have been saved."))
                return redirect("awards:document_list", pk=bloc_year.pk)
    else:
        form = NarrativeForm(initial=narratives_of(bloc_year))
    return render(
        request,
        "awards/documents/narratives.html",
        {"bloc_year": bloc_year, "form": form},
    )


@require_POST
@login_required
def dossier_export_start(request, pk: int):
    """Queue the assembly of the dossier; its page shows the progress."""
    bloc_year = bloc_year_for_documents(request.user, pk, manage=True)
    try:
        export = dossier_export_request(actor=request.user, bloc_year=bloc_year)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
        return redirect("awards:document_list", pk=bloc_year.pk)
    return redirect("awards:dossier_export_detail", pk=bloc_year.pk, export_pk=export.pk)


@require_GET
@login_required
def dossier_export_detail(request, pk: int, export_pk: int):
    """The assembly's progress (htmx asks again every few seconds while it runs)
    and, once ready, the downloads."""
    export = get_dossier_export_for(request.user, pk, export_pk)
    context = {
        "bloc_year": export.bloc_year,
        "export": export,
        "can_manage": request.user.has_perm("awards.prepare_documents", export.bloc_year),
    }
    if request.htmx:
        return render(request, "awards/documents/_dossier_progress.html", context)
    return render(request, "awards/documents/dossier.html", context)


@require_GET
@login_required
def dossier_export_download(request, pk: int, export_pk: int, fmt: str):
    export = get_dossier_export_for(request.user, pk, export_pk)
    if fmt not in DOSSIER_FILES or export.state != DossierExportState.DONE:
        raise Http404
    field, content_type = DOSSIER_FILES[fmt]
    response = FileResponse(
        getattr(export, field).open("rb"),
        as_attachment=fmt == "zip",
        filename=dossier_filename(export, fmt),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
