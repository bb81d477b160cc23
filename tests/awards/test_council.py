"""The council's inbox and dashboard: filters, lateness, quotas, totals, the
statistical export, the public results page, and fixed query counts with
many blocs."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from awards import eligibility
from awards.enums import ProposalState
from awards.models import AwardType, ProposalItem, ProposalQuota, ResultsPublication
from awards.selectors import rule_for
from awards.selectors.council import (
    Lateness,
    council_dashboard,
    dashboard_provinces,
    lateness_of,
)
from awards.services import (
    award_rule_set,
    decision_record,
    proposal_items_decide,
    proposal_receive,
    proposal_return,
    proposal_submit,
    results_publication_set,
)
from awards.views import council as council_views
from blocs.enums import DeadlineStep, Phase
from blocs.selectors import provinces_managed_by
from blocs.services import deadline_extend
from emulation.dashboard import tasks_for
from emulation.enums import AgencyRole
from tests.factories import BlocYearFactory, ProvinceFactory, UserFactory
from tests.factories.proposal import build_proposal

pytestmark = pytest.mark.django_db


def proposals_in(province, n: int, *, submit=True, start=0):
    made = []
    for i in range(start, start + n):
        conf, proposal = build_proposal(members=4, prefix=f"b{i}x", province=province)
        if submit:
            proposal_submit(actor=conf.secretariat, proposal=proposal)
        made.append((conf, proposal))
    return made


def decide_first(conf, proposal, council):
    proposal_receive(actor=council, proposal=proposal)
    first = proposal.items.get(agency=conf.memberships[0].agency, award_type__code="tt_ldxs")
    proposal_items_decide(actor=council, proposal=proposal, approved_ids={first.pk})
    decision_record(
        actor=council,
        proposal=proposal,
        number="215/QĐ-UBND",
        date=datetime.date(2024, 3, 15),
        signer="Chủ tịch UBND tỉnh",
    )


# --- inbox ---------------------------------------------------------------------------


def test_inbox_lists_the_submitted_proposals_first_and_hides_drafts(client, province, council):
    (c1, p1), (c2, p2) = proposals_in(province, 2)
    _c3, draft = proposals_in(province, 1, submit=False, start=2)[0]
    proposal_receive(actor=council, proposal=p1)
    client.force_login(council)

    page = client.get(reverse("awards:council_inbox")).content.decode()

    assert page.index("b1xkhoi") < page.index("b0xkhoi")  # submitted before received
    assert "b2xkhoi" not in page  # a draft is the bloc's own business
    assert "Đã gửi Hội đồng" in page and "Hội đồng đã tiếp nhận" in page


def test_inbox_filters_by_state_year_and_bloc(client, province, council):
    (c1, p1), (c2, p2) = proposals_in(province, 2)
    proposal_receive(actor=council, proposal=p1)
    BlocYearFactory(bloc__province=province, year__year=2024)
    client.force_login(council)

    by_state = client.get(reverse("awards:council_inbox"), {"state": "received"}).content
    by_bloc = client.get(
        reverse("awards:council_inbox"), {"bloc": c2.bloc_year.bloc_id}
    ).content.decode()
    by_year = client.get(reverse("awards:council_inbox"), {"year": 2024}).content.decode()

    assert b"b0xkhoi" in by_state and b"b1xkhoi" not in by_state
    assert "b1xkhoi" in by_bloc and "b0xkhoi" not in by_bloc
    assert "Không có hồ sơ đề nghị nào phù hợp" in by_year and "Tìm thấy 0 đề nghị" in by_year


def test_inbox_shows_only_the_council_province(client, province, council):
    proposals_in(province, 1)
    other = UserFactory(username="hd2", is_council_staff=True, province=ProvinceFactory(code="x"))
    national = UserFactory(username="bo", is_council_staff=True, is_national=True)

    client.force_login(other)
    assert b"b0xkhoi" not in client.get(reverse("awards:council_inbox")).content
    client.force_login(national)
    assert b"b0xkhoi" in client.get(reverse("awards:council_inbox")).content


def test_inbox_is_for_council_staff(client, province):
    ((conf, _p),) = proposals_in(province, 1)
    client.force_login(conf.secretariat)
    assert client.get(reverse("awards:council_inbox")).status_code == 403
    client.logout()
    assert client.get(reverse("awards:council_inbox")).status_code == 302  # to login


def test_inbox_refuses_post(client, council):
    client.force_login(council)
    assert client.post(reverse("awards:council_inbox")).status_code == 405


@pytest.mark.parametrize("blocs", [1, 5])
def test_inbox_query_count_does_not_grow_with_blocs(
    client, province, council, blocs, django_assert_num_queries
):
    for _conf, proposal in proposals_in(province, blocs):
        proposal_receive(actor=council, proposal=proposal)
    client.force_login(council)
    client.get(reverse("awards:council_inbox"))  # warm the session

    with django_assert_num_queries(5):
        response = client.get(reverse("awards:council_inbox"))

    assert response.content.decode().count("data-bloc=") == blocs


@pytest.mark.parametrize("blocs", [1, 5])
def test_national_inbox_query_count_does_not_grow_with_blocs(
    client, province, council, blocs, django_assert_num_queries
):
    """Without a province chosen, no list of blocs is read (one query fewer)."""
    for _conf, proposal in proposals_in(province, blocs):
        proposal_receive(actor=council, proposal=proposal)
    national = UserFactory(username="bo", is_council_staff=True, is_national=True)
    client.force_login(national)
    inbox = reverse("awards:council_inbox")
    client.get(inbox)  # warm the session

    with django_assert_num_queries(5):
        everywhere = client.get(inbox).content.decode()
    with django_assert_num_queries(6):
        filtered = client.get(
            inbox, {"province": province.pk, "year": 2023, "state": "received"}
        ).content.decode()

    assert everywhere.count("data-bloc=") == blocs == filtered.count("data-bloc=")
    assert filtered.count('data-state="received"') == blocs


@pytest.fixture
def two_a_page(monkeypatch):
    """Two proposals a page: a few proposals make several pages."""
    monkeypatch.setattr(council_views, "INBOX_PAGE_SIZE", 2)


def rows_of(page: str) -> list[str]:
    return re.findall(r'data-bloc="([^"]+)"', page)


def test_inbox_pages_its_proposals_in_the_same_order(client, province, council, two_a_page):
    proposals_in(province, 3)
    client.force_login(council)
    inbox = reverse("awards:council_inbox")

    first = client.get(inbox).content.decode()
    second = client.get(inbox, {"page": 2}).content.decode()

    assert len(rows_of(first)) == 2 and len(rows_of(second)) == 1
    assert sorted(rows_of(first) + rows_of(second)) == ["b0xkhoi", "b1xkhoi", "b2xkhoi"]
    assert "Tìm thấy 3 đề nghị" in first and "Tìm thấy 3 đề nghị" in second
    assert '<nav aria-label="Trang">' in first
    assert 'aria-current="page"><span class="page-link">Trang 1/2<' in first
    assert 'href="?page=2">Trang sau<' in first and "Trang trước" not in first
    assert 'aria-current="page"><span class="page-link">Trang 2/2<' in second
    assert 'href="?page=1">Trang trước<' in second and "Trang sau" not in second


def test_inbox_of_one_page_draws_no_page_links(client, province, council):
    proposals_in(province, 1)
    client.force_login(council)

    page = client.get(reverse("awards:council_inbox")).content.decode()

    assert "Tìm thấy 1 đề nghị" in page and "b0xkhoi" in page
    assert "Trang sau" not in page and "aria-current" not in page.split("</form>")[1]


def test_inbox_page_links_keep_the_filters(client, province, council, two_a_page):
    proposals_in(province, 3)
    client.force_login(council)

    page = client.get(
        reverse("awards:council_inbox"), {"state": "submitted", "year": 2023, "page": 2}
    ).content.decode()

    assert 'href="?state=submitted&amp;year=2023&amp;page=1">Trang trước<' in page
    assert 'id="id_state"' in page and '<option value="submitted" selected>' in page
    assert len(rows_of(page)) == 1


def test_inbox_page_out_of_range_or_not_a_number_shows_the_last_or_first(
    client, province, council, two_a_page
):
    """As Django's ``Paginator.get_page``: beyond the last (or below one), the
    last page; not a number, the first; never an error."""
    proposals_in(province, 3)
    client.force_login(council)
    inbox = reverse("awards:council_inbox")

    shown = {
        asked: client.get(inbox, {"page": asked}).content.decode()
        for asked in ("abc", "", "1.5", "99", "0", "-1")
    }

    for asked, page in shown.items():
        last = asked in ("99", "0", "-1")
        assert f"Trang {2 if last else 1}/2<" in page, asked
        assert len(rows_of(page)) == (1 if last else 2), asked
        assert "Tìm thấy 3 đề nghị" in page, asked


def test_inbox_query_count_does_not_grow_with_pages(
    client, province, council, monkeypatch, django_assert_num_queries
):
    """Five proposals on one page, or on three: the same queries."""
    proposals_in(province, 5)
    client.force_login(council)
    inbox = reverse("awards:council_inbox")
    client.get(inbox)  # warm the session

    with django_assert_num_queries(5):
        one_page = client.get(inbox).content.decode()
    monkeypatch.setattr(council_views, "INBOX_PAGE_SIZE", 2)
    with django_assert_num_queries(5):
        middle = client.get(inbox, {"page": 2}).content.decode()
    with django_assert_num_queries(5):
        last = client.get(inbox, {"page": 3}).content.decode()

    assert len(rows_of(one_page)) == 5 and "Trang sau" not in one_page
    assert len(rows_of(middle)) == 2 and "Trang 2/3" in middle
    assert "Trang trước" in middle and "Trang sau" in middle
    assert len(rows_of(last)) == 1
    assert rows_of(one_page) == rows_of(client.get(inbox, {"page": 1}).content.decode()) + rows_of(
        middle
    ) + rows_of(last)


# --- dashboard -----------------------------------------------------------------------


def test_lateness_counts_the_missed_deadline_of_the_current_phase(province):
    bloc_year = BlocYearFactory(
        bloc__province=province, year__year=2023, phase=Phase.SELF_ASSESSMENT
    )
    year = bloc_year.year
    year.self_assessment_deadline = datetime.date(2023, 12, 10)
    year.proposal_deadline = datetime.date(2024, 1, 31)

    assert lateness_of(bloc_year, year, datetime.date(2023, 12, 10)) is None
    late = lateness_of(bloc_year, year, datetime.date(2023, 12, 15))
    assert (late.deadline_name, late.days) == ("self_assessment_deadline", 5)
    worst = lateness_of(bloc_year, year, datetime.date(2024, 2, 2))
    assert (worst.deadline_name, worst.days) == ("self_assessment_deadline", 54)
    bloc_year.phase = Phase.PROPOSAL_SUBMITTED
    assert lateness_of(bloc_year, year, datetime.date(2024, 2, 2)) is None


def test_lateness_names_the_deadline_by_day_and_month():
    late = Lateness("self_assessment_deadline", datetime.date(2023, 12, 5), 1)

    with translation.override("vi"):
        assert late.text == "bản tự chấm điểm: chậm 1 ngày (hạn 05/12)"
    with translation.override("en"):
        assert late.text == "self-assessment: 1 day late (deadline 05/12)"


def test_dashboard_counts_proposals_against_quotas_and_totals(province, council):
    made = proposals_in(province, 2)
    decide_first(*made[0], council)

    dashboard = council_dashboard(province=province, year=2023)

    codes = [t.code for t in dashboard.award_types]
    bk, ldxs = codes.index("bk_ubnd"), codes.index("tt_ldxs")
    row = dashboard.rows[0]
    assert row.cells[ldxs].proposed == 3
    assert row.cells[ldxs].approved == 1
    assert row.cells[bk].proposed == 2
    # Bằng khen: 30% of 4 members rounded down = 1, so 2 proposals exceed it.
    assert row.cells[bk].quota == 1 and row.cells[bk].over_quota
    assert dashboard.totals[ldxs].proposed == 6 and dashboard.totals[ldxs].approved == 1
    assert dashboard.totals[bk].quota == 2
    assert dashboard.decided_count == 1


def test_dashboard_page_shows_phases_lateness_and_the_public_switch(client, province, council):
    proposals_in(province, 1)
    late = BlocYearFactory(
        bloc__province=province, bloc__code="cham", year__year=2023, phase=Phase.REVIEW
    )
    late.year.review_deadline = datetime.date(2023, 12, 25)
    late.year.save(update_fields=["review_deadline"])
    client.force_login(council)

    page = client.get(reverse("awards:council_dashboard"), {"year": 2023}).content.decode()

    assert "Đã gửi đề nghị: 1" in page  # phase counts
    assert "thẩm định: chậm" in page
    assert "Xuất báo cáo thống kê (Excel)" in page
    assert "Công khai kết quả" in page


def test_dashboard_judges_lateness_by_the_deadline_the_council_extended(client, province, council):
    """A bloc-year the council gave more time as a whole is not late, on its
    row and in the country's overview."""
    today = datetime.date.today()
    blocs = {
        code: BlocYearFactory(
            bloc__province=province, bloc__code=code, year__year=2023, phase=Phase.SELF_ASSESSMENT
        )
        for code in ("gianhan", "dungan")
    }
    year = blocs["gianhan"].year
    assert blocs["dungan"].year == year
    year.self_assessment_deadline = today - datetime.timedelta(days=3)
    year.save(update_fields=["self_assessment_deadline"])
    deadline_extend(
        actor=council,
        bloc_year=blocs["gianhan"],
        step=DeadlineStep.SELF_ASSESSMENT,
        deadline=today + datetime.timedelta(days=4),
        reason="Bão số 3",
    )
    year.proposal_deadline = today + datetime.timedelta(days=30)
    year.save(update_fields=["proposal_deadline"])
    deadline_extend(  # more time for another step: still late
        actor=council,
        bloc_year=blocs["dungan"],
        step=DeadlineStep.PROPOSAL,
        deadline=today + datetime.timedelta(days=40),
        reason="Bổ sung hồ sơ",
    )
    other = ProvinceFactory(code="khac", name="Tỉnh Khác")
    BlocYearFactory(bloc__province=other, year__province=other, year__year=2023)
    national = UserFactory(username="bo", is_council_staff=True, is_national=True)

    dashboard = council_dashboard(province=province, year=2023)
    client.force_login(national)
    page = client.get(
        reverse("awards:council_dashboard"), {"year": 2023, "province": province.pk}
    ).content.decode()

    lateness = {row.bloc_code: row.lateness for row in dashboard.rows}
    assert lateness["gianhan"] is None
    assert (lateness["dungan"].deadline_name, lateness["dungan"].days) == (
        "self_assessment_deadline",
        3,
    )
    assert dashboard.late_count == 1
    overview = page.split('data-province="hdtinh"')[1].split("</tr>")[0]
    assert overview.count('<td class="text-end">') == 4
    assert '<td class="text-end">2</td><td class="text-end">1</td>' in overview  # 2 blocs, 1 late


