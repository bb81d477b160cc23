"""Interim what-if judge, for the what-if page until the engine's own pure
``awards.what_if.judge_cases`` is there (``awards/what_if_judge.py`` picks
that one as soon as it exists; this module can then be deleted).

Same input and output as ``check_eligibility --format json``. It runs the
current engine on the hypothetical facts held in memory: nothing is read but
the rule sets and the catalogue, nothing is written. The current engine
judges ratings, award history, registration, rank and open cases; staff
composition, leading the bloc, recorded achievements, discipline periods and
dissolution are not judged by it yet, and are ignored here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from awards.eligibility import _Context
from awards.enums import DisqualificationKind, TaskRating
from awards.models import AwardType
from awards.selectors.rules import rule_set_for
from blocs.models import Province

CODES = ("co_chinh_phu", "co_tinh", "tt_ldxs", "tt_ldtt", "bk_ttg", "bk_ubnd")
# The what-if's case kinds the current engine knows.
CASE_KINDS = {
    "discipline": DisqualificationKind.DISCIPLINE,
    "investigation": DisqualificationKind.INVESTIGATION,
    "inspection": DisqualificationKind.INSPECTION,
    "examination": DisqualificationKind.INSPECTION,
    "complaint": DisqualificationKind.COMPLAINT,
    "denunciation": DisqualificationKind.COMPLAINT,
}
AGENCY_ID = MEMBERSHIP_ID = 0


class WhatIfError(ValueError):
    """The input cannot be judged; the message says where."""


@dataclass
class _Agency:
    pk: int = AGENCY_ID
    display_name: str = "?"
    name: str = "?"


@dataclass
class _Membership:
    agency: _Agency
    pk: int = MEMBERSHIP_ID
    agency_id: int = AGENCY_ID


@dataclass
class _Fact:
    rating: str


@dataclass
class _Case:
    kind: str
    started_on: datetime.date
    source_document: str = ""
    ended_on: None = None

    def get_kind_display(self) -> str:
        return str(DisqualificationKind(self.kind).label)


@dataclass
class _Rank:
    rank: int
    total: Decimal = Decimal(0)


def _date(value: Any, where: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise WhatIfError(
            _("%(where)s: a date YYYY-MM-DD is expected.") % {"where": where}
        ) from None


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise WhatIfError(_("%(where)s: a whole number is expected.") % {"where": where})
    return value


class _Hypothetical(_Context):
    """The engine's context, filled from one case instead of the database."""

    def __init__(self, *, province_id, year: int, considered_on, agency: dict, types):
        self.bloc_year = None
        self.year = year
        self.rule_set = rule_set_for(year=year, province_id=province_id)
        self.rules = {}
        if self.rule_set is not None:
            for rule in self.rule_set.rules.select_related("award_type", "quota_of"):
                self.rules[rule.award_type_id] = rule
        self.types_by_code = types
        self.memberships = [_Membership(_Agency())]
        self.predecessors, self.agency_names = {}, {}
        self.facts = {}
        for key, rating in (agency.get("ratings") or {}).items():
            if rating not in TaskRating.values:
                raise WhatIfError(_("ratings.%(year)s: unknown rating.") % {"year": key})
            self.facts[(AGENCY_ID, _int(int(key), f"ratings.{key}"))] = _Fact(rating)
        self.awards = {}
        for number, award in enumerate(agency.get("awards") or [], start=1):
            award_type = types.get(award.get("award"))
            if award_type is None:
                raise WhatIfError(_("awards[%(n)s]: unknown award.") % {"n": number})
            key = (AGENCY_ID, _int(award.get("year"), f"awards[{number}].year"))
            self.awards.setdefault(key, set()).add(award_type.pk)
        cases = []
        for number, case in enumerate(agency.get("cases") or [], start=1):
            where = f"cases[{number}]"
            kind = CASE_KINDS.get(case.get("kind"))
            opened = _date(case.get("opened_on"), f"{where}.opened_on")
            closed = case.get("closed_on")
            still_open = opened <= considered_on and (
                closed is None or _date(closed, f"{where}.closed_on") > considered_on
            )
            if kind is not None and still_open:
                cases.append(_Case(kind, opened))
        self.disqualifications = {AGENCY_ID: cases}
        registered = {types[c].pk for c in agency.get("registered") or [] if c in types}
        self.registrations = {AGENCY_ID: registered}
        rank = agency.get("rank")
        self.ranking = {MEMBERSHIP_ID: _Rank(_int(rank, "rank"))} if rank is not None else None
        self._cache = {}


def judge_cases(data: dict) -> dict:
    """Judge every case of a what-if input; returns the output dict."""
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise WhatIfError(_("The input must be an object with a list “cases”."))
    province_id = None
    if data.get("province"):
        province_id = (
            Province.objects.filter(code=data["province"]).values_list("pk", flat=True).first()
        )
        if province_id is None:
            raise WhatIfError(_("Unknown province “%(code)s”.") % {"code": data["province"]})
    types = {t.code: t for t in AwardType.objects.all()}
    out = []
    for number, case in enumerate(data["cases"], start=1):
        if not isinstance(case, dict):
            raise WhatIfError(_("cases[%(n)s]: an object is expected.") % {"n": number})
        year = _int(case.get("year"), f"cases[{number}].year")
        considered_on = _date(case.get("considered_on"), f"cases[{number}].considered_on")
        context = _Hypothetical(
            province_id=province_id,
            year=year,
            considered_on=considered_on,
            agency=case.get("agency") or {},
            types=types,
        )
        membership = context.memberships[0]
        verdicts = {}
        for code in CODES:
            if code in types:
                result = context.evaluate(membership, types[code])
                verdicts[code] = {"eligible": result.eligible, "reasons": list(result.reasons)}
        out.append(
            {
                "id": case.get("id", number),
                "legal_basis": context.rule_set.legal_basis if context.rule_set else "",
                "verdicts": verdicts,
            }
        )
    return {"cases": out}
