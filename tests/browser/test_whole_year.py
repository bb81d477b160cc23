"""The whole year of the demo bloc in the browser, as its users do it.

The demo's interactive year (2024: Thanh tra tỉnh leads, registrations in,
self-assessment open with the nine assessments in mixed states) is carried
through to its end: the officers finish their assessments (one criterion
typed on the page, the rest of the typing through the service, as the demo
does), the nine heads sign and submit on the page, the secretariat reviews
with an adjustment, an agency disputes it, the secretariat resolves it, locks
and publishes the ranking; the conference is convened and the nine heads vote
online on their phones; the secretariat issues the proposal letter, prepares
and sends the proposal; the council receives it, decides and records the
decision; the agency's award history shows it.

Slow (a minute or two): it runs in CI (CI=true) or with WHOLE_YEAR=1.
"""

from __future__ import annotations

import datetime
import os
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_voting import conference_demo, new_page  # noqa: F401 - fixture
from tests.conftest import in_ci

pytestmark = pytest.mark.skipif(
    not in_ci() and not os.environ.get("WHOLE_YEAR"),
    reason="the whole-year browser test is slow: it runs in CI, or with WHOLE_YEAR=1",
)

CODES = ["ttt", "vpubnd", "stc", "snv", "stp", "sngv", "skhdt", "vpdbqh", "bdt"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _finish_typing(assessment, officer) -> None:
    """The officer's remaining typing (what the page's autosave would send)."""
    from blocs.enums import CriterionKind
    from blocs.models import Evidence, ItemScore
    from blocs.selectors import table_structure
    from blocs.services.assessment import assessment_save_report, evidence_add, item_score_save

    _groups, criteria = table_structure(assessment.table)
    items = {i.criterion_id: i for i in ItemScore.objects.filter(assessment=assessment)}
    for criterion in criteria:
        item = items.get(criterion.pk)
        if item is not None and (item.score is not None or item.not_applicable):
            continue
        standard = criterion.kind == CriterionKind.STANDARD
        value = Decimal(criterion.max_points) if standard else Decimal(0)
        item_score_save(
            actor=officer,
            assessment=assessment,
            criterion=criterion,
            field="score",
            value=value,
            base_version=item.version if item else 0,
        )
    for item in ItemScore.objects.filter(assessment=assessment).select_related("criterion"):
        if (
            item.criterion.evidence_required
            and item.score
            and not Evidence.objects.filter(item=item).exists()
        ):
            evidence_add(
                actor=officer,
                assessment=assessment,
                criterion=item.criterion,
                file=SimpleUploadedFile(
                    f"minh-chung-{item.criterion.code}.pdf", PDF, "application/pdf"
                ),
            )
    assessment.refresh_from_db()
    if not assessment.report.strip():
        assessment_save_report(
            actor=officer,
            assessment=assessment,
            base_version=assessment.report_version,
            report="Báo cáo tổng kết công tác thi đua, khen thưởng năm 2024.",
        )


def test_the_whole_year_of_the_demo_bloc(browser, live_server, conference_demo):  # noqa: F811, PLR0915
    from awards.enums import AttendanceStatus, PollState, TaskRating
    from awards.models import AwardRecord, Ballot, Decision, Poll, Proposal, VoterRecord
    from awards.services.facts import agency_fact_set
    from awards.services.meeting import attendance_record
    from blocs.enums import AssessmentState, Phase
    from blocs.models import (
        Adjustment,
        BlocYear,
        Dispute,
        EmulationYear,
        FinalScore,
        Membership,
        SelfAssessment,
    )
    from emulation.models import IssuedDocument, User

    bloc_year = BlocYear.objects.select_related("year").get(bloc__code="tmth", year__year=2024)
    memberships = {
        m.agency.code: m
        for m in Membership.objects.filter(bloc_year=bloc_year).select_related("agency")
    }
    assert sorted(memberships) == sorted(CODES)
    council = User.objects.get(username="council")
    leader = next(m for m in memberships.values() if m.role == "leader").agency.code
    assert leader == "ttt"
    secretariat = f"{leader}.officer"
    by = f"/bloc-years/{bloc_year.pk}"

    def page_for(username, *, phone=False):
        context, page = new_page(browser, live_server, phone=phone)
        log_in(page, username)
        return context, page

    def done(context, page):
        assert page.console_errors == [], page.console_errors
        context.close()

    # --- registration: the secretariat sees every member's registration -----------------
    context, page = page_for(secretariat)
    page.goto(f"{by}/registrations/")
    assert page.locator(".phase-bar").count() == 1
    assert "Thanh tra tỉnh" in page.locator("main").inner_text()
    done(context, page)

    # --- self-assessment: each officer finishes, each head signs and submits ------------
    context, page = page_for("sngv.officer")
    sngv = SelfAssessment.objects.get(membership=memberships["sngv"])
    page.goto(f"/assessments/{sngv.pk}/")
    row = page.locator(".item-row").first
    row.locator("input[name=score]").fill("1")
    with page.expect_response(lambda r: "/items/" in r.url):
        row.locator("input[name=score]").press("Tab")
    expect(row.locator(".item-status")).to_contain_text("Đã lưu")
    done(context, page)

    for code in CODES:
        assessment = SelfAssessment.objects.get(membership=memberships[code])
        if assessment.state == AssessmentState.SUBMITTED:
            continue
        _finish_typing(assessment, User.objects.get(username=f"{code}.officer"))
        context, page = page_for(f"{code}.head")
        page.goto(f"/assessments/{assessment.pk}/")
        page.get_by_role("button", name="Ký duyệt và nộp").click()
        page.wait_for_load_state()
        expect(page.locator("main")).to_contain_text(
            "Đã nộp bản tự chấm điểm cho Thường trực Khối."
        )
        done(context, page)
    states = set(
        SelfAssessment.objects.filter(membership__bloc_year=bloc_year).values_list(
            "state", flat=True
        )
    )
    assert states == {AssessmentState.SUBMITTED}

    # --- review with an adjustment, a dispute, lock, ranking ---------------------------
    context, page = page_for(secretariat)
    page.goto(f"{by}/review/")
    page.select_option(f"form[action='{by}/review/settings/'] select[name=mode]", value="leader")
    page.locator(f"form[action='{by}/review/settings/'] button").first.click()
    page.wait_for_load_state()
    page.locator(f"form[action='{by}/review/start/'] button").click()
    page.wait_for_load_state()
    assert BlocYear.objects.get(pk=bloc_year.pk).phase == Phase.REVIEW

    stp = SelfAssessment.objects.get(membership=memberships["stp"])
    for code in CODES:
        assessment = SelfAssessment.objects.get(membership=memberships[code])
        page.goto(f"/reviews/{assessment.pk}/")
        if code == "stp":
            score = page.locator("input[id^=id_score_]").first
            field_id = score.get_attribute("id")
            current = Decimal(score.input_value().replace(",", ".") or "0")
            lowered = max(Decimal(0), current - 1)
            score.fill(str(lowered).replace(".", ","))
            page.fill(
                "#" + field_id.replace("score", "reason"),
                "Kế hoạch công tác năm ban hành chậm (tháng 3)",
            )
        page.click("button[name=action][value=complete]")
        page.wait_for_load_state()
        assert "Đã hoàn thành thẩm định" in page.locator("main").inner_text(), code
    assert Adjustment.objects.filter(item__assessment=stp).count() == 1
    page.goto(f"{by}/review/")
    page.locator(f"form[action='{by}/review/release/'] button").click()
    page.wait_for_load_state()
    assert "Đã công bố kết quả thẩm định" in page.locator("main").inner_text()
    done(context, page)

    adjustment = Adjustment.objects.get(item__assessment=stp)
    row_id = "#row-" + adjustment.item.criterion.code.replace(".", "\\.")
    context, page = page_for("stp.officer")
    page.goto(f"/reviews/{stp.pk}/")
    row = page.locator(row_id)
    assert "Kế hoạch công tác năm ban hành chậm" in row.inner_text()
    row.locator("text=Kiến nghị").click()
    page.fill("#id_explanation", "Kế hoạch ban hành ngày 25/01, có văn bản kèm theo.")
    page.set_input_files(
        "#id_files", files=[{"name": "ke-hoach.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("text=Gửi kiến nghị")
    page.wait_for_load_state()
    assert "Đã gửi kiến nghị" in page.locator("main").inner_text()
    done(context, page)

    context, page = page_for(secretariat)
    page.goto(f"/reviews/{stp.pk}/")
    row = page.locator(row_id)
    row.locator("input[value=accept]").check()
    row.locator("textarea[name=resolution]").fill(
        "Đã kiểm tra văn bản: kế hoạch ban hành đúng hạn."
    )
    row.locator("text=Giải quyết").click()
    page.wait_for_load_state()
    assert "Được chấp nhận" in page.locator(row_id).inner_text()
    assert Dispute.objects.get(item__assessment=stp).state == "accepted"

    # The members' time for disputes is over and the year's facts are recorded
    # (the council's work): the scores may be locked.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    EmulationYear.objects.filter(pk=bloc_year.year_id).update(
        self_assessment_deadline=yesterday, review_deadline=yesterday, dispute_deadline=yesterday
    )
    for membership in memberships.values():
        agency_fact_set(
            actor=council,
            agency=membership.agency,
            year=2024,
            rating=TaskRating.EXCELLENT,
            women_percent=Decimal("50"),
            # Law Art. 27's composition: all completed, 80% LĐTT, one CSTĐCS.
            staff_total=20,
            staff_completed=20,
            staff_ldtt=16,
            staff_cstdcs=1,
            staff_disciplined=0,
        )
    page.goto(f"{by}/review/")
    page.locator(f"form[action='{by}/review/lock/'] button").click()
    page.wait_for_load_state()
    assert FinalScore.objects.filter(bloc_year=bloc_year).count() == 9
    page.locator(f"form[action='{by}/ranking/publish/'] button").click()
    page.wait_for_load_state()
    page.goto(f"{by}/ranking/")
    ranking = page.locator("main").inner_text()
    for membership in memberships.values():
        assert membership.agency.name in ranking
    done(context, page)

    # --- the conference: convened on the page, the nine heads vote online ---------------
    context, page = page_for(secretariat)
    page.goto(f"{by}/meeting/")
    page.fill("input[name=date]", timezone.localdate().isoformat())
    page.fill("input[name=place]", "Hội trường Thanh tra tỉnh")
    page.fill("input[name=chair]", "Chánh Thanh tra tỉnh")
    page.fill("input[name=secretary]", "Chánh Văn phòng Thanh tra tỉnh")
    page.get_by_role("button", name="Triệu tập hội nghị").click()
    page.wait_for_load_state()
    from awards.models import Meeting

    meeting = Meeting.objects.get(bloc_year=bloc_year)
    sec = User.objects.get(username=secretariat)
    for code in CODES:  # the roll call, ticked by the meeting's secretary
        attendance_record(
            actor=sec,
            meeting=meeting,
            membership=memberships[code],
            status=AttendanceStatus.PRESENT,
            representative=f"Thủ trưởng {code}",
        )
    page.goto(f"/meetings/{meeting.pk}/")
    page.select_option(
        "form[action$='/polls/'] select[name=award_type]", label="Tập thể lao động xuất sắc"
    )
    page.locator("form[action$='/polls/'] button").click()
    page.wait_for_load_state()
    poll = Poll.objects.get(meeting=meeting)
    candidates = list(
        poll.candidates.filter(withdrawn=False).select_related("membership__agency")[:2]
    )
    assert candidates
    page.goto(f"/polls/{poll.pk}/")
    page.click(f"form[action='/polls/{poll.pk}/open/'] button")
    page.wait_for_load_state()
    assert Poll.objects.get(pk=poll.pk).state == PollState.OPEN
    done(context, page)

    for code in CODES:
        context, page = page_for(f"{code}.head", phone=True)
        page.goto(f"/polls/{poll.pk}/vote/")
        for candidate in candidates[: poll.quota]:
            page.check(f"input[name=candidates][value='{candidate.pk}']")
        page.click("form.ballot-form button[type=submit]")
        assert len(page.locator("[data-testid=receipt]").inner_text().strip()) == 11
        done(context, page)
    assert VoterRecord.objects.filter(poll=poll).count() == 9
    assert Ballot.objects.filter(poll=poll).count() == 9

    context, page = page_for(secretariat)
    page.goto(f"/polls/{poll.pk}/")
    page.click(f"form[action='/polls/{poll.pk}/close/'] button")
    page.wait_for_load_state()
    page.click(f"form[action='/polls/{poll.pk}/publish/'] button")
    page.wait_for_load_state()
    assert Poll.objects.get(pk=poll.pk).state == PollState.PUBLISHED

    # --- documents, proposal ------------------------------------------------------------
    page.goto(f"{by}/documents/")
    page.locator("tr[data-document=proposal_letter]").get_by_role(
        "link", name="Xem trước và ban hành"
    ).click()
    page.wait_for_load_state()
    page.fill("input[name=number]", "07/TTr-KTĐ")
    page.fill("input[name=date]", timezone.localdate().isoformat())
    page.get_by_role("button", name="Ban hành văn bản này").click()
    page.wait_for_load_state()
    assert IssuedDocument.objects.filter(bloc_year=bloc_year, number="07/TTr-KTĐ").exists()

    page.goto(f"{by}/proposal/")
    page.locator("form.proposal-start-form button").click()
    page.wait_for_load_state()
    proposal = Proposal.objects.get(bloc_year=bloc_year)
    page.goto(f"/proposals/{proposal.pk}/")
    page.get_by_role("button", name="Gửi Hội đồng").click()
    page.wait_for_load_state()
    assert "Hồ sơ đề nghị đã được gửi Hội đồng" in page.locator("main").inner_text()
    done(context, page)

    # --- the council decides; the award history shows it -------------------------------
    context, page = page_for(council.username)
    page.goto("/council/proposals/")
    page.goto(f"/proposals/{proposal.pk}/")
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.wait_for_load_state()
    assert "Đã tiếp nhận hồ sơ đề nghị" in page.locator("main").inner_text()
    for box in page.locator("input[name=approved]").all():
        box.check()
    page.get_by_role("button", name="Lưu ý kiến").click()  # every item approved
    page.wait_for_load_state()
    page.fill("input[name=number]", "315/QĐ-UBND")
    page.fill("input[name=date]", timezone.localdate().isoformat())
    page.fill("input[name=signer]", "Chủ tịch UBND tỉnh")
    page.fill("input[name=council_members]", "15")
    for votes_for in page.locator("input[name^=for-]").all():
        votes_for.fill("15")
    page.check("input[name=confirm]")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Ghi nhận quyết định khen thưởng").click()
    page.wait_for_load_state()
    assert "Đã ghi nhận Quyết định số 315/QĐ-UBND" in page.locator("main").inner_text(), (
        page.locator(".invalid-feedback, .alert, .errorlist").all_inner_texts()
    )
    assert Decision.objects.filter(proposal=proposal).count() == 1
    awarded = AwardRecord.objects.filter(decision_number="315/QĐ-UBND", year=2024)
    assert awarded.count() == proposal.items.count() >= 1
    first = awarded.select_related("agency").first()
    page.locator(f"tr[data-agency={first.agency.code}] a").first.click()
    page.wait_for_load_state()
    assert "315/QĐ-UBND" in page.locator("main").inner_text()
    done(context, page)