@pytest.mark.parametrize("blocs", [1, 5])
def test_dashboard_query_count_does_not_grow_with_blocs(
    client, province, council, blocs, django_assert_num_queries
):
    proposals_in(province, blocs)
    client.force_login(council)
    client.get(reverse("awards:council_dashboard"), {"year": 2023})

    with django_assert_num_queries(8):
        response = client.get(reverse("awards:council_dashboard"), {"year": 2023})

    assert response.content.decode().count("data-bloc=") == blocs


@pytest.mark.parametrize("blocs", [1, 5])
def test_council_statistics_export_query_count_does_not_grow(
    client, province, council, blocs, django_assert_num_queries
):
    """n blocs' submitted proposals, one decided: the export counts them per
    award type without reading the blocs one by one."""
    made = proposals_in(province, blocs)
    decide_first(*made[0], council)
    client.force_login(council)
    url = reverse("awards:council_statistics_export")
    client.get(url, {"year": 2023})

    with django_assert_num_queries(STATISTICS_EXPORT_QUERIES):
        response = client.get(url, {"year": 2023})

    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    award_types = council_dashboard(province=province, year=2023).award_types
    assert len(rows) == 1 + len(award_types) + 1  # the header, a line per award type, the total
    proposed = ProposalItem.objects.filter(proposal__bloc_year__bloc__province=province).count()
    total = rows[-1]
    assert total[1] == "Tổng cộng" and total[4] == blocs
    assert total[6] == proposed and total[7] == 1


