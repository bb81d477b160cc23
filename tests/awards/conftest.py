import pytest

from awards.models import AwardType
from tests.factories.awards import AgencyFactFactory, AwardRecordFactory


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
            AgencyFactFactory(agency=agency, year=year, rating=rating, women_percent=women)

    return _rate


@pytest.fixture
def grant(db, award):
    def _grant(agency, code: str, year: int, one_off: bool = False):
        return AwardRecordFactory(agency=agency, award_type=award(code), year=year, one_off=one_off)

    return _grant
