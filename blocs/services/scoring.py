"""Writes for scoring tables: edit while not frozen, copy, import, and open the
self-assessment window (which freezes the table)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.enums import CriterionKind, Phase
from blocs.models import (
    Bloc,
    BlocYear,
    Criterion,
    CriterionGroup,
    EmulationYear,
    ScoringTable,
    SelfAssessment,
)
from blocs.selectors.scoring import scoring_table_for
from blocs.services.organisation import require_province_council
from blocs.services.phase import bloc_year_advance
from emulation import audit
from emulation.models import User

CRITERION_FIELDS = (
    "code",
    "text",
    "max_points",
    "kind",
    "step",
    "evidence_required",
    "na_allowed",
    "guidance",
    "order",
)


def _lock_table(actor: User | None, table: ScoringTable) -> ScoringTable:
    """Lock a table the actor may change: council staff of its province, while
    it is not frozen."""
    locked = ScoringTable.objects.select_for_update().get(pk=table.pk)
    require_province_council(actor, locked.year)
    if locked.is_frozen:
        raise ValidationError(
            _(
                "This scoring table is frozen because the self-assessment window has opened; "
                "copy it to a new version to change it."
            )
        )
    return locked


def _next_version(year: EmulationYear, bloc: Bloc | None) -> int:
    current = ScoringTable.objects.filter(year=year, bloc=bloc).aggregate(v=Max("version"))["v"]
    return (current or 0) + 1


@transaction.atomic
def scoring_table_create(
    *, actor: User | None, year: EmulationYear, bloc: Bloc | None = None, name: str
) -> ScoringTable:
    require_province_council(actor, year)
    if bloc is not None and bloc.province_id != year.province_id:
        raise ValidationError(_("The bloc and the year belong to different provinces."))
    table = ScoringTable.objects.create(
        year=year, bloc=bloc, name=name, version=_next_version(year, bloc), created_by=actor
    )
    audit.record(
        actor=actor,
        action="scoring_table.create",
        target=table,
        data={"year": year.year, "bloc": bloc.code if bloc else None, "version": table.version},
    )
    return table


@transaction.atomic
def criterion_group_create(
    *, actor: User | None, table: ScoringTable, name: str, max_points: Decimal, order: int = 0
) -> CriterionGroup:
    _lock_table(actor, table)
    group = CriterionGroup(table=table, name=name, max_points=max_points, order=order)
    group.full_clean()
    group.save()
    audit.record(
        actor=actor,
        action="scoring_table.group_create",
        target=group,
        data={"table": table.pk, "name": name, "max_points": max_points},
    )
    return group


@transaction.atomic
def criterion_group_update(
    *, actor: User | None, group: CriterionGroup, name: str, max_points: Decimal, order: int
) -> CriterionGroup:
    _lock_table(actor, group.table)
    locked = CriterionGroup.objects.select_for_update().get(pk=group.pk)
    old = {"name": locked.name, "max_points": locked.max_points, "order": locked.order}
    locked.name, locked.max_points, locked.order = name, max_points, order
    locked.full_clean()
    locked.save(update_fields=["name", "max_points", "order"])
    audit.record(
        actor=actor,
        action="scoring_table.group_update",
        target=locked,
        data={"old": old, "new": {"name": name, "max_points": max_points, "order": order}},
    )
    return locked


@transaction.atomic
def criterion_group_delete(*, actor: User | None, group: CriterionGroup) -> None:
    _lock_table(actor, group.table)
    data = {"table": group.table_id, "name": group.name}
    audit.record(actor=actor, action="scoring_table.group_delete", target=group, data=data)
    group.delete()


def _check_criterion(criterion: Criterion) -> None:
    if criterion.na_allowed and criterion.kind != CriterionKind.STANDARD:
        raise ValidationError(
            {"na_allowed": _("Only standard criteria can be marked not applicable.")}
        )
    if (
        criterion.max_points is not None
        and criterion.step
        and Decimal(criterion.max_points) % Decimal(criterion.step) != 0
    ):
        raise ValidationError({"step": _("The maximum points must be a multiple of the step.")})
    duplicate = Criterion.objects.filter(table_id=criterion.table_id, code=criterion.code)
    if criterion.pk:
        duplicate = duplicate.exclude(pk=criterion.pk)
    if duplicate.exists():
        raise ValidationError(
            {
                "code": _("The code %(code)s is already used in this table.")
                % {"code": criterion.code}
            }
        )


@transaction.atomic
def criterion_create(*, actor: User | None, group: CriterionGroup, **fields: Any) -> Criterion:
    _lock_table(actor, group.table)
    criterion = Criterion(table_id=group.table_id, group=group)
    for name in CRITERION_FIELDS:
        if name in fields:
            setattr(criterion, name, fields[name])
    criterion.full_clean(exclude=["table"])
    _check_criterion(criterion)
    criterion.save()
    audit.record(
        actor=actor,
        action="scoring_table.criterion_create",
        target=criterion,
        data={k: fields[k] for k in CRITERION_FIELDS if k in fields},
    )
    return criterion


@transaction.atomic
def criterion_update(*, actor: User | None, criterion: Criterion, **fields: Any) -> Criterion:
    _lock_table(actor, criterion.table)
    locked = Criterion.objects.select_for_update().get(pk=criterion.pk)
    changed = {}
    for name in CRITERION_FIELDS:
        if name in fields and getattr(locked, name) != fields[name]:
            changed[name] = {"old": getattr(locked, name), "new": fields[name]}
            setattr(locked, name, fields[name])
    if "group" in fields and fields["group"].pk != locked.group_id:
        if fields["group"].table_id != locked.table_id:
            raise ValidationError(_("The group belongs to another table."))
        changed["group"] = {"old": locked.group_id, "new": fields["group"].pk}
        locked.group = fields["group"]
    locked.full_clean(exclude=["table"])
    _check_criterion(locked)
    locked.save(update_fields=[*CRITERION_FIELDS, "group"])
    audit.record(actor=actor, action="scoring_table.criterion_update", target=locked, data=changed)
    return locked


@transaction.atomic
def criterion_delete(*, actor: User | None, criterion: Criterion) -> None:
    _lock_table(actor, criterion.table)
    audit.record(
        actor=actor,
        action="scoring_table.criterion_delete",
        target=criterion,
        data={"table": criterion.table_id, "code": criterion.code},
    )
    criterion.delete()


def _copy_contents(source: ScoringTable, target: ScoringTable) -> None:
    groups = list(source.groups.order_by("order", "id"))
    criteria = list(source.criteria.order_by("order", "id"))
    new_groups = {}
    for group in groups:
        new_groups[group.pk] = CriterionGroup.objects.create(
            table=target, order=group.order, name=group.name, max_points=group.max_points
        )
    Criterion.objects.bulk_create(
        [
            Criterion(
                table=target,
                group=new_groups[c.group_id],
                **{name: getattr(c, name) for name in CRITERION_FIELDS},
            )
            for c in criteria
        ]
    )


@transaction.atomic
def scoring_table_copy(
    *,
    actor: User | None,
    table: ScoringTable,
    year: EmulationYear | None = None,
    bloc: Bloc | None | str = "same",
    name: str = "",
) -> ScoringTable:
    """Copy a table with its groups and criteria: to a new version of the same
    year (the default) or to another year. The copy is not frozen."""
    year = year or table.year
    bloc = table.bloc if bloc == "same" else bloc
    require_province_council(actor, table.year)
    if year.province_id != table.year.province_id:
        raise ValidationError(_("A table can only be copied within its province."))
    copy = ScoringTable.objects.create(
        year=year,
        bloc=bloc,
        name=name or table.name,
        version=_next_version(year, bloc),
        created_by=actor,
    )
    _copy_contents(table, copy)
    audit.record(
        actor=actor,
        action="scoring_table.copy",
        target=copy,
        data={"source": table.pk, "year": year.year, "version": copy.version},
    )
    return copy


@transaction.atomic
def scoring_table_import(
    *,
    actor: User | None,
    year: EmulationYear,
    bloc: Bloc | None,
    rows: list[dict[str, Any]],
    name: str = "",
) -> ScoringTable:
    """Write a whole table from validated import rows (all or nothing).

    Replaces the contents of the latest table of the year (and bloc) when it is
    not frozen; otherwise creates a new version.
    """
    require_province_council(actor, year)
    table = (
        ScoringTable.objects.select_for_update()
        .filter(year=year, bloc=bloc)
        .order_by("-version")
        .first()
    )
    default_name = name or (
        _("Scoring table %(year)s") % {"year": year.year}
        if bloc is None
        else _("Scoring table of %(bloc)s, %(year)s") % {"bloc": bloc.name, "year": year.year}
    )
    if table is None or table.is_frozen:
        table = ScoringTable.objects.create(
            year=year,
            bloc=bloc,
            name=default_name,
            version=_next_version(year, bloc),
            created_by=actor,
        )
    else:
        table.criteria.all().delete()
        table.groups.all().delete()
        if name and table.name != name:
            table.name = name
            table.save(update_fields=["name"])
    groups: dict[tuple, CriterionGroup] = {}
    criteria = []
    for row in rows:
        key = (row["group_order"], row["group_name"])
        if key not in groups:
            groups[key] = CriterionGroup.objects.create(
                table=table,
                order=row["group_order"],
                name=row["group_name"],
                max_points=row["group_max"],
            )
        criterion = Criterion(
            table=table,
            group=groups[key],
            code=row["code"],
            text=row["text"],
            max_points=row["max_points"],
            kind=row.get("kind") or CriterionKind.STANDARD,
            step=row.get("step") or Decimal("0.25"),
            evidence_required=bool(row.get("evidence_required")),
            na_allowed=bool(row.get("na_allowed")),
            guidance=row.get("guidance") or "",
            order=row.get("order") or 0,
        )
        criterion.full_clean(exclude=["table", "group"])
        criteria.append(criterion)
    Criterion.objects.bulk_create(criteria)
    audit.record(
        actor=actor,
        action="scoring_table.import",
        target=table,
        data={"year": year.year, "groups": len(groups), "criteria": len(criteria)},
    )
    return table


@transaction.atomic
def bloc_year_open_self_assessment(
    *,
    actor: User | None,
    bloc_year: BlocYear,
    confirm: bool = False,
    today: datetime.date | None = None,
) -> BlocYear:
    """Open the self-assessment window: freeze the bloc-year's table, move the
    bloc-year to the self-assessment phase and start one assessment per member.
    Before the year's opening date the user confirms opening early."""

    locked = (
        BlocYear.objects.select_for_update().select_related("bloc", "year").get(pk=bloc_year.pk)
    )
    if Phase(locked.phase).index >= Phase.SELF_ASSESSMENT.index:
        raise ValidationError(
            _("The self-assessment window can be opened only before it has started.")
        )
    if locked.phase != Phase.IN_PROGRESS:
        raise ValidationError(
            _("Registration is not over yet: start the year before opening the self-assessment.")
        )
    table = scoring_table_for(locked)
    if table is None or not table.criteria.exists():
        raise ValidationError(
            _("There is no scoring table with criteria for %(year)s yet.")
            % {"year": locked.year.year}
        )
    table = ScoringTable.objects.select_for_update().get(pk=table.pk)
    if table.frozen_at is None:
        table.frozen_at = timezone.now()
        table.save(update_fields=["frozen_at"])
    old = locked.phase
    bloc_year_advance(
        actor=actor,
        bloc_year=bloc_year,
        to=Phase.SELF_ASSESSMENT,
        via="self_assessment_open",
        confirm=confirm,
        today=today,
    )
    existing = set(
        SelfAssessment.objects.filter(membership__bloc_year=locked).values_list(
            "membership_id", flat=True
        )
    )
    SelfAssessment.objects.bulk_create(
        [
            SelfAssessment(membership=m, table=table)
            for m in locked.memberships.all()
            if m.pk not in existing
        ]
    )
    audit.record(
        actor=actor,
        action="bloc_year.open_self_assessment",
        target=locked,
        data={"old": old, "new": Phase.SELF_ASSESSMENT, "table": table.pk},
    )
    return bloc_year
