import base64
import sys
import time

import django_otp
import segno
from axes.helpers import get_client_username
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from emulation import services as account_services
from emulation.dashboard import tasks_for
from emulation.forms import (
    EmailChoicesForm,
    LoginLockLiftForm,
    SecondFactorCodeForm,
    SetPasswordForm,
)
from emulation.invitations import user_for_invitation
from emulation.middleware import is_outage, unavailable_response
from emulation.models import User
from emulation.notifications import notification_text
from emulation.refusals import refusal_text, require_council
from emulation.selectors import (
    email_kinds_of,
    get_notification_for,
    login_lock_ends_at,
    login_locks_visible_to,
    notifications_of,
    users_whose_locks_user_lifts,
)
from emulation.services import (
    email_choices_set,
    login_lock_lift,
    notification_read,
    notifications_read_all,
    user_language_set,
)


@require_GET
@login_required
def home(request):
    return render(request, "emulation/home.html", {"tasks": tasks_for(request.user)})


@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse(
            {"status": "error", "database": "unavailable", "reason": exc.__class__.__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request):
    """A database outage met outside a view (in a middleware, while saving the
    session) is still the "temporarily unavailable" page; anything else is
    Django's plain server error."""
    if is_outage(sys.exc_info()[1]):
        return unavailable_response(request)
    return defaults.server_error(request)


def login_locked_out(request, original_response=None, credentials=None):
    """The login throttle's answer (429): the account is locked from this
    address, and until when."""
    ends_at = login_lock_ends_at(
        username=get_client_username(request, credentials) or "",
        ip_address=getattr(request, "axes_ip_address", None),
    )
    return render(request, "registration/locked_out.html", {"ends_at": ends_at}, status=429)


@require_GET
@login_required
def login_locks(request):
    """The council's list of accounts locked by failed logins in its province."""
    require_council(request.user)
    locks = login_locks_visible_to(request.user, now=timezone.now())
    return render(request, "emulation/login_locks.html", {"locks": locks})


@require_POST
@login_required
def login_lock_lift_view(request):
    """Lift an account's login lock before it ends by itself (audited)."""
    require_council(request.user)
    form = LoginLockLiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the account to unlock."))
        return redirect("login_locks")
    user = get_object_or_404(
        users_whose_locks_user_lifts(request.user), username=form.cleaned_data["username"]
    )
    login_lock_lift(actor=request.user, user=user)
    messages.success(request, _("%(user)s can log in again.") % {"user": user.username})
    return redirect("login_locks")


@require_POST
def language_choose(request):
    """The language switcher: Django's ``set_language`` (a cookie, and back to
    the page), and for a signed-in user the choice kept with the account, so
    that it follows the user to another computer."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=language)
    return response


def csrf_failure(request, reason=""):
    """A form sent without a valid security token (an old page, cookies
    blocked): the styled page that says what to do, never Django's English
    debug text."""
    return render(request, "403_csrf.html", status=403)


# --- sign-in with a second factor -------------------------------------------------------

PENDING_KEY = "two_factor_pending"
PENDING_SECONDS = 300
RECOVERY_CODES_KEY = "two_factor_recovery_codes"


class LoginView(auth_views.LoginView):
    """Django's login; an account with an authenticator is not signed in yet:
    the password opens the code step (five minutes), and only a right code
    signs in."""

    def form_valid(self, form):
        user = form.get_user()
        if not account_services.has_second_factor(user):
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_redirect_url(),
            "at": time.time(),
        }
        return redirect("two_factor_login")


def _pending_user(request) -> tuple[User | None, dict]:
    pending = request.session.get(PENDING_KEY) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, {}
    return User.objects.filter(pk=pending.get("user"), is_active=True).first(), pending


def _code_failures_key(user: User) -> str:
    return f"two-factor-failures:{user.pk}"


def _match_code(user: User, code: str):
    """The device the code belongs to (an authenticator, or a recovery code,
    which is then used up), or None."""
    return django_otp.match_token(user, code)


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_login(request):
    """The code step after the password. At most TWO_FACTOR_FAILURE_LIMIT
    wrong codes per account within the login throttle's cool-off; then the
    step is refused until it ends, whoever asks."""
    user, pending = _pending_user(request)
    if user is None and request.user.is_authenticated and not request.user.is_verified():
        user, pending = request.user, {"next": request.GET.get("next", "")}
    if user is None:
        messages.info(request, _("Log in with your password first."))
        return redirect("login")
    form = SecondFactorCodeForm(request.POST or None)
    failures_key = _code_failures_key(user)
    locked = cache.get(failures_key, 0) >= settings.TWO_FACTOR_FAILURE_LIMIT
    if locked:
        request.session.pop(PENDING_KEY, None)
        return render(
            request,
            "registration/two_factor_login.html",
            {"form": SecondFactorCodeForm(), "locked": True},
            status=429,
        )
    if request.method == "POST" and form.is_valid():
        device = _match_code(user, form.cleaned_data["code"])
        if device is None:
            failures = cache.get(failures_key, 0) + 1
            cache.set(failures_key, failures, settings.AXES_COOLOFF_TIME.total_seconds())
            form.add_error("code", _("The code is wrong or has expired."))
        else:
            cache.delete(failures_key)
            request.session.pop(PENDING_KEY, None)
            if not request.user.is_authenticated:
                auth.login(request, user, backend=pending["backend"])
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("You signed in with a recovery code; %(n)d remain.") % {"n": left},
                )
            target = pending.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = ""
            return redirect(target or settings.LOGIN_REDIRECT_URL)
    return render(request, "registration/two_factor_login.html", {"form": form})


def _qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=str(_("QR code of the authenticator"))
    )


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def two_factor_enrol(request):
    """Enrol an authenticator app: scan the QR code (or type the key), confirm
    with a code; the recovery codes are then shown once. Enrolling again
    replaces the authenticator and the recovery codes, and needs a session
    verified by the present one."""
    enrolled = account_services.has_second_factor(request.user)
    if enrolled and not request.user.is_verified():
        return redirect(f"{reverse('two_factor_login')}?next={request.get_full_path()}")
    device = account_services.totp_enrolment_start(user=request.user)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = account_services.totp_enrolment_confirm(
                user=request.user, device=device, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            form.add_error("code", refusal_text(exc))
        else:
            device.refresh_from_db()
            django_otp.login(request, device)
            request.session[RECOVERY_CODES_KEY] = codes
            messages.success(request, _("Two-factor sign-in is on for your account."))
            return redirect("two_factor_recovery_codes")
    return render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "qr": mark_safe(_qr_svg(device)),  # noqa: S308 (segno's own SVG)
            "secret": _base32_key(device),
            "enrolled": enrolled,
            "required": request.user.is_superuser or request.user.is_council_staff,
        },
    )


def _base32_key(device: TOTPDevice) -> str:
    """The key in groups of four, for typing into an app without a camera."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@require_GET
@login_required
def two_factor_recovery_codes(request):
    """The recovery codes just made, shown once (they leave the session when
    the user downloads them or enrols again); ``?download`` gives them as text."""
    codes = request.session.get(RECOVERY_CODES_KEY)
    if not codes:
        raise Http404
    if "download" in request.GET:
        text = "\n".join(
            [
                _("Recovery codes for %(user)s (each serves once):")
                % {"user": request.user.username},
                "",
                *codes,
                "",
            ]
        )
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="ma-khoi-phuc.txt"'
        return response
    return render(request, "registration/two_factor_recovery_codes.html", {"codes": codes})


@require_GET
@login_required
def notification_list(request):
    """The user's notifications, newest first, each with its text in the
    reader's language."""
    notifications = list(notifications_of(request.user))
    for notification in notifications:
        notification.text = notification_text(notification)
    return render(
        request,
        "emulation/notifications.html",
        {"notifications": notifications, "any_unread": any(not n.read_at for n in notifications)},
    )


@require_POST
@login_required
def two_factor_recovery_codes_done(request):
    """The user has kept the codes: they are no longer shown."""
    request.session.pop(RECOVERY_CODES_KEY, None)
    return redirect("home")


# --- invitations ---------------------------------------------------------------------------


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """The link of an invitation: set a password, then log in with it."""
    user = user_for_invitation(token)
    if user is None:
        return render(request, "registration/invitation_invalid.html", status=404)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.user_invitation_accept(
                user=user, password=form.cleaned_data["password1"]
            )
        except ValidationError as exc:
            form.add_error("password1", exc)
        else:
            messages.success(
                request,
                _("Your password is set. Log in with the user name %(username)s.")
                % {"username": user.username},
            )
            return redirect("login")
    return render(request, "registration/invitation_accept.html", {"form": form, "invited": user})


@require_POST
@login_required
def notification_open(request, pk: int):
    """Mark one notification read and go where it points (back to the list
    when it points nowhere)."""
    notification = get_notification_for(request.user, pk)
    notification_read(user=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts=None, require_https=False
    ):
        return redirect(notification.url)
    return redirect("notification_list")


@require_POST
@login_required
def notification_read_all_view(request):
    count = notifications_read_all(user=request.user)
    if count:
        messages.success(request, _("Every notification is marked as read."))
    return redirect("notification_list")


@require_http_methods(["GET", "POST"])
@login_required
def email_choices(request):
    """Which kinds of notification the user also wants by e-mail."""
    if request.method == "POST":
        form = EmailChoicesForm(request.POST)
        if form.is_valid():
            email_choices_set(user=request.user, kinds=form.cleaned_data["kinds"])
            messages.success(request, _("Your notification settings are saved."))
            return redirect("email_choices")
    else:
        form = EmailChoicesForm(initial={"kinds": sorted(email_kinds_of(request.user))})
    return render(
        request,
        "emulation/email_choices.html",
        {"form": form, "has_email": bool(request.user.email)},
    )
