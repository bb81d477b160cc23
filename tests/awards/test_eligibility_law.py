"""The standards of Law 06/2022 and its decrees, table-driven per article, on
the pure engine (no database): each condition met and missed by one, each
alternative alone, each disqualifier open, concluded and served, each side of
1 July 2025. The rules are the seeded national defaults."""

from __future__ import annotations

import dataclasses
import datetime
import importlib

import pytest

from awards.eligibility import AgencyFacts, Case, Staff, judge_agency
from awards.models import AwardRule, AwardType, RuleSet
from awards.selectors.rules import choose_rule_set

SEED = importlib.import_module("awards.migrations.0009_rules_as_the_law_says")
D = datetime.date

RS98 = RuleSet(
    name="98",
    legal_basis="Nghị định 98/2023/NĐ-CP",
    first_year=2020,
    last_year=2024,
    **SEED.RULE_SETS["Nghị định 98/2023/NĐ-CP"],
)
RS152 = RuleSet(
    name="152",
    legal_basis="Nghị định 152/2025/NĐ-CP",
    first_year=2025,
    **SEED.RULE_SETS["Nghị định 152/2025/NĐ-CP"],
)


def seeded_rules(**changes) -> dict[str, AwardRule]:
    """The seeded rules as unsaved objects; ``changes``: {code: {field: value}}."""
    rules = {}
    for code, fields in SEED.RULES.items():
        values = {
            k: v
            for k, v in fields.items()
            if k in ("conditions", "prerequisites", "registration_required", "excludes", "options")
        }
        values.update(changes.get(code, {}))
        rules[code] = AwardRule(
            award_type=AwardType(code=code, name=code),
            disqualifying_kinds=list(SEED.ALL_KINDS),
            **values,
        )
    return rules


ON = D(2025, 1, 15)  # considered under Decree 98/2023, for the year 2024


def verdict(code, facts, *, on=ON, year=2024, rules=None, submitted_on=None):
    rule_set = choose_rule_set(
        [RS98, RS152], considered_on=on, year=year, submitted_on=submitted_on
    )
    found = judge_agency(
        facts,
        rule_set=rule_set,
        rules=rules or seeded_rules(),
        year=year,
        considered_on=on,
        codes=[code],
    )
    return found[code]


def good(**changes) -> AgencyFacts:
    """An agency meeting every standard of tt_ldxs in 2024 (and led the bloc)."""
    facts = AgencyFacts(
        ratings={
            2020: "excellent",
            2021: "excellent",
            2022: "excellent",
            2023: "excellent",
            2024: "excellent",
        },
        rank=1,
        registered={"co_chinh_phu", "co_tinh", "tt_ldxs", "tt_ldtt"},
        staff=Staff(total=100, completed=100, ldtt=70, cstdcs=1, disciplined=0, women=40),
    )
    return dataclasses.replace(facts, **changes)


def staff(**changes) -> Staff:
    return dataclasses.replace(
        Staff(total=100, completed=100, ldtt=70, cstdcs=1, disciplined=0), **changes
    )


# --- Art. 27: Tập thể lao động xuất sắc ---------------------------------------


@pytest.mark.parametrize(
    ("members", "eligible", "text"),
    [
        (staff(), True, "70/100 người"),
        (staff(completed=99), False, "99/100 người hoàn thành nhiệm vụ (99%), cần ít nhất 100%"),
        (staff(ldtt=69), False, "69/100 người đạt danh hiệu “Lao động tiên tiến” (69%)"),
        (staff(ldtt=70), True, ""),
        (staff(total=3, completed=3, ldtt=2), False, "(66,6%)"),  # 2/3 is below 70%
        (staff(cstdcs=0), False, "có 0 “Chiến sĩ thi đua cơ sở”, cần ít nhất 1"),
        (staff(cstdcs=1), True, ""),
        (None, False, "chưa có số liệu"),
        (staff(total=0, completed=0, ldtt=0, cstdcs=0), False, "chưa có số liệu về số người"),
    ],
)
def test_art_27_excellent_collective(members, eligible, text):
    result = verdict("tt_ldxs", good(staff=members))
    assert result.eligible is eligible
    assert text in " | ".join(result.reasons)


def test_art_27_needs_an_excellent_rating_and_the_registration():
    assert not verdict("tt_ldxs", good(ratings={2024: "good"})).eligible
    assert not verdict("tt_ldxs", good(registered=set())).eligible


# --- Art. 28: Tập thể lao động tiên tiến --------------------------------------


@pytest.mark.parametrize(
    ("members", "rating", "eligible"),
    [
        (staff(ldtt=70, completed=90), "good", True),
        (staff(ldtt=69), "good", False),
        (staff(disciplined=1), "good", False),
        (staff(disciplined=0), "good", True),
        (staff(), "completed", False),
        (staff(disciplined=None), "good", False),
    ],
)
def test_art_28_advanced_collective(members, rating, eligible):
    facts = good(staff=members, ratings={2024: rating})
    assert verdict("tt_ldtt", facts).eligible is eligible


