"""Dự thảo quyết định: the decision the bloc proposes that the provincial
People's Committee take, one article per award, attached to the proposal letter."""

from __future__ import annotations

import datetime

from awards.documents.builders.common import NO_PROPOSALS, placeholder
from awards.documents.builders.sources import (
    conference_of,
    decree_for,
    fmt_date,
    law_for,
    local_government_law,
    members_of,
    proposals_of,
    scores_of,
)
from awards.selectors.council_numbers import base_salary_on, prize_amount, prize_coefficients
from blocs.documents import place_of
from blocs.models import BlocYear
from emulation.documents.spec import DocumentSpec, Paragraph, Signature, Table
from emulation.enums import DocumentKind
from emulation.models import IssuedDocument


def _proposal_letter_reference(bloc_year: BlocYear) -> str:
    """ "tại Tờ trình số 05/TTr-KTĐ ngày 19/01/2024" from the latest issued letter."""

    letter = (
        IssuedDocument.objects.filter(bloc_year=bloc_year, kind=DocumentKind.PROPOSAL_LETTER)
        .order_by("-version")
        .first()
    )
    if letter is None:
        return "tại Tờ trình"
    number = f" số {letter.number}" if letter.number else ""
    return f"tại Tờ trình{number} ngày {fmt_date(letter.date)}"


def _usual_date(year: int) -> datetime.date:
    """Undated: the usual time of the council's decision on the year."""
    return datetime.date(year + 1, 1, 15)


def _prize_money_text(bloc_year: BlocYear, proposals, day: datetime.date) -> str:
    """ ": Cờ thi đua … 18.720.000 đồng/tập thể (8 lần mức lương cơ sở)" for each
    award proposed whose coefficient and base salary are known on ``day``."""
    base = base_salary_on(day)
    if base is None or not proposals:
        return ""
    types = list(dict.fromkeys(p.award_type for p in proposals))
    coefficients = prize_coefficients(
        province_id=bloc_year.bloc.province_id, day=day, award_type_ids=[t.pk for t in types]
    )
    parts = []
    for award_type in types:
        row = coefficients.get(award_type.pk)
        if row is None:
            continue
        amount = prize_amount(coefficient=row.coefficient, base_salary=base.amount)
        times = f"{row.coefficient.normalize():f}".replace(".", ",")
        money = f"{amount:,}".replace(",", ".")
        parts.append(f"{award_type.name} {money} đồng/tập thể ({times} lần mức lương cơ sở)")
    return (": " + "; ".join(parts)) if parts else ""


def build_draft_decision(
    bloc_year: BlocYear,
    *,
    number: str = "",
    date: datetime.date | None = None,
    draft: bool = False,
) -> DocumentSpec:
    year = bloc_year.year.year
    members = members_of(bloc_year)
    proposals = proposals_of(conference_of(bloc_year), scores_of(bloc_year, members))
    award_names = list(dict.fromkeys(p.award_type.name for p in proposals))
    province = bloc_year.bloc.province.name
    province_lower = province[0].lower() + province[1:]
    body: list = [
        Paragraph(
            f"(Dự thảo kèm theo Tờ trình đề nghị khen thưởng của {bloc_year.bloc.name})",
            italic=True,
            align="center",
            indent=False,
        ),
        Paragraph(f"ỦY BAN NHÂN DÂN {province.upper()}", bold=True, align="center", indent=False),
        Paragraph(f"Căn cứ {local_government_law(date, year)};", italic=True),
        Paragraph(f"Căn cứ {law_for(date, year)};", italic=True),
        Paragraph(f"Căn cứ {decree_for(date, year)};", italic=True),
        Paragraph(
            f"Xét đề nghị của {bloc_year.bloc.name} {_proposal_letter_reference(bloc_year)} "
            f"và đề nghị của Giám đốc Sở Nội vụ (Cơ quan Thường trực Hội đồng Thi đua – Khen "
            f"thưởng {province_lower}).",
            italic=True,
        ),
        Paragraph("QUYẾT ĐỊNH:", bold=True, align="center", indent=False),
    ]
    if proposals:
        for article, award_name in enumerate(award_names, start=1):
            items = [p for p in proposals if p.award_type.name == award_name]
            body.append(
                Paragraph(
                    f"Điều {article}. Tặng {award_name} năm {year} cho {len(items)} tập thể thuộc "
                    f"{bloc_year.bloc.name} đã có thành tích xuất sắc trong phong trào thi đua "
                    f"năm {year}:"
                )
            )
            body.append(
                Table(
                    ["STT", "Tên tập thể"],
                    [[str(i), p.agency.name] for i, p in enumerate(items, start=1)],
                    widths=[1, 10],
                )
            )
        following = len(award_names) + 1
    else:
        body.append(placeholder(NO_PROPOSALS))
        following = 1
    body.append(
        Paragraph(
            f"Điều {following}. Các tập thể được khen thưởng được hưởng tiền thưởng theo quy "
            f"định hiện hành{_prize_money_text(bloc_year, proposals, date or _usual_date(year))}."
        )
    )
    body.append(
        Paragraph(
            f"Điều {following + 1}. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng "
            "Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan, đơn vị có liên "
            "quan và các tập thể có tên tại Quyết định này chịu trách nhiệm thi hành./."
        )
    )
    summary = (
        f"Về việc tặng {award_names[0]} năm {year}"
        if len(award_names) == 1
        else f"Về việc khen thưởng thành tích phong trào thi đua năm {year}"
    )
    return DocumentSpec(
        kind_name="Quyết định",
        issuing_agency=f"Ủy ban nhân dân {province_lower}",
        place=place_of(bloc_year),
        date=date,
        number=number,
        summary=summary,
        body=body,
        signatures=[Signature(position="Chủ tịch", on_behalf="TM. Ủy ban nhân dân")],
        recipients=[f"Như Điều {following + 1}", "Chủ tịch, các PCT UBND tỉnh"],
        archive="NV",
        draft=draft,
    )
