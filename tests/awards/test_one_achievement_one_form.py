"""One achievement, one form (Law Art. 5): exclusions declared in the rule set."""

import pytest
from django.core.exceptions import ValidationError

from awards.eligibility import exclusion_conflicts
from awards.services import proposal_submit
from tests.factories.proposal import build_proposal


def test_two_excluded_titles_for_one_agency_are_refused_with_the_reason(db):
    conf, proposal = build_proposal(members=3, elected={"tt_ldxs": [0], "tt_ldtt": [0, 1]})
    with pytest.raises(ValidationError) as refused:
        proposal_submit(actor=conf.secretariat, proposal=proposal)
    text = " ".join(refused.value.messages)
    name = conf.memberships[0].agency.display_name
    assert f"{name}: “Tập thể lao động tiên tiến” và “Tập thể lao động xuất sắc”" in text
    assert "Điều 5" in text
    assert conf.memberships[1].agency.display_name + ":" not in text


@pytest.mark.parametrize(
    ("proposed", "held", "conflicts"),
    [
        (["tt_ldxs", "tt_ldtt"], [], 1),
        (["tt_ldxs"], ["tt_ldtt"], 1),
        (["tt_ldxs", "bk_ubnd"], [], 0),
        (["co_tinh", "co_chinh_phu"], [], 1),
        (["bk_ubnd", "bk_ttg"], [], 1),
        (["tt_ldxs"], [], 0),
    ],
)
def test_exclusions(cast, award, grant, proposed, held, conflicts):
    agency = cast.member.agency
    for code in held:
        grant(agency, code, 2023)
    found = exclusion_conflicts(
        bloc_year=cast.bloc_year, items=[(agency, award(code)) for code in proposed]
    )
    assert len(found) == conflicts
    if held and found:
        assert "đơn vị đã có" in found[0]
