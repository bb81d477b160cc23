"""The whole dossier in one download: the ZIP (every issued document in PDF and
DOCX, the table of contents, the evidence index, the merged PDF), the merged
PDF in the order a council files it, the management command, and the page
that queues the work for a worker and follows its progress."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from awards.documents.builders import documents_for
from awards.documents.dossier import dossier_document_issue
from awards.documents.export import (
    assemble_dossier,
    dossier_export_request,
    dossier_export_run,
)
from awards.documents.selectors import dossier_documents
from awards.enums import DossierExportState
from awards.models import DossierExport
from blocs.models import Evidence, ItemScore
from emulation.models import AuditEvent, IssuedDocument
from tests.documents.conftest import pdf_text, squash
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NUMBERS = {
    "score_summary": "02/BTH-KTĐ",
    "vote_count": "04/BB-KTĐ",
    "proposal_letter": "05/TTr-KTĐ",
    "draft_decision": "/QĐ-UBND",
    "achievement_report": "/BC",
}


def issue_what_can_be_issued(dossier) -> list[IssuedDocument]:
    issued = []
    for entry in documents_for(dossier.bloc_year):
        try:
            issued.append(
                dossier_document_issue(
                    actor=dossier.secretariat,
                    bloc_year=dossier.bloc_year,
                    slug=entry.slug,
                    number=NUMBERS.get(entry.kind.value, "01/BC-KTĐ"),
                    date=datetime.date(2024, 1, 19),
                )
            )
        except ValidationError:
            continue  # incomplete in this data set (e.g. the minutes' times)
    return issued


def read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def pages_of(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def issued(dossier):
    documents = issue_what_can_be_issued(dossier)
    assert {d.kind for d in documents} >= {"vote_count", "proposal_letter", "achievement_report"}
    return documents


def test_the_merged_pdf_has_every_page_of_its_parts_in_the_councils_order(
    dossier, issued, tmp_path
):
    assembled = assemble_dossier(dossier.bloc_year)

    assert assembled.documents == len(issued)
    filed = dossier_documents(dossier.bloc_year)
    assert assembled.part_pages[1:] == tuple(pages_of(read(d.pdf)) for d in filed)
    assert pages_of(assembled.merged_pdf) == sum(assembled.part_pages) == assembled.pages
    text = squash(pdf_text(assembled.merged_pdf, tmp_path))
    # The table of contents first, then the proposal letter before the vote count
    # and the vote count before the achievement report.
    assert text.index("MỤC LỤC HỒ SƠ") < text.index("TỜ TRÌNH")
    assert text.index("TỜ TRÌNH") < text.index("BIÊN BẢN KIỂM PHIẾU")
    assert text.index("BIÊN BẢN KIỂM PHIẾU") < text.index("BÁO CÁO THÀNH TÍCH")
    # The table of contents gives each document's pages in the merged PDF.
    contents = squash(pdf_text(assembled.merged_pdf, tmp_path).split("\f")[0])
    assert "05/TTr-KTĐ, ngày 19/01/2024" in contents


def test_the_zip_holds_every_issued_document_in_both_formats_the_contents_and_the_index(
    dossier, issued
):
    membership = dossier.memberships[0]
    item = ItemScore.objects.filter(assessment__membership=membership).first()
    Evidence.objects.create(
        item=item,
        file="evidence/x.pdf",
        original_name="Quyết định khen thưởng.pdf",
        kind="pdf",
        size=2048,
    )

    assembled = assemble_dossier(dossier.bloc_year)

    with zipfile.ZipFile(io.BytesIO(assembled.archive)) as archive:
        names = archive.namelist()
        assert "00-muc-luc-ho-so.pdf" in names and "00-muc-luc-ho-so.docx" in names
        for document in issued:
            assert any(n.endswith(document.filename("pdf")) for n in names), document
            assert any(n.endswith(document.filename("docx")) for n in names), document
        assert names.count(assembled.merged_name) == 1
        assert archive.read(assembled.merged_name) == assembled.merged_pdf
        sheet = load_workbook(io.BytesIO(archive.read("danh-muc-minh-chung.xlsx"))).active
        rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("STT", "Đơn vị", "Tiêu chí", "Tên tệp minh chứng")
    assert rows[1][1] == membership.agency.name
    assert rows[1][3] == "Quyết định khen thưởng.pdf"
    assert assembled.archive_name == f"ho-so-{dossier.bloc_year.bloc.code}-2023.zip"


def test_only_the_newest_version_of_a_document_goes_into_the_dossier(dossier, issued):
    again = dossier_document_issue(
        actor=dossier.secretariat,
        bloc_year=dossier.bloc_year,
        slug="vote_count",
        number="09/BB-KTĐ",
        date=datetime.date(2024, 1, 20),
    )

    assembled = assemble_dossier(dossier.bloc_year)

    assert assembled.documents == len(issued)
    with zipfile.ZipFile(io.BytesIO(assembled.archive)) as archive:
        names = archive.namelist()
    assert any(n.endswith(again.filename("pdf")) for n in names)
    assert not any("04-bb-ktd" in n for n in names)


def test_a_dossier_with_nothing_issued_is_refused(dossier):
    with pytest.raises(ValidationError, match="issued|ban hành"):
        assemble_dossier(dossier.bloc_year)
    with pytest.raises(ValidationError):
        dossier_export_request(actor=dossier.secretariat, bloc_year=dossier.bloc_year)
    assert not DossierExport.objects.exists()


def test_export_dossier_writes_the_zip_and_the_merged_pdf(dossier, issued, tmp_path, capsys):
    out = tmp_path / "out" / "ho-so.zip"
    call_command(
        "export_dossier", "--year", "2023", "--bloc", dossier.bloc_year.bloc.code, "--out", out
    )

    merged = out.with_suffix(".pdf").read_bytes()
    with zipfile.ZipFile(out) as archive:
        pdfs = [
            archive.read(n)
            for n in archive.namelist()
            if n.endswith(".pdf") and n != f"ho-so-{dossier.bloc_year.bloc.code}-2023.pdf"
        ]
    assert len(pdfs) == len(issued) + 1  # the documents and the table of contents
    assert pages_of(merged) == sum(pages_of(p) for p in pdfs)
    assert f"{len(issued)} documents" in capsys.readouterr().out


def test_export_dossier_refuses_an_unknown_bloc_year(db, tmp_path):
    with pytest.raises(CommandError, match="No bloc-year"):
        call_command(
            "export_dossier", "--year", "2023", "--bloc", "nope", "--out", tmp_path / "x.zip"
        )


# --- in the background ---------------------------------------------------------------


def test_a_requested_dossier_is_queued_then_assembled_by_the_task(
    dossier, issued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = dossier_export_request(actor=dossier.secretariat, bloc_year=dossier.bloc_year)

    export.refresh_from_db()
    assert export.state == DossierExportState.DONE
    assert export.progress == 100
    assert export.documents == len(issued)
    assert pages_of(read(export.merged_pdf)) == export.pages
    assert zipfile.is_zipfile(io.BytesIO(read(export.archive)))
    actions = list(
        AuditEvent.objects.filter(action__startswith="dossier.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["dossier.assemble", "dossier.request"]


def test_while_one_is_pending_a_second_request_returns_it(dossier, issued):
    first = dossier_export_request(actor=dossier.secretariat, bloc_year=dossier.bloc_year)
    second = dossier_export_request(actor=dossier.secretariat, bloc_year=dossier.bloc_year)

    assert first.pk == second.pk and first.state == DossierExportState.QUEUED
    assert dossier_export_run(export_id=first.pk).state == DossierExportState.DONE
    # Running it again changes nothing.
    assert dossier_export_run(export_id=first.pk).state == DossierExportState.DONE


# The worker closes its database connections between tasks: no test transaction.
@pytest.mark.django_db(transaction=True)
def test_the_task_runs_on_the_database_backend_through_a_worker(
    dossier, issued, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    with django_capture_on_commit_callbacks(execute=True):
        export = dossier_export_request(actor=dossier.secretariat, bloc_year=dossier.bloc_year)
    export.refresh_from_db()
    assert export.state == DossierExportState.QUEUED  # the web process did not run it

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    export.refresh_from_db()
    assert export.state == DossierExportState.DONE


# --- the pages --------------------------------------------------------------------


def url(name, dossier, *args):
    return reverse(f"awards:{name}", args=[dossier.bloc_year.pk, *args])


@pytest.fixture
def done(dossier, issued):
    export = dossier_export_request(actor=dossier.secretariat, bloc_year=dossier.bloc_year)
    return dossier_export_run(export_id=export.pk)


def test_the_secretariat_starts_the_assembly_and_follows_it(
    dossier, issued, client, django_capture_on_commit_callbacks
):
    client.force_login(dossier.secretariat)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url("dossier_export_start", dossier))
    export = DossierExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("dossier_export_detail", dossier, export.pk)

    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page and "<progress" in page

    dossier_export_run(export_id=export.pk)
    partial = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial
    assert url("dossier_export_download", dossier, export.pk, "zip") in partial
    listing = client.get(url("document_list", dossier)).content.decode()
    assert url("dossier_export_detail", dossier, export.pk) in listing


def test_a_member_downloads_the_assembled_dossier(dossier, done, client):
    member = dossier.conference.heads[3]
    client.force_login(member)

    response = client.get(url("dossier_export_download", dossier, done.pk, "zip"))
    assert response.status_code == 200
    assert (
        f'filename="ho-so-{dossier.bloc_year.bloc.code}-2023.zip"'
        in response["Content-Disposition"]
    )
    assert zipfile.is_zipfile(io.BytesIO(b"".join(response.streaming_content)))
    merged = client.get(url("dossier_export_download", dossier, done.pk, "pdf"))
    assert merged["Content-Type"] == "application/pdf"
    assert b"".join(merged.streaming_content).startswith(b"%PDF-")
    assert client.get(url("dossier_export_download", dossier, done.pk, "exe")).status_code == 404


def test_a_member_may_not_start_an_assembly(dossier, issued, client):
    client.force_login(dossier.conference.heads[3])

    assert client.post(url("dossier_export_start", dossier)).status_code == 403
    assert not DossierExport.objects.exists()


def test_an_outsider_gets_404_for_the_dossier(dossier, done, client):
    client.force_login(UserFactory())

    assert client.get(url("dossier_export_detail", dossier, done.pk)).status_code == 404
    assert client.get(url("dossier_export_download", dossier, done.pk, "zip")).status_code == 404
    assert client.post(url("dossier_export_start", dossier)).status_code == 404


def test_the_dossier_urls_answer_405_to_the_wrong_method(dossier, done, client):
    client.force_login(dossier.secretariat)

    assert client.get(url("dossier_export_start", dossier)).status_code == 405
    assert client.post(url("dossier_export_detail", dossier, done.pk)).status_code == 405
    assert client.post(url("dossier_export_download", dossier, done.pk, "zip")).status_code == 405


def test_a_failed_assembly_says_why(dossier, issued, client):
    export = dossier_export_request(actor=dossier.secretariat, bloc_year=dossier.bloc_year)
    for document in IssuedDocument.objects.all():
        document.pdf.storage.delete(document.pdf.name)

    export = dossier_export_run(export_id=export.pk)

    assert export.state == DossierExportState.FAILED and export.error
    client.force_login(dossier.secretariat)
    page = client.get(url("dossier_export_detail", dossier, export.pk)).content.decode()
    assert "alert-danger" in page
