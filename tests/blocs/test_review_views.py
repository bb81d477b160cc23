"""Review pages: happy paths, the permission matrix (404 for can't-see, 403 for
can't-do, 405 for the wrong method) and query counts."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from blocs import services
from blocs.enums import AssessmentState, DisputeState, Phase
from blocs.models import Adjustment, Dispute
from emulation.models import AuditEvent
from tests.factories.files import PDF, pdf
from tests.factories.review import D, make_env, verify_all


def _started(env):
    services.review_configure(actor=env.secretariat, bloc_year=env.bloc_year, mode="leader")
    services.review_start(actor=env.secretariat, bloc_year=env.bloc_year)


def _released(env):
    member = env.memberships[1]
    verify_all(env, {member.pk: {"1.1": ("20", "Báo cáo nộp chậm 5 ngày")}})
    services.review_release(actor=env.secretariat, bloc_year=env.bloc_year)
    return member, env.assessment(member)


def _published(env):
    """Every member verified, the review released and locked, the ranking published."""
    verify_all(env)
    services.review_release(actor=env.secretariat, bloc_year=env.bloc_year)
    services.review_lock(actor=env.secretariat, bloc_year=env.bloc_year)
    services.ranking_publish(actor=env.secretariat, bloc_year=env.bloc_year)


# --- the overview ---------------------------------------------------------------


def test_overview_secretariat_sees_members_and_next_step(env, login):
    client = login(env.secretariat)
    response = client.get(reverse("blocs:review_overview", args=[env.bloc_year.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bắt đầu thẩm định" in text
    assert text.count('data-agency="') == 3
    assert "phase-bar" in text


def test_overview_outsider_404(env, cast, login):
    url = reverse("blocs:review_overview", args=[env.bloc_year.pk])
    assert login(cast.outsider).get(url).status_code == 404


def test_overview_member_sees_no_other_members(env, cast, login):
    response = login(cast.officer).get(reverse("blocs:review_overview", args=[env.bloc_year.pk]))
    assert response.status_code == 200
    assert 'data-agency="' not in response.content.decode()


def test_overview_post_405(env, login):
    url = reverse("blocs:review_overview", args=[env.bloc_year.pk])
    assert login(env.secretariat).post(url).status_code == 405


@pytest.mark.parametrize("members", [3, 7])
def test_overview_query_count_does_not_grow(cast, login, members, django_assert_num_queries):
    env = make_env(cast, members=members)
    services.review_configure(actor=env.secretariat, bloc_year=env.bloc_year, mode="cross")
    services.review_assignment_generate(actor=env.secretariat, bloc_year=env.bloc_year, seed=1)
    client = login(env.secretariat)
    url = reverse("blocs:review_overview", args=[env.bloc_year.pk])
    client.get(url)
    with django_assert_num_queries(_OVERVIEW_QUERIES):
        assert client.get(url).status_code == 200


_OVERVIEW_QUERIES = 15


@pytest.mark.parametrize("n", [1, 5])
def test_review_assessment_query_count_does_not_grow(cast, login, n, django_assert_num_queries):
    """The sheet shows each row's evidence files and verified score without a
    query per row."""
    codes = ["1.1", "1.2", "2.1", "2.2", "2.3"][:n]
    env = make_env(cast, members=3, evidence=codes)
    _started(env)
    assessment = env.assessment(cast.member)
    services.assessment_review_save(
        actor=env.secretariat,
        assessment=assessment,
        stage="leader",
        entries={env.table.criteria[code].pk: (D("1"), f"Điều chỉnh {code}") for code in codes},
    )
    client = login(env.secretariat)
    url = reverse("blocs:review_assessment", args=[assessment.pk])
    client.get(url)

    with django_assert_num_queries(_REVIEW_ASSESSMENT_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("minh-chung-") == n
    assert text.count("Điều chỉnh ") == n


_REVIEW_ASSESSMENT_QUERIES = 11


# --- secretariat actions: the matrix ------------------------------------------------


ACTIONS = [
    "review_start",
    "review_release",
    "review_lock",
    "ranking_publish",
    "review_assignment_generate",
    "review_settings",
]


@pytest.mark.parametrize("name", ACTIONS)
def test_actions_refuse_members_outsiders_and_get(env, cast, login, name):
    url = reverse(f"blocs:{name}", args=[env.bloc_year.pk])
    assert login(cast.officer).post(url, {"mode": "leader"}).status_code == 403
    assert login(cast.outsider).post(url, {"mode": "leader"}).status_code == 404
    assert login(env.secretariat).get(url).status_code == 405


def test_settings_start_and_refusal_message(env, login):
    client = login(env.secretariat)
    by = env.bloc_year
    response = client.post(
        reverse("blocs:review_settings", args=[by.pk]),
        {"mode": "cross", "tie_break_group": env.table.groups[0].pk},
    )
    assert response.status_code == 302
    # Starting cross-scoring without an assignment is refused with a message.
    response = client.post(reverse("blocs:review_start", args=[by.pk]), follow=True)
    assert "cần có đơn vị chấm chéo" in response.content.decode()
    client.post(reverse("blocs:review_assignment_generate", args=[by.pk]))
    client.post(reverse("blocs:review_start", args=[by.pk]))
    by.refresh_from_db()
    assert by.phase == Phase.REVIEW
    assert by.review.tie_break_group == env.table.groups[0]


def test_assignment_change_view(env, cast, login):
    services.review_configure(actor=env.secretariat, bloc_year=env.bloc_year, mode="cross")
    rows = services.review_assignment_generate(
        actor=env.secretariat, bloc_year=env.bloc_year, seed=3
    )
    a = rows[0]
    other = next(m for m in env.memberships if m.pk not in (a.reviewee_id, a.reviewer_id))
    url = reverse("blocs:review_assignment_change", args=[env.bloc_year.pk, a.pk])
    assert login(cast.officer).post(url, {"reviewer": other.pk}).status_code == 403
    assert login(env.secretariat).get(url).status_code == 405
    assert login(env.secretariat).post(url, {"reviewer": other.pk}).status_code == 302
    a.refresh_from_db()
    assert a.reviewer_id == other.pk


# --- one assessment -----------------------------------------------------------------


def test_sheet_reason_required_loses_nothing(env, login):
    _started(env)
    assessment = env.assessment(env.memberships[1])
    c11, c12 = env.table.criteria["1.1"], env.table.criteria["1.2"]
    url = reverse("blocs:review_assessment", args=[assessment.pk])
    client = login(env.secretariat)
    response = client.post(url, {f"score_{c11.pk}": "22,5", f"score_{c12.pk}": "18"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nêu lý do thay đổi điểm tiêu chí 1.1" in text
    assert 'value="22,5"' in text and 'value="18"' in text
    assert not Adjustment.objects.exists()
    response = client.post(
        url,
        {
            f"score_{c11.pk}": "22,5",
            f"reason_{c11.pk}": "Chưa có kế hoạch kiểm tra",
            f"score_{c12.pk}": "20",
            "action": "complete",
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.VERIFIED
    adj = Adjustment.objects.get()
    assert (adj.old_score, adj.new_score) == (D("25"), D("22.5"))
    page = client.get(url).content.decode()
    assert "Chưa có kế hoạch kiểm tra" in page and "−2,5" in page


def test_sheet_visibility(env, cast, login):
    _started(env)
    assessment = env.assessment(cast.member)
    url = reverse("blocs:review_assessment", args=[assessment.pk])
    assert login(cast.outsider).get(url).status_code == 404
    assert login(cast.officer).get(url).status_code == 404  # not released yet
    other = env.officers[env.memberships[2].pk]
    assert login(other).get(url).status_code == 404
    assert login(cast.council).get(url).status_code == 200
    # Council can see but not verify.
    assert login(cast.council).post(url, {}).status_code == 403
    assert login(env.secretariat).put(url).status_code == 405


def test_cross_scorer_sees_assigned_assessment_and_its_evidence(cast, login):
    env = make_env(cast, members=3)
    services.review_configure(actor=env.secretariat, bloc_year=env.bloc_year, mode="cross")
    rows = services.review_assignment_generate(
        actor=env.secretariat, bloc_year=env.bloc_year, seed=5
    )
    services.review_start(actor=env.secretariat, bloc_year=env.bloc_year)
    a = rows[0]
    reviewer = env.officers[a.reviewer_id]
    assessment = env.assessment(a.reviewee)
    response = login(reviewer).get(reverse("blocs:review_assessment", args=[assessment.pk]))
    assert response.status_code == 200
    assert "đơn vị được phân công chấm chéo" in response.content.decode()


def test_dispute_flow_through_the_pages(env, cast, login):
    member, assessment = _released(env)
    c11 = env.table.criteria["1.1"]
    url = reverse("blocs:dispute_create", args=[assessment.pk, c11.pk])
    officer = login(cast.officer)
    page = officer.get(reverse("blocs:review_assessment", args=[assessment.pk]))
    assert page.status_code == 200 and "Báo cáo nộp chậm 5 ngày" in page.content.decode()
    assert officer.get(url).status_code == 200
    response = officer.post(url, {"explanation": ""})
    assert response.status_code == 200
    response = officer.post(
        url,
        {
            "explanation": "Báo cáo gửi ngày 10/12 qua hệ thống",
            "files": pdf("cv.pdf"),
        },
    )
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    assert dispute.evidence.count() == 1
    # The dispute evidence can be downloaded by the secretariat, not by an outsider.
    ev = dispute.evidence.get()
    download = login(env.secretariat).get(reverse("blocs:dispute_evidence", args=[ev.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    for close in download._resource_closers:  # response.close() would end the DB connection
        close()
    assert (
        login(cast.outsider).get(reverse("blocs:dispute_evidence", args=[ev.pk])).status_code == 404
    )
    resolve = reverse("blocs:dispute_resolve", args=[dispute.pk])
    assert login(cast.officer).post(resolve, {}).status_code == 403
    assert login(cast.outsider).post(resolve, {}).status_code == 404
    assert login(env.secretariat).get(resolve).status_code == 405
    login(env.secretariat).post(
        resolve, {"decision": "reject", "resolution": "Không có minh chứng"}
    )
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.REJECTED


def test_dispute_page_refused_for_others(env, cast, login):
    _member, assessment = _released(env)
    url = reverse("blocs:dispute_create", args=[assessment.pk, env.table.criteria["1.1"].pk])
    assert login(cast.outsider).get(url).status_code == 404
    assert login(env.officers[env.memberships[2].pk]).get(url).status_code == 404
    assert login(env.secretariat).get(url).status_code == 403
    assert login(cast.officer).delete(url).status_code == 405


# --- unlock ---------------------------------------------------------------------------


def test_unlock_by_council_only(env, cast, login):
    _released(env)
    services.review_lock(actor=env.secretariat, bloc_year=env.bloc_year)
    url = reverse("blocs:review_unlock", args=[env.bloc_year.pk])
    assert login(env.secretariat).post(url, {"reason": "x"}).status_code == 403
    assert login(cast.other_council).post(url, {"reason": "x"}).status_code == 404
    assert login(cast.council).get(url).status_code == 405
    assert login(cast.council).post(url, {"reason": "Sai cộng điểm"}).status_code == 302
    assert AuditEvent.objects.filter(action="review.unlock").count() == 1
    assert env.assessment(cast.member).state == AssessmentState.VERIFIED


# --- ranking --------------------------------------------------------------------------


def test_ranking_page_before_and_after_publication(env, cast, login):
    _released(env)
    url = reverse("blocs:ranking", args=[env.bloc_year.pk])
    assert "chưa được công bố" in login(cast.officer).get(url).content.decode()
    services.review_lock(actor=env.secretariat, bloc_year=env.bloc_year)
    assert "chưa được công bố" in login(cast.officer).get(url).content.decode()
    preview = login(env.secretariat).get(url).content.decode()
    assert "đồng hạng 1" in preview
    services.ranking_publish(actor=env.secretariat, bloc_year=env.bloc_year)
    text = login(cast.officer).get(url).content.decode()
    assert "đồng hạng 1" in text and "<svg" in text and "style=" not in text
    assert login(cast.outsider).get(url).status_code == 404
    assert login(cast.officer).post(url).status_code == 405


def test_ranking_export(env, cast, login):
    _released(env)
    export = reverse("blocs:ranking_export", args=[env.bloc_year.pk])
    services.review_lock(actor=env.secretariat, bloc_year=env.bloc_year)
    assert login(cast.officer).get(export).status_code == 404
    services.ranking_publish(actor=env.secretariat, bloc_year=env.bloc_year)
    response = login(cast.officer).get(export)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Hạng"
    assert values[-1][3] == 65 and values[1][0] == "đồng hạng 1"
    assert login(cast.outsider).get(export).status_code == 404


@pytest.mark.parametrize("members", [3, 7])
def test_ranking_query_count(cast, login, members, django_assert_num_queries):
    env = make_env(cast, members=members)
    _published(env)
    client = login(cast.officer)
    url = reverse("blocs:ranking", args=[env.bloc_year.pk])
    client.get(url)
    with django_assert_num_queries(_RANKING_QUERIES):
        assert client.get(url).status_code == 200


_RANKING_QUERIES = 6


@pytest.mark.parametrize("n", [1, 5])
def test_ranking_export_query_count_does_not_grow(cast, login, n, django_assert_num_queries):
    """The cast's leader and member and n more, ranked and published."""
    env = make_env(cast, members=n + 2)
    _published(env)
    client = login(cast.officer)
    url = reverse("blocs:ranking_export", args=[env.bloc_year.pk])
    client.get(url)

    with django_assert_num_queries(_RANKING_EXPORT_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Hạng"
    assert sorted(row[1] for row in rows[1:]) == sorted(m.agency.name for m in env.memberships)
    assert len(rows) == 1 + n + 2


_RANKING_EXPORT_QUERIES = 6


def test_evidence_download_for_the_assigned_cross_scorer_only(cast, login):
    from blocs.models import Evidence

    env = make_env(cast, members=4, evidence=("1.1",))
    services.review_configure(actor=env.secretariat, bloc_year=env.bloc_year, mode="cross")
    rows = services.review_assignment_generate(
        actor=env.secretariat, bloc_year=env.bloc_year, seed=2
    )
    a = rows[0]
    evidence = Evidence.objects.get(item__assessment__membership=a.reviewee)
    url = reverse("blocs:review_evidence", args=[evidence.pk])
    reviewer = env.officers[a.reviewer_id]
    bystander = next(
        env.officers[m.pk] for m in env.memberships if m.pk not in (a.reviewer_id, a.reviewee_id)
    )
    assert login(reviewer).get(url).status_code == 404  # not before the review starts
    services.review_start(actor=env.secretariat, bloc_year=env.bloc_year)
    response = login(reviewer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    for close in response._resource_closers:
        close()
    page = login(reviewer).get(
        reverse("blocs:review_assessment", args=[evidence.item.assessment_id])
    )
    assert "minh-chung-1.1.pdf" in page.content.decode()
    assert login(bystander).get(url).status_code == 404
    assert login(cast.outsider).get(url).status_code == 404
    assert login(reviewer).post(url).status_code == 405


def test_overview_for_council_lists_members(env, cast, login):
    response = login(cast.council).get(reverse("blocs:review_overview", args=[env.bloc_year.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count('data-agency="') == 3
    assert "Điều hành việc thẩm định" not in text  # council watches; the secretariat runs it
