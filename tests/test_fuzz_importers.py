"""Hypothesis fuzzing of every Excel importer, and formula neutralisation in
every export.

Importers get malformed files (random bytes, a zip that is no workbook, a
truncated workbook, empty sheets), formulas, huge sheets, wrong types and
random cell values under the right headers. Each answers with a preview whose
errors are Vietnamese sentences, never an exception, and writes nothing
unless every row is valid.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from awards.importers.facts import columns as fact_columns
from awards.importers.facts import import_facts
from awards.importers.history import columns as history_columns
from awards.importers.history import import_history
from blocs.importers import agencies, memberships
from blocs.importers import scoring_table as table_importer
from blocs.models import EmulationYear
from blocs.services import agency_create, membership_add
from blocs.services.scoring import (
    criterion_create,
    criterion_group_create,
    scoring_table_create,
)
from emulation.excel import Column, ExcelFileError, csv_safe, read_sheet
from tests.fuzzing import fuzz_settings, row_counts

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = fuzz_settings(EXAMPLES)
ROOT = Path(__file__).resolve().parent.parent


def raw_workbook(rows: list[list]) -> bytes:
    """A workbook written as given: strings starting with = stay formulas."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "du-lieu.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/octet-stream")


# --- the importers, behind one signature -------------------------------------------------


@pytest.fixture
def importers(cast):

    year = EmulationYear.objects.get(pk=cast.bloc_year.year_id)
    provinces = [cast.province]

    def headers(columns):
        return [str(c.header) for c in columns]

    return {
        "agencies": (
            headers(agencies.COLUMNS),
            lambda f: agencies.run(f, actor=cast.council, provinces=provinces),
        ),
        "memberships": (
            headers(memberships.COLUMNS),
            lambda f: memberships.run(f, actor=cast.council, provinces=provinces),
        ),
        "scoring_table": (
            headers(table_importer.COLUMNS),
            lambda f: table_importer.import_table(f, actor=cast.council, year=year, bloc=None)[0],
        ),
        "facts": (
            headers(fact_columns()),
            lambda f: import_facts(
                actor=cast.council, file=f, year=2023, province=cast.province, write=True
            ),
        ),
        "history": (
            headers(history_columns()),
            lambda f: import_history(
                actor=cast.council, file=f, province=cast.province, write=True
            ),
        ),
    }


NAMES = ["agencies", "memberships", "scoring_table", "facts", "history"]


def check_refused(result, before) -> None:
    """A clear answer: not ok, Vietnamese messages, nothing written."""
    assert not result.ok
    lines = list(result.file_errors) + [e for r in result.rows for e in r.errors]
    assert lines, "refused without a message"
    assert all(isinstance(line, str) and line.strip() for line in lines)
    assert row_counts() == before, "a refused import wrote rows"


def check_answer(result, before) -> None:
    """Either refused as above, or valid and written."""
    if result.ok:
        assert result.written == len(result.rows)
    else:
        check_refused(result, before)


# --- every importer: the same file faults -------------------------------------------------


