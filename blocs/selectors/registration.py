"""Reads for the start of the year: movements, covenant, registrations and the
progress on registered targets."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, FilteredRelation, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import translation

from blocs.enums import HEAD_CAPACITY, REGISTRATION_COUNTED_STATES, ProgressPeriod
from blocs.models import (
    BlocYear,
    BlocYearMovement,
    Covenant,
    Membership,
    Movement,
    Registration,
    RegistrationTarget,
    TargetProgress,
)
from blocs.selectors.organisation import bloc_years_visible_to, vocabulary_for
from emulation.documents import DocumentSpec, Heading, Paragraph, Signature
from emulation.json_rows import JSONRows
from emulation.models import User
from emulation.prepared import PreparedQuery
from emulation.rules import is_council_staff, sees_all_provinces

# --- the user's own membership --------------------------------------------------------


def membership_of(user: User, bloc_year: BlocYear) -> Membership | None:
    """The user's own agency's membership in the bloc-year, if any."""
    if not user.is_authenticated or not user.agency_id:
        return None
    return (
        Membership.objects.filter(bloc_year=bloc_year, agency_id=user.agency_id)
        .select_related("agency", "bloc_year", "bloc_year__year", "bloc_year__bloc")
        .first()
    )


# --- movements -------------------------------------------------------------------------


def movements_visible_to(user: User) -> QuerySet[Movement]:
    """Council staff: their province's movements; agency users: their agency's
    province's; national users and superusers: all."""
    qs = Movement.objects.select_related("province")
    if not user.is_authenticated:
        return qs.none()
    if sees_all_provinces(user):
        return qs
    if is_council_staff(user):
        return qs.filter(province_id=user.province_id)
    if user.agency_id:
        return qs.filter(province__agencies__id=user.agency_id)
    return qs.none()


def get_movement_for(user: User, pk: int) -> Movement:
    try:
        return movements_visible_to(user).get(pk=pk)
    except Movement.DoesNotExist:
        raise Http404 from None


def movements_of_bloc_year(bloc_year: BlocYear) -> QuerySet[BlocYearMovement]:
    return BlocYearMovement.objects.filter(bloc_year=bloc_year).select_related("movement")


def movements_available_to(bloc_year: BlocYear) -> QuerySet[Movement]:
    """Active movements of the bloc's province that it has not taken up yet."""
    return (
        Movement.objects.filter(province_id=bloc_year.bloc.province_id, is_active=True)
        .exclude(pk__in=BlocYearMovement.objects.filter(bloc_year=bloc_year).values("movement"))
        .order_by("-starts_on", "title")
    )


# --- covenant ---------------------------------------------------------------------------


def covenant_of(bloc_year: BlocYear) -> Covenant | None:
    return Covenant.objects.filter(bloc_year=bloc_year).first()


def covenant_spec(covenant: Covenant, *, draft: bool = False):
    """The covenant as a document spec: the content (a line in capitals is a
    heading), the movements the bloc takes up, and one signature per member."""

    bloc_year = covenant.bloc_year
    bloc = bloc_year.bloc
    with translation.override("vi"):
        leader = vocabulary_for(bloc.province).leader
        unit = vocabulary_for(bloc.province).unit(bloc.abbreviation)
    memberships = list(
        bloc_year.memberships.select_related("agency")
        .prefetch_related("agency__users")
        .order_by("rotation_order", "agency__name")
    )
    body = []
    for line in covenant.content.splitlines():
        text = line.strip()
        if not text:
            continue
        if text.upper() == text and any(ch.isalpha() for ch in text):
            body.append(Heading(text))
        else:
            body.append(Paragraph(text))
    movements = list(movements_of_bloc_year(bloc_year))
    if movements:
        body.append(Heading("CÁC PHONG TRÀO THI ĐUA HƯỞNG ỨNG"))
        for index, link in enumerate(movements, start=1):
            text = f"{index}. {link.movement.title}"
            if link.movement.anniversary:
                text += f" ({link.movement.anniversary})"
            body.append(Paragraph(text + "."))
    body.append(
        Paragraph(
            "Giao ước thi đua được ký kết giữa các đơn vị thành viên của "
            f"{bloc.name} năm {bloc_year.year.year}; các đơn vị cam kết thực hiện "
            "nghiêm túc các nội dung đã giao ước."
        )
    )
    signatures = []
    for membership in memberships:
        heads = [u for u in membership.agency.users.all() if u.is_agency_head]
        head = heads[0] if heads else None
        is_leader = membership.role == "leader"
        signatures.append(
            Signature(
                agency=membership.agency.name,
                on_behalf="TM. Khối thi đua" if is_leader else "",
                position=leader
                if is_leader
                else (head.position if head and head.position else HEAD_CAPACITY),
                name=head.get_full_name() if head else "",
            )
        )
    return DocumentSpec(
        kind_name="Giao ước thi đua",
        summary=f"Năm {bloc_year.year.year}",
        superior_agency=f"UBND {bloc.province.name}",
        issuing_agency=bloc.name,
        number=covenant.number,
        place=covenant.place,
        date=covenant.signed_on,
        body=body,
        signatures=signatures,
        recipients=[
            "Hội đồng Thi đua – Khen thưởng tỉnh",
            "Các đơn vị thành viên khối",
        ],
        archive=unit,
        draft=draft,
    )


