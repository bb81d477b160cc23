import pytest

from awards.models import AwardType
from tests.factories import ProvinceFactory, UserFactory
from tests.factories.awards import AgencyFactFactory, AwardRecordFactory


@pytest.fixture
def province():
    """A province of its own (a page or a figure of one province)."""
    return ProvinceFactory(code="hdtinh", name="Tỉnh Hội Đồng")


@pytest.fixture
def council(province):
    """The province's council staff."""
    return UserFactory(username="hd", is_council_staff=True, province=province)


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
