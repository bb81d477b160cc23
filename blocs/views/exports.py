"""The secretariat's Excel exports of a bloc-year: how far each agency is with
its self-assessment, and every agency's scores per criterion."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from blocs.enums import ASSESSMENT_EDITABLE_STATES
from blocs.selectors import get_bloc_year_for
from blocs.selectors.assessment import VIETNAM, overview_for
from blocs.selectors.review import criterion_scores_of_bloc_year
from emulation.excel import workbook_response
from emulation.refusals import require


def _bloc_year_for_export(request, pk: int):
    bloc_year = get_bloc_year_for(request.user, pk)
    require(request.user, "blocs.oversee_bloc_year", bloc_year)
    return bloc_year


def _local(moment):
    """A moment as a spreadsheet reads it: the wall-clock time in Vietnam."""
    return timezone.localtime(moment, VIETNAM).replace(tzinfo=None) if moment else None


@require_GET
@login_required
def assessment_progress_export(request, pk: int):
    """One row per member: state, criteria scored of the total, criteria
    missing their evidence, and when and by whom it was submitted."""
    bloc_year = _bloc_year_for_export(request, pk)
    headers = [
        pgettext("row number", "No."),
        _("Agency"),
        _("State"),
        _("Criteria scored"),
        _("Criteria in total"),
        _("Criteria missing evidence"),
        _("Self-assessed total"),
        _("Submitted at"),
        _("Submitted by"),
        _("Last change"),
    ]
    rows = []
    for number, row in enumerate(overview_for(bloc_year), start=1):
        a, progress = row.assessment, row.progress
        submitted = (
            a is not None
            and a.submitted_at is not None
            and a.state not in ASSESSMENT_EDITABLE_STATES
        )
        rows.append(
            [
                number,
                row.membership.agency.name,
                a.get_state_display() if a else _("Not opened"),
                progress.scored if progress else None,
                progress.total if progress else None,
                progress.missing_evidence if progress else None,
                row.total,
                _local(a.submitted_at) if submitted else None,
                a.submitted_by.get_full_name() if submitted and a.submitted_by else "",
                _local(row.last_change),
            ]
        )
    return workbook_response(
        f"Tiến độ tự chấm điểm {bloc_year.bloc.code} {bloc_year.year.year}.xlsx",
        headers,
        rows,
        title=_("Progress"),
    )


@require_GET
@login_required
def criterion_scores_export(request, pk: int):
    """One row per member and criterion: the self score, the verified score
    (leading agency, else cross-scorer) and the final score once locked."""
    bloc_year = _bloc_year_for_export(request, pk)
    headers = [
        _("Agency"),
        _("Group"),
        _("Code"),
        _("Criterion"),
        _("Kind"),
        _("Maximum points"),
        _("Not applicable"),
        _("Self score"),
        _("Verified score"),
        _("Final score"),
    ]
    rows = [
        [
            r.membership.agency.name,
            r.criterion.group.name,
            r.criterion.code,
            r.criterion.text,
            r.criterion.get_kind_display(),
            r.criterion.max_points,
            pgettext("yes or no", "yes") if r.not_applicable else "",
            r.self_score,
            r.verified,
            r.final,
        ]
        for r in criterion_scores_of_bloc_year(bloc_year)
    ]
    return workbook_response(
        f"Điểm theo tiêu chí {bloc_year.bloc.code} {bloc_year.year.year}.xlsx",
        headers,
        rows,
        title=_("Scores"),
    )
