"""A small model of an administrative document in the layout of Decree
30/2020/NĐ-CP: the title block (issuing agency and number on the left, the
national motto and the place-and-date line on the right), the document's
name and summary, the body (headings, paragraphs, tables), the signature
block(s) and the recipients ("Nơi nhận").

Both renderers (DOCX and PDF) read the same spec, so the two files always say
the same thing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
# A line of the agency block holds at most this many characters (13 pt bold
# capitals in the left column beside the national name).
AGENCY_LINE_CHARS = 26
# Words that are one word in Vietnamese though written as two syllables: a line
# of the agency block never breaks between them.
COMPOUNDS = (
    "THI ĐUA",
    "KHEN THƯỞNG",
    "CƠ QUAN",
    "THAM MƯU",
    "TỔNG HỢP",
    "NỘI VỤ",
    "TƯ PHÁP",
    "TÀI CHÍNH",
    "KINH TẾ",
    "VĂN HÓA",
    "XÃ HỘI",
    "NHÂN DÂN",
    "ĐOÀN THỂ",
    "CHÍNH TRỊ",
    "VĂN PHÒNG",
    "ỦY BAN",
    "HỘI ĐỒNG",
    "THÀNH PHỐ",
    "KẾ HOẠCH",
    "ĐẦU TƯ",
    "GIÁO DỤC",
    "ĐÀO TẠO",
    "Y TẾ",
    "DOANH NGHIỆP",
)
# Where a long agency name breaks best: before these words.
# A table's column is at most this many characters wide when it is sized from
# its text (longer cells wrap).
COLUMN_CHARS = 40
# A character of a 13 pt bold heading (capitals at most), and a cell's padding
# in Word and LibreOffice (1.9 mm a side): a column is never narrower than its
# longest word.
WORD_CHAR_MM = 2.9
CELL_PADDING_MM = 4.5
BREAK_BEFORE = ("CÁC", "KHỐI", "SỞ", "BAN", "PHÒNG", "TỈNH", "HUYỆN")
NBSP = "\u00a0"
# Room left on a printed form for a clerk to write a number or a date in by hand
# (non-breaking: HTML and PDF keep the width).
BLANK = " " + NBSP * 7 + " "


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: "I. ..." bold; 2: "1. ..." bold; 3: italic


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    align: Literal["justify", "left", "center", "right"] = "justify"
    indent: bool = True  # first-line indent, as the decree's body text
    # A placeholder standing for what is still missing ("phần “Ý kiến thảo
    # luận”"): shown, marked, in drafts; an issue is refused while one remains.
    missing: str = ""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    # Relative column widths (any unit); equal widths when empty.
    widths: list[float] = field(default_factory=list)
    # Indexes of columns whose cells are right-aligned (numbers).
    numeric: tuple[int, ...] = ()
    # Indexes of rows set in bold (a group's subtotal, the total).
    strong_rows: tuple[int, ...] = ()

    def column_weights(self) -> list[float]:
        """The relative column widths: ``widths`` when given, otherwise from
        the text (a column as wide as its longest cell, within bounds), so that
        "STT" stays narrow and the agency's name wide."""
        if self.widths:
            return list(self.widths)
        weights = []
        for index in range(len(self.headers)):
            cells = [str(row[index]) for row in self.rows if index < len(row)]
            longest_cell = max((len(cell) for cell in cells), default=0)
            weights.append(max(4, self._longest_word(index) + 1, min(COLUMN_CHARS, longest_cell)))
        return weights

    def _longest_word(self, index: int) -> int:
        texts = [self.headers[index], *(str(r[index]) for r in self.rows if index < len(r))]
        return max((len(word) for text in texts for word in text.split()), default=1)

    def column_widths_mm(self, table_mm: float) -> list[float]:
        """The columns' widths in a table ``table_mm`` wide, as both renderers
        set them: in proportion to ``column_weights``, but never so narrow
        that a word of the column (its heading in 13 pt bold, with the cell's
        padding) must break."""
        weights = self.column_weights()
        total = sum(weights) or 1
        widths = [table_mm * weight / total for weight in weights]
        minimum = [
            WORD_CHAR_MM * self._longest_word(i) + CELL_PADDING_MM for i in range(len(widths))
        ]
        short = sum(max(0.0, low - width) for width, low in zip(widths, minimum, strict=True))
        if short <= 0:
            return widths
        spare = sum(max(0.0, width - low) for width, low in zip(widths, minimum, strict=True))
        take = min(1.0, short / spare) if spare else 0.0
        return [
            low if width < low else width - (width - low) * take
            for width, low in zip(widths, minimum, strict=True)
        ]

    def column_percents(self, table_mm: float) -> list[float]:
        return [round(100 * width / table_mm, 2) for width in self.column_widths_mm(table_mm)]


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Signature:
    """One signature block: "TM. KHỐI THI ĐUA" / "TRƯỞNG KHỐI" / (seal) / name."""

    position: str  # e.g. "TRƯỞNG KHỐI", "GIÁM ĐỐC"
    # The full name only: it stands alone under the signature space.
    name: str = ""
    on_behalf: str = ""  # e.g. "TM. KHỐI THI ĐUA", "KT. GIÁM ĐỐC"
    agency: str = ""  # for covenants signed by every member: the agency's name
    # The signer's office, above the signature space under the capacity
    # ("Chánh Văn phòng UBND tỉnh" under "CHỦ TRÌ"); never under the name.
    detail: str = ""


