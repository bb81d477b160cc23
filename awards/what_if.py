"""What-if: judge hypothetical agencies with the same engine as the pages,
without touching the database (reads of the rule sets only; no writes).

Input (a dict, e.g. from JSON)::

    {"province": CODE or null,
     "cases": [{"id", "considered_on": "YYYY-MM-DD", "year", "bloc_members",
                "submitted_on": "YYYY-MM-DD" (optional: the transitional rule),
                "agency": {"ratings": {"YYYY": "excellent|good|completed|not_completed"},
                           "awards": [{"year", "award"}], "rank", "led_bloc",
                           "registered": [award codes],
                           "staff": {"total", "completed", "ldtt", "cstdcs",
                                     "disciplined", "women"},
                           "cases": [{"kind", "opened_on", "closed_on",
                                      "signs_of_violation", "violation_found",
                                      "year" (optional: the year a violation concerns),
                                      "source" (optional: the document)}],
                           "discipline": [{"start", "end", "source" (optional)}],
                           "movement_outstanding", "one_off", "contribution",
                           "dissolved_on", "dissolved_source" (optional: the document)}}]}

Absent keys mean "no such fact". A case of kind ``discipline`` is a
discipline being considered; an imposed one is a period under
``discipline``. ``movement_outstanding``/``one_off``/``contribution`` are
true or the evidence's reference.

Output: ``{"cases": [{"id", "legal_basis", "verdicts": {code: {"eligible",
"reasons"}}}]}`` for the award codes of ``WHAT_IF_CODES``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from awards.eligibility import (
    WHAT_IF_CODES,
    AgencyFacts,
    Case,
    Staff,
    judge_agency,
    load_rules,
)
from awards.enums import AchievementFact, DisqualificationKind, TaskRating
from awards.models import AwardType
from blocs.models import Province

# The what-if's case kinds → the engine's (a "discipline" case is one being considered).
CASE_KINDS = {
    "discipline": DisqualificationKind.DISCIPLINE_CONSIDERED,
    "investigation": DisqualificationKind.INVESTIGATION,
    "inspection": DisqualificationKind.INSPECTION,
    "examination": DisqualificationKind.EXAMINATION,
    "complaint": DisqualificationKind.COMPLAINT,
    "denunciation": DisqualificationKind.DENUNCIATION,
    "press": DisqualificationKind.PRESS,
}


class WhatIfError(ValueError):
    """The input is not a valid what-if file (the message says where)."""


def _date(value: Any, where: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise WhatIfError(
            _("%(where)s: “%(value)s” is not a date (YYYY-MM-DD).")
            % {"where": where, "value": value}
        ) from None


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise WhatIfError(_("%(where)s: a whole number is expected.") % {"where": where})
    return value


def agency_facts_from_dict(data: dict, *, where: str = "agency") -> AgencyFacts:
    """Build the engine's facts of one hypothetical agency (no database)."""
    if not isinstance(data, dict):
        raise WhatIfError(_("%(where)s: an object is expected.") % {"where": where})
    facts = AgencyFacts(name=str(data.get("name", "")))
    for year, rating in (data.get("ratings") or {}).items():
        if rating not in TaskRating.values:
            raise WhatIfError(
                _("%(where)s: unknown rating “%(value)s”.") % {"where": where, "value": rating}
            )
        if not str(year).isdigit():
            raise WhatIfError(
                _("%(where)s: “%(value)s” is not a year.") % {"where": where, "value": year}
            )
        facts.ratings[int(year)] = rating
    for award in data.get("awards") or []:
        if not isinstance(award, dict):
            raise WhatIfError(_("%(where)s: an object is expected.") % {"where": f"{where}.awards"})
        year = _int(award.get("year"), f"{where}.awards")
        facts.awards.setdefault(year, set()).add(str(award.get("award")))
    if data.get("rank") is not None:
        facts.rank = _int(data["rank"], f"{where}.rank")
    if data.get("led_bloc") is not None:
        facts.led_bloc = bool(data["led_bloc"])
    facts.registered = {str(code) for code in data.get("registered") or []}
    staff = data.get("staff")
    if staff is not None:
        facts.staff = Staff(
            **{
                key: (None if staff.get(key) is None else _int(staff[key], f"{where}.staff.{key}"))
                for key in ("total", "completed", "ldtt", "cstdcs", "disciplined", "women")
            }
        )
    for number, case in enumerate(data.get("cases") or [], start=1):
        at = f"{where}.cases[{number}]"
        kind = CASE_KINDS.get(case.get("kind"))
        if kind is None:
            raise WhatIfError(
                _("%(where)s: unknown kind “%(value)s”.") % {"where": at, "value": case.get("kind")}
            )
        facts.cases.append(
            Case(
                kind=kind,
                opened_on=_date(case.get("opened_on"), at),
                closed_on=_date(case["closed_on"], at) if case.get("closed_on") else None,
                signs_of_violation=bool(case.get("signs_of_violation", False)),
                violation_found=case.get("violation_found"),
                year=_int(case["year"], at) if case.get("year") is not None else None,
                source=str(case.get("source") or ""),
            )
        )
    for number, period in enumerate(data.get("discipline") or [], start=1):
        at = f"{where}.discipline[{number}]"
        facts.cases.append(
            Case(
                kind=DisqualificationKind.DISCIPLINE,
                opened_on=_date(period.get("start"), at),
                closed_on=_date(period["end"], at) if period.get("end") else None,
                source=str(period.get("source") or ""),
            )
        )
    if data.get("dissolved_on"):
        facts.cases.append(
            Case(
                kind=DisqualificationKind.DISSOLVED,
                opened_on=_date(data["dissolved_on"], f"{where}.dissolved_on"),
                source=str(data.get("dissolved_source") or ""),
            )
        )
    for fact in AchievementFact.values:
        value = data.get(fact)
        if value:
            facts.achievements[fact] = value if isinstance(value, str) else _("stated in the file")
    return facts


