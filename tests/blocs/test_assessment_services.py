"""Self-assessment services: validation, lost update, submission, deadline,
return and reopen, delegation, evidence uploads, reminders."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from blocs.enums import AssessmentState, Phase
from blocs.models import Evidence, ItemScore, ReminderSent, SelfAssessment
from blocs.selectors.assessment import VIETNAM, assessment_view, deadline_moment
from blocs.services.assessment import (
    StaleVersion,
    assessment_reopen,
    assessment_return,
    assessment_submit,
    delegation_grant,
    evidence_add,
    item_score_save,
)
from emulation.enums import NotificationKind
from emulation.models import AuditEvent, Notification
from tests.concurrency import run_concurrently
from tests.factories.assessment import open_window, set_deadline
from tests.factories.files import PDF, PNG, pdf

D = Decimal


def save(actor, window, code, field, value, version=None, **kw):
    criterion = window.criteria[code]
    if version is None:
        item = ItemScore.objects.filter(assessment=window.assessment, criterion=criterion).first()
        version = item.version if item else 0
    return item_score_save(
        actor=actor,
        assessment=window.assessment,
        criterion=criterion,
        field=field,
        value=value,
        base_version=version,
        **kw,
    )


def fill_completely(cast, window):
    save(cast.officer, window, "1.1", "score", D("9.75"))
    evidence_add(
        actor=cast.officer,
        assessment=window.assessment,
        criterion=window.criteria["1.1"],
        file=pdf(),
    )
    save(cast.officer, window, "1.2", "not_applicable", True)


def test_opening_the_window_freezes_the_table_and_starts_one_assessment_per_member(cast, window):
    window.table.refresh_from_db()
    cast.bloc_year.refresh_from_db()

    assert window.table.is_frozen
    assert cast.bloc_year.phase == Phase.SELF_ASSESSMENT
    assert SelfAssessment.objects.filter(membership__bloc_year=cast.bloc_year).count() == 2
    assert AuditEvent.objects.filter(action="bloc_year.open_self_assessment").count() == 1


def test_a_score_is_saved_with_two_places_and_audited(cast, window):
    item = save(cast.officer, window, "1.1", "score", D("9.5"))

    assert item.score == D("9.50")
    assert item.version == 1
    event = AuditEvent.objects.filter(action="assessment.item_save").latest("id")
    assert event.data["criterion"] == "1.1"


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("1.1", D("10.25"), "vượt quá"),
        ("1.1", D("3.1"), "bội số của 0,25"),
        ("Tr.1", D("-1"), "số dương"),
    ],
)
def test_an_invalid_score_is_refused_with_a_vietnamese_reason(cast, window, code, value, message):
    with pytest.raises(ValidationError) as exc:
        save(cast.officer, window, code, "score", value)

    assert message in " ".join(exc.value.messages)
    assert not ItemScore.objects.filter(score__isnull=False).exists()


@pytest.mark.parametrize(
    ("field", "value"), [("score", "7,5"), ("not_applicable", "on"), ("note", None)]
)
def test_a_raw_string_or_a_wrong_type_never_reaches_the_row(cast, window, field, value):
    with pytest.raises(TypeError):
        save(cast.officer, window, "1.2", field, value)

    assert not ItemScore.objects.exists()


def test_not_applicable_only_where_allowed_and_it_clears_the_score(cast, window):
    save(cast.officer, window, "1.2", "score", D("5"))
    with pytest.raises(ValidationError, match="Không áp dụng"):
        save(cast.officer, window, "1.1", "not_applicable", True)

    item = save(cast.officer, window, "1.2", "not_applicable", True)

    assert item.not_applicable and item.score is None
    # 20 standard points less the 10 of the item not applicable, plus the 2 bonus points.
    assert assessment_view(window.assessment).totals.maximum == D("12.00")


def test_a_stale_save_is_refused_and_shows_the_current_value(cast, window):
    first = save(cast.officer, window, "1.1", "score", D("8"), version=0)
    assert first.version == 1

    with pytest.raises(StaleVersion) as exc:
        save(cast.head, window, "1.1", "score", D("6"), version=0)  # based on the old version

    assert "“8”" in str(exc.value.messages[0])
    assert ItemScore.objects.get(pk=first.pk).score == D("8.00")


def test_only_the_agencys_own_users_edit(cast, window):
    with pytest.raises(PermissionDenied):
        save(cast.secretariat, window, "1.1", "score", D("8"))


def test_the_head_submits_a_complete_assessment_and_it_becomes_read_only(cast, window):
    fill_completely(cast, window)

    assessment = assessment_submit(actor=cast.head, assessment=window.assessment)

    assert assessment.state == AssessmentState.SUBMITTED
    assert assessment.submitted_by == cast.head
    with pytest.raises(PermissionDenied, match="chỉ xem"):
        save(cast.officer, window, "T.1", "score", D("1"))


def test_submission_needs_every_criterion_and_required_evidence(cast, window):
    save(cast.officer, window, "1.1", "score", D("9"))
    with pytest.raises(ValidationError, match="chưa được chấm"):
        assessment_submit(actor=cast.head, assessment=window.assessment)
    save(cast.officer, window, "1.2", "score", D("9"))
    with pytest.raises(ValidationError, match="minh chứng"):
        assessment_submit(actor=cast.head, assessment=window.assessment)


def test_an_officer_submits_only_when_the_head_delegates(cast, window):
    fill_completely(cast, window)
    with pytest.raises(PermissionDenied):
        assessment_submit(actor=cast.officer, assessment=window.assessment)
    with pytest.raises(PermissionDenied):
        delegation_grant(actor=cast.officer, assessment=window.assessment, delegate=cast.officer)

    delegation_grant(actor=cast.head, assessment=window.assessment, delegate=cast.officer)
    assessment = assessment_submit(actor=cast.officer, assessment=window.assessment)

    assert assessment.state == AssessmentState.SUBMITTED


def test_the_deadline_is_the_end_of_the_day_in_vietnam(cast, window):
    deadline = set_deadline(cast.bloc_year, 0)
    last_minute = datetime.datetime.combine(deadline, datetime.time(23, 59), VIETNAM)
    save(cast.officer, window, "1.1", "score", D("7"), at=last_minute)

    with pytest.raises(PermissionDenied, match="quá hạn"):
        save(cast.officer, window, "1.1", "score", D("8"), at=deadline_moment(deadline))


def test_after_the_deadline_only_the_secretariat_reopens_with_a_reason(cast, window):
    set_deadline(cast.bloc_year, -1)
    with pytest.raises(PermissionDenied):
        save(cast.officer, window, "1.1", "score", D("8"))
    with pytest.raises(PermissionDenied):
        assessment_reopen(actor=cast.head, assessment=window.assessment, reason="Xin mở lại")
    with pytest.raises(ValidationError, match="lý do"):
        assessment_reopen(actor=cast.secretariat, assessment=window.assessment, reason=" ")

    assessment_reopen(
        actor=cast.secretariat, assessment=window.assessment, reason="Mất điện ngày cuối"
    )
    fill_completely(cast, window)
    submitted = assessment_submit(actor=cast.head, assessment=window.assessment)

    assert submitted.state == AssessmentState.SUBMITTED
    assert submitted.reopened_at is None  # read-only again
    assert AuditEvent.objects.filter(action="assessment.reopen").get().data["reason"] == (
        "Mất điện ngày cuối"
    )


def test_reopen_before_the_deadline_is_refused(cast, window):
    with pytest.raises(ValidationError, match="Chưa hết hạn"):
        assessment_reopen(actor=cast.secretariat, assessment=window.assessment, reason="x")


def test_the_secretariat_returns_with_a_reason_and_the_agency_corrects(cast, window):
    fill_completely(cast, window)
    assessment_submit(actor=cast.head, assessment=window.assessment)
    with pytest.raises(PermissionDenied):
        assessment_return(actor=cast.council, assessment=window.assessment, reason="x")

    returned = assessment_return(
        actor=cast.secretariat, assessment=window.assessment, reason="Thiếu minh chứng tiêu chí 1.1"
    )
    assert returned.state == AssessmentState.RETURNED
    save(cast.officer, window, "1.1", "score", D("9"))

    assert SelfAssessment.objects.get(pk=returned.pk).state == AssessmentState.DRAFT


def test_a_submitted_assessment_cannot_be_returned_twice(cast, window):
    with pytest.raises(ValidationError):
        assessment_return(actor=cast.secretariat, assessment=window.assessment, reason="x")


# --- evidence -----------------------------------------------------------------


def test_evidence_is_stored_under_a_random_name(cast, window):
    evidence = evidence_add(
        actor=cast.officer,
        assessment=window.assessment,
        criterion=window.criteria["1.1"],
        file=pdf("Báo cáo tổng kết.pdf"),
    )

    assert evidence.original_name == "Báo cáo tổng kết.pdf"
    assert evidence.kind == "pdf"
    assert "Báo cáo" not in evidence.file.name and evidence.file.name.startswith("evidence/")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bao-cao.pdf", b"MZ\x90\x00 not a pdf at all", "không được chấp nhận"),  # disguised exe
        ("anh.pdf", PNG, "không khớp"),  # a PNG named .pdf
        ("../../etc/passwd.pdf", None, "đường dẫn"),
        ("thu-muc\\bao-cao.pdf", None, "đường dẫn"),
    ],
)
def test_evidence_uploads_are_refused(cast, window, name, content, message):
    from django.core.files.base import ContentFile

    # ContentFile keeps the name as sent (an UploadedFile would already strip a path).
    with pytest.raises(ValidationError) as exc:
        evidence_add(
            actor=cast.officer,
            assessment=window.assessment,
            criterion=window.criteria["1.1"],
            file=ContentFile(content or PDF, name=name),
        )

    assert message in " ".join(exc.value.messages)
    assert not Evidence.objects.exists()


def test_an_oversized_evidence_file_is_refused(cast, window, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="giới hạn"):
        evidence_add(
            actor=cast.officer,
            assessment=window.assessment,
            criterion=window.criteria["1.1"],
            file=pdf("lon.pdf", PDF + b"0" * 2000),
        )
    assert not Evidence.objects.exists()


# --- reminders ----------------------------------------------------------------


def test_send_reminders_mails_unsubmitted_agencies_at_most_once_a_day(
    cast, window, django_capture_on_commit_callbacks
):
    from emulation.models import User

    User.objects.filter(pk__in=[cast.officer.pk, cast.head.pk]).update(email="mem@example.vn")
    User.objects.filter(pk=cast.secretariat.pk).update(email="lead@example.vn")
    set_deadline(cast.bloc_year, 2)
    fill_completely(cast, window)
    assessment_submit(actor=cast.head, assessment=window.assessment)  # the member is done

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--days", "3", stdout=None)
        call_command("send_reminders", "--days", "3", stdout=None)

    reminder = ReminderSent.objects.get()  # only the leader's agency, and only once today
    assert reminder.assessment == window.leader_assessment
    assert [m.to for m in mail.outbox] == [["lead@example.vn"]]
    assert mail.outbox[0].subject == "Sắp đến hạn"
    assert "chưa được gửi" in mail.outbox[0].body
    assert "còn 2 ngày" in mail.outbox[0].body
    # Every user of the agency is told in the application, once, e-mail or not.
    told = Notification.objects.filter(kind=NotificationKind.DEADLINE_REMINDER)
    assert sorted(told.values_list("recipient__username", flat=True)) == [
        "lead.head",
        "lead.officer",
    ]


def test_send_reminders_waits_until_n_days_before(cast, window):
    set_deadline(cast.bloc_year, 5)

    call_command("send_reminders", "--days", "3", stdout=None)

    assert not ReminderSent.objects.exists()


@pytest.mark.postgres
def test_two_concurrent_saves_of_the_same_version_one_is_refused(transactional_db, cast):
    window = open_window(cast)
    writers = [(cast.officer, D("7")), (cast.head, D("8"))]

    outcomes = run_concurrently(
        2,
        lambda i: item_score_save(
            actor=writers[i][0],
            assessment=window.assessment,
            criterion=window.criteria["1.1"],
            field="score",
            value=writers[i][1],
            base_version=0,
        ),
        refusals=(StaleVersion,),
    )

    assert sorted(o.kind for o in outcomes) == ["ok", "refused"]
    assert ItemScore.objects.get().version == 1
