"""DOCX rendering with python-docx, in the layout of Decree 30/2020/NĐ-CP.

A4; margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm; Times New
Roman 14 pt for the body (13 pt in the title block and tables)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

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
    _page_numbers(document)
    _title_block(document, spec)
    _name_block(document, spec)
    last = None
    for block in spec.body:
        if isinstance(block, Heading):
            last = _heading(document, block)
        elif isinstance(block, Paragraph):
            last = _paragraph(document, block, draft=spec.draft)
        elif isinstance(block, Table):
            _table(document, block, spec)
            last = None
    if last is not None:
        # The last paragraph stays on the page of the signature block.
        last.paragraph_format.keep_with_next = True
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


def _page_numbers(document) -> None:
    """The page number centred in the header from the second page on (Decree
    30/2020): a PAGE field in the header, and an empty first-page header."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(SMALL_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2")):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def rule_text(text_or_lines, *, ratio: float, capitals: bool) -> str:
    """Underscores about ``ratio`` times as long as the longest line (an
    underscore is half an em; a capital about 0.6 em, a small letter 0.45)."""
    lines = [text_or_lines] if isinstance(text_or_lines, str) else list(text_or_lines)
    longest = max((len(line) for line in lines), default=10)
    per_char = 0.6 if capitals else 0.45
    return "_" * max(4, round(longest * per_char * ratio / 0.5))


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


# The order of a table's properties in the OOXML schema (Word reports a file
# whose elements stand out of order as damaged).
TABLE_PROPERTIES = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
)


def _table_property(table, element) -> None:
    """Put ``element`` among the table's properties where the schema wants it,
    replacing one of the same name."""
    properties = table._tbl.tblPr
    name = element.tag.rsplit("}", 1)[-1]
    existing = properties.find(qn(f"w:{name}"))
    if existing is not None:
        properties.remove(existing)
    later = TABLE_PROPERTIES[TABLE_PROPERTIES.index(name) + 1 :]
    for child in properties:
        if child.tag.rsplit("}", 1)[-1] in later:
            child.addprevious(element)
            return
    properties.append(element)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    _table_property(table, borders)


def _no_cell_margins(table) -> None:
    """No inner left and right margin in the cells (Word's and LibreOffice's
    defaults, 1.9 mm a side, would wrap the national name)."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    _table_property(table, margins)


def _title_block(document, spec: DocumentSpec) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    # The left column as wide as the agency's longest line (each line is one
    # paragraph: the name breaks between words, never inside one).
    agency = [*spec.superior_lines, *spec.agency_lines]
    usable = usable_mm(spec)
    # The national name (13 pt bold, 95 mm) never wraps: the right column keeps
    # 97 mm, and neither column has inner margins.
    left_mm = min(max(50, round(max(len(line) for line in agency) * 2.9) + 4), usable - 97)
    left.width, right.width = Mm(left_mm), Mm(usable - left_mm)
    _fixed_widths(table, [left_mm, usable - left_mm])
    _no_cell_margins(table)
    left.paragraphs[0].text = ""
    for line in spec.superior_lines:
        _line(left, line)
    for line in spec.agency_lines:
        _line(left, line, bold=True)
    _line(left, rule_text(spec.agency_lines, ratio=0.4, capitals=True), bold=True)
    _line(left, spec.number_line)
    right.paragraphs[0].text = ""
    _line(right, NATIONAL_NAME, bold=True)
    _line(right, NATIONAL_MOTTO, bold=True, size=BODY_PT)
    _line(right, rule_text(NATIONAL_MOTTO, ratio=1.0, capitals=False), bold=True)
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
    lines = [spec.kind_name.upper(), *([spec.summary] if spec.summary else [])]
    _line(document, rule_text(lines, ratio=0.4, capitals=not spec.summary), bold=True)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def usable_mm(spec: DocumentSpec) -> int:
    return (PAGE_HEIGHT_MM if spec.landscape else PAGE_WIDTH_MM) - (
        MARGINS_MM["left"] + MARGINS_MM["right"]
    )


def _fixed_widths(table, widths_mm: list[float]) -> None:
    """Column widths in the table's grid, the table's own width and a fixed
    layout, so that office suites keep them (LibreOffice, given an automatic
    layout, makes every column equal)."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=False):
        column.set(qn("w:w"), str(int(Mm(width).twips)))
    table_width = OxmlElement("w:tblW")
    table_width.set(qn("w:w"), str(sum(int(Mm(width).twips) for width in widths_mm)))
    table_width.set(qn("w:type"), "dxa")
    _table_property(table, table_width)


