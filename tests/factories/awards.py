"""An agency's facts of a year and its award history, written through the
facts services (audited, lineage kept, as council staff enter them)."""

from __future__ import annotations

import datetime

import factory

from awards.models import AgencyYearFact, AwardRecord, AwardType
from awards.services import agency_fact_set, award_record_add
from tests.factories.organisation import AgencyFactory


class AgencyFactFactory(factory.Factory):
    """A year's rating and share of women staff of an agency."""

    class Meta:
        model = AgencyYearFact

    actor = None
    agency = factory.SubFactory(AgencyFactory)
    year = 2023
    rating = ""
    women_percent = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return agency_fact_set(**kwargs)


class AwardRecordFactory(factory.Factory):
    """An award in an agency's history, decided on 1 February of the next year."""

    class Meta:
        model = AwardRecord

    actor = None
    agency = factory.SubFactory(AgencyFactory)
    award_type = factory.LazyFunction(lambda: AwardType.objects.get(code="bk_ubnd"))
    year = 2022
    one_off = False
    decision_number = factory.LazyAttribute(
        lambda o: (
            f"{o.year}/QĐ-UBND-{o.award_type.code}-{o.agency.code}" + ("-dx" if o.one_off else "")
        )
    )
    decision_date = factory.LazyAttribute(lambda o: datetime.date(o.year + 1, 2, 1))

    @classmethod
    def _create(cls, model_class, **kwargs):
        return award_record_add(**kwargs)
