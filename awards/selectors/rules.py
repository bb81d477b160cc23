"""Reads of rule sets and rules: which rule applies to a year."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from django.db.models import F, FilteredRelation, Q, QuerySet, Subquery

from awards.models import AwardRule, AwardType, RuleSet
from emulation.prepared import PreparedQuery
from emulation.rules import is_council_staff, sees_all_provinces

# Which of the rule sets covering a year applies: the province's own before
# the national default, then the newest (then the first made).
_PRECEDENCE = (F("province_id").asc(nulls_last=True), F("first_year").desc(), F("id").asc())


def rule_sets_covering(*, year: int, province_id: int | None = None) -> QuerySet[RuleSet]:
    qs = RuleSet.objects.filter(first_year__lte=year).filter(
        Q(last_year__isnull=True) | Q(last_year__gte=year)
    )
    if province_id is None:
        return qs.filter(province__isnull=True)
    return qs.filter(Q(province_id=province_id) | Q(province__isnull=True))


def rule_sets_in_scope(province_id: int | None) -> QuerySet[RuleSet]:
    """The province's own rule sets and the national defaults."""
    if province_id is None:
        return RuleSet.objects.filter(province__isnull=True)
    return RuleSet.objects.filter(Q(province_id=province_id) | Q(province__isnull=True))


def choose_rule_set(
    rule_sets, *, considered_on=None, year: int | None = None, submitted_on=None
) -> RuleSet | None:
    """The rule set that applies, among ``rule_sets`` (already loaded: no query).

    With ``considered_on`` (the date of consideration: the bloc's conference,
    the council's meeting) a rule set with dates applies when its dates cover
    that day; one without dates when its years cover ``year`` (the year of
    the achievement). A province's own rule set wins over the national
    default. ``submitted_on``: when the chosen set has a transitional date
    and the dossier was submitted before it, the set in force on the
    submission applies (Decree 152/2025 Art. 60). Without ``considered_on``
    the choice is by ``year`` alone (the years of the rule sets).
    """
    rule_sets = list(rule_sets)

    def covering(day):
        found = []
        for rs in rule_sets:
            if day is not None and rs.dated:
                if rs.covers_date(day):
                    found.append(rs)
            elif year is not None and rs.covers(year):
                found.append(rs)
        found.sort(key=lambda rs: (rs.province_id is None, not rs.dated, -rs.first_year))
        return found[0] if found else None

    chosen = covering(considered_on)
    if (
        chosen is not None
        and submitted_on is not None
        and chosen.transitional_before is not None
        and submitted_on < chosen.transitional_before
    ):
        earlier = covering(submitted_on)
        if earlier is not None:
            return earlier
    return chosen


def rule_set_for(
    *,
    year: int | None = None,
    province_id: int | None = None,
    considered_on=None,
    submitted_on=None,
) -> RuleSet | None:
    """The rule set that applies: by the date of consideration when given
    (see ``choose_rule_set``), else by the year; the province's own if it has
    one, else the national default."""
    if considered_on is None:
        return rule_sets_covering(year=year, province_id=province_id).order_by(*_PRECEDENCE).first()
    return choose_rule_set(
        rule_sets_in_scope(province_id),
        considered_on=considered_on,
        year=year,
        submitted_on=submitted_on,
    )


def _in_force(year: int, province_id: int) -> QuerySet[AwardRule]:
    return AwardRule.objects.filter(
        rule_set_id=Subquery(
            rule_sets_covering(year=year, province_id=province_id)
            .order_by(*_PRECEDENCE)
            .values("pk")[:1]
        )
    )


# The rules of the rule set that applies to a province's year, and their
# quotas alone (not the conditions, five JSON documents a rule): compiled
# once per process.
_rules_in_force = PreparedQuery(_in_force, arity=2)
_quotas_in_force = PreparedQuery(
    lambda year, province_id: (
        _in_force(year, province_id)
        .order_by()
        .only(
            "award_type_id",
            "quota_kind",
            "quota_count",
            "quota_percent",
            "quota_rounding",
            "quota_of_id",
        )
    ),
    arity=2,
)


# What AwardRule.quota_for and the quotas' shares read of a rule.
_QUOTA_FIELDS = ("quota_kind", "quota_count", "quota_percent", "quota_rounding", "quota_of_id")

# The active award types for collectives, each with the quota of its rule in
# the rule set in force (a rule set has one rule per award type): compiled
# once per process.
_collective_types_and_quotas = PreparedQuery(
    lambda year, province_id: (
        AwardType.objects.filter(is_active=True, for_collective=True)
        .annotate(
            rule_in_force=FilteredRelation(
                "rules",
                condition=Q(
                    rules__rule_set_id=Subquery(
                        rule_sets_covering(year=year, province_id=province_id)
                        .order_by(*_PRECEDENCE)
                        .values("pk")[:1]
                    )
                ),
            )
        )
        .annotate(
            rule_pk=F("rule_in_force__id"),
            **{f"rule_{name}": F(f"rule_in_force__{name}") for name in _QUOTA_FIELDS},
        )
    ),
    arity=2,
)


class Quota(NamedTuple):
    """The quota of a rule: what ``AwardRule.quota_for`` reads, and the award
    a share is counted on."""

    quota_kind: str
    quota_count: int | None
    quota_percent: Decimal | None
    quota_rounding: str
    quota_of_id: int | None

    quota_for = AwardRule.quota_for


def collective_award_types_and_quotas(
    *, year: int, province_id: int
) -> tuple[list[AwardType], dict[int, Quota]]:
    """The active award types for collectives, in order, and by award type the
    quota of its rule in force (as ``quotas_in_force``): one query."""
    award_types = _collective_types_and_quotas(year, province_id)
    quotas = {
        award_type.pk: Quota(
            award_type.rule_quota_kind,
            award_type.rule_quota_count,
            award_type.rule_quota_percent,
            award_type.rule_quota_rounding,
            award_type.rule_quota_of_id,
        )
        for award_type in award_types
        if award_type.rule_pk is not None
    }
    return award_types, quotas


def rules_in_force(*, year: int, province_id: int) -> list[AwardRule]:
    """The rules of ``rule_set_for(year=year, province_id=province_id)``, in
    one query (none when no rule set covers the year)."""
    return _rules_in_force(year, province_id)


def quotas_in_force(*, year: int, province_id: int) -> list[AwardRule]:
    """``rules_in_force`` in no order, with only what ``AwardRule.quota_for``
    reads (its award type, its quota and the award its share is of)."""
    return _quotas_in_force(year, province_id)


def rule_for(
    *,
    year: int,
    award_type: AwardType | int,
    province_id: int | None = None,
    considered_on=None,
) -> AwardRule | None:
    """The rule for ``award_type`` in the rule set that applies (see ``rule_set_for``)."""
    rule_set = rule_set_for(year=year, province_id=province_id, considered_on=considered_on)
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
