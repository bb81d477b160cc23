"""Issuing refused with a list of what is missing: while the 2023 secretariat
has the year-end report's preview open, two of its sections are emptied (from
another tab); the issue is then refused, naming both sections at once, and
nothing is issued."""

from django.utils import translation

from blocs.models import BlocYear
from emulation.enums import DocumentKind, NarrativeSection
from emulation.models import IssuedDocument
from tests.browser.conftest import log_in


def test_issuing_an_incomplete_report_is_refused_naming_everything_missing(page, demo):
    bloc_year = BlocYear.objects.get(bloc__code="tmth", year__year=2023)
    issued_before = IssuedDocument.objects.filter(
        bloc_year=bloc_year, kind=DocumentKind.YEAR_END_REPORT
    ).count()
    with translation.override("vi"):
        achievements = str(NarrativeSection.ACHIEVEMENTS.label)
        plan = str(NarrativeSection.PLAN.label)

    log_in(page, "vpubnd.officer")
    page.goto(f"/bloc-years/{bloc_year.pk}/documents/year_end_report/")
    assert page.locator("form.issue-form").count() == 1  # complete: it may be issued

    # Meanwhile, in another tab, two sections are emptied.
    other = page.context.new_page()
    other.goto(f"/bloc-years/{bloc_year.pk}/documents/narratives/")
    other.fill("textarea[name=achievements]", "")
    other.fill("textarea[name=plan]", "")
    other.get_by_role("button", name="Lưu").click()
    other.wait_for_load_state()
    other.close()

    page.fill("input[name=number]", "07/BC-KTĐ")
    page.fill("input[name=date]", "2024-01-20")
    page.get_by_role("button", name="Ban hành văn bản này").click()
    page.wait_for_load_state()

    refusal = page.locator(".alert-danger").inner_text()
    assert refusal.startswith("Chưa thể ban hành văn bản này:")
    assert f"phần “{achievements}”" in refusal and f"phần “{plan}”" in refusal
    missing = page.locator(".document-missing li").all_inner_texts()
    assert f"phần “{achievements}”" in missing and f"phần “{plan}”" in missing
    assert page.locator("form.issue-form").count() == 0
    assert (
        IssuedDocument.objects.filter(
            bloc_year=bloc_year, kind=DocumentKind.YEAR_END_REPORT
        ).count()
        == issued_before
    )
    # The refusal is answered "400 Bad Request", which Chromium logs; nothing else.
    errors = [e for e in page.console_errors if "status of 400" not in e]
    assert errors == [], page.console_errors
