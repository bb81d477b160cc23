import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.models import AwardType
from blocs import services
from blocs.enums import CovenantState, MovementLauncher, Phase, RegistrationState
from blocs.models import BlocYearMovement, Covenant, Movement, Registration, TargetProgress
from emulation.models import IssuedDocument
from tests.factories import AgencyFactory, UserFactory, add_member, put_in_phase
from tests.factories.files import PDF
from tests.factories.registration import MovementFactory, RegistrationTargetFactory, register

# --- registration page of the agency ----------------------------------------------------


def test_officer_adds_a_target_and_chooses_titles(cast, login):
    client = login(cast.officer)

    response = client.post(
        reverse("blocs:registration_target_add", args=[cast.member.pk]),
        {"indicator": "Giải quyết hồ sơ đúng hạn", "unit": "%", "target_value": "98,5"},
    )
    assert response.status_code == 302
    ldxs = AwardType.objects.get(code="tt_ldxs")
    client.post(
        reverse("blocs:registration_award_types", args=[cast.member.pk]),
        {"award_types": [ldxs.pk], "note": "Phấn đấu"},
    )

    registration = Registration.objects.get(membership=cast.member)
    assert registration.targets.get().target_value == Decimal("98.50")
    assert list(registration.award_types.all()) == [ldxs]
    page = client.get(reverse("blocs:registration_detail", args=[cast.member.pk]))
    text = page.content.decode()
    assert "Giải quyết hồ sơ đúng hạn" in text
    assert "Tập thể lao động xuất sắc" in text
    assert "thủ trưởng đơn vị gửi bản đăng ký" in text
    assert "Gửi bản đăng ký</button>" not in text  # the officer cannot submit


