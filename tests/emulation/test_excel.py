import datetime
import io
import time
import zipfile
from collections.abc import Iterable
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


# --- spreadsheet bombs: small files that unpack into huge sheets -------------

HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Mã</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Điểm</t></is></c></row>'
)


def bomb(*, sheet_rows=(), dimension="A1:B2", shared_strings=None) -> bytes:
    """A valid workbook whose sheet (and shared strings) are replaced by the
    given streams of XML, written compressed chunk by chunk (``dimension``
    None: the sheet declares none)."""
    plain = zipfile.ZipFile(io.BytesIO(xlsx([["Mã", "Điểm"], ["a", 1]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in plain.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with out.open(item.filename, "w", force_zip64=True) as sheet:
                    sheet.write(
                        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                        b'openxmlformats.org/spreadsheetml/2006/main">'
                        + (b'<dimension ref="' + dimension.encode() + b'"/>' if dimension else b"")
                        + b"<sheetData>"
                        + HEADER_ROW.encode()
                    )
                    for chunk in sheet_rows:
                        sheet.write(chunk)
                    sheet.write(b"</sheetData></worksheet>")
            else:
                out.writestr(item, plain.read(item.filename))
        if shared_strings is not None:
            with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
                strings.write(
                    b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                    b'openxmlformats.org/spreadsheetml/2006/main">'
                )
                for chunk in shared_strings:
                    strings.write(chunk)
                strings.write(b"</sst>")
    return buffer.getvalue()


def blank_rows(count):
    for first in range(0, count, 10_000):
        yield b"<row/>" * min(10_000, count - first)


def refused_quickly(data) -> str:
    started = time.perf_counter()
    with pytest.raises(ExcelFileError) as refusal:
        read_sheet(data, columns=COLUMNS[:2])
    elapsed = time.perf_counter() - started
    assert elapsed < 2, f"the bomb held the worker {elapsed:.2f} s"
    return str(refusal.value)


def test_a_sheet_of_millions_of_blank_rows_is_refused_quickly():
    data = bomb(sheet_rows=blank_rows(2_500_000), dimension="A1:B2500001")
    assert len(data) < 200 * 1024  # small on the wire

    message = refused_quickly(data)

    assert "dòng" in message


def test_blank_rows_behind_a_small_dimension_are_still_refused():
    """The dimension a file declares may lie: the rows are counted."""
    data = bomb(sheet_rows=blank_rows(600_000), dimension="A1:B2")

    refused_quickly(data)


def test_a_sheet_declared_absurdly_wide_is_refused_quickly():
    message = refused_quickly(bomb(dimension="A1:XFD1048576"))

    assert message


def test_huge_shared_strings_are_refused_before_loading():
    chunk = b"<si><t>" + b"x" * 10_000 + b"</t></si>"
    data = bomb(shared_strings=(chunk * 100 for _ in range(80)))  # 80 MB of text

    message = refused_quickly(data)

    assert "MB" in message


def test_millions_of_tiny_shared_strings_are_refused():
    chunk = b"<si><t>x</t></si>" * 10_000
    data = bomb(shared_strings=(chunk for _ in range(150)))  # 1.5 million strings

    refused_quickly(data)


NAMESPACE = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def prefixed_bomb(rows: Iterable[bytes]) -> bytes:
    """A workbook whose sheet names its elements with a namespace prefix
    (<x:row>), as some writers do and openpyxl reads."""
    plain = zipfile.ZipFile(io.BytesIO(xlsx([["Mã", "Điểm"], ["a", 1]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in plain.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                out.writestr(item, plain.read(item.filename))
                continue
            with out.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<x:worksheet xmlns:x="' + NAMESPACE + b'"><x:sheetData>')
                for chunk in rows:
                    sheet.write(chunk)
                sheet.write(b"</x:sheetData></x:worksheet>")
    return buffer.getvalue()


def moved_sheet(data: bytes, to: str) -> bytes:
    """The same workbook with its sheet stored under another part name."""
    plain = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in plain.infolist():
            content = plain.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                out.writestr(to, content)
                continue
            content = content.replace(b"/xl/worksheets/sheet1.xml", b"/" + to.encode())
            content = content.replace(b"worksheets/sheet1.xml", to.removeprefix("xl/").encode())
            out.writestr(item, content)
    return buffer.getvalue()


def test_blank_rows_with_a_namespace_prefix_are_refused_quickly():
    refused_quickly(prefixed_bomb(b"<x:row/>" * 10_000 for _ in range(60)))


def test_a_sheet_stored_under_another_name_is_still_checked():
    data = moved_sheet(bomb(sheet_rows=blank_rows(600_000)), "xl/data.xml")

    refused_quickly(data)


def test_cells_without_attributes_are_counted():
    wide_rows = ((b"<row>" + b"<c/>" * 200 + b"</row>") * 100 for _ in range(60))

    refused_quickly(bomb(sheet_rows=wide_rows))


@pytest.mark.parametrize(
    "rows",
    [
        [b'<row r="20000000"/>'],  # a row numbered far down: openpyxl fills the gap
        [b'<row r="%d"><c r="ZZZ%d"/></row>' % (i, i) for i in range(2, 6000)],  # far right
    ],
    ids=["far-down", "far-right"],
)
def test_cells_referenced_far_away_hold_no_worker(rows):
    data = bomb(sheet_rows=rows, dimension=None)
    started = time.perf_counter()

    rows_read = read_sheet(data, columns=COLUMNS[:2])

    assert time.perf_counter() - started < 2
    assert rows_read == []


def test_an_ordinary_file_still_reads_after_the_checks():
    rows = read_sheet(
        xlsx([["Mã", "Điểm"]] + [[f"m{i}", i] for i in range(3000)]), columns=COLUMNS[:2]
    )

    assert len(rows) == 3000 and rows[-1].values == {"code": "m2999", "points": Decimal(2999)}


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+84 912", "-5", "@SUM(A1)", "'quoted", "''twice", "'=both", "plain", "a=b"],
)
def test_a_text_comes_back_from_export_and_import_unchanged(text):
    """Export neutralises formula-like texts; import undoes exactly that."""
    data = workbook_bytes(["Mã", "Điểm"], [[text, 1]])

    rows = read_sheet(data, columns=[Column("code", "Mã"), COLUMNS[1]])

    assert rows[0].ok, rows[0].errors
    assert rows[0].values["code"] == text
    again = workbook_bytes(["Mã", "Điểm"], [[rows[0].values["code"], 1]])
    cells = [c.value for c in load_workbook(io.BytesIO(again)).active[2]]
    assert cells == [c.value for c in load_workbook(io.BytesIO(data)).active[2]]
