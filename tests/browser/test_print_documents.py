"""In the demo's 2023 year, an agency downloads its self-assessment as the
report its head signs, and the secretariat prints a poll's paper ballots."""

import subprocess

from awards.models import Poll
from awards.selectors.meeting import quorum_of
from blocs.models import SelfAssessment
from tests.browser.conftest import log_in


def pdf_text(path) -> str:
    return subprocess.run(
        ["/usr/bin/pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_an_agency_downloads_its_signable_self_assessment(page, demo, tmp_path):
    assessment = SelfAssessment.objects.get(
        membership__agency__code="stp",
        membership__bloc_year__bloc__code="tmth",
        membership__bloc_year__year__year=2023,
    )

    log_in(page, "stp.officer")
    page.goto(f"/assessments/{assessment.pk}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Báo cáo để ký (PDF)").click()
    download = info.value
    assert download.suggested_filename.startswith("bao-cao-tu-cham-diem-2023-so-tu-phap")
    path = tmp_path / "report.pdf"
    download.save_as(path)
    text = " ".join(pdf_text(path).split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Kết quả tự chấm điểm thi đua năm 2023" in text
    assert "TỔNG ĐIỂM TỰ CHẤM" in text
    assert "Nơi nhận:" in text

    page.get_by_role("link", name="Bản in").click()
    page.wait_for_load_state()
    report = page.get_by_test_id("assessment-report").inner_text()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in report
    assert "TỔNG ĐIỂM TỰ CHẤM" in report
    assert page.console_errors == [], page.console_errors


def test_the_secretariat_prints_the_paper_ballots_of_a_poll(page, demo, tmp_path):
    poll = (
        Poll.objects.filter(
            meeting__bloc_year__bloc__code="tmth", meeting__bloc_year__year__year=2023
        )
        .select_related("meeting")
        .first()
    )
    quorum = quorum_of(poll.meeting)
    expected = poll.voters_expected or quorum.represented or quorum.members

    log_in(page, "vpubnd.officer")
    page.goto(f"/polls/{poll.pk}/")
    assert page.locator("input[name=count]").input_value() == str(expected)
    with page.expect_download() as info:
        page.get_by_role("button", name="In phiếu bầu (PDF)").click()
    download = info.value
    assert download.suggested_filename.startswith("phieu-bau-")
    path = tmp_path / "ballots.pdf"
    download.save_as(path)
    text = pdf_text(path)
    assert text.count("PHIẾU BẦU") == expected
    assert "đánh dấu X" in " ".join(text.split())
    assert page.console_errors == [], page.console_errors
