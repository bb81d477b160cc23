import sys

from axes.helpers import get_client_username
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language

from emulation.dashboard import tasks_for
from emulation.forms import EmailChoicesForm, LoginLockLiftForm
from emulation.middleware import is_outage, unavailable_response
from emulation.notifications import notification_text
from emulation.refusals import require_council
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
