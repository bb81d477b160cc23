import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from awards.models import AwardType
from blocs import services
from blocs.enums import CovenantState, Phase, ProgressPeriod, RegistrationState
from blocs.models import Membership, Movement, Registration, TargetProgress
from blocs.selectors import (
    progress_summary,
    registered_award_type_ids,
    registration_counts,
    registration_overview,
    targets_with_achievement,
)
from blocs.selectors.registration import targets_from_read, targets_read_with
from emulation.models import AuditEvent
from tests.factories import UserFactory, put_in_phase
from tests.factories.files import PDF
from tests.factories.organisation import COUNCIL_ONLY
from tests.factories.registration import (
    MovementFactory,
    register,
    set_registration_deadline,
)

# --- registration and its deadline -------------------------------------------------------


# The services answer the same rules as the pages: an agency changes only its
# own registration, its head submits it, the bloc's secretariat reopens it.
@pytest.mark.parametrize("who", ["secretariat", "council", "outsider", "admin"])
def test_only_the_agency_itself_changes_its_registration(cast, who):
    with pytest.raises(PermissionDenied):
        services.registration_target_add(
            actor=getattr(cast, who),
            membership=cast.member,
            indicator="Chỉ tiêu",
            unit="%",
            target_value=Decimal("90"),
        )
    with pytest.raises(PermissionDenied):
        services.registration_set_award_types(
            actor=getattr(cast, who), membership=cast.member, award_types=[]
        )
    assert not Registration.objects.filter(membership=cast.member).exists()


@pytest.mark.parametrize("who", ["officer", "secretariat_head", "council"])
def test_only_the_head_of_the_agency_submits_its_registration(cast, who):
    register(cast, submit=False)

    with pytest.raises(PermissionDenied):
        services.registration_submit(actor=getattr(cast, who), membership=cast.member)

    assert Registration.objects.get(membership=cast.member).state == RegistrationState.DRAFT


@pytest.mark.parametrize("who", ["officer", "head", "council"])
def test_only_the_secretariat_reopens_a_registration(cast, who):
    registration = register(cast)

    with pytest.raises(PermissionDenied):
        services.registration_reopen(
            actor=getattr(cast, who), registration=registration, reason="Bổ sung chỉ tiêu."
        )

    registration.refresh_from_db()
    assert registration.state == RegistrationState.SUBMITTED


def test_registration_before_the_deadline_is_submitted_and_audited(cast):
    set_registration_deadline(cast.bloc_year, 5)

    registration = register(cast)

    assert registration.state == RegistrationState.SUBMITTED
    assert registration.submitted_by == cast.head
    assert registration.targets.get().target_value == Decimal("100.00")
    event = AuditEvent.objects.get(action="registration.submit")
    assert event.data["award_types"] == ["tt_ldxs"]


def test_registration_on_the_deadline_day_is_still_accepted(cast):
    set_registration_deadline(cast.bloc_year, 0)

    assert register(cast).state == RegistrationState.SUBMITTED


def test_registration_after_the_deadline_is_refused_with_a_message(cast):
    set_registration_deadline(cast.bloc_year, -1)

    with pytest.raises(ValidationError, match="Hạn đăng ký"):
        services.registration_target_add(
            actor=cast.officer,
            membership=cast.member,
            indicator="Chỉ tiêu",
            unit="%",
            target_value=Decimal("90"),
        )
    assert not Registration.objects.exists()


def test_submit_after_the_deadline_is_refused(cast):
    set_registration_deadline(cast.bloc_year, 3)
    register(cast, submit=False)
    set_registration_deadline(cast.bloc_year, -1)

    with pytest.raises(ValidationError):
        services.registration_submit(actor=cast.head, membership=cast.member)
    assert Registration.objects.get().state == RegistrationState.DRAFT


def test_the_secretariat_reopens_one_agency_after_the_deadline(cast):
    set_registration_deadline(cast.bloc_year, 1)
    registration = register(cast)
    set_registration_deadline(cast.bloc_year, -10)

    services.registration_reopen(
        actor=cast.secretariat, registration=registration, reason="Bổ sung chỉ tiêu chuyển đổi số"
    )
    # The deadline no longer applies to this agency until it submits again.
    services.registration_target_add(
        actor=cast.officer,
        membership=cast.member,
        indicator="Tỷ lệ hồ sơ trực tuyến toàn trình",
        unit="%",
        target_value=Decimal("80"),
    )
    services.registration_submit(actor=cast.head, membership=cast.member)

    registration.refresh_from_db()
    assert registration.state == RegistrationState.SUBMITTED
    assert registration.targets.count() == 2
    assert AuditEvent.objects.get(action="registration.reopen").data["reason"] == (
        "Bổ sung chỉ tiêu chuyển đổi số"
    )
    # Submitted again: the deadline applies once more.
    with pytest.raises(ValidationError):
        services.registration_target_add(
            actor=cast.officer,
            membership=cast.member,
            indicator="Khác",
            unit="%",
            target_value=Decimal("1"),
        )


