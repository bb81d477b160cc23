"""The public results page of a province's year (no login), when the
council has chosen to publish it."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from awards.selectors.council import public_results


@require_GET
def public_results_view(request, province: str, year: int):
    publication, items = public_results(province_code=province, year=year)
    return render(
        request,
        "awards/public/results.html",
        {"publication": publication, "items": items, "year": year},
    )