def judge_cases(data: dict, *, codes=WHAT_IF_CODES) -> dict:
    """Judge every case of a what-if input; returns the output dict."""
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise WhatIfError(_("The file must be an object with a list “cases”."))
    province_id = None
    if data.get("province"):
        province_id = (
            Province.objects.filter(code=data["province"]).values_list("pk", flat=True).first()
        )
        if province_id is None:
            raise WhatIfError(_("Unknown province “%(code)s”.") % {"code": data["province"]})
    names = dict(AwardType.objects.values_list("code", "name"))
    out = []
    for number, case in enumerate(data["cases"], start=1):
        where = f"cases[{number}]"
        if not isinstance(case, dict):
            raise WhatIfError(_("%(where)s: an object is expected.") % {"where": where})
        considered_on = _date(case.get("considered_on"), f"{where}.considered_on")
        year = _int(case.get("year"), f"{where}.year")
        submitted_on = (
            _date(case["submitted_on"], f"{where}.submitted_on")
            if case.get("submitted_on")
            else None
        )
        rule_set, rules = load_rules(
            province_id=province_id,
            year=year,
            considered_on=considered_on,
            submitted_on=submitted_on,
        )
        facts = agency_facts_from_dict(case.get("agency") or {}, where=f"{where}.agency")
        verdicts = judge_agency(
            facts,
            rule_set=rule_set,
            rules=rules,
            year=year,
            considered_on=considered_on,
            codes=codes,
            award_names=names,
        )
        out.append(
            {
                "id": case.get("id", number),
                "considered_on": considered_on.isoformat(),
                "legal_basis": rule_set.legal_basis if rule_set else None,
                "verdicts": {
                    code: {"eligible": v.eligible, "reasons": list(v.reasons)}
                    for code, v in verdicts.items()
                },
            }
        )
    return {"cases": out}
