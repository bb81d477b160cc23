"""Conference pages: convene the meeting, attendance and proxies, the counting
committee, next year's leadership, and the projector screen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards.enums import AttendanceStatus, PollPurpose
from awards.forms.meeting import AttendanceForm, CounterForm, MeetingForm, NextLeadershipForm
from awards.forms.voting import PollCreateForm
from awards.models import Attendance, CountingCommitteeMember, Meeting, NextLeadership
from awards.selectors.meeting import (
    agencies_user_votes_for,
    attendance_rows,
    get_meeting_for,
    meeting_of,
    quorum_of,
)
from awards.selectors.voting import polls_of, polls_with_results
from awards.services import meeting as services
from awards.services.voting import poll_create
from blocs.models import Membership
from blocs.selectors import get_bloc_year_for
from emulation.refusals import refusal_text, require
from emulation.uploads import protected_download


def meeting_for(user, pk: int, *, manage: bool = False) -> Meeting:
    """Fetch and authorise: 404 if the user cannot see the bloc-year, 403 if
    ``manage`` and the user is not in its secretariat."""
    meeting = get_meeting_for(user, pk)
    if manage:
        require(user, "awards.run_conference", meeting)
    return meeting


def _base_context(meeting: Meeting, user) -> dict:
    return {
        "meeting": meeting,
        "bloc_year": meeting.bloc_year,
        "can_manage": user.has_perm("awards.run_conference", meeting),
    }


@require_http_methods(["GET", "POST"])
@login_required
def meeting_start(request, pk: int):
    """The conference of a bloc-year: its page if convened, else the form to convene it."""
    bloc_year = get_bloc_year_for(request.user, pk)
    meeting = meeting_of(bloc_year)
    if meeting is not None:
        return redirect("awards:meeting_detail", pk=meeting.pk)
    is_secretariat = request.user.has_perm("awards.run_conference", bloc_year)
    if request.method == "POST" and not is_secretariat:
        raise PermissionDenied
    province = bloc_year.bloc.province
    initial = {
        "quorum_numerator": province.quorum_numerator,
        "quorum_denominator": province.quorum_denominator,
    }
    form = MeetingForm(request.POST or None, initial=initial) if is_secretariat else None
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user, bloc_year=bloc_year, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The conference has been convened."))
            return redirect("awards:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "awards/meeting/start.html",
        {"bloc_year": bloc_year, "form": form},
    )


@require_GET
@login_required
def meeting_detail(request, pk: int):
    meeting = meeting_for(request.user, pk)
    context = _base_context(meeting, request.user)
    context.update(
        rows=attendance_rows(meeting),
        quorum=quorum_of(meeting),
        polls=polls_of(meeting),
        counters=list(meeting.counters.select_related("user", "user__agency")),
        next_leadership=NextLeadership.objects.filter(meeting=meeting)
        .select_related("leader", "deputy")
        .first(),
        votes_for=agencies_user_votes_for(request.user, meeting),
        is_counter=request.user.has_perm("awards.count_paper_ballots", meeting),
        poll_form=PollCreateForm() if context["can_manage"] else None,
        counter_form=CounterForm(meeting=meeting) if context["can_manage"] else None,
        attendance_statuses=AttendanceStatus,
    )
    return render(request, "awards/meeting/detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_edit(request, pk: int):
    meeting = meeting_for(request.user, pk, manage=True)
    initial = {f: getattr(meeting, f) for f in services.MEETING_FIELDS}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The conference details have been saved."))
            return redirect("awards:meeting_detail", pk=meeting.pk)
    context = _base_context(meeting, request.user)
    context["form"] = form
    return render(request, "awards/meeting/edit.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def attendance_edit(request, pk: int, membership_pk: int):
    meeting = meeting_for(request.user, pk, manage=True)
    membership = get_object_or_404(
        Membership.objects.select_related("agency"),
        pk=membership_pk,
        bloc_year_id=meeting.bloc_year_id,
    )
    attendance = Attendance.objects.filter(meeting=meeting, membership=membership).first()
    initial = {}
    if attendance:
        initial = {
            "status": attendance.status,
            "representative": attendance.representative,
            "proxy_to": attendance.proxy_to_id,
        }
    form = AttendanceForm(
        request.POST or None,
        request.FILES or None,
        membership=membership,
        has_file=bool(attendance and attendance.authorisation),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.attendance_record(
                actor=request.user,
                meeting=meeting,
                membership=membership,
                status=data["status"],
                representative=data.get("representative") or "",
                proxy_to=data.get("proxy_to"),
                authorisation=data.get("authorisation"),
                authorisation_name=data.get("authorisation_name", ""),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Attendance of %(agency)s recorded.") % {"agency": membership.agency.name},
            )
            return redirect("awards:meeting_detail", pk=meeting.pk)
    context = _base_context(meeting, request.user)
    context.update(form=form, membership=membership, attendance=attendance)
    return render(request, "awards/meeting/attendance.html", context)


@require_GET
@login_required
def attendance_authorisation(request, pk: int, membership_pk: int):
    """The written proxy, for the secretariat and the two agencies concerned."""
    meeting = meeting_for(request.user, pk)
    attendance = get_object_or_404(
        Attendance.objects.select_related("membership", "proxy_to"),
        meeting=meeting,
        membership_id=membership_pk,
    )
    if not attendance.authorisation:
        raise Http404
    require(request.user, "awards.see_proxy_authorisation", attendance)
    return protected_download(attendance.authorisation, attendance.authorisation_name)


@require_POST
@login_required
def counter_add(request, pk: int):
    meeting = meeting_for(request.user, pk, manage=True)
    form = CounterForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.counter_add(
                actor=request.user, meeting=meeting, user=form.cleaned_data["user"]
            )
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, _("Added to the counting committee."))
    else:
        messages.error(request, _("Choose a person from a member agency."))
    return redirect("awards:meeting_detail", pk=meeting.pk)


@require_POST
@login_required
def counter_remove(request, pk: int, counter_pk: int):
    meeting = meeting_for(request.user, pk, manage=True)
    counter = get_object_or_404(CountingCommitteeMember, pk=counter_pk, meeting=meeting)
    try:
        services.counter_remove(actor=request.user, counter=counter)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Removed from the counting committee."))
    return redirect("awards:meeting_detail", pk=meeting.pk)


@require_POST
@login_required
def poll_add(request, pk: int):
    meeting = meeting_for(request.user, pk, manage=True)
    form = PollCreateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            poll = poll_create(
                actor=request.user,
                meeting=meeting,
                purpose=data["purpose"],
                award_type=data["award_type"] if data["purpose"] == PollPurpose.AWARD else None,
                mode=data["mode"],
            )
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(
                request, _("Poll prepared. Check the candidates and the quota before opening it.")
            )
            return redirect("awards:poll_detail", pk=poll.pk)
    else:
        messages.error(request, _("Choose the award the poll is for."))
    return redirect("awards:meeting_detail", pk=meeting.pk)


@require_http_methods(["GET", "POST"])
@login_required
def next_leadership(request, pk: int):
    meeting = meeting_for(request.user, pk, manage=True)
    current = NextLeadership.objects.filter(meeting=meeting).first()
    initial = (
        {
            "leader": current.leader_id,
            "deputy": current.deputy_id,
            "method": current.method,
            "note": current.note,
        }
        if current
        else {}
    )
    form = NextLeadershipForm(request.POST or None, meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.next_leadership_set(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Next year's leadership has been recorded."))
            return redirect("awards:meeting_detail", pk=meeting.pk)
    context = _base_context(meeting, request.user)
    context["form"] = form
    return render(request, "awards/meeting/leadership.html", context)


def _screen_context(meeting: Meeting, user) -> dict:
    context = _base_context(meeting, user)
    context.update(
        quorum=quorum_of(meeting),
        rows=attendance_rows(meeting),
        polls=polls_of(meeting),
        results_polls=polls_with_results(meeting),
    )
    return context


@require_GET
@login_required
def meeting_screen(request, pk: int):
    """The projector screen: attendance, poll progress, results after closing."""
    meeting = meeting_for(request.user, pk, manage=True)
    return render(request, "awards/meeting/screen.html", _screen_context(meeting, request.user))


@require_GET
@login_required
def meeting_screen_live(request, pk: int):
    """The part of the projector screen that htmx refreshes every few seconds."""
    meeting = meeting_for(request.user, pk, manage=True)
    response = render(
        request, "awards/meeting/_screen_live.html", _screen_context(meeting, request.user)
    )
    response["Cache-Control"] = "no-store"
    return response
