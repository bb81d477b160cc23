"""The eligibility engine, table-driven per rule kind, with its explanations."""

import datetime

import pytest

from awards.eligibility import eligible_memberships, evaluate, matrix, quota
from awards.enums import QuotaKind
from awards.models import AwardType
from awards.selectors import rule_for, rule_set_for
from awards.selectors.rules import (
    collective_award_types_and_quotas,
    quotas_in_force,
    rules_in_force,
)
from awards.services import award_rule_set, disqualification_add, rule_set_create
from blocs.enums import LineageKind
from blocs.services import lineage_add
from tests.factories import AgencyFactory, BlocYearFactory, add_member


def result_for(bloc_year, award, agency):
    [result] = [r for r in evaluate(bloc_year=bloc_year, award_type=award) if r.agency == agency]
    return result


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2021, "Nghị định 98/2023/NĐ-CP"),
        (2024, "Nghị định 98/2023/NĐ-CP"),
        (2025, "Nghị định 152/2025/NĐ-CP"),
        (2030, "Nghị định 152/2025/NĐ-CP"),
        (2019, None),
    ],
)
def test_the_rule_set_is_chosen_by_the_year(db, award, year, expected):
    rule = rule_for(year=year, award_type=award("bk_ubnd"))
    assert (rule.rule_set.name if rule else None) == expected


def province_rule_set_2023(cast):
    """The province's own rule set, for 2023 only."""
    return rule_set_create(
        actor=cast.council,
        province=cast.province,
        name="Quy định của tỉnh",
        legal_basis="Quyết định 12/2023/QĐ-UBND",
        first_year=2023,
        last_year=2023,
    )


def test_a_province_rule_set_wins_over_the_national_default(cast, award):
    own = province_rule_set_2023(cast)
    assert rule_set_for(year=2023, province_id=cast.province.pk) == own
    assert rule_set_for(year=2024, province_id=cast.province.pk).name == "Nghị định 98/2023/NĐ-CP"


def test_the_rules_in_force_are_those_of_the_rule_set_that_applies(cast, award):
    own = province_rule_set_2023(cast)
    award_rule_set(actor=cast.council, rule_set=own, award_type=award("bk_ubnd"), quota_count=2)

    for year in (2019, 2023, 2024, 2025):
        rule_set = rule_set_for(year=year, province_id=cast.province.pk)
        expected = set(rule_set.rules.all()) if rule_set else set()
        assert set(rules_in_force(year=year, province_id=cast.province.pk)) == expected
    assert {r.rule_set_id for r in rules_in_force(year=2023, province_id=cast.province.pk)} == {
        own.pk
    }


def test_the_collective_award_types_come_with_the_quotas_in_force(cast, award):
    own = province_rule_set_2023(cast)
    award_rule_set(
        actor=cast.council,
        rule_set=own,
        award_type=award("bk_ubnd"),
        quota_kind=QuotaKind.COUNT,
        quota_count=2,
    )
    collective = list(AwardType.objects.filter(is_active=True, for_collective=True))

    for year in (2019, 2023, 2024):
        award_types, quotas = collective_award_types_and_quotas(
            year=year, province_id=cast.province.pk
        )
        in_force = {
            r.award_type_id: r for r in quotas_in_force(year=year, province_id=cast.province.pk)
        }
        assert award_types == collective
        assert set(quotas) == {t.pk for t in collective if t.pk in in_force}
        for award_type_id, kept in quotas.items():
            rule = in_force[award_type_id]
            assert kept.quota_of_id == rule.quota_of_id
            assert kept.quota_kind == rule.quota_kind
            assert [kept.quota_for(n) for n in (0, 7, 12)] == [
                rule.quota_for(n) for n in (0, 7, 12)
            ]
    assert (
        collective_award_types_and_quotas(year=2023, province_id=cast.province.pk)[1][
            award("bk_ubnd").pk
        ].quota_for(12)
        == 2
    )


# (ratings of the member, awards held, expected eligibility for bk_ubnd in 2023, text in reason)
BK_UBND_CASES = [
    (
        {2022: "excellent", 2023: "excellent"},
        [],
        True,
        "xếp loại “Hoàn thành xuất sắc nhiệm vụ” trở lên năm 2022 và 2023",
    ),
    (
        {2022: "good", 2023: "excellent"},
        [],
        False,
        "năm 2022 xếp loại “Hoàn thành tốt nhiệm vụ”, cần “Hoàn thành xuất sắc nhiệm vụ”"
        " năm 2022 và 2023",
    ),
    ({2023: "excellent"}, [], False, "chưa có xếp loại năm 2022"),
    ({}, [("tt_ldxs", 2022, False), ("tt_ldxs", 2023, False)], True, "Tập thể lao động xuất sắc"),
    (
        {},
        [("tt_ldxs", 2022, False), ("tt_ldxs", 2023, True)],
        False,
        "không được tặng “Tập thể lao động xuất sắc” năm 2023",
    ),
]