STATISTICS_EXPORT_QUERIES = 8


def test_dashboard_and_export_are_for_council_staff(client, province):
    ((conf, _p),) = proposals_in(province, 1)
    client.force_login(conf.secretariat)
    assert client.get(reverse("awards:council_dashboard")).status_code == 403
    assert client.get(reverse("awards:council_statistics_export")).status_code == 403
    assert client.post(reverse("awards:council_dashboard")).status_code == 405


def test_statistics_export_in_the_shape_of_the_annual_report(client, province, council):
    made = proposals_in(province, 2)
    decide_first(*made[0], council)
    client.force_login(council)

    response = client.get(
        reverse("awards:council_statistics_export"), {"province": province.pk, "year": 2023}
    )

    assert response.status_code == 200
    assert "thong-ke-thi-dua-khen-thuong" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("STT", "Danh hiệu, hình thức khen thưởng")
    by_name = {r[1]: r for r in rows[1:]}
    ldxs = by_name["Tập thể lao động xuất sắc"]
    assert ldxs[4:9] == (2, None, 6, 1, 2_700_000)  # 1.5 × 1,800,000 on 15/03/2024
    assert rows[0][8] == "Tiền thưởng (đồng)"
    assert rows[-1][1] == "Tổng cộng" and rows[-1][8] == 2_700_000


