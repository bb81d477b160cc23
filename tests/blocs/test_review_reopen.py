"""A completed verification can be reopened, with a reason, until the
verified scores are released — by the secretariat or council staff."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from blocs import services
from blocs.enums import AssessmentState
from emulation.models import AuditEvent
from tests.factories.review import make_env, verify_all


@pytest.fixture
def env(cast):
    environment = make_env(cast, members=2)
    verify_all(environment)
    return environment


def reopen_url(assessment):
    return reverse("blocs:review_reopen", args=[assessment.pk])


def test_the_secretariat_reopens_a_completed_verification_with_a_reason(env):
    assessment = env.assessment(env.memberships[1])
    assert assessment.state == AssessmentState.VERIFIED

    services.assessment_review_reopen(
        actor=env.secretariat, assessment=assessment, reason="Nhập nhầm điểm tiêu chí 1.2."
    )

    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED
    event = AuditEvent.objects.filter(action="review.reopen").latest("pk")
    assert event.data == {
        "old": "verified",
        "new": "submitted",
        "reason": "Nhập nhầm điểm tiêu chí 1.2.",
    }
    # The review of it goes on: it can be completed again.
    services.assessment_review_complete(
        actor=env.secretariat, assessment=assessment, stage="leader"
    )
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.VERIFIED


def test_council_staff_reopen_too(env, cast):
    assessment = env.assessment(env.memberships[1])
    services.assessment_review_reopen(actor=cast.council, assessment=assessment, reason="Sai sót.")
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED


def test_reopening_needs_a_reason_and_the_right_role(env, cast):
    assessment = env.assessment(env.memberships[1])
    with pytest.raises(ValidationError, match="lý do"):
        services.assessment_review_reopen(actor=env.secretariat, assessment=assessment, reason=" ")
    for user in (cast.officer, cast.head, cast.other_council):
        with pytest.raises(PermissionDenied):
            services.assessment_review_reopen(actor=user, assessment=assessment, reason="x")
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.VERIFIED


def test_once_released_the_verification_stays(env):
    services.review_release(actor=env.secretariat, bloc_year=env.bloc_year)
    assessment = env.assessment(env.memberships[1])

    with pytest.raises(ValidationError, match="đã được công bố"):
        services.assessment_review_reopen(actor=env.secretariat, assessment=assessment, reason="x")

    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.VERIFIED


# --- the page ---------------------------------------------------------------------------


def test_the_review_page_offers_reopening_and_takes_it(env, login):
    assessment = env.assessment(env.memberships[1])
    client = login(env.secretariat)
    page = client.get(reverse("blocs:review_assessment", args=[assessment.pk])).content.decode()
    assert reopen_url(assessment) in page

    response = client.post(reopen_url(assessment), {"reason": "Nhập nhầm."}, follow=True)

    assert "Đã mở lại việc thẩm định" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED


def test_the_page_refuses_without_a_reason(env, login):
    assessment = env.assessment(env.memberships[1])
    response = login(env.secretariat).post(reopen_url(assessment), {"reason": ""}, follow=True)
    assert "Hãy nêu lý do mở lại việc thẩm định" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.VERIFIED


def test_members_get_403_outsiders_404_and_get_405(env, cast, login):
    assessment = env.assessment(env.memberships[1])
    # Before the release the agency does not see its verification at all.
    assert login(cast.head).post(reopen_url(assessment), {"reason": "x"}).status_code == 404
    services.review_release(actor=env.secretariat, bloc_year=env.bloc_year)
    assert login(cast.head).post(reopen_url(assessment), {"reason": "x"}).status_code == 403
    assert login(cast.outsider).post(reopen_url(assessment), {"reason": "x"}).status_code == 404
    assert (
        login(cast.other_council).post(reopen_url(assessment), {"reason": "x"}).status_code == 404
    )
    assert login(env.secretariat).get(reopen_url(assessment)).status_code == 405
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.VERIFIED
