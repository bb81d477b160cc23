"""render_documents writes every document of a bloc-year in both formats, and
every document of the demo bloc-years renders."""

import io
import subprocess

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from awards.documents.builders import documents_for
from awards.enums import DossierExportState
from awards.models import DossierExport
from blocs.models import BlocYear
from blocs.selectors import ranking_for
from emulation.documents import render_docx, render_pdf
from emulation.enums import DocumentKind
from emulation.models import DocumentNarrative, IssuedDocument
from emulation.text import vietnamese_slug
from tests.demo import load_demo
from tests.documents.conftest import docx_text, pdf_text, squash

pytestmark = pytest.mark.django_db


def test_render_documents_writes_every_document_as_docx_and_pdf(dossier, tmp_path):
    out = tmp_path / "out"
    stdout = io.StringIO()

    call_command(
        "render_documents",
        "--year",
        "2023",
        "--bloc",
        dossier.bloc_year.bloc.code,
        "--out",
        str(out),
        "--date",
        "2024-01-19",
        stdout=stdout,
    )

    stems = [
        "bao-cao-tong-ket",
        "bang-tong-hop-diem",
        "bien-ban-hop",
        "bien-ban-kiem-phieu",
        "to-trinh-de-nghi-khen-thuong",
        "du-thao-quyet-dinh",
        vietnamese_slug(f"Báo cáo thành tích {dossier.memberships[2].agency.name}"),
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{stem}.{ext}" for stem in stems for ext in ("docx", "pdf")
    )
    letter = docx_text((out / "to-trinh-de-nghi-khen-thuong.docx").read_bytes())
    assert "Hội Nghị, ngày 19 tháng 01 năm 2024" in letter
    assert "Sở Số 2" in letter
    text = pdf_text((out / "bien-ban-kiem-phieu.pdf").read_bytes(), tmp_path)
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    assert "14 files written" in stdout.getvalue()


def test_render_documents_refuses_an_unknown_bloc_year(db, tmp_path):
    with pytest.raises(CommandError, match="No bloc-year"):
        call_command("render_documents", "--year", "2023", "--bloc", "none", "--out", str(tmp_path))


def test_every_demo_document_renders_and_the_demo_issues_what_its_data_allow(settings, tmp_path):
    settings.DEBUG = True
    load_demo()
    bloc_years = list(
        BlocYear.objects.filter(bloc__code="tmth").select_related("bloc", "bloc__province", "year")
    )
    assert bloc_years

    rendered = 0
    for bloc_year in bloc_years:
        for entry in documents_for(bloc_year):
            spec = entry.build(bloc_year)
            docx = render_docx(spec)
            pdf = render_pdf(spec)
            assert Document(io.BytesIO(docx)).sections[0].page_width
            assert pdf.startswith(b"%PDF-")
            text = squash(pdf_text(pdf, tmp_path))
            assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
            assert spec.kind_name.upper() in text
            rendered += 1
    assert rendered >= 6 * len(bloc_years)

    # 2023: the secretariat's sections are in the report, from the demo's narratives.
    demo_2023 = next(b for b in bloc_years if b.year.year == 2023)
    assert DocumentNarrative.objects.filter(bloc_year=demo_2023).count() == 6
    report = next(e for e in documents_for(demo_2023) if e.kind == DocumentKind.YEAR_END_REPORT)
    text = squash(docx_text(render_docx(report.build(demo_2023))))
    assert (
        "Văn phòng Ủy ban nhân dân tỉnh làm Trưởng khối, Thanh tra tỉnh làm Phó Trưởng khối" in text
    )
    assert "Đưa vào nội dung giao ước thi đua" in text or "Chưa có phong trào" in text

    # The demo issued the 2023 documents whose data are complete.
    ranked = bool(ranking_for(demo_2023))

    issued = {d.kind: d for d in IssuedDocument.objects.filter(bloc_year=demo_2023)}

    if not ranked:
        assert not issued  # nothing is issued before the ranking is locked
        return
    summary = issued[DocumentKind.SCORE_SUMMARY]
    assert summary.number == "02/BTH-KTĐ"
    path = tmp_path / "summary.pdf"
    with summary.pdf.open("rb") as f:
        path.write_bytes(f.read())
    text = subprocess.run(
        ["/usr/bin/pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    top = ranking_for(demo_2023)[0]
    assert top.agency.name.split()[0] in text
    assert DocumentKind.YEAR_END_REPORT in issued
    # No issued document holds a section left as a placeholder.
    for document in issued.values():
        with document.docx.open("rb") as f:
            text = docx_text(f.read())
        assert "chưa được Trưởng khối soạn thảo" not in text, document.kind
        # One vocabulary with the pages: "Trưởng khối", "Phó Trưởng khối".
        assert "Khối trưởng" not in text and "Khối phó" not in text, document.kind
    # The demo's dossier of what was issued is ready to download.
    export = DossierExport.objects.get(bloc_year=demo_2023)
    assert export.state == DossierExportState.DONE
    assert export.documents == len(issued) and export.pages > len(issued)
