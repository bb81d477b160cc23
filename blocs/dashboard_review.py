"""Dashboard tasks of the review (see emulation.dashboard): assessments left
to verify for reviewers, adjustments and the dispute deadline for agencies."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.selectors.review import adjustments_for_agency, pending_reviews_for
from emulation.dashboard import Task


def tasks_for(user) -> list[Task]:
    tasks: list[Task] = []
    for bloc_year, count in pending_reviews_for(user):
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
    for assessment, count in adjustments_for_agency(user):
        bloc_year = assessment.membership.bloc_year
        deadline = bloc_year.year.dispute_deadline
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
                url=reverse("blocs:review_assessment", args=[assessment.pk]),
                due=deadline if deadline and deadline >= today else None,
                level="info",
                order=130,
            )
        )
    return tasks
