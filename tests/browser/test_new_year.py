"""A year the demo never saw, in the browser, from set-up to the council's decision.

The demo bloc's 2025 is carried forward to 2026. On the pages, its secretariat
opens registration, starts the year (early, confirmed, once every member has
registered), opens the self-assessment, starts the review, is refused the lock
before the dispute deadline and before the year's facts, locks and publishes
the ranking; the conference meets and votes; the proposal goes to the council,
which decides; the year is closed. The phase bar shows each phase in turn —
voting included — and the history page lists every move. The members' typing,
the roll call and the ballots go through the services (their pages have their
own browser tests).

Slow (a minute or two): it runs in CI (CI=true) or with WHOLE_YEAR=1.
"""

from __future__ import annotations

import datetime
import os
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awards.enums import AttendanceStatus
from awards.models import AwardRecord, AwardType, Meeting, Proposal
from awards.services import voting as voting_services
from awards.services.facts import agency_fact_set
from awards.services.meeting import attendance_record
from blocs.enums import RegistrationState
from blocs.models import (
    BlocYear,
    EmulationYear,
    Membership,
    Registration,
    ScoringTable,
    SelfAssessment,
)
from blocs.services import bloc_year_carry_forward
from blocs.services import review as review_services
from blocs.services.assessment import assessment_submit
from blocs.services.registration import registration_submit, registration_target_add
from blocs.services.scoring import scoring_table_copy
from emulation.models import User
from tests.browser.conftest import log_in
from tests.browser.test_voting import conference_demo, new_page  # noqa: F401 - fixture
from tests.browser.test_whole_year import _finish_typing
from tests.conftest import in_ci

pytestmark = pytest.mark.skipif(
    not in_ci() and not os.environ.get("WHOLE_YEAR"),
    reason="the new-year browser test is slow: it runs in CI, or with WHOLE_YEAR=1",
)


def current_phase(page) -> str:
    return page.locator(".phase-bar .is-current").inner_text().strip()


