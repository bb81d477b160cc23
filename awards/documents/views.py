from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from awards.documents.selectors import get_issued_document_for
from emulation.documents.signing import check_signature
from emulation.uploads import protected_download


@require_GET
@login_required
def issued_document_download(request, pk: int, fmt: str):
    """Download an issued document (DOCX or PDF) after checking who may see it."""
    document = get_issued_document_for(request.user, pk)
    if fmt not in ("docx", "pdf"):
        raise Http404
    return protected_download(getattr(document, fmt), document.filename(fmt), inline=(fmt == "pdf"))


@require_GET
@login_required
def issued_document_detail(request, pk: int):
    """An issued version: its number, date, fingerprints, downloads, and whether
    its PDF carries a valid digital signature and who signed it."""
    document = get_issued_document_for(request.user, pk)
    with document.pdf.open("rb") as handle:
        signature = check_signature(handle.read())
    return render(
        request,
        "awards/documents/issued.html",
        {"document": document, "signature": signature},
    )
