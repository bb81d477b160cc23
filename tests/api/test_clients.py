"""API clients: made by a command that prints the token once, stored as a
digest, scoped, revocable (a command or the admin), each within its own rate
limit."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from api.models import ApiClient
from api.services import token_digest
from emulation.models import AuditEvent
from tests.api.conftest import get, make_token
from tests.factories import ProvinceFactory

pytestmark = pytest.mark.django_db


def create(*args) -> str:
    out = io.StringIO()
    call_command("create_api_client", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_the_command_prints_a_token_that_is_stored_only_as_a_digest(client):
    ProvinceFactory(code="tinh")

    token = create("--name", "csdl-quoc-gia", "--province", "tinh", "--write")

    stored = ApiClient.objects.get()
    assert (stored.name, stored.province.code, stored.can_write) == ("csdl-quoc-gia", "tinh", True)
    assert stored.token_digest == token_digest(token) != token
    assert token not in str(list(ApiClient.objects.values_list()))
    assert AuditEvent.objects.filter(action="api_client.create").count() == 1
    assert get(client, token, "api:agencies").status_code == 200


def test_a_national_client_is_made_with_national(client):
    token = create("--name", "bo-noi-vu", "--national")

    assert ApiClient.objects.get().province is None
    assert get(client, token, "api:blocs").status_code == 200


def test_the_command_refuses_an_unknown_province_or_a_second_name():
    ProvinceFactory(code="tinh")
    create("--name", "mot", "--province", "tinh")

    with pytest.raises(CommandError, match="khong-co"):
        create("--name", "hai", "--province", "khong-co")
    with pytest.raises(CommandError):
        create("--name", "mot", "--province", "tinh")
    with pytest.raises(CommandError):  # neither a province nor --national
        create("--name", "ba")
    assert ApiClient.objects.count() == 1


def test_a_revoked_client_is_refused(client):
    token = create("--name", "mot", "--national")

    call_command("revoke_api_client", "--name", "mot", stdout=io.StringIO())

    assert get(client, token, "api:agencies").status_code == 401
    assert ApiClient.objects.get().revoked_at is not None
    assert AuditEvent.objects.filter(action="api_client.revoke").count() == 1


def test_the_admin_revokes_a_client(client, admin_user):
    token = create("--name", "mot", "--national")
    stored = ApiClient.objects.get()
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:api_apiclient_changelist"),
        {"action": "revoke", "_selected_action": [stored.pk]},
    )
    client.logout()

    assert response.status_code == 302
    assert get(client, token, "api:agencies").status_code == 401


@override_settings(API_RATE_LIMIT="3/minute")
def test_each_client_has_its_own_rate_limit(client):
    busy = make_token(None, name="busy")
    quiet = make_token(None, name="quiet")

    answers = [get(client, busy, "api:blocs").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert get(client, quiet, "api:blocs").status_code == 200
