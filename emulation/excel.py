"""Excel in and out, safely, for every importer and export.

Import: ``read_sheet`` reads the first (or a named) sheet of an .xlsx file into
``RowResult``s, one per non-empty data row, each with its converted values and
every error found in it (wrong type, missing value, formula, too long). A file
that cannot be read at all raises ``ExcelFileError`` with a message for the
user. Importers validate the rows further (unknown codes, duplicates…), show
the preview, and write nothing unless every row is valid.

Export: ``workbook_response`` writes rows to an .xlsx download; text cells that
a spreadsheet would run as a formula (starting with = + - @, tab or CR) are
neutralised by a leading apostrophe, which the import takes off again
(``restore_text``), so that export, import and export give the same cells.
``csv_safe`` does the same for CSV.
"""

from __future__ import annotations

import datetime
import io
import math
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from emulation.text import download_name

MAX_FILE_BYTES = 10 * 1024 * 1024
# What a file may unpack to, checked before openpyxl reads it (a few kilobytes
# of .xlsx can unpack to gigabytes of XML): every part together, the cells of
# a sheet, its columns, and the shared strings.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_PARTS = 1000
MAX_COLUMNS = 200
MAX_BLANK_ROWS = 1000  # rows beyond the data rows an importer accepts
MAX_SHARED_STRINGS = 200_000
# Cells and XML elements of any one part: an importer's 5,000 rows of up to
# 40 filled columns; openpyxl spends some microseconds on each.
MAX_CELLS = 200_000
MAX_ELEMENTS = 1_000_000
_SCAN_CHUNK = 1024 * 1024
# The elements counted, whatever namespace prefix the file gives them and with
# or without attributes (<row/>, <x:row r="2">, <c>); any other start tag
# counts as an element too.
_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_COUNTED = (b"row", b"c", b"si")
_DIMENSION = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*?ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"'
)
# A tag cut by the end of a chunk is counted with the next chunk, unless its
# name runs on for longer than this (no element that matters is that long).
_TAG_CARRY = 4096
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# What the export's neutralising apostrophe is put before (a text that
# already starts with one too, so that the import can take exactly one off).
NEUTRALISED_PREFIXES = (*FORMULA_PREFIXES, "'")


class ExcelFileError(Exception):
    """The file as a whole cannot be imported; the message is for the user."""


@dataclass(frozen=True)
class Column:
    key: str
    header: Any  # the header text expected in the file (lazy translatable)
    type: str = "str"  # str, int, decimal, date, bool
    required: bool = True
    max_length: int | None = None
    aliases: tuple[str, ...] = ()
    choices: dict[str, Any] | None = None  # normalised text → value

    def names(self) -> set[str]:
        return {_normalise(str(self.header)), _normalise(self.key)} | {
            _normalise(a) for a in self.aliases
        }


@dataclass
class RowResult:
    number: int  # the row number as Excel shows it
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportPreview:
    """What an importer shows before writing: every row and its errors."""

    rows: list[RowResult]
    file_errors: list[str] = field(default_factory=list)
    written: int = 0

    @property
    def ok(self) -> bool:
        return not self.file_errors and all(r.ok for r in self.rows) and bool(self.rows)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(r.errors) for r in self.rows)

    def error_lines(self) -> list[str]:
        lines = list(self.file_errors)
        for row in self.rows:
            lines.extend(
                _("Row %(row)s: %(error)s") % {"row": row.number, "error": e} for e in row.errors
            )
        return lines


