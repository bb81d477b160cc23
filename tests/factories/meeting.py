"""A year-end conference ready to vote: a bloc-year of n members, each with a
head account, the meeting convened and attendance recorded through the services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from awards.enums import AttendanceStatus, PollMode, ThresholdBase
from awards.models import AwardType, Meeting, Poll
from awards.services.meeting import attendance_record, meeting_create
from awards.services.voting import ballot_cast, poll_create, poll_open
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

    def draft_poll(
        self,
        candidates=None,
        *,
        code: str = "bk_ubnd",
        quota: int = 1,
        threshold_percent=None,
        base=ThresholdBase.VALID_BALLOTS,
        mode=PollMode.ONLINE,
    ) -> Poll:
        """A draft poll of the award ``code``, counted on ``base``; every
        member is a candidate unless ``candidates`` (memberships) says."""
        return poll_create(
            actor=self.secretariat,
            meeting=self.meeting,
            award_type=self.award(code),
            mode=mode,
            quota=quota,
            threshold_percent=threshold_percent,
            threshold_base=base,
            candidates=self.memberships if candidates is None else candidates,
        )

    def open_poll(self, candidates=None, **kwargs) -> Poll:
        """draft_poll, opened for voting."""
        return poll_open(actor=self.secretariat, poll=self.draft_poll(candidates, **kwargs))

    def cast(self, poll: Poll, voter: int, chosen: list[int]):
        """Member ``voter``'s head votes for the members at the ``chosen``
        indexes; the ballot's receipt code."""
        ids = [poll.candidates.get(membership=self.memberships[i]).pk for i in chosen]
        return ballot_cast(
            actor=self.heads[voter],
            poll=poll,
            agency_id=self.memberships[voter].agency_id,
            candidate_ids=ids,
        ).receipt


def build_conference(
    *,
    members: int = 9,
    present: int | None = None,
    prefix: str = "k",
    year: int = 2023,
    province=None,
    agency_names: str = "Sở Số {i}",
) -> Conference:
    """Members {prefix}0…{prefix}{n-1} ({prefix}0 leads, {prefix}1 deputises),
    named by ``agency_names``; the first ``present`` attend. In a new province,
    unless ``province`` is given (several blocs share it)."""
    if province is None:
        province = ProvinceFactory(code=f"{prefix}tinh", name="Tỉnh Hội Nghị")
    bloc_year = BlocYearFactory(
        bloc__province=province,
        bloc__code=f"{prefix}khoi",
        bloc__name=f"Khối thi đua {prefix}",
        year__province=province,
        year__year=year,
        phase=Phase.VOTING,
    )
    memberships, heads = [], []
    for i in range(members):
        role = MemberRole.LEADER if i == 0 else MemberRole.DEPUTY if i == 1 else MemberRole.MEMBER
        agency = AgencyFactory(
            province=province, code=f"{prefix}{i}", name=agency_names.format(i=i)
        )
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
        starts_at=datetime.time(8, 0),
        ends_at=datetime.time(11, 30),
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
