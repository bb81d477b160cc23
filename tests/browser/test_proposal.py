"""Browser: the secretariat sends the proposal; the council finds it in its
inbox, receives it, approves some items and records the decision with a scan;
the agency profile then shows the award."""

from __future__ import annotations

import pytest

from awards.models import AwardRecord
from tests.browser.conftest import log_in
from tests.factories import UserFactory
from tests.factories.proposal import build_proposal

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def dossier(transactional_db):
    conf, proposal = build_proposal(members=4, prefix="tr")
    council = UserFactory(
        username="hoidong", is_council_staff=True, province=conf.bloc_year.bloc.province
    )
    return conf, proposal, council


def test_secretariat_submits_and_council_receives_approves_and_decides(page, dossier, tmp_path):
    conf, proposal, council = dossier

    # The bloc's secretariat sends the dossier.
    log_in(page, conf.secretariat.username)
    page.goto(f"/proposals/{proposal.pk}/")
    assert "Hồ sơ đề nghị khen thưởng" in page.locator("h1").inner_text()
    page.get_by_role("button", name="Gửi Hội đồng").click()
    page.wait_for_load_state()
    assert "Hồ sơ đề nghị đã được gửi Hội đồng" in page.locator("main").inner_text()
    assert page.locator("[aria-current=step]").inner_text() == "Đã gửi đề nghị"

    # The council: inbox → receive → approve some → decide.
    page.context.clear_cookies()
    log_in(page, council.username)
    assert "1 hồ sơ đề nghị chờ tiếp nhận" in page.locator("main").inner_text()
    page.goto("/council/proposals/")
    page.get_by_role("link", name=conf.bloc_year.bloc.name).click()
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.wait_for_load_state()
    assert "Đã tiếp nhận hồ sơ đề nghị" in page.locator("main").inner_text()

    for box in page.locator("input[name=approved]").all():
        box.check()
    row = page.locator("tr[data-agency=tr3][data-award=bk_ubnd]")
    row.get_by_label("Đồng ý").uncheck()
    row.locator("input[name^=note-]").fill("Chưa đủ điều kiện về thành tích")
    page.get_by_role("button", name="Lưu ý kiến").click()
    page.wait_for_load_state()
    assert "đồng ý 4 trên 5 nội dung" in page.locator("main").inner_text()

    scan = tmp_path / "qd-215.pdf"
    scan.write_bytes(PDF)
    page.fill("input[name=number]", "215/QĐ-UBND")
    page.fill("input[name=date]", "2024-03-15")
    page.fill("input[name=signer]", "Chủ tịch UBND tỉnh")
    page.set_input_files("input[name=scanned_file]", str(scan))
    page.fill("input[name=council_members]", "15")
    for votes_for in page.locator("input[name^=for-]").all():
        votes_for.fill("15")
    page.check("input[name=confirm]")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Ghi nhận quyết định khen thưởng").click()
    page.wait_for_load_state()

    main = page.locator("main").inner_text()
    assert "Đã ghi nhận Quyết định số 215/QĐ-UBND" in main
    assert "Quyết định số 215/QĐ-UBND ngày 15/03/2024" in main
    assert page.locator(".badge.proposal-state").inner_text() == "Đã có quyết định"
    assert AwardRecord.objects.filter(decision_number="215/QĐ-UBND").count() == 4

    # The profile of an awarded member shows it.
    page.locator("tr[data-agency=tr0][data-award=tt_ldxs] a").click()
    page.wait_for_load_state()
    assert "215/QĐ-UBND" in page.locator("main").inner_text()
    assert page.console_errors == [], page.console_errors
