"""Models of the blocs app, one module per area, re-exported here."""

from blocs.models.organisation import (
    Agency,
    AgencyLineage,
    Bloc,
    BlocYear,
    EmulationYear,
    Membership,
    Province,
)

__all__ = [
    "Agency",
    "AgencyLineage",
    "Bloc",
    "BlocYear",
    "EmulationYear",
    "Membership",
    "Province",
]