def test_a_new_year_from_set_up_to_the_councils_decision(  # noqa: PLR0915
    browser,
    live_server,
    conference_demo,  # noqa: F811
):
    council = User.objects.get(username="council")
    old = BlocYear.objects.get(bloc__code="tmth", year__year=2025)
    new = bloc_year_carry_forward(actor=council, bloc_year=old)
    today = timezone.localdate()
    EmulationYear.objects.filter(pk=new.year_id).update(
        registration_deadline=today + datetime.timedelta(days=5),
        self_assessment_opens=today,
        self_assessment_deadline=today + datetime.timedelta(days=10),
        review_deadline=today + datetime.timedelta(days=12),
        dispute_deadline=today + datetime.timedelta(days=14),
        proposal_deadline=today + datetime.timedelta(days=30),
    )
    memberships = list(Membership.objects.filter(bloc_year=new).select_related("agency"))
    leader = next(m for m in memberships if m.role == "leader").agency.code
    secretariat = User.objects.get(username=f"{leader}.officer")
    by = f"/bloc-years/{new.pk}"
    seen = []

    def page_for(username):
        context, page = new_page(browser, live_server)
        log_in(page, username)
        return context, page

    def done(context, page):
        assert page.console_errors == [], page.console_errors
        context.close()

    def phase_is(page, label):
        assert current_phase(page) == label, page.locator("main").inner_text()[:500]
        if not seen or seen[-1] != label:
            seen.append(label)

    def click(page, selector):
        page.locator(selector).click()
        page.wait_for_load_state()

    # --- set-up and registration ---------------------------------------------------------
    context, page = page_for(secretariat.username)
    page.goto(f"{by}/")
    phase_is(page, "Thiết lập")
    click(page, "form.phase-step button")
    expect(page.locator("main")).to_contain_text("Đã mở đăng ký thi đua.")
    phase_is(page, "Đăng ký thi đua")

    for m in memberships:  # each head registers (the registration pages have their own tests)
        head = User.objects.get(username=f"{m.agency.code}.head")
        registration_target_add(
            actor=head,
            membership=m,
            indicator="Tỷ lệ hồ sơ giải quyết đúng hạn",
            unit="%",
            target_value=Decimal("98"),
        )
        registration_submit(actor=head, membership=m)
    assert Registration.objects.filter(
        membership__bloc_year=new, state=RegistrationState.SUBMITTED
    ).count() == len(memberships)

    click(page, "form.phase-step button")  # before the deadline: a question first
    expect(page.locator("main")).to_contain_text("Bắt đầu năm thi đua sớm?")
    phase_is(page, "Đăng ký thi đua")
    click(page, "form.phase-step button")  # confirmed
    expect(page.locator("main")).to_contain_text("năm thi đua bắt đầu")
    phase_is(page, "Triển khai thực hiện")

    # --- self-assessment -------------------------------------------------------------------
    scoring_table_copy(
        actor=council,
        table=ScoringTable.objects.filter(year__year=2024, bloc=None).first(),
        year=new.year,
        bloc=None,
        name="Bảng chấm điểm thi đua các Khối năm 2026",
    )
    page.goto(f"{by}/assessments/")
    click(page, f"form[action='{by}/assessments/open/'] button")
    page.goto(f"{by}/")
    phase_is(page, "Tự chấm điểm")
    for m in memberships:
        assessment = SelfAssessment.objects.get(membership=m)
        _finish_typing(assessment, User.objects.get(username=f"{m.agency.code}.officer"))
        assessment_submit(
            actor=User.objects.get(username=f"{m.agency.code}.head"), assessment=assessment
        )

    # --- review, lock, ranking -------------------------------------------------------------
    page.goto(f"{by}/review/")
    page.select_option(f"form[action='{by}/review/settings/'] select[name=mode]", value="leader")
    click(page, f"form[action='{by}/review/settings/'] button")
    click(page, f"form[action='{by}/review/start/'] button")
    page.goto(f"{by}/")
    phase_is(page, "Thẩm định điểm")
    for m in memberships:
        review_services.assessment_review_complete(
            actor=secretariat, assessment=SelfAssessment.objects.get(membership=m), stage="leader"
        )
    page.goto(f"{by}/review/")
    click(page, f"form[action='{by}/review/release/'] button")

    click(page, f"form[action='{by}/review/lock/'] button")  # disputes still possible
    expect(page.locator("main")).to_contain_text("chỉ khóa điểm sau ngày này")
    # The members' time for disputes is over (the council sets the year's dates).
    yesterday = today - datetime.timedelta(days=1)
    EmulationYear.objects.filter(pk=new.year_id).update(
        self_assessment_deadline=yesterday, review_deadline=yesterday, dispute_deadline=yesterday
    )
    page.goto(f"{by}/review/")
    click(page, f"form[action='{by}/review/lock/'] button")  # the year's facts are missing
    expect(page.locator("main")).to_contain_text("Chưa có số liệu tỷ lệ nữ năm 2026")
    for m in memberships:
        agency_fact_set(actor=council, agency=m.agency, year=2026, women_percent=Decimal("50"))
    page.goto(f"{by}/review/")
    click(page, f"form[action='{by}/review/lock/'] button")
    click(page, f"form[action='{by}/ranking/publish/'] button")
    page.goto(f"{by}/")
    phase_is(page, "Công bố xếp hạng")

    # --- the conference ----------------------------------------------------------------------
    page.goto(f"{by}/meeting/")
    page.fill("input[name=date]", today.isoformat())
    page.fill("input[name=place]", "Hội trường Sở Tài chính")
    page.fill("input[name=chair]", "Giám đốc Sở")
    page.fill("input[name=secretary]", "Chánh Văn phòng Sở")
    page.get_by_role("button", name="Triệu tập hội nghị").click()
    page.wait_for_load_state()
    meeting = Meeting.objects.get(bloc_year=new)
    for m in memberships:  # the roll call
        attendance_record(
            actor=secretariat,
            meeting=meeting,
            membership=m,
            status=AttendanceStatus.PRESENT,
            representative=f"Thủ trưởng {m.agency.code}",
        )
    page.goto(f"{by}/")
    phase_is(page, "Bình xét, bỏ phiếu")
    poll = voting_services.poll_create(  # the whole bloc stands: the facts of 2026 are new
        actor=secretariat,
        meeting=meeting,
        award_type=AwardType.objects.get(code="tt_ldxs"),
        quota=2,
        threshold_percent=50,
        candidates=memberships,
    )
    poll = voting_services.poll_open(actor=secretariat, poll=poll)
    chosen = [c.pk for c in poll.candidates.filter(withdrawn=False)[: poll.quota]]
    for m in memberships:
        voting_services.ballot_cast(
            actor=User.objects.get(username=f"{m.agency.code}.head"),
            poll=poll,
            agency_id=m.agency_id,
            candidate_ids=chosen,
        )
    poll = voting_services.poll_close(actor=secretariat, poll=poll)
    voting_services.poll_publish(actor=secretariat, poll=poll)

    # --- the proposal ----------------------------------------------------------------------
    page.goto(f"{by}/documents/")
    page.locator("tr[data-document=proposal_letter]").get_by_role(
        "link", name="Xem trước và ban hành"
    ).click()
    page.wait_for_load_state()
    page.fill("input[name=number]", "02/TTr-KTĐ")
    page.fill("input[name=date]", today.isoformat())
    page.get_by_role("button", name="Ban hành văn bản này").click()
    page.wait_for_load_state()
    page.goto(f"{by}/proposal/")
    click(page, "form.proposal-start-form button")
    proposal = Proposal.objects.get(bloc_year=new)
    page.goto(f"/proposals/{proposal.pk}/")
    page.get_by_role("button", name="Gửi Hội đồng").click()
    page.wait_for_load_state()
    page.goto(f"{by}/")
    phase_is(page, "Đã gửi đề nghị")
    done(context, page)

    # --- the council decides, then closes the year ---------------------------------------------
    context, page = page_for(council.username)
    page.goto(f"/proposals/{proposal.pk}/")
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.wait_for_load_state()
    for box in page.locator("input[name=approved]").all():
        box.check()
    page.get_by_role("button", name="Lưu ý kiến").click()
    page.wait_for_load_state()
    page.fill("input[name=number]", "120/QĐ-UBND")
    page.fill("input[name=date]", today.isoformat())
    page.fill("input[name=signer]", "Chủ tịch UBND tỉnh")
    page.fill("input[name=council_members]", "15")
    for votes_for in page.locator("input[name^=for-]").all():
        votes_for.fill("15")
    page.check("input[name=confirm]")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Ghi nhận quyết định khen thưởng").click()
    page.wait_for_load_state()
    assert AwardRecord.objects.filter(decision_number="120/QĐ-UBND", year=2026).exists()
    page.goto(f"{by}/")
    phase_is(page, "Đã có quyết định")
    click(page, "form.phase-step button")
    phase_is(page, "Kết thúc")

    page.goto(f"{by}/phases/")
    moves = page.locator("table.phase-history tbody tr").count()
    done(context, page)

    assert seen == [
        "Thiết lập",
        "Đăng ký thi đua",
        "Triển khai thực hiện",
        "Tự chấm điểm",
        "Thẩm định điểm",
        "Công bố xếp hạng",
        "Bình xét, bỏ phiếu",
        "Đã gửi đề nghị",
        "Đã có quyết định",
        "Kết thúc",
    ]
    assert moves == 9