# --- registrations ------------------------------------------------------------------------


def registered_award_type_ids(*, bloc_year: BlocYear) -> dict[int, set[int]]:
    """Agency id → ids of the award types it registered for in the bloc-year.

    Counts submitted registrations (and reopened ones: a registration stands
    while the agency corrects it). One query.
    """
    return registered_award_types_of(bloc_year_ids=[bloc_year.pk]).get(bloc_year.pk, {})


def registered_award_types_of(*, bloc_year_ids) -> dict[int, dict[int, set[int]]]:
    """``registered_award_type_ids`` of many bloc-years in one query: bloc-year
    id → agency id → award type ids."""
    through = Registration.award_types.through
    rows = through.objects.filter(
        registration__membership__bloc_year_id__in=list(bloc_year_ids),
        registration__state__in=REGISTRATION_COUNTED_STATES,
    ).values_list(
        "registration__membership__bloc_year_id",
        "registration__membership__agency_id",
        "awardtype_id",
    )
    result: dict[int, dict[int, set[int]]] = {}
    for bloc_year_id, agency_id, award_type_id in rows:
        result.setdefault(bloc_year_id, {}).setdefault(agency_id, set()).add(award_type_id)
    return result


@dataclass(frozen=True)
class RegistrationRow:
    membership: Membership
    registration: Registration | None
    target_count: int
    award_types: list

    @property
    def agency(self):
        return self.membership.agency

    @property
    def is_registered(self) -> bool:
        return (
            self.registration is not None and self.registration.state in REGISTRATION_COUNTED_STATES
        )


def registration_overview(bloc_year: BlocYear) -> list[RegistrationRow]:
    """Every member with its registration: state, number of targets, titles.
    Two queries whatever the number of members."""
    memberships = list(
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("agency", "registration", "registration__submitted_by")
        .annotate(target_count=Count("registration__targets"))
        .order_by("rotation_order", "agency__name")
    )
    registrations = [m.registration for m in memberships if _registration_or_none(m)]
    award_types: dict[int, list] = {}
    if registrations:
        through = Registration.award_types.through
        for row in (
            through.objects.filter(registration__in=registrations)
            .select_related("awardtype")
            .order_by("awardtype__order", "awardtype__id")
        ):
            award_types.setdefault(row.registration_id, []).append(row.awardtype)
    return [
        RegistrationRow(
            membership=m,
            registration=_registration_or_none(m),
            target_count=m.target_count,
            award_types=award_types.get(getattr(_registration_or_none(m), "pk", None), []),
        )
        for m in memberships
    ]


def _registration_or_none(membership: Membership) -> Registration | None:
    try:
        return membership.registration
    except Registration.DoesNotExist:
        return None


def registration_counts(bloc_year: BlocYear) -> tuple[int, int]:
    """(registered, members) of a bloc-year, in one query."""
    counts = Membership.objects.filter(bloc_year=bloc_year).aggregate(
        members=Count("pk"),
        registered=Count("pk", filter=Q(registration__state__in=REGISTRATION_COUNTED_STATES)),
    )
    return counts["registered"], counts["members"]


def registration_of(membership: Membership) -> Registration | None:
    """The membership's registration with its targets and titles (3 queries)."""
    return (
        Registration.objects.filter(membership=membership)
        .select_related("submitted_by")
        .prefetch_related(
            Prefetch("targets", queryset=RegistrationTarget.objects.order_by("order", "id")),
            "award_types",
        )
        .first()
    )


def get_membership_for(user: User, pk: int) -> Membership:
    """A membership whose registration the user may see: its own agency's,
    or any of a bloc-year the user runs or oversees. 404 otherwise."""
    try:
        membership = Membership.objects.select_related(
            "agency", "bloc_year", "bloc_year__bloc", "bloc_year__bloc__province", "bloc_year__year"
        ).get(pk=pk)
    except Membership.DoesNotExist:
        raise Http404 from None
    if not bloc_years_visible_to(user).filter(pk=membership.bloc_year_id).exists():
        raise Http404
    if user.has_perm("blocs.edit_registration", membership) or user.has_perm(
        "blocs.oversee_bloc_year", membership.bloc_year
    ):
        return membership
    raise Http404


