"""Pieces shared by the documents of a bloc: the title block of the bloc, the
leader's signature, the usual recipients, the "not yet" sentences."""

from __future__ import annotations

import datetime

from awards.documents.builders.sources import (
    Members,
    council_name,
    unit_of,
    vocabulary_of,
)
from blocs.documents import place_of, province_committee
from blocs.models import BlocYear
from emulation.documents.spec import DocumentSpec, Paragraph, Signature
from emulation.enums import NarrativeSection

NO_RANKING = "Chưa có kết quả xếp hạng: điểm thẩm định của các đơn vị chưa được khóa."
NO_MEETING = "Chưa tổ chức Hội nghị tổng kết: chưa có dữ liệu cuộc họp."
NO_POLLS = "Chưa có cuộc bỏ phiếu nào được kiểm phiếu."
NO_PROPOSALS = "Chưa có kết quả bình xét được công bố: chưa có đơn vị được đề nghị khen thưởng."
# What each placeholder stands for, as the refusal to issue names it.
MISSING = {
    NO_RANKING: "kết quả xếp hạng (điểm thẩm định chưa được khóa)",
    NO_MEETING: "dữ liệu Hội nghị tổng kết",
    NO_POLLS: "kết quả kiểm phiếu",
    NO_PROPOSALS: "kết quả bình xét được công bố",
}


def bloc_spec(
    bloc_year: BlocYear,
    *,
    kind_name: str,
    summary: str,
    number: str,
    date: datetime.date | None,
    draft: bool,
    body: list,
    signatures: list[Signature],
    recipients: list[str] | None = None,
    landscape: bool = False,
    required: tuple[tuple[str, str], ...] = (),
) -> DocumentSpec:
    return DocumentSpec(
        kind_name=kind_name,
        issuing_agency=bloc_year.bloc.name,
        superior_agency=province_committee(bloc_year),
        place=place_of(bloc_year),
        date=date,
        number=number,
        summary=summary,
        body=body,
        signatures=signatures,
        recipients=recipients or [],
        archive=unit_of(bloc_year),
        required=required,
        landscape=landscape,
        draft=draft,
    )


def leader_signature(bloc_year: BlocYear, members: Members) -> Signature:
    return Signature(
        position=vocabulary_of(bloc_year).leader,
        on_behalf="TM. Khối thi đua",
        name=members.head_of(members.leader),
    )


def bloc_recipients(bloc_year: BlocYear) -> list[str]:
    return [
        council_name(bloc_year),
        "Ban Thi đua – Khen thưởng (Sở Nội vụ)",
        "Các đơn vị thành viên Khối",
    ]


def person_and_office(text: str) -> tuple[str, str]:
    """ "Trần Minh Đức, Chánh Văn phòng UBND tỉnh, Trưởng khối" as the full name
    (under the signature) and the office (above it)."""
    name, _sep, office = (text or "").partition(",")
    return name.strip(), office.strip()


def placeholder(text: str) -> Paragraph:
    """One of the "not yet" sentences, marked as standing for what is missing."""
    return Paragraph(text, italic=True, missing=MISSING[text])


def not_written(bloc_year: BlocYear) -> str:
    """ "(Nội dung phần này chưa được Trưởng khối soạn thảo.)" """
    return f"(Nội dung phần này chưa được {vocabulary_of(bloc_year).leader} soạn thảo.)"


def narrative_paragraphs(
    bloc_year: BlocYear, texts: dict, section: NarrativeSection
) -> list[Paragraph]:
    """The secretariat's text of ``section``, one paragraph per line; a
    placeholder naming the section when it is empty."""
    lines = [line.strip() for line in (texts.get(section) or "").splitlines() if line.strip()]
    if not lines:
        return [Paragraph(not_written(bloc_year), italic=True, missing=f"phần “{section.label}”")]
    return [Paragraph(line) for line in lines]


def bloc_name_lower(bloc_year: BlocYear) -> str:
    """ "Khối thi đua các cơ quan Tham mưu – Tổng hợp" as it reads inside a sentence."""
    return bloc_year.bloc.name