# --- public results ------------------------------------------------------------------


def test_public_results_need_the_council_to_publish_them(client, province, council):
    made = proposals_in(province, 1)
    decide_first(*made[0], council)
    public = reverse("awards:public_results", args=[province.code, 2023])
    assert client.get(public).status_code == 404

    client.force_login(council)
    dashboard = reverse("awards:council_dashboard") + "?year=2023"
    assert "Chưa công khai" in client.get(dashboard).content.decode()
    client.post(
        reverse("awards:results_publication_toggle") + f"?province={province.pk}&year=2023",
        {"enabled": "1"},
    )
    assert "Thôi công khai" in client.get(dashboard).content.decode()
    client.logout()

    page = client.get(public)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tập thể lao động xuất sắc" in text and "215/QĐ-UBND" in text
    assert "Bằng khen" not in text.split("<tbody>")[1]  # not approved: not listed
    assert client.post(public).status_code == 405
    assert ResultsPublication.objects.filter(province=province, year=2023).exists()


def test_publication_toggle_permissions(client, province, council):
    ((conf, _p),) = proposals_in(province, 1)
    toggle = reverse("awards:results_publication_toggle")
    client.force_login(conf.secretariat)
    assert client.post(toggle, {"enabled": "1"}).status_code == 403
    client.force_login(council)
    assert client.get(toggle).status_code == 405
    assert not ResultsPublication.objects.exists()


