"""Rule-set and fact services: validation in Vietnamese, audit, copy."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards.enums import DisqualificationKind
from awards.models import AgencyYearFact, AwardRule, RuleSet
from awards.selectors import rule_set_for, women_share_by_agency
from awards.services import (
    agency_fact_set,
    award_record_add,
    award_rule_set,
    disqualification_add,
    rule_set_copy,
    rule_set_create,
)
from emulation.models import AuditEvent


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (2024, 2024, "trùng với bộ quy định “Nghị định 98/2023/NĐ-CP”"),
        (2030, None, "trùng với bộ quy định “Nghị định 152/2025/NĐ-CP”"),
        (2024, 2023, "Năm cuối áp dụng không được trước năm bắt đầu áp dụng"),
    ],
)
def test_national_rule_sets_may_not_overlap(db, first, last, message):
    with pytest.raises(ValidationError, match=message):
        rule_set_create(actor=None, name="Mới", legal_basis="NĐ", first_year=first, last_year=last)


def test_copy_closes_the_source_and_copies_every_rule(cast):
    source = rule_set_for(year=2025)
    copy = rule_set_copy(
        actor=cast.admin,
        source=source,
        name="Nghị định giả định",
        legal_basis="Nghị định 1/2028/NĐ-CP",
        first_year=2028,
    )
    source.refresh_from_db()
    assert source.last_year == 2027
    assert copy.rules.count() == source.rules.count() == 6
    co_cp = copy.rules.get(award_type__code="co_chinh_phu")
    assert co_cp.quota_of is None
    assert co_cp.conditions == [{"type": "led_bloc"}]
    assert AuditEvent.objects.filter(action="rule_set.copy").count() == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"quota_kind": "count", "quota_count": None}, "số lượng tối đa mỗi khối"),
        ({"quota_kind": "percent", "quota_percent": None}, "Giới hạn theo tỷ lệ"),
        ({"threshold_percent": 120}, "từ 1 đến 100%"),
        ({"prerequisites": [{"type": "magic"}]}, "Điều kiện 1: loại không hợp lệ"),
        (
            {"prerequisites": [{"type": "rating", "min_rating": "best", "years": 2}]},
            "mức xếp loại “best” không hợp lệ",
        ),
        ({"prerequisites": [{"type": "award", "award_type": "xx", "years": 2}]}, "“xx”"),
        ({"prerequisites": [{"type": "rating", "min_rating": "good", "years": 0}]}, "1 đến 10"),
        ({"disqualifying_kinds": ["gossip"]}, "gossip"),
    ],
)
def test_award_rule_validation(db, award, values, message):
    rule_set = rule_set_for(year=2023)
    with pytest.raises(ValidationError, match=message):
        award_rule_set(actor=None, rule_set=rule_set, award_type=award("bk_ubnd"), **values)


def test_award_rule_update_is_audited_with_old_and_new(cast, award):
    rule_set = rule_set_for(year=2023)
    award_rule_set(actor=cast.admin, rule_set=rule_set, award_type=award("co_tinh"), quota_count=2)
    assert AwardRule.objects.get(rule_set=rule_set, award_type__code="co_tinh").quota_count == 2
    event = AuditEvent.objects.get(action="award_rule.update")
    assert event.data["old"] == {"quota_count": 1}
    assert event.data["new"] == {"quota_count": 2}


def test_facts_and_women_share(cast):
    agency = cast.member.agency
    agency_fact_set(actor=cast.council, agency=agency, year=2023, rating="good", women_percent=72)
    agency_fact_set(actor=cast.council, agency=agency, year=2023, rating="good", women_percent=72)
    assert AgencyYearFact.objects.count() == 1
    assert AuditEvent.objects.filter(action="agency_fact.set").count() == 1  # no-op not audited
    assert women_share_by_agency(agency_ids=[agency.pk, cast.leader.agency_id], year=2023) == {
        agency.pk: 72
    }
    with pytest.raises(ValidationError, match="Tỷ lệ nữ phải từ 0 đến 100%"):
        agency_fact_set(actor=None, agency=agency, year=2023, women_percent=101)


@pytest.mark.parametrize("who", ["secretariat", "head", "other_council"])
def test_only_the_provinces_council_records_an_agencys_facts(cast, who):
    agency = cast.member.agency

    with pytest.raises(PermissionDenied):
        agency_fact_set(
            actor=getattr(cast, who), agency=agency, year=2023, rating="good", women_percent=72
        )
    with pytest.raises(PermissionDenied):
        disqualification_add(
            actor=getattr(cast, who),
            agency=agency,
            year=2023,
            kind=DisqualificationKind.COMPLAINT,
            source_document="Đơn thư số 12",
            started_on=datetime.date(2023, 5, 1),
        )

    assert not AgencyYearFact.objects.exists()


def test_a_merit_award_is_recorded_once_but_one_off_awards_may_repeat(cast, award):
    kwargs = {
        "actor": cast.council,
        "agency": cast.member.agency,
        "award_type": award("bk_ubnd"),
        "year": 2022,
        "decision_number": "1/QĐ-UBND",
        "decision_date": datetime.date(2023, 1, 5),
    }
    award_record_add(**kwargs)
    with pytest.raises(ValidationError, match="đã có"):
        award_record_add(**kwargs)
    award_record_add(**{**kwargs, "one_off": True})


def test_the_database_refuses_an_inverted_year_range(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        RuleSet.objects.create(name="x", legal_basis="x", first_year=2030, last_year=2029)