def test_reopen_needs_a_reason_and_a_submitted_registration(cast):
    registration = register(cast)

    with pytest.raises(ValidationError, match="lý do"):
        services.registration_reopen(actor=cast.secretariat, registration=registration, reason=" ")
    services.registration_reopen(actor=cast.secretariat, registration=registration, reason="x")
    with pytest.raises(ValidationError):
        services.registration_reopen(actor=cast.secretariat, registration=registration, reason="y")


def test_a_submitted_registration_cannot_be_changed(cast):
    register(cast)

    with pytest.raises(ValidationError, match="mở lại"):
        services.registration_target_add(
            actor=cast.officer,
            membership=cast.member,
            indicator="Chỉ tiêu mới",
            unit="%",
            target_value=Decimal("1"),
        )


def test_submit_needs_a_target(cast):
    services.registration_set_award_types(
        actor=cast.officer, membership=cast.member, award_types=AwardType.objects.none()
    )

    with pytest.raises(ValidationError, match="ít nhất một chỉ tiêu"):
        services.registration_submit(actor=cast.head, membership=cast.member)


def test_registration_closes_once_the_self_assessment_starts(cast):
    put_in_phase(cast.bloc_year, Phase.SELF_ASSESSMENT)
    cast.member.bloc_year.refresh_from_db()

    with pytest.raises(ValidationError, match="Đăng ký đã đóng"):
        register(cast)


def test_duplicate_indicator_and_non_positive_value_are_refused(cast):
    register(cast, submit=False)

    with pytest.raises(ValidationError):
        register(cast, submit=False)
    with pytest.raises(ValidationError):
        services.registration_target_add(
            actor=cast.officer,
            membership=cast.member,
            indicator="Âm",
            unit="%",
            target_value=Decimal("0"),
        )


# --- registration feeds eligibility ---------------------------------------------------------


def test_registered_award_type_ids_counts_submitted_and_reopened_registrations(cast):
    ldxs = AwardType.objects.get(code="tt_ldxs")
    bk = AwardType.objects.get(code="bk_ubnd")
    registration = register(cast, award_codes=("tt_ldxs", "bk_ubnd"))
    # The leader registers but does not submit: it does not count.
    register(cast, cast.leader, award_codes=("co_tinh",), submit=False)

    result = registered_award_type_ids(bloc_year=cast.bloc_year)

    assert result == {cast.member.agency_id: {ldxs.pk, bk.pk}}
    services.registration_reopen(actor=cast.secretariat, registration=registration, reason="x")
    assert registered_award_type_ids(bloc_year=cast.bloc_year) == result


def test_registered_award_type_ids_is_one_query(cast, django_assert_num_queries):
    register(cast)

    with django_assert_num_queries(1):
        registered_award_type_ids(bloc_year=cast.bloc_year)


def test_registration_feeds_the_eligibility_engine(cast):
    """The rule "registration required" reads registered_award_type_ids."""
    eligibility = pytest.importorskip("awards.eligibility")
    ldxs = AwardType.objects.get(code="tt_ldxs")
    register(cast, award_codes=("tt_ldxs",))

    results = {
        r.agency.pk: r for r in eligibility.evaluate(bloc_year=cast.bloc_year, award_type=ldxs)
    }

    reasons_member = " ".join(results[cast.member.agency_id].reasons)
    reasons_leader = " ".join(results[cast.leader.agency_id].reasons)
    # Whatever else the rules say, the unregistered leader's reasons name the
    # missing registration and the registered member's do not.
    assert "đăng ký" in reasons_leader.lower()
    assert "chưa đăng ký" not in reasons_member.lower()


def test_inactive_award_types_cannot_be_registered(cast):
    old = AwardType.objects.get(code="tt_ldtt")
    AwardType.objects.filter(pk=old.pk).update(is_active=False)
    old.refresh_from_db()

    with pytest.raises(ValidationError):
        services.registration_set_award_types(
            actor=cast.officer, membership=cast.member, award_types=[old]
        )


