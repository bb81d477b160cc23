"""The composition of a member's people and its recorded achievements, on the
facts grid, by Excel, in the services; cases with signs of violation and
conclusions on the grid; rule sets' dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.models import AgencyYearFact, Disqualification
from awards.selectors import rule_set_for
from awards.services import agency_fact_set, rule_set_copy
from tests.awards.test_views import grid_post, xlsx


def test_the_grid_saves_the_composition_and_the_achievements(cast, login):
    client = login(cast.council)
    m = cast.member.pk
    data = grid_post(
        cast,
        **{
            f"m{m}-staff_total": "20",
            f"m{m}-staff_completed": "20",
            f"m{m}-staff_ldtt": "13",
            f"m{m}-staff_cstdcs": "1",
            f"m{m}-staff_disciplined": "0",
            f"m{m}-staff_women": "9",
            f"m{m}-one_off": "QĐ 5/QĐ-UBND",
        },
    )
    url = reverse("awards:facts_grid", args=[cast.bloc_year.pk])
    client.post(url, data)
    fact = AgencyYearFact.objects.get(agency=cast.member.agency, year=2023)
    assert fact.staff() == {
        "total": 20,
        "completed": 20,
        "ldtt": 13,
        "cstdcs": 1,
        "disciplined": 0,
        "women": 9,
    }
    assert fact.one_off == "QĐ 5/QĐ-UBND"
    html = client.get(reverse("awards:eligibility", args=[cast.bloc_year.pk])).content.decode()
    assert "13/20 người đạt danh hiệu “Lao động tiên tiến” (65%), cần ít nhất 70%" in html
    assert "thành tích đột xuất năm 2023 (QĐ 5/QĐ-UBND)" in html


def test_the_grid_refuses_a_part_above_the_total(cast, login):
    m = cast.member.pk
    data = grid_post(cast, **{f"m{m}-staff_total": "10", f"m{m}-staff_ldtt": "11"})
    response = login(cast.council).post(
        reverse("awards:facts_grid", args=[cast.bloc_year.pk]), data
    )
    assert "11 không được lớn hơn số người (10)" in response.content.decode()
    assert not AgencyYearFact.objects.exists()


def test_the_service_checks_the_counts_and_keeps_what_is_not_given(cast):
    agency = cast.member.agency
    with pytest.raises(ValidationError):
        agency_fact_set(actor=None, agency=agency, year=2023, staff_total=5, staff_cstdcs=6)
    agency_fact_set(actor=None, agency=agency, year=2023, staff_total=40, staff_women=30)
    fact = agency_fact_set(actor=None, agency=agency, year=2023, rating="good")
    assert (fact.staff_total, str(fact.women_percent)) == (40, "75.00")


def test_excel_import_reads_the_composition(cast, login):
    file = xlsx(
        [
            [
                "Mã cơ quan",
                "Xếp loại",
                "Số người",
                "Hoàn thành nhiệm vụ",
                "Lao động tiên tiến",
                "Chiến sĩ thi đua cơ sở",
                "Bị kỷ luật từ cảnh cáo",
                "Thành tích đột xuất",
            ],
            ["mem", "good", 30, 30, 21, 0, 0, "QĐ 8/QĐ-UBND"],
            ["lead", "good", 10, 9, 12, 0, 0, ""],
        ]
    )
    url = reverse("awards:facts_import", args=[cast.bloc_year.pk])
    html = login(cast.council).post(url, {"file": file, "import": "1"}).content.decode()
    assert "không được lớn hơn số người (10)" in html
    assert not AgencyYearFact.objects.exists()
    file = xlsx(
        [
            ["Mã cơ quan", "Xếp loại", "Số người", "Lao động tiên tiến", "Thành tích đột xuất"],
            ["mem", "good", 30, 21, "QĐ 8/QĐ-UBND"],
        ]
    )
    login(cast.council).post(url, {"file": file, "import": "1"})
    fact = AgencyYearFact.objects.get(agency=cast.member.agency)
    assert (fact.staff_total, fact.staff_ldtt, fact.one_off) == (30, 21, "QĐ 8/QĐ-UBND")


def test_a_case_with_signs_and_its_conclusion_on_the_grid(cast, login, rate):
    rate(cast.member.agency, {2022: "excellent", 2023: "excellent"})
    client = login(cast.council)
    client.post(
        reverse("awards:disqualification_create", args=[cast.bloc_year.pk]),
        {
            "membership": cast.member.pk,
            "kind": "examination",
            "source_document": "QĐ 3/QĐ-KT",
            "started_on": "2023-10-02",
            "signs_of_violation": "on",
        },
    )
    case = Disqualification.objects.get()
    assert case.signs_of_violation
    matrix_url = reverse("awards:eligibility", args=[cast.bloc_year.pk])
    assert (
        "đang bị kiểm tra, kiểm toán từ ngày 02/10/2023" in client.get(matrix_url).content.decode()
    )
    client.post(
        reverse("awards:disqualification_end", args=[cast.bloc_year.pk, case.pk]),
        {"ended_on": "2023-12-01", "violation_found": "no"},
    )
    case.refresh_from_db()
    assert (case.ended_on, case.violation_found) == (datetime.date(2023, 12, 1), False)
    assert "kiểm toán" not in client.get(matrix_url).content.decode()


def test_a_province_copy_of_a_national_default_keeps_its_dates(cast):
    source = rule_set_for(year=2025)
    copy = rule_set_copy(
        actor=cast.council,
        source=source,
        name="Quy định của tỉnh",
        legal_basis="Quyết định 5/2025/QĐ-UBND",
        first_year=2025,
        province=cast.province,
    )
    assert (copy.valid_from, copy.transitional_before) == (
        datetime.date(2025, 7, 1),
        datetime.date(2025, 7, 1),
    )
    later = rule_set_copy(
        actor=cast.admin,  # a new national default is the administrators'
        source=source,
        name="Nghị định mới",
        legal_basis="Nghị định mới",
        first_year=2027,
        valid_from=datetime.date(2027, 1, 1),
    )
    source.refresh_from_db()
    assert source.valid_until == datetime.date(2026, 12, 31)
    assert rule_set_for(considered_on=datetime.date(2027, 2, 1), year=2026) == later


def _rank(bloc_year, ranks):
    from django.utils import timezone

    from blocs.models import FinalScore

    for membership, (rank, shared) in ranks.items():
        FinalScore.objects.create(
            bloc_year=bloc_year,
            membership=membership,
            self_total=90,
            total=90,
            deduction=0,
            tie_break_score=0,
            rank=rank,
            shared_rank=shared,
            locked_at=timezone.now(),
        )


def test_the_conference_chooses_the_leader_when_the_first_rank_is_shared(cast, login, award):
    from awards.eligibility import evaluate

    _rank(cast.bloc_year, {cast.leader: (1, True), cast.member: (1, True)})

    def led(agency):
        [r] = [
            r
            for r in evaluate(bloc_year=cast.bloc_year, award_type=award("co_tinh"))
            if r.agency == agency
        ]
        return " ".join(r.reasons)

    assert "đồng hạng nhất" in led(cast.member.agency)
    url = reverse("awards:leading_choice", args=[cast.bloc_year.pk])
    client = login(cast.secretariat)
    response = client.post(
        url, {"membership": cast.member.pk, "source_document": "Biên bản hội nghị 01/BB"}
    )
    assert response.status_code == 302
    assert "không phải tập thể dẫn đầu khối" in led(cast.leader.agency)
    assert "đồng hạng nhất" not in led(cast.member.agency)
    page = client.get(reverse("awards:eligibility", args=[cast.bloc_year.pk])).content.decode()
    assert "Biên bản hội nghị 01/BB" in page
    client.post(url, {"membership": ""})
    assert "đồng hạng nhất" in led(cast.member.agency)


def test_the_leading_choice_needs_the_secretariat_and_post(cast, login):
    url = reverse("awards:leading_choice", args=[cast.bloc_year.pk])
    assert login(cast.secretariat).get(url).status_code == 405
    assert login(cast.council).post(url, {}).status_code == 403
    assert login(cast.head).post(url, {}).status_code == 403
    assert login(cast.outsider).post(url, {}).status_code == 404
    response = login(cast.secretariat).post(url, {"membership": cast.member.pk}, follow=True)
    assert "Vui lòng ghi văn bản căn cứ (ví dụ: biên bản hội nghị khối)." in (
        response.content.decode()
    )
