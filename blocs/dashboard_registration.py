"""Dashboard tasks of the start of the year (see emulation.dashboard): the
agency's registration and its deadline; the secretariat's count of members
registered. A fixed number of queries whatever the number of bloc-years."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.enums import (
    REGISTRATION_COUNTED_STATES,
    REGISTRATION_PHASES,
    SECRETARIAT_ROLES,
    DeadlineStep,
    RegistrationState,
)
from blocs.models import BlocYear, Membership
from blocs.selectors.deadlines import bloc_year_deadlines, membership_deadlines
from emulation.dashboard import Task


def tasks_for(user) -> list[Task]:
    if not user.is_authenticated or not user.agency_id:
        return []
    tasks: list[Task] = []
    today = timezone.localdate()
    own = list(
        Membership.objects.filter(
            agency_id=user.agency_id, bloc_year__phase__in=REGISTRATION_PHASES
        )
        .select_related("bloc_year__year", "bloc_year__bloc", "registration")
        .prefetch_related("bloc_year__deadline_extensions")
        .order_by("-bloc_year__year__year")
    )
    deadlines = membership_deadlines(own, DeadlineStep.REGISTRATION)
    running_ids = []
    for membership in own:
        if membership.role in SECRETARIAT_ROLES:
            running_ids.append(membership.bloc_year_id)
        registration = getattr(membership, "registration", None)
        state = registration.state if registration else None
        if state == RegistrationState.SUBMITTED:
            continue
        deadline = deadlines[membership.pk].date
        if state != RegistrationState.REOPENED and deadline and deadline < today:
            continue  # closed: nothing the agency can do (the secretariat can reopen)
        year = membership.bloc_year.year.year
        # The due date stands beside the title on the dashboard, once.
        title = _("Emulation registration %(year)s") % {"year": year}
        if state == RegistrationState.REOPENED:
            detail = _("The secretariat reopened your registration: %(reason)s") % {
                "reason": registration.reopened_reason
            }
        else:
            detail = _("Register your agency's targets and the titles it aims for.")
        tasks.append(
            Task(
                title=title,
                detail=detail,
                url=reverse("blocs:registration_detail", args=[membership.pk]),
                due=deadline,
                order=100,
                level="primary",
                extra={"deadline": deadlines[membership.pk]},
            )
        )
    if not running_ids:
        return tasks  # two queries for an ordinary member
    running = (
        BlocYear.objects.filter(pk__in=running_ids)
        .select_related("year")
        .annotate(
            members=Count("memberships", distinct=True),
            registered=Count(
                "memberships",
                filter=Q(memberships__registration__state__in=REGISTRATION_COUNTED_STATES),
                distinct=True,
            ),
        )
        .order_by("-year__year")
    )
    # The bloc-years read above carry their extensions already.
    bloc_deadlines = bloc_year_deadlines(
        [m.bloc_year for m in own if m.bloc_year_id in running_ids], DeadlineStep.REGISTRATION
    )
    for bloc_year in running:
        registered = bloc_year.registered
        if registered >= bloc_year.members:
            continue
        tasks.append(
            Task(
                title=_("Emulation registration %(year)s: %(k)s/%(n)s agencies have registered")
                % {"year": bloc_year.year.year, "k": registered, "n": bloc_year.members},
                detail=_(
                    "Follow the registrations and remind the agencies that have not registered."
                ),
                url=reverse("blocs:registration_overview", args=[bloc_year.pk]),
                due=bloc_deadlines[bloc_year.pk].date,
                extra={"deadline": bloc_deadlines[bloc_year.pk]},
                order=110,
                level="info",
            )
        )
    return tasks