# --- reminders -------------------------------------------------------------------------------


def test_remind_emails_the_agencies_that_have_not_registered_after_commit(
    cast, django_capture_on_commit_callbacks
):
    cast.officer.email = "mem@example.vn"
    cast.officer.save(update_fields=["email"])
    UserFactory(
        username="lead.mail",
        email="lead@example.vn",
        agency=cast.leader.agency,
        agency_role="officer",
    )
    register(cast, cast.leader)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        names = services.registration_remind(actor=cast.secretariat, bloc_year=cast.bloc_year)

    assert names == [cast.member.agency.name]
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [["mem@example.vn"]]
    assert "Nhắc" in mail.outbox[0].subject
    event = AuditEvent.objects.get(action="registration.remind")
    assert event.data["agencies"] == [cast.member.agency.code]


def test_remind_refuses_when_everyone_has_registered(cast):
    register(cast)
    register(cast, cast.leader)

    with pytest.raises(ValidationError):
        services.registration_remind(actor=cast.secretariat, bloc_year=cast.bloc_year)


# --- overview and progress -------------------------------------------------------------------


def test_overview_and_counts(cast):
    register(cast, targets=2, award_codes=("tt_ldxs", "bk_ubnd"))

    rows = {row.agency.code: row for row in registration_overview(cast.bloc_year)}

    assert rows["mem"].is_registered and rows["mem"].target_count == 2
    assert [a.code for a in rows["mem"].award_types] == ["tt_ldxs", "bk_ubnd"] or {
        a.code for a in rows["mem"].award_types
    } == {"tt_ldxs", "bk_ubnd"}
    assert not rows["lead"].is_registered and rows["lead"].registration is None
    assert registration_counts(cast.bloc_year) == (1, 2)


def test_progress_reports_and_achievement(cast):
    registration = register(cast, targets=2)
    first, second = registration.targets.order_by("order")
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)

    services.target_progress_report(
        actor=cast.officer,
        membership=cast.member,
        period=ProgressPeriod.MID_YEAR,
        values={first.pk: (Decimal("45.5"), "Đạt gần một nửa"), second.pk: (None, "")},
    )
    services.target_progress_report(
        actor=cast.officer,
        membership=cast.member,
        period=ProgressPeriod.YEAR_END,
        values={first.pk: (Decimal("100"), ""), second.pk: (Decimal("87.5"), "")},
    )

    rows = targets_with_achievement(cast.member)
    assert [r.mid_year.value if r.mid_year else None for r in rows] == [Decimal("45.50"), None]
    assert [r.percent for r in rows] == [Decimal("100.00"), Decimal("87.50")]
    assert [r.achieved for r in rows] == [True, False]
    assert TargetProgress.objects.count() == 3
    assert AuditEvent.objects.filter(action="registration.progress_report").count() == 2
    summary = {row.membership.agency.code: row for row in progress_summary(cast.bloc_year)}
    assert summary["mem"].reported == 1 and summary["lead"].targets == []


def test_targets_read_with_a_page_are_those_read_alone(cast):
    """The assessment page reads its member's targets and reports with its
    assessment, as one JSON text: every field, type for type, as the
    targets' own query gives them, in their order."""
    registration = register(cast, targets=3)
    first, second, _third = registration.targets.order_by("order")
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    for period, values in (
        (ProgressPeriod.MID_YEAR, {first.pk: (Decimal("45.5"), "Đạt gần “một nửa”")}),
        (ProgressPeriod.YEAR_END, {first.pk: (Decimal(100), ""), second.pk: (Decimal(7), "")}),
    ):
        services.target_progress_report(
            actor=cast.officer, membership=cast.member, period=period, values=values
        )
    read = (
        Membership.objects.filter(pk=cast.member.pk)
        .annotate(read=targets_read_with("pk"))
        .values_list("read", flat=True)
        .get()
    )

    def shown(obj):
        """Each field's name, type and value as written (a decimal's places too)."""
        if obj is None:
            return None
        values = [(f.attname, getattr(obj, f.attname)) for f in obj._meta.concrete_fields]
        return [(name, type(value).__name__, str(value)) for name, value in values]

    def fields(rows):
        return [[shown(row.target), shown(row.mid_year), shown(row.year_end)] for row in rows]

    alone = targets_with_achievement(cast.member)
    found = targets_from_read(read)

    assert fields(found) == fields(alone) and len(found) == 3
    assert [r.percent for r in found] == [Decimal("100.00"), Decimal("7.00"), None]
    assert targets_from_read(None) == []
    assert not found[0].target.get_deferred_fields() and not found[0].mid_year.get_deferred_fields()


