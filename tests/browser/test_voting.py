"""The 2023 conference in the browser: the secretariat opens a poll on the
projector screen, the nine heads vote on their phones and get a receipt, the
secretariat closes and publishes, a head finds its receipt among the counted."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from awards.models import Ballot, Poll, VoterRecord
from blocs.models import BlocYear
from tests.browser.conftest import log_in
from tests.demo import load_demo

HEADS = ["vpubnd", "ttt", "stc", "snv", "stp", "sngv", "skhdt", "vpdbqh", "bdt"]


@pytest.fixture
def conference_demo(transactional_db):
    """The demo data set."""
    load_demo()


def new_page(browser, live_server, *, phone: bool = False, hall: bool = False):
    options = {"locale": "vi-VN", "base_url": live_server.url}
    if phone:
        options.update(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    if hall:
        options.update(viewport={"width": 1920, "height": 1080})
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.accept())
    page.console_errors = errors
    return context, page


def test_nine_heads_vote_and_the_secretariat_publishes(browser, live_server, conference_demo):
    bloc_year = BlocYear.objects.get(bloc__code="tmth", year__year=2023)
    poll = Poll.objects.get(meeting__bloc_year=bloc_year, award_type__code="co_tinh")
    first = poll.candidates.filter(withdrawn=False).select_related("membership__agency").first()

    # The secretariat puts the hall display on the projector (1920×1080): no
    # menu, no button, large type; then opens the poll from the poll's page.
    hall_context, hall = new_page(browser, live_server, hall=True)
    log_in(hall, "vpubnd.officer")
    hall.goto(f"/meetings/{poll.meeting_id}/screen/")
    assert hall.locator("nav, button, form, .navbar").count() == 0
    heading_px = hall.eval_on_selector("h1", "e => parseFloat(getComputedStyle(e).fontSize)")
    assert heading_px >= 48, heading_px
    sec_context, sec = new_page(browser, live_server)
    log_in(sec, "vpubnd.officer")
    sec.goto(f"/bloc-years/{bloc_year.pk}/meeting/")
    assert "18/01/2024" in sec.locator("main").inner_text()
    assert "Hội trường Văn phòng UBND tỉnh" in sec.locator("main").inner_text()
    sec.goto(f"/polls/{poll.pk}/")
    sec.click(f"form[action='/polls/{poll.pk}/open/'] button")
    sec.wait_for_load_state()
    assert Poll.objects.get(pk=poll.pk).state == "open"
    # The hall display refreshes itself (htmx, every 3 s).
    expect(hall.locator("#screen-live")).to_contain_text("0/9", timeout=10_000)

    receipts = []
    for code in HEADS:
        context, page = new_page(browser, live_server, phone=True)
        log_in(page, f"{code}.head")
        page.goto(f"/polls/{poll.pk}/vote/")
        page.check(f"input[name=candidates][value='{first.pk}']")
        page.click("form.ballot-form button[type=submit]")
        receipt = page.locator("[data-testid=receipt]").inner_text().strip()
        assert len(receipt) == 11, receipt
        receipts.append(receipt)
        # Back on the ballot page: nothing left to cast, and no receipt shown again.
        page.goto(f"/polls/{poll.pk}/vote/")
        assert "ballot-form" not in page.content() and receipt not in page.content()
        assert page.console_errors == [], (code, page.console_errors)
        context.close()

    assert VoterRecord.objects.filter(poll=poll).count() == 9
    assert Ballot.objects.filter(poll=poll).count() == 9

    expect(hall.locator("#screen-live")).to_contain_text("9/9", timeout=10_000)
    sec.goto(f"/polls/{poll.pk}/")
    sec.click(f"form[action='/polls/{poll.pk}/close/'] button")
    sec.wait_for_load_state()
    # Closed, not published: the secretariat sees the ballots cast, no tally;
    # the hall sees no result either.
    sec.goto(f"/polls/{poll.pk}/")
    assert "9 phiếu" in sec.locator("main").inner_text()
    assert sec.locator(".results-table").count() == 0
    hall.reload()
    assert hall.locator(".projector-results").count() == 0
    sec.click(f"form[action='/polls/{poll.pk}/publish/'] button")
    sec.wait_for_load_state()
    assert Poll.objects.get(pk=poll.pk).state == "published"
    # Published: the hall shows the result.
    expect(hall.locator(".projector-results")).to_contain_text(
        first.membership.agency.name, timeout=10_000
    )
    assert hall.console_errors == [], hall.console_errors
    hall_context.close()
    sec.goto(f"/polls/{poll.pk}/")
    results = sec.locator(".results-table").inner_text()
    assert first.membership.agency.name in results and "9/9" in results
    # Another poll, still a draft, is cancelled from its page with the reason.
    other = Poll.objects.get(meeting__bloc_year=bloc_year, award_type__code="tt_ldxs")
    sec.goto(f"/polls/{other.pk}/")
    sec.fill("form.poll-cancel input[name=reason]", "Chưa đủ hồ sơ đề nghị")
    sec.click("form.poll-cancel button")
    sec.wait_for_load_state()
    assert Poll.objects.get(pk=other.pk).state == "cancelled"
    main = sec.locator("main").inner_text()
    assert "Đã hủy" in main and "Chưa đủ hồ sơ đề nghị" in main
    assert sec.console_errors == [], sec.console_errors
    sec_context.close()

    # A head checks that its receipt is among the counted ballots.
    context, page = new_page(browser, live_server, phone=True)
    log_in(page, "stp.head")
    page.goto(f"/polls/{poll.pk}/receipts/")
    page.fill("input[name=q]", receipts[4])
    page.click("form.receipt-check button[type=submit]")
    expect(page.locator(".alert-success")).to_have_count(1)  # once the answer has loaded
    listed = page.locator(".receipt-list li").all_inner_texts()
    assert listed == sorted(receipts)
    assert page.console_errors == [], page.console_errors
    context.close()


def test_ballot_page_limits_the_ticks_to_the_quota(browser, live_server, conference_demo):
    bloc_year = BlocYear.objects.get(bloc__code="tmth", year__year=2023)
    poll = Poll.objects.get(meeting__bloc_year=bloc_year, award_type__code="bk_ubnd")
    from awards.services.voting import poll_open
    from emulation.models import User

    poll_open(actor=User.objects.get(username="vpubnd.officer"), poll=poll)
    context, page = new_page(browser, live_server, phone=True)
    log_in(page, "snv.head")
    page.goto(f"/polls/{poll.pk}/vote/")
    boxes = page.locator("input[name=candidates]")
    for i in range(poll.quota):
        boxes.nth(i).check()
    assert boxes.nth(poll.quota).is_disabled()
    assert f"{poll.quota}/{poll.quota}" in page.locator(".ballot-count").inner_text()
    assert page.console_errors == [], page.console_errors
    context.close()