@pytest.mark.parametrize(("ratings", "awards", "eligible", "text"), BK_UBND_CASES)
def test_prerequisites_of_the_provincial_certificate(
    cast, award, rate, grant, ratings, awards, eligible, text
):
    agency = cast.member.agency
    rate(agency, ratings)
    for code, year, one_off in awards:
        grant(agency, code, year, one_off=one_off)
    result = result_for(cast.bloc_year, award("bk_ubnd"), agency)
    assert result.eligible is eligible
    joined = " | ".join(result.reasons)
    assert text in joined
    assert "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in joined
    assert "Nghị định 98/2023/NĐ-CP" in joined


def test_the_full_explanation_of_a_failed_rating(cast, award, rate):
    rate(cast.member.agency, {2022: "good", 2023: "excellent"})
    result = result_for(cast.bloc_year, award("bk_ubnd"), cast.member.agency)
    assert result.reasons[0].startswith("Không đủ điều kiện: chưa có ghi nhận: tiêu biểu")
    assert result.reasons[0].endswith(
        "năm 2022 xếp loại “Hoàn thành tốt nhiệm vụ”, cần “Hoàn thành xuất"
        " sắc nhiệm vụ” năm 2022 và 2023; hoặc không được tặng “Tập thể lao động xuất sắc” năm"
        " 2022, cần năm 2022 và 2023 — Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh, Luật Thi"
        " đua, khen thưởng số 06/2022/QH15; Nghị định 98/2023/NĐ-CP"
    )


def test_a_prerequisite_met_only_through_a_predecessor_agency(db, award, rate):
    by = BlocYearFactory(year__year=2025)
    old = AgencyFactory(province=by.bloc.province, code="bdt", short_name="Ban Dân tộc")
    new = AgencyFactory(province=by.bloc.province, code="sdttg", short_name="Sở DT&TG")
    add_member(by, new)
    lineage_add(
        actor=None,
        predecessor=old,
        successor=new,
        kind=LineageKind.RENAME,
        effective_date=datetime.date(2025, 3, 1),
    )
    rate(old, {2024: "excellent"})
    rate(new, {2025: "excellent"})
    result = result_for(by, award("bk_ubnd"), new)
    assert result.eligible
    assert "qua đơn vị tiền thân Ban Dân tộc" in result.reasons[0]
    assert "Nghị định 152/2025/NĐ-CP" in result.reasons[0]


def test_without_the_predecessor_link_the_same_facts_do_not_suffice(db, award, rate):
    by = BlocYearFactory(year__year=2025)
    old = AgencyFactory(province=by.bloc.province, code="bdt")
    new = AgencyFactory(province=by.bloc.province, code="sdttg")
    add_member(by, new)
    rate(old, {2024: "excellent"})
    rate(new, {2025: "excellent"})
    assert not result_for(by, award("bk_ubnd"), new).eligible


@pytest.mark.parametrize(
    ("kind", "excluded", "eligible"),
    [
        ("inspection", ["inspection"], False),
        ("complaint", ["discipline", "investigation", "inspection", "complaint"], False),
        ("complaint", ["discipline"], True),  # the rule does not list this kind
    ],
)
def test_disqualifying_facts(cast, award, rate, kind, excluded, eligible):
    rule = rule_for(year=2023, award_type=award("bk_ubnd"))
    award_rule_set(
        actor=cast.admin,  # the national default's rules are the administrators'
        rule_set=rule.rule_set,
        award_type=award("bk_ubnd"),
        disqualifying_kinds=excluded,
    )
    rate(cast.member.agency, {2022: "excellent", 2023: "excellent"})
    disqualification_add(
        actor=cast.council,
        agency=cast.member.agency,
        year=2023,
        kind=kind,
        source_document="Quyết định thanh tra số 15/QĐ-TTr",
        started_on=datetime.date(2023, 9, 1),
        signs_of_violation=True,
    )
    result = result_for(cast.bloc_year, award("bk_ubnd"), cast.member.agency)
    assert result.eligible is eligible
    if not eligible:
        assert "Quyết định thanh tra số 15/QĐ-TTr" in result.reasons[0]
        assert "01/09/2023" in result.reasons[0]


