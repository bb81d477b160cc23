"""Pages of eligibility: the matrix, the facts grid and imports, the rules."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from awards.dashboard_eligibility import tasks_for
from awards.models import (
    AgencyYearFact,
    AwardRecord,
    AwardRule,
    AwardType,
    Disqualification,
    RuleSet,
)
from awards.selectors import rule_set_for
from awards.services import award_rule_set, disqualification_add, rule_set_create
from blocs.models import BlocYear
from tests.factories import BlocYearFactory, add_member


def xlsx(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "data.xlsx"
    return buf


# --- eligibility matrix -------------------------------------------------


def test_matrix_shows_every_member_to_council_with_reasons(cast, login, rate):
    rate(cast.member.agency, {2022: "excellent", 2023: "excellent"})
    response = login(cast.council).get(reverse("awards:eligibility", args=[cast.bloc_year.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in html
    assert 'data-agency="mem"' in html and 'data-agency="lead"' in html
    assert "Đủ điều kiện: xếp loại “Hoàn thành xuất sắc nhiệm vụ” trở lên năm 2022 và 2023" in html
    assert "Nghị định 98/2023/NĐ-CP" in html
    assert "số lượng: 1" in html  # co_tinh, 1 per bloc


def test_matrix_secretariat_sees_all_rows(cast, login):
    html = (
        login(cast.secretariat)
        .get(reverse("awards:eligibility", args=[cast.bloc_year.pk]))
        .content.decode()
    )
    assert 'data-agency="mem"' in html and 'data-agency="lead"' in html


def test_matrix_member_sees_only_its_own_row(cast, login):
    response = login(cast.officer).get(reverse("awards:eligibility", args=[cast.bloc_year.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-agency="mem"' in html
    assert 'data-agency="lead"' not in html


@pytest.mark.parametrize("who", ["outsider", "other_council"])
def test_matrix_is_404_for_those_who_cannot_see_the_bloc_year(cast, login, who):
    response = login(getattr(cast, who)).get(
        reverse("awards:eligibility", args=[cast.bloc_year.pk])
    )
    assert response.status_code == 404


def test_matrix_refuses_post(cast, login):
    response = login(cast.council).post(reverse("awards:eligibility", args=[cast.bloc_year.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("members", [1, 5])
def test_matrix_query_count_does_not_grow(cast, login, members, rate, django_assert_num_queries):
    for _ in range(members):
        m = add_member(cast.bloc_year)
        rate(m.agency, {2022: "excellent", 2023: "good"})
    client = login(cast.council)
    url = reverse("awards:eligibility", args=[cast.bloc_year.pk])
    client.get(url)
    with django_assert_num_queries(MATRIX_QUERIES):
        client.get(url)


MATRIX_QUERIES = 16


# --- facts grid -----------------------------------------------------------


def grid_post(cast, **overrides):
    data = {}
    for m in (cast.leader, cast.member):
        data[f"m{m.pk}-rating"] = "excellent"
        data[f"m{m.pk}-women_percent"] = "40"
        data[f"m{m.pk}-source_document"] = "QĐ 1/QĐ-UBND"
    data.update(overrides)
    return data


def test_council_saves_the_facts_grid(cast, login):
    client = login(cast.council)
    url = reverse("awards:facts_grid", args=[cast.bloc_year.pk])
    html = client.get(url).content.decode()
    assert "Xếp loại mức độ hoàn thành nhiệm vụ" in html
    assert "Xếp loại năm 2022" in html
    response = client.post(url, grid_post(cast), follow=True)
    assert "Đã lưu" in response.content.decode()
    fact = AgencyYearFact.objects.get(agency=cast.member.agency, year=2023)
    assert fact.rating == "excellent"
    assert str(fact.women_percent) == "40.00"


def test_facts_grid_bad_input_keeps_values_and_says_why(cast, login):
    response = login(cast.council).post(
        reverse("awards:facts_grid", args=[cast.bloc_year.pk]),
        grid_post(cast, **{f"m{cast.member.pk}-women_percent": "140"}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "140" in html
    assert AgencyYearFact.objects.count() == 0


@pytest.mark.parametrize("who", ["secretariat", "officer", "head"])
def test_facts_grid_is_403_for_agency_users(cast, login, who):
    client = login(getattr(cast, who))
    url = reverse("awards:facts_grid", args=[cast.bloc_year.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, grid_post(cast)).status_code == 403


@pytest.mark.parametrize("who", ["outsider", "other_council"])
def test_facts_grid_is_404_for_outsiders(cast, login, who):
    response = login(getattr(cast, who)).get(reverse("awards:facts_grid", args=[cast.bloc_year.pk]))
    assert response.status_code == 404


def test_facts_grid_refuses_put(cast, login):
    response = login(cast.council).put(reverse("awards:facts_grid", args=[cast.bloc_year.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("members", [1, 5])
def test_facts_grid_query_count_does_not_grow(cast, login, members, django_assert_num_queries):
    for _ in range(members):
        add_member(cast.bloc_year)
    client = login(cast.council)
    url = reverse("awards:facts_grid", args=[cast.bloc_year.pk])
    client.get(url)
    with django_assert_num_queries(GRID_QUERIES):
        client.get(url)


GRID_QUERIES = 6


def test_council_records_a_disqualification(cast, login, rate):
    rate(cast.member.agency, {2022: "excellent", 2023: "excellent"})
    client = login(cast.council)
    response = client.post(
        reverse("awards:disqualification_create", args=[cast.bloc_year.pk]),
        {
            "membership": cast.member.pk,
            "kind": "inspection",
            "source_document": "QĐ 9/QĐ-TTr",
            "started_on": "2023-10-02",
            "signs_of_violation": "on",
        },
        follow=True,
    )
    assert "Đã ghi nhận" in response.content.decode()
    assert Disqualification.objects.get().kind == "inspection"
    html = client.get(reverse("awards:eligibility", args=[cast.bloc_year.pk])).content.decode()
    assert "đang bị thanh tra từ ngày 02/10/2023 (QĐ 9/QĐ-TTr)" in html


def test_disqualification_create_needs_post_and_council(cast, login):
    url = reverse("awards:disqualification_create", args=[cast.bloc_year.pk])
    assert login(cast.council).get(url).status_code == 405
    assert login(cast.secretariat).post(url, {}).status_code == 403
    assert login(cast.outsider).post(url, {}).status_code == 404


# --- imports ----------------------------------------------------------------


def test_facts_import_previews_errors_and_writes_nothing(cast, login):
    client = login(cast.council)
    url = reverse("awards:facts_import", args=[cast.bloc_year.pk])
    file = xlsx(
        [
            ["Mã cơ quan", "Xếp loại", "Tỷ lệ nữ (%)"],
            ["mem", "Hoàn thành xuất sắc nhiệm vụ", 45],
            ["khongco", "Hoàn thành tốt nhiệm vụ", 30],
        ]
    )
    response = client.post(url, {"file": file, "import": "1"})
    html = response.content.decode()
    assert "khongco" in html
    assert "Không có gì được nhập" in html
    assert AgencyYearFact.objects.count() == 0


def test_facts_import_all_valid_rows_are_written(cast, login):
    client = login(cast.council)
    url = reverse("awards:facts_import", args=[cast.bloc_year.pk])
    file = xlsx(
        [
            ["Mã cơ quan", "Xếp loại", "Tỷ lệ nữ (%)"],
            ["mem", "Hoàn thành xuất sắc nhiệm vụ", 45],
            ["lead", "good", 30],
        ]
    )
    client.post(url, {"file": file, "import": "1"})
    assert dict(AgencyYearFact.objects.values_list("agency__code", "rating")) == {
        "mem": "excellent",
        "lead": "good",
    }


def test_facts_import_is_403_for_secretariat(cast, login):
    url = reverse("awards:facts_import", args=[cast.bloc_year.pk])
    assert login(cast.secretariat).get(url).status_code == 403


def test_history_import(cast, login, rate):
    client = login(cast.council)
    url = reverse("awards:history_import")
    rows = [
        ["Mã cơ quan", "Mã danh hiệu", "Năm", "Số quyết định", "Ngày quyết định"],
        ["mem", "tt_ldxs", 2022, "123/QĐ-UBND", "15/02/2023"],
        ["mem", "tt_ldxs", 2023, "234/QĐ-UBND", "20/02/2024"],
    ]
    client.post(url, {"file": xlsx(rows), "import": "1"})
    assert AwardRecord.objects.filter(agency=cast.member.agency, source="imported").count() == 2
    # imported history makes the member eligible for bk_ubnd in 2023
    html = client.get(reverse("awards:eligibility", args=[cast.bloc_year.pk])).content.decode()
    assert "đã được tặng “Tập thể lao động xuất sắc” năm 2022 và 2023" in html
    # the same file again: every row refused, nothing written
    response = client.post(url, {"file": xlsx(rows), "import": "1"})
    assert "đã có trong lịch sử" in response.content.decode()
    assert AwardRecord.objects.count() == 2


def test_history_import_is_403_for_agency_users_and_405_for_put(cast, login):
    url = reverse("awards:history_import")
    assert login(cast.secretariat).get(url).status_code == 403
    assert login(cast.council).put(url).status_code == 405


# --- rules ------------------------------------------------------------------


def test_rule_sets_list_and_detail(cast, login):
    client = login(cast.council)
    html = client.get(reverse("awards:rule_set_list")).content.decode()
    assert "Nghị định 152/2025/NĐ-CP" in html
    rs = rule_set_for(year=2023)
    html = client.get(reverse("awards:rule_set_detail", args=[rs.pk])).content.decode()
    assert "Cờ thi đua của Ủy ban nhân dân tỉnh" in html


@pytest.mark.parametrize("n", [1, 5])
def test_rule_sets_list_query_count(cast, login, n, django_assert_num_queries):

    for i in range(n):
        rule_set_create(
            actor=cast.council,
            province=cast.province,
            name=f"QĐ {i}",
            legal_basis="QĐ",
            first_year=2030 + i,
            last_year=2030 + i,
        )
    client = login(cast.council)
    client.get(reverse("awards:rule_set_list"))
    with django_assert_num_queries(RULES_LIST_QUERIES):
        client.get(reverse("awards:rule_set_list"))


RULES_LIST_QUERIES = 5


@pytest.mark.parametrize("n", [1, 5])
def test_rule_set_detail_query_count_does_not_grow(cast, login, n, django_assert_num_queries):
    own = rule_set_create(
        actor=cast.council,
        province=cast.province,
        name="Quy định của tỉnh",
        legal_basis="QĐ",
        first_year=2030,
    )
    award_types = AwardType.objects.filter(for_collective=True, is_active=True).order_by("order")
    for award_type in award_types[:n]:
        award_rule_set(actor=cast.council, rule_set=own, award_type=award_type, quota_count=1)
    client = login(cast.council)
    url = reverse("awards:rule_set_detail", args=[own.pk])
    client.get(url)

    with django_assert_num_queries(RULE_SET_DETAIL_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count("<tr data-award=") == n


RULE_SET_DETAIL_QUERIES = 5


def test_rules_pages_are_403_for_agency_users(cast, login):
    rs = rule_set_for(year=2023)
    client = login(cast.secretariat)
    assert client.get(reverse("awards:rule_set_list")).status_code == 403
    assert client.get(reverse("awards:rule_set_detail", args=[rs.pk])).status_code == 403


def test_provincial_council_cannot_edit_the_national_default(cast, login):
    rs = rule_set_for(year=2023)
    url = reverse("awards:award_rule_edit", args=[rs.pk, "bk_ubnd"])
    assert login(cast.council).post(url, {}).status_code == 403


def test_other_province_rule_set_is_404(cast, login):

    own = rule_set_create(
        actor=cast.council,
        province=cast.province,
        name="Riêng",
        legal_basis="QĐ 1",
        first_year=2026,
    )
    assert (
        login(cast.other_council).get(reverse("awards:rule_set_detail", args=[own.pk])).status_code
        == 404
    )


def test_national_council_edits_a_rule_with_validation(cast, login):
    cast.council.is_national = True
    cast.council.save(update_fields=["is_national"])
    rs = rule_set_for(year=2023)
    client = login(cast.council)
    url = reverse("awards:award_rule_edit", args=[rs.pk, "bk_ubnd"])
    assert client.get(url).status_code == 200
    data = {
        "quota_kind": "percent",
        "quota_percent": "",
        "quota_rounding": "up",
        "threshold_base": "present",
        "threshold_percent": "60",
        "prerequisites_json": '[{"type": "rating", "min_rating": "excellent", "years": 3}]',
        "disqualifying": ["inspection"],
        "members_only": "on",
    }
    response = client.post(url, data)
    assert "Giới hạn theo tỷ lệ cần tỷ lệ" in response.content.decode()
    data["quota_percent"] = "25"
    response = client.post(url, data)
    assert response.status_code == 302
    rule = AwardRule.objects.get(rule_set=rs, award_type__code="bk_ubnd")
    assert rule.quota_for(9) == 3
    assert rule.threshold_percent == 60
    assert rule.prerequisites == [{"type": "rating", "min_rating": "excellent", "years": 3}]
    assert rule.disqualifying_kinds == ["inspection"]
    assert client.get(url.replace("bk_ubnd", "khong-co")).status_code == 404
    assert client.put(url).status_code == 405


def test_copy_rule_set_to_a_new_legal_basis(cast, login):
    cast.council.is_national = True
    cast.council.save(update_fields=["is_national"])
    rs = rule_set_for(year=2026)
    client = login(cast.council)
    response = client.post(
        reverse("awards:rule_set_copy", args=[rs.pk]),
        {"name": "Nghị định mới", "legal_basis": "Nghị định X/2027/NĐ-CP", "first_year": "2027"},
    )
    assert response.status_code == 302
    copy = RuleSet.objects.get(name="Nghị định mới")
    assert copy.rules.count() == rs.rules.count()
    rs.refresh_from_db()
    assert rs.last_year == 2026
    assert rule_set_for(year=2027) == copy
    assert rule_set_for(year=2026) == rs


# --- dashboard ----------------------------------------------------------------


def test_dashboard_points_council_to_the_facts_and_eligibility(cast, django_assert_num_queries):

    BlocYear.objects.filter(pk=cast.bloc_year.pk).update(phase="voting")
    [task] = tasks_for(cast.council)
    assert task.url == reverse("awards:facts_grid", args=[cast.bloc_year.pk])
    assert "Kiểm tra thông tin và điều kiện khen thưởng" in task.title
    with django_assert_num_queries(0):
        assert tasks_for(cast.secretariat) == []
        assert tasks_for(cast.officer) == []
    assert tasks_for(cast.other_council) == []


@pytest.mark.parametrize("n", [1, 5])
def test_dashboard_tasks_query_count(cast, n, django_assert_num_queries):

    for _ in range(n - 1):
        BlocYearFactory(bloc__province=cast.province, year=cast.bloc_year.year)
    BlocYear.objects.update(phase="review")
    with django_assert_num_queries(1):
        assert len(tasks_for(cast.council)) == n + 1  # plus the outsider's bloc-year


def test_council_closes_a_disqualification(cast, login, rate):
    import datetime

    rate(cast.member.agency, {2022: "excellent", 2023: "excellent"})
    item = disqualification_add(
        actor=cast.council,
        agency=cast.member.agency,
        year=2023,
        kind="complaint",
        source_document="Đơn ngày 1/3/2023",
        started_on=datetime.date(2023, 3, 1),
    )
    url = reverse("awards:disqualification_end", args=[cast.bloc_year.pk, item.pk])
    assert login(cast.council).get(url).status_code == 405
    assert login(cast.secretariat).post(url, {"ended_on": "2023-07-01"}).status_code == 403
    assert login(cast.outsider).post(url, {"ended_on": "2023-07-01"}).status_code == 404
    response = login(cast.council).post(url, {"ended_on": "2023-02-01"}, follow=True)
    assert "Ngày kết thúc không được trước ngày bắt đầu" in response.content.decode()
    response = login(cast.council).post(url, {"ended_on": "2023-07-01"}, follow=True)
    assert "Đã kết thúc trường hợp không xét khen thưởng" in response.content.decode()
    item.refresh_from_db()
    assert item.ended_on == datetime.date(2023, 7, 1)


def test_provincial_council_copies_the_national_default_into_its_province(cast, login):
    rs = rule_set_for(year=2023)
    client = login(cast.council)
    url = reverse("awards:rule_set_copy", args=[rs.pk])
    assert "Sao chép" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "name": "Quy định khen thưởng của tỉnh",
            "legal_basis": "Quyết định 5/2023/QĐ-UBND",
            "first_year": "2023",
            "last_year": "2024",
        },
    )
    assert response.status_code == 302
    own = RuleSet.objects.get(province=cast.province)
    assert rule_set_for(year=2023, province_id=cast.province.pk) == own
    rs.refresh_from_db()
    assert rs.last_year == 2024  # the national default is untouched
    # the province's own rule set is editable by its council
    edit = reverse("awards:award_rule_edit", args=[own.pk, "co_tinh"])
    assert client.get(edit).status_code == 200
    # and the other province's council cannot see it
    assert login(cast.other_council).get(edit).status_code == 404