def _normalise(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _to_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


MAX_INT = 2**31 - 1
MAX_DECIMAL = Decimal(10) ** 12  # 14 digits, 2 places: the widest decimal column


def _convert(column: Column, value: Any) -> tuple[Any, str | None]:
    label = str(column.header)
    if value is None or (isinstance(value, str) and not value.strip()):
        if column.required:
            return None, _("“%(column)s” is required.") % {"column": label}
        return None, None
    if isinstance(value, str) and value.startswith("="):
        return None, _("“%(column)s” contains a formula; paste the value instead.") % {
            "column": label
        }
    kind = column.type
    try:
        if kind == "str":
            text = restore_text(_to_text(value))
            if column.max_length and len(text) > column.max_length:
                return None, _("“%(column)s” is longer than %(max)s characters.") % {
                    "column": label,
                    "max": column.max_length,
                }
            result: Any = text
        elif kind == "int":
            if isinstance(value, bool):
                raise ValueError
            number = Decimal(_to_text(value).replace(",", "."))
            if number != number.to_integral_value():
                raise ValueError
            result = int(number)
            if abs(result) > MAX_INT:  # beyond a database integer column
                raise ValueError
        elif kind == "decimal":
            if isinstance(value, bool):
                raise ValueError
            result = Decimal(_to_text(value).replace(",", "."))
            if not result.is_finite() or abs(result) >= MAX_DECIMAL:
                raise ValueError
        elif kind == "date":
            if isinstance(value, datetime.datetime):
                result = value.date()
            elif isinstance(value, datetime.date):
                result = value
            else:
                text = _to_text(value)
                for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
                    try:
                        result = datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007
                        break
                    except ValueError:
                        continue
                else:
                    raise ValueError
        elif kind == "bool":
            text = _normalise(_to_text(value))
            truthy = {"1", "true", "x", "có", "co", "yes", "đúng"}
            falsy = {"0", "false", "không", "khong", "no", "sai"}
            if isinstance(value, bool):
                result = value
            elif text in truthy:
                result = True
            elif text in falsy:
                result = False
            else:
                raise ValueError
        else:  # pragma: no cover - programming error
            raise AssertionError(kind)
    except (ValueError, InvalidOperation, ArithmeticError):
        expected = {
            "int": gettext_lazy("a whole number"),
            "decimal": gettext_lazy("a number"),
            "date": gettext_lazy("a date (dd/mm/yyyy)"),
            "bool": gettext_lazy("yes or no"),
            "str": gettext_lazy("text"),
        }[kind]
        return None, _("“%(column)s” must be %(expected)s, not “%(value)s”.") % {
            "column": label,
            "expected": expected,
            "value": _to_text(value)[:50],
        }
    if column.choices is not None:
        key = _normalise(str(result))
        if key not in column.choices:
            return None, _("“%(column)s”: “%(value)s” is not one of: %(choices)s.") % {
                "column": label,
                "value": _to_text(value)[:50],
                "choices": ", ".join(str(c) for c in column.choices),
            }
        result = column.choices[key]
    return result, None


def read_sheet(
    file,
    *,
    columns: Sequence[Column],
    max_rows: int = 5000,
    sheet: str | None = None,
) -> list[RowResult]:
    """Read an .xlsx upload (or path, or bytes) into rows with their errors.

    Raises ExcelFileError when the file cannot be read: not an .xlsx file, too
    large, no header row, required columns missing, too many rows.
    """
    data = _read_bytes(file)
    if len(data) > MAX_FILE_BYTES:
        raise ExcelFileError(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ExcelFileError(_("This is not an Excel (.xlsx) file."))
    _refuse_bombs(data, max_rows=max_rows)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # InvalidFileException, BadZipFile, XML ParseError, KeyError…
        raise ExcelFileError(_("This is not an Excel (.xlsx) file, or it is damaged.")) from None
    try:
        if sheet is not None and sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        return _read_rows(worksheet, columns, max_rows)
    except ExcelFileError:
        raise
    except Exception:  # a damaged sheet part: anything openpyxl raises while streaming
        raise ExcelFileError(_("This is not an Excel (.xlsx) file, or it is damaged.")) from None
    finally:
        workbook.close()


def _refuse_bombs(data: bytes, *, max_rows: int) -> None:
    """Refuse, before anything is loaded, a file that unpacks to more than an
    importer could ever use: too many bytes in all, a part declared or found
    too long or too wide, too many cells, elements or shared strings. Every
    part is looked at, whatever its name (the workbook may place its sheets
    and strings anywhere), and elements are counted whatever namespace prefix
    they carry. The sizes checked are those the archive declares, which are
    also all that is ever read of each part."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ExcelFileError(_("This is not an Excel (.xlsx) file, or it is damaged.")) from None
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
        raise ExcelFileError(
            _("The file unpacks to more than %(mb)s MB; an import never needs that much.")
            % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    max_sheet_rows = sheet_rows_allowed(max_rows)
    too_big = ExcelFileError(
        _(
            "The sheet has more than %(rows)s rows or %(columns)s columns; "
            "delete the empty rows and columns, or split it into smaller files."
        )
        % {"rows": max_sheet_rows, "columns": MAX_COLUMNS}
    )
    limits = {
        b"row": max_sheet_rows,
        b"c": MAX_CELLS,
        b"si": MAX_SHARED_STRINGS,
        "elements": MAX_ELEMENTS,
    }
    try:
        for part in parts:
            if part.is_dir():
                continue
            counts, head = _scan(archive, part, limits)
            rows, columns = _dimension(head)
            if rows > max_sheet_rows or columns > MAX_COLUMNS:
                raise too_big
            if any(counts[key] > limits[key] for key in (b"row", b"c", "elements")):
                raise too_big
            if counts[b"si"] > MAX_SHARED_STRINGS:
                raise ExcelFileError(
                    _("The file holds more than %(n)s different texts; split it.")
                    % {"n": MAX_SHARED_STRINGS}
                )
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError):
        raise ExcelFileError(_("This is not an Excel (.xlsx) file, or it is damaged.")) from None


def sheet_rows_allowed(max_rows: int) -> int:
    """The rows a sheet may have for an importer taking ``max_rows`` data rows:
    the header, the data and some blank rows."""
    return max_rows + 1 + MAX_BLANK_ROWS


def _scan(archive, part, limits: dict) -> tuple[dict, bytes]:
    """Count the rows, cells, shared strings and all elements of a part,
    streamed chunk by chunk, and stop as soon as a count passes its limit;
    also return the first chunk (where a sheet declares its dimension)."""
    counts: dict = dict.fromkeys(_COUNTED, 0)
    counts["elements"] = 0
    head = carry = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_SCAN_CHUNK):
            window = carry + chunk
            head = head or window
            cut = window.rfind(b"<")
            if cut < 0 or len(window) - cut > _TAG_CARRY:
                cut = len(window)
            _count(window[:cut], counts)
            carry = window[cut:]
            if any(counts[key] > limit for key, limit in limits.items()):
                return counts, head
    _count(carry, counts)
    return counts, head


def _count(text: bytes, counts: dict) -> None:
    names = _ELEMENT.findall(text)
    counts["elements"] += len(names)
    for name in _COUNTED:
        counts[name] += names.count(name)


def _dimension(head: bytes) -> tuple[int, int]:
    """The rows and columns a sheet's ``<dimension ref="A1:Z99">`` declares."""
    found = _DIMENSION.search(head)
    if not found:
        return 0, 0
    first_col, first_row, last_col, last_row = found.groups()
    last_col, last_row = last_col or first_col, last_row or first_row

    def column_number(letters: bytes) -> int:
        number = 0
        for letter in letters:
            number = number * 26 + (letter - ord("A") + 1)
        return number

    return (
        int(last_row) - int(first_row) + 1,
        column_number(last_col) - column_number(first_col) + 1,
    )


def _read_bytes(file) -> bytes:
    if isinstance(file, bytes):
        return file
    if isinstance(file, str) or hasattr(file, "__fspath__"):
        with open(file, "rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1)
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(MAX_FILE_BYTES + 1)


def _read_rows(worksheet, columns: Sequence[Column], max_rows: int) -> list[RowResult]:
    # Never further down or wider than a sheet may be, whatever the cells'
    # own references say: openpyxl fills every gap up to a row numbered
    # 20,000,000 or a cell in column ZZZ with empty cells.
    rows_iter = worksheet.iter_rows(
        max_row=min(worksheet.max_row or math.inf, sheet_rows_allowed(max_rows)),
        max_col=min(worksheet.max_column or math.inf, MAX_COLUMNS),
    )
    header_map: dict[int, Column] | None = None
    results: list[RowResult] = []
    for cells in rows_iter:
        raw = [(c.value, getattr(c, "data_type", None)) for c in cells]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v, _t in raw):
            continue
        number = next((c.row for c in cells if getattr(c, "row", None)), None)
        if header_map is None:
            header_map = _map_header([v for v, _t in raw], columns)
            continue
        if len(results) >= max_rows:
            raise ExcelFileError(
                _("The file has more than %(max)s data rows; split it into smaller files.")
                % {"max": max_rows}
            )
        row = RowResult(number=number or (len(results) + 2))
        for index, column in header_map.items():
            value, data_type = raw[index] if index < len(raw) else (None, None)
            if data_type == "f":
                row.errors.append(
                    _("“%(column)s” contains a formula; paste the value instead.")
                    % {"column": column.header}
                )
                continue
            converted, error = _convert(column, value)
            if error:
                row.errors.append(error)
            row.values[column.key] = converted
        results.append(row)
    if header_map is None:
        raise ExcelFileError(_("The sheet is empty: the first row must hold the column headers."))
    return results


def convert_values(values: dict[str, Any], columns: Sequence[Column]) -> RowResult:
    """One row given as a mapping (column key → value, e.g. a JSON object)
    instead of cells, converted and checked exactly as a sheet's row is."""
    row = RowResult(number=1)
    for column in columns:
        converted, error = _convert(column, values.get(column.key))
        if error:
            row.errors.append(error)
        row.values[column.key] = converted
    return row


def _map_header(values: list[Any], columns: Sequence[Column]) -> dict[int, Column]:
    mapping: dict[int, Column] = {}
    for index, value in enumerate(values):
        if value is None:
            continue
        name = _normalise(str(value))
        for column in columns:
            if name in column.names() and column not in mapping.values():
                mapping[index] = column
                break
    missing = [str(c.header) for c in columns if c.required and c not in mapping.values()]
    if missing:
        raise ExcelFileError(
            _("Missing columns: %(columns)s. The first row must hold the column headers.")
            % {"columns": ", ".join(f"“{m}”" for m in missing)}
        )
    return mapping


def mark_duplicates(rows: Iterable[RowResult], key: Callable[[RowResult], Any], message) -> None:
    """Add ``message`` to every row whose key repeats an earlier row's."""
    seen: dict[Any, int] = {}
    for row in rows:
        k = key(row)
        if k is None:
            continue
        if k in seen:
            row.errors.append(str(message) + " " + _("(same as row %(row)s)") % {"row": seen[k]})
        else:
            seen[k] = row.number


# --- export -----------------------------------------------------------------


def csv_safe(value: Any) -> Any:
    """Neutralise a text value that a spreadsheet would run as a formula (and
    mark a text that starts with an apostrophe the same way, so that
    ``restore_text`` gives back every text exactly)."""
    if isinstance(value, str) and value.startswith(NEUTRALISED_PREFIXES):
        return "'" + value
    return value


def restore_text(text: str) -> str:
    """Undo ``csv_safe`` on an imported text: export then import is lossless."""
    if text.startswith("'") and text[1:].startswith(NEUTRALISED_PREFIXES):
        return text[1:]
    return text


def workbook_bytes(
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Sheet1",
) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = str(title)[:31] or "Sheet1"
    sheet.append([str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([csv_safe(_plain(v)) for v in row])
    for index, header in enumerate(headers, start=1):
        width = min(60, max(10, len(str(header)) + 2))
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, int | float | Decimal | datetime.date | bool):
        return value
    return str(value)


def workbook_response(
    filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, title: str = ""
) -> HttpResponse:
    response = HttpResponse(
        workbook_bytes(headers, rows, title=title or "Sheet1"), content_type=XLSX_CONTENT_TYPE
    )
    stem, extension = os.path.splitext(filename)
    name = download_name(stem, extension=extension or ".xlsx", fallback="bang")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
