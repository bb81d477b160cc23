"""Dashboard tasks of the review (see emulation.dashboard): assessments left
to verify for reviewers, adjustments and the dispute deadline for agencies."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.enums import DeadlineStep
from blocs.selectors.deadlines import agency_deadlines
from blocs.selectors.review import review_tasks_for
from emulation.dashboard import Task


def tasks_for(user) -> list[Task]:
    tasks: list[Task] = []
    todo = review_tasks_for(user)
    for bloc_year, count in todo.to_verify:
        tasks.append(
            Task(
                title=_("Review: %(count)s agencies left") % {"count": count},
                detail=_("%(bloc)s, year %(year)s")
                % {"bloc": bloc_year.bloc.name, "year": bloc_year.year.year},
                url=reverse("blocs:review_overview", args=[bloc_year.pk]),
                due=bloc_year.year.review_deadline,
                level="warning",
                order=120,
            )
        )
    today = timezone.localdate()
    deadlines = agency_deadlines(
        [bloc_year for bloc_year, _id, _count in todo.adjusted],
        DeadlineStep.DISPUTES,
        user.agency_id,
    )
    for bloc_year, assessment_id, count in todo.adjusted:
        deadline = deadlines[bloc_year.pk].date
        if deadline and deadline >= today:
            title = _("%(count)s adjustments to your scores; disputes until %(date)s") % {
                "count": count,
                "date": deadline.strftime("%d/%m/%Y"),
            }
        else:
            title = _("%(count)s adjustments to your scores") % {"count": count}
        tasks.append(
            Task(
                title=title,
                detail=_("%(bloc)s, year %(year)s")
                % {"bloc": bloc_year.bloc.name, "year": bloc_year.year.year},
                url=reverse("blocs:review_assessment", args=[assessment_id]),
                due=deadline if deadline and deadline >= today else None,
                level="info",
                order=130,
            )
        )
    return tasks
