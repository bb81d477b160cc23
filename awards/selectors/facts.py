"""Reads of facts: ratings, women share, disqualifications, award history."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from awards.models import AgencyYearFact, AwardRecord, Disqualification
from blocs.models import AgencyLineage


def women_share_by_agency(*, agency_ids, year: int) -> dict[int, Decimal]:
    """Percent of women staff (0–100) per agency for a year (absent: no figure)."""
    return dict(
        AgencyYearFact.objects.filter(
            agency_id__in=list(agency_ids), year=year, women_percent__isnull=False
        ).values_list("agency_id", "women_percent")
    )


def predecessors_map(agency_ids) -> dict[int, set[int]]:
    """For each agency, the ids of its predecessors (transitively, itself excluded).

    One query for all the lineage links, whatever the number of agencies.
    """

    by_successor: dict[int, list[int]] = defaultdict(list)
    for pred, succ in AgencyLineage.objects.values_list("predecessor_id", "successor_id"):
        by_successor[succ].append(pred)
    result: dict[int, set[int]] = {}
    for agency_id in agency_ids:
        found: set[int] = set()
        stack = [agency_id]
        while stack:
            for pred in by_successor.get(stack.pop(), []):
                if pred not in found and pred != agency_id:
                    found.add(pred)
                    stack.append(pred)
        result[agency_id] = found
    return result


def facts_by_agency_year(*, agency_ids, first_year: int, last_year: int):
    """{(agency_id, year): AgencyYearFact} in one query."""
    return {
        (f.agency_id, f.year): f
        for f in AgencyYearFact.objects.filter(
            agency_id__in=list(agency_ids), year__gte=first_year, year__lte=last_year
        )
    }


def disqualifications_by_agency(*, agency_ids, on) -> dict[int, list[Disqualification]]:
    """The agencies' disqualifying cases opened on or before the date ``on``
    (the date of consideration), whatever their year, in one query."""
    result: dict[int, list[Disqualification]] = defaultdict(list)
    for d in Disqualification.objects.filter(
        agency_id__in=list(agency_ids), started_on__lte=on
    ).order_by("started_on", "id"):
        result[d.agency_id].append(d)
    return result


def merit_awards_by_agency_year(*, agency_ids, first_year: int, last_year: int):
    """{(agency_id, year): {award_type_id, ...}} of awards that count for
    prerequisites (one-off and thematic awards excluded), one query."""
    result: dict[tuple[int, int], set[int]] = defaultdict(set)
    for agency_id, year, type_id in AwardRecord.objects.filter(
        agency_id__in=list(agency_ids),
        year__gte=first_year,
        year__lte=last_year,
        one_off=False,
    ).values_list("agency_id", "year", "award_type_id"):
        result[(agency_id, year)].add(type_id)
    return result


def award_history(*, agency_ids):
    return (
        AwardRecord.objects.filter(agency_id__in=list(agency_ids))
        .select_related("agency", "award_type")
        .order_by("-year", "award_type__order")
    )
