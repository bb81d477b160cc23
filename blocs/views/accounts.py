"""The council's accounts pages: its province's agencies' users (and its own
staff, for a second factor to reset) — list, invite, import from Excel,
deactivate and reactivate, change the role, invite again, reset the second
factor.

Each view fetches and authorises in one helper (``get_account_for``: 404 for
an account of another province), checks the permission to change it (403),
validates a form, calls a service of the core and redirects with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blocs.forms.accounts import AccountActiveForm, AccountFilterForm, AccountRoleForm, InviteForm
from blocs.importers import accounts as account_importer
from blocs.selectors import agencies_visible_to
from blocs.views.organisation import _import_view
from emulation import services
from emulation.refusals import refusal_text, require, require_council
from emulation.selectors import accounts_visible_to, get_account_for

PAGE_SIZE = 50


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


def _back(request):
    return redirect("blocs:account_list")


@require_GET
@login_required
def account_list(request):
    require_council(request.user)
    agencies = agencies_visible_to(request.user)
    form = AccountFilterForm(request.GET or None, agencies=agencies)
    accounts = accounts_visible_to(request.user, **form.filters())
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "blocs/account/list.html",
        {"form": form, "page": page, "accounts": page.object_list, "query": query.urlencode()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def account_invite(request):
    require_council(request.user)
    form = InviteForm(request.POST or None, agencies=agencies_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_invite(
                actor=request.user,
                full_name=data["full_name"],
                email=data["email"],
                agency=data["agency"],
                agency_role=data["agency_role"],
                site_url=_site_url(request),
            )
        except ValidationError as exc:
            form.add_error(None, refusal_text(exc))
        except PermissionDenied:
            form.add_error("agency", _("You do not manage this agency's accounts."))
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s; the link is valid 72 hours.")
                % {"email": user.email},
            )
            return redirect("blocs:account_list")
    return render(request, "blocs/account/invite.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def account_import(request):
    require_council(request.user)
    agencies = agencies_visible_to(request.user)
    site_url = _site_url(request)

    def run(data, *, dry_run):
        return account_importer.run(
            data, actor=request.user, agencies=agencies, site_url=site_url, dry_run=dry_run
        )

    return _import_view(
        request,
        key="import:accounts",
        template="blocs/account/import.html",
        run=run,
        done_url="blocs:account_list",
        extra={"columns": account_importer.COLUMNS},
    )


def _change(request, pk: int, perm: str):
    """The account to change: 403 for anyone but council staff, 404 for an
    account they do not see, 403 when they may not change it."""
    require_council(request.user)
    account = get_account_for(request.user, pk)
    require(request.user, perm, account)
    return account


@require_POST
@login_required
def account_active(request, pk: int):
    account = _change(request, pk, "emulation.manage_agency_account")
    form = AccountActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the account is active."))
        return _back(request)
    active = form.cleaned_data["active"]
    services.user_active_set(actor=request.user, user=account, active=active)
    if active:
        messages.success(request, _("%(name)s can sign in again.") % {"name": account})
    else:
        messages.success(request, _("%(name)s can no longer sign in.") % {"name": account})
    return _back(request)


@require_POST
@login_required
def account_role(request, pk: int):
    account = _change(request, pk, "emulation.manage_agency_account")
    form = AccountRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the role: officer or head."))
        return _back(request)
    account = services.user_role_set(
        actor=request.user, user=account, agency_role=form.cleaned_data["agency_role"]
    )
    messages.success(
        request,
        _("%(name)s is now %(role)s.")
        % {"name": account, "role": account.get_agency_role_display().lower()},
    )
    return _back(request)


@require_POST
@login_required
def account_invite_again(request, pk: int):
    account = _change(request, pk, "emulation.manage_agency_account")
    try:
        services.user_invitation_resend(
            actor=request.user, user=account, site_url=_site_url(request)
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            _("A new invitation was sent to %(email)s; earlier links no longer serve.")
            % {"email": account.email},
        )
    return _back(request)


@require_POST
@login_required
def account_second_factor_reset(request, pk: int):
    account = _change(request, pk, "emulation.reset_second_factor")
    services.user_second_factor_reset(actor=request.user, user=account)
    messages.success(
        request,
        _("The second factor of %(name)s was removed: they enrol again at their next sign-in.")
        % {"name": account},
    )
    return _back(request)
