import datetime

import pytest

from awards.models import AwardType
from awards.services import agency_fact_set, award_record_add


@pytest.fixture
def award(db):
    def _award(code: str) -> AwardType:
        return AwardType.objects.get(code=code)

    return _award


@pytest.fixture
def rate(db):
    """rate(agency, {2022: "excellent", 2023: "good"})."""

    def _rate(agency, ratings: dict[int, str], women=None):
        for year, rating in ratings.items():
            agency_fact_set(
                actor=None, agency=agency, year=year, rating=rating, women_percent=women
            )

    return _rate


@pytest.fixture
def grant(db, award):
    def _grant(agency, code: str, year: int, one_off: bool = False):
        return award_record_add(
            actor=None,
            agency=agency,
            award_type=award(code),
            year=year,
            decision_number=f"{year}/QĐ-UBND-{code}-{agency.code}{'-dx' if one_off else ''}",
            decision_date=datetime.date(year + 1, 2, 1),
            one_off=one_off,
        )

    return _grant
