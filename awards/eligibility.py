"""The eligibility engine: for a bloc-year and an award type, every member
eligible yes/no with the reasons, in Vietnamese, naming the rule, its legal
basis and the facts used.

Two layers:

* a **pure** evaluation — ``judge_agency(facts, rules=…, rule_set=…, year=…,
  considered_on=…)`` judges one agency's facts (an ``AgencyFacts``, plain
  data, no database) against a rule set's rules and returns a ``Verdict`` per
  award code; the ``check_eligibility`` command (hypothetical agencies) and
  the pages share it;
* the **bloc-year** loaders — ``evaluate``, ``eligible_memberships``,
  ``matrix``, ``quota``, ``quotas`` — which load everything for a bloc-year in
  a fixed number of queries (rule set, rules, memberships, lineage, facts,
  disqualifying cases, awards, registrations, ranking, the conference's
  choice of the leading member), build the members' ``AgencyFacts`` and
  judge them: no query per member.

The rule set is chosen by the **date of consideration** (``considered_on``):
for the bloc, its conference date (the earliest meeting of the bloc-year;
without one, 1 January of the next year); the council passes its own
meeting or decision date, and ``submitted_on`` (the dossier's submission)
for the transitional rule of Decree 152/2025 Art. 60. Every verdict names
the legal basis it applied.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from awards.enums import (
    KINDS_NEEDING_SIGNS,
    AchievementFact,
    ConditionType,
    DisqualificationKind,
    PrerequisiteType,
    TaskRating,
)
from awards.models import AwardRecord, AwardRule, AwardType, LeadingChoice, Meeting, RuleSet
from awards.selectors.facts import (
    disqualifications_by_agency,
    facts_by_agency_year,
    merit_awards_by_agency_year,
    predecessors_map,
)
from awards.selectors.rules import choose_rule_set, rule_sets_in_scope
from blocs.models import Agency, Membership
from blocs.selectors import rankings_for, registered_award_types_of

# The award codes the what-if judges (and the catalogue's collective awards).
WHAT_IF_CODES = ("co_chinh_phu", "co_tinh", "tt_ldxs", "tt_ldtt", "bk_ttg", "bk_ubnd")


# -- the facts of one agency, as plain data ------------------------------------


@dataclass
class Staff:
    """The composition of a collective's people in a year (Law Art. 27, 28).
    None = not recorded."""

    total: int | None = None
    completed: int | None = None
    ldtt: int | None = None
    cstdcs: int | None = None
    disciplined: int | None = None
    women: int | None = None


@dataclass
class Case:
    """A disqualifying case or an imposed discipline (kind: DisqualificationKind).

    For ``discipline`` (imposed) ``opened_on``/``closed_on`` are its period;
    for ``dissolved`` ``opened_on`` is the date of dissolution."""

    kind: str
    opened_on: datetime.date
    closed_on: datetime.date | None = None
    signs_of_violation: bool = False
    violation_found: bool | None = None
    year: int | None = None
    source: str = ""


@dataclass
class AgencyFacts:
    """Everything the engine knows about one agency for the year under review.

    ``ratings`` {year: TaskRating value} and ``awards`` {year: {award code}}
    (awards that count for prerequisites: no one-off ones); ``*_via`` name the
    predecessor agency a year's rating/award comes from (lineage). ``rank`` and
    ``shared_rank`` from the bloc's ranking (None: no ranking); ``led_bloc``
    an explicit choice (the conference's), overriding the rank. ``staff`` the
    composition for the year; ``achievements`` {AchievementFact: evidence}.
    """

    name: str = ""
    ratings: dict[int, str] = field(default_factory=dict)
    rating_via: dict[int, str] = field(default_factory=dict)
    awards: dict[int, set[str]] = field(default_factory=dict)
    award_via: dict[tuple[int, str], str] = field(default_factory=dict)
    rank: int | None = None
    shared_rank: bool = False
    total: Decimal | None = None
    led_bloc: bool | None = None
    registered: set[str] = field(default_factory=set)
    staff: Staff | None = None
    achievements: dict[str, str] = field(default_factory=dict)
    cases: list[Case] = field(default_factory=list)


@dataclass
class Verdict:
    eligible: bool
    reasons: list[str]
    legal_basis: str = ""
    rule: AwardRule | None = None


@dataclass
class EligibilityResult:
    membership: object
    agency: object
    award_type: AwardType
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    rule: AwardRule | None = None
    legal_basis: str = ""


@dataclass
class _Check:
    met: bool
    text: str


def _join_years(years: list[int]) -> str:
    words = [str(y) for y in years]
    if len(words) == 1:
        return words[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _percent_text(part: int, whole: int) -> str:
    """A share for display only (one decimal, rounded down); comparisons use integers."""
    tenths = part * 1000 // whole
    return f"{tenths // 10},{tenths % 10}".replace(",0", "")


def _concluded_case(kind: str) -> str:
    """The case as a concluded one is named (not "under inspection" but "the inspection")."""
    names = {
        DisqualificationKind.DISCIPLINE_CONSIDERED: _("the consideration of discipline"),
        DisqualificationKind.INVESTIGATION: _("the investigation"),
        DisqualificationKind.INSPECTION: _("the inspection"),
        DisqualificationKind.EXAMINATION: _("the examination or audit"),
        DisqualificationKind.COMPLAINT: _("the handling of the complaint"),
        DisqualificationKind.DENUNCIATION: _("the handling of the denunciation"),
        DisqualificationKind.PRESS: _("the verification of the press reports"),
    }
    return names.get(kind, _lower_first(str(DisqualificationKind(kind).label)))


def default_considered_on(year: int) -> datetime.date:
    """The date of consideration assumed before the conference has a date."""
    return datetime.date(year + 1, 1, 1)


# -- the pure evaluation -----------------------------------------------------


class Judge:
    """Judges agencies' facts against one rule set's rules, for the year under
    review and the date of consideration. Pure: no database access (the rules
    are passed in, with their award types loaded)."""

    def __init__(
        self,
        *,
        rule_set: RuleSet | None,
        rules: dict[str, AwardRule],
        year: int,
        considered_on: datetime.date,
        award_names: dict[str, str] | None = None,
    ):
        self.rule_set = rule_set
        self.rules = rules
        self.year = year
        self.considered_on = considered_on
        self.award_names = dict(award_names or {})
        for code, rule in rules.items():
            self.award_names.setdefault(code, rule.award_type.name)
        self._cache: dict[tuple[int, str], Verdict] = {}

    @property
    def legal_basis(self) -> str:
        return self.rule_set.legal_basis if self.rule_set is not None else ""

    def name_of(self, code: str) -> str:
        return self.award_names.get(code, code)

    def judge(self, facts: AgencyFacts, code: str, depth: int = 0) -> Verdict:
        key = (id(facts), code)
        if key not in self._cache:
            self._cache[key] = self._judge(facts, code, depth)
        return self._cache[key]

    def _judge(self, facts: AgencyFacts, code: str, depth: int) -> Verdict:
        if self.rule_set is None:
            return Verdict(
                False,
                [
                    _(
                        "Not eligible: no rule set applies to a consideration on %(date)s "
                        "(year %(year)s)."
                    )
                    % {"date": _d(self.considered_on), "year": self.year}
                ],
            )
        rule = self.rules.get(code)
        if rule is None:
            return Verdict(
                False,
                [
                    _("Not eligible: the rule set “%(rule_set)s” has no rule for %(award)s.")
                    % {"rule_set": self.rule_set.name, "award": self.name_of(code)}
                ],
                self.legal_basis,
            )
        checks = self._checks(facts, rule, depth)
        failed = [c for c in checks if not c.met]
        source = _("%(award)s, %(basis)s") % {
            "award": self.name_of(code),
            "basis": self.legal_basis,
        }
        if failed:
            reasons = [
                _("Not eligible: %(reason)s — %(source)s") % {"reason": c.text, "source": source}
                for c in failed
            ]
        elif checks:
            reasons = [
                _("Eligible: %(reason)s — %(source)s") % {"reason": c.text, "source": source}
                for c in checks
            ]
        else:
            reasons = [_("Eligible: the rule sets no condition — %(source)s") % {"source": source}]
        return Verdict(not failed, reasons, self.legal_basis, rule)

    def _checks(self, facts: AgencyFacts, rule: AwardRule, depth: int) -> list[_Check]:
        checks: list[_Check] = []
        checks.extend(self._check_cases(facts, rule))
        for condition in rule.conditions or []:
            checks.append(self._check_condition(facts, condition))
        if rule.prerequisites:
            checks.append(self._check_prerequisites(facts, rule, depth))
        if rule.registration_required:
            checks.append(self._check_registration(facts, rule))
        if rule.min_rank is not None or rule.min_score is not None:
            checks.append(self._check_ranking(facts, rule))
        return checks

    # -- disqualifiers ---------------------------------------------------

    def counts_from(self, facts: AgencyFacts, kinds: set[str]) -> datetime.date | None:
        """The date from which achievements count after imposed disciplines
        (None: no discipline); ``date.max`` while one has no end."""
        found = None
        for case in facts.cases:
            if case.kind != DisqualificationKind.DISCIPLINE or case.kind not in kinds:
                continue
            if case.opened_on > self.considered_on:
                continue
            end = case.closed_on or datetime.date.max
            found = end if found is None else max(found, end)
        return found

    def _year_counts(self, year: int, counts_from: datetime.date | None) -> bool:
        """A year's achievements count when the year starts after the discipline ended."""
        return counts_from is None or datetime.date(year, 1, 1) >= counts_from

    def _check_cases(self, facts: AgencyFacts, rule: AwardRule) -> list[_Check]:
        kinds = set(rule.disqualifying_kinds or [])
        day = self.considered_on
        checks = []
        for case in facts.cases:
            if case.kind not in kinds or case.opened_on > day:
                continue  # not listed by the rule, or not yet opened on the day
            label = _lower_first(str(DisqualificationKind(case.kind).label))
            source = f" ({case.source})" if case.source else ""
            if case.kind == DisqualificationKind.DISSOLVED:
                checks.append(
                    _Check(
                        False,
                        _("the unit was dissolved on %(date)s (Circular 15/2025/TT-BNV)%(source)s")
                        % {"date": _d(case.opened_on), "source": source},
                    )
                )
                continue
            if case.kind == DisqualificationKind.DISCIPLINE:
                if case.closed_on is None or datetime.date(self.year, 1, 1) < case.closed_on:
                    until = _d(case.closed_on) if case.closed_on else _("no end date recorded")
                    checks.append(
                        _Check(
                            False,
                            _(
                                "discipline imposed from %(start)s until %(end)s%(source)s: "
                                "achievements count only from the end of the discipline"
                            )
                            % {"start": _d(case.opened_on), "end": until, "source": source},
                        )
                    )
                continue
            is_open = case.closed_on is None or case.closed_on > day
            if is_open:
                if case.kind in KINDS_NEEDING_SIGNS and not case.signs_of_violation:
                    continue  # a routine inspection does not bar an award
                checks.append(
                    _Check(
                        False,
                        _("%(kind)s since %(date)s%(source)s, not concluded on %(day)s")
                        % {
                            "kind": label,
                            "date": _d(case.opened_on),
                            "source": source,
                            "day": _d(day),
                        },
                    )
                )
                continue
            if case.violation_found:
                concluded = _concluded_case(case.kind)
                years = (
                    {case.year}
                    if case.year is not None
                    else set(range(case.opened_on.year, case.closed_on.year + 1))
                )
                if self.year in years:
                    checks.append(
                        _Check(
                            False,
                            _(
                                "%(kind)s concluded on %(date)s with a violation, for "
                                "%(year)s%(source)s"
                            )
                            % {
                                "kind": concluded,
                                "date": _d(case.closed_on),
                                "year": self.year,
                                "source": source,
                            },
                        )
                    )
        return checks

    # -- conditions (all of) ---------------------------------------------

    def _check_condition(self, facts: AgencyFacts, condition: dict) -> _Check:
        kind = condition.get("type")
        if kind == ConditionType.LED_BLOC:
            return self._check_led(facts)
        staff = facts.staff or Staff()
        if kind in (ConditionType.COMPLETED_SHARE, ConditionType.LDTT_SHARE):
            minimum = int(condition.get("min_percent", 100))
            part_name = "completed" if kind == ConditionType.COMPLETED_SHARE else "ldtt"
            part = getattr(staff, part_name)
            what = (
                _("completed their tasks")
                if part_name == "completed"
                else _("hold “Lao động tiên tiến”")
            )
            if staff.total is None or part is None:
                return _Check(
                    False,
                    _("the number of people who %(what)s is not recorded, needs at least %(min)s%%")
                    % {"what": what, "min": minimum},
                )
            if staff.total == 0:
                return _Check(False, _("the collective has no people recorded"))
            met = part * 100 >= minimum * staff.total
            return _Check(
                met,
                _("%(part)s of %(total)s people %(what)s (%(pct)s%%), needs at least %(min)s%%")
                % {
                    "part": part,
                    "total": staff.total,
                    "what": what,
                    "pct": _percent_text(part, staff.total),
                    "min": minimum,
                },
            )
        if kind == ConditionType.CSTDCS_COUNT:
            minimum = int(condition.get("min", 1))
            if staff.cstdcs is None:
                return _Check(
                    False,
                    _(
                        "the number of “Chiến sĩ thi đua cơ sở” is not recorded, "
                        "needs at least %(min)s"
                    )
                    % {"min": minimum},
                )
            return _Check(
                staff.cstdcs >= minimum,
                _("%(n)s “Chiến sĩ thi đua cơ sở”, needs at least %(min)s")
                % {"n": staff.cstdcs, "min": minimum},
            )
        if kind == ConditionType.DISCIPLINED_MAX:
            maximum = int(condition.get("max", 0))
            if staff.disciplined is None:
                return _Check(
                    False,
                    _("the number of people disciplined at warning or above is not recorded"),
                )
            return _Check(
                staff.disciplined <= maximum,
                _("%(n)s people disciplined at warning or above, at most %(max)s allowed")
                % {"n": staff.disciplined, "max": maximum},
            )
        return _Check(False, _("the rule has an unknown condition “%(kind)s”") % {"kind": kind})

    def _check_led(self, facts: AgencyFacts) -> _Check:
        if facts.led_bloc is not None:
            if facts.led_bloc:
                return _Check(
                    True, _("chosen by the conference as the collective leading the bloc")
                )
            return _Check(False, _("not the collective leading the bloc"))
        if facts.rank is None:
            return _Check(False, _("no ranking result yet, needs to lead the bloc (rank 1)"))
        if facts.rank == 1 and not facts.shared_rank:
            return _Check(True, _("leads the bloc (rank 1 after the tie-breaks)"))
        if facts.rank == 1:
            return _Check(
                False,
                _("shares rank 1 after the tie-breaks: the conference must choose the leader"),
            )
        return _Check(
            False,
            _("ranked %(rank)s, the award goes to the collective leading the bloc (rank 1)")
            % {"rank": facts.rank},
        )

    # -- prerequisites (any of) ------------------------------------------

    def _check_prerequisites(self, facts: AgencyFacts, rule: AwardRule, depth: int) -> _Check:
        outcomes = [self._check_alternative(facts, rule, alt, depth) for alt in rule.prerequisites]
        met = [c for c in outcomes if c.met]
        if met:
            return met[0]
        return _Check(False, _("; or ").join(c.text for c in outcomes))

    def _window(self, alt: dict) -> list[int]:
        years = max(1, int(alt.get("years", 1)))
        end = self.year - int(alt.get("end_offset", 0))
        return list(range(end - years + 1, end + 1))

    @staticmethod
    def _through(used: set[str]) -> str:
        if not used:
            return ""
        return _(" (through its predecessor %(names)s)") % {"names": ", ".join(sorted(used))}

    def _check_served(self, facts: AgencyFacts, rule: AwardRule, window: list[int]):
        counts_from = self.counts_from(facts, set(rule.disqualifying_kinds or []))
        if counts_from is not None and not self._year_counts(window[0], counts_from):
            end = _d(counts_from) if counts_from != datetime.date.max else _("an open discipline")
            return _Check(
                False,
                _(
                    "achievements of %(years)s do not count: they count only from the end of the "
                    "discipline (%(end)s)"
                )
                % {"years": _join_years(window), "end": end},
            )
        return None

    def _check_alternative(self, facts: AgencyFacts, rule: AwardRule, alt: dict, depth: int):
        kind = alt.get("type")
        if kind == PrerequisiteType.RATING:
            minimum = TaskRating(alt.get("min_rating", TaskRating.EXCELLENT))
            window = self._window(alt)
            if len(window) > 1 and (served := self._check_served(facts, rule, window)):
                return served
            used: set[str] = set()
            for year in window:
                value = facts.ratings.get(year)
                if not value:
                    return _Check(
                        False,
                        _("no rating recorded for %(year)s, needs “%(min)s” in %(years)s")
                        % {"year": year, "min": minimum.label, "years": _join_years(window)},
                    )
                rating = TaskRating(value)
                if not rating.at_least(minimum):
                    return _Check(
                        False,
                        _("in %(year)s rated “%(rating)s”, needs “%(min)s” in %(years)s")
                        % {
                            "year": year,
                            "rating": rating.label,
                            "min": minimum.label,
                            "years": _join_years(window),
                        },
                    )
                if year in facts.rating_via:
                    used.add(facts.rating_via[year])
            earlier = (rule.options or {}).get("earlier_award_within_window") or {}
            if len(window) > 1 and earlier.get("value"):
                codes = list(earlier.get("award_types") or [])
                if not any(c in facts.awards.get(y, set()) for y in window for c in codes):
                    return _Check(
                        False,
                        _(
                            "rated “%(min)s” in %(years)s, but the rule also asks for an earlier "
                            "award (%(awards)s) within those years"
                        )
                        % {
                            "min": minimum.label,
                            "years": _join_years(window),
                            "awards": ", ".join(self.name_of(c) for c in codes),
                        },
                    )
            return _Check(
                True,
                _("rated “%(min)s” or better in %(years)s%(through)s")
                % {
                    "min": minimum.label,
                    "years": _join_years(window),
                    "through": self._through(used),
                },
            )
        if kind == PrerequisiteType.AWARD:
            code = alt.get("award_type", "")
            if code not in self.award_names:
                return _Check(
                    False, _("the rule names an unknown award “%(code)s”") % {"code": code}
                )
            window = self._window(alt)
            if served := self._check_served(facts, rule, window):
                return served
            used = set()
            for year in window:
                if (
                    year == self.year
                    and alt.get("this_year_standard")
                    and code not in facts.awards.get(year, set())
                    and self.judge(facts, code, depth + 1).eligible
                ):
                    continue  # this year's title is decided with this one: its standard counts
                if code not in facts.awards.get(year, set()):
                    return _Check(
                        False,
                        _("did not receive “%(award)s” for %(year)s, needs it for %(years)s")
                        % {"award": self.name_of(code), "year": year, "years": _join_years(window)},
                    )
                if (year, code) in facts.award_via:
                    used.add(facts.award_via[(year, code)])
            return _Check(
                True,
                _("received “%(award)s” for %(years)s%(through)s")
                % {
                    "award": self.name_of(code),
                    "years": _join_years(window),
                    "through": self._through(used),
                },
            )
        if kind == PrerequisiteType.ELIGIBLE_FOR:
            code = alt.get("award_type", "")
            if code not in self.award_names or depth > 3:
                return _Check(
                    False, _("the rule names an unknown award “%(code)s”") % {"code": code}
                )
            other = self.judge(facts, code, depth + 1)
            if other.eligible:
                return _Check(
                    True, _("meets the standard of “%(award)s”") % {"award": self.name_of(code)}
                )
            return _Check(
                False,
                _("does not meet the standard of “%(award)s”") % {"award": self.name_of(code)},
            )
        if kind == PrerequisiteType.FACT:
            fact = alt.get("fact", "")
            label = (
                _lower_first(str(AchievementFact(fact).label))
                if fact in AchievementFact.values
                else fact
            )
            evidence = facts.achievements.get(fact, "")
            if evidence:
                return _Check(
                    True,
                    _("%(fact)s in %(year)s (%(evidence)s)")
                    % {"fact": label, "year": self.year, "evidence": evidence},
                )
            return _Check(
                False, _("no record of: %(fact)s in %(year)s") % {"fact": label, "year": self.year}
            )
        return _Check(False, _("the rule has an unknown prerequisite “%(kind)s”") % {"kind": kind})

    def _check_registration(self, facts: AgencyFacts, rule: AwardRule) -> _Check:
        if rule.award_type.code in facts.registered:
            return _Check(True, _("registered for this award"))
        return _Check(False, _("did not register for this award"))

    def _check_ranking(self, facts: AgencyFacts, rule: AwardRule) -> _Check:
        needs = []
        if rule.min_rank is not None:
            needs.append(_("rank %(rank)s or better") % {"rank": rule.min_rank})
        if rule.min_score is not None:
            needs.append(_("a score of at least %(score)s") % {"score": rule.min_score})
        need_text = _(" and ").join(needs)
        if facts.rank is None:
            return _Check(False, _("no ranking result yet, needs %(need)s") % {"need": need_text})
        ok = (rule.min_rank is None or facts.rank <= rule.min_rank) and (
            rule.min_score is None or Decimal(facts.total or 0) >= rule.min_score
        )
        text = _("ranked %(rank)s with %(total)s points, needs %(need)s") % {
            "rank": facts.rank,
            "total": facts.total,
            "need": need_text,
        }
        return _Check(ok, text)


def judge_agency(
    facts: AgencyFacts,
    *,
    rule_set: RuleSet | None,
    rules: dict[str, AwardRule],
    year: int,
    considered_on: datetime.date,
    codes=WHAT_IF_CODES,
    award_names: dict[str, str] | None = None,
) -> dict[str, Verdict]:
    """Judge one agency's facts for every award code in ``codes``: pure, no query.

    ``rules`` maps award codes to the rule set's rules (their award types loaded).
    """
    judge = Judge(
        rule_set=rule_set,
        rules=rules,
        year=year,
        considered_on=considered_on,
        award_names=award_names,
    )
    return {code: judge.judge(facts, code) for code in codes}


def load_rules(
    *,
    province_id: int | None,
    year: int,
    considered_on: datetime.date,
    submitted_on: datetime.date | None = None,
) -> tuple[RuleSet | None, dict[str, AwardRule]]:
    """The rule set that applies and its rules by award code (reads only, two queries)."""
    rule_set = choose_rule_set(
        rule_sets_in_scope(province_id),
        considered_on=considered_on,
        year=year,
        submitted_on=submitted_on,
    )
    if rule_set is None:
        return None, {}
    rules = {r.award_type.code: r for r in rule_set.rules.select_related("award_type", "quota_of")}
    return rule_set, rules


# -- the bloc-year loaders ---------------------------------------------------


def considered_on_for(bloc_year) -> datetime.date:
    """The bloc's date of consideration: its conference (earliest meeting)
    date, else 1 January of the next year."""
    day = (
        Meeting.objects.filter(bloc_year=bloc_year).order_by("date").values_list("date", flat=True)
    ).first()
    return day or default_considered_on(bloc_year.year.year)


class _Context:
    """What the engine needs for bloc-years of one province and year, loaded
    once for them all (a fixed number of queries, whatever the number of
    bloc-years or members). Without ``considered_on`` the date of
    consideration is the first bloc-year's (its conference)."""

    def __init__(self, bloc_years, considered_on=None, submitted_on=None):
        first = bloc_years[0]
        self.year: int = first.year.year
        self.considered_on = considered_on or considered_on_for(first)
        self.rule_set, rules = load_rules(
            province_id=first.bloc.province_id,
            year=self.year,
            considered_on=self.considered_on,
            submitted_on=submitted_on,
        )
        self.rules: dict[int, AwardRule] = {r.award_type_id: r for r in rules.values()}
        self.types_by_code: dict[str, AwardType] = {t.code: t for t in AwardType.objects.all()}
        self.judge = Judge(
            rule_set=self.rule_set,
            rules=rules,
            year=self.year,
            considered_on=self.considered_on,
            award_names={c: t.name for c, t in self.types_by_code.items()},
        )
        ids = [by.pk for by in bloc_years]
        self.memberships = list(
            Membership.objects.filter(bloc_year_id__in=ids)
            .select_related("agency")
            .order_by("bloc_year_id", "rotation_order", "agency__name")
        )
        agency_ids = [m.agency_id for m in self.memberships]
        self.predecessors = predecessors_map(agency_ids)
        all_ids = set(agency_ids).union(*self.predecessors.values()) if agency_ids else set()
        pred_ids = set().union(*self.predecessors.values()) if agency_ids else set()
        self.agency_names = {
            a.pk: a.display_name for a in Agency.objects.filter(pk__in=sorted(pred_ids))
        }
        span = self._history_span()
        self.facts = facts_by_agency_year(
            agency_ids=all_ids, first_year=self.year - span, last_year=self.year
        )
        self.awards = merit_awards_by_agency_year(
            agency_ids=all_ids, first_year=self.year - span, last_year=self.year
        )
        self.disqualifications = disqualifications_by_agency(
            agency_ids=agency_ids, on=self.considered_on
        )
        self.registrations = registered_award_types_of(bloc_year_ids=ids)
        self.ranking = {
            row.membership.pk: row for rows in rankings_for(ids).values() for row in rows
        }
        self.leading = dict(
            LeadingChoice.objects.filter(bloc_year_id__in=ids).values_list(
                "bloc_year_id", "membership_id"
            )
        )
        codes_by_id = {t.pk: c for c, t in self.types_by_code.items()}
        self.agency_facts = {m.pk: self._agency_facts(m, codes_by_id) for m in self.memberships}

    def memberships_of(self, bloc_year_id: int) -> list:
        return [m for m in self.memberships if m.bloc_year_id == bloc_year_id]

    def _history_span(self) -> int:
        span = 1
        for rule in self.rules.values():
            for alt in rule.prerequisites or []:
                span = max(span, int(alt.get("years", 1)) + int(alt.get("end_offset", 0)))
        return span

    def _agency_facts(self, membership, codes_by_id) -> AgencyFacts:
        agency_id = membership.agency_id
        preds = sorted(self.predecessors.get(agency_id, ()))
        facts = AgencyFacts(name=membership.agency.display_name)
        for year in range(self.year - self._history_span(), self.year + 1):
            own = self.facts.get((agency_id, year))
            if own is not None and own.rating:
                facts.ratings[year] = own.rating
            else:
                best = None
                for pred in preds:
                    fact = self.facts.get((pred, year))
                    if fact is not None and fact.rating:
                        rating = TaskRating(fact.rating)
                        if best is None or rating.at_least(best[0]):
                            best = (rating, pred)
                if best is not None:
                    facts.ratings[year] = best[0].value
                    facts.rating_via[year] = self.agency_names.get(best[1], str(best[1]))
            held = {codes_by_id[t] for t in self.awards.get((agency_id, year), ())}
            for pred in preds:
                for type_id in self.awards.get((pred, year), ()):
                    code = codes_by_id[type_id]
                    if code not in held:
                        held.add(code)
                        facts.award_via[(year, code)] = self.agency_names.get(pred, str(pred))
            if held:
                facts.awards[year] = held
        current = self.facts.get((agency_id, self.year))
        if current is not None:
            facts.staff = Staff(**current.staff())
            facts.achievements = {
                fact: getattr(current, fact)
                for fact in AchievementFact.values
                if getattr(current, fact)
            }
        row = self.ranking.get(membership.pk)
        if row is not None:
            facts.rank, facts.shared_rank, facts.total = row.rank, row.shared_rank, row.total
        leading = self.leading.get(membership.bloc_year_id)
        if leading is not None:
            facts.led_bloc = membership.pk == leading
        registered = self.registrations.get(membership.bloc_year_id, {}).get(agency_id, set())
        facts.registered = {codes_by_id[t] for t in registered if t in codes_by_id}
        facts.cases = [
            Case(
                kind=d.kind,
                opened_on=d.started_on,
                closed_on=d.ended_on,
                signs_of_violation=d.signs_of_violation,
                violation_found=d.violation_found,
                year=d.year,
                source=d.source_document,
            )
            for d in self.disqualifications.get(agency_id, [])
        ]
        return facts

    def quota(self, award_type: AwardType) -> int | None:
        """The quota of ``award_type`` in a context of one bloc-year."""
        rule = self.rules.get(award_type.pk)
        if rule is None:
            return None
        if rule.quota_of_id is not None:
            base = sum(1 for m in self.memberships if self.evaluate(m, rule.quota_of).eligible)
        else:
            base = len(self.memberships)
        return rule.quota_for(base)

    def leaders(self, memberships, award_type: AwardType) -> list[EligibilityResult]:
        found = []
        for membership in memberships:
            facts = self.agency_facts[membership.pk]
            leads = facts.led_bloc if facts.led_bloc is not None else facts.rank == 1
            if leads:
                found.append(self.evaluate(membership, award_type))
        return found

    def evaluate(self, membership, award_type: AwardType) -> EligibilityResult:
        verdict = self.judge.judge(self.agency_facts[membership.pk], award_type.code)
        return EligibilityResult(
            membership=membership,
            agency=membership.agency,
            award_type=award_type,
            eligible=verdict.eligible,
            reasons=verdict.reasons,
            rule=verdict.rule,
            legal_basis=verdict.legal_basis,
        )


def facts_of_members(*, bloc_year, considered_on=None) -> dict[int, AgencyFacts]:
    """The members' facts as the engine sees them, by membership id (for the what-if)."""
    return _Context([bloc_year], considered_on).agency_facts


def evaluate(
    *, bloc_year, award_type: AwardType, considered_on=None, submitted_on=None
) -> list[EligibilityResult]:
    """Every member of the bloc-year, eligible or not for ``award_type``, with reasons.

    ``considered_on``: the date of consideration (default: the bloc's
    conference date); ``submitted_on``: the dossier's submission date, for
    the transitional rule of the rule set (the council's consideration)."""
    context = _Context([bloc_year], considered_on, submitted_on)
    return [context.evaluate(m, award_type) for m in context.memberships]


def leading_members_of(
    *, bloc_years, award_type: AwardType, considered_on: datetime.date
) -> dict[int, list]:
    """The members leading each bloc-year — the conference's choice, else rank
    1 after the tie-breaks (several while a shared first rank is not settled) —
    with their verdicts for ``award_type`` (EligibilityResult), by bloc-year id.
    The bloc-years are of one province and year, judged on one date (the
    council's), with one load of the engine."""
    if not bloc_years:
        return {}
    context = _Context(bloc_years, considered_on)
    return {by.pk: context.leaders(context.memberships_of(by.pk), award_type) for by in bloc_years}


def eligible_memberships(*, bloc_year, award_type: AwardType, considered_on=None) -> list:
    return [
        r.membership
        for r in evaluate(bloc_year=bloc_year, award_type=award_type, considered_on=considered_on)
        if r.eligible
    ]


@dataclass
class Matrix:
    rule_set: RuleSet | None
    award_types: list[AwardType]
    memberships: list
    cells: dict[tuple[int, int], EligibilityResult]
    quotas: dict[int, int | None] = field(default_factory=dict)
    considered_on: datetime.date | None = None

    def rows(self):
        """[(membership, [result per award type])]."""
        return [(m, [self.cells[(m.pk, t.pk)] for t in self.award_types]) for m in self.memberships]


def matrix(*, bloc_year, award_types: list[AwardType] | None = None, considered_on=None) -> Matrix:
    """Members × award types (the rule set's collective awards by default)."""
    context = _Context([bloc_year], considered_on)
    if award_types is None:
        award_types = sorted(
            (r.award_type for r in context.rules.values() if r.award_type.is_active),
            key=lambda t: (t.order, t.pk),
        )
    cells = {(m.pk, t.pk): context.evaluate(m, t) for m in context.memberships for t in award_types}
    return Matrix(
        context.rule_set,
        award_types,
        context.memberships,
        cells,
        {t.pk: context.quota(t) for t in award_types},
        context.considered_on,
    )


def quotas(*, bloc_year, considered_on=None) -> dict[AwardType, int]:
    """The quota of every award type whose rule in the bloc-year's rule set
    sets one, with one load of the engine."""
    context = _Context([bloc_year], considered_on)
    found = {rule.award_type: context.quota(rule.award_type) for rule in context.rules.values()}
    return {award_type: q for award_type, q in found.items() if q is not None}


def quota(*, bloc_year, award_type: AwardType, considered_on=None) -> int | None:
    """How many members of the bloc-year may be proposed for ``award_type``.

    A fixed number, or a percentage of the members — or of those eligible for
    another award (``quota_of``) where a province's rule says so. None = no
    quota (or no rule): the national defaults set none for the Government
    flag, which the council chooses province-wide among the blocs' leaders.
    """
    return _Context([bloc_year], considered_on).quota(award_type)


def exclusion_conflicts(*, bloc_year, items, considered_on=None) -> list[str]:
    """One achievement, one form (Law Art. 5): the reasons why ``items``
    ((agency, award_type) pairs proposed for the bloc-year) break an exclusion
    the rule set declares — two excluded awards proposed for one agency, or
    one proposed while the agency already holds the other for the same year.
    Empty: no conflict."""
    year = bloc_year.year.year
    day = considered_on or considered_on_for(bloc_year)
    rule_set, rules = load_rules(
        province_id=bloc_year.bloc.province_id, year=year, considered_on=day
    )
    if rule_set is None:
        return []
    proposed: dict[int, tuple[object, set[str]]] = {}
    for agency, award_type in items:
        proposed.setdefault(agency.pk, (agency, set()))[1].add(award_type.code)
    held: dict[int, set[str]] = {}
    for agency_id, code in AwardRecord.objects.filter(
        agency_id__in=list(proposed), year=year, one_off=False
    ).values_list("agency_id", "award_type__code"):
        held.setdefault(agency_id, set()).add(code)
    names = {code: rule.award_type.name for code, rule in rules.items()}
    names.update(
        AwardType.objects.filter(
            code__in=[x for rule in rules.values() for x in rule.excludes or []]
        ).values_list("code", "name")
    )
    reasons, seen = [], set()
    for agency_id, (agency, codes) in sorted(proposed.items()):
        for code in sorted(codes):
            for other in (rules[code].excludes or []) if code in rules else []:
                if other not in codes and other not in held.get(agency_id, set()):
                    continue
                key = (agency_id, *sorted((code, other)))
                if key in seen:
                    continue
                seen.add(key)
                reasons.append(
                    _(
                        "%(agency)s: “%(award)s” and “%(other)s” cannot both be given for the "
                        "achievements of %(year)s (one achievement, one form — Law Art. 5; "
                        "%(basis)s)%(held)s."
                    )
                    % {
                        "agency": agency.display_name,
                        "award": names.get(code, code),
                        "other": names.get(other, other),
                        "year": year,
                        "basis": rule_set.legal_basis,
                        "held": _(": it already holds the latter") if other not in codes else "",
                    }
                )
    return reasons
