"""Poll pages: settings and candidates, open/close/publish, the phone-friendly
ballot, paper counts, results, overrides, run-offs and the receipt check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards.documents.ballots import (
    ballot_sheet,
    ballots_filename,
    render_ballots,
    voters_entitled,
)
from awards.enums import PollMode, PollState, ResultStatus
from awards.forms.voting import (
    BallotForm,
    BallotPrintForm,
    CandidateAddForm,
    OverrideForm,
    PaperCountForm,
    PollSettingsForm,
    ReasonForm,
    ReceiptCheckForm,
)
from awards.models import PaperCount, Poll, PollCandidate, Result
from awards.rules import votes_held_by
from awards.selectors.voting import (
    active_candidates,
    all_candidates,
    get_poll_for,
    get_poll_for_ballot,
    receipts_of,
    results_of,
    voted_agency_ids,
    voted_count,
)
from awards.services import voting as services
from emulation.documents.responses import document_response
from emulation.refusals import refusal_text, require


def poll_for(user, pk: int, *, manage: bool = False) -> Poll:
    """Fetch and authorise: 404 if the user cannot see the bloc-year, 403 if
    ``manage`` and the user is not in its secretariat."""
    poll = get_poll_for(user, pk)
    if manage:
        require(user, "awards.run_conference", poll)
    return poll


def _context(poll: Poll, user) -> dict:
    return {
        "poll": poll,
        "meeting": poll.meeting,
        "bloc_year": poll.meeting.bloc_year,
        "can_manage": user.has_perm("awards.run_conference", poll),
        "states": PollState,
    }


def _pending_agencies(user, poll: Poll, agencies: list | None = None) -> list:
    """The agencies this user still has to cast a ballot for (``agencies``:
    those they vote for, when the caller has them already)."""
    if poll.state != PollState.OPEN or poll.mode != PollMode.ONLINE:
        return []
    if agencies is None:
        agencies = votes_held_by(user, poll.meeting)
    if not agencies:
        return []
    voted = voted_agency_ids(poll)
    return [a for a in agencies if a.pk not in voted]


@require_GET
@login_required
def poll_detail(request, pk: int):
    poll = poll_for(request.user, pk)
    context = _context(poll, request.user)
    show_results = request.user.has_perm("awards.see_results", poll)
    results = results_of(poll) if show_results else None
    context.update(
        candidates=all_candidates(poll),
        voted=voted_count(poll),
        results=results,
        show_results=show_results,
        pending=_pending_agencies(request.user, poll),
        may_vote=request.user.has_perm("awards.cast_ballot", poll),
        is_counter=request.user.has_perm("awards.count_paper_ballots", poll),
        paper_counts=(
            list(PaperCount.objects.filter(poll=poll).select_related("counter"))
            if poll.mode == PollMode.PAPER and context["can_manage"]
            else []
        ),
        runoffs=list(poll.runoffs.exclude(state=PollState.CANCELLED)),
        ballots_needed=services.ballots_needed(poll),
        # Before publication the secretariat may record the meeting's own
        # decision on a candidate; the rows are listed by name, not by result.
        overridable=(
            sorted(results_of(poll), key=lambda r: r.candidate.membership.agency.name)
            if context["can_manage"] and poll.state == PollState.CLOSED
            else []
        ),
        has_tie=bool(results)
        and any(r.status == ResultStatus.TIE and not r.overridden for r in results),
    )
    if context["can_manage"] and poll.state == PollState.DRAFT:
        context["settings_form"] = PollSettingsForm(
            initial={
                "mode": poll.mode,
                "quota": poll.quota,
                "threshold_percent": poll.threshold_percent,
                "threshold_base": poll.threshold_base,
            }
        )
        context["candidate_form"] = CandidateAddForm(poll=poll)
    if context["can_manage"] and poll.state != PollState.CANCELLED:
        context["ballot_print_form"] = BallotPrintForm(initial={"count": voters_entitled(poll)})
    return render(request, "awards/poll/detail.html", context)


@require_GET
@login_required
def poll_progress(request, pk: int):
    """ "k of n have voted" — the only figure anybody sees while a poll is open."""
    poll = poll_for(request.user, pk)
    response = render(
        request, "awards/poll/_progress.html", {"poll": poll, "voted": voted_count(poll)}
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def poll_settings(request, pk: int):
    poll = poll_for(request.user, pk, manage=True)
    form = PollSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.poll_update(actor=request.user, poll=poll, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, _("The poll's settings have been saved."))
    else:
        messages.error(request, _("Check the quota (at least 1) and the threshold (1–100%)."))
    return redirect("awards:poll_detail", pk=poll.pk)


@require_POST
@login_required
def candidate_add(request, pk: int):
    poll = poll_for(request.user, pk, manage=True)
    form = CandidateAddForm(request.POST, poll=poll)
    if form.is_valid():
        try:
            services.candidate_add(actor=request.user, poll=poll, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, _("The candidate has been added to the ballot."))
    else:
        messages.error(request, _("Choose a member and give the reason for adding it."))
    return redirect("awards:poll_detail", pk=poll.pk)


@require_POST
@login_required
def candidate_remove(request, pk: int, candidate_pk: int):
    poll = poll_for(request.user, pk, manage=True)
    candidate = get_object_or_404(PollCandidate, pk=candidate_pk, poll=poll)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.candidate_remove(
                actor=request.user, candidate=candidate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, _("The candidate has been removed from the ballot."))
    else:
        messages.error(request, _("Give the reason for removing this candidate."))
    return redirect("awards:poll_detail", pk=poll.pk)


def _poll_step(request, pk: int, service, success: str):
    poll = poll_for(request.user, pk, manage=True)
    try:
        service(actor=request.user, poll=poll)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, success)
    if request.POST.get("next") == "screen":
        return redirect("awards:meeting_screen", pk=poll.meeting_id)
    return redirect("awards:poll_detail", pk=poll.pk)


@require_POST
@login_required
def poll_open(request, pk: int):
    return _poll_step(request, pk, services.poll_open, _("Voting is open."))


@require_POST
@login_required
def poll_close(request, pk: int):
    return _poll_step(request, pk, services.poll_close, _("Voting is closed."))


@require_POST
@login_required
def poll_publish(request, pk: int):
    return _poll_step(request, pk, services.poll_publish, _("The results have been published."))


@require_POST
@login_required
def poll_cancel(request, pk: int):
    """Cancel the poll instead of closing or publishing it, with the reason."""
    poll = poll_for(request.user, pk, manage=True)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for cancelling the poll."))
        return redirect("awards:poll_detail", pk=poll.pk)
    try:
        services.poll_cancel(actor=request.user, poll=poll, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request, _("The poll has been cancelled; a new poll may be prepared for the award.")
        )
    return redirect("awards:poll_detail", pk=poll.pk)


@require_POST
@login_required
def poll_runoff(request, pk: int):
    poll = poll_for(request.user, pk, manage=True)
    try:
        runoff = services.poll_create_runoff(actor=request.user, poll=poll)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
        return redirect("awards:poll_detail", pk=poll.pk)
    messages.success(request, _("A run-off among the tied candidates has been prepared."))
    return redirect("awards:poll_detail", pk=runoff.pk)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def poll_vote(request, pk: int):
    """The ballot, on a phone. Only the heads of present agencies (and of
    proxy holders) may open it; after casting, the receipt code is shown once,
    in the response to the POST, and stored nowhere that names the voter."""
    poll = get_poll_for_ballot(request.user, pk)
    context = {"poll": poll, "meeting": poll.meeting, "bloc_year": poll.meeting.bloc_year}
    refusals = []
    if request.method == "POST":
        form = BallotForm(request.POST, poll=poll)
        if form.is_valid():
            try:
                # Whether this head casts that agency's ballot is the service's
                # check, under the poll's lock: 403 if not.
                cast = services.ballot_cast(
                    actor=request.user,
                    poll=poll,
                    agency_id=form.cleaned_data["agency"],
                    candidate_ids=form.cleaned_data["candidates"],
                )
            except ValidationError as exc:
                refusals.append(refusal_text(exc))
            except OperationalError:
                # The database stayed busy with other ballots beyond its wait:
                # nothing was written; the head sends the ballot again.
                refusals.append(
                    _(
                        "The system is busy with other ballots and yours was not "
                        "recorded. Please send it again in a moment."
                    )
                )
            else:
                others = [a for a in cast.held if a.pk != cast.agency.pk]
                context.update(
                    receipt=cast.receipt,
                    agency=cast.agency,
                    pending=_pending_agencies(request.user, poll, others),
                )
                return render(request, "awards/poll/receipt.html", context)
        else:
            refusals = [error for errors in form.errors.values() for error in errors]
    # The ballot page, after a refusal too, is only for a head who holds a
    # vote: 403 before any message is queued (it would show on the next page).
    require(request.user, "awards.cast_ballot", poll)
    for text in refusals:
        messages.error(request, text)
    agencies = votes_held_by(request.user, poll.meeting)
    pending = _pending_agencies(request.user, poll, agencies)
    # The candidates are listed on the ballots still to cast, if any.
    context.update(pending=pending, candidates=active_candidates(poll) if pending else [])
    return render(request, "awards/poll/vote.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def paper_count(request, pk: int):
    poll = poll_for(request.user, pk)
    require(request.user, "awards.count_paper_ballots", poll)
    if poll.mode != PollMode.PAPER:
        raise Http404
    candidates = active_candidates(poll)
    mine = (
        PaperCount.objects.filter(poll=poll, counter=request.user).prefetch_related("lines").first()
    )
    initial = {}
    if mine:
        initial = {
            "ballots_total": mine.ballots_total,
            "ballots_blank": mine.ballots_blank,
            "ballots_invalid": mine.ballots_invalid,
            **{f"votes_{line.candidate_id}": line.votes for line in mine.lines.all()},
        }
    form = PaperCountForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.paper_count_enter(
                actor=request.user,
                poll=poll,
                ballots_total=data["ballots_total"],
                ballots_blank=data["ballots_blank"],
                ballots_invalid=data["ballots_invalid"],
                votes=form.votes(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if Result.objects.filter(poll=poll).exists():
                messages.success(request, _("Both counts agree: the results stand."))
            else:
                messages.warning(
                    request,
                    _("Your count is recorded. The results stand once two counts agree."),
                )
            return redirect("awards:poll_detail", pk=poll.pk)
    context = _context(poll, request.user)
    context.update(form=form, candidates=candidates)
    return render(request, "awards/poll/count.html", context)


@require_POST
@login_required
def result_override(request, pk: int, result_pk: int):
    poll = poll_for(request.user, pk, manage=True)
    result = get_object_or_404(Result, pk=result_pk, poll=poll)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.result_override(actor=request.user, result=result, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, _("The override has been recorded with its reason."))
    else:
        messages.error(request, _("An override needs a recorded reason."))
    return redirect("awards:poll_detail", pk=poll.pk)


@require_GET
@login_required
def poll_ballots(request, pk: int):
    """The poll's paper ballots as one PDF, all alike, one per voter entitled
    unless the secretariat asks for another number."""
    poll = poll_for(request.user, pk, manage=True)
    form = BallotPrintForm(request.GET or {"count": voters_entitled(poll)})
    if not form.is_valid():
        messages.error(request, refusal_text(form))
        return redirect("awards:poll_detail", pk=poll.pk)
    data = render_ballots(ballot_sheet(poll), form.cleaned_data["count"])
    return document_response(data, fmt="pdf", filename=ballots_filename(poll))


@require_http_methods(["GET", "POST"])
@login_required
def poll_receipts(request, pk: int):
    """After publication: the receipt codes of the counted ballots, sorted,
    and a check of one code (posted, never in the address)."""
    poll = poll_for(request.user, pk)
    require(request.user, "awards.check_receipts", poll)
    form = ReceiptCheckForm(request.POST if request.method == "POST" else None)
    context = _context(poll, request.user)
    context.update(
        receipts=receipts_of(poll),
        form=form,
        query=form.cleaned_data["q"] if form.is_valid() else "",
    )
    return render(request, "awards/poll/receipts.html", context)
