"""An issued document is complete: issuing is refused, naming everything still
missing, while a section is a placeholder or a required fact is empty; drafts
show the placeholders, marked."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.documents.builders import entry_for
from awards.documents.dossier import dossier_document_issue, issue_blockers
from awards.documents.narratives import narrative_save
from awards.services.meeting import meeting_update
from emulation.documents import DocumentSpec, Paragraph, render_docx, render_html
from emulation.documents.services import document_issue
from emulation.enums import DocumentKind
from emulation.models import IssuedDocument
from tests.documents.conftest import docx_text
from tests.documents.test_layout import document_xml

pytestmark = pytest.mark.django_db

DATE = datetime.date(2024, 1, 18)
DISCUSSION = "phần “Ý kiến thảo luận tại Hội nghị”"


def without_times(dossier):
    meeting = dossier.conference.meeting
    return meeting_update(
        actor=dossier.secretariat,
        meeting=meeting,
        date=meeting.date,
        place=meeting.place,
        chair=meeting.chair,
        secretary=meeting.secretary,
        quorum_numerator=meeting.quorum_numerator,
        quorum_denominator=meeting.quorum_denominator,
        starts_at=None,
        ends_at=None,
    )


def issue_minutes(dossier, number="03/BB-KTĐ"):
    return dossier_document_issue(
        actor=dossier.secretariat,
        bloc_year=dossier.bloc_year,
        slug=DocumentKind.MEETING_MINUTES.value,
        number=number,
        date=DATE,
    )


def test_a_placeholder_or_an_empty_required_fact_refuses_the_issue_naming_each(cast):
    spec = DocumentSpec(
        kind_name="Biên bản",
        issuing_agency="Khối thi đua số 1",
        place="An Phú",
        date=DATE,
        number="01/BB-KTĐ",
        body=[Paragraph("(Nội dung phần này chưa được soạn thảo.)", missing="phần “Kết luận”")],
        required=(("giờ bắt đầu Hội nghị", ""), ("thư ký Hội nghị", "Lê Thị Hoa")),
    )

    with pytest.raises(ValidationError) as refused:
        document_issue(
            actor=cast.secretariat,
            kind=DocumentKind.MEETING_MINUTES,
            spec=spec,
            title="Biên bản",
            bloc_year=cast.bloc_year,
        )

    assert refused.value.messages == [
        "Chưa thể ban hành văn bản này: giờ bắt đầu Hội nghị; phần “Kết luận”."
    ]
    assert not IssuedDocument.objects.exists()


def test_minutes_are_refused_until_times_and_every_section_are_there(dossier):
    without_times(dossier)

    with pytest.raises(ValidationError) as refused:
        issue_minutes(dossier, number="")

    (message,) = refused.value.messages
    for missing in [
        "số văn bản",
        "giờ bắt đầu Hội nghị",
        "giờ kết thúc Hội nghị",
        DISCUSSION,
    ]:
        assert missing in message, missing
    assert "thư ký" not in message  # given
    assert not IssuedDocument.objects.exists()


def test_complete_minutes_are_issued_with_their_times_and_no_placeholder(dossier):
    meeting = dossier.conference.meeting
    narrative_save(
        actor=dossier.secretariat,
        bloc_year=dossier.bloc_year,
        texts={"meeting_discussion": "Các đại biểu nhất trí với báo cáo."},
    )

    document = issue_minutes(dossier)

    with document.docx.open("rb") as f:
        text = docx_text(f.read())
    assert meeting.starts_at == datetime.time(8, 0)
    assert "Vào hồi 08 giờ 00 phút, ngày 18 tháng 01 năm 2024" in text
    assert "kết thúc vào hồi 11 giờ 30 phút cùng ngày" in text
    assert "chưa được" not in text


def test_a_draft_shows_its_placeholders_marked(dossier):
    entry = entry_for(dossier.bloc_year, DocumentKind.MEETING_MINUTES.value)
    spec = entry.build(dossier.bloc_year, draft=True)

    html = render_html(spec)
    assert 'class="para align-justify indent i placeholder"' in html
    assert "(Nội dung phần này chưa được Trưởng khối soạn thảo.)" in html
    assert '<w:highlight w:val="yellow"/>' in document_xml(render_docx(spec))
    assert spec.incomplete() == [DISCUSSION]


def test_issue_blockers_gather_the_dossier_and_the_document_in_one_list(dossier):
    without_times(dossier)
    entry = entry_for(dossier.bloc_year, DocumentKind.MEETING_MINUTES.value)

    blockers = issue_blockers(entry=entry, spec=entry.build(dossier.bloc_year, date=DATE))

    assert blockers[0].startswith("số văn bản")
    assert blockers[1:] == ["giờ bắt đầu Hội nghị", "giờ kết thúc Hội nghị", DISCUSSION]


def test_the_issue_page_lists_what_is_missing_in_vietnamese(dossier, login):
    client = login(dossier.secretariat)
    slug = DocumentKind.MEETING_MINUTES.value
    args = [dossier.bloc_year.pk, slug]

    preview = client.get(reverse("awards:document_preview", args=args)).content.decode()
    response = client.post(
        reverse("awards:document_issue", args=args),
        {"number": "03/BB-KTĐ", "date": "2024-01-18"},
    )

    assert DISCUSSION in preview and 'class="issue-form"' not in preview
    assert response.status_code == 400
    assert f"Chưa thể ban hành văn bản này: {DISCUSSION}." in response.content.decode()
    assert not IssuedDocument.objects.exists()
