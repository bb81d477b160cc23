"""What-if for council staff: a hypothetical agency's facts, judged by the
same engine as the pages and ``check_eligibility``, without writing to the
database."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from awards.forms.what_if import AWARD_CODES, WhatIfForm
from awards.models import AwardType
from awards.selectors.council import dashboard_provinces
from awards.selectors.council_numbers import council_numbers_for
from awards.what_if import WhatIfError, judge_cases
from emulation.refusals import require_council


@require_http_methods(["GET", "POST"])
@login_required
def what_if_view(request):
    require_council(request.user)
    provinces = dashboard_provinces(request.user)
    chosen = request.GET.get("province")
    if chosen:
        provinces = [p for p in provinces if str(p.pk) == chosen]
    if not provinces:
        raise Http404
    names = dict(AwardType.objects.filter(code__in=AWARD_CODES).values_list("code", "name"))
    award_choices = [(code, names[code]) for code in AWARD_CODES if code in names]
    today = timezone.localdate()
    form = WhatIfForm(
        request.POST or None,
        provinces=provinces,
        award_choices=award_choices,
        initial={"considered_on": today, "year": today.year - 1},
    )
    output, data, status = None, None, 200
    if request.method == "POST":
        if form.is_valid():
            data = form.to_input()
            if data.get("province") and data["province"] not in {p.code for p in provinces}:
                form.add_error(
                    "cases_json", _("Unknown province “%(code)s”.") % {"code": data["province"]}
                )
            else:
                try:
                    output = judge_cases(data)
                except WhatIfError as error:
                    form.add_error("cases_json", str(error))
        if output is None:
            status = 400
    results = []
    for case in (output or {}).get("cases", []):
        verdicts = [
            (names.get(code, code), code, verdict) for code, verdict in case["verdicts"].items()
        ]
        results.append((case, verdicts))
    return render(
        request,
        "awards/council/what_if.html",
        {
            "form": form,
            "results": results,
            "input_json": json.dumps(data, ensure_ascii=False, indent=1) if output else "",
        },
        status=status,
    )


@require_GET
@login_required
def council_numbers_view(request):
    """The council's numbers in force and past, with their sources: vote
    thresholds, prize money coefficients, base salaries (read-only; the
    administrator edits them)."""
    require_council(request.user)
    provinces = dashboard_provinces(request.user)
    return render(
        request,
        "awards/council/numbers.html",
        {"numbers": council_numbers_for(provinces), "today": timezone.localdate()},
    )