def test_progress_needs_a_submitted_registration_and_the_right_phase(cast):
    registration = register(cast, submit=False)
    target = registration.targets.get()

    with pytest.raises(ValidationError):
        services.target_progress_report(
            actor=cast.officer,
            membership=cast.member,
            period=ProgressPeriod.YEAR_END,
            values={target.pk: (Decimal("1"), "")},
        )  # phase setup: no year-end report
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    cast.member.bloc_year.refresh_from_db()
    with pytest.raises(ValidationError, match="sau khi"):
        services.target_progress_report(
            actor=cast.officer,
            membership=cast.member,
            period=ProgressPeriod.MID_YEAR,
            values={target.pk: (Decimal("1"), "")},
        )


# --- movements and covenant ------------------------------------------------------------------


def test_movement_create_take_up_and_drop(cast):
    movement = MovementFactory(
        actor=cast.council,
        province=cast.province,
        anniversary="Kỷ niệm 70 năm Chiến thắng Điện Biên Phủ",
    )

    link = services.bloc_year_movement_take_up(
        actor=cast.secretariat, bloc_year=cast.bloc_year, movement=movement, note="Đăng ký"
    )
    with pytest.raises(ValidationError):
        services.bloc_year_movement_take_up(
            actor=cast.secretariat, bloc_year=cast.bloc_year, movement=movement
        )
    services.bloc_year_movement_drop(actor=cast.secretariat, link=link)

    assert not cast.bloc_year.movements_taken_up.exists()
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == [
        "movement.create",
        "bloc_year.movement_take_up",
        "bloc_year.movement_drop",
    ]


def test_movement_dates_and_duplicate_titles_are_checked(cast):
    MovementFactory(actor=cast.council, province=cast.province)

    with pytest.raises(ValidationError):
        MovementFactory(actor=cast.council, province=cast.province)
    with pytest.raises(ValidationError):
        MovementFactory(
            actor=cast.council,
            province=cast.province,
            title="Khác",
            ends_on=datetime.date(2022, 1, 1),
        )


def test_movement_update_changes_only_what_changed(cast):
    movement = MovementFactory(actor=cast.council, province=cast.province)

    services.movement_update(actor=cast.council, movement=movement, is_active=False)

    movement.refresh_from_db()
    assert movement.is_active is False
    assert AuditEvent.objects.get(action="movement.update").data["changed"] == {
        "is_active": [True, False]
    }


@pytest.mark.parametrize("who", ["officer", "head", "council"])
def test_only_the_secretariat_runs_the_start_of_the_year(cast, who):
    actor = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        services.covenant_save(
            actor=actor,
            bloc_year=cast.bloc_year,
            signed_on=datetime.date(2023, 2, 20),
            place="An Phú",
            content="I. MỤC ĐÍCH",
        )
    with pytest.raises(PermissionDenied):
        services.bloc_year_movement_take_up(
            actor=actor,
            bloc_year=cast.bloc_year,
            movement=MovementFactory(actor=cast.council, province=cast.province),
        )
    with pytest.raises(PermissionDenied):
        services.registration_remind(actor=actor, bloc_year=cast.bloc_year)
    assert not AuditEvent.objects.filter(action__startswith="covenant").exists()


def test_covenant_save_sign_and_freeze(cast):
    covenant = services.covenant_save(
        actor=cast.secretariat,
        bloc_year=cast.bloc_year,
        signed_on=datetime.date(2023, 2, 20),
        place="An Phú",
        content="I. MỤC ĐÍCH\nThi đua hoàn thành xuất sắc nhiệm vụ.",
        number="01/GƯ-KTĐ",
    )
    services.covenant_save(
        actor=cast.secretariat,
        bloc_year=cast.bloc_year,
        signed_on=datetime.date(2023, 2, 21),
        place="An Phú",
        content=covenant.content,
        number="01/GƯ-KTĐ",
    )

    signed = services.covenant_record_signing(
        actor=cast.secretariat,
        covenant=covenant,
        scan=SimpleUploadedFile("giao-uoc-da-ky.pdf", PDF, content_type="application/pdf"),
    )

    assert signed.state == CovenantState.SIGNED
    assert signed.signed_on == datetime.date(2023, 2, 21)
    assert signed.signed_scan_name == "giao-uoc-da-ky.pdf"
    with pytest.raises(ValidationError, match="đã được ký"):
        services.covenant_save(
            actor=cast.secretariat,
            bloc_year=cast.bloc_year,
            signed_on=datetime.date(2023, 2, 21),
            place="An Phú",
            content="Khác",
        )


