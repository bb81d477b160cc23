"""The layout of Decree 30/2020 in both formats, read back as a clerk would
see it: the PDF's text as laid out on its pages (``pdftotext -layout``) and
the DOCX's XML (page numbers, rows kept whole)."""

import io
import re
import zipfile

import pytest
from docx import Document

from emulation.documents import Paragraph, Signature, Table, render_docx, render_pdf
from emulation.documents.spec import agency_lines
from tests.documents.conftest import pdf_text
from tests.documents.test_renderer import spec

FILLER = (
    "Đẩy mạnh phong trào thi đua yêu nước, hoàn thành xuất sắc nhiệm vụ chính trị được "
    "giao, góp phần vào thành tích chung của tỉnh."
)
CO_SIGNERS = [
    Signature(position="Thư ký", name="Lê Thị Hoa", detail="Chuyên viên Văn phòng"),
    Signature(position="Chủ trì", name="Trần Minh Đức", detail="Chánh Văn phòng UBND tỉnh"),
]


def pages(data: bytes, tmp_path) -> list[str]:
    return pdf_text(data, tmp_path, layout=True).split("\f")


def document_xml(data: bytes, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(part).decode()


def test_co_signers_stand_side_by_side_with_only_their_names_under_the_signature(tmp_path):
    data = render_pdf(spec(signatures=CO_SIGNERS))
    text = pdf_text(data, tmp_path, layout=True)

    lines = text.splitlines()
    assert any(re.search(r"THƯ KÝ\s{3,}CHỦ TRÌ", line) for line in lines), text
    assert any(re.search(r"Lê Thị Hoa\s{3,}Trần Minh Đức", line) for line in lines), text
    # The office stands above the signature space, the name alone below it.
    assert text.index("Chánh Văn phòng UBND tỉnh") < text.index("Trần Minh Đức")
    names = next(line for line in lines if "Trần Minh Đức" in line)
    assert "Chánh" not in names
    # DOCX: both signers in one row of one borderless table.
    document = Document(io.BytesIO(render_docx(spec(signatures=CO_SIGNERS))))
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert any("THƯ KÝ" in r[0] and "CHỦ TRÌ" in r[1] for r in rows if len(r) == 2)


@pytest.mark.parametrize("paragraphs", [13, 14, 15])
def test_the_last_paragraph_signatures_and_recipients_share_a_page(tmp_path, paragraphs):
    body = [Paragraph(f"{i}. {FILLER}") for i in range(1, paragraphs)]
    body.append(Paragraph(f"Đoạn cuối cùng. {FILLER}"))
    data = render_pdf(spec(body=body, signatures=CO_SIGNERS))

    page = next(p for p in pages(data, tmp_path) if "Đoạn cuối cùng" in p)
    for expected in ["CHỦ TRÌ", "Trần Minh Đức", "Nơi nhận:", "- Lưu: VT, KTĐ."]:
        assert expected in page, (paragraphs, expected)


def test_a_table_row_never_splits_across_pages_and_its_heading_repeats(tmp_path):
    long_cell = " ".join([FILLER] * 3)
    rows = [[str(i), f"Đầu dòng {i}. {long_cell} Cuối dòng {i}."] for i in range(1, 16)]
    data = render_pdf(spec(body=[Table(["STT", "Nội dung"], rows, widths=[1, 8])]))

    texts = pages(data, tmp_path)
    assert len([t for t in texts if t.strip()]) >= 2
    for i in range(1, 16):
        start = next(n for n, t in enumerate(texts) if f"Đầu dòng {i}." in t)
        end = next(n for n, t in enumerate(texts) if f"Cuối dòng {i}." in t)
        assert start == end, i
    for text in texts[1:]:
        if "Đầu dòng" in text:
            assert "Nội dung" in text  # the heading row repeats


def test_docx_numbers_pages_from_the_second_and_keeps_rows_whole():
    data = render_docx(spec(signatures=CO_SIGNERS))

    body = document_xml(data)
    assert "<w:titlePg/>" in body  # a first page of its own, without a number
    header = document_xml(data, "word/header1.xml")
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", header)
    assert body.count("<w:tblHeader/>") == 1  # the table's heading row repeats
    table_rows = len(re.findall(r"<w:tr[ >]", body))
    title_rows = 1
    assert body.count("<w:cantSplit/>") == table_rows - title_rows
    assert "<w:keepNext/>" in body


def test_the_agency_block_breaks_between_words_and_rules_fit_the_text(tmp_path):
    assert agency_lines("Khối thi đua các cơ quan Tham mưu – Tổng hợp") == [
        "KHỐI THI ĐUA CÁC CƠ QUAN",
        "THAM MƯU – TỔNG HỢP",
    ]
    assert agency_lines("UBND tỉnh An Phú") == ["UBND TỈNH AN PHÚ"]
    assert agency_lines("Khối thi đua các cơ quan Văn hóa – Xã hội tỉnh Đắk Lắk") == [
        "KHỐI THI ĐUA CÁC CƠ QUAN",
        "VĂN HÓA – XÃ HỘI",
        "TỈNH ĐẮK LẮK",
    ]
    text = pdf_text(render_pdf(spec()), tmp_path, layout=True)
    assert re.search(r"^\s*THAM MƯU – TỔNG HỢP\s*$", text, re.MULTILINE), text
    assert "TỔNG\nHỢP" not in text and "AN\nPHÚ" not in text


def test_recipients_end_with_the_archive_line_of_the_decree(tmp_path):
    data = spec(recipients=["Như trên", "Các đơn vị thành viên Khối"], archive="KTĐ")

    assert data.recipient_lines == [
        "- Như trên;",
        "- Các đơn vị thành viên Khối;",
        "- Lưu: VT, KTĐ.",
    ]
    assert spec(recipients=[]).recipient_lines == []