# --- Art. 25, 26: the flags go to the collective leading the bloc --------------


@pytest.mark.parametrize("code", ["co_tinh", "co_chinh_phu"])
@pytest.mark.parametrize(
    ("changes", "eligible", "text"),
    [
        ({"rank": 1}, True, "dẫn đầu khối (xếp thứ 1 sau tiêu chí phụ)"),
        ({"rank": 2}, False, "xếp thứ 2"),
        ({"rank": 1, "shared_rank": True}, False, "đồng hạng nhất"),
        ({"rank": 2, "led_bloc": True}, True, "hội nghị khối bình xét"),
        ({"rank": 1, "led_bloc": False}, False, "không phải tập thể dẫn đầu khối"),
        ({"rank": None}, False, "chưa có kết quả xếp hạng"),
        ({"ratings": {2024: "good"}}, False, "Hoàn thành tốt nhiệm vụ"),
    ],
)
def test_art_25_26_the_flags(code, changes, eligible, text):
    result = verdict(code, good(**changes))
    assert result.eligible is eligible
    assert text in " | ".join(result.reasons)


# --- Art. 74: the Chairman's Bằng khen, one of four --------------------------

BARE = {"ratings": {}, "staff": None, "registered": set(), "rank": None}


@pytest.mark.parametrize(
    ("changes", "eligible"),
    [
        ({}, False),
        ({"achievements": {"movement_outstanding": "QĐ 12/QĐ-UBND"}}, True),
        ({"achievements": {"one_off": "QĐ 13/QĐ-UBND"}}, True),
        ({"achievements": {"contribution": "Báo cáo 14/BC-UBND"}}, True),
        ({"ratings": {2023: "excellent", 2024: "excellent"}}, True),
        ({"ratings": {2023: "good", 2024: "excellent"}}, False),
        ({"ratings": {2024: "excellent"}}, False),
        ({"awards": {2023: {"tt_ldxs"}, 2024: {"tt_ldxs"}}}, True),
        ({"awards": {2023: {"tt_ldxs"}}}, False),
    ],
)
def test_art_74_each_alternative_alone(changes, eligible):
    assert verdict("bk_ubnd", good(**{**BARE, **changes})).eligible is eligible


def test_art_74_last_year_s_title_and_this_year_s_standard():
    facts = good(awards={2023: {"tt_ldxs"}}, ratings={2024: "excellent"})
    result = verdict("bk_ubnd", facts)
    assert result.eligible
    assert not verdict("bk_ubnd", dataclasses.replace(facts, staff=staff(cstdcs=0))).eligible


# --- Art. 73: the Prime Minister's Bằng khen ---------------------------------

FIVE = dict.fromkeys(range(2020, 2025), "excellent")


@pytest.mark.parametrize(
    ("changes", "eligible"),
    [
        ({}, False),
        ({"achievements": {"movement_outstanding": "QĐ 1/QĐ-TTg"}}, True),
        ({"achievements": {"one_off": "QĐ 2/QĐ-TTg"}}, True),
        ({"ratings": FIVE}, True),
        ({"ratings": {**FIVE, 2020: "good"}}, False),
        ({"ratings": {y: r for y, r in FIVE.items() if y > 2020}}, False),
    ],
)
def test_art_73_each_alternative_alone(changes, eligible):
    assert verdict("bk_ttg", good(**{**BARE, **changes})).eligible is eligible


def test_art_73_the_earlier_award_is_an_option_off_by_default():
    option = {"value": True, "award_types": ["bk_ubnd"], "note": "open"}
    rules = seeded_rules(bk_ttg={"options": {"earlier_award_within_window": option}})
    facts = good(**{**BARE, "ratings": FIVE})
    assert verdict("bk_ttg", facts).eligible
    refused = verdict("bk_ttg", facts, rules=rules)
    assert not refused.eligible
    assert "đã được khen thưởng" in refused.reasons[0]
    with_award = dataclasses.replace(facts, awards={2022: {"bk_ubnd"}})
    assert verdict("bk_ttg", with_award, rules=rules).eligible


# --- Disqualifiers (Decree 98/2023 Art. 4, Decree 152/2025 Art. 4) ------------

CASE_KINDS = [
    "discipline_considered",
    "investigation",
    "inspection",
    "examination",
    "complaint",
    "denunciation",
    "press",
]
SIGNS_NEEDED = {"investigation", "inspection", "examination"}


