"""A review clicked through: the leader adjusts a score (a reason is required),
finishes and releases; the agency disputes the adjusted item with evidence;
the leader accepts the dispute."""

from __future__ import annotations

from blocs import services
from blocs.models import Adjustment, Dispute
from tests.browser.conftest import log_in
from tests.factories.review import make_env

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_review_with_an_adjustment_and_a_dispute(page, cast):
    env = make_env(cast, members=3)
    by = env.bloc_year
    services.review_configure(actor=env.secretariat, bloc_year=by, mode="leader")
    services.review_start(actor=env.secretariat, bloc_year=by)
    assessment = env.assessment(cast.member)
    c11 = env.table.criteria["1.1"]
    page.on("dialog", lambda dialog: dialog.accept())

    # The leader lowers 1.1 without a reason: refused beside the field, input kept.
    log_in(page, "lead.officer")
    page.goto(f"/reviews/{assessment.pk}/")
    page.fill(f"#id_score_{c11.pk}", "20")
    page.click("button[name=action][value=save]")
    assert "Nêu lý do thay đổi điểm tiêu chí 1.1" in page.locator("main").inner_text()
    assert page.input_value(f"#id_score_{c11.pk}") == "20"
    page.fill(f"#id_reason_{c11.pk}", "Kế hoạch công tác năm ban hành chậm (tháng 3)")
    page.click("button[name=action][value=complete]")
    page.wait_for_load_state()
    assert "Đã hoàn thành thẩm định" in page.locator("main").inner_text()
    assert Adjustment.objects.get().reason == "Kế hoạch công tác năm ban hành chậm (tháng 3)"

    # The other two are verified as submitted; the leader releases the review.
    for m in env.memberships:
        if m.pk != cast.member.pk:
            services.assessment_review_complete(
                actor=env.secretariat, assessment=env.assessment(m), stage="leader"
            )
    page.goto(f"/bloc-years/{by.pk}/review/")
    page.click("text=Công bố kết quả thẩm định cho các đơn vị")
    page.wait_for_load_state()
    assert "Đã công bố kết quả thẩm định" in page.locator("main").inner_text()

    # The agency sees the adjustment with its reason and disputes it.
    page.context.clear_cookies()
    log_in(page, "mem.officer")
    page.goto(f"/reviews/{assessment.pk}/")
    row = page.locator("#row-1\\.1")
    assert "Kế hoạch công tác năm ban hành chậm" in row.inner_text()
    row.locator("text=Kiến nghị").click()
    page.fill("#id_explanation", "Kế hoạch ban hành ngày 25/01, có văn bản kèm theo.")
    page.set_input_files(
        "#id_files", files=[{"name": "ke-hoach.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("text=Gửi kiến nghị")
    page.wait_for_load_state()
    assert "Đã gửi kiến nghị" in page.locator("main").inner_text()
    assert "Đang xem xét" in page.locator("#row-1\\.1").inner_text()
    assert Dispute.objects.get().evidence.count() == 1

    # The leader accepts it: the score goes back to the self score.
    page.context.clear_cookies()
    log_in(page, "lead.officer")
    page.goto(f"/reviews/{assessment.pk}/")
    row = page.locator("#row-1\\.1")
    row.locator("input[value=accept]").check()
    row.locator("textarea[name=resolution]").fill(
        "Đã kiểm tra văn bản: kế hoạch ban hành đúng hạn."
    )
    row.locator("text=Giải quyết").click()
    page.wait_for_load_state()
    assert "Được chấp nhận" in page.locator("#row-1\\.1").inner_text()
    assert page.locator("#total-verified").inner_text() == "70"
    assert page.console_errors == [], page.console_errors
