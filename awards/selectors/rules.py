"""Reads of rule sets and rules: which rule applies to a year."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from awards.models import AwardRule, AwardType, RuleSet
from emulation.rules import is_council_staff, sees_all_provinces


def rule_sets_covering(*, year: int, province_id: int | None = None) -> QuerySet[RuleSet]:
    qs = RuleSet.objects.filter(first_year__lte=year).filter(
        Q(last_year__isnull=True) | Q(last_year__gte=year)
    )
    if province_id is None:
        return qs.filter(province__isnull=True)
    return qs.filter(Q(province_id=province_id) | Q(province__isnull=True))


def rule_set_for(*, year: int, province_id: int | None = None) -> RuleSet | None:
    """The rule set for a year: the province's own if it has one, else the national default."""
    candidates = list(rule_sets_covering(year=year, province_id=province_id))
    candidates.sort(key=lambda rs: (rs.province_id is None, -rs.first_year))
    return candidates[0] if candidates else None


def rule_for(
    *, year: int, award_type: AwardType | int, province_id: int | None = None
) -> AwardRule | None:
    """The rule for ``award_type`` in the rule set whose years cover ``year``."""
    rule_set = rule_set_for(year=year, province_id=province_id)
    if rule_set is None:
        return None
    award_type_id = award_type if isinstance(award_type, int) else award_type.pk
    return (
        AwardRule.objects.select_related("rule_set", "award_type", "quota_of")
        .filter(rule_set=rule_set, award_type_id=award_type_id)
        .first()
    )


def rules_of(rule_set: RuleSet) -> list[AwardRule]:
    return list(
        rule_set.rules.select_related("award_type", "quota_of").order_by("award_type__order")
    )


def rule_sets_visible_to(user) -> QuerySet[RuleSet]:
    """Council staff see the national defaults and their province's rule sets."""
    qs = RuleSet.objects.select_related("province")
    if sees_all_provinces(user):
        return qs
    if is_council_staff(user):
        return qs.filter(Q(province__isnull=True) | Q(province_id=user.province_id))
    return qs.none()


def active_award_types(*, for_collective: bool = True) -> list[AwardType]:
    return list(AwardType.objects.filter(is_active=True, for_collective=for_collective))


def registrable_award_types() -> QuerySet[AwardType]:
    """The titles and forms an agency may register for: the active collective ones."""
    return AwardType.objects.filter(is_active=True, for_collective=True)
