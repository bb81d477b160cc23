"""Bảng tổng hợp điểm: the members' scores per criterion group, totals and the
ranking (landscape A4)."""

from __future__ import annotations

import datetime

from awards.documents.builders.common import NO_RANKING, bloc_spec, leader_signature, placeholder
from awards.documents.builders.sources import (
    fmt_deduction,
    fmt_points,
    fmt_signed_points,
    members_of,
    scores_of,
    vocabulary_of,
)
from blocs.models import BlocYear
from emulation.documents.spec import DocumentSpec, Paragraph, Table


def build_score_summary(
    bloc_year: BlocYear,
    *,
    number: str = "",
    date: datetime.date | None = None,
    draft: bool = False,
) -> DocumentSpec:
    year = bloc_year.year.year
    members = members_of(bloc_year)
    scores = scores_of(bloc_year, members)
    words = vocabulary_of(bloc_year)
    body: list = [
        Paragraph(
            f"Kết quả chấm điểm thi đua năm {year} của {len(members.memberships)} đơn vị "
            f"thành viên {bloc_year.bloc.name}, theo bảng chấm điểm của năm."
        )
    ]
    headers = ["STT", "Đơn vị", *scores.group_names, "Điểm trừ", "Điểm tự chấm"]
    widths = [1, 5, *([2] * len(scores.group_names)), 2, 2]
    if scores.ranked:
        headers += ["Điểm thẩm định", "Xếp hạng"]
        widths += [2, 2]
    rows = []
    for index, row in enumerate(scores.rows, start=1):
        line = [
            str(index),
            row.agency.display_name,  # short names keep the wide table readable
            *(fmt_signed_points(words, v) for v in row.groups),
            fmt_deduction(words, row.deduction),
            fmt_points(row.self_total),
        ]
        if scores.ranked:
            line += [fmt_points(row.final_total), row.rank_text]
        rows.append(line)
    numeric = tuple(range(2, len(headers) - (1 if scores.ranked else 0)))
    body.append(Table(headers, rows, widths=widths, numeric=numeric))
    if scores.ranked:
        body.append(
            Paragraph(
                "Xếp hạng theo tổng điểm thẩm định đã khóa; các đơn vị bằng điểm sau khi áp "
                "dụng các tiêu chí phụ được xếp đồng hạng.",
                italic=True,
            )
        )
    else:
        body.append(placeholder(NO_RANKING))
    return bloc_spec(
        bloc_year,
        kind_name="Bảng tổng hợp điểm",
        summary=f"Kết quả chấm điểm, xếp hạng thi đua năm {year}",
        number=number,
        date=date,
        draft=draft,
        body=body,
        signatures=[leader_signature(bloc_year, members)],
        landscape=True,
    )
