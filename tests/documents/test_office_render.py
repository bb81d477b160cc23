"""The DOCX as an office suite renders it: every document converted headless
by LibreOffice (Debian's libreoffice-writer-nogui), then read back as the PDF
is. The national name stays on one line, each line of the agency block stays
whole, and every table keeps its column widths (STT narrow, the agency's name
wide) — checked on WeasyPrint's PDF and on LibreOffice's rendering alike.

Without LibreOffice the tests skip with the reason; under CI=true a missing
LibreOffice is a failure (.ci/run installs it)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass

import pytest

from awards.documents.builders import documents_for
from blocs.documents import build_assessment_report
from blocs.models import SelfAssessment
from emulation.documents import Table, render_docx, render_pdf
from emulation.documents.docx_renderer import MARGINS_MM, PAGE_HEIGHT_MM, PAGE_WIDTH_MM
from emulation.documents.spec import NATIONAL_NAME, DocumentSpec
from tests.conftest import in_ci
from tests.documents.conftest import PDFTOTEXT
from tests.documents.test_renderer import spec as renderer_spec

MM = 72 / 25.4


@pytest.fixture(scope="module")
def libreoffice() -> str:
    found = shutil.which("libreoffice") or shutil.which("soffice")
    if not found:
        message = (
            "LibreOffice not found: install it with "
            "`apt-get install -y libreoffice-writer-nogui` to check the DOCX as an office "
            "suite renders it"
        )
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return found


def convert(libreoffice: str, documents: dict[str, bytes], tmp_path) -> dict[str, bytes]:
    """Every DOCX converted to PDF in one headless LibreOffice run (its own
    profile, so that parallel runs never share one)."""
    source = tmp_path / "docx"
    out = tmp_path / "pdf"
    source.mkdir()
    out.mkdir()
    for name, data in documents.items():
        (source / f"{name}.docx").write_bytes(data)
    subprocess.run(
        [
            libreoffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *sorted(str(p) for p in source.glob("*.docx")),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {name: (out / f"{name}.pdf").read_bytes() for name in documents}


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    text: str


def words_of(data: bytes, tmp_path, name: str) -> list[Word]:
    path = tmp_path / f"{name}-bbox.pdf"
    path.write_bytes(data)
    html = subprocess.run(
        [PDFTOTEXT, "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    words = []
    for page, chunk in enumerate(html.split("<page ")[1:]):
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
            chunk,
        ):
            words.append(
                Word(page, float(m[1]), float(m[2]), float(m[3]), m[4].replace("&amp;", "&"))
            )
    return words


def layout_lines(data: bytes, tmp_path, name: str) -> list[str]:
    path = tmp_path / f"{name}-layout.pdf"
    path.write_bytes(data)
    return subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout.splitlines()


def check_title_block(spec: DocumentSpec, lines: list[str]) -> None:
    """The national name on one line; each agency line whole on one line."""
    squashed = [" ".join(line.split()) for line in lines]
    assert any(NATIONAL_NAME in line for line in squashed), "\n".join(lines[:12])
    for agency_line in spec.agency_lines:
        assert any(agency_line in line for line in squashed), (agency_line, lines[:12])


def check_tables(spec: DocumentSpec, words: list[Word], label: str = "") -> int:
    """Each table's heading words stand within their own column, the columns
    being as wide as the spec says (the table spans the text width)."""
    width_mm = PAGE_HEIGHT_MM if spec.landscape else PAGE_WIDTH_MM
    left = MARGINS_MM["left"] * MM
    span = (width_mm - MARGINS_MM["left"] - MARGINS_MM["right"]) * MM
    checked = 0
    for table in (b for b in spec.body if isinstance(b, Table)):
        bounds, start = [], left
        for width in table.column_widths_mm(span / MM):
            bounds.append((start, start + width * MM))
            start += width * MM
        firsts = [header.split()[0] for header in table.headers]
        # The heading row: a line holding every heading's first word, left to right.
        rows = [
            sorted(
                (w for w in words if w.page == anchor.page and abs(w.y0 - anchor.y0) < 3),
                key=lambda w: w.x0,
            )
            for anchor in words
            if anchor.text == firsts[0]
        ]
        needed = Counter(firsts)
        row = next(
            (r for r in rows if Counter(w.text for w in r) >= needed),
            None,
        )
        assert row is not None, (
            label,
            table.headers,
            [[w.text for w in r] for r in rows],
        )
        position = 0.0
        for first, (low, high) in zip(firsts, bounds, strict=True):
            word = next(w for w in row if w.text == first and w.x0 >= position - 1)
            assert low - 2 <= word.x0 and word.x1 <= high + 2, (
                label,
                table.headers,
                first,
                (round(word.x0), round(word.x1)),
                (round(low), round(high)),
            )
            position = word.x1
        checked += 1
    return checked


def dossier_specs(bloc_year) -> dict[str, DocumentSpec]:
    specs = {"renderer": renderer_spec()}
    for entry in documents_for(bloc_year):
        specs[entry.slug] = entry.build(bloc_year, draft=True)
    # A member's self-assessment report, signed by its head (not filed in the dossier).
    assessment = SelfAssessment.objects.filter(membership__bloc_year=bloc_year).first()
    specs["assessment_report"] = build_assessment_report(assessment)
    return specs


@pytest.mark.django_db
def test_every_docx_keeps_its_layout_in_libreoffice_as_the_pdf_does(libreoffice, dossier, tmp_path):
    specs = dossier_specs(dossier.bloc_year)
    converted = convert(
        libreoffice, {name: render_docx(spec) for name, spec in specs.items()}, tmp_path
    )

    tables = 0
    for name, spec in specs.items():
        for rendering, data in (("weasyprint", render_pdf(spec)), ("libreoffice", converted[name])):
            label = f"{name}-{rendering}"
            check_title_block(spec, layout_lines(data, tmp_path, label))
            tables += check_tables(spec, words_of(data, tmp_path, label), label)
    assert len(specs) >= 7
    assert tables >= 2 * 4  # the score summary, the vote count, the minutes… in both