# --- dashboard tasks -------------------------------------------------------------------


def test_dashboard_tasks_for_the_council_and_the_secretariat(province, council):
    made = proposals_in(province, 2)
    conf, proposal = made[0]

    proposal_return(actor=council, proposal=proposal, reason="Bổ sung biên bản")
    _c, draft = proposals_in(province, 1, submit=False, start=2)[0]

    council_titles = [t.title for t in tasks_for(council)]
    assert "1 hồ sơ đề nghị chờ tiếp nhận" in council_titles
    returned = [t.title for t in tasks_for(conf.secretariat)]
    assert any("trả lại" in t for t in returned)
    drafting = [t for t in tasks_for(_c.secretariat) if "Gửi hồ sơ đề nghị" in t.title]
    assert drafting and drafting[0].due == datetime.date(2100, 1, 31)
    assert "31/01/2100" not in drafting[0].title  # shown once, beside the title
    member = UserFactory(
        username="tv", agency=conf.memberships[3].agency, agency_role=AgencyRole.OFFICER
    )
    assert not [t for t in tasks_for(member) if "hồ sơ đề nghị" in t.title]
    assert proposal.__class__.objects.get(pk=proposal.pk).state == ProposalState.RETURNED


@pytest.mark.parametrize("blocs", [1, 5])
def test_public_results_query_count_does_not_grow(
    client, province, council, blocs, django_assert_num_queries
):
    for conf, proposal in proposals_in(province, blocs):
        decide_first(conf, proposal, council)

    results_publication_set(actor=council, province=province, year=2023, enabled=True)
    public = reverse("awards:public_results", args=[province.code, 2023])

    with django_assert_num_queries(2):
        page = client.get(public)

    assert page.content.decode().count("215/QĐ-UBND") == blocs


