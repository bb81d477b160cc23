"""Council staff correct a member's rating on the facts grid and see the
eligibility matrix change, with its reasons in Vietnamese."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in


def test_council_enters_a_rating_and_sees_the_eligibility(page, demo):
    from blocs.models import BlocYear, Membership

    bloc_year = BlocYear.objects.get(bloc__code="tmth", year__year=2023)
    stp = Membership.objects.get(bloc_year=bloc_year, agency__code="stp")
    log_in(page, "council")

    page.goto(f"/bloc-years/{bloc_year.pk}/eligibility/")
    cell = page.locator('tr[data-agency="stp"] td[data-award="tt_ldxs"]')
    assert "Không đủ điều kiện" in cell.inner_text()
    assert "năm 2023 xếp loại “Hoàn thành tốt nhiệm vụ”" in cell.inner_text()

    page.click("text=Nhập thông tin đánh giá của các thành viên")
    page.select_option(f"#id_m{stp.pk}-rating", "excellent")
    page.click("text=Lưu thông tin")
    page.wait_for_load_state()
    assert "Đã lưu: cập nhật thông tin của 1 cơ quan." in page.content()

    page.click("text=Xem điều kiện khen thưởng")
    cell = page.locator('tr[data-agency="stp"] td[data-award="tt_ldxs"]')
    assert re.search(r"✓ Đủ điều kiện", cell.inner_text())
    # A routine inspection without signs of violation does not bar; a denunciation does.
    sngv = page.locator('tr[data-agency="sngv"] td[data-award="bk_ubnd"]').inner_text()
    assert re.search(r"✓ Đủ điều kiện", sngv)
    stc = page.locator('tr[data-agency="stc"] td[data-award="bk_ubnd"]').inner_text()
    assert "đang giải quyết tố cáo từ ngày 20/12/2023" in stc
    assert page.console_errors == []


def test_a_member_sees_only_its_own_row(page, demo):
    from blocs.models import BlocYear

    bloc_year = BlocYear.objects.get(bloc__code="tmth", year__year=2023)
    log_in(page, "stp.officer")
    page.goto(f"/bloc-years/{bloc_year.pk}/eligibility/")
    assert page.locator("tr[data-agency]").count() == 1
    assert page.locator('tr[data-agency="stp"]').count() == 1
    assert page.console_errors == []


def test_council_chooses_the_government_flag_among_the_bloc_leaders(page, demo):
    """The demo's choice (vpubnd, sct) is on the page; the council leaves out
    one of them, and the page says so, without a console error."""
    log_in(page, "council")
    page.goto("/council/?year=2023")
    page.click("text=Cờ thi đua của Chính phủ")
    expect(page.locator('tr[data-agency="sct"][data-eligible="yes"]')).to_have_count(1)
    assert "được hội nghị khối bình xét là tập thể dẫn đầu khối" in page.inner_text("main")
    assert page.locator('tr[data-agency="vpubnd"] input[type=checkbox]').is_checked()
    page.locator('tr[data-agency="sct"] input[type=checkbox]').uncheck()
    page.fill("#id_source_document", "Biên bản họp Hội đồng số 03/BB-HĐTĐKT")
    page.get_by_role("button", name="Ghi nhận lựa chọn của Hội đồng").click()
    page.wait_for_load_state()
    assert "Đã ghi nhận lựa chọn của Hội đồng đề nghị Cờ thi đua của Chính phủ năm 2023" in (
        page.content()
    )
    assert not page.locator('tr[data-agency="sct"] input[type=checkbox]').is_checked()
    assert "03/BB-HĐTĐKT" in page.inner_text("main")
    assert page.console_errors == []
