"""Council-staff pages for agencies, blocs, years and bloc-years, and the
bloc-year page (members, roles, phase, deadlines) for everyone who may see it.

Each view fetches and authorises in one helper (404 when the user may not see
the object, 403 when they may see but not change it), validates a form, calls
a service and redirects with a message.
"""

from __future__ import annotations

import base64
import datetime
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blocs import hooks, services
from blocs.enums import MEMBERSHIP_EDITABLE_PHASES, PAGE_MOVES, DeadlineStep, MemberRole, Phase
from blocs.forms.deadlines import DeadlineExtensionForm
from blocs.forms.organisation import (
    AgencyForm,
    BlocForm,
    BlocYearCreateForm,
    CarryForwardForm,
    EmulationYearForm,
    ImportForm,
    LineageForm,
    MembershipAddForm,
    MembershipUpdateForm,
    PhaseMoveForm,
    ProvinceVocabularyForm,
)
from blocs.importers import agencies as agency_importer
from blocs.importers import memberships as membership_importer
from blocs.models import Agency, AgencyLineage, BlocYear, Membership
from blocs.rules import is_secretariat, note_members
from blocs.selectors import (
    agencies_addable_to,
    agencies_visible_to,
    agency_lineage_links,
    bloc_years_visible_to,
    blocs_visible_to,
    carry_forward_plan,
    emulation_years_visible_to,
    get_agency_for,
    get_bloc_for,
    get_bloc_year_for,
    get_emulation_year_for,
    get_province_for,
    memberships_for_export,
    memberships_of_bloc_year,
    provinces_managed_by,
    successors_at,
    vocabulary_for,
)
from blocs.selectors.deadlines import (
    Deadline,
    deadline_for,
    extensions_of_bloc_year,
    open_steps,
)
from blocs.selectors.organisation import get_bloc_year_page_for, member_list
from blocs.selectors.phase import phase_history
from blocs.services import phase as phase_services
from blocs.services.organisation import DEADLINE_FIELDS, proposed_deadlines
from emulation.excel import workbook_response
from emulation.refusals import refusal_text, require, require_council

PAGE_SIZE = 50
SESSION_IMPORT_MAX_BYTES = 2 * 1024 * 1024


# --- agencies ---------------------------------------------------------------


@require_GET
@login_required
def agency_list(request):
    require_council(request.user)
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(agencies_visible_to(request.user, search=search), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "blocs/agency/list.html",
        {"page": page, "agencies": page.object_list, "search": search},
    )


