"""An agency registers its targets and titles for 2025; its head submits; the
bloc's secretariat sees it in the list of registrations."""

import datetime

from django.utils import timezone

from blocs import services
from blocs.models import BlocYear, Membership, Registration
from emulation.models import User
from tests.browser.conftest import log_in


def open_registration_2025():
    bloc_year = BlocYear.objects.select_related("year").get(bloc__code="tmth", year__year=2025)
    year = bloc_year.year
    fields = [
        "registration_deadline",
        "self_assessment_opens",
        "self_assessment_deadline",
        "review_deadline",
        "dispute_deadline",
        "proposal_deadline",
    ]
    deadlines = {name: getattr(year, name) for name in fields}
    deadlines["registration_deadline"] = timezone.localdate() + datetime.timedelta(days=10)
    later = [name for name in fields[1:] if deadlines[name] is not None]
    for offset, name in enumerate(later, start=20):
        deadlines[name] = timezone.localdate() + datetime.timedelta(days=offset * 2)
    services.emulation_year_update(
        actor=User.objects.get(username="council"), emulation_year=year, **deadlines
    )
    return bloc_year


def test_an_agency_registers_and_the_secretariat_sees_it(page, demo):
    bloc_year = open_registration_2025()
    leader = Membership.objects.get(bloc_year=bloc_year, role="leader").agency.code

    # The officer of Sở Tư pháp follows the dashboard task to the registration.
    log_in(page, "stp.officer")
    page.get_by_role("link", name="Đăng ký thi đua năm 2025").first.click()
    page.wait_for_load_state()
    assert "Đăng ký thi đua năm 2025 – Sở Tư pháp" in page.locator("h1").inner_text()
    page.fill("input[name=indicator]", "Tỷ lệ văn bản quy phạm pháp luật được thẩm định đúng hạn")
    page.fill("input[name=unit]", "%")
    page.fill("input[name=target_value]", "100")
    page.get_by_role("button", name="Thêm chỉ tiêu").click()
    page.wait_for_load_state()
    assert "Đã thêm chỉ tiêu." in page.locator("main").inner_text()
    # A bad value is refused in Vietnamese and the text typed is kept.
    page.fill("input[name=indicator]", "Số sáng kiến được công nhận")
    page.fill("input[name=unit]", "sáng kiến")
    page.fill("input[name=target_value]", "0")
    page.get_by_role("button", name="Thêm chỉ tiêu").click()
    page.wait_for_load_state()
    assert page.input_value("input[name=indicator]") == "Số sáng kiến được công nhận"
    page.fill("input[name=target_value]", "2")
    page.get_by_role("button", name="Thêm chỉ tiêu").click()
    page.wait_for_load_state()
    page.get_by_label("Tập thể lao động xuất sắc").check()
    page.get_by_role("button", name="Lưu danh hiệu đăng ký").click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert "Số sáng kiến được công nhận" in body
    assert "thủ trưởng đơn vị gửi bản đăng ký" in body
    assert page.console_errors == [], page.console_errors
    page.context.clear_cookies()

    # The head submits it (confirming the dialog).
    log_in(page, "stp.head")
    page.goto(
        f"/registrations/{Membership.objects.get(bloc_year=bloc_year, agency__code='stp').pk}/"
    )
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Gửi bản đăng ký").click()
    page.wait_for_load_state()
    assert "Đã gửi bản đăng ký thi đua của đơn vị." in page.locator("main").inner_text()
    registration = Registration.objects.get(
        membership__bloc_year=bloc_year, membership__agency__code="stp"
    )
    assert registration.state == "submitted"
    assert [a.code for a in registration.award_types.all()] == ["tt_ldxs"]
    assert registration.targets.count() == 2
    assert page.console_errors == [], page.console_errors
    page.context.clear_cookies()

    # The secretariat of 2025 sees one of eight registered.
    log_in(page, f"{leader}.officer")
    page.goto(f"/bloc-years/{bloc_year.pk}/registrations/")
    body = page.locator("main").inner_text()
    members = bloc_year.memberships.count()
    assert f"1/{members} đơn vị đã đăng ký." in body
    assert "Nhắc các đơn vị chưa đăng ký" in body
    assert page.console_errors == [], page.console_errors
