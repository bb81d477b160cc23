"""Scoring-table pages for council staff: list, edit while not frozen, copy,
Excel export and import (preview, row errors, all or nothing)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blocs import scoring_math
from blocs.forms.scoring import CopyForm, CriterionForm, GroupForm, ImportForm, TableForm
from blocs.importers import scoring_table as importer
from blocs.models import Bloc, Criterion, CriterionGroup, EmulationYear
from blocs.selectors.scoring import get_table_for, table_structure, tables_visible_to
from blocs.services import scoring as services
from emulation.excel import workbook_response
from emulation.refusals import refusal_text, require_council
from emulation.rules import sees_all_provinces


def _years_and_blocs(user):
    years = EmulationYear.objects.all()
    blocs = Bloc.objects.filter(is_active=True)
    if not sees_all_provinces(user):
        years = years.filter(province_id=user.province_id)
        blocs = blocs.filter(province_id=user.province_id)
    return years.order_by("-year"), blocs.order_by("name")


@require_GET
@login_required
def table_list(request):
    require_council(request.user)
    years, blocs = _years_and_blocs(request.user)
    tables = tables_visible_to(request.user).order_by("-year__year", "bloc__name", "-version")
    return render(
        request,
        "blocs/scoring/list.html",
        {
            "tables": tables,
            "form": TableForm(years=years, blocs=blocs),
            "import_form": ImportForm(years=years, blocs=blocs),
        },
    )


@require_POST
@login_required
def table_create(request):
    require_council(request.user)
    years, blocs = _years_and_blocs(request.user)
    form = TableForm(request.POST, years=years, blocs=blocs)
    if not form.is_valid():
        messages.error(request, _("Check the year, bloc and name of the table."))
        return redirect("blocs:scoring_table_list")
    table = services.scoring_table_create(
        actor=request.user,
        year=form.cleaned_data["year"],
        bloc=form.cleaned_data["bloc"],
        name=form.cleaned_data["name"],
    )
    messages.success(request, _("The scoring table was created; add its groups and criteria."))
    return redirect("blocs:scoring_table_detail", pk=table.pk)


def _detail_context(request, table, **extra):
    groups, criteria = table_structure(table)
    years, _blocs = _years_and_blocs(request.user)
    context = {
        "table": table,
        "groups": groups,
        "criteria_count": len(criteria),
        # What an assessment on this table is scored out of (deductions are
        # taken off it, not added to it): the figure its total reads against.
        "maxima": scoring_math.compute_totals(groups, criteria, {}),
        "group_form": GroupForm(initial={"order": len(groups) + 1}),
        "criterion_form": CriterionForm(),
        "copy_form": CopyForm(years=years, initial={"year": table.year_id}),
    }
    context.update(extra)
    return context


@require_GET
@login_required
def table_detail(request, pk: int):
    require_council(request.user)
    table = get_table_for(request.user, pk)
    return render(request, "blocs/scoring/detail.html", _detail_context(request, table))


@require_POST
@login_required
def table_copy(request, pk: int):
    require_council(request.user)
    table = get_table_for(request.user, pk)
    years, _blocs = _years_and_blocs(request.user)
    form = CopyForm(request.POST, years=years)
    if not form.is_valid():
        messages.error(request, _("Choose the year to copy the table to."))
        return redirect("blocs:scoring_table_detail", pk=table.pk)
    try:
        copy = services.scoring_table_copy(
            actor=request.user,
            table=table,
            year=form.cleaned_data["year"],
            name=form.cleaned_data["name"],
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
        return redirect("blocs:scoring_table_detail", pk=table.pk)
    messages.success(
        request,
        _("Copied as version %(version)s for %(year)s.")
        % {"version": copy.version, "year": copy.year.year},
    )
    return redirect("blocs:scoring_table_detail", pk=copy.pk)


@require_GET
@login_required
def table_export(request, pk: int):
    require_council(request.user)
    table = get_table_for(request.user, pk)
    headers, rows = importer.export_rows(table)
    filename = f"bang-cham-diem-{table.year.year}-v{table.version}.xlsx"
    return workbook_response(filename, headers, rows, title=str(table.year.year))


@require_http_methods(["GET", "POST"])
@login_required
def table_import(request):
    require_council(request.user)
    years, blocs = _years_and_blocs(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, years=years, blocs=blocs)
    result = table = None
    if request.method == "POST" and form.is_valid():
        try:
            result, table = importer.import_table(
                form.cleaned_data["file"],
                actor=request.user,
                year=form.cleaned_data["year"],
                bloc=form.cleaned_data["bloc"],
                dry_run=not form.cleaned_data["confirm"],
            )
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        if table is not None:
            messages.success(
                request,
                _("Imported %(count)s criteria into %(table)s.")
                % {"count": result.written, "table": table},
            )
            return redirect("blocs:scoring_table_detail", pk=table.pk)
    return render(request, "blocs/scoring/import.html", {"form": form, "result": result})


def _group_for(request, pk):
    require_council(request.user)
    group = CriterionGroup.objects.select_related("table").filter(pk=pk).first()
    if group is None:
        raise Http404
    get_table_for(request.user, group.table_id)
    return group


def _criterion_for(request, pk):
    require_council(request.user)
    criterion = Criterion.objects.select_related("table", "group").filter(pk=pk).first()
    if criterion is None:
        raise Http404
    get_table_for(request.user, criterion.table_id)
    return criterion


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_POST
@login_required
def group_create(request, pk: int):
    require_council(request.user)
    table = get_table_for(request.user, pk)
    form = GroupForm(request.POST)
    if form.is_valid():
        try:
            services.criterion_group_create(actor=request.user, table=table, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The group was added."))
            return redirect("blocs:scoring_table_detail", pk=table.pk)
    return render(
        request, "blocs/scoring/detail.html", _detail_context(request, table, group_form=form)
    )


@require_http_methods(["GET", "POST"])
@login_required
def group_edit(request, pk: int):
    group = _group_for(request, pk)
    form = GroupForm(
        request.POST or None,
        initial={"order": group.order, "name": group.name, "max_points": group.max_points},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_group_update(actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The group was saved."))
            return redirect("blocs:scoring_table_detail", pk=group.table_id)
    return render(
        request,
        "blocs/scoring/edit.html",
        {"form": form, "table": group.table, "title": _("Edit group")},
    )


@require_POST
@login_required
def group_delete(request, pk: int):
    group = _group_for(request, pk)
    try:
        services.criterion_group_delete(actor=request.user, group=group)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("The group and its criteria were deleted."))
    return redirect("blocs:scoring_table_detail", pk=group.table_id)


@require_http_methods(["GET", "POST"])
@login_required
def criterion_create(request, pk: int):
    group = _group_for(request, pk)
    form = CriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_create(actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The criterion was added."))
            return redirect("blocs:scoring_table_detail", pk=group.table_id)
    return render(
        request,
        "blocs/scoring/edit.html",
        {
            "form": form,
            "table": group.table,
            "title": _("New criterion in %(group)s") % {"group": group.name},
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def criterion_edit(request, pk: int):
    criterion = _criterion_for(request, pk)
    initial = {name: getattr(criterion, name) for name in services.CRITERION_FIELDS}
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_update(actor=request.user, criterion=criterion, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The criterion was saved."))
            return redirect("blocs:scoring_table_detail", pk=criterion.table_id)
    return render(
        request,
        "blocs/scoring/edit.html",
        {
            "form": form,
            "table": criterion.table,
            "title": _("Edit criterion %(code)s") % {"code": criterion.code},
        },
    )


@require_POST
@login_required
def criterion_delete(request, pk: int):
    criterion = _criterion_for(request, pk)
    try:
        services.criterion_delete(actor=request.user, criterion=criterion)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("The criterion was deleted."))
    return redirect("blocs:scoring_table_detail", pk=criterion.table_id)
