"""Writes of the API app: clients made and revoked, calls logged."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiCall, ApiClient
from blocs.models import Province
from emulation import audit
from emulation.models import User

TOKEN_BYTES = 32


def token_digest(token: str) -> str:
    """The SHA-256 digest under which a token is stored and looked up (a
    random 256-bit token needs no salt or slow hash: it cannot be guessed)."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_client_create(
    *, actor: User | None, name: str, province: Province | None, can_write: bool = False
) -> tuple[ApiClient, str]:
    """Make a client and its token; the token is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the client a name."))
    if ApiClient.objects.filter(name=name).exists():
        raise ValidationError(_("A client named “%(name)s” already exists.") % {"name": name})
    token = secrets.token_urlsafe(TOKEN_BYTES)
    client = ApiClient.objects.create(
        name=name,
        province=province,
        can_write=can_write,
        token_digest=token_digest(token),
        token_prefix=token[:8],
    )
    audit.record(
        actor=actor,
        action="api_client.create",
        target=client,
        data={
            "name": name,
            "province": province.code if province else None,
            "can_write": can_write,
        },
    )
    return client, token


@transaction.atomic
def api_client_revoke(*, actor: User | None, client: ApiClient) -> ApiClient:
    """Revoke a client's token: every later call with it is refused (401)."""
    locked = ApiClient.objects.select_for_update().get(pk=client.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="api_client.revoke", target=locked, data={"name": locked.name})
    client.revoked_at = locked.revoked_at
    return locked


def api_call_record(*, client: ApiClient | None, method: str, path: str, status: int) -> ApiCall:
    """Log one call (the log is the record; no audit event for it)."""
    return ApiCall.objects.create(client=client, method=method[:10], path=path[:500], status=status)
