"""A year-end conference ready to vote: a bloc-year of n members, each with a
head account, the meeting convened and attendance recorded through the services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from awards.enums import AttendanceStatus, ThresholdBase
from awards.models import AwardType, Meeting
from awards.services.meeting import attendance_record, meeting_create
from awards.services.voting import poll_create, poll_open
from blocs.enums import MemberRole, Phase
from emulation.enums import AgencyRole
from tests.factories.organisation import (
    AgencyFactory,
    BlocYearFactory,
    ProvinceFactory,
    UserFactory,
    add_member,
)


@dataclass
class Conference:
    bloc_year: object
    memberships: list
    heads: list
    secretariat: object
    meeting: Meeting
    extra: dict = field(default_factory=dict)

    def award(self, code: str = "bk_ubnd") -> AwardType:
        return AwardType.objects.get(code=code)

    def draft_poll(self, candidates=None, *, quota: int = 1, threshold_percent=None):
        """A draft poll of the award, counted on the valid ballots; every
        member is a candidate unless ``candidates`` (memberships) says."""
        return poll_create(
            actor=self.secretariat,
            meeting=self.meeting,
            award_type=self.award(),
            quota=quota,
            threshold_percent=threshold_percent,
            threshold_base=ThresholdBase.VALID_BALLOTS,
            candidates=self.memberships if candidates is None else candidates,
        )

    def open_poll(self, candidates=None, *, quota: int = 1):
        """draft_poll, opened for voting."""
        return poll_open(actor=self.secretariat, poll=self.draft_poll(candidates, quota=quota))


def build_conference(
    *, members: int = 9, present: int | None = None, prefix: str = "k", year: int = 2023
) -> Conference:
    """Members k0…k{n-1} (k0 leads, k1 deputises); the first ``present`` attend."""
    province = ProvinceFactory(code=f"{prefix}tinh", name="Tỉnh Hội Nghị")
    bloc_year = BlocYearFactory(
        bloc__province=province, bloc__code=f"{prefix}khoi", year__year=year, phase=Phase.VOTING
    )
    memberships, heads = [], []
    for i in range(members):
        role = MemberRole.LEADER if i == 0 else MemberRole.DEPUTY if i == 1 else MemberRole.MEMBER
        agency = AgencyFactory(province=province, code=f"{prefix}{i}", name=f"Sở Số {i}")
        memberships.append(add_member(bloc_year, agency, role, i))
        heads.append(
            UserFactory(username=f"{prefix}{i}.head", agency=agency, agency_role=AgencyRole.HEAD)
        )
    secretariat = UserFactory(
        username=f"{prefix}0.officer", agency=memberships[0].agency, agency_role=AgencyRole.OFFICER
    )
    meeting = meeting_create(
        actor=secretariat,
        bloc_year=bloc_year,
        date=datetime.date(year + 1, 1, 18),
        place="Hội trường",
        chair="Chủ tọa",
        secretary="Thư ký",
    )
    present = members if present is None else present
    for i, m in enumerate(memberships):
        attendance_record(
            actor=secretariat,
            meeting=meeting,
            membership=m,
            status=AttendanceStatus.PRESENT if i < present else AttendanceStatus.ABSENT,
            representative=f"Đại diện {i}" if i < present else "",
        )
    return Conference(bloc_year, memberships, heads, secretariat, meeting)
