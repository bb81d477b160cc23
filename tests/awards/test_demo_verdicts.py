"""The demo shows every outcome of the eligibility engine at least once, with
its reason; and ``check_eligibility`` on the demo's facts, written as a file of
cases, gives the same verdicts as the eligibility pages."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command

from awards.eligibility import WHAT_IF_CODES, facts_of_members, matrix
from awards.enums import DisqualificationKind
from awards.models import GovernmentFlagChoice, Poll
from awards.what_if import CASE_KINDS
from blocs.models import BlocYear
from tests.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_demo()
    return [
        m
        for m in (
            matrix(bloc_year=by)
            for by in BlocYear.objects.select_related("bloc", "year").order_by("year__year", "pk")
        )
        if m.rule_set is not None
    ]


def _cells(matrices):
    for page in matrices:
        for membership, results in page.rows():
            for result in results:
                yield membership, result


# Each reason the engine gives, as the demo must show it at least once
# (the Vietnamese of the pages): (what, eligible?, a fragment of the reason).
REASONS = [
    (
        "led the bloc: rank 1 after the tie-breaks",
        True,
        "dẫn đầu khối (xếp thứ 1 sau tiêu chí phụ)",
    ),
    ("led the bloc: chosen by the conference", True, "hội nghị khối bình xét là tập thể dẫn đầu"),
    ("not the leader the conference chose", False, "không phải tập thể dẫn đầu khối"),
    ("ranked below the leader", False, "danh hiệu dành cho tập thể dẫn đầu khối"),
    ("no ranking yet", False, "chưa có kết quả xếp hạng"),
    ("completed their tasks: met", True, "người hoàn thành nhiệm vụ (100%)"),
    ("completed their tasks: missed", False, "người hoàn thành nhiệm vụ (98%)"),
    ("LĐTT share: met at exactly 70%", True, "“Lao động tiên tiến” (70%)"),
    ("LĐTT share: missed", False, "“Lao động tiên tiến” (68,7%)"),
    ("CSTĐCS: met", True, "“Chiến sĩ thi đua cơ sở”, cần ít nhất 1"),
    ("CSTĐCS: none", False, "có 0 “Chiến sĩ thi đua cơ sở”"),
    ("nobody disciplined at warning or above", True, "0 người bị kỷ luật"),
    ("composition not recorded", False, "chưa có số liệu"),
    ("rating alternative: met", True, "trở lên năm 2022 và 2023"),
    ("rating: below the standard", False, "xếp loại “Hoàn thành tốt nhiệm vụ”, cần"),
    ("award alternative: last year's title and this year's standard", True, "đã được tặng"),
    ("through a predecessor agency", True, "qua đơn vị tiền thân"),
    ("movement outstanding", True, "tiêu biểu xuất sắc trong phong trào thi đua năm 2023 ("),
    ("one-off achievement", True, "thành tích đột xuất năm 2023 ("),
    ("contribution to the province", True, "đóng góp vào sự phát triển của tỉnh năm 2023 ("),
    ("registered", True, "đã đăng ký"),
    ("not registered", False, "không đăng ký"),
    (
        "a case concluded with a violation",
        False,
        "cuộc thanh tra đã kết luận ngày 10/01/2024 có vi phạm, đối với năm 2023",
    ),
    ("a served discipline: achievements count from its end", False, "hết thời hạn kỷ luật"),
    (
        "a member dissolved in the 2025 reorganisation, considered after it",
        False,
        "đơn vị đã giải thể từ ngày 01/03/2025 (Thông tư 15/2025/TT-BNV)",
    ),
]

# Case kinds whose open case bars, by the label the reason names.
BARRING_KINDS = [
    DisqualificationKind.DISCIPLINE_CONSIDERED,
    DisqualificationKind.INVESTIGATION,
    DisqualificationKind.EXAMINATION,
    DisqualificationKind.DENUNCIATION,
    DisqualificationKind.PRESS,
]


def test_each_award_is_shown_both_eligible_and_not(demo):
    seen = {(r.award_type.code, r.eligible) for _m, r in _cells(demo)}
    missing = [
        (code, eligible)
        for code in WHAT_IF_CODES
        for eligible in (True, False)
        if (code, eligible) not in seen
    ]
    assert missing == []


@pytest.mark.parametrize(("what", "eligible", "fragment"), REASONS, ids=[r[0] for r in REASONS])
def test_each_reason_is_shown_with_its_verdict(demo, what, eligible, fragment):
    prefix = "Đủ điều kiện: " if eligible else "Không đủ điều kiện: "
    assert any(
        reason.startswith(prefix) and fragment in reason
        for _m, result in _cells(demo)
        for reason in result.reasons
    ), what


@pytest.mark.parametrize("kind", BARRING_KINDS, ids=str)
def test_each_open_case_kind_bars_with_its_reason(demo, kind):
    label = str(DisqualificationKind(kind).label).lower()
    assert any(
        not result.eligible and any(label in r and "chưa có kết luận" in r for r in result.reasons)
        for _m, result in _cells(demo)
    )


def _verdict(demo, agency, code, year=2023):
    for page in demo:
        for membership, result in _cells([page]):
            if (
                membership.agency.code == agency
                and result.award_type.code == code
                and membership.bloc_year.year.year == year
            ):
                return result
    raise AssertionError(f"{agency} {code} {year} not in the demo")


def test_cases_that_do_not_bar_are_shown_eligible(demo):
    # A routine inspection (no signs of violation) and a complaint concluded
    # with no violation: both agencies keep their awards.
    assert _verdict(demo, "sngv", "bk_ubnd").eligible
    assert _verdict(demo, "skhdt", "tt_ldxs").eligible


def test_a_dissolved_member_is_refused_every_award(demo):
    # Sở TN&MT, a member of ktkt's 2025 as drawn up in January, was dissolved
    # on 01/03/2025; the bloc considers the year after that.
    for code in WHAT_IF_CODES:
        result = _verdict(demo, "stnmt", code, year=2025)
        assert not result.eligible
        assert "đơn vị đã giải thể từ ngày 01/03/2025" in result.reasons[0]


def test_the_2023_government_flag_poll_is_created_with_the_bloc_s_leader(demo):
    poll = Poll.objects.get(meeting__bloc_year__bloc__code="tmth", award_type__code="co_chinh_phu")
    candidates = [(c.membership.agency.code, c.reason) for c in poll.candidates.all()]
    assert candidates == [("vpubnd", "")]  # offered by the engine, not added by hand


def test_the_council_chose_the_government_flag_province_wide(demo):
    choice = GovernmentFlagChoice.objects.get(year=2023)
    assert sorted(choice.memberships.values_list("agency__code", flat=True)) == ["sct", "vpubnd"]


# --- check_eligibility gives the pages' verdicts on the demo's facts ---------

FILE_KINDS = {engine: name for name, engine in CASE_KINDS.items()}
THROUGH = re.compile(r" \(qua đơn vị tiền thân [^)]*\)")


def _case_file(facts) -> dict:
    """The engine's facts of one member as a case of the what-if file."""
    assert not (facts.shared_rank and facts.led_bloc is None), "an unsettled shared rank"
    agency: dict = {
        "ratings": {str(y): r for y, r in facts.ratings.items()},
        "awards": [
            {"year": y, "award": code} for y, codes in facts.awards.items() for code in codes
        ],
        "registered": sorted(facts.registered),
        "cases": [],
        "discipline": [],
    }
    if facts.rank is not None:
        agency["rank"] = facts.rank
    if facts.led_bloc is not None:
        agency["led_bloc"] = facts.led_bloc
    if facts.staff is not None:
        agency["staff"] = {k: v for k, v in vars(facts.staff).items() if v is not None}
    agency.update(facts.achievements)
    for case in facts.cases:
        if case.kind == DisqualificationKind.DISCIPLINE:
            agency["discipline"].append(
                {
                    "start": case.opened_on.isoformat(),
                    "end": case.closed_on.isoformat() if case.closed_on else None,
                    "source": case.source,
                }
            )
        elif case.kind == DisqualificationKind.DISSOLVED:
            agency["dissolved_on"] = case.opened_on.isoformat()
            agency["dissolved_source"] = case.source
        else:
            agency["cases"].append(
                {
                    "kind": FILE_KINDS[case.kind],
                    "opened_on": case.opened_on.isoformat(),
                    "closed_on": case.closed_on.isoformat() if case.closed_on else None,
                    "signs_of_violation": case.signs_of_violation,
                    "violation_found": case.violation_found,
                    "year": case.year,
                    "source": case.source,
                }
            )
    return agency


