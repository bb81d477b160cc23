"""Helpers of the permission matrix (tests/test_permission_matrix.py): walk the
URL configuration, pick real demo objects for every URL's arguments, log each
role in and put each answer into a category."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver

# The roles, in the order of the matrix's columns.
ROLES = (
    "anon",
    "outsider",
    "peer",
    "officer",
    "head",
    "council",
    "council2",
    "secretariat",
    "admin",
)
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_NAMES = {"set_language"}


def named_urls() -> dict[str, URLPattern]:
    """Every named URL pattern of the site ("namespace:name"), admin excluded."""
    found: dict[str, URLPattern] = {}

    def walk(resolver: URLResolver, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in SKIPPED_NAMESPACES:
                    continue
                ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern, ns)
            elif pattern.name and pattern.name not in SKIPPED_NAMES:
                if "static" in pattern.name:
                    continue
                found[prefix + pattern.name] = pattern

    walk(get_resolver(), "")
    return found


@dataclass
class Outcome:
    category: str
    detail: str = ""
    header_problems: tuple[str, ...] = ()


def header_problems(response) -> tuple[str, ...]:
    """What an HTML page lacks of the headers every page must carry; a stored
    file streamed after the permission check must not be cached on the way."""
    if isinstance(response, FileResponse):
        problems = []
        if "no-store" not in response.get("Cache-Control", ""):
            problems.append("a protected file may be cached (no Cache-Control: no-store)")
        if response.get("X-Content-Type-Options") != "nosniff":
            problems.append("a protected file without X-Content-Type-Options: nosniff")
        return tuple(problems)
    if "text/html" not in response.get("Content-Type", ""):
        return ()
    problems = []
    csp = response.get("Content-Security-Policy", "")
    if not csp:
        problems.append("no Content-Security-Policy")
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append(f"CSP allows unsafe code: {csp}")
    if "frame-ancestors 'none'" not in csp:
        problems.append("CSP lacks frame-ancestors 'none'")
    if response.get("X-Frame-Options") != "DENY":
        problems.append("X-Frame-Options is not DENY")
    if response.get("Referrer-Policy") != "same-origin":
        problems.append("Referrer-Policy is not same-origin")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("X-Content-Type-Options is not nosniff")
    return tuple(problems)


def _private_no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def categorise(response) -> Outcome:
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        location = urlparse(response["Location"]).path
        if location == resolve_url(settings.LOGIN_URL):
            return Outcome("login")
        return Outcome("ok", f"-> {location}")
    if 200 <= code < 300:
        return Outcome("ok", header_problems=header_problems(response))
    if code == 400:  # a form re-rendered with its errors
        return Outcome("ok", "400 form errors", header_problems(response))
    return Outcome(str(code))


def request_as(client, user, method: str, url: str) -> Outcome:
    """One request as `user` (None: anonymous), rolled back afterwards so that a
    POST that succeeds changes nothing for the next role."""
    try:
        with transaction.atomic():
            client.logout()
            if user is not None:
                client.force_login(user)
            response = client.get(url) if method == "GET" else client.post(url, {})
            outcome = categorise(response)
            if user is not None and not _private_no_store(response):
                problem = "a logged-in answer may be cached (no Cache-Control: private, no-store)"
                outcome.header_problems = (*outcome.header_problems, problem)
            if response.streaming:
                # Read it all: the test client's wrapper then closes the file
                # without closing the database connection (as a direct close()
                # would, through request_finished, on PostgreSQL).
                b"".join(response.streaming_content)
            transaction.set_rollback(True)
    except Exception as exc:  # a 500: the test names it with its traceback
        return Outcome("500", "".join(traceback.format_exception_only(exc)).strip())
    return outcome
