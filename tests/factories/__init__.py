"""factory_boy factories. Rows with a service are better built through it;
these factories are for the plain reference data that tests arrange."""

from tests.factories.organisation import (
    AgencyFactory,
    BlocFactory,
    BlocYearFactory,
    EmulationYearFactory,
    ProvinceFactory,
    UserFactory,
    add_member,
    put_in_phase,
)

__all__ = [
    "AgencyFactory",
    "BlocFactory",
    "BlocYearFactory",
    "EmulationYearFactory",
    "ProvinceFactory",
    "UserFactory",
    "add_member",
    "put_in_phase",
]
