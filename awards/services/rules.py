"""Writes of rule sets and rules: validated, atomic, audited."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from awards.enums import (
    AchievementFact,
    ConditionType,
    DisqualificationKind,
    PrerequisiteType,
    QuotaKind,
    TaskRating,
)
from awards.models import AwardRule, AwardType, RuleSet
from emulation import audit
from emulation.models import User
from emulation.refusals import require_actor

RULE_FIELDS = (
    "quota_kind",
    "quota_count",
    "quota_percent",
    "quota_rounding",
    "quota_of",
    "threshold_percent",
    "threshold_base",
    "prerequisites",
    "conditions",
    "excludes",
    "options",
    "disqualifying_kinds",
    "registration_required",
    "min_rank",
    "min_score",
    "members_only",
    "note",
)


def _check_no_overlap(
    *, province_id: int | None, first_year: int, last_year: int | None, exclude_pk=None
):
    qs = (
        RuleSet.objects.select_for_update().filter(province_id=province_id)
        if province_id
        else RuleSet.objects.select_for_update().filter(province__isnull=True)
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    # ranges [a, b] and [c, d] overlap when a <= d and c <= b (None = open end)
    qs = qs.filter(Q(last_year__isnull=True) | Q(last_year__gte=first_year))
    if last_year is not None:
        qs = qs.filter(first_year__lte=last_year)
    clash = qs.first()
    if clash is not None:
        raise ValidationError(
            _("The years overlap the rule set “%(name)s” (%(years)s) of the same scope.")
            % {"name": clash.name, "years": clash.years_display}
        )


def _check_years(first_year: int, last_year: int | None) -> None:
    if last_year is not None and last_year < first_year:
        raise ValidationError(_("The last year cannot be before the first year."))


@transaction.atomic
def rule_set_create(
    *,
    actor: User | None,
    name: str,
    legal_basis: str,
    first_year: int,
    last_year: int | None = None,
    province=None,
) -> RuleSet:
    _check_years(first_year, last_year)
    _check_no_overlap(
        province_id=province.pk if province else None, first_year=first_year, last_year=last_year
    )
    rule_set = RuleSet(
        name=name,
        legal_basis=legal_basis,
        first_year=first_year,
        last_year=last_year,
        province=province,
    )
    rule_set.full_clean()
    rule_set.save()
    audit.record(
        actor=actor,
        action="rule_set.create",
        target=rule_set,
        data={"name": name, "first_year": first_year, "last_year": last_year},
    )
    return rule_set


@transaction.atomic
def rule_set_update(
    *,
    actor: User | None,
    rule_set: RuleSet,
    name: str,
    legal_basis: str,
    first_year: int,
    last_year: int | None,
) -> RuleSet:
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    _check_years(first_year, last_year)
    _check_no_overlap(
        province_id=rule_set.province_id,
        first_year=first_year,
        last_year=last_year,
        exclude_pk=rule_set.pk,
    )
    old = {
        "name": rule_set.name,
        "legal_basis": rule_set.legal_basis,
        "first_year": rule_set.first_year,
        "last_year": rule_set.last_year,
    }
    rule_set.name, rule_set.legal_basis = name, legal_basis
    rule_set.first_year, rule_set.last_year = first_year, last_year
    rule_set.full_clean()
    rule_set.save(update_fields=["name", "legal_basis", "first_year", "last_year"])
    audit.record(
        actor=actor,
        action="rule_set.update",
        target=rule_set,
        data={"old": old, "new": {"name": name, "first_year": first_year, "last_year": last_year}},
    )
    return rule_set


@transaction.atomic
def rule_set_copy(
    *,
    actor: User | None,
    source: RuleSet,
    name: str,
    legal_basis: str,
    first_year: int,
    last_year: int | None = None,
    close_source: bool = True,
    province=None,
    valid_from=None,
    valid_until=None,
) -> RuleSet:
    """Copy a rule set and its rules to a new legal basis in one action.

    With ``close_source`` an open-ended source is closed the year before
    ``first_year`` so that the two do not overlap. With ``province`` a
    national default is copied into that province's own rule set instead
    (the default stays as it is; the province's set wins for its years).
    """
    source = RuleSet.objects.select_for_update().get(pk=source.pk)
    require_actor(
        actor,
        "awards.copy_rule_set",
        source,
        _("Only the council staff responsible for this rule set can change it."),
    )
    if province is None or province.pk == source.province_id:
        # A new version in the source's own scope: its owners only (the page
        # copies a national default into the provincial staff's own province).
        require_actor(
            actor,
            "awards.edit_rules",
            source,
            _("Only the council staff responsible for this rule set can change it."),
        )
    else:
        require_actor(
            actor,
            "blocs.oversee_province",
            province,
            _("Only the council staff of the province can do this."),
        )
    _check_years(first_year, last_year)
    target_province_id = province.pk if province is not None else source.province_id
    if target_province_id != source.province_id:
        if source.province_id is not None:
            raise ValidationError(_("Only a national default can be copied into a province."))
        close_source = False
    elif first_year <= source.first_year:
        raise ValidationError(
            _("The new rule set must start after the first year of the one it copies (%(year)s).")
            % {"year": source.first_year}
        )
    if valid_until is not None and valid_from is not None and valid_until < valid_from:
        raise ValidationError(_("The end date cannot be before the start date."))
    transitional_before, note = None, ""
    if target_province_id != source.province_id and valid_from is None:
        # A province's own copy of a national default keeps its dates.
        valid_from, valid_until = source.valid_from, source.valid_until
        transitional_before, note = source.transitional_before, source.note
    closed_source = False
    if close_source and (source.last_year is None or source.last_year >= first_year):
        source.last_year = first_year - 1
        source.save(update_fields=["last_year"])
        closed_source = True
    if (
        close_source
        and valid_from is not None
        and source.valid_from is not None
        and (source.valid_until is None or source.valid_until >= valid_from)
    ):
        source.valid_until = valid_from - datetime.timedelta(days=1)
        source.save(update_fields=["valid_until"])
    _check_no_overlap(province_id=target_province_id, first_year=first_year, last_year=last_year)
    copy = RuleSet(
        province_id=target_province_id,
        name=name,
        legal_basis=legal_basis,
        first_year=first_year,
        last_year=last_year,
        valid_from=valid_from,
        valid_until=valid_until,
        transitional_before=transitional_before,
        note=note,
    )
    copy.full_clean()
    copy.save()
    rules = [
        AwardRule(
            rule_set=copy,
            award_type_id=rule.award_type_id,
            **{
                f if f != "quota_of" else "quota_of_id": getattr(
                    rule, f if f != "quota_of" else "quota_of_id"
                )
                for f in RULE_FIELDS
            },
        )
        for rule in source.rules.all()
    ]
    AwardRule.objects.bulk_create(rules)
    audit.record(
        actor=actor,
        action="rule_set.copy",
        target=copy,
        data={
            "source": source.pk,
            "rules": len(rules),
            "first_year": first_year,
            "source_closed_at": source.last_year if closed_source else None,
        },
    )
    return copy


def validate_prerequisites(value: Any) -> list[dict]:
    """Check the structured prerequisites; raise ValidationError with a Vietnamese message."""
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise ValidationError(_("Prerequisites must be a list of alternatives."))
    codes = set(AwardType.objects.values_list("code", flat=True))
    cleaned = []
    for number, alt in enumerate(value, start=1):
        if not isinstance(alt, dict) or alt.get("type") not in PrerequisiteType.values:
            raise ValidationError(
                _("Prerequisite %(n)s: unknown type; use rating, award, eligible_for or fact.")
                % {"n": number}
            )
        kind = alt["type"]
        item: dict[str, Any] = {"type": kind}
        if kind == PrerequisiteType.FACT:
            if alt.get("fact") not in AchievementFact.values:
                raise ValidationError(
                    _("Prerequisite %(n)s: unknown achievement “%(value)s”.")
                    % {"n": number, "value": alt.get("fact")}
                )
            item["fact"] = alt["fact"]
            cleaned.append(item)
            continue
        if kind in (PrerequisiteType.RATING, PrerequisiteType.AWARD):
            years = alt.get("years", 1)
            offset = alt.get("end_offset", 0)
            if not isinstance(years, int) or not 1 <= years <= 10:
                raise ValidationError(
                    _("Prerequisite %(n)s: the number of years must be 1 to 10.") % {"n": number}
                )
            if not isinstance(offset, int) or not 0 <= offset <= 5:
                raise ValidationError(
                    _("Prerequisite %(n)s: the offset must be 0 to 5 years.") % {"n": number}
                )
            item["years"] = years
            if offset:
                item["end_offset"] = offset
        if kind == PrerequisiteType.RATING:
            if alt.get("min_rating") not in TaskRating.values:
                raise ValidationError(
                    _("Prerequisite %(n)s: unknown rating “%(value)s”.")
                    % {"n": number, "value": alt.get("min_rating")}
                )
            item["min_rating"] = alt["min_rating"]
        else:
            if alt.get("award_type") not in codes:
                raise ValidationError(
                    _("Prerequisite %(n)s: unknown award type “%(value)s”.")
                    % {"n": number, "value": alt.get("award_type")}
                )
            item["award_type"] = alt["award_type"]
            if kind == PrerequisiteType.AWARD and alt.get("this_year_standard"):
                item["this_year_standard"] = True
        cleaned.append(item)
    return cleaned


def validate_conditions(value: Any) -> list[dict]:
    """Check the conditions (all of); raise ValidationError with a Vietnamese message."""
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise ValidationError(_("Conditions must be a list."))
    cleaned = []
    for number, cond in enumerate(value, start=1):
        if not isinstance(cond, dict) or cond.get("type") not in ConditionType.values:
            raise ValidationError(_("Condition %(n)s: unknown type.") % {"n": number})
        item: dict[str, Any] = {"type": cond["type"]}
        for key, low, high in (("min_percent", 1, 100), ("min", 0, 1000), ("max", 0, 1000)):
            if key in cond:
                if not isinstance(cond[key], int) or not low <= cond[key] <= high:
                    raise ValidationError(
                        _(
                            "Condition %(n)s: “%(key)s” must be a whole number from %(low)s to "
                            "%(high)s."
                        )
                        % {"n": number, "key": key, "low": low, "high": high}
                    )
                item[key] = cond[key]
        cleaned.append(item)
    return cleaned


def validate_rule_values(values: dict[str, Any]) -> dict[str, Any]:
    """Cross-field checks of a rule; returns the cleaned values."""
    values = dict(values)
    kind = values.get("quota_kind", QuotaKind.NONE)
    if kind == QuotaKind.COUNT and not values.get("quota_count"):
        raise ValidationError(_("A quota by number needs the number of awards per bloc."))
    if kind == QuotaKind.PERCENT:
        pct = values.get("quota_percent")
        if pct is None or not Decimal(0) < Decimal(pct) <= Decimal(100):
            raise ValidationError(
                _("A quota by percentage needs a percentage above 0 and up to 100.")
            )
    if kind != QuotaKind.COUNT:
        values["quota_count"] = None
    if kind != QuotaKind.PERCENT:
        values["quota_percent"] = None
        values["quota_of"] = None
    pct = values.get("threshold_percent")
    if pct is not None and not 1 <= int(pct) <= 100:
        raise ValidationError(_("The vote threshold must be between 1 and 100 percent."))
    kinds = values.get("disqualifying_kinds") or []
    unknown = [k for k in kinds if k not in DisqualificationKind.values]
    if unknown:
        raise ValidationError(
            _("Unknown disqualifying fact: %(kinds)s.") % {"kinds": ", ".join(unknown)}
        )
    values["prerequisites"] = validate_prerequisites(values.get("prerequisites"))
    values["conditions"] = validate_conditions(values.get("conditions"))
    excludes = values.get("excludes") or []
    codes = set(AwardType.objects.values_list("code", flat=True))
    if not isinstance(excludes, list) or any(c not in codes for c in excludes):
        raise ValidationError(_("The exclusions must name known award types."))
    values["excludes"] = list(excludes)
    if not isinstance(values.get("options") or {}, dict):
        raise ValidationError(_("The options must be a set of named values."))
    values["options"] = values.get("options") or {}
    return values


@transaction.atomic
def award_rule_set(
    *, actor: User | None, rule_set: RuleSet, award_type: AwardType, **values: Any
) -> AwardRule:
    """Create or update the rule of ``rule_set`` for ``award_type``."""
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown rule fields: {sorted(unknown)}")
    locked = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    require_actor(
        actor,
        "awards.edit_rules",
        locked,
        _("Only the council staff responsible for this rule set can change it."),
    )
    rule = (
        AwardRule.objects.select_for_update()
        .filter(rule_set=rule_set, award_type=award_type)
        .first()
    )
    created = rule is None
    if created:
        rule = AwardRule(rule_set=rule_set, award_type=award_type)
    current = {f: getattr(rule, f) for f in RULE_FIELDS}
    values = validate_rule_values({**current, **values})
    changed = [f for f in RULE_FIELDS if values[f] != current[f]]
    old = {f: _jsonable(current[f]) for f in changed}
    for name in changed:
        setattr(rule, name, values[name])
    rule.full_clean()
    if created:
        rule.save()
    else:
        rule.save(update_fields=changed or ["note"])
    audit.record(
        actor=actor,
        action="award_rule.create" if created else "award_rule.update",
        target=rule,
        data={
            "award_type": award_type.code,
            "old": None if created else old,
            "new": {f: _jsonable(values[f]) for f in changed},
        },
    )
    return rule


def _jsonable(value):
    if isinstance(value, AwardType):
        return value.code
    if isinstance(value, Decimal):
        return str(value)
    return value
