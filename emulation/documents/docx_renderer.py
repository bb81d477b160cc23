"""DOCX rendering with python-docx, in the layout of Decree 30/2020/NĐ-CP.

A4; margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm; Times New
Roman 14 pt for the body (13 pt in the title block and tables)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from emulation.documents.spec import (
    NATIONAL_MOTTO,
    NATIONAL_NAME,
    DocumentSpec,
    Heading,
    Paragraph,
    Table,
)

FONT = "Times New Roman"
BODY_PT = 14
SMALL_PT = 13
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}

_ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def render_docx(spec: DocumentSpec) -> bytes:
    document = Document()
    _page_setup(document, landscape=spec.landscape)
    _base_style(document)
    _title_block(document, spec)
    _name_block(document, spec)
    for block in spec.body:
        if isinstance(block, Heading):
            _heading(document, block)
        elif isinstance(block, Paragraph):
            _paragraph(document, block)
        elif isinstance(block, Table):
            _table(document, block, spec)
    _closing(document, spec)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_setup(document, *, landscape: bool) -> None:
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_HEIGHT_MM), Mm(PAGE_WIDTH_MM)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])


def _base_style(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    # East-Asian and complex-script slots too, so Word never substitutes a font.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(6)
    style.paragraph_format.line_spacing = 1.15


def _run(paragraph, text: str, *, bold=False, italic=False, size=None, underline=False):
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    return run


def _line(cell_or_doc, text: str, *, bold=False, italic=False, size=SMALL_PT, align="center"):
    paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = _ALIGN[align]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = None
    _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _title_block(document, spec: DocumentSpec) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(65), Mm(100)
    left.paragraphs[0].text = ""
    if spec.superior_agency:
        _line(left, spec.superior_agency.upper())
    _line(left, spec.issuing_agency.upper(), bold=True)
    _line(left, "________", bold=True)
    _line(left, spec.number_line)
    right.paragraphs[0].text = ""
    _line(right, NATIONAL_NAME, bold=True)
    _line(right, NATIONAL_MOTTO, bold=True, size=BODY_PT)
    _line(right, "_______________________", bold=True)
    _line(right, spec.date_line, italic=True, size=BODY_PT)
    for cell in (left, right):
        first = cell.paragraphs[0]
        first._element.getparent().remove(first._element)


def _name_block(document, spec: DocumentSpec) -> None:
    if spec.draft:
        _line(document, "DỰ THẢO", bold=True, size=SMALL_PT, align="right")
    document.add_paragraph().paragraph_format.space_after = Pt(0)
    _line(document, spec.kind_name.upper(), bold=True, size=BODY_PT)
    if spec.summary:
        _line(document, spec.summary, bold=True, size=BODY_PT)
    _line(document, "___________", bold=True, size=BODY_PT)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def _heading(document, block: Heading) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, block.text, bold=block.level <= 2, italic=block.level >= 3)


def _paragraph(document, block: Paragraph) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = _ALIGN[block.align]
    if block.indent and block.align == "justify":
        paragraph.paragraph_format.first_line_indent = Mm(10)
    _run(paragraph, block.text, bold=block.bold, italic=block.italic)


def _table(document, block: Table, spec: DocumentSpec) -> None:
    table = document.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    usable_mm = (PAGE_HEIGHT_MM if spec.landscape else PAGE_WIDTH_MM) - (
        MARGINS_MM["left"] + MARGINS_MM["right"]
    )
    weights = block.widths or [1] * len(block.headers)
    total = sum(weights)
    widths = [Mm(usable_mm * w / total) for w in weights]
    for index, header in enumerate(block.headers):
        cell = table.rows[0].cells[index]
        cell.width = widths[index]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], header, bold=True, size=SMALL_PT)
    for row in block.rows:
        cells = table.add_row().cells
        for index, value in enumerate(row):
            cells[index].width = widths[index]
            paragraph = cells[index].paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            if index in block.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(paragraph, str(value), size=SMALL_PT)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def _closing(document, spec: DocumentSpec) -> None:
    """Recipients on the left, the signature on the right; several signatures
    (a covenant signed by every member) go two by two below."""
    signatures = list(spec.signatures)
    first = signatures.pop(0) if signatures else None
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = ""
    if spec.recipients:
        _line(left, "Nơi nhận:", bold=True, italic=True, size=12, align="left")
        for recipient in spec.recipients:
            _line(left, f"- {recipient};", size=11, align="left")
    right.paragraphs[0].text = ""
    if first is not None:
        _signature(right, first)
    for cell in (left, right):
        if len(cell.paragraphs) > 1:
            paragraph = cell.paragraphs[0]
            paragraph._element.getparent().remove(paragraph._element)
    while signatures:
        pair, signatures = signatures[:2], signatures[2:]
        row = document.add_table(rows=1, cols=2)
        _no_borders(row)
        for cell, signature in zip(row.rows[0].cells, pair, strict=False):
            cell.paragraphs[0].text = ""
            _signature(cell, signature)


def _signature(cell, signature) -> None:
    if signature.agency:
        _line(cell, signature.agency.upper(), bold=True, size=SMALL_PT)
    if signature.on_behalf:
        _line(cell, signature.on_behalf.upper(), bold=True, size=BODY_PT)
    _line(cell, signature.position.upper(), bold=True, size=BODY_PT)
    for _blank in range(3):
        _line(cell, "", size=BODY_PT)
    if signature.name:
        _line(cell, signature.name, bold=True, size=BODY_PT)
