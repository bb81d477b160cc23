"""Writes of agency facts, disqualifications and award history."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from awards.enums import AwardSource, DisqualificationKind, TaskRating
from awards.models import AgencyYearFact, AwardRecord, AwardType, Disqualification, LeadingChoice
from emulation import audit
from emulation.models import User
from emulation.refusals import require_actor


def _check_women(women_percent: Decimal | None) -> None:
    if women_percent is not None and not Decimal(0) <= Decimal(women_percent) <= Decimal(100):
        raise ValidationError(_("The share of women staff must be between 0 and 100 percent."))


# The composition of a collective's people (Law Art. 27, 28), counts.
STAFF_FIELDS = (
    "staff_total",
    "staff_completed",
    "staff_ldtt",
    "staff_cstdcs",
    "staff_disciplined",
    "staff_women",
)
# Achievements recorded with their evidence (Law Art. 73, 74).
ACHIEVEMENT_FIELDS = ("movement_outstanding", "one_off", "contribution")
FACT_FIELDS = ("rating", "women_percent", "source_document", *STAFF_FIELDS, *ACHIEVEMENT_FIELDS)


def _check_staff(values: dict) -> None:
    for name in STAFF_FIELDS:
        value = values.get(name)
        if value is not None and (not isinstance(value, int) or value < 0):
            raise ValidationError(_("The numbers of people must be whole numbers, 0 or more."))
    total = values.get("staff_total")
    if total is None:
        return
    for name in STAFF_FIELDS[1:]:
        value = values.get(name)
        if value is not None and value > total:
            raise ValidationError(
                _("A number of people (%(value)s) cannot exceed the total (%(total)s).")
                % {"value": value, "total": total}
            )


def _fact_set(*, agency, year: int, rating: str, women_percent, source_document: str, **extra):
    """``extra``: the composition counts and achievements; a key left out keeps
    its recorded value."""
    if rating and rating not in TaskRating.values:
        raise ValidationError(_("Unknown task-completion rating “%(value)s”.") % {"value": rating})
    _check_women(women_percent)
    unknown = set(extra) - set(STAFF_FIELDS) - set(ACHIEVEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fact fields: {sorted(unknown)}")
    fact = AgencyYearFact.objects.select_for_update().filter(agency=agency, year=year).first()
    new = {
        "rating": rating or "",
        "women_percent": None if women_percent is None else Decimal(women_percent),
        "source_document": source_document or "",
    }
    for name in STAFF_FIELDS:
        if name in extra:
            new[name] = extra[name]
        elif fact is not None:
            new[name] = getattr(fact, name)
    for name in ACHIEVEMENT_FIELDS:
        if name in extra:
            new[name] = (extra[name] or "").strip()[:500]
        elif fact is not None:
            new[name] = getattr(fact, name)
    _check_staff(new)
    if (
        new["women_percent"] is None
        and new.get("staff_women") is not None
        and new.get("staff_total")
    ):
        new["women_percent"] = (Decimal(new["staff_women"] * 100) / new["staff_total"]).quantize(
            Decimal("0.01")
        )
    if fact is None:
        fact = AgencyYearFact.objects.create(agency=agency, year=year, **new)
        return fact, None, new
    old = {name: getattr(fact, name) for name in new}
    changed = [k for k, v in new.items() if old[k] != v]
    if not changed:
        return fact, old, None
    for k in changed:
        setattr(fact, k, new[k])
    fact.save(update_fields=changed)
    return fact, {k: old[k] for k in changed}, {k: new[k] for k in changed}


def _str(d):
    return None if d is None else {k: (str(v) if v is not None else None) for k, v in d.items()}


def _require_council_of(actor: User | None, agency) -> None:
    """An agency's facts, disqualifying cases and award history are kept by
    the council staff of its province."""
    require_actor(
        actor,
        "blocs.oversee_province",
        agency,
        _("Only the council staff of the agency's province can record its facts."),
    )


@transaction.atomic
def agency_fact_set(
    *,
    actor: User | None,
    agency,
    year: int,
    rating: str = "",
    women_percent: Decimal | None = None,
    source_document: str = "",
    **extra,
) -> AgencyYearFact:
    """Record (or correct) an agency's facts for a year: rating, women share,
    and (``extra``) the composition counts ``staff_*`` and the achievements
    ``movement_outstanding``, ``one_off``, ``contribution`` (their evidence)."""
    _require_council_of(actor, agency)
    fact, old, new = _fact_set(
        agency=agency,
        year=year,
        rating=rating,
        women_percent=women_percent,
        source_document=source_document,
        **extra,
    )
    if new is not None:
        audit.record(
            actor=actor,
            action="agency_fact.set",
            target=fact,
            data={"agency": agency.code, "year": year, "old": _str(old), "new": _str(new)},
        )
    return fact


@transaction.atomic
def agency_facts_save(*, actor: User | None, year: int, rows: list[dict], source: str) -> int:
    """Save many facts at once (the grid, an import): all or nothing, one audit event.

    ``rows``: dicts with agency, rating, women_percent, source_document, and
    optionally the composition counts and achievements (see ``agency_fact_set``).
    Returns the number of facts created or changed.
    """
    changes = []
    for row in rows:
        _require_council_of(actor, row["agency"])
        extra = {k: row[k] for k in (*STAFF_FIELDS, *ACHIEVEMENT_FIELDS) if k in row}
        fact, old, new = _fact_set(
            agency=row["agency"],
            year=year,
            rating=row.get("rating", ""),
            women_percent=row.get("women_percent"),
            source_document=row.get("source_document", ""),
            **extra,
        )
        if new is not None:
            changes.append({"agency": row["agency"].code, "old": _str(old), "new": _str(new)})
    if changes:
        audit.record(
            actor=actor,
            action="agency_fact.save_many",
            data={"year": year, "source": source, "changes": changes},
        )
    return len(changes)


@transaction.atomic
def disqualification_add(
    *,
    actor: User | None,
    agency,
    year: int,
    kind: str,
    source_document: str,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    description: str = "",
    signs_of_violation: bool = False,
    violation_found: bool | None = None,
) -> Disqualification:
    """Record a disqualifying case (or an imposed discipline with its period,
    or a unit's dissolution); see ``Disqualification``."""
    _require_council_of(actor, agency)
    if kind not in DisqualificationKind.values:
        raise ValidationError(_("Unknown kind of disqualifying fact."))
    if not source_document.strip():
        raise ValidationError(_("Name the source document (e.g. the inspection decision)."))
    if ended_on is not None and ended_on < started_on:
        raise ValidationError(_("The end date cannot be before the start date."))
    item = Disqualification(
        agency=agency,
        year=year,
        kind=kind,
        source_document=source_document.strip(),
        started_on=started_on,
        ended_on=ended_on,
        description=description,
        signs_of_violation=bool(signs_of_violation),
        violation_found=violation_found,
    )
    item.full_clean()
    item.save()
    audit.record(
        actor=actor,
        action="disqualification.add",
        target=item,
        data={
            "agency": agency.code,
            "year": year,
            "kind": kind,
            "source": source_document,
            "signs_of_violation": bool(signs_of_violation),
        },
    )
    return item


@transaction.atomic
def disqualification_close(
    *,
    actor: User | None,
    disqualification: Disqualification,
    ended_on: datetime.date,
    violation_found: bool | None = False,
) -> Disqualification:
    """Record that the case is concluded (complaint resolved, inspection
    concluded — with or without a violation) or a discipline's period over."""
    item = Disqualification.objects.select_for_update().get(pk=disqualification.pk)
    _require_council_of(actor, item.agency)
    if item.ended_on is not None:
        raise ValidationError(_("This fact has already been closed."))
    if ended_on < item.started_on:
        raise ValidationError(_("The end date cannot be before the start date."))
    item.ended_on = ended_on
    item.violation_found = violation_found
    item.save(update_fields=["ended_on", "violation_found"])
    audit.record(
        actor=actor,
        action="disqualification.close",
        target=item,
        data={"ended_on": ended_on.isoformat(), "violation_found": violation_found},
    )
    return item


@transaction.atomic
def disqualification_remove(*, actor: User | None, disqualification: Disqualification) -> None:
    item = Disqualification.objects.select_for_update().get(pk=disqualification.pk)
    _require_council_of(actor, item.agency)
    data = {"agency": item.agency_id, "year": item.year, "kind": item.kind}
    audit.record(actor=actor, action="disqualification.remove", target=item, data=data)
    item.delete()


def _record(
    *,
    agency,
    award_type: AwardType,
    year: int,
    decision_number: str,
    decision_date: datetime.date,
    signer: str,
    source: str,
    one_off: bool,
    external_key: str = "",
) -> AwardRecord:
    if not decision_number.strip():
        raise ValidationError(_("The decision number is required."))
    if (
        not one_off
        and AwardRecord.objects.filter(
            agency=agency, award_type=award_type, year=year, one_off=False
        ).exists()
    ):
        raise ValidationError(
            _("%(agency)s already has “%(award)s” for %(year)s.")
            % {"agency": agency.display_name, "award": award_type.name, "year": year}
        )
    return AwardRecord.objects.create(
        agency=agency,
        award_type=award_type,
        year=year,
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        signer=signer,
        source=source,
        one_off=one_off,
        external_key=external_key,
    )


@transaction.atomic
def award_record_add(
    *,
    actor: User | None,
    agency,
    award_type: AwardType,
    year: int,
    decision_number: str,
    decision_date: datetime.date,
    signer: str = "",
    source: str = AwardSource.MANUAL,
    one_off: bool = False,
) -> AwardRecord:
    """Record an award in an agency's history."""
    _require_council_of(actor, agency)
    record = _record(
        agency=agency,
        award_type=award_type,
        year=year,
        decision_number=decision_number,
        decision_date=decision_date,
        signer=signer,
        source=source,
        one_off=one_off,
    )
    audit.record(
        actor=actor,
        action="award_record.add",
        target=record,
        data={
            "agency": agency.code,
            "award": award_type.code,
            "year": year,
            "decision": decision_number,
            "source": source,
        },
    )
    return record


@transaction.atomic
def award_record_receive(
    *,
    actor: User | None,
    sender: str,
    external_key: str,
    agency,
    award_type: AwardType,
    year: int,
    decision_number: str,
    decision_date: datetime.date,
    signer: str = "",
    one_off: bool = False,
) -> tuple[AwardRecord, bool]:
    """Record an award decided outside the application (a Prime Minister's
    decision the province received, say), sent by another system (``sender``)
    under its own key, so that eligibility counts it. A second call with the
    same key and the same award returns the first record (``created`` False);
    another award under a key already used is refused. The database holds one
    record per agency and key."""
    key = external_key.strip()
    if not key:
        raise ValidationError(_("The external key is required."))
    wanted = {
        "award_type_id": award_type.pk,
        "year": year,
        "decision_number": decision_number.strip(),
        "decision_date": decision_date,
        "signer": signer,
        "one_off": one_off,
    }
    found = AwardRecord.objects.select_for_update().filter(agency=agency, external_key=key).first()
    if found is None:
        try:
            with transaction.atomic():
                record = _record(
                    agency=agency,
                    award_type=award_type,
                    year=year,
                    decision_number=decision_number,
                    decision_date=decision_date,
                    signer=signer,
                    source=AwardSource.EXTERNAL,
                    one_off=one_off,
                    external_key=key,
                )
        except IntegrityError:
            # Another call with the same key (or the same award) won the race.
            found = AwardRecord.objects.filter(agency=agency, external_key=key).first()
            if found is None:
                raise ValidationError(
                    _("%(agency)s already has “%(award)s” for %(year)s.")
                    % {"agency": agency.display_name, "award": award_type.name, "year": year}
                ) from None
        else:
            audit.record(
                actor=actor,
                action="award_record.receive",
                target=record,
                data={
                    "agency": agency.code,
                    "award": award_type.code,
                    "year": year,
                    "decision": record.decision_number,
                    "sender": sender,
                    "external_key": key,
                },
            )
            return record, True
    if any(getattr(found, field) != value for field, value in wanted.items()):
        raise ValidationError(
            _(
                "Another award was already received under the key “%(key)s”; "
                "send this one under a new key."
            )
            % {"key": key},
            code="conflict",
        )
    return found, False


@transaction.atomic
def award_records_import(*, actor: User | None, rows: list[dict]) -> int:
    """Import award history rows (all or nothing, one audit event)."""
    require_actor(
        actor,
        "awards.import_history",
        None,
        _("Only the council staff of the province can do this."),
    )
    created = [_record(source=AwardSource.IMPORTED, **row) for row in rows]
    audit.record(
        actor=actor,
        action="award_record.import",
        data={"count": len(created), "ids": [r.pk for r in created]},
    )
    return len(created)


def _require_conference_secretariat(actor: User | None, bloc_year) -> None:
    """The bloc's secretariat records what its conference chose."""
    require_actor(
        actor, "awards.run_conference", bloc_year, _("Only the bloc's secretariat can do this.")
    )


@transaction.atomic
def leading_choose(
    *, actor: User | None, bloc_year, membership, source_document: str
) -> LeadingChoice:
    """Record the member the conference chose as leading the bloc for the year
    (replacing an earlier choice); the flags' condition follows it."""
    _require_conference_secretariat(actor, bloc_year)
    if membership.bloc_year_id != bloc_year.pk:
        raise ValidationError(_("Choose a member of the bloc."))
    if not source_document.strip():
        raise ValidationError(_("Name the source document (e.g. the conference minutes)."))
    choice = LeadingChoice.objects.select_for_update().filter(bloc_year=bloc_year).first()
    old = choice.membership.agency.code if choice is not None else None
    if choice is None:
        choice = LeadingChoice(bloc_year=bloc_year)
    choice.membership = membership
    choice.source_document = source_document.strip()[:255]
    choice.save()
    audit.record(
        actor=actor,
        action="leading_choice.set",
        target=choice,
        data={"old": old, "new": membership.agency.code, "source": choice.source_document},
    )
    return choice


@transaction.atomic
def leading_clear(*, actor: User | None, bloc_year) -> None:
    """Forget the conference's choice: the leader is again rank 1 after the tie-breaks."""
    _require_conference_secretariat(actor, bloc_year)
    choice = LeadingChoice.objects.select_for_update().filter(bloc_year=bloc_year).first()
    if choice is None:
        return
    audit.record(
        actor=actor,
        action="leading_choice.clear",
        target=choice,
        data={"old": choice.membership.agency.code},
    )
    choice.delete()
