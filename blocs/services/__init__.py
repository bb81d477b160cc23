"""Every write of the blocs app, re-exported from one module per area."""

from blocs.services.organisation import (
    agency_create,
    agency_update,
    bloc_create,
    bloc_update,
    bloc_year_carry_forward,
    bloc_year_create,
    bloc_year_set_phase,
    emulation_year_create,
    emulation_year_update,
    lineage_add,
    lineage_remove,
    membership_add,
    membership_remove,
    membership_update,
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
    "agency_update",
    "bloc_update",
    "bloc_year_carry_forward",
    "emulation_year_update",
    "lineage_remove",
    "membership_remove",
    "membership_update",
]

# Review, disputes, lock and ranking (issue 5).
from blocs.services.review import (  # noqa: E402
    assessment_review_complete,
    assessment_review_save,
    dispute_open,
    dispute_resolve,
    ranking_publish,
    review_assignment_change,
    review_assignment_generate,
    review_configure,
    review_lock,
    review_release,
    review_start,
    review_unlock,
)

__all__ += [
    "assessment_review_complete",
    "assessment_review_save",
    "dispute_open",
    "dispute_resolve",
    "ranking_publish",
    "review_assignment_change",
    "review_assignment_generate",
    "review_configure",
    "review_lock",
    "review_release",
    "review_start",
    "review_unlock",
]
