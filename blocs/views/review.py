"""Pages of the review: the bloc-year's review (settings, assignment,
progress, release, lock), the side-by-side sheet of one assessment with the
verified scores, disputes and their resolution, and evidence downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blocs import services
from blocs.enums import AssessmentState, DeadlineStep, MemberRole, ReviewMode
from blocs.forms.review import (
    AssignmentChangeForm,
    DisputeForm,
    DisputeResolveForm,
    ReviewScoresForm,
    ReviewSettingsForm,
    UnlockForm,
)
from blocs.models import CriterionGroup, DisputeEvidence, Evidence, ReviewAssignment
from blocs.selectors import get_bloc_year_for
from blocs.selectors.deadlines import deadline_for
from blocs.selectors.review import (
    can_dispute,
    get_assessment_for_review,
    get_dispute_for,
    review_of,
    review_sheet,
    stage_for,
)
from blocs.selectors.review import (
    review_overview as overview_rows,
)
from blocs.selectors.scoring import scoring_table_for
from emulation.refusals import refusal_text, require
from emulation.uploads import protected_download


def _bloc_year_for_secretariat(request, pk):
    """Fetch (404 if it cannot be seen) and authorise (403 unless secretariat)."""
    bloc_year = get_bloc_year_for(request.user, pk)
    require(request.user, "blocs.run_review", bloc_year)
    return bloc_year


def _overview_url(bloc_year) -> str:
    return reverse("blocs:review_overview", args=[bloc_year.pk])


def _next_step(review, bloc_year, is_secretariat: bool, deadline=None) -> str:
    if review is None or review.started_at is None:
        if is_secretariat:
            return _(
                "Choose the review mode (and generate the cross-scoring assignment), "
                "then start the review."
            )
        return _("The secretariat has not started the review yet.")
    if review.released_at is None:
        if is_secretariat:
            return _("Verify every submitted self-assessment, then release the review.")
        return _("Verify the self-assessments assigned to your agency, if any.")
    if review.locked_at is None:
        if is_secretariat:
            return _("Resolve the disputes, then lock the final scores.")
        if deadline:
            return _("Check your adjustments; you may dispute an item until %(date)s.") % {
                "date": deadline.strftime("%d/%m/%Y")
            }
        return _("Check your adjustments; you may dispute an item.")
    if review.published_at is None:
        return (
            _("Publish the ranking to the members.")
            if is_secretariat
            else _("The scores are locked; the ranking will be published soon.")
        )
    return _("The ranking is published.")


@require_GET
@login_required
def review_overview(request, pk: int):
    bloc_year = get_bloc_year_for(request.user, pk)
    review = review_of(bloc_year)
    is_secretariat = request.user.has_perm("blocs.run_review", bloc_year)
    rows = overview_rows(bloc_year)
    table = scoring_table_for(bloc_year)
    groups = CriterionGroup.objects.filter(table=table) if table else CriterionGroup.objects.none()
    my_rows = []
    if request.user.agency_id and review and review.started_at:
        my_rows = [
            r
            for r in rows
            if r.assignment and r.assignment.reviewer.agency_id == request.user.agency_id
        ]
    own = next((r for r in rows if r.membership.agency_id == request.user.agency_id), None)
    dispute_deadline = deadline_for(
        bloc_year, DeadlineStep.DISPUTES, own.membership if own else None
    )
    sees_all = request.user.has_perm("blocs.oversee_bloc_year", bloc_year)
    context = {
        "bloc_year": bloc_year,
        "review": review,
        "rows": rows if sees_all else [],
        "my_rows": my_rows,
        "own": own,
        "is_secretariat": is_secretariat,
        "can_unlock": request.user.has_perm("blocs.unlock_scores", bloc_year)
        and review
        and review.locked_at,
        "next_step": _next_step(review, bloc_year, is_secretariat, dispute_deadline.date),
        "settings_form": ReviewSettingsForm(
            groups=groups,
            initial={
                "mode": review.mode if review else ReviewMode.LEADER,
                "tie_break_group": review.tie_break_group_id if review else None,
            },
        ),
        "members": [r.membership for r in rows],
        "unlock_form": UnlockForm(),
        "verified_count": sum(
            1
            for r in rows
            if r.assessment
            and r.assessment.state in (AssessmentState.VERIFIED, AssessmentState.LOCKED)
        ),
        "open_disputes": sum(r.totals.open_disputes for r in rows if r.totals),
        "leader_role": MemberRole.LEADER,
        "dispute_deadline": dispute_deadline,
        "dispute_deadline_passed": dispute_deadline.passed(timezone.localdate()),
    }
    return render(request, "blocs/review/overview.html", context)


def _run(request, bloc_year, action, success: str):
    try:
        action()
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, success)
    return redirect(_overview_url(bloc_year))


@require_POST
@login_required
def review_settings(request, pk: int):
    bloc_year = _bloc_year_for_secretariat(request, pk)
    table = scoring_table_for(bloc_year)
    groups = CriterionGroup.objects.filter(table=table) if table else CriterionGroup.objects.none()
    form = ReviewSettingsForm(request.POST, groups=groups)
    if not form.is_valid():
        messages.error(
            request,
            _("Check the review settings: %(errors)s") % {"errors": refusal_text(form)},
        )
        return redirect(_overview_url(bloc_year))
    return _run(
        request,
        bloc_year,
        lambda: services.review_configure(
            actor=request.user,
            bloc_year=bloc_year,
            mode=form.cleaned_data["mode"],
            tie_break_group=form.cleaned_data["tie_break_group"],
        ),
        _("The review settings were saved."),
    )


@require_POST
@login_required
def review_assignment_generate(request, pk: int):
    bloc_year = _bloc_year_for_secretariat(request, pk)
    return _run(
        request,
        bloc_year,
        lambda: services.review_assignment_generate(actor=request.user, bloc_year=bloc_year),
        _("A new cross-scoring assignment was generated."),
    )


@require_POST
@login_required
def review_assignment_change(request, pk: int, assignment_pk: int):
    bloc_year = _bloc_year_for_secretariat(request, pk)
    assignment = ReviewAssignment.objects.filter(pk=assignment_pk, bloc_year=bloc_year).first()
    if assignment is None:
        raise Http404
    form = AssignmentChangeForm(request.POST, bloc_year=bloc_year)
    if not form.is_valid():
        messages.error(request, _("Choose a member of the bloc as reviewer."))
        return redirect(_overview_url(bloc_year))
    return _run(
        request,
        bloc_year,
        lambda: services.review_assignment_change(
            actor=request.user, assignment=assignment, reviewer=form.cleaned_data["reviewer"]
        ),
        _("The reviewer was changed."),
    )


def _simple_action(service, success):
    @require_POST
    @login_required
    def view(request, pk: int):
        bloc_year = _bloc_year_for_secretariat(request, pk)
        return _run(
            request, bloc_year, lambda: service(actor=request.user, bloc_year=bloc_year), success
        )

    return view


review_start = _simple_action(
    services.review_start, _("The review has started; the assignment is fixed.")
)
review_release = _simple_action(
    services.review_release,
    _("The review was released: each agency now sees its verified scores and adjustments."),
)
review_lock = _simple_action(services.review_lock, _("The final scores are locked and ranked."))
ranking_publish = _simple_action(
    services.ranking_publish, _("The ranking was published to the members.")
)


@require_POST
@login_required
def review_unlock(request, pk: int):
    bloc_year = get_bloc_year_for(request.user, pk)
    require(request.user, "blocs.unlock_scores", bloc_year)
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for unlocking the scores."))
        return redirect(_overview_url(bloc_year))
    return _run(
        request,
        bloc_year,
        lambda: services.review_unlock(
            actor=request.user, bloc_year=bloc_year, reason=form.cleaned_data["reason"]
        ),
        _("The scores were unlocked; the reason is recorded in the audit log."),
    )


# --- one assessment -----------------------------------------------------------


@require_POST
@login_required
def review_reopen(request, pk: int):
    """Undo a completed verification before the scores are released (with a reason)."""
    assessment, review = get_assessment_for_review(request.user, pk)
    require(request.user, "blocs.reopen_verification", assessment)
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for reopening the verification."))
        return redirect(reverse("blocs:review_assessment", args=[assessment.pk]))
    try:
        services.assessment_review_reopen(
            actor=request.user, assessment=assessment, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            _("The verification was reopened; the reason is recorded in the audit log."),
        )
    return redirect(reverse("blocs:review_assessment", args=[assessment.pk]))


@require_http_methods(["GET", "POST"])
@login_required
def review_assessment(request, pk: int):
    assessment, review = get_assessment_for_review(request.user, pk)
    bloc_year = assessment.membership.bloc_year
    stage = stage_for(request.user, assessment, review)
    sheet = review_sheet(assessment)
    form = None
    if stage is not None:
        initial = {}
        for row in sheet.rows:
            value = row.leader if stage == "leader" else row.cross
            if value is None and stage == "leader":
                value = row.cross
            if value is not None:
                initial[f"score_{row.criterion.pk}"] = str(value).replace(".", ",")
        form = ReviewScoresForm(request.POST or None, rows=sheet.rows, initial=initial)
        for row in form.rows:
            row.score_field = form[f"score_{row.criterion.pk}"]
            row.reason_field = form[f"reason_{row.criterion.pk}"]
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.assessment_review_save(
                    actor=request.user,
                    assessment=assessment,
                    stage=stage,
                    entries=form.cleaned_data["entries"],
                )
                if request.POST.get("action") == "complete":
                    services.assessment_review_complete(
                        actor=request.user, assessment=assessment, stage=stage
                    )
                    messages.success(request, _("The verification of this assessment is complete."))
                    return redirect(_overview_url(bloc_year))
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for key, errors in exc.message_dict.items():
                        for error in errors:
                            form.add_error(key if key in form.fields else None, error)
                else:
                    form.add_error(None, refusal_text(exc))
            else:
                messages.success(request, _("The verified scores were saved."))
                return redirect(reverse("blocs:review_assessment", args=[assessment.pk]))
        messages.error(request, _("Nothing was saved: correct the marked fields."))
    is_secretariat = request.user.has_perm("blocs.run_review", bloc_year)
    context = {
        "bloc_year": bloc_year,
        "assessment": assessment,
        "review": review,
        "sheet": sheet,
        "stage": stage,
        "form": form,
        "is_secretariat": is_secretariat,
        "can_dispute": can_dispute(request.user, assessment, review),
        "dispute_deadline": deadline_for(bloc_year, DeadlineStep.DISPUTES, assessment.membership),
        "can_resolve": is_secretariat and review and review.locked_at is None,
        "can_reopen": review is not None
        and request.user.has_perm("blocs.reopen_verification", assessment)
        and assessment.state == AssessmentState.VERIFIED
        and review.released_at is None,
        "resolve_form": DisputeResolveForm(),
        "shows_adjustments": bool(
            review
            and (
                review.released_at
                or request.user.has_perm("blocs.oversee_bloc_year", bloc_year)
                or stage
            )
        ),
    }
    # A refused form is shown again with its errors and everything typed kept.
    return render(request, "blocs/review/assessment.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def dispute_create(request, pk: int, criterion_pk: int):
    assessment, review = get_assessment_for_review(request.user, pk)
    if not can_dispute(request.user, assessment, review):
        raise PermissionDenied
    sheet = review_sheet(assessment)
    row = next((r for r in sheet.rows if r.criterion.pk == criterion_pk), None)
    if row is None:
        raise Http404
    form = DisputeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dispute_open(
                actor=request.user,
                assessment=assessment,
                criterion=row.criterion,
                explanation=form.cleaned_data["explanation"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "explanation" in exc.error_dict:
                form.add_error("explanation", exc.message_dict["explanation"][0])
            else:
                form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Your dispute was sent to the secretariat of the bloc."))
            return redirect(reverse("blocs:review_assessment", args=[assessment.pk]))
    return render(
        request,
        "blocs/review/dispute_form.html",
        {
            "bloc_year": assessment.membership.bloc_year,
            "assessment": assessment,
            "dispute_deadline": deadline_for(
                assessment.membership.bloc_year, DeadlineStep.DISPUTES, assessment.membership
            ),
            "row": row,
            "form": form,
        },
    )


@require_POST
@login_required
def dispute_resolve(request, pk: int):
    dispute = get_dispute_for(request.user, pk)
    assessment = dispute.item.assessment
    bloc_year = assessment.membership.bloc_year
    require(request.user, "blocs.run_review", bloc_year)
    back = reverse("blocs:review_assessment", args=[assessment.pk])
    form = DisputeResolveForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The dispute was not resolved: %(errors)s") % {"errors": refusal_text(form)},
        )
        return redirect(back)
    try:
        services.dispute_resolve(
            actor=request.user,
            dispute=dispute,
            accept=form.cleaned_data["decision"] == "accept",
            resolution=form.cleaned_data["resolution"],
            score=form.cleaned_data["score"],
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("The dispute was resolved."))
    return redirect(back)


@require_GET
@login_required
def review_evidence(request, pk: int):
    """Evidence of an assessment, for whoever may see its review (including the
    assigned cross-scorer, who otherwise could not see another member's files)."""
    evidence = Evidence.objects.select_related("item__assessment").filter(pk=pk).first()
    if evidence is None:
        raise Http404
    get_assessment_for_review(request.user, evidence.item.assessment_id)
    return protected_download(evidence.file, evidence.original_name)


@require_GET
@login_required
def dispute_evidence(request, pk: int):
    evidence = DisputeEvidence.objects.filter(pk=pk).first()
    if evidence is None:
        raise Http404
    get_dispute_for(request.user, evidence.dispute_id)
    return protected_download(evidence.file, evidence.original_name)
