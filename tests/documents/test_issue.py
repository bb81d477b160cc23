import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from emulation.documents import DocumentSpec, Paragraph
from emulation.documents.selectors import issued_documents_for
from emulation.documents.services import document_issue
from emulation.enums import DocumentKind
from emulation.models import AuditEvent, IssuedDocument
from tests.factories import UserFactory


def a_spec(**overrides):
    values = {
        "kind_name": "Giao ước thi đua",
        "issuing_agency": "Khối thi đua số 1",
        "place": "An Phú",
        "date": datetime.date(2024, 2, 20),
        "number": "01/GƯTĐ-KTĐ",
        "body": [Paragraph("Nội dung giao ước có dấu tiếng Việt.")],
    }
    values.update(overrides)
    return DocumentSpec(**values)


def issue(cast, **overrides):
    return document_issue(
        actor=cast.secretariat,
        kind=DocumentKind.COVENANT,
        spec=a_spec(**overrides),
        title="Giao ước thi đua năm 2023",
        bloc_year=cast.bloc_year,
    )


def test_document_issue_stores_both_files_with_their_hashes_and_audits(cast):
    document = issue(cast)

    assert document.version == 1
    assert document.number == "01/GƯTĐ-KTĐ"
    with document.docx.open("rb") as f:
        docx = f.read()
    with document.pdf.open("rb") as f:
        pdf = f.read()
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(docx).hexdigest() == document.docx_sha256
    assert hashlib.sha256(pdf).hexdigest() == document.pdf_sha256
    event = AuditEvent.objects.get(action="document.issue")
    assert event.data["version"] == 1 and event.actor == cast.secretariat


def test_issuing_again_makes_a_new_version_and_keeps_the_old(cast):
    first = issue(cast)
    second = issue(cast, number="02/GƯTĐ-KTĐ")

    assert second.version == 2
    versions = list(
        issued_documents_for(kind=DocumentKind.COVENANT, bloc_year=cast.bloc_year).values_list(
            "version", "number"
        )
    )
    assert versions == [(2, "02/GƯTĐ-KTĐ"), (1, "01/GƯTĐ-KTĐ")]
    first.refresh_from_db()
    assert first.number == "01/GƯTĐ-KTĐ"


def test_an_issued_document_cannot_be_changed_or_deleted(cast):
    document = issue(cast)

    document.number = "99"
    with pytest.raises(PermissionDenied):
        document.save()
    with pytest.raises(PermissionDenied):
        IssuedDocument.objects.filter(pk=document.pk).update(number="99")
    with pytest.raises(PermissionDenied):
        document.delete()
    with pytest.raises(PermissionDenied):
        IssuedDocument.objects.all().delete()


def test_a_draft_or_undated_spec_is_refused(cast):
    with pytest.raises(ValidationError):
        issue(cast, draft=True)
    with pytest.raises(ValidationError):
        issue(cast, date=None)
    assert not IssuedDocument.objects.exists()


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_member_downloads_an_issued_document(cast, login, fmt):
    document = issue(cast)
    client = login(cast.officer)

    response = client.get(reverse("documents:issued_document_download", args=[document.pk, fmt]))

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    response.close()
    assert hashlib.sha256(body).hexdigest() == getattr(document, f"{fmt}_sha256")
    assert response["Cache-Control"] == "private, no-store"
    assert f'filename="giao-uoc-thi-dua-01-gutd-ktd-v1.{fmt}"' in response["Content-Disposition"]


@pytest.mark.parametrize("who", ["outsider", "other_council"])
def test_outsiders_get_404_for_an_issued_document(cast, login, who):
    document = issue(cast)
    client = login(getattr(cast, who))

    response = client.get(reverse("documents:issued_document_download", args=[document.pk, "pdf"]))

    assert response.status_code == 404


def test_document_download_is_get_only(cast, login):
    document = issue(cast)
    client = login(cast.council)

    url = reverse("documents:issued_document_download", args=[document.pk, "pdf"])

    assert client.post(url).status_code == 405
    response = client.get(url)
    response.close()
    assert response.status_code == 200


def test_a_document_of_no_bloc_year_is_read_only_by_those_who_see_every_province(cast, login):

    document = document_issue(
        actor=cast.admin,
        kind=DocumentKind.COVENANT,
        spec=a_spec(),
        title="Văn bản không thuộc khối nào",
        target=cast.province,
    )
    national = UserFactory(username="bo.noivu", is_council_staff=True, is_national=True)
    url = reverse("documents:issued_document_download", args=[document.pk, "pdf"])

    for who in (cast.council, cast.other_council, cast.secretariat):
        assert login(who).get(url).status_code == 404
    response = login(national).get(url)
    b"".join(response.streaming_content)
    assert response.status_code == 200


def test_a_document_is_not_issued_with_a_date_still_to_come(cast):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError, match="ngày chưa đến"):
        issue(cast, date=tomorrow)

    assert not IssuedDocument.objects.exists()
    assert issue(cast, date=datetime.date.today()).version == 1
