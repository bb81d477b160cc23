"""Dashboard tasks of the blocs app (see emulation.dashboard)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from blocs.enums import MemberRole, Phase
from blocs.selectors import bloc_years_visible_to, memberships_of_user, vocabulary_for
from emulation.dashboard import Task
from emulation.rules import is_council


def tasks_for(user) -> list[Task]:
    tasks: list[Task] = []
    if user.agency_id:
        for membership in memberships_of_user(user)[:3]:
            bloc_year = membership.bloc_year
            if membership.role in (MemberRole.LEADER, MemberRole.DEPUTY):
                title = _("You run %(bloc)s in %(year)s as %(role)s") % {
                    "bloc": bloc_year.bloc.name,
                    "year": bloc_year.year.year,
                    "role": vocabulary_for(bloc_year.bloc.province).role(membership.role),
                }
            else:
                title = _("%(bloc)s, year %(year)s") % {
                    "bloc": bloc_year.bloc.name,
                    "year": bloc_year.year.year,
                }
            tasks.append(
                Task(
                    title=title,
                    detail=_("Current phase: %(phase)s") % {"phase": Phase(bloc_year.phase).label},
                    url=reverse("blocs:bloc_year_detail", args=[bloc_year.pk]),
                    order=500 + (3000 - bloc_year.year.year),
                    level="secondary",
                )
            )
    if is_council(user):
        count = bloc_years_visible_to(user).count()
        tasks.append(
            Task(
                title=_("Bloc-years you oversee: %(count)s") % {"count": count},
                url=reverse("blocs:bloc_year_list"),
                order=400,
                level="secondary",
            )
        )
    return tasks
