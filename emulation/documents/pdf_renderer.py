"""PDF rendering with WeasyPrint from templates/documents/document.html.

The stylesheet (templates/documents/document.css) is passed to WeasyPrint
apart from the HTML, so the HTML carries no inline style. The font is
"Times New Roman" falling back to "Liberation Serif" (metric-compatible,
Debian's fonts-liberation), so the PDF's line breaks match Word's."""

from __future__ import annotations

from django.template.loader import render_to_string

from emulation.documents.docx_renderer import MARGINS_MM
from emulation.documents.spec import (
    NATIONAL_MOTTO,
    NATIONAL_NAME,
    DocumentSpec,
    Heading,
    Paragraph,
    Table,
)


def render_html(spec: DocumentSpec) -> str:
    """The document as HTML (the PDF's source; also usable as a preview)."""
    blocks = []
    for block in spec.body:
        if isinstance(block, Heading):
            blocks.append({"type": "heading", "block": block})
        elif isinstance(block, Paragraph):
            blocks.append({"type": "paragraph", "block": block})
        elif isinstance(block, Table):
            blocks.append({"type": "table", "block": block})
    signatures = list(spec.signatures)
    return render_to_string(
        "documents/document.html",
        {
            "spec": spec,
            "blocks": blocks,
            "national_name": NATIONAL_NAME,
            "national_motto": NATIONAL_MOTTO,
            "first_signature": signatures[0] if signatures else None,
            "other_signatures": signatures[1:],
        },
    )


def render_css(spec: DocumentSpec) -> str:
    return render_to_string(
        "documents/document.css",
        {"landscape": spec.landscape, "margins": MARGINS_MM},
    )


def render_pdf(spec: DocumentSpec) -> bytes:
    from weasyprint import CSS, HTML  # heavy import: only when a PDF is wanted

    html = HTML(string=render_html(spec), base_url=None)
    return html.write_pdf(stylesheets=[CSS(string=render_css(spec))])