@require_http_methods(["GET", "POST"])
@login_required
def agency_create(request):
    require_council(request.user)
    provinces = provinces_managed_by(request.user)
    form = AgencyForm(request.POST or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agency = services.agency_create(
                actor=request.user,
                province=data["province"],
                code=data["code"],
                name=data["name"],
                short_name=data["short_name"],
                active_from=data["active_from"],
                active_to=data["active_to"],
            )
        except ValidationError as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Agency “%(name)s” created.") % {"name": agency.name})
            return redirect("blocs:agency_edit", agency.pk)
    return render(request, "blocs/agency/form.html", {"form": form, "agency": None})


@require_http_methods(["GET", "POST"])
@login_required
def agency_edit(request, pk: int):
    require_council(request.user)
    agency = get_agency_for(request.user, pk)
    form = AgencyForm(
        request.POST or None,
        provinces=provinces_managed_by(request.user),
        agency=agency,
        initial={
            "name": agency.name,
            "short_name": agency.short_name,
            "active_from": agency.active_from,
            "active_to": agency.active_to,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agency_update(
                actor=request.user,
                agency=agency,
                name=data["name"],
                short_name=data["short_name"],
                active_from=data["active_from"],
                active_to=data["active_to"],
            )
        except ValidationError as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Agency “%(name)s” saved.") % {"name": agency.name})
            return redirect("blocs:agency_edit", agency.pk)
    return _agency_edit_page(request, agency, form, LineageForm(agency=agency))


def _agency_edit_page(request, agency, form, lineage_form, status=200):
    return render(
        request,
        "blocs/agency/form.html",
        {
            "form": form,
            "agency": agency,
            "lineage_form": lineage_form,
            "links": agency_lineage_links(agency),
            "memberships": agency.memberships.select_related(
                "bloc_year__bloc", "bloc_year__year"
            ).order_by("-bloc_year__year__year"),
        },
        status=status,
    )


@require_POST
@login_required
def agency_lineage_add(request, pk: int):
    require_council(request.user)
    agency = get_agency_for(request.user, pk)
    lineage_form = LineageForm(request.POST, agency=agency)
    if lineage_form.is_valid():
        data = lineage_form.cleaned_data
        try:
            services.lineage_add(
                actor=request.user,
                predecessor=agency,
                successor=data["successor"],
                kind=data["kind"],
                effective_date=data["effective_date"],
                note=data["note"],
            )
        except ValidationError as exc:
            lineage_form.add_error(None, refusal_text(exc))
        else:
            messages.success(
                request,
                _("%(old)s → %(new)s recorded.")
                % {"old": agency.name, "new": data["successor"].name},
            )
            return redirect("blocs:agency_edit", agency.pk)
    form = AgencyForm(
        provinces=provinces_managed_by(request.user),
        agency=agency,
        initial={
            "name": agency.name,
            "short_name": agency.short_name,
            "active_from": agency.active_from,
            "active_to": agency.active_to,
        },
    )
    return _agency_edit_page(request, agency, form, lineage_form, status=400)


@require_POST
@login_required
def agency_lineage_remove(request, pk: int, link_pk: int):
    require_council(request.user)
    agency = get_agency_for(request.user, pk)
    link = get_object_or_404(
        AgencyLineage.objects.filter(predecessor=agency)
        | AgencyLineage.objects.filter(successor=agency),
        pk=link_pk,
    )
    services.lineage_remove(actor=request.user, link=link)
    messages.success(request, _("The lineage link was removed."))
    return redirect("blocs:agency_edit", agency.pk)


@require_GET
@login_required
def agency_export(request):
    require_council(request.user)
    headers, rows = agency_importer.export_rows(agencies_visible_to(request.user))
    stamp = timezone.localdate().strftime("%Y%m%d")
    return workbook_response(f"co-quan-{stamp}.xlsx", headers, rows, title=_("Agencies"))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, MemberRole):
        return value.label
    return str(value)


def _preview_rows(result, columns):
    return [(row, [_cell(row.values.get(c.key)) for c in columns]) for row in result.rows]


def _import_view(request, *, key: str, template: str, run, done_url: str, extra=None):
    """Upload → preview of every row's errors → confirm → write (all or nothing).

    The checked file waits in the session between the preview and the
    confirmation, so the user does not have to upload it twice.
    """
    context = {"form": ImportForm(), "result": None, "token": None, **(extra or {})}
    if request.method == "POST" and request.POST.get("token"):
        stored = request.session.get(key)
        if not stored or stored.get("token") != request.POST["token"]:
            messages.error(request, _("The preview has expired; upload the file again."))
            return redirect(request.path)
        data = base64.b64decode(stored["data"])
        try:
            result = run(data, dry_run=False)
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
            return redirect(request.path)
        del request.session[key]
        if result.ok:
            messages.success(
                request,
                _("Import done: %(rows)s rows checked, %(written)s written.")
                % {"rows": len(result.rows), "written": result.written},
            )
            return redirect(done_url)
        context["result"] = result
        context["preview_rows"] = _preview_rows(result, context["columns"])
        return render(request, template, context, status=400)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        context["form"] = form
        if not form.is_valid():
            return render(request, template, context, status=400)
        upload = form.cleaned_data["file"]
        if upload.size > SESSION_IMPORT_MAX_BYTES:
            form.add_error("file", _("The file is too large (at most 2 MB)."))
            return render(request, template, context, status=400)
        data = upload.read()
        result = run(data, dry_run=True)
        context["result"] = result
        context["preview_rows"] = _preview_rows(result, context["columns"])
        if result.ok:
            token = secrets.token_urlsafe(16)
            request.session[key] = {"token": token, "data": base64.b64encode(data).decode()}
            context["token"] = token
        return render(request, template, context, status=200 if result.ok else 400)
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@login_required
def agency_import(request):
    require_council(request.user)
    provinces = list(provinces_managed_by(request.user))

    def run(data, *, dry_run):
        return agency_importer.run(data, actor=request.user, provinces=provinces, dry_run=dry_run)

    return _import_view(
        request,
        key="import:agencies",
        template="blocs/agency/import.html",
        run=run,
        done_url="blocs:agency_list",
        extra={"columns": agency_importer.COLUMNS},
    )


# --- blocs and years ----------------------------------------------------------


@require_GET
@login_required
def bloc_list(request):
    require_council(request.user)
    return render(
        request,
        "blocs/bloc/list.html",
        {
            "blocs": blocs_visible_to(request.user),
            "years": emulation_years_visible_to(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def province_vocabulary(request, pk: int):
    """The province's words for positions, document symbols and deductions,
    which its pages and documents share."""
    require_council(request.user)
    province = get_province_for(request.user, pk)
    form = ProvinceVocabularyForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid():
        try:
            services.province_vocabulary_update(
                actor=request.user, province=province, terms=form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(
                request,
                _("The vocabulary of %(province)s was saved; pages and documents use it now.")
                % {"province": province.name},
            )
            return redirect("blocs:province_vocabulary", province.pk)
    return render(request, "blocs/province/vocabulary.html", {"form": form, "province": province})


@require_http_methods(["GET", "POST"])
@login_required
def bloc_create(request):
    require_council(request.user)
    form = BlocForm(request.POST or None, provinces=provinces_managed_by(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bloc = services.bloc_create(
                actor=request.user,
                province=data["province"],
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                abbreviation=data["abbreviation"],
            )
        except ValidationError as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Bloc “%(name)s” created.") % {"name": bloc.name})
            return redirect("blocs:bloc_edit", bloc.pk)
    return render(request, "blocs/bloc/form.html", {"form": form, "bloc": None})


@require_http_methods(["GET", "POST"])
@login_required
def bloc_edit(request, pk: int):
    require_council(request.user)
    bloc = get_bloc_for(request.user, pk)
    form = BlocForm(
        request.POST or None,
        provinces=provinces_managed_by(request.user),
        bloc=bloc,
        initial={
            "name": bloc.name,
            "abbreviation": bloc.abbreviation,
            "kind": bloc.kind,
            "is_active": bloc.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.bloc_update(
                actor=request.user,
                bloc=bloc,
                name=data["name"],
                kind=data["kind"],
                is_active=data["is_active"],
                abbreviation=data["abbreviation"],
            )
        except ValidationError as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Bloc “%(name)s” saved.") % {"name": bloc.name})
            return redirect("blocs:bloc_edit", bloc.pk)
    bloc_years = BlocYear.objects.filter(bloc=bloc).select_related("year").order_by("-year__year")
    return render(
        request, "blocs/bloc/form.html", {"form": form, "bloc": bloc, "bloc_years": bloc_years}
    )


@require_http_methods(["GET", "POST"])
@login_required
def year_create(request):
    require_council(request.user)
    form = EmulationYearForm(request.POST or None, provinces=provinces_managed_by(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            year = services.emulation_year_create(
                actor=request.user,
                province=form.cleaned_data["province"],
                year=form.cleaned_data["year"],
                **form.deadlines(),
            )
        except ValidationError as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Year %(year)s created.") % {"year": year.year})
            return redirect("blocs:bloc_list")
    return render(request, "blocs/year/form.html", {"form": form, "emulation_year": None})


@require_http_methods(["GET", "POST"])
@login_required
def year_edit(request, pk: int):
    require_council(request.user)
    emulation_year = get_emulation_year_for(request.user, pk)
    initial = {name: getattr(emulation_year, name) for name in DEADLINE_FIELDS}
    form = EmulationYearForm(
        request.POST or None,
        provinces=provinces_managed_by(request.user),
        emulation_year=emulation_year,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.emulation_year_update(
                actor=request.user, emulation_year=emulation_year, **form.deadlines()
            )
        except ValidationError as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(
                request, _("The deadlines of %(year)s were saved.") % {"year": emulation_year.year}
            )
            return redirect("blocs:bloc_list")
    return render(request, "blocs/year/form.html", {"form": form, "emulation_year": emulation_year})


# --- bloc-years -----------------------------------------------------------------


@require_GET
@login_required
def bloc_year_list(request):
    bloc_years = (
        bloc_years_visible_to(request.user).order_by("-year__year", "bloc__name").distinct()
    )
    return render(
        request,
        "blocs/bloc_year/list.html",
        {
            "bloc_years": bloc_years,
            "is_council": request.user.has_perm("emulation.use_council_pages"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def bloc_year_create(request):
    require_council(request.user)
    blocs = blocs_visible_to(request.user).filter(is_active=True)
    years = emulation_years_visible_to(request.user)
    form = BlocYearCreateForm(
        request.POST or None,
        blocs=blocs,
        years=years,
        initial={"bloc": request.GET.get("bloc"), "year": request.GET.get("year")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            bloc_year = services.bloc_year_create(
                actor=request.user, bloc=form.cleaned_data["bloc"], year=form.cleaned_data["year"]
            )
        except ValidationError as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(
                request, _("Bloc-year created. Now add its members and choose the leader.")
            )
            return redirect("blocs:bloc_year_detail", bloc_year.pk)
    return render(request, "blocs/bloc_year/create.html", {"form": form})


def _next_step(bloc_year: BlocYear, memberships, can_manage: bool) -> str:
    """What the user can do next on the bloc-year page, in one sentence."""
    phase = bloc_year.phase
    if phase in MEMBERSHIP_EDITABLE_PHASES and can_manage:
        if not memberships:
            return _("Add the member agencies of this bloc-year.")
        if not any(m.role == MemberRole.LEADER for m in memberships):
            return _("Choose the leading agency (Trưởng khối) of this bloc-year.")
        if phase == Phase.SETUP:
            return _("Check the members and their roles, then open registration.")
        return _(
            "The members register their targets and titles; when registration is over, "
            "start the year."
        )
    if phase == Phase.DECIDED and can_manage:
        return _("The council has decided: close the year, and carry the bloc forward.")
    if phase == Phase.CLOSED and can_manage:
        return _("The year is over: carry the bloc forward to the next year.")
    return PHASE_NEXT[Phase(phase)]


# What happens next in each phase, for whoever has no step of their own to take.
PHASE_NEXT = {
    Phase.SETUP: gettext_lazy("The secretariat checks the members and opens registration."),
    Phase.REGISTRATION: gettext_lazy(
        "The members register their targets and titles until the registration deadline."
    ),
    Phase.IN_PROGRESS: gettext_lazy(
        "The members carry out their targets; the self-assessment opens on its date."
    ),
    Phase.SELF_ASSESSMENT: gettext_lazy(
        "The members score themselves and their heads submit by the self-assessment deadline."
    ),
    Phase.REVIEW: gettext_lazy(
        "The scores are verified; the members may object until the dispute deadline."
    ),
    Phase.RANKING_PUBLISHED: gettext_lazy(
        "The ranking is published; the year-end conference votes on the proposals."
    ),
    Phase.VOTING: gettext_lazy(
        "The conference is voting; the secretariat then sends the proposal to the council."
    ),
    Phase.PROPOSAL_SUBMITTED: gettext_lazy("The council examines the proposal and decides."),
    Phase.DECIDED: gettext_lazy("The council has decided; the year can be closed."),
    Phase.CLOSED: gettext_lazy("The year is closed; its records stay as they are."),
}


# The buttons of the moves the bloc-year page takes: label, and what the confirmation asks.
STEP_BUTTONS = {
    Phase.REGISTRATION: (
        gettext_lazy("Open registration"),
        gettext_lazy("Open registration? The members can then register their targets and titles."),
    ),
    Phase.IN_PROGRESS: (
        gettext_lazy("Close registration and start the year"),
        gettext_lazy("Start the year? Registration closes and the members can no longer change."),
    ),
    Phase.CLOSED: (
        gettext_lazy("Close the year"),
        gettext_lazy("Close the year? Its records stay as they are."),
    ),
}
STEP_DONE = {
    Phase.SETUP: gettext_lazy("The bloc-year is back in setup."),
    Phase.REGISTRATION: gettext_lazy("Registration is open."),
    Phase.IN_PROGRESS: gettext_lazy("Registration is closed; the year has started."),
    Phase.CLOSED: gettext_lazy("The year is closed."),
}


def _page_moves(user, bloc_year: BlocYear) -> tuple[dict | None, list[dict]]:
    """The forward step the user may take on the page, and the council's moves back."""
    step, back = None, []
    for (source, target), move in PAGE_MOVES.items():
        if source != bloc_year.phase or not phase_services.may_take(user, bloc_year, move):
            continue
        if move.back:
            back.append({"to": target.value, "label": target.label})
        else:
            label, confirm = STEP_BUTTONS[target]
            step = {"to": target.value, "label": label, "confirm": confirm}
    return step, back


@require_GET
@login_required
def bloc_year_detail(request, pk: int):
    bloc_year = get_bloc_year_page_for(request.user, pk)
    memberships = member_list(bloc_year)
    note_members(request.user, bloc_year, memberships)
    can_manage = request.user.has_perm("blocs.manage_bloc_year", bloc_year)
    editable = can_manage and bloc_year.phase in MEMBERSHIP_EDITABLE_PHASES
    add_form = None
    if editable:
        add_form = MembershipAddForm(agencies=agencies_addable_to(bloc_year))
    step, back_moves = _page_moves(request.user, bloc_year) if can_manage else (None, [])
    # After a warning, the same step is offered again with the user's confirmation.
    confirm = None
    if step is not None and request.GET.get("confirm") == step["to"]:
        confirm = phase_services.check_move(bloc_year, Phase(step["to"])).warnings
    year = bloc_year.year
    # The extensions, read with the bloc-year for every deadline below, are
    # listed to those who manage it, with whom each is for and who granted it
    # (one query, none for a bloc-year without any).
    extensions = (
        extensions_of_bloc_year(bloc_year) if can_manage and bloc_year.extension_rows else []
    )
    by_step = {s: deadline_for(bloc_year, s) for s in DeadlineStep}
    # (label, date, whether it is an opening date: an opening is never "passed")
    deadlines = [
        (_("Registration deadline"), by_step[DeadlineStep.REGISTRATION], False),
        (_("Self-assessment opens"), Deadline(None, year.self_assessment_opens), True),
        (_("Self-assessment deadline"), by_step[DeadlineStep.SELF_ASSESSMENT], False),
        (_("Review deadline"), Deadline(None, year.review_deadline), False),
        (_("Dispute deadline"), by_step[DeadlineStep.DISPUTES], False),
        (_("Proposal deadline"), by_step[DeadlineStep.PROPOSAL], False),
    ]
    may_extend = request.user.has_perm("blocs.extend_deadline", bloc_year)
    words = vocabulary_for(bloc_year.bloc.province)
    return render(
        request,
        "blocs/bloc_year/detail.html",
        {
            "bloc_year": bloc_year,
            "memberships": memberships,
            "is_secretariat": is_secretariat(request.user, bloc_year),
            "can_manage": can_manage,
            "is_council": request.user.has_perm("blocs.oversee_province", bloc_year),
            "editable": editable,
            "add_form": add_form,
            # Each role as the province names it ("Trưởng khối"), in the order of the choices.
            "role_names": {role: words.role(role) for role in MemberRole.values},
            # The next year's bloc-year, shown to those who manage this one.
            "next_bloc_year_id": bloc_year.next_year_id if can_manage else None,
            "deadlines": deadlines,
            "extensions": extensions,
            "extension_form": DeadlineExtensionForm(memberships=memberships_of_bloc_year(bloc_year))
            if may_extend
            else None,
            "open_steps": open_steps(bloc_year) if may_extend and extensions else set(),
            "today": timezone.localdate(),
            "next_step": _next_step(bloc_year, memberships, can_manage),
            "step": step,
            "back_moves": back_moves,
            "confirm": confirm,
        },
    )


@require_POST
@login_required
def bloc_year_step(request, pk: int):
    """A move of the phase taken on the page: open registration, start the year,
    close it, or (council staff, with a reason) move it back."""
    bloc_year = _managed_bloc_year(request, pk)
    form = PhaseMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the step to take."))
        return redirect("blocs:bloc_year_detail", bloc_year.pk)
    to = form.cleaned_data["to"]
    try:
        services.bloc_year_advance(
            actor=request.user,
            bloc_year=bloc_year,
            to=to,
            reason=form.cleaned_data["reason"],
            confirm=form.cleaned_data["confirm"],
        )
    except phase_services.NeedsConfirmation as exc:
        messages.warning(request, refusal_text(exc))
        return redirect(reverse("blocs:bloc_year_detail", args=[bloc_year.pk]) + f"?confirm={to}")
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            STEP_DONE.get(to)
            or _("The bloc-year is now at the %(phase)s phase.") % {"phase": to.label.lower()},
        )
    return redirect("blocs:bloc_year_detail", bloc_year.pk)


@require_GET
@login_required
def bloc_year_phase_history(request, pk: int):
    """Every move of the bloc-year's phase: when, from where to where, by whom, why."""
    bloc_year = get_bloc_year_for(request.user, pk)
    return render(
        request,
        "blocs/bloc_year/phase_history.html",
        {
            "bloc_year": bloc_year,
            "moves": phase_history(bloc_year),
        },
    )


def _managed_bloc_year(request, pk: int) -> BlocYear:
    """404 if the user cannot see the bloc-year, 403 if they cannot change it."""
    bloc_year = get_bloc_year_for(request.user, pk)
    require(request.user, "blocs.manage_bloc_year", bloc_year)
    return bloc_year


@require_POST
@login_required
def membership_add(request, pk: int):
    bloc_year = _managed_bloc_year(request, pk)
    form = MembershipAddForm(
        request.POST, agencies=Agency.objects.filter(province_id=bloc_year.bloc.province_id)
    )
    if not form.is_valid():
        messages.error(request, refusal_text(form))
        return redirect("blocs:bloc_year_detail", bloc_year.pk)
    try:
        membership = services.membership_add(
            actor=request.user,
            bloc_year=bloc_year,
            agency=form.cleaned_data["agency"],
            role=form.cleaned_data["role"],
            rotation_order=form.cleaned_data["rotation_order"],
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request, _("%(agency)s added to the bloc.") % {"agency": membership.agency.name}
        )
    return redirect("blocs:bloc_year_detail", bloc_year.pk)


@require_POST
@login_required
def membership_update(request, pk: int, membership_pk: int):
    bloc_year = _managed_bloc_year(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("agency"), pk=membership_pk, bloc_year=bloc_year
    )
    form = MembershipUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, refusal_text(form))
        return redirect("blocs:bloc_year_detail", bloc_year.pk)
    try:
        services.membership_update(
            actor=request.user,
            membership=membership,
            role=form.cleaned_data["role"],
            rotation_order=form.cleaned_data["rotation_order"],
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            _("%(agency)s is now %(role)s.")
            % {
                "agency": membership.agency.name,
                "role": MemberRole(form.cleaned_data["role"]).label.lower(),
            },
        )
    return redirect("blocs:bloc_year_detail", bloc_year.pk)


@require_POST
@login_required
def membership_remove(request, pk: int, membership_pk: int):
    bloc_year = _managed_bloc_year(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("agency"), pk=membership_pk, bloc_year=bloc_year
    )
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request, _("%(agency)s removed from the bloc.") % {"agency": membership.agency.name}
        )
    return redirect("blocs:bloc_year_detail", bloc_year.pk)


def _apply_conference_leadership(bloc_year, plan):
    """Next year's leader and deputy as the year-end conference settled them
    (by rotation, a poll or acclamation) replace the rotation's proposal, each
    mapped to its successor; returns the conference's record, or None."""
    decided = hooks.next_leadership(bloc_year)
    if decided is None:
        return None
    successors = successors_at([decided.leader, decided.deputy], plan.as_of)
    leader = successors.get(decided.leader_id, decided.leader)
    deputy = successors.get(decided.deputy_id, decided.deputy)
    if leader in plan.agencies:
        plan.leader = leader
    if deputy in plan.agencies and deputy != plan.leader:
        plan.deputy = deputy
    return decided


@require_http_methods(["GET", "POST"])
@login_required
def bloc_year_carry_forward(request, pk: int):
    """The confirmation page of "carry forward to next year", and its action."""
    bloc_year = _managed_bloc_year(request, pk)
    as_of = None
    if request.method == "POST":
        try:
            as_of = CarryForwardForm.base_fields["as_of"].clean(request.POST.get("as_of"))
        except ValidationError:
            as_of = None  # the form reports it
    elif request.GET.get("as_of"):
        try:
            as_of = datetime.date.fromisoformat(request.GET["as_of"])
        except ValueError:
            as_of = None
    plan = carry_forward_plan(bloc_year, as_of=as_of)
    leadership = _apply_conference_leadership(bloc_year, plan)
    # Only council staff create a province's year; the secretariat carries its
    # bloc forward into a year the council has already set up.
    needs_council = plan.existing_year is None and not request.user.has_perm(
        "blocs.oversee_province", bloc_year
    )
    if needs_council and request.method == "POST":
        raise PermissionDenied
    form = CarryForwardForm(
        request.POST or None,
        agencies=plan.agencies,
        proposed_deadlines=proposed_deadlines(bloc_year.year)
        if plan.existing_year is None
        else None,
        today=timezone.localdate(),
        initial={"as_of": plan.as_of, "leader": plan.leader, "deputy": plan.deputy},
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = services.bloc_year_carry_forward(
                actor=request.user,
                bloc_year=bloc_year,
                leader=form.cleaned_data["leader"],
                deputy=form.cleaned_data["deputy"],
                as_of=form.cleaned_data["as_of"],
                deadlines=form.deadlines() or None,
            )
        except ValidationError as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(
                request,
                _("The bloc was carried forward to %(year)s with %(count)s members.")
                % {"year": new.year.year, "count": len(plan.agencies)},
            )
            return redirect("blocs:bloc_year_detail", new.pk)
    return render(
        request,
        "blocs/bloc_year/carry_forward.html",
        {
            "bloc_year": bloc_year,
            "plan": plan,
            "form": form,
            "needs_council": needs_council,
            "leadership": leadership,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@login_required
def membership_export(request):
    require_council(request.user)
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    headers, rows = membership_importer.export_rows(memberships_for_export(request.user, year=year))
    name = f"thanh-vien-khoi-{year}.xlsx" if year else "thanh-vien-khoi.xlsx"
    return workbook_response(name, headers, rows, title=_("Memberships"))


@require_http_methods(["GET", "POST"])
@login_required
def membership_import(request):
    require_council(request.user)
    provinces = list(provinces_managed_by(request.user))

    def run(data, *, dry_run):
        return membership_importer.run(
            data, actor=request.user, provinces=provinces, dry_run=dry_run
        )

    return _import_view(
        request,
        key="import:memberships",
        template="blocs/bloc_year/import.html",
        run=run,
        done_url="blocs:bloc_year_list",
        extra={"columns": membership_importer.COLUMNS},
    )
