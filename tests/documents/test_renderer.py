import datetime
import io
import subprocess
import zipfile

import pytest
from docx import Document
from docx.shared import Mm

from emulation.documents import (
    DocumentSpec,
    Heading,
    Paragraph,
    Signature,
    Table,
    place_date_line,
    render_docx,
    render_pdf,
)

PDFTOTEXT = "/usr/bin/pdftotext"


def spec(**overrides):
    values = {
        "kind_name": "Giao ước thi đua",
        "issuing_agency": "Khối thi đua các cơ quan Tham mưu – Tổng hợp",
        "superior_agency": "UBND tỉnh An Phú",
        "place": "An Phú",
        "date": datetime.date(2024, 1, 18),
        "number": "01/GƯTĐ-KTĐ",
        "summary": "Năm 2024",
        "body": [
            Heading("I. MỤC ĐÍCH, YÊU CẦU"),
            Paragraph("Đẩy mạnh phong trào thi đua yêu nước, hoàn thành xuất sắc nhiệm vụ."),
            Table(
                ["STT", "Đơn vị", "Chỉ tiêu"],
                [["1", "Sở Tư pháp", "100%"], ["2", "Ban Dân tộc tỉnh", "95%"]],
                widths=[1, 5, 2],
                numeric=(2,),
            ),
        ],
        "signatures": [
            Signature(
                position="Trưởng khối",
                on_behalf="TM. Khối thi đua",
                name="Trần Minh Đức",
                agency="Văn phòng UBND tỉnh",
            ),
            Signature(position="Chánh Thanh tra", name="Nguyễn Văn Hùng", agency="Thanh tra tỉnh"),
        ],
        "recipients": ["Hội đồng Thi đua – Khen thưởng tỉnh"],
        "archive": "KTĐ",
    }
    values.update(overrides)
    return DocumentSpec(**values)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (datetime.date(2024, 1, 18), "An Phú, ngày 18 tháng 01 năm 2024"),
        (datetime.date(2024, 2, 5), "An Phú, ngày 05 tháng 02 năm 2024"),
        (datetime.date(2023, 12, 9), "An Phú, ngày 09 tháng 12 năm 2023"),
        (datetime.date(2023, 3, 15), "An Phú, ngày 15 tháng 3 năm 2023"),
    ],
)
def test_place_date_line_follows_the_decree(date, expected):
    assert place_date_line("An Phú", date) == expected


def test_docx_carries_the_title_block_body_and_signatures_with_diacritics():
    text = docx_text(render_docx(spec()))

    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH AN PHÚ",
        "KHỐI THI ĐUA CÁC CƠ QUAN",
        "THAM MƯU – TỔNG HỢP",
        "Số: 01/GƯTĐ-KTĐ",
        "An Phú, ngày 18 tháng 01 năm 2024",
        "GIAO ƯỚC THI ĐUA",
        "Năm 2024",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Đẩy mạnh phong trào thi đua yêu nước, hoàn thành xuất sắc nhiệm vụ.",
        "Ban Dân tộc tỉnh",
        "TM. KHỐI THI ĐUA",
        "TRƯỞNG KHỐI",
        "Trần Minh Đức",
        "CHÁNH THANH TRA",
        "Nguyễn Văn Hùng",
        "Nơi nhận:",
        "- Hội đồng Thi đua – Khen thưởng tỉnh;",
        "- Lưu: VT, KTĐ.",
    ]:
        assert expected in text, expected


def test_docx_page_is_a4_with_the_decree_margins_and_times_new_roman():
    document = Document(io.BytesIO(render_docx(spec())))
    section = document.sections[0]

    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    # Word stores margins in twentieths of a point: compare to a tenth of a mm.
    assert 20 <= round(section.top_margin.mm, 1) <= 25
    assert 20 <= round(section.bottom_margin.mm, 1) <= 25
    assert 30 <= round(section.left_margin.mm, 1) <= 35
    assert 15 <= round(section.right_margin.mm, 1) <= 20
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman"
    assert 13 <= normal.size.pt <= 14


def test_docx_landscape_swaps_the_page():
    section = Document(io.BytesIO(render_docx(spec(landscape=True)))).sections[0]

    assert section.page_width > section.page_height


def test_docx_is_a_valid_word_file():
    with zipfile.ZipFile(io.BytesIO(render_docx(spec()))) as archive:
        assert "word/document.xml" in archive.namelist()


def test_pdf_text_has_the_same_content_with_diacritics(tmp_path):
    text = pdf_text(render_pdf(spec()), tmp_path)

    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 01/GƯTĐ-KTĐ",
        "An Phú, ngày 18 tháng 01 năm 2024",
        "GIAO ƯỚC THI ĐUA",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Ban Dân tộc tỉnh",
        "TRƯỞNG KHỐI",
        "Trần Minh Đức",
        "Nơi nhận:",
    ]:
        assert expected in text, expected


def _pdf_page_and_text_boxes(data: bytes, tmp_path):
    """Page size in points and the bounding boxes of the words (pdftotext -bbox)."""
    import re

    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    html = subprocess.run(
        [PDFTOTEXT, "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    words = [
        tuple(float(v) for v in m.groups())
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', html
        )
    ]
    return (float(page.group(1)), float(page.group(2))), words


MM = 72 / 25.4


def test_pdf_is_a4_and_its_text_stays_inside_the_decree_margins(tmp_path):
    (width, height), words = _pdf_page_and_text_boxes(render_pdf(spec()), tmp_path)

    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert words
    assert min(w[0] for w in words) >= 30 * MM - 1  # left margin 30 mm
    assert max(w[2] for w in words) <= width - 15 * MM + 1  # right margin 15 mm
    assert min(w[1] for w in words) >= 20 * MM - 1  # top margin 20 mm
    assert max(w[3] for w in words) <= height - 20 * MM + 1  # bottom margin 20 mm
    # The text block really starts at the margins (not somewhere inside them).
    assert min(w[0] for w in words) <= 30 * MM + 15
    assert min(w[1] for w in words) <= 20 * MM + 10


def test_pdf_landscape_is_a4_landscape(tmp_path):
    (width, height), _words = _pdf_page_and_text_boxes(render_pdf(spec(landscape=True)), tmp_path)

    assert (round(width), round(height)) == (842, 595)


def test_blank_number_and_date_leave_room_to_fill_in():
    text = docx_text(render_docx(spec(number="", date=None, draft=True)))

    assert "Số:" in text
    assert "An Phú, ngày" in text
    assert "DỰ THẢO" in text
