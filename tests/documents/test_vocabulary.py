"""One vocabulary for pages and documents: the leader's title, the counting
board, the symbols and the sign of a deduction read the same on the bloc's
pages as in its minutes, vote count, proposal letter and score summary, and a
province's override changes both."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from awards.documents.builders import documents_for
from blocs import services
from blocs.models import BlocYearReview
from emulation.documents import render_docx, render_pdf
from emulation.enums import DocumentKind
from emulation.vocabulary import TERMS, default_text
from tests.documents.conftest import docx_text, pdf_text, squash
from tests.factories.review import FinalScoreFactory

pytestmark = pytest.mark.django_db

KINDS = (
    DocumentKind.MEETING_MINUTES,
    DocumentKind.VOTE_COUNT,
    DocumentKind.PROPOSAL_LETTER,
    DocumentKind.SCORE_SUMMARY,
)


def documents(bloc_year, tmp_path) -> dict:
    """{kind: (number suffix, DOCX text, PDF text)} of the four documents."""
    result = {}
    for entry in documents_for(bloc_year):
        if entry.kind in KINDS:
            spec = entry.build(bloc_year, number="01" + entry.number_suffix)
            result[entry.kind] = (
                entry.number_suffix,
                squash(docx_text(render_docx(spec))),
                squash(pdf_text(render_pdf(spec), tmp_path)),
            )
    return result


def page(client, bloc_year) -> str:
    return client.get(reverse("blocs:bloc_year_detail", args=[bloc_year.pk])).content.decode()


def reword(bloc_year, **terms):
    province = bloc_year.bloc.province
    services.province_vocabulary_update(
        actor=None,
        province=province,
        terms={t.key: terms.get(t.key, default_text(t.key)) for t in TERMS},
    )
    bloc_year.bloc.province.refresh_from_db()
    bloc_year.bloc.province.__dict__.pop("_vocabulary", None)


def test_pages_and_documents_name_the_leader_and_the_symbols_alike(dossier, login, tmp_path):
    bloc_year = dossier.bloc_year

    html = page(login(dossier.secretariat), bloc_year)
    docs = documents(bloc_year, tmp_path)

    assert "<strong>Trưởng khối</strong>" in html
    minutes_suffix, minutes_docx, minutes_pdf = docs[DocumentKind.MEETING_MINUTES]
    assert minutes_suffix == "/BB-KTĐ"
    assert docs[DocumentKind.VOTE_COUNT][0] == "/BB-KTĐ"
    assert docs[DocumentKind.PROPOSAL_LETTER][0] == "/TTr-KTĐ"
    assert "(Trưởng khối) trình bày" in minutes_docx and "(Trưởng khối) trình bày" in minutes_pdf
    for kind in (DocumentKind.PROPOSAL_LETTER, DocumentKind.SCORE_SUMMARY):
        _suffix, docx, pdf = docs[kind]
        assert "TRƯỞNG KHỐI" in docx and "TRƯỞNG KHỐI" in pdf, kind
    _suffix, count_docx, count_pdf = docs[DocumentKind.VOTE_COUNT]
    for text in ("I. BAN KIỂM PHIẾU", "TRƯỞNG BAN KIỂM PHIẾU", "– Trưởng ban."):
        assert text in count_docx and text in count_pdf, text
    for _suffix, docx, pdf in docs.values():
        for text in (docx, pdf):
            assert "KHỐI TRƯỞNG" not in text and "Khối phó" not in text and "Phó khối" not in text


def test_a_province_override_changes_pages_and_documents(dossier, login, tmp_path):
    bloc_year = dossier.bloc_year
    reword(
        bloc_year,
        leader="Khối trưởng",
        counting_board="Tổ kiểm phiếu",
        counting_head="Tổ trưởng",
        symbol_minutes="BBH",
        bloc_unit="KTT",
    )
    services.bloc_update(
        actor=None,
        bloc=bloc_year.bloc,
        name=bloc_year.bloc.name,
        kind=bloc_year.bloc.kind,
        abbreviation="KTMTH",
    )

    html = page(login(dossier.secretariat), bloc_year)
    docs = documents(bloc_year, tmp_path)

    assert "<strong>Khối trưởng</strong>" in html
    assert docs[DocumentKind.MEETING_MINUTES][0] == "/BBH-KTMTH"
    assert docs[DocumentKind.PROPOSAL_LETTER][0] == "/TTr-KTMTH"
    _suffix, minutes_docx, minutes_pdf = docs[DocumentKind.MEETING_MINUTES]
    assert "(Khối trưởng) trình bày" in minutes_docx and "(Khối trưởng) trình bày" in minutes_pdf
    assert "Lưu: VT, KTMTH" in docs[DocumentKind.PROPOSAL_LETTER][1]
    _suffix, count_docx, count_pdf = docs[DocumentKind.VOTE_COUNT]
    for text in ("I. TỔ KIỂM PHIẾU", "TỔ TRƯỞNG TỔ KIỂM PHIẾU", "– Tổ trưởng."):
        assert text in count_docx and text in count_pdf, text
    _suffix, summary_docx, summary_pdf = docs[DocumentKind.SCORE_SUMMARY]
    assert "KHỐI TRƯỞNG" in summary_docx and "KHỐI TRƯỞNG" in summary_pdf


def _ranked(dossier):
    """A locked, published ranking (written as the review's lock writes it)."""
    BlocYearReview.objects.update_or_create(
        bloc_year=dossier.bloc_year,
        defaults={
            "started_at": timezone.now(),
            "released_at": timezone.now(),
            "locked_at": timezone.now(),
            "published_at": timezone.now(),
        },
    )
    for index, (total, deduction) in enumerate(
        [("90", "0"), ("83.5", "0"), ("74.25", "1"), ("57.5", "2.5")]
    ):
        FinalScoreFactory(
            membership=dossier.memberships[index],
            total=Decimal(total),
            deduction=Decimal(deduction),
            rank=index + 1,
        )


@pytest.mark.parametrize(
    ("style", "written"), [("minus", "−2,5"), ("suffix", "2,5 (trừ)")], ids=["minus", "suffix"]
)
def test_a_deduction_reads_the_same_on_the_ranking_page_and_in_the_score_summary(
    dossier, login, tmp_path, style, written
):
    bloc_year = dossier.bloc_year
    _ranked(dossier)
    if style != "minus":
        reword(bloc_year, deduction_style=style)

    response = login(dossier.secretariat).get(reverse("blocs:ranking", args=[bloc_year.pk]))
    entry = next(e for e in documents_for(bloc_year) if e.kind == DocumentKind.SCORE_SUMMARY)
    spec = entry.build(bloc_year)
    table = Document(io.BytesIO(render_docx(spec))).tables[1]
    column = [c.text for c in table.rows[0].cells].index("Điểm trừ")
    pdf = pdf_text(render_pdf(spec), tmp_path, layout=True)

    assert response.status_code == 200
    assert f'<td class="text-end">{written}</td>' in response.content.decode()
    assert written in [row.cells[column].text for row in table.rows[1:]]
    assert written in pdf
    assert "-2,5" not in pdf


def test_the_meeting_page_names_the_chair_and_the_counting_board_as_the_minutes_do(dossier, login):
    meeting_url = reverse("awards:meeting_detail", args=[dossier.conference.meeting.pk])
    client = login(dossier.secretariat)

    before = client.get(meeting_url).content.decode()
    reword(dossier.bloc_year, chair="Chủ tọa", counting_board="Tổ kiểm phiếu")
    after = client.get(meeting_url).content.decode()

    assert "Chủ trì:" in before and "Ban Kiểm phiếu</h2>" in before and "– Trưởng ban" in before
    assert "Chủ tọa:" in after and "Tổ kiểm phiếu</h2>" in after
