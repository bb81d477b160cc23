"""The council gives a bloc-year, or one agency in it, a later deadline, and
withdraws it: fetch and authorise, a form validates, a service writes,
redirect with a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blocs import services
from blocs.enums import DeadlineStep
from blocs.forms.deadlines import DeadlineExtensionForm, WithdrawForm
from blocs.models import BlocYear, DeadlineExtension
from blocs.selectors import get_bloc_year_for, memberships_of_bloc_year
from emulation.refusals import refusal_text


def _bloc_year_for_council(request, pk: int) -> BlocYear:
    """404 if the user cannot see the bloc-year, 403 unless council staff of its province."""
    bloc_year = get_bloc_year_for(request.user, pk)
    if not request.user.has_perm("blocs.extend_deadline", bloc_year):
        raise PermissionDenied
    return bloc_year


def _redirect(bloc_year: BlocYear):
    return redirect(reverse("blocs:bloc_year_detail", args=[bloc_year.pk]) + "#extensions")


@require_POST
@login_required
def deadline_extend(request, pk: int):
    bloc_year = _bloc_year_for_council(request, pk)
    form = DeadlineExtensionForm(request.POST, memberships=memberships_of_bloc_year(bloc_year))
    if not form.is_valid():
        messages.error(request, refusal_text(form))
        return _redirect(bloc_year)
    try:
        extension = services.deadline_extend(
            actor=request.user,
            bloc_year=bloc_year,
            step=form.cleaned_data["step"],
            deadline=form.cleaned_data["deadline"],
            reason=form.cleaned_data["reason"],
            membership=form.cleaned_data["membership"],
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            _("The %(step)s deadline of %(who)s is extended to %(date)s.")
            % {
                "step": DeadlineStep(extension.step).label.lower(),
                "who": extension.membership.agency.name
                if extension.membership_id
                else bloc_year.bloc.name,
                "date": extension.deadline.strftime("%d/%m/%Y"),
            },
        )
    return _redirect(bloc_year)


@require_POST
@login_required
def deadline_extension_withdraw(request, pk: int, extension_pk: int):
    bloc_year = _bloc_year_for_council(request, pk)
    extension = get_object_or_404(DeadlineExtension, pk=extension_pk, bloc_year=bloc_year)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        services.deadline_extension_withdraw(
            actor=request.user,
            extension=extension,
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("The extension was withdrawn."))
    return _redirect(bloc_year)