@dataclass(frozen=True)
class DocumentSpec:
    """Everything one document says. Dates are dates; numbers are strings."""

    kind_name: str  # the document's type in capitals: "GIAO ƯỚC THI ĐUA", "TỜ TRÌNH"
    issuing_agency: str  # "KHỐI THI ĐUA CÁC CƠ QUAN THAM MƯU – TỔNG HỢP"
    place: str  # "An Phú"
    date: datetime.date | None
    number: str = ""  # "12/GƯTĐ-KTĐ"; rendered "Số: 12/GƯTĐ-KTĐ" (or "Số:    /" when blank)
    superior_agency: str = ""  # the agency above the issuer: "UBND TỈNH AN PHÚ"
    summary: str = ""  # trích yếu, under the document's name: "Năm 2024"
    body: list[Block] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    # "Nơi nhận" ends "- Lưu: VT, <archive>." (Decree 30/2020): the drafting
    # unit's abbreviation, and the drafter's initials and copies where used.
    archive: str = ""
    landscape: bool = False
    # A "DỰ THẢO" (draft) mark in the header of previews.
    draft: bool = False
    # Facts the document cannot be issued without, as (what, value) pairs:
    # ("giờ bắt đầu Hội nghị", "08:00"); an empty value is missing.
    required: tuple[tuple[str, str], ...] = ()

    def missing(self) -> list[str]:
        """What still keeps the document from being issued, in Vietnamese, in
        the order it appears: its date, required facts, placeholder sections."""
        return (["ngày ban hành"] if self.date is None else []) + self.incomplete()

    def incomplete(self) -> list[str]:
        """The required facts still empty and the sections still placeholders
        (what a draft shows as missing; the date and number come at issue)."""
        items = [what for what, value in self.required if not str(value or "").strip()]
        items += [b.missing for b in self.body if isinstance(b, Paragraph) and b.missing]
        return list(dict.fromkeys(items))

    @property
    def number_line(self) -> str:
        return f"Số: {self.number}" if self.number else f"Số:{BLANK}/"

    @property
    def date_line(self) -> str:
        return place_date_line(self.place, self.date)

    @property
    def recipient_lines(self) -> list[str]:
        """ "- Như trên;" … "- Lưu: VT, KTĐ." — empty when there are no recipients."""
        if not self.recipients:
            return []
        archive = f"Lưu: VT, {self.archive}." if self.archive else "Lưu: VT."
        return [f"- {recipient.rstrip(';.')};" for recipient in self.recipients] + [f"- {archive}"]

    @property
    def agency_lines(self) -> list[str]:
        return agency_lines(self.issuing_agency)

    @property
    def superior_lines(self) -> list[str]:
        return agency_lines(self.superior_agency) if self.superior_agency else []


def agency_lines(name: str, limit: int = AGENCY_LINE_CHARS) -> list[str]:
    """An agency's name in capitals, cut into lines for the title block: never
    inside a two-syllable word or a place name (the last two syllables stay
    together), preferably before "CÁC", "SỞ", "TỈNH"…, and as few lines as fit
    ``limit`` characters each. Each line is set without further wrapping."""
    text = " ".join(name.upper().split())
    for compound in COMPOUNDS:
        text = text.replace(compound, compound.replace(" ", NBSP))
    text = text.replace(" – ", NBSP + "–" + NBSP).replace(" - ", NBSP + "-" + NBSP)
    words = text.split(" ")
    if len(words) >= 2 and NBSP not in words[-1] and NBSP not in words[-2]:
        words[-2:] = [words[-2] + NBSP + words[-1]]
    lines: list[list[str]] = [[]]
    for index, word in enumerate(words):
        current = lines[-1]
        width = len(" ".join([*current, word]))
        rest = len(" ".join(words[index:]))
        prefer = word.split(NBSP)[0] in BREAK_BEFORE and rest <= limit
        if current and (width > limit or (prefer and len(" ".join(current)) >= limit // 3)):
            lines.append([word])
        else:
            current.append(word)
    return [" ".join(line).replace(NBSP, " ") for line in lines if line]


def blank_number(symbol: str) -> str:
    """A number a clerk writes in by hand before the symbol: "Số:  …  /BC-STP"."""
    return f"{BLANK.strip(' ')}/{symbol}"


def place_date_line(place: str, date: datetime.date | None) -> str:
    """ "An Phú, ngày 18 tháng 01 năm 2024" — day and month below 10 (day < 10,
    month < 3) take a leading zero, as Decree 30/2020 prescribes."""
    if date is None:
        return f"{place}, ngày{BLANK}tháng{BLANK}năm{BLANK}"
    day = f"{date.day:02d}" if date.day < 10 else str(date.day)
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"{place}, ngày {day} tháng {month} năm {date.year}"