@pytest.mark.parametrize("kind", CASE_KINDS)
@pytest.mark.parametrize(
    ("case", "eligible"),
    [
        ({"opened_on": D(2024, 11, 1), "signs_of_violation": True}, False),  # open
        (
            {"opened_on": D(2024, 11, 1), "closed_on": D(2025, 2, 1), "signs_of_violation": True},
            False,
        ),  # concluded only after the consideration
        (
            {
                "opened_on": D(2024, 11, 1),
                "closed_on": D(2025, 1, 10),
                "violation_found": False,
                "signs_of_violation": True,
            },
            True,
        ),  # concluded, no violation
        (
            {
                "opened_on": D(2024, 11, 1),
                "closed_on": D(2025, 1, 10),
                "violation_found": True,
                "year": 2024,
            },
            False,
        ),  # concluded with a violation in that year
        ({"opened_on": D(2025, 2, 1), "signs_of_violation": True}, True),  # opened after
    ],
)
def test_disqualifying_cases(kind, case, eligible):
    facts = good(cases=[Case(kind=kind, **case)])
    assert verdict("tt_ldxs", facts).eligible is eligible


@pytest.mark.parametrize("kind", sorted(SIGNS_NEEDED))
def test_an_inspection_without_signs_of_violation_does_not_bar(kind):
    facts = good(cases=[Case(kind=kind, opened_on=D(2024, 11, 1))])
    assert verdict("tt_ldxs", facts).eligible


@pytest.mark.parametrize("kind", ["complaint", "denunciation", "press", "discipline_considered"])
def test_cases_that_bar_whatever_the_signs(kind):
    facts = good(cases=[Case(kind=kind, opened_on=D(2024, 11, 1))])
    result = verdict("tt_ldxs", facts)
    assert not result.eligible
    assert "chưa có kết luận tại ngày 15/01/2025" in result.reasons[0]


@pytest.mark.parametrize(
    ("start", "end", "code", "eligible"),
    [
        (D(2023, 1, 1), D(2023, 12, 31), "tt_ldxs", True),  # served before the year
        (D(2023, 6, 1), D(2024, 6, 30), "tt_ldxs", False),  # ends within the year
        (D(2024, 3, 1), None, "tt_ldxs", False),  # no end
        (D(2022, 6, 1), D(2023, 6, 30), "tt_ldxs", True),
        (D(2022, 6, 1), D(2023, 6, 30), "bk_ubnd", False),  # the 2023–2024 window
        (D(2021, 6, 1), D(2022, 6, 30), "bk_ubnd", True),
        (D(2025, 3, 1), D(2026, 3, 1), "tt_ldxs", True),  # imposed after the consideration
    ],
)
def test_an_imposed_discipline_counts_achievements_from_its_end(start, end, code, eligible):
    facts = good(
        cases=[Case(kind="discipline", opened_on=start, closed_on=end)],
        achievements={},
    )
    assert verdict(code, facts).eligible is eligible


@pytest.mark.parametrize(
    ("dissolved_on", "eligible"), [(D(2025, 1, 1), False), (D(2025, 3, 1), True)]
)
def test_a_dissolved_unit(dissolved_on, eligible):
    facts = good(cases=[Case(kind="dissolved", opened_on=dissolved_on)])
    result = verdict("tt_ldxs", facts)
    assert result.eligible is eligible
    if not eligible:
        assert "Thông tư 15/2025/TT-BNV" in result.reasons[0]


def test_a_kind_the_rule_does_not_list_does_not_bar():
    rules = seeded_rules(tt_ldxs={})
    rules["tt_ldxs"].disqualifying_kinds = ["discipline"]
    facts = good(cases=[Case(kind="complaint", opened_on=D(2024, 11, 1))])
    assert verdict("tt_ldxs", facts, rules=rules).eligible


# --- The legal basis by the date of consideration ----------------------------


@pytest.mark.parametrize(
    ("on", "submitted_on", "basis"),
    [
        (D(2023, 12, 31), None, None),
        (D(2024, 1, 1), None, "Nghị định 98/2023/NĐ-CP"),
        (D(2025, 6, 30), None, "Nghị định 98/2023/NĐ-CP"),
        (D(2025, 7, 1), None, "Nghị định 152/2025/NĐ-CP"),
        (D(2025, 8, 1), D(2025, 6, 30), "Nghị định 98/2023/NĐ-CP"),  # Art. 60
        (D(2025, 8, 1), D(2025, 7, 1), "Nghị định 152/2025/NĐ-CP"),
    ],
)
def test_the_basis_is_chosen_by_the_date_of_consideration(on, submitted_on, basis):
    result = verdict("tt_ldxs", good(), on=on, submitted_on=submitted_on)
    assert (result.legal_basis or None) == basis
    if basis:
        assert all(basis in r for r in result.reasons)
    else:
        assert "chưa có bộ quy định áp dụng cho việc xét ngày 31/12/2023" in result.reasons[0]


