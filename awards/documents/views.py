from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from awards.documents.selectors import get_issued_document_for
from emulation.uploads import protected_download


@require_GET
@login_required
def issued_document_download(request, pk: int, fmt: str):
    """Download an issued document (DOCX or PDF) after checking who may see it."""
    document = get_issued_document_for(request.user, pk)
    if fmt not in ("docx", "pdf"):
        raise Http404
    return protected_download(getattr(document, fmt), document.filename(fmt), inline=(fmt == "pdf"))
