"""Fault tests: an exception in the middle of a service that writes more than
one row leaves nothing behind.

Every service writes its audit event last, inside its transaction, after its
domain rows; making ``emulation.audit.record`` raise therefore fails the
service after all of its other writes. The test then compares a snapshot of
every row of every table of the project's apps (inserts, updates and deletes
all show) with the snapshot before, runs the service for real, and checks
that it does write more than one row (so the case is a real multi-row one).

Files written to storage before the failure are not rows; they are orphaned,
never referenced (storage names are random).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from emulation import audit
from tests.factories import put_in_phase

pytestmark = pytest.mark.django_db

D = Decimal
APPS = ("blocs", "awards", "emulation")


class Boom(RuntimeError):
    """The fault injected in the middle of a service."""


def _boom(**kwargs):
    raise Boom("injected fault")


def snapshot() -> dict[str, list[tuple]]:
    rows = {}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            rows[model._meta.label] = [repr(r) for r in model.objects.order_by("pk").values_list()]
    return rows


def changed_rows(before: dict, after: dict) -> int:
    total = 0
    for label, old in before.items():
        new = after[label]
        total += len(set(new) ^ set(old))
    return total


def all_or_nothing(monkeypatch, call, *, min_rows: int = 2):
    """Run ``call`` with a fault injected: nothing changes. Then run it for
    real: it changes at least ``min_rows`` rows. Returns its result."""
    before = snapshot()
    with monkeypatch.context() as patch:
        patch.setattr(audit, "record", _boom)
        with pytest.raises(Boom):
            call()
    assert snapshot() == before, "a failed service left rows behind"
    result = call()
    written = changed_rows(before, snapshot())
    assert written >= min_rows, f"expected a multi-row service, it changed {written} row(s)"
    return result


def xlsx(headers, rows) -> SimpleUploadedFile:
    from emulation.excel import workbook_bytes

    return SimpleUploadedFile(
        "du-lieu.xlsx",
        workbook_bytes(headers, rows),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# --- organisation -------------------------------------------------------------------------


def test_carry_forward_is_all_or_nothing(cast, monkeypatch):
    from blocs.models import BlocYear
    from blocs.services import bloc_year_carry_forward, emulation_year_create

    emulation_year_create(actor=cast.council, province=cast.province, year=2024)
    new = all_or_nothing(
        monkeypatch,
        lambda: bloc_year_carry_forward(actor=cast.council, bloc_year=cast.bloc_year),
    )
    assert BlocYear.objects.get(pk=new.pk).memberships.count() == 2


def test_agency_import_is_all_or_nothing(cast, monkeypatch):
    from blocs.importers import agencies
    from blocs.models import Agency

    headers, _rows = agencies.export_rows(Agency.objects.none())
    rows = [[f"moi{i}", f"Sở Mới {i}", f"SM{i}", None, None, cast.province.code] for i in range(3)]
    file = xlsx(headers, rows)

    def run_agencies():
        file.seek(0)
        result = agencies.run(file, actor=cast.council, provinces=[cast.province])
        assert result.ok, (result.file_errors, [r.errors for r in result.rows])
        return result

    all_or_nothing(monkeypatch, run_agencies)


# --- scoring tables and self-assessment ---------------------------------------------------


def test_scoring_table_copy_import_and_opening_are_all_or_nothing(cast, monkeypatch):
    from blocs.importers.scoring_table import export_rows, import_table
    from blocs.models import ScoringTable, SelfAssessment
    from blocs.services import (
        bloc_year_open_self_assessment,
        emulation_year_create,
        scoring_table_copy,
    )
    from tests.factories.scoring import small_table

    table, _criteria = small_table(cast.council, cast.bloc_year.year)
    next_year = emulation_year_create(actor=cast.council, province=cast.province, year=2024)
    copy = all_or_nothing(
        monkeypatch,
        lambda: scoring_table_copy(actor=cast.council, table=table, year=next_year),
    )
    assert copy.groups.count() == 3

    headers, rows = export_rows(table)
    file = xlsx(headers, rows)
    later = emulation_year_create(actor=cast.council, province=cast.province, year=2025)

    def run_import():
        file.seek(0)
        result, imported = import_table(file, actor=cast.council, year=later, bloc=None)
        assert result.ok, (result.file_errors, [r.errors for r in result.rows])
        return imported

    imported = all_or_nothing(monkeypatch, run_import)
    assert ScoringTable.objects.get(pk=imported.pk).groups.count() == 3

    from blocs.enums import Phase

    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    all_or_nothing(
        monkeypatch,
        lambda: bloc_year_open_self_assessment(actor=cast.council, bloc_year=cast.bloc_year),
    )
    assert SelfAssessment.objects.filter(membership__bloc_year=cast.bloc_year).count() == 2


# --- registration -------------------------------------------------------------------------


def test_registration_writes_are_all_or_nothing(cast, monkeypatch):
    from awards.models import AwardType
    from blocs import services
    from blocs.models import Registration

    services.registration_target_add(
        actor=cast.officer,
        membership=cast.member,
        indicator="Tỷ lệ hồ sơ giải quyết đúng hạn",
        unit="%",
        target_value=D("100"),
    )
    all_or_nothing(
        monkeypatch,
        lambda: services.registration_set_award_types(
            actor=cast.officer,
            membership=cast.member,
            award_types=AwardType.objects.filter(code__in=["tt_ldxs", "bk_ubnd"]),
        ),
        min_rows=1,
    )
    assert Registration.objects.get(membership=cast.member).award_types.count() == 2
    all_or_nothing(
        monkeypatch,
        lambda: services.registration_submit(actor=cast.head, membership=cast.member),
        min_rows=1,
    )


# --- review, disputes, lock, ranking ------------------------------------------------------


def test_review_services_are_all_or_nothing(cast, monkeypatch):
    from blocs import services
    from blocs.enums import AssessmentState
    from blocs.models import FinalScore
    from tests.factories.review import make_env

    env = make_env(cast, members=4)
    by = env.bloc_year
    services.review_configure(actor=env.secretariat, bloc_year=by, mode="both")
    rows = all_or_nothing(
        monkeypatch,
        lambda: services.review_assignment_generate(actor=env.secretariat, bloc_year=by, seed=7),
    )
    assert len(rows) == 4
    all_or_nothing(
        monkeypatch, lambda: services.review_start(actor=env.secretariat, bloc_year=by), min_rows=1
    )
    c11, c21 = env.table.criteria["1.1"], env.table.criteria["2.1"]
    for row in rows:
        assessment = env.assessment(row.reviewee)
        reviewer = env.officers[row.reviewer_id]
        all_or_nothing(
            monkeypatch,
            lambda a=assessment, r=reviewer: services.assessment_review_save(
                actor=r,
                assessment=a,
                stage="cross",
                entries={c11.pk: (D("20"), "Thiếu minh chứng"), c21.pk: (D("15"), "Chậm hạn")},
            ),
        )
        services.assessment_review_complete(actor=reviewer, assessment=assessment, stage="cross")
    for membership in env.memberships:
        assessment = env.assessment(membership)
        services.assessment_review_save(
            actor=env.secretariat, assessment=assessment, stage="leader", entries={}
        )
        all_or_nothing(
            monkeypatch,
            lambda a=assessment: services.assessment_review_complete(
                actor=env.secretariat, assessment=a, stage="leader"
            ),
            min_rows=1,
        )
    all_or_nothing(
        monkeypatch,
        lambda: services.review_release(actor=env.secretariat, bloc_year=by),
        min_rows=1,
    )
    member = env.memberships[1]
    disputed = env.assessment(member)
    dispute = all_or_nothing(
        monkeypatch,
        lambda: services.dispute_open(
            actor=env.officers[member.pk],
            assessment=disputed,
            criterion=c11,
            explanation="Báo cáo đã gửi đúng hạn, có sổ công văn.",
            files=[SimpleUploadedFile("so-cong-van.pdf", PDF, "application/pdf")],
        ),
    )
    all_or_nothing(
        monkeypatch,
        lambda: services.dispute_resolve(
            actor=env.secretariat,
            dispute=dispute,
            accept=True,
            resolution="Đã kiểm tra sổ công văn đi: báo cáo gửi đúng hạn.",
        ),
    )
    finals = all_or_nothing(
        monkeypatch, lambda: services.review_lock(actor=env.secretariat, bloc_year=by), min_rows=8
    )
    assert len(finals) == FinalScore.objects.count() == 4
    assert {env.assessment(m).state for m in env.memberships} == {AssessmentState.LOCKED}
    all_or_nothing(
        monkeypatch,
        lambda: services.ranking_publish(actor=env.secretariat, bloc_year=by),
        min_rows=1,
    )
    all_or_nothing(
        monkeypatch,
        lambda: services.review_unlock(actor=cast.council, bloc_year=by, reason="Sửa sai sót"),
    )
    assert not FinalScore.objects.exists()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- conference, polls and ballots --------------------------------------------------------


def test_voting_services_are_all_or_nothing(monkeypatch):
    from awards.enums import PollMode, PollState, ThresholdBase
    from awards.models import Ballot, BallotChoice, Result, VoterRecord
    from awards.services.meeting import counter_add, next_leadership_set
    from awards.services.voting import (
        ballot_cast,
        paper_count_enter,
        poll_close,
        poll_create,
        poll_open,
        poll_publish,
    )
    from tests.factories.meeting import build_conference

    conf = build_conference(members=5, prefix="f")
    poll = all_or_nothing(
        monkeypatch,
        lambda: poll_create(
            actor=conf.secretariat,
            meeting=conf.meeting,
            award_type=conf.award("tt_ldxs"),
            quota=2,
            threshold_percent=50,
            threshold_base=ThresholdBase.VALID_BALLOTS,
            candidates=conf.memberships,
        ),
    )
    all_or_nothing(monkeypatch, lambda: poll_open(actor=conf.secretariat, poll=poll), min_rows=1)
    first, second = list(poll.candidates.order_by("pk"))[:2]
    for head, membership in zip(conf.heads, conf.memberships, strict=True):
        all_or_nothing(
            monkeypatch,
            lambda h=head, m=membership: ballot_cast(
                actor=h, poll=poll, agency_id=m.agency_id, candidate_ids=[first.pk, second.pk]
            ),
            min_rows=4,  # voter record, ballot, two choices
        )
    assert VoterRecord.objects.filter(poll=poll).count() == Ballot.objects.count() == 5
    assert BallotChoice.objects.count() == 10
    all_or_nothing(monkeypatch, lambda: poll_close(actor=conf.secretariat, poll=poll))
    assert Result.objects.filter(poll=poll).exists()
    all_or_nothing(monkeypatch, lambda: poll_publish(actor=conf.secretariat, poll=poll), min_rows=1)
    poll.refresh_from_db()
    assert poll.state == PollState.PUBLISHED

    paper = poll_create(
        actor=conf.secretariat,
        meeting=conf.meeting,
        award_type=conf.award("bk_ubnd"),
        mode=PollMode.PAPER,
        quota=1,
        threshold_percent=50,
        threshold_base=ThresholdBase.VALID_BALLOTS,
        candidates=conf.memberships[:2],
    )
    poll_open(actor=conf.secretariat, poll=paper)
    poll_close(actor=conf.secretariat, poll=paper)
    a, b = list(paper.candidates.order_by("pk"))
    counter_add(actor=conf.secretariat, meeting=conf.meeting, user=conf.heads[2])
    all_or_nothing(
        monkeypatch,
        lambda: paper_count_enter(
            actor=conf.heads[2],
            poll=paper,
            ballots_total=5,
            ballots_blank=0,
            ballots_invalid=0,
            votes={a.pk: 4, b.pk: 1},
        ),
    )
    all_or_nothing(
        monkeypatch,
        lambda: next_leadership_set(
            actor=conf.secretariat,
            meeting=conf.meeting,
            leader=conf.memberships[1].agency,
            deputy=conf.memberships[2].agency,
            method="rotation",
        ),
        min_rows=1,
    )


# --- documents, proposal, decision --------------------------------------------------------


def test_document_proposal_and_decision_are_all_or_nothing(monkeypatch):
    from awards.enums import ProposalState
    from awards.models import AwardRecord, Proposal
    from awards.services import (
        decision_record,
        proposal_create,
        proposal_items_decide,
        proposal_receive,
        proposal_submit,
    )
    from emulation.models import IssuedDocument
    from tests.factories.proposal import build_voted, issue_letter

    conf = build_voted(members=4, prefix="g", letter=False)
    all_or_nothing(monkeypatch, lambda: issue_letter(conf), min_rows=1)
    assert IssuedDocument.objects.count() == 1
    proposal = all_or_nothing(
        monkeypatch,
        lambda: proposal_create(actor=conf.secretariat, bloc_year=conf.bloc_year, number="05/TTr"),
    )
    assert proposal.items.count() >= 2
    all_or_nothing(
        monkeypatch, lambda: proposal_submit(actor=conf.secretariat, proposal=proposal), min_rows=1
    )
    all_or_nothing(monkeypatch, lambda: proposal_receive(actor=None, proposal=proposal), min_rows=1)
    approved = set(proposal.items.values_list("pk", flat=True))
    all_or_nothing(
        monkeypatch,
        lambda: proposal_items_decide(actor=None, proposal=proposal, approved_ids=approved),
    )
    all_or_nothing(
        monkeypatch,
        lambda: decision_record(
            actor=None,
            proposal=proposal,
            number="215/QĐ-UBND",
            date=datetime.date(2024, 3, 15),
            signer="Chủ tịch UBND tỉnh",
        ),
    )
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.DECIDED
    assert AwardRecord.objects.filter(year=2023).count() == len(approved)


# --- rules, facts, history ----------------------------------------------------------------


def test_rule_set_copy_and_fact_imports_are_all_or_nothing(cast, monkeypatch):
    from awards.importers.facts import columns as fact_columns
    from awards.importers.facts import import_facts
    from awards.importers.history import columns as history_columns
    from awards.importers.history import import_history
    from awards.models import AgencyYearFact, AwardRecord
    from awards.selectors import rule_set_for
    from awards.services import rule_set_copy

    source = rule_set_for(year=2025)
    copy = all_or_nothing(
        monkeypatch,
        lambda: rule_set_copy(
            actor=cast.admin,
            source=source,
            name="Nghị định giả định",
            legal_basis="Nghị định 1/2028/NĐ-CP",
            first_year=2028,
        ),
    )
    assert copy.rules.count() == source.rules.count()

    agencies = [cast.leader.agency, cast.member.agency]
    facts = xlsx(
        [c.header for c in fact_columns()],
        [[a.code, "Hoàn thành xuất sắc nhiệm vụ", 55, "QĐ 12/QĐ-UBND"] for a in agencies],
    )

    def run_facts():
        facts.seek(0)
        result = import_facts(
            actor=cast.council, file=facts, year=2023, province=cast.province, write=True
        )
        assert result.ok, (result.file_errors, [r.errors for r in result.rows])
        return result

    all_or_nothing(monkeypatch, run_facts)
    assert AgencyYearFact.objects.filter(year=2023).count() == 2

    history = xlsx(
        [c.header for c in history_columns()],
        [
            [a.code, "tt_ldxs", 2022, "45/QĐ-UBND", datetime.date(2023, 2, 1), "Chủ tịch"]
            for a in agencies
        ],
    )

    def run_history():
        history.seek(0)
        result = import_history(
            actor=cast.council, file=history, province=cast.province, write=True
        )
        assert result.ok, (result.file_errors, [r.errors for r in result.rows])
        return result

    all_or_nothing(monkeypatch, run_history)
    assert AwardRecord.objects.filter(year=2022).count() == 2


# --- the connection lost in the middle of a ballot (PostgreSQL) ---------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_connection_lost_between_voter_record_and_ballot_leaves_neither(monkeypatch):
    """The backend is killed (pg_terminate_backend from a second connection)
    after the VoterRecord insert and before the Ballot insert: on a fresh
    connection, neither row exists, and the agency can vote again."""
    from django.db import connection, connections
    from django.db.utils import DatabaseError

    from awards.models import Ballot, BallotChoice, VoterRecord
    from awards.services import voting
    from tests.factories.meeting import build_conference

    conf = build_conference(members=3, prefix="pg")
    poll = conf.open_poll()
    candidate = poll.candidates.first()
    real_receipt = voting._new_receipt

    def kill_then_continue():
        assert VoterRecord.objects.filter(poll=poll).count() == 1  # inserted, uncommitted
        victim = connection.connection.info.backend_pid
        killer = connections.create_connection("default")
        try:
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [victim])
        finally:
            killer.close()
        return real_receipt()

    monkeypatch.setattr(voting, "_new_receipt", kill_then_continue)
    with pytest.raises(DatabaseError):
        voting.ballot_cast(
            actor=conf.heads[1],
            poll=poll,
            agency_id=conf.memberships[1].agency_id,
            candidate_ids=[candidate.pk],
        )
    monkeypatch.setattr(voting, "_new_receipt", real_receipt)
    connection.close()  # the broken connection; the next query opens a fresh one

    assert VoterRecord.objects.filter(poll=poll).count() == 0
    assert Ballot.objects.filter(poll=poll).count() == 0
    assert BallotChoice.objects.filter(ballot__poll=poll).count() == 0
    receipt = voting.ballot_cast(
        actor=conf.heads[1],
        poll=poll,
        agency_id=conf.memberships[1].agency_id,
        candidate_ids=[candidate.pk],
    ).receipt
    assert receipt
    assert VoterRecord.objects.filter(poll=poll).count() == 1
    assert Ballot.objects.filter(poll=poll).count() == 1


def test_membership_import_is_all_or_nothing(cast, monkeypatch):
    from blocs.importers import memberships
    from blocs.models import Membership
    from blocs.services import bloc_year_create, emulation_year_create

    year = emulation_year_create(actor=cast.council, province=cast.province, year=2024)
    target = bloc_year_create(actor=cast.council, bloc=cast.bloc_year.bloc, year=year)
    headers, rows = memberships.export_rows(
        Membership.objects.filter(bloc_year=cast.bloc_year).select_related(
            "agency", "bloc_year__bloc", "bloc_year__year"
        )
    )
    file = xlsx(headers, [[row[0], 2024, *row[2:]] for row in rows])

    def run_import():
        file.seek(0)
        result = memberships.run(file, actor=cast.council, provinces=[cast.province])
        assert result.ok, (result.file_errors, [r.errors for r in result.rows])
        return result

    all_or_nothing(monkeypatch, run_import)
    assert Membership.objects.filter(bloc_year=target).count() == 2


def test_progress_report_is_all_or_nothing(cast, monkeypatch):
    from blocs import services
    from blocs.models import TargetProgress

    targets = [
        services.registration_target_add(
            actor=cast.officer,
            membership=cast.member,
            indicator=f"Chỉ tiêu {i}",
            unit="%",
            target_value=D("100"),
        )
        for i in range(3)
    ]
    services.registration_submit(actor=cast.head, membership=cast.member)
    put_in_phase(cast.bloc_year, "in_progress")
    all_or_nothing(
        monkeypatch,
        lambda: services.target_progress_report(
            actor=cast.officer,
            membership=cast.member,
            period="mid_year",
            values={t.pk: (D("50"), "Đạt một nửa") for t in targets},
        ),
    )
    assert TargetProgress.objects.count() == 3
