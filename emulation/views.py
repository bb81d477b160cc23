import sys

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from emulation.dashboard import tasks_for
from emulation.middleware import is_outage, unavailable_response


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
