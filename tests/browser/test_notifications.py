"""Notifications in the browser: the secretariat reminds an agency from the
overview and returns an assessment; the agency's officer sees both under the
bell, opens the return, and has its e-mail in the outbox. No console error
(the Content-Security-Policy included) on any page."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from emulation.models import User
from tests.browser.conftest import log_in
from tests.factories.assessment import submitted_assessment


def test_a_returned_assessment_is_seen_under_the_bell_and_e_mailed(page, cast):
    assessment = submitted_assessment(cast)
    User.objects.filter(pk=cast.officer.pk).update(email="mem.officer@example.vn")
    leader_row = f"/assessments/{assessment.pk}/remind/"

    # The secretariat reminds its own (unsubmitted) agency from the overview…
    log_in(page, "lead.officer")
    page.goto(f"/bloc-years/{cast.bloc_year.pk}/assessments/")
    assert page.locator(f"form[action='{leader_row}']").count() == 0  # submitted: no button
    page.get_by_role("button", name=f"Nhắc {cast.leader.agency.name}").click()
    page.wait_for_load_state()
    assert f"Đã nhắc {cast.leader.agency.name}." in page.locator("main").inner_text()
    page.get_by_role("button", name=f"Nhắc {cast.leader.agency.name}").click()
    page.wait_for_load_state()
    assert "đã được nhắc trong hôm nay" in page.locator("main").inner_text()

    # …and returns the member's submitted assessment with a reason.
    page.goto(f"/assessments/{assessment.pk}/")
    page.fill("#return-reason", "Thiếu chữ ký của thủ trưởng ở minh chứng 1.1")
    page.get_by_role("button", name="Trả lại đơn vị").click()
    page.wait_for_load_state()

    # The member's officer sees it under the bell, and reads it.
    page.context.clear_cookies()
    log_in(page, "mem.officer")
    bell = page.get_by_role("link", name="Thông báo: 1 chưa đọc")
    assert bell.inner_text().strip() == "1"
    bell.click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Thường trực khối đã trả lại bản tự chấm điểm năm 2023" in text
    assert "Thiếu chữ ký của thủ trưởng ở minh chứng 1.1" in text
    page.get_by_role("button", name="Mở").click()
    expect(page).to_have_url(re.compile(rf"/assessments/{assessment.pk}/$"))
    assert page.get_by_role("link", name="Thông báo: 0 chưa đọc").count() == 1

    # The e-mail went out after the commit.
    returned = [m for m in mail.outbox if m.subject == "Bản tự chấm điểm bị trả lại"]
    assert [m.to for m in returned] == [["mem.officer@example.vn"]]
    assert "Thiếu chữ ký của thủ trưởng" in returned[0].body

    # The e-mail settings, from the user menu.
    page.get_by_role("button", name=cast.officer.get_full_name()).click()
    page.get_by_role("link", name="Cài đặt thông báo").click()
    page.wait_for_load_state()
    page.get_by_label("Bản tự chấm điểm bị trả lại").uncheck()
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    assert "Đã lưu cài đặt thông báo." in page.locator("main").inner_text()
    assert not page.get_by_label("Bản tự chấm điểm bị trả lại").is_checked()

    assert page.console_errors == []