def _row_flags(row, *, header: bool = False) -> None:
    """A row never splits across pages (cantSplit); the heading row repeats on
    each page (tblHeader)."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _keep_with_next(cells) -> None:
    for cell in cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def _heading(document, block: Heading) -> DocxParagraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, block.text, bold=block.level <= 2, italic=block.level >= 3)
    return paragraph


def _paragraph(document, block: Paragraph, *, draft: bool = False) -> DocxParagraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = _ALIGN[block.align]
    if block.indent and block.align == "justify":
        paragraph.paragraph_format.first_line_indent = Mm(10)
    run = _run(paragraph, block.text, bold=block.bold, italic=block.italic)
    if block.missing and draft:
        # In a draft, a section still to be written stands out (never issued so).
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return paragraph


def _table(document, block: Table, spec: DocumentSpec) -> None:
    table = document.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table_mm = usable_mm(spec)
    widths_mm = block.column_widths_mm(table_mm)
    widths = [Mm(w) for w in widths_mm]
    _fixed_widths(table, widths_mm)
    header_row = table.rows[0]
    _row_flags(header_row, header=True)
    for index, header in enumerate(block.headers):
        cell = header_row.cells[index]
        cell.width = widths[index]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], header, bold=True, size=SMALL_PT)
    # The heading row never ends a page alone.
    _keep_with_next(header_row.cells)
    for row_index, row in enumerate(block.rows):
        strong = row_index in block.strong_rows
        added = table.add_row()
        _row_flags(added)
        cells = added.cells
        for index, value in enumerate(row):
            cells[index].width = widths[index]
            paragraph = cells[index].paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            if index in block.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(paragraph, str(value), bold=strong, size=SMALL_PT)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def _closing(document, spec: DocumentSpec) -> None:
    """A lone signer: "Nơi nhận" on the left, the signature on the right.
    Co-signers: side by side, two to a row, "Nơi nhận" below. Every row is kept
    whole and with the next, so the block stays on one page."""
    signatures = list(spec.signatures)
    lines = spec.recipient_lines
    usable = usable_mm(spec)
    if len(signatures) <= 1:
        table = document.add_table(rows=1, cols=2)
        _no_borders(table)
        _fixed_widths(table, [usable / 2, usable / 2])
        left, right = table.rows[0].cells
        _recipients(left, lines)
        if signatures:
            right.paragraphs[0].text = ""
            _signature(right, signatures[0])
        _tidy(left, right)
        _row_flags(table.rows[0])
        _keep_with_next(table.rows[0].cells)
        return
    table = document.add_table(rows=0, cols=2)
    _no_borders(table)
    _fixed_widths(table, [usable / 2, usable / 2])
    for start in range(0, len(signatures), 2):
        row = table.add_row()
        _row_flags(row)
        for cell, signature in zip(row.cells, signatures[start : start + 2], strict=False):
            cell.paragraphs[0].text = ""
            _signature(cell, signature)
            _tidy(cell)
        _keep_with_next(row.cells)
    if lines:
        below = document.add_table(rows=1, cols=2)
        _no_borders(below)
        _fixed_widths(below, [usable / 2, usable / 2])
        _recipients(below.rows[0].cells[0], lines)
        _tidy(below.rows[0].cells[0])
        _row_flags(below.rows[0])


def _recipients(cell, lines: list[str]) -> None:
    cell.paragraphs[0].text = ""
    if lines:
        _line(cell, "Nơi nhận:", bold=True, italic=True, size=12, align="left")
        for line in lines:
            _line(cell, line, size=11, align="left")


def _tidy(*cells) -> None:
    """Drop the empty paragraph python-docx puts first in a new cell."""
    for cell in cells:
        if len(cell.paragraphs) > 1:
            paragraph = cell.paragraphs[0]
            paragraph._element.getparent().remove(paragraph._element)


def _signature(cell, signature) -> None:
    if signature.agency:
        _line(cell, signature.agency.upper(), bold=True, size=SMALL_PT)
    if signature.on_behalf:
        _line(cell, signature.on_behalf.upper(), bold=True, size=BODY_PT)
    _line(cell, signature.position.upper(), bold=True, size=BODY_PT)
    if signature.detail:
        _line(cell, signature.detail, italic=True, size=SMALL_PT)
    for _blank in range(3):
        _line(cell, "", size=BODY_PT)
    if signature.name:
        _line(cell, signature.name, bold=True, size=BODY_PT)
