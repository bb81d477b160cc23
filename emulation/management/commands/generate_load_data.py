"""A synthetic national data set for benchmarks, written with bulk inserts.

    python manage.py generate_load_data --provinces 34 --blocs 40 --members 12 \\
        --criteria 40 --years 3

Every province gets its years, blocs, agencies (with an officer and a head),
a scoring table per year, and self-assessments with a score per criterion;
later years' data is in later phases. Rows are written in bulk, not through the
services (no audit trail: this is benchmark data, never real data). Progress
is printed as it goes.
"""

from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Case, DecimalField, F, Sum, Value, When
from django.utils import timezone

from awards.enums import AttendanceStatus, PollPurpose, ThresholdBase
from awards.models import Attendance, AwardType, Meeting, Poll, PollCandidate
from blocs.enums import AssessmentState, CriterionKind, MemberRole, Phase
from blocs.models import (
    Agency,
    Bloc,
    BlocYear,
    BlocYearReview,
    Criterion,
    CriterionGroup,
    EmulationYear,
    FinalScore,
    ItemScore,
    Membership,
    Province,
    ScoringTable,
    SelfAssessment,
)
from blocs.selectors.ranking import RankingRow, rank_rows
from emulation.enums import AgencyRole
from emulation.figures import figures_changed
from emulation.models import User

BATCH = 5000
PREFIX = "load"


