"""A bloc-year whose self-assessments are scored and submitted (built through
the services), and its review by the leader."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import factory
from django.utils import timezone

from awards.services.facts import agency_fact_set
from blocs import services
from blocs.enums import MemberRole, Phase
from blocs.models import FinalScore, ReviewAssignment, SelfAssessment
from blocs.services.assessment import assessment_submit, evidence_add, item_score_save
from blocs.services.scoring import bloc_year_open_self_assessment
from emulation.enums import AgencyRole
from tests.factories.files import pdf
from tests.factories.organisation import AgencyFactory, UserFactory, add_member, put_in_phase
from tests.factories.scoring import Table, review_table

D = Decimal


@dataclass
class Env:
    bloc_year: object
    table: Table
    memberships: list
    officers: dict = field(default_factory=dict)  # membership pk → officer
    heads: dict = field(default_factory=dict)
    council: object = None

    @property
    def leader(self):
        return self.memberships[0]

    @property
    def secretariat(self):
        return self.officers[self.leader.pk]

    def assessment(self, membership) -> SelfAssessment:
        return SelfAssessment.objects.get(membership=membership)


DEFAULT_SCORES = {"1.1": "25", "1.2": "20", "2.1": "20", "2.2": "5", "2.3": "0"}


def make_env(cast, members: int = 3, scores: dict | None = None, evidence=()) -> Env:
    """The cast's bloc-year with ``members`` members (its leader and member
    first), a table, and every assessment scored and submitted."""
    bloc_year = cast.bloc_year
    memberships = [cast.leader, cast.member]
    officers = {cast.leader.pk: cast.secretariat, cast.member.pk: cast.officer}
    heads = {cast.leader.pk: cast.secretariat_head, cast.member.pk: cast.head}
    for i in range(2, members):
        m = add_member(
            bloc_year, AgencyFactory(province=cast.province, code=f"m{i}"), MemberRole.MEMBER, i + 1
        )
        memberships.append(m)
        officers[m.pk] = UserFactory(
            username=f"m{i}.officer", agency=m.agency, agency_role=AgencyRole.OFFICER
        )
        heads[m.pk] = UserFactory(
            username=f"m{i}.head", agency=m.agency, agency_role=AgencyRole.HEAD
        )
    table = review_table(cast.council, bloc_year)
    put_in_phase(bloc_year, Phase.IN_PROGRESS)
    bloc_year_open_self_assessment(actor=cast.council, bloc_year=bloc_year)
    bloc_year.refresh_from_db()
    for m in memberships:  # the year's facts the ranking reads
        agency_fact_set(
            actor=cast.council, agency=m.agency, year=bloc_year.year.year, women_percent=D("50")
        )
    env = Env(bloc_year, table, memberships, officers, heads, cast.council)
    for m in memberships:
        submit(env, m, (scores or {}).get(m.pk) or DEFAULT_SCORES, evidence)
    return env


def submit(env: Env, membership, values: dict, evidence=()) -> SelfAssessment:
    """Score ``values`` ({code: points}), attach evidence to ``evidence``
    (codes) and have the head submit."""
    assessment = env.assessment(membership)
    officer = env.officers[membership.pk]
    for code, value in values.items():
        item_score_save(
            actor=officer,
            assessment=assessment,
            criterion=env.table.criteria[code],
            field="score",
            value=D(value),
            base_version=0,
        )
    for code in evidence:
        evidence_add(
            actor=officer,
            assessment=assessment,
            criterion=env.table.criteria[code],
            file=pdf(f"minh-chung-{code}.pdf"),
        )
    return assessment_submit(actor=env.heads[membership.pk], assessment=assessment)


def verify_all(env: Env, changes: dict | None = None) -> None:
    """Leader-mode review of every assessment; ``changes`` maps membership pk →
    {code: (score, reason)}."""
    review = services.review_configure(
        actor=env.secretariat, bloc_year=env.bloc_year, mode="leader"
    )
    if review.started_at is None:
        services.review_start(actor=env.secretariat, bloc_year=env.bloc_year)
    for m in env.memberships:
        assessment = env.assessment(m)
        entries = {
            env.table.criteria[code].pk: (D(score), reason)
            for code, (score, reason) in (changes or {}).get(m.pk, {}).items()
        }
        if entries:
            services.assessment_review_save(
                actor=env.secretariat, assessment=assessment, stage="leader", entries=entries
            )
        services.assessment_review_complete(
            actor=env.secretariat, assessment=assessment, stage="leader"
        )


class FinalScoreFactory(factory.django.DjangoModelFactory):
    """A locked ranking row, as the review's lock writes it: for tests that
    arrange a ranking without walking the review."""

    class Meta:
        model = FinalScore

    membership = None
    bloc_year = factory.LazyAttribute(lambda o: o.membership.bloc_year)
    total = D("90")
    self_total = factory.SelfAttribute("total")
    deduction = D("0")
    rank = 1
    locked_at = factory.LazyFunction(timezone.now)


class ReviewAssignmentFactory(factory.django.DjangoModelFactory):
    """Which member reviews which, as the secretariat assigns it."""

    class Meta:
        model = ReviewAssignment

    reviewer = None
    reviewee = None
    bloc_year = factory.LazyAttribute(lambda o: o.reviewee.bloc_year)
