"""The council's inbox and its dashboard of a province's year."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards.forms.government_flag import GovernmentFlagChoiceForm
from awards.forms.proposal import InboxFilterForm
from awards.government_flag import flag_board
from awards.models import GovernmentFlagChoice
from awards.selectors.council import (
    council_dashboard,
    dashboard_provinces,
    dashboard_years,
    provinces_overview,
    statistics_rows,
)
from awards.selectors.proposal import inbox, inbox_filters
from awards.services import government_flag_choose, results_publication_set
from blocs.selectors.organisation import province_chosen
from emulation.excel import workbook_response
from emulation.refusals import refusal_text, require_council
from emulation.rules import sees_all_provinces

# Proposals on a page of the council's inbox.
INBOX_PAGE_SIZE = 50


@require_GET
@login_required
def council_inbox(request):
    """Proposals across blocs and years, filtered by year, bloc and state, a
    page at a time (a country holds thousands)."""
    require_council(request.user)
    try:
        province_id = int(request.GET.get("province", ""))
    except ValueError:
        province_id = None
    options = inbox_filters(request.user, province_id)
    form = InboxFilterForm(request.GET or None, **options)
    filters = form.cleaned_data if form.is_valid() else {}
    proposals = inbox(
        request.user,
        year=filters.get("year"),
        bloc_id=filters.get("bloc"),
        state=filters.get("state") or "",
        province_id=filters.get("province"),
    )
    page = proposals.page(request.GET.get("page"), per_page=INBOX_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "awards/council/inbox.html",
        {
            "form": form,
            "page": page,
            "found": ngettext(
                "%(count)s proposal found", "%(count)s proposals found", page.paginator.count
            )
            % {"count": page.paginator.count},
            "query": query.urlencode(),
            "sees_all_provinces": sees_all_provinces(request.user),
        },
    )


def _province_and_year(request):
    """The province (council staff: theirs; national: chosen), its years
    (``dashboard_years``) and the year."""
    provinces = dashboard_provinces(request.user)
    if not provinces:
        raise Http404
    chosen = request.GET.get("province", "")
    province = province_chosen(next((p for p in provinces if str(p.pk) == chosen), provinces[0]))
    years = dashboard_years(province)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if not any(y.year == year for y in years):
        current = timezone.localdate().year
        year = next(
            (y.year for y in years if y.year <= current), years[0].year if years else current
        )
    return provinces, province, years, year


@require_GET
@login_required
def council_dashboard_view(request):
    """Each bloc's phase and lateness, proposals per award type against the quotas."""
    require_council(request.user)
    provinces, province, years, year = _province_and_year(request)
    dashboard = council_dashboard(province=province, year=year, years=years)
    return render(
        request,
        "awards/council/dashboard.html",
        {
            "dashboard": dashboard,
            "provinces": provinces if len(provinces) > 1 else [],
            "province": province,
            "years": [y.year for y in years],
            "year": year,
            "published": dashboard.published,
            "overview": (
                provinces_overview(provinces=provinces, year=year) if len(provinces) > 1 else []
            ),
        },
    )


@require_GET
@login_required
def council_statistics_export(request):
    """The year's statistics as an Excel workbook (annual statistical report)."""
    require_council(request.user)
    _provinces, province, years, year = _province_and_year(request)
    dashboard = council_dashboard(province=province, year=year, years=years)
    headers, rows = statistics_rows(dashboard)
    return workbook_response(
        f"thong-ke-thi-dua-khen-thuong-{province.code}-{year}.xlsx",
        headers,
        rows,
        title=_("Statistics %(year)s") % {"year": year},
    )


@require_POST
@login_required
def results_publication_toggle(request):
    """Open or close the public results page of the province's year."""
    require_council(request.user)
    _provinces, province, _years, year = _province_and_year(request)
    enabled = request.POST.get("enabled") == "1"
    try:
        results_publication_set(actor=request.user, province=province, year=year, enabled=enabled)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        if enabled:
            messages.success(request, _("The results of %(year)s are public.") % {"year": year})
        else:
            messages.success(
                request, _("The results of %(year)s are no longer public.") % {"year": year}
            )
    return redirect(f"{reverse('awards:council_dashboard')}?province={province.pk}&year={year}")


@require_http_methods(["GET", "POST"])
@login_required
def government_flag_view(request):
    """The province's bloc leaders of a year judged for the Government's flag,
    and the council's province-wide choice among those eligible."""
    require_council(request.user)
    provinces, province, years, year = _province_and_year(request)
    choice = GovernmentFlagChoice.objects.filter(province=province, year=year).first()
    considered_on = (
        _date_param(request.POST.get("considered_on") or request.GET.get("on"))
        or (choice.considered_on if choice else None)
        or timezone.localdate()
    )
    board = flag_board(province=province, year=year, considered_on=considered_on)
    form = GovernmentFlagChoiceForm(
        request.POST or None,
        leaders=board.leaders,
        initial={
            "considered_on": considered_on,
            "source_document": choice.source_document if choice else "",
            "memberships": sorted(board.chosen_ids),
        },
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                government_flag_choose(
                    actor=request.user,
                    province=province,
                    year=year,
                    considered_on=form.cleaned_data["considered_on"],
                    source_document=form.cleaned_data["source_document"],
                    membership_ids=set(form.cleaned_data["memberships"]),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The council's choice for the Government's flag in %(year)s is recorded.")
                    % {"year": year},
                )
                return redirect(
                    f"{reverse('awards:government_flag')}?province={province.pk}&year={year}"
                )
        status = 400
    return render(
        request,
        "awards/council/government_flag.html",
        {
            "board": board,
            "form": form,
            "provinces": provinces if len(provinces) > 1 else [],
            "province": province,
            "years": [y.year for y in years],
            "year": year,
        },
        status=status,
    )


def _date_param(value):
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None
