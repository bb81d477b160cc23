"""Who is calling: a client's bearer token, its rights, its rate limit."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from api.models import ApiClient
from api.services import token_digest


class ClientTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <token>``; a missing token leaves the request
    anonymous (401 from the permission), a wrong or revoked one is refused."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("The Authorization header must read “Bearer <token>”.")
            )
        try:
            token = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        client = (
            ApiClient.objects.select_related("province")
            .filter(token_digest=token_digest(token), revoked_at__isnull=True)
            .first()
        )
        if client is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid or has been revoked."))
        return client, client

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class ClientTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ClientTokenAuthentication"
    name = "clientToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}


class IsClient(permissions.BasePermission):
    """A client with a valid token; writes only for a client that may write."""

    message = _("This client may not write.")

    def has_permission(self, request, view):
        client = request.auth
        if not isinstance(client, ApiClient) or not client.is_active:
            return False
        return request.method in permissions.SAFE_METHODS or client.can_write


class ClientRateThrottle(throttling.SimpleRateThrottle):
    """Each client's calls, counted apart: API_RATE_LIMIT (e.g. "600/minute")."""

    scope = "api_client"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        client = request.auth
        if not isinstance(client, ApiClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": client.pk}
