from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awards.services import leading_choose, leading_clear
from blocs.selectors import get_bloc_year_for
from emulation.refusals import refusal_text, require


@require_POST
@login_required
def leading_choice(request, pk: int):
    """The secretariat records the member the conference chose as leading the
    bloc (or clears the choice: rank 1 after the tie-breaks applies again)."""
    bloc_year = get_bloc_year_for(request.user, pk)
    require(request.user, "awards.run_conference", bloc_year)
    chosen = request.POST.get("membership") or ""
    try:
        if not chosen:
            leading_clear(actor=request.user, bloc_year=bloc_year)
            messages.success(request, _("The choice has been cleared: rank 1 leads the bloc."))
        else:
            membership = bloc_year.memberships.select_related("agency").filter(pk=chosen).first()
            if membership is None:
                raise ValidationError(_("Choose a member of the bloc."))
            leading_choose(
                actor=request.user,
                bloc_year=bloc_year,
                membership=membership,
                source_document=request.POST.get("source_document", ""),
            )
            messages.success(
                request,
                _("Recorded: %(name)s leads the bloc, as the conference chose.")
                % {"name": membership.agency.display_name},
            )
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    return redirect("awards:eligibility", pk=bloc_year.pk)
