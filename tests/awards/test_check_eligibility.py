"""check_eligibility: hypothetical agencies judged without touching the
database, by the same engine as the pages."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awards.eligibility import WHAT_IF_CODES, matrix
from awards.services import agency_fact_set, disqualification_add
from blocs.models import FinalScore
from tests.factories.registration import register


def run(tmp_path, data, *args):
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        call_command("check_eligibility", "--file", str(path), *args, stdout=out)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    return out.getvalue()


CASE = {
    "id": "so-a",
    "considered_on": "2025-01-15",
    "year": 2024,
    "bloc_members": 9,
    "agency": {
        "ratings": {"2023": "excellent", "2024": "excellent"},
        "rank": 1,
        "registered": ["co_tinh", "tt_ldxs"],
        "staff": {"total": 40, "completed": 40, "ldtt": 28, "cstdcs": 2, "disciplined": 0},
    },
}


def test_json_output_has_every_award_with_reasons_and_the_basis(db, tmp_path):
    result = json.loads(run(tmp_path, {"province": None, "cases": [CASE]}, "--format", "json"))
    [case] = result["cases"]
    assert case["id"] == "so-a"
    assert "Nghị định 98/2023/NĐ-CP" in case["legal_basis"]
    assert list(case["verdicts"]) == list(WHAT_IF_CODES)
    verdicts = case["verdicts"]
    assert verdicts["tt_ldxs"]["eligible"] and verdicts["co_tinh"]["eligible"]
    assert verdicts["bk_ubnd"]["eligible"]  # two excellent years
    assert not verdicts["tt_ldtt"]["eligible"]  # not registered
    assert not verdicts["co_chinh_phu"]["eligible"]
    assert all(v["reasons"] for v in verdicts.values())


def test_text_output_reads_for_a_person(db, tmp_path):
    moved = {**CASE, "considered_on": "2025-07-01"}
    text = run(tmp_path, {"province": None, "cases": [moved]})
    assert "== so-a — ngày xét 01/07/2025" in text
    assert "Nghị định 152/2025/NĐ-CP" in text
    assert "[✓] Tập thể lao động xuất sắc (tt_ldxs)" in text
    assert "28/40 người đạt danh hiệu “Lao động tiên tiến” (70%), cần ít nhất 70%" in text


def test_cases_disciplines_and_dissolution_from_the_file(db, tmp_path):
    agency = {
        **CASE["agency"],
        "cases": [{"kind": "discipline", "opened_on": "2024-12-01"}],
        "discipline": [{"start": "2023-05-01", "end": "2024-05-01"}],
        "dissolved_on": "2025-01-01",
        "dissolved_source": "NQ 12/NQ-HĐND",
        "one_off": "QĐ 9/QĐ-UBND",
    }
    result = json.loads(
        run(tmp_path, {"province": None, "cases": [{**CASE, "agency": agency}]}, "--format", "json")
    )
    reasons = " | ".join(result["cases"][0]["verdicts"]["tt_ldxs"]["reasons"])
    assert "đang bị xem xét kỷ luật từ ngày 01/12/2024" in reasons
    assert "bị kỷ luật từ ngày 01/05/2023 đến 01/05/2024" in reasons
    assert "giải thể từ ngày 01/01/2025 (Thông tư 15/2025/TT-BNV) (NQ 12/NQ-HĐND)" in reasons


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"cases": [{**CASE, "considered_on": "15/01/2025"}]}, "không phải là ngày"),
        ({"province": "zz", "cases": []}, "zz"),
        ({"cases": [{**CASE, "agency": {"cases": [{"kind": "rumour"}]}}]}, "rumour"),
        ({"nothing": 1}, "cases"),
        ({"cases": [{**CASE, "agency": {"ratings": {"x": "good"}}}]}, "không phải là năm"),
    ],
)
def test_bad_input_is_refused_with_where(db, tmp_path, data, message):
    with pytest.raises(CommandError, match=message):
        run(tmp_path, data)


def test_the_command_gives_the_same_verdicts_as_the_pages(cast, tmp_path):
    """The same facts in the database (page) and in a file (command)."""
    year, by = 2023, cast.bloc_year
    lead, mem = cast.leader.agency, cast.member.agency
    agency_fact_set(actor=None, agency=lead, year=2022, rating="excellent", source_document="QĐ 1")
    agency_fact_set(
        actor=None,
        agency=lead,
        year=year,
        rating="excellent",
        staff_total=20,
        staff_completed=20,
        staff_ldtt=14,
        staff_cstdcs=1,
        staff_disciplined=0,
        one_off="QĐ 77/QĐ-UBND",
    )
    agency_fact_set(
        actor=None,
        agency=mem,
        year=year,
        rating="good",
        staff_total=20,
        staff_completed=19,
        staff_ldtt=13,
        staff_cstdcs=0,
        staff_disciplined=1,
    )
    disqualification_add(
        actor=None,
        agency=mem,
        year=year,
        kind="complaint",
        source_document="Đơn ngày 02/12/2023",
        started_on=datetime.date(2023, 12, 2),
    )
    register(cast, cast.member, award_codes=("tt_ldtt", "tt_ldxs"))
    now = timezone.now()
    for membership, rank in ((cast.leader, 1), (cast.member, 2)):
        FinalScore.objects.create(
            bloc_year=by,
            membership=membership,
            self_total=90,
            total=90 - rank,
            deduction=0,
            tie_break_score=0,
            rank=rank,
            locked_at=now,
        )
    page = matrix(bloc_year=by)
    files = {
        "province": cast.province.code,
        "cases": [
            {
                "id": "lead",
                "considered_on": page.considered_on.isoformat(),
                "year": year,
                "agency": {
                    "ratings": {"2022": "excellent", "2023": "excellent"},
                    "rank": 1,
                    "staff": {
                        "total": 20,
                        "completed": 20,
                        "ldtt": 14,
                        "cstdcs": 1,
                        "disciplined": 0,
                    },
                    "one_off": "QĐ 77/QĐ-UBND",
                },
            },
            {
                "id": "mem",
                "considered_on": page.considered_on.isoformat(),
                "year": year,
                "agency": {
                    "ratings": {"2023": "good"},
                    "rank": 2,
                    "registered": ["tt_ldtt", "tt_ldxs"],
                    "staff": {
                        "total": 20,
                        "completed": 19,
                        "ldtt": 13,
                        "cstdcs": 0,
                        "disciplined": 1,
                    },
                    "cases": [{"kind": "complaint", "opened_on": "2023-12-02"}],
                },
            },
        ],
    }
    command = json.loads(run(tmp_path, files, "--format", "json"))
    by_code = {t.code: t for t in page.award_types}
    for case, membership in zip(command["cases"], (cast.leader, cast.member), strict=True):
        for code in WHAT_IF_CODES:
            cell = page.cells[(membership.pk, by_code[code].pk)]
            expected = {"eligible": cell.eligible, "reasons": cell.reasons}
            if code == "tt_ldtt" or membership == cast.member:
                expected["reasons"] = [
                    r.replace(" (Đơn ngày 02/12/2023)", "") for r in expected["reasons"]
                ]
            assert case["verdicts"][code] == expected, (membership, code)
    lead_verdicts = command["cases"][0]["verdicts"]
    assert lead_verdicts["co_tinh"]["eligible"] is False  # not registered
    assert lead_verdicts["bk_ubnd"]["eligible"] is True  # a one-off achievement
    assert command["cases"][1]["verdicts"]["tt_ldtt"]["eligible"] is False


def test_the_example_file_shows_each_side_of_1_july_2025(db):
    out = io.StringIO()
    call_command(
        "check_eligibility",
        "--file",
        "examples/check_eligibility.json",
        "--format",
        "json",
        stdout=out,
    )
    cases = {c["id"]: c for c in json.loads(out.getvalue())["cases"]}
    assert "98/2023" in cases["truoc-01-7-2025"]["legal_basis"]
    assert "152/2025" in cases["tu-01-7-2025"]["legal_basis"]
    assert "98/2023" in cases["ho-so-nop-truoc-01-7-2025"]["legal_basis"]
    assert cases["truoc-01-7-2025"]["verdicts"]["tt_ldxs"]["eligible"]
    assert not cases["tu-01-7-2025"]["verdicts"]["tt_ldxs"]["eligible"]  # 27/40 < 70%
    assert cases["truoc-01-7-2025"]["verdicts"]["co_chinh_phu"]["eligible"]
    assert not cases["ho-so-nop-truoc-01-7-2025"]["verdicts"]["tt_ldtt"]["eligible"]
    press = cases["dang-xac-minh-bao-chi"]["verdicts"]["bk_ubnd"]
    assert not press["eligible"] and len(press["reasons"]) == 1  # the press case only
    disciplined = cases["ky-luat-va-giai-the"]["verdicts"]["bk_ubnd"]["reasons"]
    assert any("giải thể" in r for r in disciplined)
    assert any("30/04/2025" in r for r in disciplined)
