"""Báo cáo thành tích: the achievement report of one proposed agency, under the
headings of the collective template of Decree 152/2025/NĐ-CP, from its
self-assessment report, its scores, its facts and its award history."""

from __future__ import annotations

import datetime

from awards.documents.builders.sources import (
    fmt_points,
    members_of,
    proposed_memberships,
    registrations_of,
    scores_of,
    self_report_of,
    targets_of,
    vocabulary_of,
)
from awards.enums import AwardKind, TaskRating
from awards.selectors import award_history, facts_by_agency_year, predecessors_map
from blocs.documents import place_of, province_committee
from blocs.enums import HEAD_CAPACITY
from blocs.models import BlocYear, Membership
from emulation.documents.spec import DocumentSpec, Heading, Paragraph, Signature, Table

RATING_TEXT = {
    TaskRating.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    TaskRating.GOOD: "Hoàn thành tốt nhiệm vụ",
    TaskRating.COMPLETED: "Hoàn thành nhiệm vụ",
    TaskRating.NOT_COMPLETED: "Không hoàn thành nhiệm vụ",
}


def _history_table(records) -> Table | Paragraph:
    if not records:
        return Paragraph("Chưa có dữ liệu khen thưởng được ghi nhận.", italic=True)
    return Table(
        ["Năm", "Danh hiệu, hình thức khen thưởng", "Số, ngày quyết định", "Cơ quan ban hành"],
        [
            [
                str(r.year),
                r.award_type.name,
                f"{r.decision_number} ngày {r.decision_date:%d/%m/%Y}",
                r.signer,
            ]
            for r in records
        ],
        widths=[1, 5, 4, 3],
    )


def build_achievement_report(
    bloc_year: BlocYear,
    membership: Membership,
    *,
    award_names: list[str] | None = None,
    number: str = "",
    date: datetime.date | None = None,
    draft: bool = False,
) -> DocumentSpec:
    year = bloc_year.year.year
    agency = membership.agency
    members = members_of(bloc_year)
    if award_names is None:
        award_names = next(
            (
                [t.name for t in types]
                for m, types in proposed_memberships(bloc_year)
                if m == membership
            ),
            [],
        )
    scores = scores_of(bloc_year, members)
    score = scores.row_of(membership.pk)
    fact = facts_by_agency_year(agency_ids=[agency.pk], first_year=year, last_year=year).get(
        (agency.pk, year)
    )
    body: list = [Heading("I. ĐẶC ĐIỂM, TÌNH HÌNH")]
    body.append(Heading("1. Đặc điểm", level=2))
    sentence = (
        f"{agency.name} là đơn vị thành viên của {bloc_year.bloc.name} năm {year} "
        f"(vai trò: {vocabulary_of(bloc_year).role(membership.role)})."
    )
    if fact is not None and fact.women_percent is not None:
        sentence += (
            f" Tỷ lệ nữ cán bộ, công chức, người lao động: {fmt_points(fact.women_percent)}%."
        )
    body.append(Paragraph(sentence))
    body.append(Heading("2. Chức năng, nhiệm vụ", level=2))
    body.append(
        Paragraph(
            f"{agency.name} thực hiện chức năng, nhiệm vụ theo quy định của Ủy ban nhân dân tỉnh.",
        )
    )
    body.append(Heading("II. THÀNH TÍCH ĐẠT ĐƯỢC"))
    body.append(Heading("1. Kết quả thực hiện nhiệm vụ được giao", level=2))
    report = self_report_of(membership)
    lines = [line.strip() for line in report.splitlines() if line.strip()]
    if lines:
        body += [Paragraph(line) for line in lines]
    else:
        body.append(
            Paragraph("Đơn vị chưa nộp báo cáo thuyết minh kèm bản tự chấm điểm.", italic=True)
        )
    body.append(Heading("2. Kết quả chấm điểm, xếp hạng thi đua trong Khối", level=2))
    if score is None or score.self_total is None:
        body.append(Paragraph("Đơn vị chưa tự chấm điểm.", italic=True))
    else:
        text = f"Điểm tự chấm: {fmt_points(score.self_total)} điểm"
        if score.rank is not None:
            text += (
                f"; điểm thẩm định: {fmt_points(score.final_total)} điểm; xếp hạng "
                f"{score.rank_text}/{len(members.memberships)} đơn vị trong Khối"
            )
        else:
            text += "; chưa có kết quả xếp hạng"
        body.append(Paragraph(text + "."))
    targets = targets_of(membership)
    if targets:
        body.append(Heading("3. Kết quả thực hiện các chỉ tiêu thi đua đã đăng ký", level=2))
        body.append(
            Table(
                ["STT", "Chỉ tiêu", "Đơn vị tính", "Đăng ký", "Thực hiện", "Tỷ lệ"],
                [
                    [
                        str(i),
                        t.indicator,
                        t.target.unit,
                        fmt_points(t.target.target_value),
                        fmt_points(t.latest.value) if t.latest else "—",
                        f"{fmt_points(t.percent)}%" if t.percent is not None else "—",
                    ]
                    for i, t in enumerate(targets, start=1)
                ],
                widths=[1, 6, 2, 2, 2, 2],
                numeric=(3, 4, 5),
            )
        )
    registrations = registrations_of(bloc_year)
    if registrations and membership.pk in registrations:
        body.append(
            Paragraph(
                f"Danh hiệu, hình thức khen thưởng đã đăng ký năm {year}: "
                f"{'; '.join(registrations[membership.pk])}."
            )
        )
    if fact is not None and fact.rating:
        body.append(
            Paragraph(
                f"Kết quả đánh giá, xếp loại năm {year}: "
                f"{RATING_TEXT.get(fact.rating, fact.rating)}."
            )
        )
    body.append(Heading("III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN"))
    agency_ids = [agency.pk, *predecessors_map([agency.pk]).get(agency.pk, set())]
    history = [r for r in award_history(agency_ids=agency_ids) if r.year < year]
    body.append(Heading("1. Danh hiệu thi đua", level=2))
    body.append(_history_table([r for r in history if r.award_type.kind == AwardKind.TITLE]))
    body.append(Heading("2. Hình thức khen thưởng", level=2))
    body.append(_history_table([r for r in history if r.award_type.kind == AwardKind.FORM]))
    summary = f"Đề nghị tặng {'; '.join(award_names)} năm {year}" if award_names else f"Năm {year}"
    return DocumentSpec(
        kind_name="Báo cáo thành tích",
        issuing_agency=agency.name,
        superior_agency=province_committee(bloc_year),
        place=place_of(bloc_year),
        date=date,
        number=number,
        summary=summary,
        body=body,
        signatures=[Signature(position=HEAD_CAPACITY, name=members.head_of(membership))],
        draft=draft,
    )
