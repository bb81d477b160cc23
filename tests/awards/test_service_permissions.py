"""The award services answer the same rule as their pages, whoever calls them:
the right role passes, any other is refused (403) and nothing is written."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from awards.models import GovernmentFlagChoice, LeadingChoice, ResultsPublication
from awards.selectors import rule_set_for
from awards.services import (
    award_records_import,
    award_rule_set,
    government_flag_choose,
    leading_choose,
    leading_clear,
    results_publication_set,
    rule_set_copy,
)
from emulation.models import AuditEvent

ROLES = ["council", "other_council", "secretariat", "secretariat_head", "head", "outsider"]


def _refused(call) -> None:
    with pytest.raises(PermissionDenied):
        call()


@pytest.mark.parametrize("who", ROLES)
def test_the_bloc_s_secretariat_records_who_the_conference_chose_to_lead(cast, who):
    actor = getattr(cast, who)

    def choose():
        return leading_choose(
            actor=actor, bloc_year=cast.bloc_year, membership=cast.member, source_document="BB 01"
        )

    if who in {"secretariat", "secretariat_head"}:
        choose()
        leading_clear(actor=actor, bloc_year=cast.bloc_year)
        assert (
            AuditEvent.objects.filter(actor=actor, action__startswith="leading_choice").count() == 2
        )
    else:
        _refused(choose)
        leading_choose(
            actor=None, bloc_year=cast.bloc_year, membership=cast.member, source_document="BB 01"
        )
        _refused(lambda: leading_clear(actor=actor, bloc_year=cast.bloc_year))
        assert LeadingChoice.objects.filter(bloc_year=cast.bloc_year).exists()


@pytest.mark.parametrize("who", [*ROLES, "admin"])
def test_the_province_s_council_chooses_for_the_flag_and_publishes_results(cast, who):
    actor = getattr(cast, who)

    def choose():
        return government_flag_choose(
            actor=actor,
            province=cast.province,
            year=2023,
            considered_on=datetime.date(2024, 1, 15),
            source_document="Biên bản họp Hội đồng số 02/BB-HĐTĐKT",
            membership_ids=set(),
        )

    def publish():
        return results_publication_set(actor=actor, province=cast.province, year=2023, enabled=True)

    if who in {"council", "admin"}:
        choose()
        assert publish() is True
        assert ResultsPublication.objects.filter(province=cast.province, year=2023).exists()
    else:
        _refused(choose)
        _refused(publish)
        assert not GovernmentFlagChoice.objects.exists()
        assert not ResultsPublication.objects.exists()


@pytest.fixture
def province_rules(cast):
    """The province's own copy of the national default, made by its council."""
    return rule_set_copy(
        actor=cast.council,
        source=rule_set_for(year=2025),
        name="Quy định của tỉnh",
        legal_basis="Quyết định 5/2025/QĐ-UBND",
        first_year=2025,
        province=cast.province,
    )


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("council", True), ("admin", True)]
    + [(who, False) for who in ("other_council", "secretariat", "head")],
)
def test_only_the_rule_set_s_council_changes_its_rules(cast, award, province_rules, who, allowed):
    actor = getattr(cast, who)

    def change():
        return award_rule_set(
            actor=actor, rule_set=province_rules, award_type=award("co_tinh"), quota_count=3
        )

    if allowed:
        assert change().quota_count == 3
    else:
        _refused(change)
        assert province_rules.rules.get(award_type__code="co_tinh").quota_count != 3


def test_a_province_s_council_copies_the_national_default_only_into_its_own_province(cast):
    national = rule_set_for(year=2025)
    kwargs = {"name": "Bản sao", "legal_basis": "NĐ", "first_year": 2028}
    _refused(lambda: rule_set_copy(actor=cast.council, source=national, **kwargs))
    _refused(
        lambda: rule_set_copy(
            actor=cast.other_council, source=national, province=cast.province, **kwargs
        )
    )
    _refused(
        lambda: rule_set_copy(
            actor=cast.secretariat, source=national, province=cast.province, **kwargs
        )
    )
    assert not AuditEvent.objects.filter(action="rule_set.copy").exists()
    copy = rule_set_copy(actor=cast.council, source=national, province=cast.province, **kwargs)
    assert copy.province == cast.province


@pytest.mark.parametrize("who", ["secretariat", "head", "outsider"])
def test_only_council_staff_import_the_award_history(cast, who):
    _refused(lambda: award_records_import(actor=getattr(cast, who), rows=[]))
    assert award_records_import(actor=cast.council, rows=[]) == 0
    assert not AuditEvent.objects.filter(actor=getattr(cast, who)).exists()
