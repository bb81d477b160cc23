"""Báo cáo tổng kết: the bloc's year-end report that the leader presents at the
conference, assembled from the data with the sections the secretariat writes."""

from __future__ import annotations

import datetime

from awards.documents.builders.common import (
    NO_PROPOSALS,
    NO_RANKING,
    bloc_recipients,
    bloc_spec,
    leader_signature,
    narrative_paragraphs,
)
from awards.documents.builders.sources import (
    conference_of,
    fmt_percent,
    fmt_points,
    members_of,
    movements_of,
    proposals_of,
    registrations_of,
    scores_of,
    vocabulary_of,
)
from awards.documents.narratives import narratives_of
from blocs.models import BlocYear
from emulation.documents.spec import DocumentSpec, Heading, Paragraph, Table
from emulation.enums import NarrativeSection


def build_year_report(
    bloc_year: BlocYear,
    *,
    number: str = "",
    date: datetime.date | None = None,
    draft: bool = False,
) -> DocumentSpec:
    year = bloc_year.year.year
    members = members_of(bloc_year)
    texts = narratives_of(bloc_year)
    scores = scores_of(bloc_year, members)
    conference = conference_of(bloc_year)
    leader, deputy = members.leader, members.deputy
    words = vocabulary_of(bloc_year)
    body: list = [Heading("I. ĐẶC ĐIỂM, TÌNH HÌNH")]
    sentence = (
        f"{bloc_year.bloc.name} gồm {len(members.memberships)} đơn vị thành viên"
        + (f"; năm {year} do {leader.agency.name} làm {words.leader}" if leader else "")
        + (f", {deputy.agency.name} làm {words.deputy}" if deputy else "")
        + "."
    )
    body.append(Paragraph(sentence))
    body.append(
        Table(
            ["STT", "Đơn vị thành viên", "Vai trò"],
            [
                [str(i), m.agency.name, words.role(m.role)]
                for i, m in enumerate(members.memberships, start=1)
            ],
            widths=[1, 8, 3],
        )
    )
    body += narrative_paragraphs(bloc_year, texts, NarrativeSection.SITUATION)

    body.append(Heading("II. KẾT QUẢ TRIỂN KHAI CÁC PHONG TRÀO THI ĐUA"))
    body.append(Heading("1. Các phong trào thi đua được hưởng ứng", level=2))
    movements = movements_of(bloc_year)
    if not movements:
        body.append(Paragraph("Chưa có phong trào thi đua nào được Khối ghi nhận.", italic=True))
    else:
        for movement in movements:
            text = f"- {movement.title} (phát động: {movement.launched_by})"
            body.append(Paragraph(text + (f": {movement.note}" if movement.note else ".")))
    body.append(Heading("2. Đăng ký thi đua", level=2))
    registrations = registrations_of(bloc_year)
    body.append(
        Paragraph(
            f"{len(registrations)}/{len(members.memberships)} đơn vị đã đăng ký thi đua năm {year}."
        )
    )
    body.append(
        Table(
            ["STT", "Đơn vị", "Danh hiệu, hình thức khen thưởng đăng ký"],
            [
                [
                    str(i),
                    m.agency.name,
                    "; ".join(registrations[m.pk]) if m.pk in registrations else "Chưa đăng ký",
                ]
                for i, m in enumerate(members.memberships, start=1)
            ],
            widths=[1, 6, 8],
        )
    )
    body.append(Heading("3. Những kết quả nổi bật", level=2))
    body += narrative_paragraphs(bloc_year, texts, NarrativeSection.ACHIEVEMENTS)

    body.append(Heading("III. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA"))
    assessed = [r for r in scores.rows if r.self_total is not None]
    body.append(
        Paragraph(
            f"{len(assessed)}/{len(members.memberships)} đơn vị đã tự chấm điểm theo bảng chấm "
            f"điểm năm {year}."
        )
    )
    if scores.ranked:
        body.append(
            Table(
                ["Xếp hạng", "Đơn vị", "Điểm tự chấm", "Điểm thẩm định"],
                [
                    [
                        r.rank_text,
                        r.agency.name,
                        fmt_points(r.self_total),
                        fmt_points(r.final_total),
                    ]
                    for r in scores.rows
                ],
                widths=[2, 7, 2, 2],
                numeric=(2, 3),
            )
        )
    else:
        # The report may be presented before the ranking or the vote: these say
        # so, they are not sections left unwritten.
        body.append(Paragraph(NO_RANKING, italic=True))

    body.append(Heading("IV. KẾT QUẢ BÌNH XÉT, ĐỀ NGHỊ KHEN THƯỞNG"))
    proposals = proposals_of(conference, scores)
    if proposals:
        body.append(
            Table(
                ["STT", "Đơn vị", "Danh hiệu, hình thức đề nghị", "Số phiếu đồng ý"],
                [
                    [
                        str(i),
                        p.agency.name,
                        p.award_type.name,
                        f"{p.votes}/{p.base} ({fmt_percent(p.votes, p.base)})",
                    ]
                    for i, p in enumerate(proposals, start=1)
                ],
                widths=[1, 5, 6, 3],
            )
        )
    else:
        body.append(Paragraph(NO_PROPOSALS, italic=True))

    body.append(Heading("V. ĐÁNH GIÁ CHUNG"))
    body += narrative_paragraphs(bloc_year, texts, NarrativeSection.ASSESSMENT)
    body.append(Heading(f"VI. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year + 1}"))
    body += narrative_paragraphs(bloc_year, texts, NarrativeSection.PLAN)
    body.append(
        Paragraph(
            f"Trên đây là báo cáo tổng kết công tác thi đua, khen thưởng năm {year} của "
            f"{bloc_year.bloc.name}./."
        )
    )
    return bloc_spec(
        bloc_year,
        kind_name="Báo cáo",
        summary=(
            f"Tổng kết công tác thi đua, khen thưởng năm {year} và phương hướng, nhiệm vụ "
            f"năm {year + 1}"
        ),
        number=number,
        date=date,
        draft=draft,
        body=body,
        signatures=[leader_signature(bloc_year, members)],
        recipients=bloc_recipients(bloc_year),
    )
