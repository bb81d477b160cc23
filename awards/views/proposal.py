"""The bloc's proposal to the council and the council's work on it:
fetch + authorise in one helper (404 can't see, 403 can't do), a form
validates, a service writes, redirect with a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards.enums import (
    PROPOSAL_EDITABLE_STATES,
    PROPOSAL_PENDING_STATES,
    ItemDecision,
    ProposalState,
)
from awards.forms.proposal import DecisionForm, DecisionScanForm, ProposalForm, ReturnForm
from awards.government_flag import FLAG, chosen_for_flag
from awards.models import ProposalItem
from awards.selectors.council_numbers import council_thresholds
from awards.selectors.proposal import (
    decision_of,
    documents_of,
    get_proposal_for,
    items_of,
    proposal_of,
)
from awards.services import (
    decision_record,
    proposal_create,
    proposal_item_remove,
    proposal_items_decide,
    proposal_receive,
    proposal_refresh,
    proposal_return,
    proposal_submit,
    proposal_update,
)
from awards.services.decision import decision_scan_attach
from awards.services.proposal import elected_results
from blocs.enums import DeadlineStep
from blocs.selectors import get_bloc_year_for
from blocs.selectors.deadlines import deadline_for
from emulation.enums import DocumentKind
from emulation.refusals import refusal_text, require
from emulation.uploads import protected_download


def _proposal_for(user, pk: int, *, council: bool = False, secretariat: bool = False):
    """The proposal (404 if the user cannot see it), and the role the action
    needs (403 otherwise)."""
    proposal = get_proposal_for(user, pk)
    if council:
        require(user, "awards.decide_proposal", proposal)
    if secretariat:
        require(user, "awards.prepare_proposal", proposal)
    return proposal


@require_http_methods(["GET", "POST"])
@login_required
def proposal_start(request, pk: int):
    """The secretariat prepares the proposal from the published results;
    the other members see what will be proposed."""
    bloc_year = get_bloc_year_for(request.user, pk)
    existing = proposal_of(bloc_year)
    if existing is not None:
        return redirect("awards:proposal_detail", pk=existing.pk)
    may_prepare = request.user.has_perm("awards.prepare_proposal", bloc_year)
    if request.method == "POST" and not may_prepare:
        raise PermissionDenied
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = proposal_create(
                actor=request.user,
                bloc_year=bloc_year,
                number=form.cleaned_data["number"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, refusal_text(error))
        else:
            messages.success(
                request,
                _("The proposal is prepared with %(count)s items. Check it, then submit it.")
                % {"count": proposal.items.count()},
            )
            return redirect("awards:proposal_detail", pk=proposal.pk)
    return render(
        request,
        "awards/proposal/start.html",
        {
            "bloc_year": bloc_year,
            "form": form,
            "results": elected_results(bloc_year),
            "can_prepare": may_prepare,
            "deadline": deadline_for(bloc_year, DeadlineStep.PROPOSAL),
        },
    )


@require_GET
@login_required
def proposal_detail(request, pk: int):
    return _detail_page(request, get_proposal_for(request.user, pk))


def _detail_page(request, proposal, *, items=None, decision_form=None, status: int = 200):
    """The proposal's page; after a refused decision, with the council's form
    as it was sent and its errors."""
    bloc_year = proposal.bloc_year
    is_secretariat = request.user.has_perm("awards.prepare_proposal", bloc_year)
    is_council = request.user.has_perm("awards.decide_proposal", bloc_year)
    editable = proposal.state in PROPOSAL_EDITABLE_STATES
    items = items_of(proposal) if items is None else items
    flag_chosen = (
        chosen_for_flag(province_id=bloc_year.bloc.province_id, year=bloc_year.year.year) or set()
        if is_council and any(i.award_type.code == FLAG for i in items)
        else set()
    )
    # Each form is built only where the page shows it: the decision's (which
    # reads the council's thresholds) only for a received proposal.
    if decision_form is None and is_council and proposal.state == ProposalState.RECEIVED:
        decision_form = _decision_form(proposal, items)
    submissions = proposal.submission_count
    return render(
        request,
        "awards/proposal/detail.html",
        {
            "flag_code": FLAG,
            "flag_chosen": flag_chosen,
            "proposal": proposal,
            "bloc_year": bloc_year,
            "items": items,
            "prize_total": _prize_total(items),
            "documents": documents_of(proposal),
            "decision": decision_of(proposal),
            "can_edit": is_secretariat and editable,
            "can_council": is_council,
            "deadline": deadline_for(bloc_year, DeadlineStep.PROPOSAL),
            "submissions": ngettext("%(n)s time", "%(n)s times", submissions) % {"n": submissions},
            "form": ProposalForm(initial={"number": proposal.number, "note": proposal.note})
            if is_secretariat and editable
            else None,
            # The council returns a proposal waiting for it.
            "return_form": ReturnForm()
            if is_council and proposal.state in PROPOSAL_PENDING_STATES
            else None,
            "decision_form": decision_form,
            # A label is read from its enum (``Model.get_FOO_display()``
            # translates every choice of the field to find one).
            "States": ProposalState,
            "Decisions": ItemDecision,
            "DocumentKinds": DocumentKind,
        },
        status=status,
    )


@require_POST
@login_required
def proposal_edit(request, pk: int):
    proposal = _proposal_for(request.user, pk, secretariat=True)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the number and the note."))
        return redirect("awards:proposal_detail", pk=proposal.pk)
    try:
        proposal_update(
            actor=request.user,
            proposal=proposal,
            number=form.cleaned_data["number"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("The proposal is saved."))
    return redirect("awards:proposal_detail", pk=proposal.pk)


@require_POST
@login_required
def proposal_refresh_view(request, pk: int):
    proposal = _proposal_for(request.user, pk, secretariat=True)
    try:
        proposal_refresh(actor=request.user, proposal=proposal)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(
            request, _("The items and documents are brought up to date with the results.")
        )
    return redirect("awards:proposal_detail", pk=proposal.pk)


@require_POST
@login_required
def proposal_item_remove_view(request, pk: int, item_pk: int):
    proposal = _proposal_for(request.user, pk, secretariat=True)
    item = ProposalItem.objects.filter(proposal=proposal, pk=item_pk).first()
    if item is None:
        raise Http404
    try:
        proposal_item_remove(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("The item is left out of the proposal."))
    return redirect("awards:proposal_detail", pk=proposal.pk)


@require_POST
@login_required
def proposal_submit_view(request, pk: int):
    proposal = _proposal_for(request.user, pk, secretariat=True)
    try:
        proposal_submit(actor=request.user, proposal=proposal)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("The proposal is sent to the council."))
    return redirect("awards:proposal_detail", pk=proposal.pk)


@require_POST
@login_required
def proposal_receive_view(request, pk: int):
    proposal = _proposal_for(request.user, pk, council=True)
    try:
        proposal_receive(actor=request.user, proposal=proposal)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("The proposal is received; approve its items."))
    return redirect("awards:proposal_detail", pk=proposal.pk)


@require_POST
@login_required
def proposal_return_view(request, pk: int):
    proposal = _proposal_for(request.user, pk, council=True)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("reason", [])))
        return redirect("awards:proposal_detail", pk=proposal.pk)
    try:
        proposal_return(actor=request.user, proposal=proposal, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("The proposal is returned to the bloc with your reason."))
    return redirect("awards:proposal_detail", pk=proposal.pk)


@require_POST
@login_required
def proposal_approve_view(request, pk: int):
    """Approve item by item: the ticked items are approved, the others not."""
    proposal = _proposal_for(request.user, pk, council=True)
    try:
        approved = {int(v) for v in request.POST.getlist("approved")}
    except ValueError:
        approved = None
    if approved is None:
        messages.error(request, _("Some chosen items are not part of this proposal."))
        return redirect("awards:proposal_detail", pk=proposal.pk)
    notes = {}
    for key, value in request.POST.items():
        if key.startswith("note-") and key[5:].isdigit():
            notes[int(key[5:])] = value
    try:
        proposal_items_decide(
            actor=request.user, proposal=proposal, approved_ids=approved, notes=notes
        )
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(
            request,
            _("Saved: %(approved)s of %(total)s items approved.")
            % {"approved": len(approved), "total": proposal.items.count()},
        )
    return redirect("awards:proposal_detail", pk=proposal.pk)


@require_POST
@login_required
def decision_create(request, pk: int):
    proposal = _proposal_for(request.user, pk, council=True)
    items = items_of(proposal)
    form = _decision_form(proposal, items, request.POST, request.FILES)
    if form.is_valid():
        try:
            decision = decision_record(
                actor=request.user,
                proposal=proposal,
                number=form.cleaned_data["number"],
                date=form.cleaned_data["date"],
                signer=form.cleaned_data["signer"],
                scanned_file=form.cleaned_data.get("scanned_file"),
                council_members=form.cleaned_data.get("council_members"),
                council_votes=form.council_votes(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Decision %(number)s is recorded; the approved awards are in the history.")
                % {"number": decision.number},
            )
            return redirect("awards:proposal_detail", pk=proposal.pk)
    messages.error(request, _("The decision is not recorded; see the marked fields."))
    return _detail_page(request, proposal, items=items, decision_form=form, status=400)


def _decision_form(proposal, items, *args):
    """The decision's form, with the council's vote for each item and the
    thresholds in force today as a guide (the service checks them on the
    decision's date)."""
    thresholds = council_thresholds(
        province_id=proposal.bloc_year.bloc.province_id, day=timezone.localdate()
    )
    return DecisionForm(*args, items=items, thresholds=thresholds)


def _prize_total(items) -> int | None:
    amounts = [i.prize_amount for i in items if i.prize_amount is not None]
    return sum(amounts) if amounts else None


@require_POST
@login_required
def decision_scan_upload(request, pk: int):
    """The council attaches the scan of a decision recorded without it."""
    proposal = _proposal_for(request.user, pk, council=True)
    decision = decision_of(proposal)
    if decision is None:
        raise Http404
    form = DecisionScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            decision_scan_attach(
                actor=request.user,
                decision=decision,
                scanned_file=form.cleaned_data["scanned_file"],
            )
        except ValidationError as error:
            messages.error(request, refusal_text(error))
        else:
            messages.success(request, _("The scanned decision is attached."))
    else:
        messages.error(request, refusal_text(form))
    return redirect("awards:proposal_detail", pk=proposal.pk)


@require_GET
@login_required
def decision_scan(request, pk: int):
    """The scanned decision, for whoever sees the proposal."""
    proposal = get_proposal_for(request.user, pk)
    decision = decision_of(proposal)
    if decision is None or not decision.scanned_file:
        raise Http404
    return protected_download(decision.scanned_file, decision.scanned_name, inline=True)