# --- progress -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetAchievement:
    target: RegistrationTarget
    mid_year: TargetProgress | None
    year_end: TargetProgress | None

    @property
    def indicator(self) -> str:
        return self.target.indicator

    @property
    def latest(self) -> TargetProgress | None:
        return self.year_end or self.mid_year

    @property
    def percent(self) -> Decimal | None:
        """Achieved value as a percentage of the target (latest report), 2 places."""
        latest = self.latest
        if latest is None:
            return None
        return (latest.value * 100 / self.target.target_value).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def achieved(self) -> bool | None:
        """Whether the year-end value reaches the target (None before year end)."""
        if self.year_end is None:
            return None
        return self.year_end.value >= self.target.target_value


def _achievements(targets) -> list[TargetAchievement]:
    rows = []
    for target in targets:
        by_period = {p.period: p for p in target.progress.all()}
        rows.append(
            TargetAchievement(
                target=target,
                mid_year=by_period.get(ProgressPeriod.MID_YEAR),
                year_end=by_period.get(ProgressPeriod.YEAR_END),
            )
        )
    return rows


def _progress_in(period: ProgressPeriod) -> FilteredRelation:
    """A target's report of one period (at most one: a constraint)."""
    return FilteredRelation("progress", condition=Q(progress__period=period))


# A member's targets, each with its mid-year and year-end reports in the same
# read, on its assessment page and in its dossier: compiled once per process.
_targets_of_membership = PreparedQuery(
    lambda membership_id: (
        RegistrationTarget.objects.filter(registration__membership_id=membership_id)
        .annotate(
            mid_year_report=_progress_in(ProgressPeriod.MID_YEAR),
            year_end_report=_progress_in(ProgressPeriod.YEAR_END),
        )
        .select_related("mid_year_report", "year_end_report")
        .order_by("order", "id")
    )
)


def targets_with_achievement(membership: Membership) -> list[TargetAchievement]:
    """The agency's registered targets, each with its mid-year and year-end
    progress and the percentage achieved. One query."""
    # Django sets a filtered relation's object only when there is one.
    return [
        TargetAchievement(
            target=target,
            mid_year=getattr(target, "mid_year_report", None),
            year_end=getattr(target, "year_end_report", None),
        )
        for target in _targets_of_membership(membership.pk)
    ]


# The same targets and reports read with a page's main read, as one JSON
# text (every column of both, so that no field is left to read later): one
# row a report, or one for a target without any.
_TARGET = [f.attname for f in RegistrationTarget._meta.concrete_fields]
_REPORT = [f.attname for f in TargetProgress._meta.concrete_fields]
_TARGETS_READ = JSONRows(RegistrationTarget, (*_TARGET, *(f"progress__{name}" for name in _REPORT)))


def targets_read_with(membership_key: str) -> Cast:
    """An annotation of a read that holds a membership (its id at
    ``membership_key``): the member's targets with their reports, as one JSON
    text, for ``targets_from_read``. A page that reads its membership so
    reads its targets without a query of their own."""
    return _TARGETS_READ.read_with("registration__membership_id", membership_key)


def targets_from_read(text: str | None) -> list[TargetAchievement]:
    """What ``targets_with_achievement`` gives, from the text read with
    ``targets_read_with`` (None: no target)."""
    db = RegistrationTarget.objects.db
    targets: dict[int, RegistrationTarget] = {}
    reports: dict[tuple[int, str], TargetProgress] = {}
    end = len(_TARGET)
    for values in _TARGETS_READ.decode(text):
        target_id = values[0]
        if target_id not in targets:
            targets[target_id] = RegistrationTarget.from_db(db, _TARGET, values[:end])
        if values[end] is not None:  # a report
            report = TargetProgress.from_db(db, _REPORT, values[end:])
            reports[target_id, report.period] = report
    return [
        TargetAchievement(
            target=target,
            mid_year=reports.get((target.id, ProgressPeriod.MID_YEAR)),
            year_end=reports.get((target.id, ProgressPeriod.YEAR_END)),
        )
        for target in sorted(targets.values(), key=lambda t: (t.order, t.id))
    ]


@dataclass(frozen=True)
class ProgressSummaryRow:
    membership: Membership
    registration: Registration | None
    targets: list[TargetAchievement]

    @property
    def reported(self) -> int:
        return sum(1 for t in self.targets if t.mid_year is not None)


def progress_summary(bloc_year: BlocYear) -> list[ProgressSummaryRow]:
    """Every member's targets with their progress: the secretariat's mid-year
    summary. Three queries whatever the number of members and targets."""
    memberships = list(
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("agency", "registration")
        .prefetch_related(
            Prefetch(
                "registration__targets",
                queryset=RegistrationTarget.objects.order_by("order", "id").prefetch_related(
                    "progress"
                ),
            )
        )
        .order_by("rotation_order", "agency__name")
    )
    rows = []
    for membership in memberships:
        registration = _registration_or_none(membership)
        targets = _achievements(registration.targets.all()) if registration else []
        rows.append(ProgressSummaryRow(membership, registration, targets))
    return rows
