"""The published ranking of a bloc-year: table, SVG charts, Excel export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from blocs.charts import differences_chart, totals_chart
from blocs.selectors import get_bloc_year_for, ranking_for
from blocs.selectors.review import review_of
from emulation.excel import workbook_response


def _ranking_for_user(request, pk: int):
    """The bloc-year (404 if not visible) and whether the user may see its ranking:
    members once it is published, the secretariat and council once it is locked."""
    bloc_year = get_bloc_year_for(request.user, pk)
    review = review_of(bloc_year)
    oversees = request.user.has_perm("blocs.oversee_bloc_year", bloc_year)
    visible = bool(review and review.locked_at and (review.published_at or oversees))
    return bloc_year, review, visible


@require_GET
@login_required
def ranking_page(request, pk: int):
    bloc_year, review, visible = _ranking_for_user(request, pk)
    rows = ranking_for(bloc_year) if visible else []
    names = [(r.agency.short_name or r.agency.name) for r in rows]
    context = {
        "bloc_year": bloc_year,
        "review": review,
        "rows": rows,
        "visible": visible,
        "totals_chart": totals_chart(
            [(n, r.total) for n, r in zip(names, rows, strict=True)],
            title=_("Final totals"),
        )
        if rows
        else "",
        "differences_chart": differences_chart(
            [(n, r.difference or 0) for n, r in zip(names, rows, strict=True)],
            title=_("Verified minus self-assessed total"),
        )
        if rows
        else "",
        "tie_break_group": review.tie_break_group if review else None,
    }
    return render(request, "blocs/ranking/page.html", context)


@require_GET
@login_required
def ranking_export(request, pk: int):
    bloc_year, review, visible = _ranking_for_user(request, pk)
    if not visible:
        raise Http404
    headers = [
        _("Rank"),
        _("Agency"),
        _("Self-assessed total"),
        _("Final total"),
        _("Difference"),
        _("Tie-break group score"),
        _("Deductions"),
        _("Women staff (%)"),
    ]
    rows = [
        [
            r.rank_label,
            r.agency.name,
            r.self_total,
            r.total,
            r.difference,
            r.tie_break_score,
            r.deduction,
            r.women_percent,
        ]
        for r in ranking_for(bloc_year)
    ]
    filename = f"xep-hang-{bloc_year.bloc.code}-{bloc_year.year.year}.xlsx"
    return workbook_response(filename, headers, rows, title=_("Ranking"))
