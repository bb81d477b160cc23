"""Self-assessment pages: the secretariat's overview, the agency's own
assessment with field-by-field autosave, evidence, the printable view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from blocs.assessment_rows import page_rows, render_row
from blocs.documents import assessment_report_filename, build_assessment_report
from blocs.enums import ASSESSMENT_EDITABLE_STATES, AssessmentState, DeadlineStep, Phase
from blocs.forms.assessment import (
    DelegationForm,
    DelegationRevokeForm,
    EvidenceForm,
    ItemSaveForm,
    ReasonForm,
    ReportSaveForm,
)
from blocs.forms.organisation import ConfirmForm
from blocs.models import Evidence
from blocs.rules import is_secretariat
from blocs.selectors import get_bloc_year_for
from blocs.selectors.assessment import (
    ROW_FILTERS,
    assessment_row,
    assessment_view,
    deadline_passed,
    edit_refusal,
    get_assessment_for,
    get_assessment_to_save,
    get_criterion_for,
    overview_for,
    submitted_count,
    today_in_vietnam,
)
from blocs.selectors.deadlines import deadline_for, load_extensions
from blocs.selectors.registration import targets_from_read
from blocs.selectors.scoring import scoring_table_for
from blocs.services import assessment as services
from blocs.services.phase import NeedsConfirmation, check_move
from blocs.services.scoring import bloc_year_open_self_assessment
from emulation.documents import render_body, render_docx, render_pdf
from emulation.documents.responses import CONTENT_TYPES, document_response
from emulation.refusals import refusal_text, require
from emulation.uploads import protected_download

# --- overview ---------------------------------------------------------------


@require_GET
@login_required
def assessment_overview(request, pk: int):
    bloc_year = get_bloc_year_for(request.user, pk)
    require(request.user, "blocs.oversee_bloc_year", bloc_year)
    rows = overview_for(bloc_year)
    table = scoring_table_for(bloc_year)
    load_extensions(bloc_year)
    return render(
        request,
        "blocs/assessment/overview.html",
        {
            "bloc_year": bloc_year,
            "rows": rows,
            "submitted": submitted_count(rows),
            "table": table,
            "can_open": bloc_year.phase == Phase.IN_PROGRESS,
            # After a warning, the button is offered again with the user's confirmation.
            "confirm": (
                check_move(bloc_year, Phase.SELF_ASSESSMENT).warnings
                if request.GET.get("confirm") and bloc_year.phase == Phase.IN_PROGRESS
                else None
            ),
            "is_secretariat": is_secretariat(request.user, bloc_year),
            "can_remind": bloc_year.phase == Phase.SELF_ASSESSMENT
            and request.user.has_perm("blocs.remind_agency", bloc_year),
            "deadline_passed": deadline_passed(bloc_year),
            "deadline": deadline_for(bloc_year, DeadlineStep.SELF_ASSESSMENT),
            "editable_states": ASSESSMENT_EDITABLE_STATES,
        },
    )


@require_POST
@login_required
def self_assessment_open(request, pk: int):
    bloc_year = get_bloc_year_for(request.user, pk)
    require(request.user, "blocs.manage_bloc_year", bloc_year)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        bloc_year_open_self_assessment(
            actor=request.user,
            bloc_year=bloc_year,
            confirm=form.cleaned_data.get("confirm", False),
        )
    except NeedsConfirmation as exc:
        messages.warning(request, refusal_text(exc))
        return redirect(reverse("blocs:assessment_overview", args=[bloc_year.pk]) + "?confirm=1")
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request, _("The self-assessment window is open and the scoring table is frozen.")
        )
    return redirect("blocs:assessment_overview", pk=bloc_year.pk)


@require_GET
@login_required
def my_assessment(request, pk: int):
    """The user's agency's assessment in a bloc-year (a link target)."""
    bloc_year = get_bloc_year_for(request.user, pk)
    membership = bloc_year.memberships.filter(agency_id=request.user.agency_id).first()
    if membership is None or not hasattr(membership, "self_assessment"):
        messages.info(request, _("The self-assessment window has not opened yet."))
        return redirect("blocs:bloc_year_detail", pk=bloc_year.pk)
    return redirect("blocs:assessment_detail", pk=membership.self_assessment.pk)


# --- the agency's assessment --------------------------------------------------

# An upload's outcome, kept for the page it returns to: shown beside the
# criterion the file was attached from, not at the top of a long page.
UPLOAD_OUTCOME = "assessment_upload"


def _shown_filter(value: str | None) -> str | None:
    """The page's row filter named in ``value`` (a query's ``show``), if any."""
    return value if value in ROW_FILTERS else None


def _current_filter(request) -> str | None:
    """The filter of the page an autosave comes from (its address's query)."""
    query = urlsplit(request.htmx.current_url or "").query
    return _shown_filter(parse_qs(query).get("show", [None])[0])


def _page_url(assessment, show: str | None, anchor: str = "") -> str:
    url = reverse("blocs:assessment_detail", args=[assessment.pk])
    if show:
        url += "?" + urlencode({"show": show})
    return url + (f"#{anchor}" if anchor else "")


def _incomplete_labels(incomplete) -> tuple[str, str]:
    """The headings of a refused submission's lists: the criteria not scored
    yet, and those missing their evidence."""
    unscored, missing = (len(criteria) for criteria in incomplete)
    return (
        ngettext("Not scored yet (%(n)s criterion):", "Not scored yet (%(n)s criteria):", unscored)
        % {"n": unscored},
        ngettext(
            "Evidence missing (%(n)s criterion):", "Evidence missing (%(n)s criteria):", missing
        )
        % {"n": missing},
    )


def _page_context(request, assessment):
    view = assessment_view(assessment)
    show = _shown_filter(request.GET.get("show"))
    bloc_year = assessment.membership.bloc_year
    load_extensions(bloc_year)
    refusal = edit_refusal(request.user, assessment)
    user = request.user
    may_return = user.has_perm("blocs.return_assessment", assessment)
    shown_groups = view.shown_groups(show)
    incomplete = view.incomplete() if show == "incomplete" else None
    context = {
        "assessment": assessment,
        "view": view,
        "bloc_year": bloc_year,
        "editable": refusal is None,
        "refusal": refusal,
        "can_submit": refusal is None and user.has_perm("blocs.submit_assessment", assessment),
        "can_return": may_return and assessment.state == AssessmentState.SUBMITTED,
        "can_reopen": may_return
        and deadline_passed(bloc_year, membership=assessment.membership)
        and assessment.state
        in (AssessmentState.DRAFT, AssessmentState.RETURNED, AssessmentState.SUBMITTED),
        "can_delegate": user.has_perm("blocs.delegate_submission", assessment)
        and assessment.state in ASSESSMENT_EDITABLE_STATES,
        "deadline": deadline_for(bloc_year, DeadlineStep.SELF_ASSESSMENT, assessment.membership),
        "show": show,
        "shown_groups": shown_groups,
        # The rows as drawn, from the cache where they were drawn before.
        "row_html": page_rows(
            (row for shown in shown_groups for row in shown.rows),
            editable=refusal is None,
            drawn=view.drawn,
        ),
        # After a refused submission: the criteria that keep it back, to link to.
        "incomplete": incomplete,
        "incomplete_labels": _incomplete_labels(incomplete) if incomplete else None,
        "upload": request.session.pop(UPLOAD_OUTCOME, None),
        "achievements": targets_from_read(assessment.targets_read),
        # The narrative report's block, as an autosave of it answers it.
        "report_error": None,
        "typed_report": "",
    }
    if context["can_delegate"]:
        context["delegation_form"] = DelegationForm(
            agency=assessment.membership.agency, exclude_user=request.user
        )
        context["delegates"] = [
            d.delegate for d in assessment.delegations.select_related("delegate")
        ]
    return context


@require_GET
@login_required
def assessment_detail(request, pk: int):
    assessment = get_assessment_for(request.user, pk, page=True)
    return render(request, "blocs/assessment/detail.html", _page_context(request, assessment))


@require_GET
@login_required
def assessment_print(request, pk: int):
    """The self-assessment report as the head signs it, for the browser to print."""
    assessment = get_assessment_for(request.user, pk)
    spec = build_assessment_report(assessment)
    return render(
        request,
        "blocs/assessment/print.html",
        {
            "assessment": assessment,
            "bloc_year": assessment.membership.bloc_year,
            "document_body": mark_safe(render_body(spec)),  # noqa: S308 - escaped
        },
    )


@require_GET
@login_required
def assessment_report_download(request, pk: int, fmt: str):
    """The same report as a PDF or DOCX file, rendered afresh, never stored."""
    assessment = get_assessment_for(request.user, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    spec = build_assessment_report(assessment)
    data = render_docx(spec) if fmt == "docx" else render_pdf(spec)
    return document_response(data, fmt=fmt, filename=assessment_report_filename(assessment, fmt))


def _editable_or_403(request, assessment):
    refusal = edit_refusal(request.user, assessment)
    if refusal:
        raise PermissionDenied(refusal)


@require_POST
@login_required
def item_save(request, pk: int, criterion_id: int):
    """Autosave of one field of one criterion. Answers the criterion's row (the
    same partial the page renders) and, out of band, the assessment's totals.
    An invalid value is shown in the row, as typed, and nothing is saved.
    A user who may not change the row gets a 403: from the service, which
    checks it under its lock, or here when the value goes no further."""
    assessment = get_assessment_to_save(request.user, pk)
    criterion = get_criterion_for(assessment, criterion_id)
    data = request.POST
    if "field" not in data and request.htmx.trigger_name:
        # The page's fields post themselves: the field saved is the one named.
        data = {**data.dict(), "field": request.htmx.trigger_name}
    form = ItemSaveForm(data, criterion=criterion)
    stale = saved = None
    if not form.is_valid():
        _editable_or_403(request, assessment)
    else:
        field = form.cleaned_data["field"]
        try:
            saved = services.item_score_save(
                actor=request.user,
                assessment=assessment,
                criterion=criterion,
                field=field,
                value=form.value,
                base_version=form.cleaned_data["version"],
            )
        except services.StaleVersion as exc:
            stale = refusal_text(exc)
        except ValidationError as exc:
            form.add_error(field, exc)
    view = assessment_row(
        assessment, criterion, item=saved, states=saved.assessment_states if saved else None
    )
    return render(
        request,
        "blocs/assessment/_saved.html",
        {
            "row_html": render_row(
                view.row, editable=True, form=form if form.errors else None, stale=stale
            ),
            "view": view,
            "bloc_year": assessment.membership.bloc_year,
            "show": _current_filter(request),
        },
    )


@require_POST
@login_required
def report_save(request, pk: int):
    """Autosave of the narrative report: answers the report's block only; a
    refused save keeps the text as typed, with the reason."""
    assessment = get_assessment_for(request.user, pk)
    _editable_or_403(request, assessment)
    form = ReportSaveForm(request.POST)
    error = None
    if form.is_valid():
        try:
            assessment = services.assessment_save_report(
                actor=request.user,
                assessment=assessment,
                report=form.cleaned_data["report"],
                base_version=form.cleaned_data["report_version"],
            )
        except ValidationError as exc:
            error = refusal_text(exc)
    else:
        error = refusal_text(form)
    return render(
        request,
        "blocs/assessment/_report.html",
        {
            "assessment": assessment,
            "editable": True,
            "report_error": error,
            "typed_report": form["report"].value() or "",
        },
    )


@require_POST
@login_required
def evidence_upload(request, pk: int, criterion_id: int):
    """One or several files, for the row's criterion and any others ticked in
    the dialog. The outcome is shown beside the criterion the upload came from."""
    assessment = get_assessment_for(request.user, pk)
    _editable_or_403(request, assessment)
    criterion = get_criterion_for(assessment, criterion_id)
    form = EvidenceForm(request.POST, request.FILES, table=assessment.table)
    outcome = {"criterion": criterion.pk, "errors": [], "done": ""}
    if form.is_valid():
        try:
            upload = services.evidence_attach(
                actor=request.user,
                assessment=assessment,
                criteria=[criterion, *form.cleaned_data["criteria"]],
                files=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            outcome["errors"] = [str(m) for m in exc.messages]
        else:
            outcome["errors"] = upload.refused
            if upload.attached:
                codes = sorted({e.item.criterion.code for e in upload.attached})
                outcome["done"] = ngettext(
                    "%(n)s evidence file was attached to %(codes)s.",
                    "%(n)s evidence files were attached to %(codes)s.",
                    upload.files,
                ) % {"n": upload.files, "codes": ", ".join(codes)}
    else:
        outcome["errors"] = [str(e) for errors in form.errors.values() for e in errors]
    request.session[UPLOAD_OUTCOME] = outcome
    show = _shown_filter(form.data.get("show"))
    return redirect(_page_url(assessment, show, "upload-outcome"))


@require_POST
@login_required
def evidence_delete(request, pk: int, evidence_id: int):
    assessment = get_assessment_for(request.user, pk)
    _editable_or_403(request, assessment)
    evidence = get_object_or_404(
        Evidence.objects.select_related("item__criterion"),
        pk=evidence_id,
        item__assessment=assessment,
    )
    try:
        still = services.evidence_delete(actor=request.user, evidence=evidence)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        if still:
            messages.success(
                request,
                _("The file was removed from criterion %(code)s; it still proves %(others)s.")
                % {"code": evidence.item.criterion.code, "others": ", ".join(still)},
            )
        else:
            messages.success(request, _("The evidence file was removed."))
    show = _shown_filter(request.POST.get("show"))
    return redirect(_page_url(assessment, show, f"item-{evidence.item.criterion_id}"))


@require_GET
@login_required
def evidence_download(request, evidence_id: int):
    evidence = Evidence.objects.select_related("item__assessment").filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    get_assessment_for(request.user, evidence.item.assessment_id)
    return protected_download(evidence.file, evidence.original_name)


# --- transitions ---------------------------------------------------------------


@require_POST
@login_required
def assessment_submit(request, pk: int):
    """Submit; refused while criteria are unscored or lack evidence, and then
    the page shows only those criteria, each named with a link to its row."""
    assessment = get_assessment_for(request.user, pk)
    require(request.user, "blocs.submit_assessment", assessment)
    try:
        services.assessment_submit(actor=request.user, assessment=assessment)
    except services.IncompleteAssessment as exc:
        messages.error(request, refusal_text(exc))
        return redirect(_page_url(assessment, "incomplete", "submit-refusal"))
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("The self-assessment was submitted to the bloc secretariat."))
    return redirect("blocs:assessment_detail", pk=assessment.pk)


def _with_reason(request, pk, service, done_message):
    assessment = get_assessment_for(request.user, pk)
    require(request.user, "blocs.return_assessment", assessment)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
        return redirect("blocs:assessment_detail", pk=assessment.pk)
    try:
        service(actor=request.user, assessment=assessment, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, done_message)
    return redirect("blocs:assessment_detail", pk=assessment.pk)


@require_POST
@login_required
def assessment_return(request, pk: int):
    return _with_reason(
        request,
        pk,
        services.assessment_return,
        _("The self-assessment was returned to the agency."),
    )


@require_POST
@login_required
def assessment_remind(request, pk: int):
    """The secretariat's "remind" button on the overview: once a day per agency."""
    assessment = get_assessment_for(request.user, pk)
    require(request.user, "blocs.remind_agency", assessment)
    bloc_year = assessment.membership.bloc_year
    try:
        sent = services.assessment_remind(
            actor=request.user, assessment=assessment, today=today_in_vietnam()
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        name = assessment.membership.agency.name
        if sent is None:
            messages.error(
                request,
                _("%(agency)s was already reminded today; you can remind it again tomorrow.")
                % {"agency": name},
            )
        else:
            messages.success(request, _("%(agency)s was reminded.") % {"agency": name})
    return redirect("blocs:assessment_overview", pk=bloc_year.pk)


@require_POST
@login_required
def assessment_reopen(request, pk: int):
    return _with_reason(
        request,
        pk,
        services.assessment_reopen,
        _("The self-assessment was reopened for the agency."),
    )


@require_POST
@login_required
def delegation_grant(request, pk: int):
    assessment = get_assessment_for(request.user, pk)
    require(request.user, "blocs.delegate_submission", assessment)
    form = DelegationForm(
        request.POST, agency=assessment.membership.agency, exclude_user=request.user
    )
    if form.is_valid():
        try:
            services.delegation_grant(
                actor=request.user, assessment=assessment, delegate=form.cleaned_data["delegate"]
            )
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(
                request,
                _("%(name)s may now submit the self-assessment.")
                % {"name": form.cleaned_data["delegate"].get_full_name()},
            )
    else:
        messages.error(request, _("Choose a person of your agency."))
    return redirect("blocs:assessment_detail", pk=assessment.pk)


@require_POST
@login_required
def delegation_revoke(request, pk: int):
    """The head withdraws a person's delegation to submit."""
    assessment = get_assessment_for(request.user, pk)
    require(request.user, "blocs.delegate_submission", assessment)
    form = DelegationRevokeForm(request.POST, agency=assessment.membership.agency)
    if form.is_valid():
        delegate = form.cleaned_data["delegate"]
        try:
            services.delegation_revoke(actor=request.user, assessment=assessment, delegate=delegate)
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(
                request,
                _("%(name)s may no longer submit the self-assessment.")
                % {"name": delegate.get_full_name()},
            )
    else:
        messages.error(request, _("Choose a person who may submit."))
    return redirect("blocs:assessment_detail", pk=assessment.pk)
