"""Every write of the blocs app, re-exported from one module per area."""

from blocs.services.organisation import (
    agency_create,
    bloc_create,
    bloc_year_create,
    bloc_year_set_phase,
    emulation_year_create,
    lineage_add,
    membership_add,
    province_create,
)

__all__ = [
    "agency_create",
    "bloc_create",
    "bloc_year_create",
    "bloc_year_set_phase",
    "emulation_year_create",
    "lineage_add",
    "membership_add",
    "province_create",
]
