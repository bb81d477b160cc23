from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from awards.eligibility import matrix
from awards.models import LeadingChoice
from blocs.selectors import get_bloc_year_for


@require_GET
@login_required
def eligibility_matrix(request, pk: int):
    """Members × award types with the reasons; members see their own row only."""
    bloc_year = get_bloc_year_for(request.user, pk)
    result = matrix(bloc_year=bloc_year)
    rows = result.rows()
    sees_all = request.user.has_perm("awards.see_all_eligibility", bloc_year)
    if not sees_all:
        rows = [row for row in rows if row[0].agency_id == request.user.agency_id]
    return render(
        request,
        "awards/eligibility/matrix.html",
        {
            "bloc_year": bloc_year,
            "result": result,
            "award_headers": [(t, result.quotas.get(t.pk)) for t in result.award_types],
            "rows": rows,
            "sees_all": sees_all,
            "is_council": request.user.has_perm("awards.enter_facts", bloc_year),
            "runs_conference": request.user.has_perm("awards.run_conference", bloc_year),
            "leading": LeadingChoice.objects.filter(bloc_year=bloc_year)
            .select_related("membership__agency")
            .first(),
        },
    )
