"""The agency profile: its history over the years, predecessors included."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from awards.next_award import path_to_next_awards
from awards.selectors.council import agency_profile, get_profile_agency_for


@require_GET
@login_required
def agency_profile_view(request, pk: int):
    agency = get_profile_agency_for(request.user, pk)
    return render(
        request,
        "awards/profile/detail.html",
        {"profile": agency_profile(agency), "path": path_to_next_awards(agency)},
    )
