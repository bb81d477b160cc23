"""Official documents in the layout of Decree 30/2020/NĐ-CP, as DOCX and PDF
from the same spec. Issued versions are stored as emulation.IssuedDocument
through ``emulation.documents.services.document_issue``.

    spec = DocumentSpec(kind_name="GIAO ƯỚC THI ĐUA", issuing_agency=..., place="An Phú",
                        date=date(2024, 2, 20), body=[Heading("I. ..."), Paragraph("...")],
                        signatures=[Signature(position="TRƯỞNG KHỐI", name="...")])
    render_docx(spec) -> bytes;  render_pdf(spec) -> bytes
"""

from emulation.documents.docx_renderer import render_docx
from emulation.documents.pdf_renderer import render_body, render_html, render_pdf
from emulation.documents.spec import (
    DocumentSpec,
    Heading,
    Paragraph,
    Signature,
    Table,
    place_date_line,
)

__all__ = [
    "DocumentSpec",
    "Heading",
    "Paragraph",
    "Signature",
    "Table",
    "place_date_line",
    "render_body",
    "render_docx",
    "render_html",
    "render_pdf",
]
