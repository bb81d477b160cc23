"""The path to the next award, for an agency's profile: for every award the
agency does not meet in its latest bloc-year, the engine's reasons, what is
missing and the first year it could be met.

The verdicts and reasons come from the eligibility engine (``matrix``). The
engine says *why not*; it does not say *how many more years*. That part is
computed here from the rule's alternatives over consecutive years (ratings
and awards, following lineage): each year not yet recorded is assumed to
go well, and the first year whose window is then complete is the answer.
Conditions that are not about years (registration, rank, composition,
disqualification) are left to the engine's reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awards.eligibility import matrix
from awards.enums import PrerequisiteType, TaskRating
from awards.models import AgencyYearFact, AwardRecord, AwardType
from blocs.models import Membership
from blocs.selectors import lineage_ids, registered_award_type_ids


@dataclass
class Step:
    """One way to reach the award: what is missing, and from which year."""

    text: str
    year: int | None


@dataclass
class NextAward:
    """``steps``: the rule's alternatives, one of which is enough;
    ``conditions``: what must hold besides (registration)."""

    award_type: AwardType
    reasons: list[str]
    steps: list[Step] = field(default_factory=list)
    conditions: list[Step] = field(default_factory=list)

    @property
    def first_year(self) -> int | None:
        alternatives = [s.year for s in self.steps if s.year is not None]
        years = [min(alternatives)] if alternatives else []
        years += [s.year for s in self.conditions if s.year is not None]
        return max(years) if years else None


@dataclass
class Path:
    year: int
    bloc_name: str
    eligible: list[AwardType]
    next_awards: list[NextAward]


def first_year_met(
    *, met: dict[int, bool], years: int, end_offset: int, from_year: int
) -> tuple[int, int]:
    """(the first year ≥ ``from_year`` whose window of ``years`` consecutive
    years ending ``end_offset`` years before it is all met, how many years in
    that window are still to come). ``met`` gives the recorded years; a year
    after the last recorded one (and not before ``from_year - end_offset``)
    is assumed met; a past year without a record is not."""
    last_known = max(met, default=from_year - end_offset - 1)
    horizon = max(last_known, from_year - end_offset - 1)
    year = from_year
    while True:
        window = range(year - end_offset - years + 1, year - end_offset + 1)
        if all(met.get(y, y > horizon) for y in window):
            return year, sum(1 for y in window if y > horizon)
        year += 1


def _rating_step(alt: dict, ratings: dict[int, TaskRating], from_year: int) -> Step:
    minimum = TaskRating(alt.get("min_rating", TaskRating.EXCELLENT))
    years = max(1, int(alt.get("years", 1)))
    offset = int(alt.get("end_offset", 0))
    met = {y: r.at_least(minimum) for y, r in ratings.items()}
    year, more = first_year_met(met=met, years=years, end_offset=offset, from_year=from_year)
    label = str(minimum.label)
    label = label[:1].lower() + label[1:]
    if more == 0:
        return Step(_("rated “%(min)s” in the years needed") % {"min": label}, year)
    return Step(
        ngettext(
            "%(n)s more year %(min)s (%(year)s)",
            "%(n)s more years %(min)s (%(year)s)",
            more,
        )
        % {"n": more, "min": label, "year": year},
        year,
    )


def _award_step(alt: dict, awards: dict[int, set[int]], types, from_year: int) -> Step | None:
    award = types.get(alt.get("award_type", ""))
    if award is None:
        return None
    years = max(1, int(alt.get("years", 1)))
    offset = int(alt.get("end_offset", 0))
    met = {y: award.pk in received for y, received in awards.items()}
    year, more = first_year_met(met=met, years=years, end_offset=offset, from_year=from_year)
    if more == 0:
        return Step(_("received “%(award)s” in the years needed") % {"award": award.name}, year)
    return Step(
        ngettext(
            "%(n)s more year with “%(award)s” (%(year)s)",
            "%(n)s more years with “%(award)s” (%(year)s)",
            more,
        )
        % {"n": more, "award": award.name, "year": year},
        year,
    )


def _steps(rule, ratings, awards, types, from_year: int) -> list[Step]:
    """One step per alternative of the rule that counts years; the others
    (a recorded achievement, another award's standard) by name only."""
    steps = []
    for alt in (getattr(rule, "prerequisites", None) or []) if rule is not None else []:
        kind = alt.get("type")
        if kind == PrerequisiteType.RATING:
            steps.append(_rating_step(alt, ratings, from_year))
        elif kind == PrerequisiteType.AWARD:
            step = _award_step(alt, awards, types, from_year)
            if step is not None:
                steps.append(step)
        elif kind == PrerequisiteType.ELIGIBLE_FOR and alt.get("award_type") in types:
            steps.append(
                Step(
                    _("meet the standard of “%(award)s”")
                    % {"award": types[alt["award_type"]].name},
                    None,
                )
            )
    return steps


def path_to_next_awards(agency) -> Path | None:
    """The path from the agency's latest bloc-year; None if it is in none."""
    membership = (
        Membership.objects.filter(agency=agency)
        .select_related("bloc_year__bloc", "bloc_year__year")
        .order_by("-bloc_year__year__year")
        .first()
    )
    if membership is None:
        return None
    bloc_year = membership.bloc_year
    year = bloc_year.year.year
    result = matrix(bloc_year=bloc_year)
    ids = set(lineage_ids(agency)) | {agency.pk}
    ratings = {
        y: TaskRating(r)
        for y, r in AgencyYearFact.objects.filter(agency_id__in=ids)
        .exclude(rating="")
        .order_by("year", "-agency_id")
        .values_list("year", "rating")
    }
    awards: dict[int, set[int]] = {}
    for y, type_id in AwardRecord.objects.filter(agency_id__in=ids, one_off=False).values_list(
        "year", "award_type_id"
    ):
        awards.setdefault(y, set()).add(type_id)
    types = {t.code: t for t in AwardType.objects.all()}
    registered = registered_award_type_ids(bloc_year=bloc_year).get(agency.pk, set())
    eligible, missing = [], []
    for award_type in result.award_types:
        cell = result.cells[(membership.pk, award_type.pk)]
        if cell.eligible:
            eligible.append(award_type)
            continue
        rule = getattr(cell, "rule", None)
        steps = _steps(rule, ratings, awards, types, year)
        conditions = []
        if getattr(rule, "registration_required", False) and award_type.pk not in registered:
            # Registration is made at the start of the year: the next one, then.
            conditions.append(
                Step(_("register for it at the start of %(year)s") % {"year": year + 1}, year + 1)
            )
        missing.append(NextAward(award_type, list(cell.reasons), steps, conditions))
    return Path(year, bloc_year.bloc.name, eligible, missing)