def test_the_achievement_year_does_not_choose_the_basis():
    """A 2024 achievement considered after 1 July 2025 is judged under Decree 152."""
    result = verdict("tt_ldxs", good(), on=D(2025, 9, 1), year=2024)
    assert result.legal_basis == "Nghị định 152/2025/NĐ-CP"


# --- Every article on each side of 1 July 2025 -------------------------------
# The same facts judged the day before Decree 152/2025 and the day it applies:
# the standards of the Law are the same, the basis named in the verdict changes.

SIDES = [(D(2025, 6, 30), "Nghị định 98/2023/NĐ-CP"), (D(2025, 7, 1), "Nghị định 152/2025/NĐ-CP")]
ARTICLES = [
    # Art. 27, each condition met and missed by one
    ("tt_ldxs", {}, True),
    ("tt_ldxs", {"staff": staff(completed=99)}, False),
    ("tt_ldxs", {"staff": staff(ldtt=69)}, False),
    ("tt_ldxs", {"staff": staff(cstdcs=0)}, False),
    # Art. 28
    ("tt_ldtt", {"ratings": {2024: "good"}}, True),
    ("tt_ldtt", {"ratings": {2024: "good"}, "staff": staff(ldtt=69)}, False),
    ("tt_ldtt", {"ratings": {2024: "good"}, "staff": staff(disciplined=1)}, False),
    # Art. 25, 26
    ("co_tinh", {}, True),
    ("co_tinh", {"rank": 2}, False),
    ("co_chinh_phu", {"rank": 1, "shared_rank": True}, False),
    ("co_chinh_phu", {"rank": 1, "shared_rank": True, "led_bloc": True}, True),
    # Art. 74 and 73, each alternative alone
    ("bk_ubnd", {**BARE, "achievements": {"movement_outstanding": "QĐ 1"}}, True),
    ("bk_ubnd", {**BARE, "achievements": {"one_off": "QĐ 2"}}, True),
    ("bk_ubnd", {**BARE, "achievements": {"contribution": "BC 3"}}, True),
    ("bk_ubnd", {**BARE, "ratings": {2023: "excellent", 2024: "excellent"}}, True),
    ("bk_ubnd", {**BARE, "ratings": {2023: "good", 2024: "excellent"}}, False),
    ("bk_ttg", {**BARE, "achievements": {"one_off": "QĐ 4"}}, True),
    ("bk_ttg", {**BARE, "ratings": FIVE}, True),
    ("bk_ttg", {**BARE, "ratings": {**FIVE, 2022: "good"}}, False),
]


@pytest.mark.parametrize(("on", "basis"), SIDES, ids=["98-2023", "152-2025"])
@pytest.mark.parametrize(("code", "changes", "eligible"), ARTICLES)
def test_each_article_on_each_side_of_1_july_2025(on, basis, code, changes, eligible):
    result = verdict(code, good(**changes), on=on)
    assert result.eligible is eligible
    assert result.legal_basis == basis
    assert all(basis in reason for reason in result.reasons)


DISQUALIFIERS = [
    # (case, eligible): open, concluded with none, concluded with a violation
    # for the year under review or for another year, not yet opened
    ({"kind": "press", "opened_on": D(2025, 6, 1)}, False),
    ({"kind": "press", "opened_on": D(2025, 6, 1), "closed_on": D(2025, 6, 20)}, True),
    (
        {
            "kind": "examination",
            "opened_on": D(2025, 3, 1),
            "closed_on": D(2025, 6, 20),
            "signs_of_violation": True,
            "violation_found": True,
            "year": 2024,
        },
        False,
    ),
    (
        {
            "kind": "examination",
            "opened_on": D(2023, 3, 1),
            "closed_on": D(2023, 6, 20),
            "signs_of_violation": True,
            "violation_found": True,
            "year": 2023,
        },
        True,
    ),
    ({"kind": "investigation", "opened_on": D(2025, 6, 1)}, True),  # no signs of violation
    ({"kind": "investigation", "opened_on": D(2025, 6, 1), "signs_of_violation": True}, False),
    ({"kind": "denunciation", "opened_on": D(2025, 8, 1)}, True),  # opened after
    ({"kind": "discipline", "opened_on": D(2023, 6, 1), "closed_on": D(2024, 1, 1)}, True),
    ({"kind": "discipline", "opened_on": D(2023, 6, 1), "closed_on": D(2024, 1, 2)}, False),
]


@pytest.mark.parametrize(("on", "basis"), SIDES, ids=["98-2023", "152-2025"])
@pytest.mark.parametrize(("case", "eligible"), DISQUALIFIERS)
def test_each_disqualifier_on_each_side_of_1_july_2025(on, basis, case, eligible):
    result = verdict("tt_ldxs", good(cases=[Case(**case)]), on=on)
    assert result.eligible is eligible
    assert result.legal_basis == basis
