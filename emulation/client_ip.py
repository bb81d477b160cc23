"""The address of the person at the keyboard, for the login throttle.

Behind a reverse proxy every request arrives from the proxy's address; the
client's is the last entry the trusted proxies appended to X-Forwarded-For.
With TRUSTED_PROXY_COUNT proxies in front of the app, that is the N-th entry
from the right: what a client writes into the header itself sits further to
the left and is ignored, so nobody can pick the address they are counted
under."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < proxies:
        # Not through every trusted proxy: the nearest address is all we know.
        return remote
    return _valid(forwarded[-proxies]) or remote
