"""File names of downloads read as the Vietnamese words they come from."""

import pytest

from emulation.excel import workbook_response
from emulation.text import download_name, vietnamese_slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Tờ trình đề nghị khen thưởng", "to-trinh-de-nghi-khen-thuong"),
        ("Bảng tổng hợp điểm", "bang-tong-hop-diem"),
        ("ĐẮK LẮK", "dak-lak"),
        ("Biên bản 04/BB-KTĐ v2", "bien-ban-04-bb-ktd-v2"),
        (
            "Khối thi đua các cơ quan Tham mưu – Tổng hợp",
            "khoi-thi-dua-cac-co-quan-tham-muu-tong-hop",
        ),
        ("  ", "van-ban"),
    ],
)
def test_vietnamese_slug_keeps_every_letter_and_reads_d_for_đ(text, slug):
    assert vietnamese_slug(text) == slug


def test_download_name_joins_its_parts_and_skips_blanks():
    assert download_name("Dự thảo", "", "Biên bản họp", None, 2023, extension="pdf") == (
        "du-thao-bien-ban-hop-2023.pdf"
    )


def test_excel_downloads_get_a_vietnamese_slug():
    response = workbook_response("Xếp hạng ĐẮK.xlsx", ["A"], [[1]])

    assert response["Content-Disposition"] == 'attachment; filename="xep-hang-dak.xlsx"'
