"""Tờ trình đề nghị khen thưởng: the bloc's letter to the provincial council
naming the agencies proposed per award, with votes, rank and score."""

from __future__ import annotations

import datetime

from awards.documents.builders.common import (
    NO_PROPOSALS,
    bloc_spec,
    leader_signature,
    placeholder,
)
from awards.documents.builders.sources import (
    conference_of,
    council_name,
    decree_for,
    fmt_percent,
    fmt_points,
    law_for,
    long_date,
    members_of,
    proposals_of,
    scores_of,
)
from blocs.models import BlocYear
from emulation.documents.spec import DocumentSpec, Paragraph, Table


def award_summary(award_names: list[str], year: int) -> str:
    """ "Về việc đề nghị tặng Cờ thi đua của Ủy ban nhân dân tỉnh năm 2023"."""
    if len(award_names) == 1:
        return f"Về việc đề nghị tặng {award_names[0]} năm {year}"
    return f"Về việc đề nghị tặng danh hiệu thi đua, hình thức khen thưởng năm {year}"


def build_proposal_letter(
    bloc_year: BlocYear,
    *,
    number: str = "",
    date: datetime.date | None = None,
    draft: bool = False,
) -> DocumentSpec:
    year = bloc_year.year.year
    members = members_of(bloc_year)
    scores = scores_of(bloc_year, members)
    conference = conference_of(bloc_year)
    proposals = proposals_of(conference, scores)
    award_names = list(dict.fromkeys(p.award_type.name for p in proposals))
    council = council_name(bloc_year)
    body: list = [
        Paragraph(f"Kính gửi: {council}.", align="center", indent=False, bold=True),
        Paragraph(f"Căn cứ {law_for(date, year)};", italic=True),
        Paragraph(f"Căn cứ {decree_for(date, year)};", italic=True),
    ]
    meeting = conference.meeting
    if meeting is not None:
        body.append(
            Paragraph(
                f"Căn cứ Biên bản Hội nghị tổng kết công tác thi đua, khen thưởng năm {year} "
                f"của {bloc_year.bloc.name} {long_date(meeting.date)},",
                italic=True,
            )
        )
    if proposals:
        body.append(
            Paragraph(
                f"Qua bình xét, bỏ phiếu kín tại Hội nghị, {bloc_year.bloc.name} kính trình "
                f"{council} xem xét, trình cấp có thẩm quyền khen thưởng các tập thể sau:"
            )
        )
        for award_name in award_names:
            items = [p for p in proposals if p.award_type.name == award_name]
            body.append(Paragraph(f"Đề nghị tặng {award_name}: {len(items)} tập thể.", bold=True))
            body.append(
                Table(
                    ["STT", "Tên tập thể", "Số phiếu đồng ý", "Xếp hạng", "Tổng điểm"],
                    [
                        [
                            str(i),
                            p.agency.name,
                            f"{p.votes}/{p.base} ({fmt_percent(p.votes, p.base)})",
                            p.score.rank_text if p.score else "—",
                            fmt_points(
                                (p.score.final_total or p.score.self_total) if p.score else None
                            ),
                        ]
                        for i, p in enumerate(items, start=1)
                    ],
                    widths=[1, 6, 3, 2, 2],
                    numeric=(3, 4),
                )
            )
        body.append(
            Paragraph(
                "Hồ sơ kèm theo: Biên bản Hội nghị, Biên bản kiểm phiếu, Báo cáo thành tích "
                "của các tập thể được đề nghị khen thưởng.",
                italic=True,
            )
        )
        body.append(Paragraph(f"{bloc_year.bloc.name} kính trình {council} xem xét, quyết định./."))
    else:
        body.append(placeholder(NO_PROPOSALS))
    return bloc_spec(
        bloc_year,
        kind_name="Tờ trình",
        summary=award_summary(award_names, year),
        number=number,
        date=date,
        draft=draft,
        body=body,
        signatures=[leader_signature(bloc_year, members)],
        recipients=["Như trên", "Các đơn vị thành viên Khối"],
    )
