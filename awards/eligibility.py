"""The eligibility engine: for a bloc-year and an award type, every member
eligible yes/no with the reasons, in Vietnamese, naming the rule, its legal
basis and the facts used.

Everything is loaded up front in a fixed number of queries per bloc-year
(rule set, rules, memberships, lineage, facts, disqualifications, awards,
registrations, ranking), then evaluated in Python: no query per member.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from awards.enums import PrerequisiteType, TaskRating
from awards.models import AwardRule, AwardType, RuleSet
from awards.selectors.facts import (
    disqualifications_by_agency,
    facts_by_agency_year,
    merit_awards_by_agency_year,
    predecessors_map,
)
from awards.selectors.rules import rule_set_for
from blocs.models import Agency
from blocs.selectors import ranking_for, registered_award_type_ids


@dataclass
class EligibilityResult:
    membership: object
    agency: object
    award_type: AwardType
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    rule: AwardRule | None = None


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


class _Context:
    """What the engine needs for one bloc-year, loaded once."""

    def __init__(self, bloc_year):
        self.bloc_year = bloc_year
        self.year: int = bloc_year.year.year
        self.rule_set: RuleSet | None = rule_set_for(
            year=self.year, province_id=bloc_year.bloc.province_id
        )
        self.rules: dict[int, AwardRule] = {}
        self.types_by_code: dict[str, AwardType] = {t.code: t for t in AwardType.objects.all()}
        if self.rule_set is not None:
            for rule in self.rule_set.rules.select_related("award_type", "quota_of"):
                self.rules[rule.award_type_id] = rule
        self.memberships = list(
            bloc_year.memberships.select_related("agency").order_by(
                "rotation_order", "agency__name"
            )
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
        self.disqualifications = disqualifications_by_agency(agency_ids=agency_ids, year=self.year)
        self.registrations = self._registrations()
        self.ranking = self._ranking()
        self._cache: dict[tuple[int, int], EligibilityResult] = {}

    def _history_span(self) -> int:
        span = 1
        for rule in self.rules.values():
            for alt in rule.prerequisites or []:
                span = max(span, int(alt.get("years", 1)) + int(alt.get("end_offset", 0)))
        return span

    def _registrations(self) -> dict[int, set[int]]:
        return registered_award_type_ids(bloc_year=self.bloc_year)

    def _ranking(self) -> dict[int, object] | None:
        rows = list(ranking_for(self.bloc_year))
        return {row.membership.pk: row for row in rows} or None

    def quota(self, award_type: AwardType) -> int | None:
        rule = self.rules.get(award_type.pk)
        if rule is None:
            return None
        if rule.quota_of_id is not None:
            base = sum(1 for m in self.memberships if self.evaluate(m, rule.quota_of).eligible)
        else:
            base = len(self.memberships)
        return rule.quota_for(base)

    # -- evaluation ------------------------------------------------------

    def evaluate(self, membership, award_type: AwardType, depth: int = 0) -> EligibilityResult:
        key = (membership.pk, award_type.pk)
        if key not in self._cache:
            self._cache[key] = self._evaluate(membership, award_type, depth)
        return self._cache[key]

    def _evaluate(self, membership, award_type: AwardType, depth: int) -> EligibilityResult:
        result = EligibilityResult(
            membership=membership, agency=membership.agency, award_type=award_type, eligible=False
        )
        if self.rule_set is None:
            result.reasons = [
                _("Not eligible: no rule set covers the year %(year)s.") % {"year": self.year}
            ]
            return result
        rule = self.rules.get(award_type.pk)
        result.rule = rule
        if rule is None:
            result.reasons = [
                _("Not eligible: the rule set “%(rule_set)s” has no rule for %(award)s.")
                % {"rule_set": self.rule_set.name, "award": award_type.name}
            ]
            return result
        checks = self._checks(membership, rule, depth)
        failed = [c for c in checks if not c.met]
        result.eligible = not failed
        source = _("%(award)s, %(basis)s") % {
            "award": award_type.name,
            "basis": self.rule_set.legal_basis,
        }
        if failed:
            result.reasons = [
                _("Not eligible: %(reason)s — %(source)s") % {"reason": c.text, "source": source}
                for c in failed
            ]
        elif checks:
            result.reasons = [
                _("Eligible: %(reason)s — %(source)s") % {"reason": c.text, "source": source}
                for c in checks
            ]
        else:
            result.reasons = [
                _("Eligible: the rule sets no condition — %(source)s") % {"source": source}
            ]
        return result

    def _checks(self, membership, rule: AwardRule, depth: int) -> list[_Check]:
        checks: list[_Check] = []
        checks.extend(self._check_disqualifications(membership, rule))
        if rule.prerequisites:
            checks.append(self._check_prerequisites(membership, rule, depth))
        if rule.registration_required:
            checks.append(self._check_registration(membership, rule))
        if rule.min_rank is not None or rule.min_score is not None:
            checks.append(self._check_ranking(membership, rule))
        return checks

    def _check_disqualifications(self, membership, rule: AwardRule) -> list[_Check]:
        kinds = set(rule.disqualifying_kinds or [])
        checks = []
        for d in self.disqualifications.get(membership.agency_id, []):
            if d.kind not in kinds or d.ended_on is not None:
                continue  # not listed by the rule, or closed (resolved) since
            checks.append(
                _Check(
                    False,
                    _("%(kind)s since %(date)s (%(source)s)")
                    % {
                        "kind": _lower_first(str(d.get_kind_display())),
                        "date": d.started_on.strftime("%d/%m/%Y"),
                        "source": d.source_document,
                    },
                )
            )
        return checks

    def _check_prerequisites(self, membership, rule: AwardRule, depth: int) -> _Check:
        outcomes = [self._check_alternative(membership, alt, depth) for alt in rule.prerequisites]
        met = [c for c in outcomes if c.met]
        if met:
            return met[0]
        return _Check(False, _("; or ").join(c.text for c in outcomes))

    def _window(self, alt: dict) -> list[int]:
        years = max(1, int(alt.get("years", 1)))
        end = self.year - int(alt.get("end_offset", 0))
        return list(range(end - years + 1, end + 1))

    def _through(self, used: set[int]) -> str:
        if not used:
            return ""
        names = ", ".join(sorted(self.agency_names.get(pk, str(pk)) for pk in used))
        return _(" (through its predecessor %(names)s)") % {"names": names}

    def _rating_in(self, agency_id: int, year: int) -> tuple[TaskRating | None, int | None]:
        fact = self.facts.get((agency_id, year))
        if fact is not None and fact.rating:
            return TaskRating(fact.rating), None
        best: tuple[TaskRating | None, int | None] = (None, None)
        for pred in self.predecessors.get(agency_id, ()):
            fact = self.facts.get((pred, year))
            if fact is not None and fact.rating:
                rating = TaskRating(fact.rating)
                if best[0] is None or rating.at_least(best[0]):
                    best = (rating, pred)
        return best

    def _check_alternative(self, membership, alt: dict, depth: int) -> _Check:
        kind = alt.get("type")
        agency_id = membership.agency_id
        if kind == PrerequisiteType.RATING:
            minimum = TaskRating(alt.get("min_rating", TaskRating.EXCELLENT))
            window = self._window(alt)
            used: set[int] = set()
            for year in window:
                rating, via = self._rating_in(agency_id, year)
                if rating is None:
                    return _Check(
                        False,
                        _("no rating recorded for %(year)s, needs “%(min)s” in %(years)s")
                        % {"year": year, "min": minimum.label, "years": _join_years(window)},
                    )
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
                if via is not None:
                    used.add(via)
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
            award = self.types_by_code.get(alt.get("award_type", ""))
            if award is None:
                return _Check(
                    False,
                    _("the rule names an unknown award “%(code)s”")
                    % {"code": alt.get("award_type", "")},
                )
            window = self._window(alt)
            used = set()
            for year in window:
                if award.pk in self.awards.get((agency_id, year), set()):
                    continue
                via = [
                    p
                    for p in self.predecessors.get(agency_id, ())
                    if award.pk in self.awards.get((p, year), set())
                ]
                if not via:
                    return _Check(
                        False,
                        _("did not receive “%(award)s” for %(year)s, needs it for %(years)s")
                        % {"award": award.name, "year": year, "years": _join_years(window)},
                    )
                used.add(via[0])
            return _Check(
                True,
                _("received “%(award)s” for %(years)s%(through)s")
                % {
                    "award": award.name,
                    "years": _join_years(window),
                    "through": self._through(used),
                },
            )
        if kind == PrerequisiteType.ELIGIBLE_FOR:
            award = self.types_by_code.get(alt.get("award_type", ""))
            if award is None or depth > 3:
                return _Check(
                    False,
                    _("the rule names an unknown award “%(code)s”")
                    % {"code": alt.get("award_type", "")},
                )
            other = self.evaluate(membership, award, depth + 1)
            if other.eligible:
                return _Check(True, _("meets the standard of “%(award)s”") % {"award": award.name})
            return _Check(
                False, _("does not meet the standard of “%(award)s”") % {"award": award.name}
            )
        return _Check(False, _("the rule has an unknown prerequisite “%(kind)s”") % {"kind": kind})

    def _check_registration(self, membership, rule: AwardRule) -> _Check:
        if rule.award_type_id in self.registrations.get(membership.agency_id, set()):
            return _Check(True, _("registered for this award"))
        return _Check(False, _("did not register for this award"))

    def _check_ranking(self, membership, rule: AwardRule) -> _Check:
        needs = []
        if rule.min_rank is not None:
            needs.append(_("rank %(rank)s or better") % {"rank": rule.min_rank})
        if rule.min_score is not None:
            needs.append(_("a score of at least %(score)s") % {"score": rule.min_score})
        need_text = _(" and ").join(needs)
        row = (self.ranking or {}).get(membership.pk)
        if row is None:
            return _Check(False, _("no ranking result yet, needs %(need)s") % {"need": need_text})
        ok = (rule.min_rank is None or row.rank <= rule.min_rank) and (
            rule.min_score is None or Decimal(row.total) >= rule.min_score
        )
        text = _("ranked %(rank)s with %(total)s points, needs %(need)s") % {
            "rank": row.rank,
            "total": row.total,
            "need": need_text,
        }
        return _Check(ok, text)


def evaluate(*, bloc_year, award_type: AwardType) -> list[EligibilityResult]:
    """Every member of the bloc-year, eligible or not for ``award_type``, with reasons."""
    context = _Context(bloc_year)
    return [context.evaluate(m, award_type) for m in context.memberships]


def eligible_memberships(*, bloc_year, award_type: AwardType) -> list:
    return [
        r.membership for r in evaluate(bloc_year=bloc_year, award_type=award_type) if r.eligible
    ]


@dataclass
class Matrix:
    rule_set: RuleSet | None
    award_types: list[AwardType]
    memberships: list
    cells: dict[tuple[int, int], EligibilityResult]
    quotas: dict[int, int | None] = field(default_factory=dict)

    def rows(self):
        """[(membership, [result per award type])]."""
        return [(m, [self.cells[(m.pk, t.pk)] for t in self.award_types]) for m in self.memberships]


def matrix(*, bloc_year, award_types: list[AwardType] | None = None) -> Matrix:
    """Members × award types (the rule set's collective awards by default)."""
    context = _Context(bloc_year)
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
    )


def quotas(*, bloc_year) -> dict[AwardType, int]:
    """The quota of every award type whose rule in the bloc-year's rule set
    sets one, with one load of the engine."""
    context = _Context(bloc_year)
    found = {rule.award_type: context.quota(rule.award_type) for rule in context.rules.values()}
    return {award_type: q for award_type, q in found.items() if q is not None}


def quota(*, bloc_year, award_type: AwardType) -> int | None:
    """How many members of the bloc-year may be proposed for ``award_type``.

    A percentage counted on those eligible for another award (``quota_of``,
    e.g. the Government flag: ≤ 20% of those meeting the provincial-flag
    standard) counts them with the engine; otherwise on the members.
    None = no quota (or no rule).
    """
    return _Context(bloc_year).quota(award_type)
