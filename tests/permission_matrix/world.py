"""The demo data set, seeded once per module, and the real objects every URL's
arguments come from."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.enums import AttendanceStatus
from awards.models import (
    AwardType,
    CountingCommitteeMember,
    Decision,
    Disqualification,
    DossierExport,
    Meeting,
    Poll,
    PollCandidate,
    Proposal,
    ProposalItem,
    Result,
    RuleSet,
)
from awards.services import meeting as meeting_services
from awards.services.proposal import results_publication_set
from blocs import services as bloc_services
from blocs.models import (
    Agency,
    AgencyLineage,
    Bloc,
    BlocYear,
    BlocYearMovement,
    Criterion,
    CriterionGroup,
    Dispute,
    DisputeEvidence,
    EmulationYear,
    Evidence,
    Membership,
    Movement,
    Registration,
    RegistrationTarget,
    ScoringTable,
    SelfAssessment,
)
from emulation.enums import AgencyRole, NotificationKind
from emulation.models import IssuedDocument, User
from emulation.services import notification_send, user_create
from tests.factories.review import ReviewAssignmentFactory


@dataclass
class World:
    users: dict[int, dict[str, User | None]] = field(default_factory=dict)  # year -> role -> user
    o: dict[str, object] = field(default_factory=dict)

    def user(self, year: int, role: str):
        return self.users[year][role]


def build_world() -> World:
    """Pick the objects; add one agency outside the bloc (with an officer)."""
    admin = User.objects.get(username="admin")
    province = Agency.objects.get(code="stp").province
    outsider_agency = bloc_services.agency_create(
        actor=admin, province=province, code="ngoai", name="Sở Ngoài Khối", short_name="Ngoài"
    )
    outsider = user_create(
        actor=admin,
        username="ngoai.officer",
        password=None,
        full_name="Người Ngoài",
        agency=outsider_agency,
        agency_role=AgencyRole.OFFICER,
    )
    other_province = bloc_services.province_create(actor=admin, code="khac", name="Tỉnh Khác")
    council2 = user_create(
        actor=admin,
        username="council.khac",
        password=None,
        full_name="Cán bộ tỉnh khác",
        is_council_staff=True,
        province=other_province,
    )
    by = {b.year.year: b for b in BlocYear.objects.filter(bloc__code="tmth").select_related("year")}
    w = World()
    for year, bloc_year in by.items():
        leader = Membership.objects.get(bloc_year=bloc_year, role="leader").agency.code
        w.users[year] = {
            "anon": None,
            "outsider": outsider,
            "peer": User.objects.get(username="sngv.officer"),
            "officer": User.objects.get(username="stp.officer"),
            "head": User.objects.get(username="stp.head"),
            "council": User.objects.get(username="council"),
            "council2": council2,
            "secretariat": User.objects.get(username=f"{leader}.officer"),
            "admin": admin,
        }
    o = w.o
    o["by"] = by
    stp = Agency.objects.get(code="stp")
    o["stp"] = stp
    o["stp_officer"] = User.objects.get(username="stp.officer")
    o["m"] = {y: Membership.objects.get(bloc_year=b, agency=stp) for y, b in by.items() if y < 2025}
    o["sa"] = {
        y: SelfAssessment.objects.get(membership=m) for y, m in o["m"].items() if y in (2023, 2024)
    }
    o["evidence"] = {
        y: Evidence.objects.filter(item__assessment=sa).select_related("item").first()
        for y, sa in o["sa"].items()
    }
    o["reg"] = {y: Registration.objects.filter(membership=m).first() for y, m in o["m"].items()}
    o["target"] = {
        y: RegistrationTarget.objects.filter(registration=r).first()
        for y, r in o["reg"].items()
        if r
    }
    o["movement"] = Movement.objects.order_by("pk").first()
    o["by_movement"] = BlocYearMovement.objects.filter(bloc_year=by[2023]).first()
    o["lineage"] = AgencyLineage.objects.order_by("pk").first()
    o["bloc"] = Bloc.objects.get(code="tmth")
    o["year"] = EmulationYear.objects.get(province=province, year=2023)
    o["table"] = ScoringTable.objects.order_by("pk").first()
    o["group"] = CriterionGroup.objects.filter(table=o["table"]).order_by("pk").first()
    o["criterion"] = Criterion.objects.filter(group=o["group"]).order_by("pk").first()
    o["meeting"] = Meeting.objects.get(bloc_year=by[2023])
    o["counter"] = CountingCommitteeMember.objects.filter(meeting=o["meeting"]).first()
    o["poll"] = Poll.objects.filter(meeting=o["meeting"]).order_by("pk").first()
    o["candidate"] = PollCandidate.objects.filter(poll=o["poll"]).first()
    o["result"] = Result.objects.select_related("poll").order_by("pk").first()
    o["proposal"] = Proposal.objects.get(bloc_year=by[2022])
    o["proposal_item"] = ProposalItem.objects.filter(proposal=o["proposal"]).first()
    o["issued"] = IssuedDocument.objects.filter(bloc_year=by[2023], kind="score_summary").first()
    o["dossier_export"] = DossierExport.objects.filter(bloc_year=by[2023]).first()
    o["dispute"] = Dispute.objects.select_related("item").first()
    o["dispute_evidence"] = DisputeEvidence.objects.first()
    o["rule_set"] = RuleSet.objects.order_by("pk").first()
    o["award_type"] = AwardType.objects.get(code="co_tinh")
    o["disqualification"] = (
        Disqualification.objects.filter(year=2023, agency__memberships__bloc_year=by[2023])
        .order_by("pk")
        .first()
    )
    o["extension"] = bloc_services.deadline_extend(
        actor=User.objects.get(username="council"),
        bloc_year=by[2025],
        step="registration",
        deadline=by[2025].year.registration_deadline + datetime.timedelta(days=14),
        reason="Sáp nhập đơn vị theo Nghị quyết của HĐND tỉnh",
    )
    _complete(w, admin)
    return w


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _complete(w: World, admin: User) -> None:
    """What the demo lacks for some URLs to have something to show: a proxy (bdt
    gives its vote to the leader) with its written authorisation, the decision's
    scan, a movement's document, the
    published results of 2022, a cross-scoring assignment."""
    o = w.o
    by23 = o["by"][2023]
    secretariat = w.user(2023, "secretariat")
    leader = Membership.objects.get(bloc_year=by23, role="leader")
    o["proxy_m"] = Membership.objects.get(bloc_year=by23, agency__code="bdt")
    meeting_services.attendance_record(
        actor=secretariat,
        meeting=o["meeting"],
        membership=o["proxy_m"],
        status=AttendanceStatus.PROXY,
        proxy_to=leader,
        authorisation=_pdf("giay-uy-quyen.pdf"),
        authorisation_name="giay-uy-quyen.pdf",
    )
    decision = Decision.objects.get(proposal=o["proposal"])
    decision.scanned_file.save("quyet-dinh.pdf", ContentFile(PDF), save=False)
    decision.scanned_name = "quyet-dinh.pdf"
    decision.save(update_fields=["scanned_file", "scanned_name"])
    bloc_services.movement_update(
        actor=w.user(2023, "council"), movement=o["movement"], document=_pdf("ke-hoach.pdf")
    )
    results_publication_set(
        actor=w.user(2023, "council"), province=o["stp"].province, year=2022, enabled=True
    )
    o["notification"] = notification_send(
        recipients=[w.user(2023, "officer")],
        kind=NotificationKind.DEADLINE_REMINDER,
        params={},
        url="/",
    )[0]
    o["assignment"] = ReviewAssignmentFactory(
        reviewer=Membership.objects.get(bloc_year=by23, agency__code="sngv"),
        reviewee=o["m"][2023],
    )