def test_registration_required_without_registrations(cast, award, rate):
    rate(cast.member.agency, {2023: "excellent"})
    result = result_for(cast.bloc_year, award("tt_ldxs"), cast.member.agency)
    assert not result.eligible
    assert any("đăng ký" in r for r in result.reasons)


@pytest.mark.parametrize(("min_rank", "min_score"), [(1, None), (None, "90.00"), (3, "80.00")])
def test_minimum_rank_or_score_without_a_ranking(cast, award, rate, min_rank, min_score):
    award_rule_set(
        actor=cast.admin,  # the national default's rules are the administrators'
        rule_set=rule_set_for(year=2023),
        award_type=award("giay_khen"),
        min_rank=min_rank,
        min_score=min_score,
    )
    result = result_for(cast.bloc_year, award("giay_khen"), cast.member.agency)
    assert not result.eligible
    assert "chưa có kết quả xếp hạng" in result.reasons[0]


def test_government_flag_is_offered_to_the_bloc_leader_only(cast, award, rate):
    rate(cast.member.agency, {2023: "excellent"})
    result = result_for(cast.bloc_year, award("co_chinh_phu"), cast.member.agency)
    assert not result.eligible
    assert any("dẫn đầu khối" in r for r in result.reasons)


def test_no_rule_set_for_the_year(db, award):
    by = BlocYearFactory(year__year=2010)
    add_member(by)
    [result] = evaluate(bloc_year=by, award_type=award("co_tinh"))
    assert not result.eligible
    assert "01/01/2011" in result.reasons[0]


def test_eligible_memberships_lists_only_the_eligible(cast, award, rate):
    rate(cast.member.agency, {2022: "excellent", 2023: "excellent"})
    rate(cast.leader.agency, {2022: "good", 2023: "excellent"})
    assert eligible_memberships(bloc_year=cast.bloc_year, award_type=award("bk_ubnd")) == [
        cast.member
    ]


@pytest.mark.parametrize("members", [1, 5])
def test_the_matrix_takes_a_fixed_number_of_queries(
    db, award, rate, grant, members, django_assert_num_queries
):
    by = BlocYearFactory(year__year=2023)
    for _ in range(members):
        m = add_member(by)
        rate(m.agency, {2022: "excellent", 2023: "good"})
        grant(m.agency, "tt_ldxs", 2022)
        lineage_add(
            actor=None,
            predecessor=AgencyFactory(province=by.bloc.province),
            successor=m.agency,
            kind=LineageKind.MERGE,
            effective_date=datetime.date(2023, 1, 1),
        )
    by = type(by).objects.select_related("bloc", "year").get(pk=by.pk)
    with django_assert_num_queries(QUERIES):
        result = matrix(bloc_year=by)
    assert len(result.rows()) == members
    assert len(result.award_types) == 6


QUERIES = 13  # incl. registrations, ranking, the conference date and its choice of leader


def test_quota_of_the_bloc_year(cast, award, rate):

    # 2 members: bk_ubnd 30 % rounded down → 0; co_tinh 1 per bloc
    assert quota(bloc_year=cast.bloc_year, award_type=award("bk_ubnd")) == 0
    assert quota(bloc_year=cast.bloc_year, award_type=award("co_tinh")) == 1
    for _ in range(5):
        add_member(cast.bloc_year)
    assert quota(bloc_year=cast.bloc_year, award_type=award("bk_ubnd")) == 2  # 7 × 30 % = 2.1
    # Government flag: no per-bloc quota (the council chooses province-wide)
    assert quota(bloc_year=cast.bloc_year, award_type=award("co_chinh_phu")) is None
    assert quota(bloc_year=cast.bloc_year, award_type=award("giay_khen")) is None


def test_a_closed_disqualification_no_longer_excludes(cast, award, rate):
    rate(cast.member.agency, {2022: "excellent", 2023: "excellent"})
    disqualification_add(
        actor=cast.council,
        agency=cast.member.agency,
        year=2023,
        kind="complaint",
        source_document="Đơn khiếu nại ngày 02/3/2023",
        started_on=datetime.date(2023, 3, 2),
        ended_on=datetime.date(2023, 6, 30),
    )
    assert result_for(cast.bloc_year, award("bk_ubnd"), cast.member.agency).eligible