@pytest.mark.parametrize("blocs", [1, 5])
def test_national_user_sees_every_province_with_a_fixed_query_count(
    client, province, blocs, django_assert_num_queries
):
    other = ProvinceFactory(code="khac", name="Tỉnh Khác")
    proposals_in(province, blocs)
    BlocYearFactory(bloc__province=other, year__province=other, year__year=2023)
    national = UserFactory(username="bo", is_council_staff=True, is_national=True)
    client.force_login(national)
    client.get(reverse("awards:council_dashboard"), {"year": 2023, "province": province.pk})

    with django_assert_num_queries(9):
        page = client.get(
            reverse("awards:council_dashboard"), {"year": 2023, "province": province.pk}
        ).content.decode()

    assert 'data-province="hdtinh"' in page and 'data-province="khac"' in page
    assert "Tất cả các tỉnh năm 2023" in page
    assert page.count("data-bloc=") == blocs


def test_the_dashboard_lists_the_provinces_the_user_manages(province, council):
    other = ProvinceFactory(code="khac", name="Tỉnh Bắc")
    national = UserFactory(username="bo", is_council_staff=True, is_national=True)
    ((conf, _p),) = proposals_in(province, 1, submit=False)

    assert dashboard_provinces(council) == [(province.pk, "hdtinh", province.name)]
    assert [p.pk for p in dashboard_provinces(national)] == [other.pk, province.pk]  # by name
    assert dashboard_provinces(conf.secretariat) == []
    for user in (council, national, conf.secretariat):
        managed = provinces_managed_by(user).order_by("name")
        assert dashboard_provinces(user) == list(managed.values_list("pk", "code", "name"))


def _government_flag_counted_on_the_provincial_flag():
    """A province's option: the Government flag's quota as 20% of those
    meeting the provincial flag's standard (the national default sets none)."""
    rule = rule_for(year=2023, award_type=AwardType.objects.get(code="co_chinh_phu"))
    award_rule_set(
        actor=None,
        rule_set=rule.rule_set,
        award_type=rule.award_type,
        quota_kind="percent",
        quota_percent=Decimal("20"),
        quota_of=AwardType.objects.get(code="co_tinh"),
    )


