"""The secretariat's Excel exports of a bloc-year: submission progress (with
the true time of each submission) and every agency's scores per criterion."""

import datetime
import io
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from blocs import services
from blocs.services.assessment import assessment_submit, evidence_add, item_score_save
from tests.factories.files import pdf
from tests.factories.review import make_env, verify_all

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def sheet_of(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def fill(cast, window, assessment=None):
    assessment = assessment or window.assessment
    item_score_save(
        actor=cast.officer,
        assessment=assessment,
        criterion=window.criteria["1.1"],
        field="score",
        value=D("9"),
        base_version=0,
    )
    evidence_add(
        actor=cast.officer, assessment=assessment, criterion=window.criteria["1.1"], file=pdf()
    )
    item_score_save(
        actor=cast.officer,
        assessment=assessment,
        criterion=window.criteria["1.2"],
        field="not_applicable",
        value=True,
        base_version=0,
    )


def progress_url(cast):
    return reverse("blocs:assessment_progress_export", args=[cast.bloc_year.pk])


def scores_url(cast):
    return reverse("blocs:criterion_scores_export", args=[cast.bloc_year.pk])


def test_the_progress_export_gives_each_agency_and_the_true_time_of_submission(cast, window, login):
    fill(cast, window)
    at = datetime.datetime(2026, 12, 1, 8, 44, 30, tzinfo=datetime.UTC)
    assessment_submit(actor=cast.head, assessment=window.assessment, at=at)

    response = login(cast.secretariat).get(progress_url(cast))

    rows = sheet_of(response)
    assert rows[0][:6] == [
        "STT",
        "Cơ quan, đơn vị",
        "Trạng thái",
        "Số tiêu chí đã chấm",
        "Tổng số tiêu chí",
        "Số tiêu chí thiếu minh chứng",
    ]
    by_agency = {r[1]: r for r in rows[1:]}
    member = by_agency[cast.member.agency.name]
    assert member[2] == "Đã nộp"
    assert member[3:6] == [2, 2, 0]
    assert member[7] == datetime.datetime(2026, 12, 1, 15, 44, 30)  # 15:44 in Vietnam
    assert member[8] == cast.head.get_full_name()
    leader = by_agency[cast.leader.agency.name]
    assert leader[2] == "Đang chấm" and leader[3] == 0 and leader[7] is None
    assert response["Content-Disposition"] == (
        f'attachment; filename="tien-do-tu-cham-diem-{cast.bloc_year.bloc.code.lower()}-'
        f'{cast.bloc_year.year.year}.xlsx"'
    )


def test_the_scores_export_gives_self_verified_and_final_per_criterion(cast, env, login):
    member = env.memberships[1]
    verify_all(env, {member.pk: {"1.1": ("20", "Báo cáo nộp chậm 5 ngày")}})
    client = login(cast.secretariat)

    before_lock = sheet_of(client.get(scores_url(cast)))
    services.review_release(actor=env.secretariat, bloc_year=env.bloc_year)
    services.review_lock(actor=env.secretariat, bloc_year=env.bloc_year)
    locked = sheet_of(client.get(scores_url(cast)))

    assert locked[0] == [
        "Cơ quan, đơn vị",
        "Nhóm tiêu chí",
        "Mã",
        "Tiêu chí",
        "Loại",
        "Điểm tối đa",
        "Không áp dụng",
        "Điểm tự chấm",
        "Điểm thẩm định",
        "Điểm cuối cùng",
    ]
    assert len(locked) == 1 + 3 * 5  # three members, five criteria each
    row = next(r for r in before_lock if r[0] == member.agency.name and r[2] == "1.1")
    assert row[7:] == [25, 20, None]  # verified, not final before the lock
    row = next(r for r in locked if r[0] == member.agency.name and r[2] == "1.1")
    assert row[7:] == [25, 20, 20]
    unchanged = next(r for r in locked if r[0] == member.agency.name and r[2] == "1.2")
    assert unchanged[7:] == [20, None, 20]  # nobody changed it: the self score stands


@pytest.mark.parametrize("url", [progress_url, scores_url])
@pytest.mark.parametrize(
    ("who", "status"), [("secretariat", 200), ("officer", 403), ("outsider", 404)]
)
def test_export_permission(cast, window, login, url, who, status):
    assert login(getattr(cast, who)).get(url(cast)).status_code == status


@pytest.mark.parametrize("url", [progress_url, scores_url])
def test_exports_are_get_only(cast, window, login, url):
    assert login(cast.secretariat).post(url(cast)).status_code == 405


@pytest.mark.parametrize("n", [1, 3])
def test_export_queries_do_not_grow_with_the_members(cast, login, django_assert_max_num_queries, n):
    make_env(cast, members=n)
    client = login(cast.secretariat)
    client.get(reverse("blocs:assessment_overview", args=[cast.bloc_year.pk]))

    with django_assert_max_num_queries(16):
        client.get(progress_url(cast))
    with django_assert_max_num_queries(14):
        client.get(scores_url(cast))


def test_the_overview_links_both_exports(cast, window, login):
    body = (
        login(cast.secretariat)
        .get(reverse("blocs:assessment_overview", args=[cast.bloc_year.pk]))
        .content.decode()
    )

    assert progress_url(cast) in body and scores_url(cast) in body
