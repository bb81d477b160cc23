"""Dashboard tasks of the documents (see emulation.dashboard): the secretariat
of a bloc-year that is being ranked or voted prepares the dossier's documents.
Two queries whatever the number of bloc-years."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from blocs.enums import CONFERENCE_PHASES, SECRETARIAT_ROLES, DeadlineStep
from blocs.models import BlocYear
from blocs.selectors.deadlines import bloc_year_deadlines
from emulation.dashboard import Task
from emulation.models import IssuedDocument


def tasks_for(user) -> list[Task]:
    if not user.is_authenticated or not user.agency_id:
        return []
    bloc_years = list(
        BlocYear.objects.filter(
            phase__in=CONFERENCE_PHASES,
            memberships__agency_id=user.agency_id,
            memberships__role__in=SECRETARIAT_ROLES,
        )
        .select_related("bloc", "year")
        .distinct()
    )
    if not bloc_years:
        return []
    issued = dict(
        IssuedDocument.objects.filter(bloc_year__in=bloc_years)
        .values("bloc_year")
        .annotate(n=Count("id"))
        .values_list("bloc_year", "n")
    )
    deadlines = bloc_year_deadlines(bloc_years, DeadlineStep.PROPOSAL)
    return [
        Task(
            title=_("Documents of the %(year)s dossier: %(count)s issued")
            % {"year": bloc_year.year.year, "count": issued.get(bloc_year.pk, 0)},
            detail=_(
                "%(bloc)s: write the report's sections, preview and issue the report, "
                "the minutes, the vote count and the proposal letter."
            )
            % {"bloc": bloc_year.bloc.name},
            url=reverse("awards:document_list", args=[bloc_year.pk]),
            due=deadlines[bloc_year.pk].date,
            level="info",
            order=150,
        )
        for bloc_year in bloc_years
    ]