@pytest.mark.parametrize("targets", [1, 5])
def test_registration_detail_query_count_does_not_grow(
    cast, login, django_assert_num_queries, targets
):
    register(cast, targets=targets, award_codes=("tt_ldxs", "bk_ubnd"), submit=False)
    client = login(cast.officer)
    url = reverse("blocs:registration_detail", args=[cast.member.pk])
    client.get(url)

    with django_assert_num_queries(REGISTRATION_DETAIL_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("Tỷ lệ hồ sơ giải quyết đúng hạn ") == targets
    assert "Gửi bản đăng ký</button>" not in text  # the officer's page, still editable


REGISTRATION_DETAIL_QUERIES = 10


def test_bad_target_input_is_refused_in_vietnamese_and_kept(cast, login):
    client = login(cast.officer)

    response = client.post(
        reverse("blocs:registration_target_add", args=[cast.member.pk]),
        {"indicator": "Chỉ tiêu giữ nguyên", "unit": "%", "target_value": "-3"},
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "Chỉ tiêu giữ nguyên" in text  # nothing lost
    assert "lớn hơn hoặc bằng" in text
    assert not Registration.objects.filter(targets__isnull=False).exists()


def test_head_submits_the_registration(cast, login):
    RegistrationTargetFactory(actor=cast.officer, membership=cast.member)
    client = login(cast.head)

    response = client.post(reverse("blocs:registration_submit", args=[cast.member.pk]))

    assert response.status_code == 302
    assert Registration.objects.get().state == RegistrationState.SUBMITTED
    page = client.get(reverse("blocs:registration_detail", args=[cast.member.pk]), follow=True)
    assert "Đã gửi bản đăng ký thi đua của đơn vị." in page.content.decode()


def test_officer_cannot_submit(cast, login):
    RegistrationTargetFactory(actor=cast.officer, membership=cast.member)

    response = login(cast.officer).post(reverse("blocs:registration_submit", args=[cast.member.pk]))

    assert response.status_code == 403
    assert Registration.objects.get().state == RegistrationState.DRAFT


def test_submit_after_the_deadline_shows_the_reason(cast, login):
    RegistrationTargetFactory(actor=cast.officer, membership=cast.member)
    cast.bloc_year.year.registration_deadline = datetime.date(2023, 3, 15)
    cast.bloc_year.year.save(update_fields=["registration_deadline"])

    response = login(cast.head).post(
        reverse("blocs:registration_submit", args=[cast.member.pk]), follow=True
    )

    assert "Hạn đăng ký thi đua (15/03/2023) đã qua" in response.content.decode()
    assert Registration.objects.get().state == RegistrationState.DRAFT


@pytest.mark.parametrize("who", ["secretariat", "council"])
def test_others_can_see_but_not_change_an_agency_registration(cast, login, who):
    RegistrationTargetFactory(actor=cast.officer, membership=cast.member)
    client = login(getattr(cast, who))

    assert (
        client.get(reverse("blocs:registration_detail", args=[cast.member.pk])).status_code == 200
    )
    response = client.post(
        reverse("blocs:registration_target_add", args=[cast.member.pk]),
        {"indicator": "x", "unit": "%", "target_value": "1"},
    )
    assert response.status_code == 403
    assert Registration.objects.get().targets.count() == 1


@pytest.mark.parametrize("who", ["outsider", "other_council"])
def test_outsiders_get_404_on_a_registration(cast, login, who):
    client = login(getattr(cast, who))

    assert (
        client.get(reverse("blocs:registration_detail", args=[cast.member.pk])).status_code == 404
    )
    assert (
        client.post(
            reverse("blocs:registration_target_add", args=[cast.member.pk]),
            {"indicator": "x", "unit": "%", "target_value": "1"},
        ).status_code
        == 404
    )


def test_another_member_of_the_bloc_gets_404_on_a_registration(cast, login):
    other = add_member(cast.bloc_year, AgencyFactory(province=cast.province))
    user = UserFactory(agency=other.agency, agency_role="officer")

    response = login(user).get(reverse("blocs:registration_detail", args=[cast.member.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("registration_target_add", []),
        ("registration_award_types", []),
        ("registration_submit", []),
        ("registration_reopen", []),
    ],
)
def test_registration_mutations_are_post_only(cast, login, name, args):
    response = login(cast.head).get(reverse(f"blocs:{name}", args=[cast.member.pk, *args]))

    assert response.status_code == 405


def test_target_remove(cast, login):
    target = RegistrationTargetFactory(actor=cast.officer, membership=cast.member)
    client = login(cast.officer)

    assert (
        client.get(
            reverse("blocs:registration_target_remove", args=[cast.member.pk, target.pk])
        ).status_code
        == 405
    )
    client.post(reverse("blocs:registration_target_remove", args=[cast.member.pk, target.pk]))

    assert not Registration.objects.get().targets.exists()


def test_my_registration_redirects_to_the_agency_page(cast, login):
    response = login(cast.officer).get(reverse("blocs:my_registration", args=[cast.bloc_year.pk]))

    assert response.status_code == 302
    assert response.url == reverse("blocs:registration_detail", args=[cast.member.pk])


# --- reopen ------------------------------------------------------------------------------


def test_secretariat_reopens_with_a_reason(cast, login):
    register(cast, indicator="Tỷ lệ hồ sơ đúng hạn", award_codes=())

    response = login(cast.secretariat).post(
        reverse("blocs:registration_reopen", args=[cast.member.pk]),
        {"reason": "Bổ sung chỉ tiêu"},
        follow=True,
    )

    assert Registration.objects.get().state == RegistrationState.REOPENED
    assert "Đã mở lại bản đăng ký" in response.content.decode()


@pytest.mark.parametrize("who", ["head", "council"])
def test_only_the_secretariat_reopens(cast, login, who):
    register(cast, indicator="Tỷ lệ hồ sơ đúng hạn", award_codes=())

    response = login(getattr(cast, who)).post(
        reverse("blocs:registration_reopen", args=[cast.member.pk]), {"reason": "x"}
    )

    assert response.status_code == 403
    assert Registration.objects.get().state == RegistrationState.SUBMITTED


# --- the secretariat's overview and reminders ---------------------------------------------


def test_overview_shows_who_has_registered(cast, login):
    register(cast, indicator="Tỷ lệ hồ sơ đúng hạn", award_codes=())

    response = login(cast.secretariat).get(
        reverse("blocs:registration_overview", args=[cast.bloc_year.pk])
    )

    text = response.content.decode()
    assert "1/2 đơn vị đã đăng ký." in text
    assert "chưa đăng ký" in text
    assert "Nhắc các đơn vị chưa đăng ký" in text


def test_overview_is_403_for_a_member_and_404_for_an_outsider(cast, login):
    url = reverse("blocs:registration_overview", args=[cast.bloc_year.pk])

    assert login(cast.officer).get(url).status_code == 403
    assert login(cast.outsider).get(url).status_code == 404
    assert login(cast.council).get(url).status_code == 200


@pytest.mark.parametrize("members", [1, 5])
def test_overview_query_count_does_not_grow(cast, login, django_assert_num_queries, members):
    for _index in range(members):
        register(cast, add_member(cast.bloc_year, AgencyFactory(province=cast.province)))
    client = login(cast.secretariat)
    url = reverse("blocs:registration_overview", args=[cast.bloc_year.pk])
    client.get(url)  # warm the session and content types

    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.content.decode().count('class="registration-row"') == members + 2


def test_remind_sends_and_reports(cast, login, mailoutbox, django_capture_on_commit_callbacks):
    cast.officer.email = "mem@example.vn"
    cast.officer.save(update_fields=["email"])
    client = login(cast.secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("blocs:registration_remind", args=[cast.bloc_year.pk]), follow=True
        )

    assert "Đã gửi thư nhắc tới 2 đơn vị" in response.content.decode()
    assert [m.to for m in mailoutbox] == [["mem@example.vn"]]
    assert "/my-registration/" in mailoutbox[0].body


def test_remind_is_secretariat_only_and_post_only(cast, login):
    url = reverse("blocs:registration_remind", args=[cast.bloc_year.pk])

    assert login(cast.officer).post(url).status_code == 403
    assert login(cast.secretariat).get(url).status_code == 405
    assert login(cast.outsider).post(url).status_code == 404


# --- progress -------------------------------------------------------------------------------


def test_mid_year_report_and_summary(cast, login):
    registration = register(cast, indicator="Tỷ lệ hồ sơ đúng hạn", award_codes=())
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    target = registration.targets.get()
    client = login(cast.officer)
    url = reverse("blocs:progress_report", args=[cast.member.pk, "mid_year"])

    assert "Sơ kết giữa năm" in client.get(url).content.decode()
    response = client.post(
        url, {f"value_{target.pk}": "60", f"comment_{target.pk}": "Đúng tiến độ"}
    )

    assert response.status_code == 302
    assert TargetProgress.objects.get().value == Decimal("60.00")
    summary = login(cast.secretariat).get(
        reverse("blocs:progress_summary", args=[cast.bloc_year.pk])
    )
    text = summary.content.decode()
    assert "đã báo cáo 1/1 chỉ tiêu khi sơ kết" in text
    assert "60%" in text


@pytest.mark.parametrize("targets", [1, 5])
def test_progress_report_query_count_does_not_grow(cast, login, django_assert_num_queries, targets):
    registration = register(cast, targets=targets, award_codes=())
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    services.target_progress_report(
        actor=cast.officer,
        membership=cast.member,
        period="mid_year",
        values={t.pk: (Decimal("60"), "Đúng tiến độ") for t in registration.targets.all()},
    )
    client = login(cast.officer)
    url = reverse("blocs:progress_report", args=[cast.member.pk, "mid_year"])
    client.get(url)

    with django_assert_num_queries(PROGRESS_REPORT_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    text = response.content.decode()
    assert text.count('name="value_') == targets
    assert text.count("Đúng tiến độ") == targets


PROGRESS_REPORT_QUERIES = 5


def test_progress_report_rejects_an_empty_form_and_other_agencies(cast, login):
    register(cast, indicator="Tỷ lệ hồ sơ đúng hạn", award_codes=())
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    url = reverse("blocs:progress_report", args=[cast.member.pk, "mid_year"])

    response = login(cast.officer).post(url, {})
    assert response.status_code == 200
    assert "ít nhất một chỉ tiêu" in response.content.decode()
    assert login(cast.secretariat).get(url).status_code == 403
    assert login(cast.outsider).get(url).status_code == 404
    assert login(cast.officer).put(url).status_code == 405


@pytest.mark.parametrize("members", [1, 5])
def test_progress_summary_query_count(cast, login, django_assert_num_queries, members):
    for _index in range(members):
        membership = add_member(cast.bloc_year, AgencyFactory(province=cast.province))
        register(cast, membership, targets=2, award_codes=(), submit=False)
    client = login(cast.secretariat)
    url = reverse("blocs:progress_summary", args=[cast.bloc_year.pk])
    client.get(url)

    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.content.decode().count('class="target-achievement"') == 2 * members


def test_progress_summary_permissions(cast, login):
    url = reverse("blocs:progress_summary", args=[cast.bloc_year.pk])

    assert login(cast.officer).get(url).status_code == 403
    assert login(cast.outsider).get(url).status_code == 404
    assert login(cast.secretariat).post(url).status_code == 405


# --- movements ------------------------------------------------------------------------------


def test_council_adds_a_movement(cast, login):
    response = login(cast.council).post(
        reverse("blocs:movement_create"),
        {
            "title": "Phong trào thi đua “Cả nước chung tay vì người nghèo”",
            "launched_by": "prime_minister",
            "launch_document": "Quyết định số 1258/QĐ-TTg",
            "starts_on": "2021-11-01",
            "anniversary": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    created = Movement.objects.get()
    assert created.province == cast.province and created.is_active
    listing = login(cast.officer).get(reverse("blocs:movement_list")).content.decode()
    assert "Cả nước chung tay vì người nghèo" in listing
    assert "Thủ tướng Chính phủ" in listing


def test_movement_form_keeps_input_on_error(cast, login):
    response = login(cast.council).post(
        reverse("blocs:movement_create"),
        {
            "title": "Phong trào giữ nguyên",
            "launched_by": "council",
            "starts_on": "2024-05-01",
            "ends_on": "2024-01-01",
        },
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Phong trào giữ nguyên" in text
    assert "Ngày kết thúc không được trước ngày bắt đầu." in text or "trước" in text
    assert not Movement.objects.exists()


def test_movement_create_and_edit_are_council_only(cast, login):
    item = MovementFactory(
        actor=cast.council, province=cast.province, launched_by=MovementLauncher.COUNCIL
    )

    assert login(cast.secretariat).get(reverse("blocs:movement_create")).status_code == 403
    assert (
        login(cast.officer).get(reverse("blocs:movement_edit", args=[item.pk])).status_code == 403
    )
    assert (
        login(cast.other_council).get(reverse("blocs:movement_edit", args=[item.pk])).status_code
        == 404
    )
    assert login(cast.council).delete(reverse("blocs:movement_create")).status_code == 405


def test_secretariat_takes_up_and_drops_a_movement(cast, login):
    item = MovementFactory(
        actor=cast.council, province=cast.province, launched_by=MovementLauncher.COUNCIL
    )
    client = login(cast.secretariat)

    client.post(
        reverse("blocs:bloc_year_movement_take_up", args=[cast.bloc_year.pk]),
        {"movement": item.pk, "note": "Đưa vào giao ước"},
    )
    link = BlocYearMovement.objects.get()
    page = client.get(reverse("blocs:bloc_year_movements", args=[cast.bloc_year.pk]))
    assert "Đưa vào giao ước" in page.content.decode()
    client.post(reverse("blocs:bloc_year_movement_drop", args=[cast.bloc_year.pk, link.pk]))

    assert not BlocYearMovement.objects.exists()


def test_take_up_permissions(cast, login):
    item = MovementFactory(
        actor=cast.council, province=cast.province, launched_by=MovementLauncher.COUNCIL
    )
    url = reverse("blocs:bloc_year_movement_take_up", args=[cast.bloc_year.pk])

    assert login(cast.officer).post(url, {"movement": item.pk}).status_code == 403
    assert login(cast.outsider).post(url, {"movement": item.pk}).status_code == 404
    assert login(cast.secretariat).get(url).status_code == 405
    assert not BlocYearMovement.objects.exists()


@pytest.mark.parametrize("count", [1, 5])
def test_movement_list_query_count(cast, login, django_assert_num_queries, count):
    for index in range(count):
        MovementFactory(
            actor=cast.council,
            province=cast.province,
            launched_by=MovementLauncher.COUNCIL,
            title=f"Phong trào {index}",
        )
    client = login(cast.council)
    client.get(reverse("blocs:movement_list"))

    with django_assert_num_queries(3):
        response = client.get(reverse("blocs:movement_list"))
    assert response.content.decode().count('class="movement-row"') == count


# --- covenant -------------------------------------------------------------------------------


def covenant_post(client, cast, **extra):
    data = {
        "number": "01/GƯTĐ-KTĐ",
        "signed_on": "2023-02-20",
        "place": "An Phú",
        "content": "I. MỤC ĐÍCH\nThi đua hoàn thành xuất sắc nhiệm vụ.",
        **extra,
    }
    return client.post(reverse("blocs:covenant_edit", args=[cast.bloc_year.pk]), data)


def test_secretariat_writes_previews_issues_and_signs_the_covenant(cast, login):
    client = login(cast.secretariat)

    form = client.get(reverse("blocs:covenant_edit", args=[cast.bloc_year.pk]))
    assert "MỤC ĐÍCH, YÊU CẦU" in form.content.decode()  # a Vietnamese default text
    # The number starts with the symbol the province and the bloc give a covenant.
    assert form.context["form"].initial["number"] == "/GƯTĐ-KTĐ"
    assert covenant_post(client, cast).status_code == 302
    preview = client.get(reverse("blocs:covenant_preview", args=[cast.bloc_year.pk, "pdf"]))
    assert preview.content.startswith(b"%PDF-")
    docx = client.get(reverse("blocs:covenant_preview", args=[cast.bloc_year.pk, "docx"]))
    assert docx.content.startswith(b"PK")
    assert 'filename="du-thao-giao-uoc-thi-dua-' in docx["Content-Disposition"]
    assert not IssuedDocument.objects.exists()  # previews are never stored

    client.post(reverse("blocs:covenant_issue", args=[cast.bloc_year.pk]))
    client.post(
        reverse("blocs:covenant_sign", args=[cast.bloc_year.pk]),
        {"scan": SimpleUploadedFile("da-ky.pdf", PDF, content_type="application/pdf")},
    )

    assert IssuedDocument.objects.get().version == 1
    assert Covenant.objects.get().state == CovenantState.SIGNED
    page = client.get(reverse("blocs:covenant_detail", args=[cast.bloc_year.pk])).content.decode()
    assert "Phiên bản 1" in page and "da-ky.pdf" in page and "Đã ký kết" in page
    scan = login(cast.officer).get(reverse("blocs:covenant_scan", args=[cast.bloc_year.pk]))
    assert b"".join(scan.streaming_content) == PDF
    scan.close()


def test_covenant_scan_of_the_wrong_type_is_refused(cast, login):
    client = login(cast.secretariat)
    covenant_post(client, cast)

    response = client.post(
        reverse("blocs:covenant_sign", args=[cast.bloc_year.pk]),
        {"scan": SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")},
        follow=True,
    )

    assert "Loại tệp này không được chấp nhận" in response.content.decode() or (
        "không" in response.content.decode()
    )
    assert Covenant.objects.get().state == CovenantState.DRAFT


def test_covenant_permissions(cast, login):
    client = login(cast.secretariat)
    covenant_post(client, cast)

    assert covenant_post(login(cast.officer), cast).status_code == 403
    assert (
        login(cast.officer)
        .post(reverse("blocs:covenant_issue", args=[cast.bloc_year.pk]))
        .status_code
        == 403
    )
    assert (
        login(cast.officer)
        .get(reverse("blocs:covenant_detail", args=[cast.bloc_year.pk]))
        .status_code
        == 200
    )
    assert (
        login(cast.outsider)
        .get(reverse("blocs:covenant_detail", args=[cast.bloc_year.pk]))
        .status_code
        == 404
    )
    assert (
        login(cast.outsider)
        .get(reverse("blocs:covenant_preview", args=[cast.bloc_year.pk, "pdf"]))
        .status_code
        == 404
    )
    assert (
        login(cast.secretariat)
        .get(reverse("blocs:covenant_issue", args=[cast.bloc_year.pk]))
        .status_code
        == 405
    )
    assert not IssuedDocument.objects.exists()


@pytest.mark.parametrize("count", [1, 5])
def test_bloc_year_movements_query_count(cast, login, django_assert_num_queries, count):
    for index in range(count):
        services.bloc_year_movement_take_up(
            actor=cast.secretariat,
            bloc_year=cast.bloc_year,
            movement=MovementFactory(
                actor=cast.council,
                province=cast.province,
                launched_by=MovementLauncher.COUNCIL,
                title=f"PT {index}",
            ),
        )
    MovementFactory(
        actor=cast.council,
        province=cast.province,
        launched_by=MovementLauncher.COUNCIL,
        title="Chưa hưởng ứng",
    )
    client = login(cast.secretariat)
    url = reverse("blocs:bloc_year_movements", args=[cast.bloc_year.pk])
    client.get(url)

    with django_assert_num_queries(7):
        response = client.get(url)
    text = response.content.decode()
    assert text.count("movement-taken-up") == count
    assert "Chưa hưởng ứng" in text  # offered in the take-up form


@pytest.mark.parametrize("versions", [1, 5])
def test_covenant_page_query_count(cast, login, django_assert_num_queries, versions):
    covenant = services.covenant_save(
        actor=cast.secretariat,
        bloc_year=cast.bloc_year,
        signed_on=datetime.date(2023, 2, 20),
        place="An Phú",
        content="Nội dung",
    )
    for _index in range(versions):
        services.covenant_issue_document(actor=cast.secretariat, covenant=covenant)
    client = login(cast.officer)
    url = reverse("blocs:covenant_detail", args=[cast.bloc_year.pk])
    client.get(url)

    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.content.decode().count('class="list-group-item issued-document"') == versions


@pytest.mark.parametrize("chosen", ["99999999999999999999", "-9223372036854775809"])
def test_a_title_id_beyond_any_database_integer_is_an_invalid_choice(db, chosen):
    """SQLite cannot compare such a number: the form refuses it instead of a server error."""
    from awards.models import AwardType
    from blocs.forms.registration import AwardTypesForm

    form = AwardTypesForm(data={"award_types": [chosen]}, award_types=AwardType.objects.all())

    assert not form.is_valid()
    assert form.errors["award_types"][0].startswith("Hãy chọn một lựa chọn hợp lệ")
