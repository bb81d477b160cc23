"""The council sets up a bloc-year and carries the demo bloc forward, in the browser."""

from __future__ import annotations

from blocs.enums import MemberRole, Phase
from blocs.models import BlocYear
from tests.browser.conftest import log_in


def test_council_carries_the_bloc_forward_to_2026(page, demo):
    log_in(page, "council")
    page.click("text=Khối thi đua theo năm")
    page.click("tr:has-text('2025') >> text=Khối thi đua các cơ quan Tham mưu – Tổng hợp")
    members = page.locator(".members-table").inner_text()
    assert "Sở Dân tộc và Tôn giáo" in members
    assert "Sở Kế hoạch và Đầu tư" not in members  # merged into Sở Tài chính in 2025

    page.click("text=Chuyển sang năm sau")
    assert "Chuyển Khối thi đua các cơ quan Tham mưu – Tổng hợp sang năm 2026" in page.inner_text(
        "h1"
    )
    # Sở Tài chính leads 2025: the rotation proposes Sở Nội vụ, then Sở Tư pháp.
    assert page.locator("#id_leader option:checked").inner_text() == "Sở Nội vụ"
    assert page.locator("#id_deputy option:checked").inner_text() == "Sở Tư pháp"
    page.select_option("#id_deputy", label="Sở Ngoại vụ")
    page.click("text=Xác nhận: tạo năm 2026 với 8 thành viên")

    assert "Đã chuyển khối thi đua sang năm 2026 với 8 thành viên" in page.inner_text("main")
    bloc_year = BlocYear.objects.get(bloc__code="tmth", year__year=2026)
    roles = dict(bloc_year.memberships.values_list("agency__code", "role"))
    assert roles["snv"] == MemberRole.LEADER
    assert roles["sngv"] == MemberRole.DEPUTY

    # The new year starts in set-up: the council opens registration, and when
    # it is over starts the year (each step confirmed in a dialog).
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Mở đăng ký thi đua')")
    assert "Đã mở đăng ký thi đua." in page.inner_text("main")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Kết thúc đăng ký, bắt đầu năm thi đua')")
    assert "Đã kết thúc đăng ký; năm thi đua bắt đầu." in page.inner_text("main")
    bloc_year.refresh_from_db()
    assert bloc_year.phase == Phase.IN_PROGRESS
    assert page.console_errors == [], page.console_errors


def test_council_creates_a_bloc_and_its_year_and_adds_members(page, demo):
    log_in(page, "council")
    page.click("nav >> text=Danh mục")
    page.click("nav >> text=Khối thi đua và năm")
    page.click("text=Thêm khối thi đua")
    page.fill("#id_code", "cum1")
    page.fill("#id_name", "Cụm thi đua số 1")
    page.select_option("#id_kind", "cum")
    page.click("button:has-text('Tạo khối thi đua')")
    assert "Đã tạo khối thi đua “Cụm thi đua số 1”" in page.inner_text("main")

    page.click("text=Thêm khối thi đua theo năm")
    page.select_option("#id_year", label="2025 – Tỉnh An Phú")
    page.click("button:has-text('Tạo khối thi đua theo năm')")
    assert "Thêm các cơ quan thành viên" in page.inner_text("main")

    # The members of tmth in 2025 are taken: they cannot join a second bloc.
    options = page.locator("#id_agency option").all_inner_texts()
    assert "Sở Tài chính" not in options
    assert "Sở Dân tộc và Tôn giáo" not in options

    page.click("nav >> text=Danh mục")
    page.click("nav >> text=Cơ quan, đơn vị")
    page.click("text=Thêm cơ quan")
    page.fill("#id_code", "sxd")
    page.fill("#id_name", "Sở Xây dựng")
    page.click("button:has-text('Tạo cơ quan')")
    assert "Đã tạo cơ quan “Sở Xây dựng”" in page.inner_text("main")

    page.goto(f"/bloc-years/{BlocYear.objects.get(bloc__code='cum1').pk}/")
    page.select_option("#id_agency", label="Sở Xây dựng")
    page.select_option("#id_role", "leader")
    page.click("button:has-text('Thêm')")
    assert "Đã thêm Sở Xây dựng vào khối" in page.inner_text("main")
    assert page.locator("tr[data-agency=sxd] select[name=role] option:checked").inner_text() == (
        "Trưởng khối"
    )
    assert page.console_errors == [], page.console_errors
