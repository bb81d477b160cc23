import datetime
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from emulation.excel import (
    Column,
    ExcelFileError,
    csv_safe,
    mark_duplicates,
    read_sheet,
    workbook_bytes,
)

COLUMNS = [
    Column("code", "Mã", max_length=10),
    Column("points", "Điểm", type="decimal"),
    Column("count", "Số lượng", type="int", required=False),
    Column("date", "Ngày", type="date", required=False),
]


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_good_rows_are_converted():
    data = xlsx(
        [
            ["Mã", "Điểm", "Số lượng", "Ngày"],
            ["stc", 9.5, 3, datetime.datetime(2024, 1, 18)],
            [None, None, None, None],
            ["stp", "7,25", "4", "18/01/2024"],
        ]
    )

    rows = read_sheet(data, columns=COLUMNS)

    assert [r.ok for r in rows] == [True, True]
    assert rows[0].values == {
        "code": "stc",
        "points": Decimal("9.5"),
        "count": 3,
        "date": datetime.date(2024, 1, 18),
    }
    assert rows[1].values["points"] == Decimal("7.25")
    assert rows[1].number == 4


def test_every_error_of_a_row_is_reported():
    data = xlsx([["Mã", "Điểm", "Số lượng"], ["mã-quá-dài-để-nhận", "abc", 2.5]])

    (row,) = read_sheet(data, columns=COLUMNS)

    assert len(row.errors) == 3


def test_formulas_are_refused():
    data = xlsx([["Mã", "Điểm"], ["stc", "=1+1"]])

    (row,) = read_sheet(data, columns=COLUMNS)

    assert not row.ok
    assert "công thức" in row.errors[0]


def test_a_missing_column_is_a_file_error():
    with pytest.raises(ExcelFileError, match="Thiếu cột"):
        read_sheet(xlsx([["Mã"], ["stc"]]), columns=COLUMNS)


@pytest.mark.parametrize("content", [b"", b"not excel at all", b"PK\x03\x04garbage", b"%PDF-1.4"])
def test_a_file_that_is_not_xlsx_is_refused(content):
    with pytest.raises(ExcelFileError):
        read_sheet(content, columns=COLUMNS)


def test_too_many_rows_are_refused():
    data = xlsx([["Mã", "Điểm"]] + [["x", 1]] * 11)

    with pytest.raises(ExcelFileError, match="10"):
        read_sheet(data, columns=COLUMNS, max_rows=10)


def test_duplicates_are_marked():
    rows = read_sheet(xlsx([["Mã", "Điểm"], ["a", 1], ["b", 1], ["a", 2]]), columns=COLUMNS)

    mark_duplicates(rows, lambda r: r.values["code"], "Trùng mã.")

    assert [r.ok for r in rows] == [True, True, False]
    assert "dòng 2" in rows[2].errors[0]


@pytest.mark.parametrize("value", ['=HYPERLINK("x")', "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_exports_neutralise_formula_injection(value):
    sheet = load_workbook(io.BytesIO(workbook_bytes(["Tên"], [[value]]))).active

    cell = sheet["A2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + value
    assert csv_safe(value) == "'" + value


def test_exports_keep_numbers_and_plain_text():
    sheet = load_workbook(
        io.BytesIO(workbook_bytes(["A", "B"], [[Decimal("9.5"), "Sở Tư pháp"]]))
    ).active

    assert sheet["A2"].value == 9.5
    assert sheet["B2"].value == "Sở Tư pháp"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.text(max_size=20),
                st.integers(-(10**6), 10**6),
                st.floats(allow_nan=False, allow_infinity=False),
                st.booleans(),
            ),
            min_size=0,
            max_size=6,
        ),
        max_size=15,
    )
)
def test_any_sheet_gives_rows_or_a_clear_file_error(body):
    cleaned = [list(row) for row in body]
    try:
        data = xlsx([["Mã", "Điểm", "Số lượng", "Ngày"], *cleaned])
    except Exception:  # openpyxl refuses some control characters: not our concern
        return
    rows = read_sheet(data, columns=COLUMNS)
    for row in rows:
        assert row.ok or all(isinstance(e, str) and e for e in row.errors)
