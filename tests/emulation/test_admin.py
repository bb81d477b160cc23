import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.admin import site
from django_otp.plugins.otp_totp.models import TOTPDevice

from blocs.models import Agency, BlocYear, Membership
from emulation.admin_site import AuditedAdmin
from emulation.models import AuditEvent
from tests.factories import AgencyFactory


@pytest.mark.parametrize(
    "who", ["secretariat", "officer", "head", "outsider", "council", "other_council"]
)
def test_admin_is_closed_to_everyone_but_superusers(cast, login, who):
    response = login(getattr(cast, who)).get("/admin/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_is_open_to_superusers_in_vietnamese(cast, login):
    response = login(cast.admin).get("/admin/")

    assert response.status_code == 200
    assert "Quản trị" in response.content.decode()


def test_admin_pages_of_every_model_open(cast, login):
    client = login(cast.admin)
    for url in (
        "/admin/emulation/user/",
        "/admin/blocs/agency/",
        "/admin/blocs/bloc/",
        "/admin/blocs/blocyear/",
        f"/admin/blocs/blocyear/{cast.bloc_year.pk}/change/",
        "/admin/blocs/emulationyear/",
        "/admin/blocs/agencylineage/",
        "/admin/blocs/province/",
    ):
        assert client.get(url).status_code == 200, url


# --- the admin cannot change workflow data behind the services' back ---------

WORKFLOW_MODELS = [
    "blocs.Membership",
    "blocs.SelfAssessment",
    "blocs.ItemScore",
    "blocs.Evidence",
    "blocs.BlocYearReview",
    "blocs.ReviewedScore",
    "blocs.Adjustment",
    "blocs.Dispute",
    "blocs.FinalScore",
    "blocs.Registration",
    "blocs.Covenant",
    "awards.Poll",
    "awards.Ballot",
    "awards.VoterRecord",
    "awards.Result",
    "awards.Proposal",
    "awards.Decision",
    "awards.AwardRecord",
    "awards.AgencyYearFact",
    "awards.Disqualification",
    "emulation.AuditEvent",
    "emulation.IssuedDocument",
    "emulation.Notification",
]


@pytest.mark.parametrize("label", WORKFLOW_MODELS)
def test_workflow_data_cannot_be_added_changed_or_deleted_in_the_admin(cast, rf, label):
    model = apps.get_model(label)
    model_admin = site._registry.get(model)
    if model_admin is None:
        return  # not in the admin at all
    request = rf.get("/admin/")
    request.user = cast.admin

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


# Admin actions that call an audited service.
ACTIONS_THROUGH_SERVICES = {"revoke"}  # api.ApiClient: api.services.api_client_revoke


def test_every_model_in_the_admin_is_read_only_or_audited(cast, rf):
    """Including what other libraries put there: lifting a login lock, a
    second-factor device reset or a group's permissions are not changed
    behind the audit log's back (the council's page lifts locks, audited)."""
    request = rf.get("/admin/")
    request.user = cast.admin
    unaudited = []
    for model, model_admin in site._registry.items():
        writable = (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
            or bool(set(model_admin.get_actions(request)) - ACTIONS_THROUGH_SERVICES)
        )
        if writable and not isinstance(model_admin, AuditedAdmin):
            unaudited.append(model._meta.label)

    assert unaudited == []


def test_a_login_lock_is_not_lifted_in_the_admin(cast, login, client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(2):
        client.post("/accounts/login/", {"username": cast.officer.username, "password": "x"})
    attempt = AccessAttempt.objects.get(username=cast.officer.username)
    admin_client = login(cast.admin)

    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_resetting_a_second_factor_device_in_the_admin_is_audited(cast, login):
    device = TOTPDevice.objects.create(user=cast.officer, name="Điện thoại")
    client = login(cast.admin)

    client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})

    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    event = AuditEvent.objects.get(action="admin.delete")
    assert event.actor == cast.admin and event.target_id == str(device.pk)


def test_award_records_facts_and_disqualifications_are_read_only_pages(cast, login):
    client = login(cast.admin)
    for name in ("awardrecord", "agencyyearfact", "disqualification"):
        assert client.get(f"/admin/awards/{name}/").status_code == 200
        assert client.get(f"/admin/awards/{name}/add/").status_code == 403


def test_a_membership_cannot_be_deleted_from_the_bloc_year_page(cast, login):
    html = login(cast.admin).get(f"/admin/blocs/blocyear/{cast.bloc_year.pk}/change/").content
    assert b"-DELETE" not in html


def test_deleting_a_bloc_year_that_has_workflow_data_is_refused(cast, login):
    """Its memberships (and what hangs on them: registrations,
    self-assessments, scores…) would go with it by cascade: refused."""
    client = login(cast.admin)
    url = f"/admin/blocs/blocyear/{cast.bloc_year.pk}/delete/"

    page = client.get(url)
    response = client.post(url, {"post": "yes"})

    assert "Không thể xóa" in page.content.decode()  # "Cannot delete …"
    assert response.status_code == 403
    assert BlocYear.objects.filter(pk=cast.bloc_year.pk).exists()
    assert Membership.objects.filter(pk=cast.member.pk).exists()


def test_deleting_a_bloc_year_with_members_is_refused_also_as_a_bulk_action(cast, login):
    client = login(cast.admin)

    client.post(
        "/admin/blocs/blocyear/",
        {"action": "delete_selected", "_selected_action": [cast.bloc_year.pk], "post": "yes"},
    )

    assert BlocYear.objects.filter(pk=cast.bloc_year.pk).exists()
    assert Membership.objects.filter(bloc_year=cast.bloc_year).count() == 2


def test_deleting_an_unused_agency_still_works_and_is_audited(cast, login):
    spare = AgencyFactory(province=cast.province, code="spare")
    client = login(cast.admin)

    client.post(f"/admin/blocs/agency/{spare.pk}/delete/", {"post": "yes"})

    assert not Agency.objects.filter(pk=spare.pk).exists()
    event = AuditEvent.objects.get(action="admin.delete")
    assert event.actor == cast.admin and event.target_id == str(spare.pk)


def test_a_change_in_the_admin_is_audited(cast, login):
    client = login(cast.admin)
    province = cast.province

    client.post(
        f"/admin/blocs/province/{province.pk}/change/",
        {"code": "tinh", "name": "Tỉnh Đổi Tên", "quorum_numerator": 3, "quorum_denominator": 4},
    )

    province.refresh_from_db()
    assert province.name == "Tỉnh Đổi Tên"
    # The province's conference quorum is set here too, and audited with the rest.
    assert (province.quorum_numerator, province.quorum_denominator) == (3, 4)
    event = AuditEvent.objects.get(action="admin.change")
    assert event.actor == cast.admin and event.target_id == str(province.pk)
