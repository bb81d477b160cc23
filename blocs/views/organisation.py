from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from blocs.enums import Phase
from blocs.selectors import bloc_years_visible_to, get_bloc_year_for, user_is_secretariat


@require_GET
@login_required
def bloc_year_list(request):
    bloc_years = bloc_years_visible_to(request.user).order_by("-year__year", "bloc__name")
    return render(request, "blocs/bloc_year/list.html", {"bloc_years": bloc_years})


@require_GET
@login_required
def bloc_year_detail(request, pk: int):
    bloc_year = get_bloc_year_for(request.user, pk)
    memberships = bloc_year.memberships.select_related("agency").order_by(
        "rotation_order", "agency__name"
    )
    return render(
        request,
        "blocs/bloc_year/detail.html",
        {
            "bloc_year": bloc_year,
            "memberships": memberships,
            "is_secretariat": user_is_secretariat(request.user, bloc_year),
            "phases": Phase.ordered(),
        },
    )
