"""The start of the year: movements, the covenant, registrations and the
mid-year review. Views fetch and authorise in one helper (404 for what the
user may not see, 403 for what they may see but not change), validate a
form, call a service and redirect with a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blocs import hooks, selectors
from blocs import services as svc
from blocs.enums import (
    PROGRESS_PHASES,
    REGISTRATION_COUNTED_STATES,
    REGISTRATION_PHASES,
    START_OF_YEAR_PHASES,
    CovenantState,
    DeadlineStep,
    ProgressPeriod,
    RegistrationState,
)
from blocs.forms.registration import (
    AwardTypesForm,
    CovenantForm,
    MovementForm,
    ProgressForm,
    ReopenForm,
    ScanForm,
    TakeUpForm,
    TargetForm,
)
from blocs.models import BlocYearMovement, Membership, RegistrationTarget
from blocs.selectors import vocabulary_for
from blocs.selectors.deadlines import deadline_for, load_extensions
from blocs.services.registration import MOVEMENT_FIELDS
from emulation.documents import render_docx, render_pdf
from emulation.documents.selectors import issued_documents_for
from emulation.enums import DocumentKind
from emulation.refusals import refusal_text, require
from emulation.text import download_name
from emulation.uploads import protected_download


def _bound(request) -> tuple:
    """(data, files) for a POST, () for a GET: an empty POST still validates."""
    return (request.POST, request.FILES) if request.method == "POST" else ()


def _phase_context(bloc_year) -> dict:
    return {"bloc_year": bloc_year}


# --- fetch and authorise ------------------------------------------------------------


def _bloc_year_for_secretariat(user, pk: int):
    """A bloc-year the user runs: 404 if they cannot see it, 403 if they can
    see it but are not its secretariat."""
    bloc_year = selectors.get_bloc_year_for(user, pk)
    require(user, "blocs.run_bloc_year", bloc_year, _("Only the bloc's secretariat can do this."))
    return bloc_year


def _bloc_year_for_follower(user, pk: int):
    """A bloc-year whose registrations the user follows (secretariat, council)."""
    bloc_year = selectors.get_bloc_year_for(user, pk)
    require(
        user,
        "blocs.oversee_bloc_year",
        bloc_year,
        _("Only the bloc's secretariat and council staff can see this."),
    )
    return bloc_year


def _membership_for_agency(user, pk: int) -> Membership:
    """A membership whose registration the user's own agency edits: 404 if they
    cannot see it, 403 if they can (secretariat, council) but it is not theirs."""
    membership = selectors.get_membership_for(user, pk)
    require(
        user,
        "blocs.edit_registration",
        membership,
        _("Only the agency itself can change its registration."),
    )
    return membership


# --- movements -----------------------------------------------------------------------


@require_GET
@login_required
def movement_list(request):
    movements = selectors.movements_visible_to(request.user).order_by("-starts_on", "title")
    return render(
        request,
        "blocs/movement/list.html",
        {
            "movements": movements,
            "can_manage": request.user.has_perm("emulation.use_council_pages"),
            "can_launch": request.user.has_perm("blocs.launch_movement"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def movement_create(request):
    user = request.user
    require(
        user,
        "blocs.launch_movement",
        None,
        _("Only council staff of a province can launch movements."),
    )
    form = MovementForm(*_bound(request), initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("is_active")
        try:
            movement = svc.movement_create(actor=user, province=user.province, **data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request, _("The movement “%(title)s” was added.") % {"title": movement}
            )
            return redirect("blocs:movement_list")
    return render(request, "blocs/movement/form.html", {"form": form, "movement": None})


@require_http_methods(["GET", "POST"])
@login_required
def movement_edit(request, pk: int):
    movement = selectors.get_movement_for(request.user, pk)
    require(
        request.user, "blocs.edit_movement", movement, _("Only council staff can change movements.")
    )
    initial = {name: getattr(movement, name) for name in MOVEMENT_FIELDS}
    form = MovementForm(*_bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        document = data.pop("document") or None
        try:
            svc.movement_update(actor=request.user, movement=movement, document=document, **data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The movement was saved."))
            return redirect("blocs:movement_list")
    return render(request, "blocs/movement/form.html", {"form": form, "movement": movement})


@require_GET
@login_required
def movement_document(request, pk: int):
    movement = selectors.get_movement_for(request.user, pk)
    if not movement.document:
        raise Http404
    return protected_download(movement.document, movement.document_name)


@require_GET
@login_required
def bloc_year_movements(request, pk: int):
    bloc_year = selectors.get_bloc_year_for(request.user, pk)
    can_change = (
        request.user.has_perm("blocs.run_bloc_year", bloc_year)
        and bloc_year.phase in START_OF_YEAR_PHASES
    )
    form = TakeUpForm(movements=selectors.movements_available_to(bloc_year)) if can_change else None
    return render(
        request,
        "blocs/movement/bloc_year.html",
        {
            **_phase_context(bloc_year),
            "links": selectors.movements_of_bloc_year(bloc_year),
            "form": form,
            "can_change": can_change,
        },
    )


@require_POST
@login_required
def bloc_year_movement_take_up(request, pk: int):
    bloc_year = _bloc_year_for_secretariat(request.user, pk)
    form = TakeUpForm(request.POST, movements=selectors.movements_available_to(bloc_year))
    if form.is_valid():
        try:
            svc.bloc_year_movement_take_up(
                actor=request.user,
                bloc_year=bloc_year,
                movement=form.cleaned_data["movement"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, _("The bloc takes up the movement."))
    else:
        messages.error(request, _("Choose a movement from the list."))
    return redirect("blocs:bloc_year_movements", pk=bloc_year.pk)


@require_POST
@login_required
def bloc_year_movement_drop(request, pk: int, link_pk: int):
    bloc_year = _bloc_year_for_secretariat(request.user, pk)
    link = get_object_or_404(BlocYearMovement, pk=link_pk, bloc_year=bloc_year)
    try:
        svc.bloc_year_movement_drop(actor=request.user, link=link)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("The movement was removed from the bloc's list."))
    return redirect("blocs:bloc_year_movements", pk=bloc_year.pk)


# --- covenant ---------------------------------------------------------------------------


@require_GET
@login_required
def covenant_detail(request, pk: int):
    bloc_year = selectors.get_bloc_year_for(request.user, pk)
    covenant = selectors.covenant_of(bloc_year)
    is_secretariat = request.user.has_perm("blocs.run_bloc_year", bloc_year)
    return render(
        request,
        "blocs/covenant/detail.html",
        {
            **_phase_context(bloc_year),
            "covenant": covenant,
            "is_secretariat": is_secretariat,
            "can_edit": is_secretariat
            and bloc_year.phase in START_OF_YEAR_PHASES
            and (covenant is None or covenant.state == CovenantState.DRAFT),
            "scan_form": ScanForm() if is_secretariat and covenant else None,
            "issued": issued_documents_for(kind=DocumentKind.COVENANT, bloc_year=bloc_year),
        },
    )


def _covenant_defaults(bloc_year) -> dict:
    bloc = bloc_year.bloc
    return {
        # The symbol a clerk completes with the number, as the documents' issue form does.
        "number": vocabulary_for(bloc.province).covenant_symbol(bloc.abbreviation),
        "place": bloc_year.bloc.province.name.removeprefix("Tỉnh ").strip(),
        "content": _(
            "I. PURPOSE AND REQUIREMENTS\n"
            "Carry out the emulation movements launched by the Prime Minister, the "
            "provincial People's Committee and the provincial Emulation and Commendation "
            "Council, and complete the political tasks of %(year)s.\n"
            "II. CONTENT OF THE COVENANT\n"
            "1. Complete the tasks assigned by the provincial People's Committee on time "
            "and with quality.\n"
            "2. Carry out administrative reform and digital transformation.\n"
            "3. Discover, foster and replicate good examples.\n"
            "III. ORGANISATION\n"
            "The bloc's leader follows up, urges and reports the results at the year-end "
            "review."
        )
        % {"year": bloc_year.year.year},
    }


@require_http_methods(["GET", "POST"])
@login_required
def covenant_edit(request, pk: int):
    bloc_year = _bloc_year_for_secretariat(request.user, pk)
    covenant = selectors.covenant_of(bloc_year)
    initial = (
        {
            "number": covenant.number,
            "signed_on": covenant.signed_on,
            "place": covenant.place,
            "content": covenant.content,
        }
        if covenant
        else _covenant_defaults(bloc_year)
    )
    form = CovenantForm(*_bound(request)[:1], initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.covenant_save(actor=request.user, bloc_year=bloc_year, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The covenant was saved. Preview it, then issue it."))
            return redirect("blocs:covenant_detail", pk=bloc_year.pk)
    return render(
        request,
        "blocs/covenant/form.html",
        {**_phase_context(bloc_year), "form": form, "covenant": covenant},
    )


@require_GET
@login_required
def covenant_preview(request, pk: int, fmt: str):
    """The generated covenant, marked as a draft, rendered on the fly (never stored)."""

    bloc_year = selectors.get_bloc_year_for(request.user, pk)
    covenant = selectors.covenant_of(bloc_year)
    if covenant is None or fmt not in ("docx", "pdf"):
        raise Http404
    spec = selectors.covenant_spec(covenant, draft=True)
    if fmt == "pdf":
        response = HttpResponse(render_pdf(spec), content_type="application/pdf")
        disposition = "inline"
    else:
        response = HttpResponse(
            render_docx(spec),
            content_type=(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            ),
        )
        disposition = "attachment"
    name = download_name("Dự thảo giao ước thi đua", bloc_year.year.year, extension=fmt)
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def covenant_issue(request, pk: int):
    bloc_year = _bloc_year_for_secretariat(request.user, pk)
    covenant = selectors.covenant_of(bloc_year)
    if covenant is None:
        messages.error(request, _("Write the covenant before issuing it."))
        return redirect("blocs:covenant_detail", pk=bloc_year.pk)
    try:
        document = svc.covenant_issue_document(actor=request.user, covenant=covenant)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            _("The covenant was issued (version %(version)s).") % {"version": document.version},
        )
    return redirect("blocs:covenant_detail", pk=bloc_year.pk)


@require_POST
@login_required
def covenant_sign(request, pk: int):
    bloc_year = _bloc_year_for_secretariat(request.user, pk)
    covenant = selectors.covenant_of(bloc_year)
    if covenant is None:
        raise Http404
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            svc.covenant_record_signing(
                actor=request.user, covenant=covenant, scan=form.cleaned_data["scan"]
            )
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, _("The signed covenant was recorded."))
    else:
        messages.error(request, refusal_text(form))
    return redirect("blocs:covenant_detail", pk=bloc_year.pk)


@require_GET
@login_required
def covenant_scan(request, pk: int):
    bloc_year = selectors.get_bloc_year_for(request.user, pk)
    covenant = selectors.covenant_of(bloc_year)
    if covenant is None or not covenant.signed_scan:
        raise Http404
    return protected_download(covenant.signed_scan, covenant.signed_scan_name, inline=True)


# --- registrations ------------------------------------------------------------------------


@require_GET
@login_required
def my_registration(request, pk: int):
    bloc_year = selectors.get_bloc_year_for(request.user, pk)
    membership = selectors.membership_of(request.user, bloc_year)
    if membership is None:
        if request.user.has_perm("blocs.oversee_bloc_year", bloc_year):
            return redirect("blocs:registration_overview", pk=bloc_year.pk)
        raise Http404
    return redirect("blocs:registration_detail", pk=membership.pk)


@require_GET
@login_required
def registration_overview(request, pk: int):
    bloc_year = _bloc_year_for_follower(request.user, pk)
    rows = selectors.registration_overview(bloc_year)
    registered = sum(1 for row in rows if row.is_registered)
    runs_it = request.user.has_perm("blocs.run_bloc_year", bloc_year)
    return render(
        request,
        "blocs/registration/overview.html",
        {
            **_phase_context(bloc_year),
            "rows": rows,
            "registered": registered,
            "total": len(rows),
            "deadline": deadline_for(bloc_year, DeadlineStep.REGISTRATION),
            "can_remind": runs_it
            and bloc_year.phase in REGISTRATION_PHASES
            and registered < len(rows),
            "is_secretariat": runs_it,
        },
    )


@require_POST
@login_required
def registration_remind(request, pk: int):
    bloc_year = _bloc_year_for_secretariat(request.user, pk)
    try:
        names = svc.registration_remind(
            actor=request.user,
            bloc_year=bloc_year,
            base_url=request.build_absolute_uri(
                reverse("blocs:my_registration", args=[bloc_year.pk])
            ),
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            _("A reminder was sent to %(count)s agencies: %(names)s.")
            % {"count": len(names), "names": ", ".join(names)},
        )
    return redirect("blocs:registration_overview", pk=bloc_year.pk)


def _registration_page(request, membership, *, target_form=None, titles_form=None):
    user = request.user
    bloc_year = membership.bloc_year
    load_extensions(bloc_year)
    registration = selectors.registration_of(membership)
    is_own = user.has_perm("blocs.edit_registration", membership)
    window_open = svc.registration_window_open(membership, registration)
    editable = (
        is_own
        and window_open
        and (registration is None or registration.state != RegistrationState.SUBMITTED)
    )
    award_types = hooks.registrable_award_types()
    if editable:
        target_form = target_form or TargetForm()
        titles_form = titles_form or AwardTypesForm(
            award_types=award_types,
            initial={
                "award_types": list(registration.award_types.all()) if registration else [],
                "note": registration.note if registration else "",
            },
        )
    deadline = deadline_for(bloc_year, DeadlineStep.REGISTRATION, membership)
    return render(
        request,
        "blocs/registration/detail.html",
        {
            **_phase_context(bloc_year),
            "membership": membership,
            "registration": registration,
            "targets": list(registration.targets.all()) if registration else [],
            "chosen_award_types": list(registration.award_types.all()) if registration else [],
            "is_own": is_own,
            "editable": editable,
            "window_open": window_open,
            "can_submit": editable and user.has_perm("blocs.submit_registration", membership),
            "can_reopen": user.has_perm("blocs.reopen_registration", membership)
            and registration is not None
            and registration.state == RegistrationState.SUBMITTED
            and bloc_year.phase in REGISTRATION_PHASES,
            "reopen_form": ReopenForm(),
            "target_form": target_form,
            "titles_form": titles_form,
            "deadline": deadline,
            "is_registered": registration is not None
            and registration.state in REGISTRATION_COUNTED_STATES,
            "progress_periods": [
                period
                for period in ProgressPeriod
                if is_own
                and registration is not None
                and registration.state in REGISTRATION_COUNTED_STATES
                and bloc_year.phase in PROGRESS_PHASES[period]
            ],
            "achievements": selectors.targets_with_achievement(membership),
        },
    )


@require_GET
@login_required
def registration_detail(request, pk: int):
    membership = selectors.get_membership_for(request.user, pk)
    return _registration_page(request, membership)


@require_POST
@login_required
def registration_target_add(request, pk: int):
    membership = _membership_for_agency(request.user, pk)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            svc.registration_target_add(
                actor=request.user, membership=membership, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The target was added."))
            return redirect("blocs:registration_detail", pk=membership.pk)
    return _registration_page(request, membership, target_form=form)


@require_POST
@login_required
def registration_target_remove(request, pk: int, target_pk: int):
    membership = _membership_for_agency(request.user, pk)
    target = get_object_or_404(
        RegistrationTarget, pk=target_pk, registration__membership=membership
    )
    try:
        svc.registration_target_remove(actor=request.user, target=target)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("The target was removed."))
    return redirect("blocs:registration_detail", pk=membership.pk)


@require_POST
@login_required
def registration_award_types(request, pk: int):
    membership = _membership_for_agency(request.user, pk)
    award_types = hooks.registrable_award_types()
    form = AwardTypesForm(request.POST, award_types=award_types)
    if form.is_valid():
        try:
            svc.registration_set_award_types(
                actor=request.user,
                membership=membership,
                award_types=form.cleaned_data["award_types"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The titles and forms aimed for were saved."))
            return redirect("blocs:registration_detail", pk=membership.pk)
    return _registration_page(request, membership, titles_form=form)


@require_POST
@login_required
def registration_submit(request, pk: int):
    membership = _membership_for_agency(request.user, pk)
    require(
        request.user,
        "blocs.submit_registration",
        membership,
        _("Only the head of the agency can submit the registration."),
    )
    try:
        svc.registration_submit(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Your agency's registration was submitted."))
    return redirect("blocs:registration_detail", pk=membership.pk)


@require_POST
@login_required
def registration_reopen(request, pk: int):
    membership = selectors.get_membership_for(request.user, pk)
    require(
        request.user,
        "blocs.reopen_registration",
        membership,
        _("Only the bloc's secretariat can reopen a registration."),
    )
    registration = selectors.registration_of(membership)
    if registration is None:
        raise Http404
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            svc.registration_reopen(
                actor=request.user, registration=registration, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(
                request,
                _("The registration of %(agency)s was reopened.")
                % {"agency": membership.agency.name},
            )
    else:
        messages.error(request, _("Give the reason for reopening the registration."))
    return redirect("blocs:registration_detail", pk=membership.pk)


# --- progress (mid-year review and year end) ---------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def progress_report(request, pk: int, period: str):
    if period not in ProgressPeriod.values:
        raise Http404
    membership = _membership_for_agency(request.user, pk)
    achievements = selectors.targets_with_achievement(membership)
    form = ProgressForm(*_bound(request)[:1], achievements=achievements, period=period)
    if request.method == "POST" and form.is_valid():
        try:
            svc.target_progress_report(
                actor=request.user, membership=membership, period=period, values=form.values()
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Your report on the targets was saved."))
            return redirect("blocs:registration_detail", pk=membership.pk)
    return render(
        request,
        "blocs/registration/progress.html",
        {
            **_phase_context(membership.bloc_year),
            "membership": membership,
            "form": form,
            "period": ProgressPeriod(period),
            "open": membership.bloc_year.phase in PROGRESS_PHASES[ProgressPeriod(period)],
        },
    )


@require_GET
@login_required
def progress_summary(request, pk: int):
    bloc_year = _bloc_year_for_follower(request.user, pk)
    rows = selectors.progress_summary(bloc_year)
    return render(
        request,
        "blocs/registration/progress_summary.html",
        {**_phase_context(bloc_year), "rows": rows},
    )