def _truncated() -> bytes:
    data = raw_workbook([["a", "b"], [1, 2]])
    return data[: len(data) // 2]


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    return buffer.getvalue()


def _damaged_sheet() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(raw_workbook([["a"], [1]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = b"<worksheet><sheetData><row><c r='A1' t='s'><v>999"
            archive.writestr(item, content)
    return buffer.getvalue()


MALFORMED = {
    "empty": b"",
    "text": "Mã cơ quan,Tên\nstc,Sở Tài chính\n".encode(),
    "pdf": b"%PDF-1.4\n%%EOF\n",
    "zip-without-workbook": _zip_without_workbook(),
    "truncated": _truncated(),
    "damaged-sheet": _damaged_sheet(),
    "empty-sheet": raw_workbook([]),
    "headers-only": None,  # filled per importer
    "wrong-headers": raw_workbook([["foo", "bar"], [1, 2]]),
}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("fault", sorted(MALFORMED))
def test_importer_refuses_malformed_files(importers, name, fault):
    headers, run = importers[name]
    data = MALFORMED[fault] if fault != "headers-only" else raw_workbook([headers])
    before = row_counts()
    check_refused(run(upload(data)), before)


@pytest.mark.parametrize("name", NAMES)
def test_importer_refuses_formulas_in_any_cell(importers, name):
    headers, run = importers[name]
    row = ["=1+1", '=HYPERLINK("http://x","y")', "=A1", "=SUM(A1:A2)", "=NOW()", "=1"]
    before = row_counts()
    result = run(upload(raw_workbook([headers, row[: len(headers)] + ["=2"] * 10][:2])))
    check_refused(result, before)
    text = " ".join(e for r in result.rows for e in r.errors) + " ".join(result.file_errors)
    assert re.search("công thức", text, re.IGNORECASE), text


@pytest.mark.parametrize("name", NAMES)
def test_importer_refuses_a_huge_sheet(importers, name):
    headers, run = importers[name]
    rows = [headers] + [[f"x{i}"] + ["y"] * (len(headers) - 1) for i in range(5001)]
    before = row_counts()
    result = run(upload(raw_workbook(rows)))
    check_refused(result, before)


cells = st.one_of(
    st.none(),
    st.text(max_size=40).filter(lambda s: not s.startswith("=")),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=300).map(
        lambda s: s.lstrip("=")
    ),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(9999, 12, 31)),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(float),
    st.sampled_from(["=1+1", "stc", "tinh", "tt_ldxs", "2023", "01/02/2024", "55", "x" * 5000]),
)


def _clean_cell(value):
    # openpyxl refuses control characters in cells; keep what a real file can hold.
    if isinstance(value, str):
        return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)
    return value


@pytest.mark.parametrize("name", NAMES)
def test_importer_survives_random_cells(importers, name):
    headers, run = importers[name]

    @FUZZ
    @given(rows=st.lists(st.lists(cells, min_size=0, max_size=len(headers) + 2), max_size=6))
    def fuzz(rows):
        from django.db import transaction

        before = row_counts()
        data = raw_workbook([headers] + [[_clean_cell(v) for v in row] for row in rows])
        with transaction.atomic():
            result = run(upload(data))
            check_answer(result, before)
            transaction.set_rollback(True)  # a valid import is undone for the next example

    fuzz()


@given(data=st.binary(max_size=4000))
@FUZZ
def test_excel_reader_answers_random_bytes_with_a_file_error(data):

    try:
        read_sheet(io.BytesIO(data), columns=[Column("code", "Mã")])
    except ExcelFileError as exc:
        assert str(exc).strip()


# --- exports neutralise formulas ----------------------------------------------------------


DANGEROUS = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]


def test_every_export_view_uses_the_shared_writer():
    """Every view module that sends a spreadsheet or CSV does it through
    emulation.excel (workbook_response neutralises = + - @)."""
    offenders = []
    for path in list(ROOT.glob("*/views/*.py")) + list(ROOT.glob("*/views.py")):
        text = path.read_text()
        sends_sheet = re.search(r"text/csv|spreadsheetml|csv\.writer|\.xlsx", text)
        if sends_sheet and "workbook_response" not in text:
            offenders.append(str(path.relative_to(ROOT)))
        if "csv.writer" in text or "openpyxl" in text:
            offenders.append(f"{path.relative_to(ROOT)} writes a sheet itself")
    assert not offenders


def test_csv_safe_neutralises_every_formula_prefix():

    for value in DANGEROUS:
        assert csv_safe(value) == "'" + value
    assert csv_safe("Sở Tài chính") == "Sở Tài chính"
    assert csv_safe(-2) == -2


def _cells(response) -> list:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    return [c for row in sheet.iter_rows() for c in row]


def test_exports_neutralise_formula_injection(cast, login):

    payload = dict(zip(["name", "short_name"], DANGEROUS[:2], strict=True))
    agency = agency_create(actor=cast.council, province=cast.province, code="dochai", **payload)
    membership_add(actor=cast.council, bloc_year=cast.bloc_year, agency=agency)
    table = scoring_table_create(actor=cast.council, year=cast.bloc_year.year, name=DANGEROUS[2])
    group = criterion_group_create(
        actor=cast.council, table=table, name=DANGEROUS[3], max_points=Decimal(10)
    )
    criterion_create(
        actor=cast.council,
        group=group,
        code="1",
        text=DANGEROUS[0],
        max_points=Decimal(10),
        kind="standard",
        step=Decimal("0.5"),
    )
    client = login(cast.council)
    from django.urls import reverse

    exports = {
        "agencies": reverse("blocs:agency_export"),
        "memberships": reverse("blocs:membership_export"),
        "table": reverse("blocs:scoring_table_export", args=[table.pk]),
        "statistics": reverse("awards:council_statistics_export"),
    }
    seen = {}
    for key, url in exports.items():
        response = client.get(url)
        assert response.status_code == 200, key
        cells = _cells(response)
        for cell in cells:
            assert cell.data_type != "f", f"{key}: formula in {cell.coordinate}"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@")), (key, cell.value)
        seen[key] = [c.value for c in cells if isinstance(c.value, str) and c.value[:1] == "'"]
    assert "'" + DANGEROUS[0] in seen["agencies"]
    assert "'" + DANGEROUS[2] in seen["table"] or "'" + DANGEROUS[0] in seen["table"]
