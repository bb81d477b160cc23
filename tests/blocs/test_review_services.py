"""The review workflow through its services: verified scores and adjustments,
release, disputes, lock and unlock, publication."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from awards.models import AgencyYearFact
from blocs import services
from blocs.enums import AssessmentState, DeadlineStep, DisputeState, Phase
from blocs.models import Adjustment, Dispute, EmulationYear, FinalScore, ReviewedScore
from blocs.selectors import ranking_for
from blocs.selectors.review import review_sheet
from emulation.models import AuditEvent
from tests.factories.files import pdf
from tests.factories.review import D, make_env, verify_all


def test_review_save_requires_a_reason_for_every_difference(env):
    services.review_configure(actor=env.secretariat, bloc_year=env.bloc_year, mode="leader")
    services.review_start(actor=env.secretariat, bloc_year=env.bloc_year)
    assessment = env.assessment(env.memberships[1])
    c11, c12 = env.table.criteria["1.1"], env.table.criteria["1.2"]
    with pytest.raises(ValidationError) as exc:
        services.assessment_review_save(
            actor=env.secretariat,
            assessment=assessment,
            stage="leader",
            entries={c11.pk: (D("20"), ""), c12.pk: (D("20"), "")},
        )
    assert f"reason_{c11.pk}" in exc.value.message_dict
    assert f"reason_{c12.pk}" not in exc.value.message_dict  # equal to the self score
    assert exc.value.message_dict[f"reason_{c11.pk}"] == ["Nêu lý do thay đổi điểm tiêu chí 1.1."]
    assert not ReviewedScore.objects.exists() and not Adjustment.objects.exists()


def test_review_save_records_adjustment_and_audit(env):
    services.review_configure(actor=env.secretariat, bloc_year=env.bloc_year, mode="leader")
    services.review_start(actor=env.secretariat, bloc_year=env.bloc_year)
    assessment = env.assessment(env.memberships[1])
    c11 = env.table.criteria["1.1"]
    services.assessment_review_save(
        actor=env.secretariat,
        assessment=assessment,
        stage="leader",
        entries={c11.pk: (D("22.5"), "Thiếu minh chứng kế hoạch")},
    )
    adj = Adjustment.objects.get()
    assert (adj.old_score, adj.new_score, adj.reason, adj.created_by) == (
        D("25.00"),
        D("22.50"),
        "Thiếu minh chứng kế hoạch",
        env.secretariat,
    )
    # Changing it again also needs a reason, and records a second adjustment.
    with pytest.raises(ValidationError):
        services.assessment_review_save(
            actor=env.secretariat,
            assessment=assessment,
            stage="leader",
            entries={c11.pk: (D("25"), "")},
        )
    services.assessment_review_save(
        actor=env.secretariat,
        assessment=assessment,
        stage="leader",
        entries={c11.pk: (D("25"), "Đã bổ sung minh chứng")},
    )
    assert Adjustment.objects.count() == 2
    assert AuditEvent.objects.filter(action="review.score").count() == 2
    sheet = review_sheet(assessment)
    assert sheet.verified_totals.total == sheet.self_totals.total == D("70.00")


def test_review_score_checked_against_max_and_step(env):
    services.review_configure(actor=env.secretariat, bloc_year=env.bloc_year, mode="leader")
    services.review_start(actor=env.secretariat, bloc_year=env.bloc_year)
    c11 = env.table.criteria["1.1"]
    with pytest.raises(ValidationError) as exc:
        services.assessment_review_save(
            actor=env.secretariat,
            assessment=env.assessment(env.memberships[1]),
            stage="leader",
            entries={c11.pk: (D("31"), "x")},
        )
    assert f"score_{c11.pk}" in exc.value.message_dict


def test_only_the_secretariat_verifies_in_leader_mode(env):
    services.review_configure(actor=env.secretariat, bloc_year=env.bloc_year, mode="leader")
    services.review_start(actor=env.secretariat, bloc_year=env.bloc_year)
    with pytest.raises(PermissionDenied):
        services.assessment_review_complete(
            actor=env.officers[env.memberships[1].pk],
            assessment=env.assessment(env.memberships[2]),
            stage="leader",
        )


def test_release_needs_every_assessment_verified(env):
    services.review_configure(actor=env.secretariat, bloc_year=env.bloc_year, mode="leader")
    services.review_start(actor=env.secretariat, bloc_year=env.bloc_year)
    with pytest.raises(ValidationError):
        services.review_release(actor=env.secretariat, bloc_year=env.bloc_year)


def _released(env):
    member = env.memberships[1]
    verify_all(env, {member.pk: {"1.1": ("20", "Báo cáo nộp chậm 5 ngày")}})
    services.review_release(actor=env.secretariat, bloc_year=env.bloc_year)
    return member, env.assessment(member)


def test_cross_scoring_then_leader_decides_last(cast):
    env = make_env(cast, members=4)
    by = env.bloc_year
    services.review_configure(actor=env.secretariat, bloc_year=by, mode="both")
    rows = services.review_assignment_generate(actor=env.secretariat, bloc_year=by, seed=7)
    assert len(rows) == 4 and all(r.reviewer_id != env.leader.pk for r in rows)
    services.review_start(actor=env.secretariat, bloc_year=by)
    by.refresh_from_db()
    assert by.phase == Phase.REVIEW
    target = next(r for r in rows if r.reviewee_id != env.leader.pk)
    assessment = env.assessment(target.reviewee)
    reviewer = env.officers[target.reviewer_id]
    c21 = env.table.criteria["2.1"]
    # The leader must wait for the cross-scorer.
    with pytest.raises(PermissionDenied):
        services.assessment_review_save(
            actor=env.secretariat, assessment=assessment, stage="leader", entries={}
        )
    services.assessment_review_save(
        actor=reviewer,
        assessment=assessment,
        stage="cross",
        entries={c21.pk: (D("18"), "Tỷ lệ hồ sơ đúng hạn chưa đạt")},
    )
    services.assessment_review_complete(actor=reviewer, assessment=assessment, stage="cross")
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED
    # The leader starts from the cross score: keeping 18 needs no reason.
    services.assessment_review_save(
        actor=env.secretariat,
        assessment=assessment,
        stage="leader",
        entries={c21.pk: (D("18"), "")},
    )
    services.assessment_review_complete(
        actor=env.secretariat, assessment=assessment, stage="leader"
    )
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.VERIFIED
    assert review_sheet(assessment).verified_totals.total == D("68.00")


def test_dispute_accepted_changes_the_score(env):
    member, assessment = _released(env)
    officer = env.officers[member.pk]
    c11 = env.table.criteria["1.1"]
    dispute = services.dispute_open(
        actor=officer,
        assessment=assessment,
        criterion=c11,
        explanation="Báo cáo đã gửi đúng hạn qua hệ thống quản lý văn bản.",
        files=[pdf("cong-van.pdf")],
    )
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.DISPUTED
    assert dispute.evidence.count() == 1
    with pytest.raises(ValidationError, match="giải quyết hết các kiến nghị"):
        services.review_lock(actor=env.secretariat, bloc_year=env.bloc_year)
    services.dispute_resolve(
        actor=env.secretariat,
        dispute=dispute,
        accept=True,
        resolution="Đã kiểm tra sổ công văn đi: báo cáo gửi đúng hạn.",
    )
    dispute.refresh_from_db()
    assessment.refresh_from_db()
    assert dispute.state == DisputeState.ACCEPTED and dispute.resolved_score == D("25")
    assert assessment.state == AssessmentState.VERIFIED
    last = Adjustment.objects.order_by("-id").first()
    assert (last.old_score, last.new_score, last.dispute) == (D("20"), D("25"), dispute)
    assert review_sheet(assessment).verified_totals.total == D("70.00")


def test_dispute_rejected_keeps_the_score_and_needs_a_reason(env):
    member, assessment = _released(env)
    c11 = env.table.criteria["1.1"]
    dispute = services.dispute_open(
        actor=env.officers[member.pk],
        assessment=assessment,
        criterion=c11,
        explanation="Đề nghị xem xét lại.",
    )
    with pytest.raises(ValidationError):
        services.dispute_resolve(
            actor=env.secretariat, dispute=dispute, accept=False, resolution=" "
        )
    services.dispute_resolve(
        actor=env.secretariat,
        dispute=dispute,
        accept=False,
        resolution="Không có minh chứng gửi đúng hạn.",
    )
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.REJECTED
    assert review_sheet(assessment).verified_totals.total == D("65.00")
    with pytest.raises(ValidationError):
        services.dispute_resolve(
            actor=env.secretariat, dispute=dispute, accept=True, resolution="Đổi ý"
        )


def test_dispute_refused_after_deadline_and_for_others(env):
    member, assessment = _released(env)
    year = env.bloc_year.year
    year.dispute_deadline = datetime.date(2024, 1, 5)
    year.save()
    c11 = env.table.criteria["1.1"]
    with pytest.raises(ValidationError) as exc:
        services.dispute_open(
            actor=env.officers[member.pk],
            assessment=assessment,
            criterion=c11,
            explanation="Muộn",
            today=datetime.date(2024, 1, 6),
        )
    assert "05/01/2024" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.dispute_open(
            actor=env.officers[env.memberships[2].pk],
            assessment=assessment,
            criterion=c11,
            explanation="Không phải của tôi",
            today=datetime.date(2024, 1, 4),
        )
    # An item without adjustment cannot be disputed.
    with pytest.raises(ValidationError):
        services.dispute_open(
            actor=env.officers[member.pk],
            assessment=assessment,
            criterion=env.table.criteria["1.2"],
            explanation="?",
            today=datetime.date(2024, 1, 4),
        )
    assert not Dispute.objects.exists()


def test_lock_snapshot_publish_and_audited_unlock(env, cast):
    _released(env)
    by = env.bloc_year
    finals = services.review_lock(actor=env.secretariat, bloc_year=by)
    assert len(finals) == 3
    assert {env.assessment(m).state for m in env.memberships} == {AssessmentState.LOCKED}
    ranking = ranking_for(by)
    assert [r.total for r in ranking] == [D("70.00"), D("70.00"), D("65.00")]
    assert [r.rank for r in ranking] == [1, 1, 3]
    # Locked: no more changes, and only council staff can unlock.
    with pytest.raises(PermissionDenied):
        services.review_unlock(actor=env.secretariat, bloc_year=by, reason="Sửa")
    with pytest.raises(PermissionDenied):
        services.review_unlock(actor=cast.other_council, bloc_year=by, reason="Sửa")
    services.ranking_publish(actor=env.secretariat, bloc_year=by)
    by.refresh_from_db()
    assert by.phase == Phase.RANKING_PUBLISHED
    with pytest.raises(ValidationError):
        services.review_unlock(actor=cast.council, bloc_year=by, reason="")
    services.review_unlock(
        actor=cast.council, bloc_year=by, reason="Phát hiện sai sót cộng điểm tiêu chí 2.1"
    )
    by.refresh_from_db()
    assert by.phase == Phase.REVIEW
    assert not FinalScore.objects.exists() and ranking_for(by) == []
    assert {env.assessment(m).state for m in env.memberships} == {AssessmentState.VERIFIED}
    event = AuditEvent.objects.get(action="review.unlock")
    assert event.data["reason"] == "Phát hiện sai sót cộng điểm tiêu chí 2.1"
    assert len(event.data["snapshot"]) == 3
    # Locked again after the correction.
    services.review_lock(actor=env.secretariat, bloc_year=by)
    assert FinalScore.objects.count() == 3


def test_nothing_changes_while_locked(env):
    member, assessment = _released(env)
    services.review_lock(actor=env.secretariat, bloc_year=env.bloc_year)
    with pytest.raises((PermissionDenied, ValidationError)):
        services.assessment_review_save(
            actor=env.secretariat,
            assessment=assessment,
            stage="leader",
            entries={env.table.criteria["1.1"].pk: (D("10"), "x")},
        )
    with pytest.raises(ValidationError):
        services.dispute_open(
            actor=env.officers[member.pk],
            assessment=assessment,
            criterion=env.table.criteria["1.1"],
            explanation="x",
        )
    assert Decimal(ranking_for(env.bloc_year)[-1].total) == D("65.00")


def test_mode_and_assignment_frozen_once_started(cast):
    env = make_env(cast, members=3)
    services.review_configure(actor=env.secretariat, bloc_year=env.bloc_year, mode="cross")
    rows = services.review_assignment_generate(actor=env.secretariat, bloc_year=env.bloc_year)
    other = next(
        m for m in env.memberships if m.pk not in (rows[0].reviewee_id, rows[0].reviewer_id)
    )
    services.review_assignment_change(actor=env.secretariat, assignment=rows[0], reviewer=other)
    with pytest.raises(ValidationError):
        services.review_assignment_change(
            actor=env.secretariat,
            assignment=rows[0],
            reviewer=next(m for m in env.memberships if m.pk == rows[0].reviewee_id),
        )
    services.review_start(actor=env.secretariat, bloc_year=env.bloc_year)
    with pytest.raises(ValidationError):
        services.review_assignment_generate(actor=env.secretariat, bloc_year=env.bloc_year)
    with pytest.raises(ValidationError):
        services.review_configure(actor=env.secretariat, bloc_year=env.bloc_year, mode="leader")


# --- not before: the dispute deadline and the year's facts ---------------------------------


def _verified_and_released(env):
    verify_all(env)
    services.review_release(actor=env.secretariat, bloc_year=env.bloc_year)


def test_the_scores_are_not_locked_before_the_dispute_deadline(env):
    _verified_and_released(env)
    EmulationYear.objects.filter(pk=env.bloc_year.year_id).update(
        dispute_deadline=timezone.localdate() + datetime.timedelta(days=3)
    )
    env.bloc_year.refresh_from_db()

    with pytest.raises(ValidationError, match="khiếu nại"):
        services.review_lock(actor=env.secretariat, bloc_year=env.bloc_year)
    assert not FinalScore.objects.filter(bloc_year=env.bloc_year).exists()

    services.review_lock(
        actor=env.secretariat,
        bloc_year=env.bloc_year,
        today=timezone.localdate() + datetime.timedelta(days=4),
    )
    assert FinalScore.objects.filter(bloc_year=env.bloc_year).count() == 3


def test_the_scores_are_not_locked_before_the_years_facts_are_recorded(env):
    _verified_and_released(env)
    missing = env.memberships[2].agency
    AgencyYearFact.objects.filter(agency=missing).delete()

    with pytest.raises(ValidationError) as refused:
        services.review_lock(actor=env.secretariat, bloc_year=env.bloc_year)

    assert missing.name in refused.value.messages[0]
    assert "tỷ lệ nữ" in refused.value.messages[0]
    assert not FinalScore.objects.filter(bloc_year=env.bloc_year).exists()


def test_the_scores_wait_for_an_agency_given_more_time_to_dispute(env):
    _verified_and_released(env)
    EmulationYear.objects.filter(pk=env.bloc_year.year_id).update(
        dispute_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    env.bloc_year.refresh_from_db()
    extended_to = timezone.localdate() + datetime.timedelta(days=2)
    services.deadline_extend(
        actor=env.council,
        bloc_year=env.bloc_year,
        step=DeadlineStep.DISPUTES,
        deadline=extended_to,
        reason="Đơn vị bị ảnh hưởng bởi bão số 3.",
        membership=env.memberships[2],
    )

    with pytest.raises(ValidationError) as refused:
        services.review_lock(actor=env.secretariat, bloc_year=env.bloc_year)

    assert extended_to.strftime("%d/%m/%Y") in refused.value.messages[0]
    assert not FinalScore.objects.filter(bloc_year=env.bloc_year).exists()
    services.review_lock(
        actor=env.secretariat,
        bloc_year=env.bloc_year,
        today=extended_to + datetime.timedelta(days=1),
    )
    assert FinalScore.objects.filter(bloc_year=env.bloc_year).count() == 3