class Command(BaseCommand):
    help = "Create a synthetic national data set (for `make bench`), with bulk inserts."

    def add_arguments(self, parser):
        parser.add_argument("--provinces", type=int, default=34)
        parser.add_argument("--blocs", type=int, default=40, help="blocs per province")
        parser.add_argument("--members", type=int, default=12, help="members per bloc")
        parser.add_argument("--criteria", type=int, default=40, help="criteria per table")
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--first-year", type=int, default=2022)
        parser.add_argument("--seed", type=int, default=2023)
        parser.add_argument(
            "--meetings",
            type=int,
            default=200,
            help="ranked bloc-years given a conference with a draft poll (for ballot casting)",
        )

    def handle(self, *args, **opts):
        if Province.objects.filter(code__startswith=f"{PREFIX}-").exists():
            raise CommandError(
                "Load data already exists (provinces named load-…); use a fresh database."
            )
        self.rng = random.Random(opts["seed"])
        self.started = time.monotonic()
        self.options = opts
        with transaction.atomic():
            self.generate(**opts)
            # Written without the services: the country's figures kept in the
            # cache (emulation.figures) are renewed as the services would.
            figures_changed()
        self.progress("done")

    def progress(self, message: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:7.1f}s] {message}")
        self.stdout.flush()

    def bulk(self, model, objects, label: str):
        created = []
        for start in range(0, len(objects), BATCH):
            created.extend(model.objects.bulk_create(objects[start : start + BATCH]))
            self.progress(f"{label}: {min(start + BATCH, len(objects))}/{len(objects)}")
        return created

    def generate(self, *, provinces, blocs, members, criteria, years, first_year, **_):
        now = timezone.now()
        year_numbers = list(range(first_year, first_year + years))
        province_rows = self.bulk(
            Province,
            [
                Province(code=f"{PREFIX}-{p:02d}", name=f"Tỉnh Thử tải {p:02d}")
                for p in range(provinces)
            ],
            "provinces",
        )
        emulation_years = self.bulk(
            EmulationYear,
            [EmulationYear(province=p, year=y) for p in province_rows for y in year_numbers],
            "years",
        )
        years_by_province = {}
        for ey in emulation_years:
            years_by_province.setdefault(ey.province_id, []).append(ey)

        agencies, bloc_rows = [], []
        for p_index, province in enumerate(province_rows):
            for b in range(blocs):
                bloc_rows.append(
                    Bloc(
                        province=province,
                        code=f"{PREFIX}-{p_index:02d}-{b:02d}",
                        name=f"Khối thi đua số {b + 1} – tỉnh {p_index:02d}",
                    )
                )
                for m in range(members):
                    agencies.append(
                        Agency(
                            province=province,
                            code=f"{PREFIX}-{p_index:02d}-{b:02d}-{m:02d}",
                            name=f"Sở Thử tải {m + 1} (khối {b + 1}, tỉnh {p_index:02d})",
                        )
                    )
        bloc_rows = self.bulk(Bloc, bloc_rows, "blocs")
        agencies = self.bulk(Agency, agencies, "agencies")

        password = make_password("demo-2023")
        users = []
        for agency in agencies:
            for role in (AgencyRole.OFFICER, AgencyRole.HEAD):
                users.append(
                    User(
                        username=f"{agency.code}.{role.value}",
                        password=password,
                        full_name=f"Cán bộ {agency.code}",
                        agency=agency,
                        agency_role=role,
                    )
                )
        for province in province_rows:
            users.append(
                User(
                    username=f"{province.code}.council",
                    password=password,
                    full_name=f"Cán bộ Hội đồng {province.code}",
                    is_council_staff=True,
                    province=province,
                )
            )
        users.append(
            User(
                username=f"{PREFIX}.national",
                password=password,
                is_council_staff=True,
                is_national=True,
            )
        )
        self.bulk(User, users, "users")

        # One default scoring table per province and year.
        tables = self.bulk(
            ScoringTable,
            [
                ScoringTable(year=ey, name=f"Bảng chấm điểm {ey.year}", frozen_at=now)
                for ey in emulation_years
            ],
            "scoring tables",
        )
        groups_per_table = 5
        group_rows = []
        for table in tables:
            for g in range(groups_per_table):
                group_rows.append(
                    CriterionGroup(
                        table=table, order=g, name=f"Nhóm tiêu chí {g + 1}", max_points=Decimal(20)
                    )
                )
        group_rows = self.bulk(CriterionGroup, group_rows, "criterion groups")
        groups_by_table = {}
        for group in group_rows:
            groups_by_table.setdefault(group.table_id, []).append(group)
        criterion_rows = []
        for table in tables:
            groups = groups_by_table[table.pk]
            for c in range(criteria):
                kind = CriterionKind.STANDARD
                if c == criteria - 2:
                    kind = CriterionKind.BONUS
                elif c == criteria - 1:
                    kind = CriterionKind.DEDUCTION
                criterion_rows.append(
                    Criterion(
                        table=table,
                        group=groups[c % groups_per_table],
                        code=f"{c % groups_per_table + 1}.{c + 1}",
                        text=f"Tiêu chí thử tải số {c + 1}",
                        max_points=Decimal("5.00")
                        if kind == CriterionKind.STANDARD
                        else Decimal("3.00"),
                        kind=kind,
                        step=Decimal("0.25"),
                        order=c,
                    )
                )
        criterion_rows = self.bulk(Criterion, criterion_rows, "criteria")
        criteria_by_table = {}
        for criterion in criterion_rows:
            criteria_by_table.setdefault(criterion.table_id, []).append(criterion)
        table_by_year = {t.year_id: t for t in tables}

        # Bloc-years: the last year in self-assessment, the one before it ranked,
        # earlier ones decided.
        def phase_of(index: int) -> Phase:
            if index == len(year_numbers) - 1:
                return Phase.SELF_ASSESSMENT
            if index == len(year_numbers) - 2:
                return Phase.RANKING_PUBLISHED
            return Phase.DECIDED

        bloc_years = [
            BlocYear(bloc=bloc, year=ey, phase=phase_of(index), phase_changed_at=now)
            for bloc in bloc_rows
            for index, ey in enumerate(years_by_province[bloc.province_id])
        ]
        bloc_years = self.bulk(BlocYear, bloc_years, "bloc-years")

        agencies_by_bloc = {}
        for agency in agencies:
            bloc_code = agency.code.rsplit("-", 1)[0]
            agencies_by_bloc.setdefault(bloc_code, []).append(agency)
        bloc_code_by_id = {b.pk: b.code for b in bloc_rows}
        memberships = []
        for by in bloc_years:
            group = agencies_by_bloc[bloc_code_by_id[by.bloc_id]]
            leader_index = (by.year.year - first_year) % len(group)
            for m, agency in enumerate(group):
                role = MemberRole.MEMBER
                if m == leader_index:
                    role = MemberRole.LEADER
                elif m == (leader_index + 1) % len(group):
                    role = MemberRole.DEPUTY
                memberships.append(
                    Membership(
                        bloc_year=by,
                        year_id=by.year_id,
                        agency=agency,
                        role=role,
                        rotation_order=m + 1,
                    )
                )
        memberships = self.bulk(Membership, memberships, "memberships")

        by_year = {by.pk: by.year_id for by in bloc_years}
        assessments = []
        for membership in memberships:
            assessments.append(
                SelfAssessment(
                    membership=membership,
                    table=table_by_year[by_year[membership.bloc_year_id]],
                    state=AssessmentState.SUBMITTED,
                    submitted_at=now,
                    report="Báo cáo tự đánh giá (dữ liệu thử tải).",
                )
            )
        assessments = self.bulk(SelfAssessment, assessments, "self-assessments")

        if connection.vendor == "postgresql":
            self.item_scores_in_sql(assessments)
        else:
            self.item_scores_in_bulk(assessments, criteria_by_table, criteria)
        self.extend(
            bloc_years=bloc_years,
            memberships=memberships,
            now=now,
            meetings=self.options["meetings"],
        )

    def item_scores_in_bulk(self, assessments, criteria_by_table, criteria) -> None:
        steps = [Decimal(q) / 4 for q in range(0, 21)]
        items = []
        total = len(assessments) * criteria
        written = 0
        for assessment in assessments:
            for criterion in criteria_by_table[assessment.table_id]:
                ceiling = int(criterion.max_points * 4)
                items.append(
                    ItemScore(
                        assessment=assessment,
                        criterion=criterion,
                        score=steps[self.rng.randint(ceiling // 2, ceiling)],
                    )
                )
            if len(items) >= 50_000:
                ItemScore.objects.bulk_create(items, batch_size=BATCH)
                written += len(items)
                items = []
                self.progress(f"item scores: {written}/{total}")
        ItemScore.objects.bulk_create(items, batch_size=BATCH)
        written += len(items)
        self.progress(f"item scores: {written}/{total}")

    def item_scores_in_sql(self, assessments) -> None:
        """PostgreSQL: one INSERT … SELECT per batch of assessments (a score in
        quarter points between half and all of each criterion's maximum),
        some twenty times faster than sending the rows from Python."""
        ids = [a.pk for a in assessments]
        table = ItemScore._meta.db_table
        total = written = 0
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [(self.options["seed"] % 1000) / 1000])
            for start in range(0, len(ids), 5000):
                chunk = ids[start : start + 5000]
                cursor.execute(
                    f"""
                    INSERT INTO {table}
                        (assessment_id, criterion_id, score, not_applicable, note,
                         version, updated_at)
                    SELECT sa.id, c.id,
                           (floor(c.max_points * 2
                                  + random() * (c.max_points * 2 + 1)) / 4)::numeric(6, 2),
                           false, '', 0, now()
                      FROM {SelfAssessment._meta.db_table} sa
                      JOIN {Criterion._meta.db_table} c ON c.table_id = sa.table_id
                     WHERE sa.id = ANY(%s)
                    """,  # noqa: S608 - table names from the models, values bound
                    [chunk],
                )
                written += cursor.rowcount
                total = written * len(ids) // (start + len(chunk))
                self.progress(f"item scores: {written}/{total}")

    def extend(self, **context) -> None:
        """Later data (reviews, rankings, meetings) — see the hooks below."""
        for hook in LOAD_HOOKS:
            hook(self, **context)


# Functions (command, *, bloc_years, memberships, now, meetings) that add data
# of later workflow stages; appended as those stages exist.
RANKED_PHASES = (Phase.RANKING_PUBLISHED, Phase.DECIDED)


def load_reviews_and_final_scores(command, *, bloc_years, memberships, now, **_):
    """Ranked bloc-years: a finished review (locked and published) and the
    locked snapshot of final scores with ranks, computed from the item scores
    in one aggregate query (the verified scores are the self-assessed ones)."""
    ranked = [by for by in bloc_years if by.phase in RANKED_PHASES]
    ranked_ids = {by.pk for by in ranked}
    command.bulk(
        BlocYearReview,
        [
            BlocYearReview(
                bloc_year=by,
                started_at=now,
                released_at=now,
                locked_at=now,
                published_at=now,
            )
            for by in ranked
        ],
        "reviews",
    )
    deduction = Case(
        When(criterion__kind=CriterionKind.DEDUCTION, then=F("score")),
        default=Value(Decimal(0)),
        output_field=DecimalField(max_digits=7, decimal_places=2),
    )
    signed = Case(
        When(criterion__kind=CriterionKind.DEDUCTION, then=-F("score")),
        default=F("score"),
        output_field=DecimalField(max_digits=7, decimal_places=2),
    )
    sums = {
        row["assessment__membership_id"]: row
        for row in ItemScore.objects.filter(assessment__membership__bloc_year_id__in=ranked_ids)
        .values("assessment__membership_id")
        .annotate(total=Sum(signed), deduction=Sum(deduction))
        .order_by()
    }
    command.progress(f"final totals: {len(sums)} members summed")
    rows_by_bloc_year: dict[int, list[RankingRow]] = {}
    for membership in memberships:
        if membership.bloc_year_id not in ranked_ids:
            continue
        total = sums.get(membership.pk, {"total": Decimal(0), "deduction": Decimal(0)})
        rows_by_bloc_year.setdefault(membership.bloc_year_id, []).append(
            RankingRow(
                membership=membership,
                agency=membership.agency,
                total=max(total["total"], Decimal(0)),
                self_total=max(total["total"], Decimal(0)),
                deduction=total["deduction"],
            )
        )
    final_scores = []
    for bloc_year_id, rows in rows_by_bloc_year.items():
        for row in rank_rows(rows):
            final_scores.append(
                FinalScore(
                    bloc_year_id=bloc_year_id,
                    membership=row.membership,
                    self_total=row.self_total,
                    total=row.total,
                    deduction=row.deduction,
                    rank=row.rank,
                    shared_rank=row.shared_rank,
                    locked_at=now,
                )
            )
    command.bulk(FinalScore, final_scores, "final scores")


def load_meetings(command, *, bloc_years, memberships, now, meetings, **_):
    """The first ``meetings`` ranked bloc-years of the latest ranked year move
    to the voting phase and get their conference: every member present and a
    poll in draft for the Cờ thi đua của UBND tỉnh with all members on the
    ballot. `make bench` opens them through the voting services, so each of
    the heads casts a first ballot."""
    award_type = AwardType.objects.filter(code="co_tinh").first()
    if award_type is None or meetings <= 0:
        return
    latest = max((by.year.year for by in bloc_years if by.phase in RANKED_PHASES), default=None)
    chosen = [by for by in bloc_years if by.phase in RANKED_PHASES and by.year.year == latest][
        :meetings
    ]
    chosen_ids = {by.pk for by in chosen}
    BlocYear.objects.filter(pk__in=chosen_ids).update(phase=Phase.VOTING)
    meeting_rows = command.bulk(
        Meeting,
        [
            Meeting(
                bloc_year=by,
                date=datetime.date(by.year.year + 1, 1, 18),
                place="Hội trường cơ quan Trưởng khối",
                chair="Thủ trưởng cơ quan Trưởng khối",
                secretary="Chuyên viên cơ quan Trưởng khối",
            )
            for by in chosen
        ],
        "meetings",
    )
    meeting_by_bloc_year = {m.bloc_year_id: m for m in meeting_rows}
    polls = command.bulk(
        Poll,
        [
            Poll(
                meeting=meeting,
                purpose=PollPurpose.AWARD,
                award_type=award_type,
                quota=1,
                threshold_percent=50,
                threshold_base=ThresholdBase.VALID_BALLOTS,
            )
            for meeting in meeting_rows
        ],
        "polls",
    )
    poll_by_meeting = {p.meeting_id: p for p in polls}
    attendances, candidates = [], []
    for membership in memberships:
        meeting = meeting_by_bloc_year.get(membership.bloc_year_id)
        if meeting is None:
            continue
        attendances.append(
            Attendance(
                meeting=meeting,
                membership=membership,
                status=AttendanceStatus.PRESENT,
                representative="Thủ trưởng cơ quan",
            )
        )
        candidates.append(PollCandidate(poll=poll_by_meeting[meeting.pk], membership=membership))
    command.bulk(Attendance, attendances, "attendances")
    command.bulk(PollCandidate, candidates, "poll candidates")


LOAD_HOOKS: list = [load_reviews_and_final_scores, load_meetings]
