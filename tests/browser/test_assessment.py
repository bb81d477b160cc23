"""An officer fills criteria (autosave with htmx: an error in the row, the row
and the totals replaced, typing carried over), attaches a file through the
page's one upload dialog and removes it, then the head of another agency
approves and submits its assessment."""

import re

from playwright.sync_api import expect

from blocs.enums import AssessmentState
from blocs.models import Evidence, ItemScore, SelfAssessment
from tests.browser.conftest import log_in
from tests.factories.files import PDF


def test_officer_fills_criteria_and_the_head_submits(page, demo):
    log_in(page, "stp.officer")
    page.get_by_text("Tự chấm điểm năm 2024").first.click()
    page.wait_for_load_state()
    progress = page.locator("#assessment-progress")
    expect(progress).to_contain_text("17/29 tiêu chí")

    row = page.locator(".item-row", has_text="Thực hiện quy chế dân chủ ở cơ sở, văn hóa công sở")
    score = row.locator("input[name=score]")
    score.fill("9")
    score.press("Tab")
    expect(row.locator(".invalid-feedback")).to_contain_text("vượt quá mức tối đa 2 điểm")
    expect(row.locator("input[name=score]")).to_have_value("9")  # the typed value stays

    # The score is saved while the officer already types the row's note: the
    # answer replaces the row and the totals, and keeps what is being typed.
    total = page.locator("#assessment-total")
    total_before = total.inner_text()
    held = []

    def hold(route):
        held.append(route)

    page.route("**/items/**", hold)
    row.locator("input[name=score]").fill("1,5")
    row.locator("input[name=score]").press("Tab")
    note = row.locator("textarea[name=note]")
    note.fill("Ban hành quy chế dân chủ tháng 3.")
    while not held:
        page.wait_for_timeout(20)
    with page.expect_response(lambda r: "/items/" in r.url) as saved:
        held[0].continue_()
    page.unroute("**/items/**", hold)
    assert saved.value.text().count('class="item-row') == 1  # the row alone, not the page
    expect(progress).to_contain_text("18/29 tiêu chí")
    expect(total).not_to_have_text(total_before)
    expect(row.locator(".item-status")).to_contain_text("Đã lưu")
    expect(note).to_have_value("Ban hành quy chế dân chủ tháng 3.")
    with page.expect_response(lambda r: "/items/" in r.url):
        note.press("Tab")
    expect(row.locator(".item-status")).to_contain_text("Mai Thị Thảo")
    item = ItemScore.objects.get(
        assessment__membership__agency__code="stp",
        assessment__membership__bloc_year__year__year=2024,
        criterion__code="3.6",
    )
    assert str(item.score) == "1.50" and item.note == "Ban hành quy chế dân chủ tháng 3."
    assert page.console_errors == [], page.console_errors

    # One upload form for the page: the row's button opens it for the row's criterion.
    row.get_by_role("button", name="Đính kèm").click()
    dialog = page.locator("#evidence-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("3.6")
    dialog.locator("input[type=file]").set_input_files(
        files=[{"name": "quy-che.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    dialog.get_by_role("button", name="Đính kèm").click()
    page.wait_for_load_state()
    expect(page.locator("#upload-outcome")).to_contain_text(
        "Đã đính kèm 1 tệp minh chứng cho tiêu chí 3.6."
    )
    expect(row).to_contain_text("quy-che.pdf")
    assert Evidence.objects.get(item=item).original_name == "quy-che.pdf"
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Xóa").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Đã gỡ tệp minh chứng.")
    assert not Evidence.objects.filter(item=item).exists()
    assert page.console_errors == [], page.console_errors

    # The head of Sở KH&ĐT, whose officer has scored everything, approves and submits.
    page.context.clear_cookies()
    log_in(page, "skhdt.head")
    page.get_by_text("Trình ký/nộp bản tự chấm điểm năm 2024").first.click()
    page.wait_for_load_state()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Ký duyệt và nộp").click()
    page.wait_for_load_state()

    expect(page.locator("main")).to_contain_text("Đã nộp bản tự chấm điểm cho Thường trực Khối.")
    expect(page.locator("main")).to_contain_text(re.compile("chỉ xem, không sửa được"))
    assert (
        SelfAssessment.objects.get(
            membership__agency__code="skhdt", membership__bloc_year__year__year=2024
        ).state
        == AssessmentState.SUBMITTED
    )
    assert page.console_errors == [], page.console_errors


def test_a_refused_submission_lists_the_missing_criteria_as_links(page, demo):
    """The head of Sở Tư pháp submits from the bar at the top; the refusal names
    the criteria left, each a link to its row; one file then proves two of them."""
    log_in(page, "stp.head")
    page.get_by_text("Trình ký/nộp bản tự chấm điểm năm 2024").first.click()
    page.wait_for_load_state()
    bar = page.locator(".assessment-bar")
    page.once("dialog", lambda dialog: dialog.accept())
    bar.get_by_role("button", name="Ký duyệt và nộp").click()
    page.wait_for_load_state()

    refusal = page.locator("#submit-refusal")
    expect(page.locator("main")).to_contain_text("Còn 12 tiêu chí chưa được chấm")
    expect(refusal).to_contain_text("Còn 12 tiêu chí chưa chấm:")
    links = refusal.locator("a")
    first = links.first
    code = first.inner_text()
    first.click()
    target = page.locator(".item-row:target")
    expect(target).to_contain_text(code)
    expect(target).to_be_in_viewport()
    # Only the criteria that keep the submission back are on the page.
    expect(page.locator(".item-row")).to_have_count(links.count())

    # One file for this criterion and another, chosen in the page's dialog.
    other = links.nth(1).inner_text()
    target.get_by_role("button", name="Đính kèm").click()
    dialog = page.locator("#evidence-dialog")
    dialog.locator("summary").click()
    dialog.get_by_label(re.compile("^" + re.escape(other) + " ")).check()
    dialog.locator("input[type=file]").set_input_files(
        files=[
            {"name": "ke-hoach.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "bao-cao.pdf", "mimeType": "application/pdf", "buffer": PDF},
        ]
    )
    dialog.get_by_role("button", name="Đính kèm").click()
    page.wait_for_load_state()
    outcome = page.locator("#upload-outcome")
    expect(outcome).to_contain_text("Đã đính kèm 2 tệp minh chứng cho tiêu chí")
    expect(outcome).to_be_in_viewport()
    assert page.url.endswith("?show=incomplete#upload-outcome")
    assert (
        Evidence.objects.filter(
            item__assessment__membership__agency__code="stp",
            item__criterion__code__in=[code, other],
            original_name__in=["ke-hoach.pdf", "bao-cao.pdf"],
        ).count()
        == 4
    )
    assert page.console_errors == [], page.console_errors
