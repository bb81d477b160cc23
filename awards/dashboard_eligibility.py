"""Dashboard tasks of issue 6 (see emulation.dashboard): at the year end,
council staff check the members' facts and eligibility of their bloc-years;
the secretariat checks the eligibility before the conference. One query."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from blocs.enums import Phase
from blocs.selectors import bloc_years_visible_to, secretariat_bloc_year_ids
from emulation.dashboard import Task

YEAR_END_PHASES = (Phase.SELF_ASSESSMENT, Phase.REVIEW, Phase.RANKING_PUBLISHED, Phase.VOTING)


def tasks_for(user) -> list[Task]:
    if not user.is_authenticated:
        return []
    council = user.is_council_staff or user.is_superuser
    if council:
        bloc_years = bloc_years_visible_to(user).filter(phase__in=YEAR_END_PHASES)
    else:
        ids = secretariat_bloc_year_ids(user)
        if not ids:
            return []
        bloc_years = bloc_years_visible_to(user).filter(
            pk__in=ids, phase__in=(Phase.RANKING_PUBLISHED, Phase.VOTING)
        )
    tasks = []
    for bloc_year in bloc_years.order_by("-year__year", "bloc__name"):
        name = f"{bloc_year.bloc.name} – {bloc_year.year.year}"
        if council:
            tasks.append(
                Task(
                    title=_("Check the facts and eligibility: %(name)s") % {"name": name},
                    detail=_(
                        "Ratings, share of women staff and disqualifying facts decide who "
                        "may be proposed for titles and commendations."
                    ),
                    url=reverse("awards:facts_grid", args=[bloc_year.pk]),
                    level="info",
                    order=60,
                )
            )
        else:
            tasks.append(
                Task(
                    title=_("Eligibility for awards: %(name)s") % {"name": name},
                    detail=_("Only eligible members can be candidates at the conference."),
                    url=reverse("awards:eligibility", args=[bloc_year.pk]),
                    level="info",
                    order=60,
                )
            )
    return tasks