def test_a_quota_counted_on_those_eligible_is_fixed_when_the_proposal_is_submitted(
    province, council
):
    """The Government flag: at most 20% of the members meeting the provincial
    flag's standard — not 20% of the members. The dashboard cannot count that
    for every bloc at once; the submission fixes it, with the engine."""

    _government_flag_counted_on_the_provincial_flag()
    conf, proposal = build_proposal(members=5, prefix="gov", province=province)
    flag = AwardType.objects.get(code="co_chinh_phu")
    column = [t.code for t in council_dashboard(province=province, year=2023).award_types]
    cell = council_dashboard(province=province, year=2023).rows[0].cells[column.index(flag.code)]
    assert (cell.quota, cell.pending) == (None, True)  # 20% of 5 members would say 1
    total = council_dashboard(province=province, year=2023).totals[column.index(flag.code)]
    assert total.quota is None and total.pending

    proposal_submit(actor=conf.secretariat, proposal=proposal)

    expected = eligibility.quota(bloc_year=conf.bloc_year, award_type=flag)
    assert ProposalQuota.objects.get(proposal=proposal, award_type=flag).quota == expected
    cell = council_dashboard(province=province, year=2023).rows[0].cells[column.index(flag.code)]
    assert (cell.quota, cell.pending) == (expected, False)
    # Rules counted on the members are fixed too, with the same number.
    certificate = AwardType.objects.get(code="bk_ubnd")
    assert ProposalQuota.objects.get(proposal=proposal, award_type=certificate).quota == 1


def test_resubmitting_a_returned_proposal_fixes_its_quotas_again(province, council):

    ((conf, proposal),) = proposals_in(province, 1)
    first = set(ProposalQuota.objects.filter(proposal=proposal).values_list("pk", flat=True))
    proposal_receive(actor=council, proposal=proposal)
    proposal_return(actor=council, proposal=proposal, reason="Thiếu biên bản kiểm phiếu")
    proposal.refresh_from_db()

    proposal_submit(actor=conf.secretariat, proposal=proposal)

    again = ProposalQuota.objects.filter(proposal=proposal)
    assert again.count() == len(first) and not first & set(again.values_list("pk", flat=True))


def test_the_dashboard_page_explains_a_pending_quota(client, province, council):
    _government_flag_counted_on_the_provincial_flag()
    proposals_in(province, 1, submit=False)
    client.force_login(council)

    page = client.get(reverse("awards:council_dashboard"), {"year": 2023}).content.decode()

    assert '/<abbr title="“?”: chỉ tiêu tính theo tỷ lệ' in page


def test_the_export_notes_a_quota_still_pending(client, province, council):
    _government_flag_counted_on_the_provincial_flag()
    proposals_in(province, 1, submit=False)
    client.force_login(council)

    response = client.get(reverse("awards:council_statistics_export"), {"year": 2023})

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    by_name = {r[1]: r for r in rows[1:]}
    government_flag = next(r for name, r in by_name.items() if name and "Chính phủ" in name)
    assert government_flag[5] is None  # no number yet
    assert government_flag[9] == "một số chỉ tiêu chỉ được xác định khi khối gửi hồ sơ đề nghị"


def test_who_sees_every_province_chooses_a_province_before_its_blocs(client, province):
    proposals_in(province, 2)
    other = ProvinceFactory(code="x", name="Tỉnh Khác")
    BlocYearFactory(bloc__province=other, bloc__name="Khối của tỉnh khác", year__year=2023)
    national = UserFactory(username="bo", is_council_staff=True, is_national=True)
    client.force_login(national)

    everywhere = client.get(reverse("awards:council_inbox")).content.decode()
    in_province = client.get(
        reverse("awards:council_inbox"), {"province": province.pk}
    ).content.decode()
    elsewhere = client.get(reverse("awards:council_inbox"), {"province": other.pk}).content

    assert "Tỉnh Khác" in everywhere and "b0xkhoi" in everywhere
    assert 'name="bloc"' in everywhere and "Khối của tỉnh khác" not in everywhere
    assert "b0xkhoi" in in_province and "Khối của tỉnh khác" not in in_province
    assert b"b0xkhoi" not in elsewhere and "Khối của tỉnh khác".encode() in elsewhere
