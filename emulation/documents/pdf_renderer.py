"""PDF rendering with WeasyPrint from templates/documents/document.html.

The stylesheet (templates/documents/document.css) is passed to WeasyPrint
apart from the HTML, so the HTML carries no inline style. The font is
"Times New Roman" falling back to "Liberation Serif" (metric-compatible,
Debian's fonts-liberation), so the PDF's line breaks match Word's."""

from __future__ import annotations

from django.template.loader import render_to_string

from emulation.documents.docx_renderer import MARGINS_MM, usable_mm
from emulation.documents.spec import (
    NATIONAL_MOTTO,
    NATIONAL_NAME,
    Block,
    DocumentSpec,
    Heading,
    Paragraph,
    Table,
)


def _block_item(block, index: int) -> dict:
    if isinstance(block, Heading):
        return {"type": "heading", "block": block}
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "block": block}
    return {"type": "table", "block": block, "index": index}


def _tables(spec: DocumentSpec) -> list[dict]:
    """Each table's column widths in percent, for the stylesheet (the HTML
    carries no inline style)."""
    tables = [block for block in spec.body if isinstance(block, Table)]
    return [
        {"index": index, "percents": table.column_percents(usable_mm(spec))}
        for index, table in enumerate(tables)
    ]


def signature_rows(spec: DocumentSpec) -> list[list]:
    """Co-signers side by side, two to a row (a lone signer: one row of one)."""
    signatures = list(spec.signatures)
    return [signatures[i : i + 2] for i in range(0, len(signatures), 2)]


def render_html(spec: DocumentSpec) -> str:
    """The document as HTML (the PDF's source; also usable as a preview)."""
    blocks, tables = [], 0
    for block in spec.body:
        if isinstance(block, Block):
            blocks.append(_block_item(block, tables))
            tables += isinstance(block, Table)
    # The last paragraph goes with the signature block (kept on one page).
    tail = blocks.pop() if blocks and blocks[-1]["type"] != "table" else None
    return render_to_string(
        "documents/document.html",
        {
            "spec": spec,
            "blocks": blocks,
            "tail": tail,
            "national_name": NATIONAL_NAME,
            "national_motto": NATIONAL_MOTTO,
            "signature_rows": signature_rows(spec),
            "recipient_lines": spec.recipient_lines,
        },
    )


def render_body(spec: DocumentSpec) -> str:
    """The <body> of the document's HTML (autoescaped by its template), for a
    page that shows the document: a preview, a print view."""
    html = render_html(spec)
    return html[html.index("<body>") + len("<body>") : html.rindex("</body>")]


def render_css(spec: DocumentSpec) -> str:
    return render_to_string(
        "documents/document.css",
        {"landscape": spec.landscape, "margins": MARGINS_MM, "tables": _tables(spec)},
    )


def html_to_pdf(html: str, css: str) -> bytes:
    """A PDF from HTML and its stylesheet (given apart: the HTML carries no inline style)."""
    from weasyprint import CSS, HTML  # heavy import: only when a PDF is wanted

    return HTML(string=html, base_url=None).write_pdf(stylesheets=[CSS(string=css)])


def render_pdf(spec: DocumentSpec) -> bytes:
    return html_to_pdf(render_html(spec), render_css(spec))
