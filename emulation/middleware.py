"""Project middleware: what every answer of the site must carry."""

from __future__ import annotations

import functools
import logging
import sys

from django.apps import apps
from django.conf import settings
from django.contrib.auth.middleware import get_user
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from emulation.backends import DEVICE_READ, session_device_id
from emulation.prepared import PreparedQuery

logger = logging.getLogger(__name__)


def _logged_in(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class PrivateNoStoreMiddleware:
    """An answer to a logged-in user may name agencies, scores or receipt
    codes: neither the browser's cache nor a proxy on the way may keep it.
    A request carrying a session cookie counts as logged in without asking
    the database (which may be the thing that is down)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES or _logged_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


# Seconds after which a client may try again when the database does not answer.
RETRY_AFTER_SECONDS = 30


def unavailable_response(request) -> HttpResponse:
    """The styled "temporarily unavailable" page: 503 with Retry-After. It
    touches no database (no user, no session)."""
    response = render(request, "503.html", {"retry_after": RETRY_AFTER_SECONDS}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_store=True)
    return response


def is_outage(exc: BaseException | None) -> bool:
    """The database cannot be reached or the connection was lost (not a bug
    in a query, which stays a server error)."""
    return isinstance(exc, OperationalError | InterfaceError)


# Set on a request whose handling met a database outage that Django itself
# turned into a response (see ``_note_outage``).
OUTAGE_SEEN = "database_outage_seen"


def _note_outage(sender, request=None, **kwargs):
    """An exception raised inside a middleware (loading the session or the
    user, saving the session) never reaches ``process_exception``: Django
    turns it into a 500 on the spot, with DEBUG on into its debug page. Mark
    the request when that exception was an outage, so that the middleware
    below still answers with the "temporarily unavailable" page."""
    if request is not None and is_outage(sys.exc_info()[1]):
        setattr(request, OUTAGE_SEEN, True)


got_request_exception.connect(_note_outage, dispatch_uid="emulation.middleware.outage")


class DatabaseUnavailableMiddleware:
    """A database that does not answer (restarting, unreachable, a lock not
    obtained in time) gives the "temporarily unavailable" page, never a
    server error: met in a view, in a middleware or in a template, with
    DEBUG on or off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, OUTAGE_SEEN, False):
            logger.warning("Database unavailable while handling %s", request.path)
            return unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if is_outage(exception):
            logger.warning("Database unavailable: %s", exception)
            return unavailable_response(request)
        return None


def chosen_language(request) -> str:
    """Vietnamese unless the user chose English: a signed-in user's saved
    choice, else the choice the language switcher left in a cookie. The
    browser's Accept-Language is not asked: office PCs set to English are
    common, and their users read Vietnamese."""
    languages = dict(settings.LANGUAGES)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in languages:
        return user.language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return cookie if cookie in languages else settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activates the chosen language for the request (after authentication,
    which it reads)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


# The pages an account that still owes its second factor may reach: the
# enrolment and code steps, leaving, the language menu.
SECOND_FACTOR_OPEN_URLS = {
    "two_factor_enrol",
    "two_factor_login",
    "logout",
    "set_language",
    "healthz",
}


class SecondFactorMiddleware:
    """Council staff and administrators (the Django admin included) reach
    the site only in a session verified by their second factor: one without
    an authenticator is sent to enrol, one with it to the code step. Runs
    after django-otp's middleware, which tells whether the session is
    verified. ``TWO_FACTOR_REQUIRED`` is on in every deployment; only the
    test suite turns it off for sessions opened by ``force_login``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.TWO_FACTOR_REQUIRED
            and user is not None
            and user.is_authenticated
            and (user.is_superuser or user.is_council_staff)
            and user.is_active
            and not user.is_verified()
            and not request.path.startswith(settings.STATIC_URL)
        ):
            try:
                view_name = resolve(request.path_info).view_name
            except Resolver404:
                view_name = ""
            if view_name not in SECOND_FACTOR_OPEN_URLS:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('two_factor_enrol')}?{query}")
        return self.get_response(request)


# The kind of device read with the user (emulation.backends).
_AUTHENTICATOR_LABEL = TOTPDevice._meta.label_lower

# The device of each verified session, by model: compiled once per process.
_DEVICE_QUERIES: dict[type, PreparedQuery] = {}


class OTPMiddleware(BaseOTPMiddleware):
    """django-otp's middleware (it tells whether the session passed its second
    factor), reading the session's device with the user, in the same query
    (``emulation.backends``), when it is an authenticator (TOTP, the only
    kind staff sign in with); another kind with SQL compiled once per
    process. Every page of council staff reads it.

    django-otp wraps the lazy user of Django's middleware in a lazy object of
    its own, so every ``request.user.…`` went through two proxies. Every
    request reads its user (the second factor's check, the page's language
    below), so here ``request.user`` is the user itself, read at once (the
    same object, cached on the request by Django's middleware): a page reads
    ``request.user`` some fifty times, each through a proxy."""

    def _install_lazy_accessors(self, request):
        user = getattr(request, "user", None)
        if user is not None:
            request.user = self._verify_user_sync(request, user)
        auser = getattr(request, "auser", None)
        if auser is not None:
            request.auser = functools.partial(self._verify_user_async_via_auser, request, auser)

    def _verify_user_sync(self, request, user):
        if isinstance(user, SimpleLazyObject):
            device_id = self._authenticator_id(request)
            if device_id is None:
                user = get_user(request)
            else:
                wanted = session_device_id.set(device_id)
                try:
                    user = get_user(request)
                finally:
                    session_device_id.reset(wanted)
        self._init_user_fields(user)
        if user.is_authenticated:
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            device = self._session_device(user, persistent_id) if persistent_id else None
            user.otp_device = self._finalize_device(request, user, device)
        return user

    def _authenticator_id(self, request) -> int | None:
        """The id of the session's device if it is an authenticator."""
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None  # no session: nothing to read
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        return self._authenticator_id_of(persistent_id) if persistent_id else None

    def _session_device(self, user, persistent_id: str):
        """The session's device: the one read with the user, or read now."""
        read = getattr(user, DEVICE_READ, None)
        if read is not None and read == self._authenticator_id_of(persistent_id):
            return getattr(user, "session_device", None)
        return self._device_from_persistent_id(persistent_id)

    def _authenticator_id_of(self, persistent_id: str) -> int | None:
        label, _, device_id = self._normalize_persistent_id(persistent_id).rpartition("/")
        return int(device_id) if label == _AUTHENTICATOR_LABEL and device_id.isdigit() else None

    def _device_from_persistent_id(self, persistent_id: str):
        persistent_id = self._normalize_persistent_id(persistent_id)
        try:
            label, device_id = persistent_id.rsplit("/", 1)
            model = apps.get_model(label)
            device_id = int(device_id)
        except (ValueError, LookupError):
            return None
        if not issubclass(model, Device):
            return None
        query = _DEVICE_QUERIES.get(model)
        if query is None:
            query = _DEVICE_QUERIES[model] = PreparedQuery(
                lambda pk, model=model: model.objects.filter(id=pk)
            )
        found = query(device_id)
        return found[0] if found else None
