"""Services of the awards app, re-exported from one module per area."""

from awards.services.facts import (
    agency_fact_set,
    agency_facts_save,
    award_record_add,
    award_record_receive,
    award_records_import,
    disqualification_add,
    disqualification_close,
    disqualification_remove,
    leading_choose,
    leading_clear,
)
from awards.services.rules import (
    award_rule_set,
    rule_set_copy,
    rule_set_create,
    rule_set_update,
    validate_prerequisites,
    validate_rule_values,
)

__all__ = [
    "agency_fact_set",
    "agency_facts_save",
    "award_record_add",
    "award_record_receive",
    "award_records_import",
    "award_rule_set",
    "disqualification_add",
    "disqualification_close",
    "disqualification_remove",
    "leading_choose",
    "leading_clear",
    "rule_set_copy",
    "rule_set_create",
    "rule_set_update",
    "validate_prerequisites",
    "validate_rule_values",
]

# Proposals to the council and its decisions.
from awards.services.decision import decision_record  # noqa: E402
from awards.services.proposal import (  # noqa: E402
    proposal_create,
    proposal_item_remove,
    proposal_items_decide,
    proposal_receive,
    proposal_refresh,
    proposal_return,
    proposal_submit,
    proposal_update,
    results_publication_set,
)

__all__ += [
    "decision_record",
    "proposal_create",
    "proposal_item_remove",
    "proposal_items_decide",
    "proposal_receive",
    "proposal_refresh",
    "proposal_return",
    "proposal_submit",
    "proposal_update",
    "results_publication_set",
]

# The council's province-wide choice for the Government's flag.
from awards.services.government_flag import government_flag_choose  # noqa: E402

__all__ += ["government_flag_choose"]