def test_covenant_scan_must_be_a_real_pdf_or_image(cast):
    covenant = services.covenant_save(
        actor=cast.secretariat,
        bloc_year=cast.bloc_year,
        signed_on=datetime.date(2023, 2, 20),
        place="An Phú",
        content="Nội dung",
    )

    with pytest.raises(ValidationError):
        services.covenant_record_signing(
            actor=cast.secretariat,
            covenant=covenant,
            scan=SimpleUploadedFile("scan.pdf", b"MZ not a pdf", content_type="application/pdf"),
        )
    covenant.refresh_from_db()
    assert covenant.state == CovenantState.DRAFT


def test_covenant_document_lists_movements_and_every_member(cast, tmp_path):
    import io
    import subprocess

    from docx import Document

    movement = MovementFactory(
        actor=cast.council,
        province=cast.province,
        anniversary="Kỷ niệm 70 năm Chiến thắng Điện Biên Phủ",
    )
    services.bloc_year_movement_take_up(
        actor=cast.secretariat, bloc_year=cast.bloc_year, movement=movement
    )
    covenant = services.covenant_save(
        actor=cast.secretariat,
        bloc_year=cast.bloc_year,
        signed_on=datetime.date(2023, 2, 5),
        place="An Phú",
        content="I. MỤC ĐÍCH, YÊU CẦU\nThi đua hoàn thành xuất sắc nhiệm vụ chính trị.",
        number="01/GƯ-KTĐ",
    )

    document = services.covenant_issue_document(actor=cast.secretariat, covenant=covenant)

    with document.docx.open("rb") as f:
        word = Document(io.BytesIO(f.read()))
    text = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        c.text for t in word.tables for r in t.rows for c in r.cells
    )
    assert "GIAO ƯỚC THI ĐUA" in text
    assert "An Phú, ngày 05 tháng 02 năm 2023" in text
    assert "Phong trào thi đua chuyển đổi số (Kỷ niệm 70 năm Chiến thắng Điện Biên Phủ)" in text
    assert cast.member.agency.name.upper() in text and cast.leader.agency.name.upper() in text
    pdf = tmp_path / "c.pdf"
    with document.pdf.open("rb") as f:
        pdf.write_bytes(f.read())
    pdf_text = subprocess.run(
        ["/usr/bin/pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Thi đua hoàn thành xuất sắc nhiệm vụ chính trị." in pdf_text
    assert document.version == 1
    assert services.covenant_issue_document(actor=cast.secretariat, covenant=covenant).version == 2


def test_the_covenant_is_titled_in_vietnamese_whatever_the_issuer_reads(cast):
    covenant = services.covenant_save(
        actor=cast.secretariat,
        bloc_year=cast.bloc_year,
        signed_on=datetime.date(2023, 2, 5),
        place="An Phú",
        content="I. MỤC ĐÍCH, YÊU CẦU\nThi đua hoàn thành xuất sắc nhiệm vụ chính trị.",
        number="01/GƯ-KTĐ",
    )

    with translation.override("en"):
        document = services.covenant_issue_document(actor=cast.secretariat, covenant=covenant)

    assert document.title.startswith("Giao ước thi đua năm 2023 – ")


# Launching is for a province's own council staff: not an administrator.
@pytest.mark.parametrize(("who", "allowed"), [r for r in COUNCIL_ONLY if r[0] != "admin"])
def test_only_the_provinces_council_launches_and_changes_its_movements(cast, who, allowed):
    actor = getattr(cast, who)
    movement = MovementFactory(actor=None, province=cast.province, title="Phong trào có sẵn")

    def launch():
        return MovementFactory(actor=actor, province=cast.province, title="Phong trào mới")

    def change():
        return services.movement_update(actor=actor, movement=movement, is_active=False)

    if allowed:
        launch()
        change()
    else:
        with pytest.raises(PermissionDenied):
            launch()
        with pytest.raises(PermissionDenied):
            change()
    movement.refresh_from_db()
    assert movement.is_active is not allowed
    assert Movement.objects.filter(title="Phong trào mới").exists() is allowed
