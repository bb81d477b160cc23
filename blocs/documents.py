"""The documents of a bloc's own records, in the layout of Decree 30/2020: the
self-assessment report an agency's head signs, and the title-block pieces
every bloc document shares (the place in the date line, the province's
committee above the issuing agency)."""

from __future__ import annotations

from django.utils import translation

from blocs import scoring_math
from blocs.enums import ASSESSMENT_EDITABLE_STATES, HEAD_CAPACITY, CriterionKind
from blocs.models import BlocYear, SelfAssessment
from blocs.selectors.assessment import AssessmentView, assessment_view
from blocs.selectors.organisation import vocabulary_for
from emulation.documents.spec import (
    DocumentSpec,
    Heading,
    Paragraph,
    Signature,
    Table,
    blank_number,
)
from emulation.enums import AgencyRole
from emulation.models import User
from emulation.text import download_name
from emulation.vocabulary import Vocabulary

# The drafting unit of an agency's report in "- Lưu: VT, VP." (its office).
AGENCY_UNIT = "VP"
KIND_NOTE = {CriterionKind.BONUS: "điểm thưởng", CriterionKind.DEDUCTION: "điểm trừ"}


def place_of(bloc_year: BlocYear) -> str:
    """ "An Phú" from the province "Tỉnh An Phú" (the place in the date line)."""
    name = bloc_year.bloc.province.name
    for prefix in ("Tỉnh ", "Thành phố ", "tỉnh ", "thành phố "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if text else text


def province_committee(bloc_year: BlocYear) -> str:
    """ "UBND tỉnh An Phú" — the line above a bloc's or a member's name in the title block."""
    return f"UBND {lower_first(bloc_year.bloc.province.name)}"


def points(value) -> str:
    """12,5 — as the documents write points."""
    return scoring_math.fmt(value) or "0"


def deducted(value, words: Vocabulary) -> str:
    """Points deducted written as the province's pages write them: −2,5 or
    2,5 (trừ)."""
    return words.deduction(value, points(value))


def signed(value, words: Vocabulary) -> str:
    """A subtotal that deductions may take below zero, with the province's sign."""
    return deducted(-value, words) if value < 0 else points(value)


def roman(number: int) -> str:
    """A group's number as the tables of the province write it: I, II, … XX."""
    numerals = (("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))
    text = ""
    for letters, value in numerals:
        while number >= value:
            text, number = text + letters, number - value
    return text or str(number)


def _head_of(agency_id: int) -> User | None:
    return (
        User.objects.filter(agency_id=agency_id, agency_role=AgencyRole.HEAD, is_active=True)
        .order_by("id")
        .first()
    )


def _score_cell(row, words: Vocabulary) -> str:
    item = row.item
    if item is None or (item.score is None and not item.not_applicable):
        return ""
    if item.not_applicable:
        return "Không áp dụng"
    if row.criterion.kind == CriterionKind.DEDUCTION:
        return deducted(item.score, words)
    return points(item.score)


def _note_cell(row) -> str:
    parts = []
    if row.evidence:
        parts.append(f"{len(row.evidence)} tài liệu kiểm chứng")
    if row.item is not None and row.item.note.strip():
        parts.append(row.item.note.strip())
    return "; ".join(parts)


def _criterion_text(criterion) -> str:
    note = KIND_NOTE.get(criterion.kind)
    return f"{criterion.text} ({note})" if note else criterion.text


def assessment_table(view: AssessmentView, words: Vocabulary) -> Table:
    """The scoring table as the agency scored it: each group with its subtotal
    (bold), its criteria, then the bonus, the deductions and the total."""
    rows: list[list[str]] = []
    strong: list[int] = []
    for index, shown in enumerate(view.groups, start=1):
        group = shown.group
        subtotal = view.totals.groups.get(group.pk)
        strong.append(len(rows))
        rows.append(
            [
                roman(index),
                group.name.upper(),
                points(group.max_points),
                signed(subtotal.total if subtotal else 0, words),
                "",
            ]
        )
        for row in shown.rows:
            rows.append(
                [
                    row.criterion.code,
                    _criterion_text(row.criterion),
                    points(row.criterion.max_points),
                    _score_cell(row, words),
                    _note_cell(row),
                ]
            )
    totals = view.totals
    rows.append(["", "Điểm thưởng", points(totals.bonus_max), points(totals.bonus), ""])
    rows.append(["", "Điểm trừ", "", deducted(totals.deduction, words), ""])
    strong.append(len(rows))
    rows.append(["", "TỔNG ĐIỂM TỰ CHẤM", points(totals.maximum), points(totals.total), ""])
    return Table(
        ["TT", "Nội dung, tiêu chí chấm điểm", "Điểm tối đa", "Điểm tự chấm", "Ghi chú"],
        rows,
        widths=[1.2, 7, 1.8, 1.8, 3.2],
        numeric=(2, 3),
        strong_rows=tuple(strong),
    )


def build_assessment_report(assessment: SelfAssessment) -> DocumentSpec:
    """The self-assessment as the report its agency's head signs and sends to
    the bloc: "BÁO CÁO Kết quả tự chấm điểm thi đua năm 2023", the scoring
    table, the narrative, the head's signature block and "Nơi nhận". The
    number and the date are left for the agency's clerk to fill in; a
    self-assessment not yet submitted is marked "DỰ THẢO"."""
    membership = assessment.membership
    bloc_year = membership.bloc_year
    agency, bloc = membership.agency, bloc_year.bloc
    year = bloc_year.year.year
    view = assessment_view(assessment)
    head = _head_of(agency.pk)
    with translation.override("vi"):
        words = vocabulary_for(bloc.province)
        body: list = [
            Paragraph(
                f"Căn cứ Bảng chấm điểm thi đua năm {year} của {bloc.name} "
                f"({assessment.table.name}), {agency.name} tự chấm điểm kết quả thực hiện "
                "các nội dung, tiêu chí thi đua như sau:"
            ),
            assessment_table(view, words),
        ]
        lines = [line.strip() for line in assessment.report.splitlines() if line.strip()]
        if lines:
            body.append(Heading("Thuyết minh kết quả tự chấm điểm", level=2))
            body += [Paragraph(line) for line in lines]
        body.append(
            Paragraph(
                f"Tổng điểm tự chấm: {points(view.totals.total)}/{points(view.totals.maximum)} "
                f"điểm. {agency.name} cam đoan kết quả tự chấm điểm nêu trên đúng với thực tế "
                "và chịu trách nhiệm về các tài liệu kiểm chứng kèm theo./."
            )
        )
        return DocumentSpec(
            kind_name="Báo cáo",
            issuing_agency=agency.name,
            superior_agency=province_committee(bloc_year),
            place=place_of(bloc_year),
            date=None,
            number=blank_number(f"{words.symbol_report}-{agency.code.upper()}"),
            summary=f"Kết quả tự chấm điểm thi đua năm {year}",
            body=body,
            signatures=[
                Signature(
                    position=(head.position if head and head.position else HEAD_CAPACITY),
                    name=head.get_full_name() if head else "",
                )
            ],
            recipients=[f"{bloc.name} (đơn vị Trưởng khối)"],
            archive=AGENCY_UNIT,
            draft=assessment.state in ASSESSMENT_EDITABLE_STATES,
        )


def assessment_report_filename(assessment: SelfAssessment, extension: str) -> str:
    """ "bao-cao-tu-cham-diem-2023-so-tu-phap.pdf" (a draft: "du-thao-…")."""
    membership = assessment.membership
    return download_name(
        "Dự thảo" if assessment.state in ASSESSMENT_EDITABLE_STATES else "",
        "Báo cáo tự chấm điểm",
        membership.bloc_year.year.year,
        membership.agency.name,
        extension=extension,
    )