def test_check_eligibility_gives_the_pages_verdicts_on_the_demo(demo, tmp_path):
    cases, expected = [], {}
    for page in demo:
        by = page.memberships[0].bloc_year
        facts = facts_of_members(bloc_year=by, considered_on=page.considered_on)
        for membership, results in page.rows():
            case_id = f"{by.bloc.code}-{by.year.year}-{membership.agency.code}"
            cases.append(
                {
                    "id": case_id,
                    "considered_on": page.considered_on.isoformat(),
                    "year": by.year.year,
                    "bloc_members": len(page.memberships),
                    "agency": _case_file(facts[membership.pk]),
                }
            )
            expected[case_id] = {
                r.award_type.code: (r.eligible, [THROUGH.sub("", x) for x in r.reasons])
                for r in results
                if r.award_type.code in WHAT_IF_CODES
            }
    path = tmp_path / "demo-cases.json"
    path.write_text(json.dumps({"province": "demo", "cases": cases}), encoding="utf-8")
    out = io.StringIO()
    call_command("check_eligibility", "--file", str(path), "--format", "json", stdout=out)
    result = json.loads(out.getvalue())
    assert len(result["cases"]) == len(cases) == 40  # five bloc-years of the demo
    for case in result["cases"]:
        for code, verdict in case["verdicts"].items():
            assert (verdict["eligible"], verdict["reasons"]) == expected[case["id"]][code], (
                case["id"],
                code,
            )
