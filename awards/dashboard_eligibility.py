"""Dashboard tasks of eligibility (see emulation.dashboard): at the year end,
council staff check the members' facts and eligibility of their bloc-years.
One query for council staff, none for anyone else."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from blocs.enums import YEAR_END_PHASES
from blocs.selectors import bloc_years_visible_to
from emulation.dashboard import Task
from emulation.rules import is_council


def tasks_for(user) -> list[Task]:
    """Council staff only: agency users cost no query here (the home page has a
    query budget); the secretariat reaches the eligibility from the conference."""
    if not is_council(user):
        return []
    bloc_years = bloc_years_visible_to(user).filter(phase__in=YEAR_END_PHASES)
    return [
        Task(
            title=_("Check the facts and eligibility: %(name)s")
            % {"name": f"{bloc_year.bloc.name} – {bloc_year.year.year}"},
            detail=_(
                "Ratings, share of women staff and disqualifying facts decide who "
                "may be proposed for titles and commendations."
            ),
            url=reverse("awards:facts_grid", args=[bloc_year.pk]),
            level="info",
            order=60,
        )
        for bloc_year in bloc_years.order_by("-year__year", "bloc__name")
    ]
