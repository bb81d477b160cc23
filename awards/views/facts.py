import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from awards.enums import DisqualificationKind
from awards.forms.facts import FactRowForm, ImportForm
from awards.importers.facts import import_facts
from awards.importers.history import import_history
from awards.models import AgencyYearFact, Disqualification
from awards.services import agency_facts_save, disqualification_add, disqualification_close
from blocs.selectors import get_bloc_year_for
from emulation.refusals import refusal_text, require


def _council_bloc_year(user, pk: int):
    """Fetch a bloc-year the user may see (404), and require council staff (403)."""
    bloc_year = get_bloc_year_for(user, pk)
    require(user, "awards.enter_facts", bloc_year)
    return bloc_year


def _grid_context(bloc_year, forms=None):
    year = bloc_year.year.year
    memberships = list(
        bloc_year.memberships.select_related("agency").order_by("rotation_order", "agency__name")
    )
    facts, previous = {}, {}
    for f in AgencyYearFact.objects.filter(
        agency_id__in=[m.agency_id for m in memberships], year__in=[year, year - 1]
    ):
        (facts if f.year == year else previous)[f.agency_id] = f
    if forms is None:
        forms = {}
        for m in memberships:
            fact = facts.get(m.agency_id)
            initial = (
                {
                    name: getattr(fact, name)
                    for name in (
                        "rating",
                        "women_percent",
                        "source_document",
                        *FactRowForm.STAFF,
                        *FactRowForm.ACHIEVEMENTS,
                    )
                }
                if fact
                else {}
            )
            forms[m.pk] = FactRowForm(prefix=f"m{m.pk}", initial=initial)
    disqualifications = list(
        Disqualification.objects.filter(
            agency_id__in=[m.agency_id for m in memberships], year=year
        ).select_related("agency")
    )
    return {
        "bloc_year": bloc_year,
        "rows": [(m, forms[m.pk], previous.get(m.agency_id)) for m in memberships],
        "previous_year": year - 1,
        "disqualifications": disqualifications,
        "kinds": DisqualificationKind.choices,
        "import_form": ImportForm(),
    }


@require_http_methods(["GET", "POST"])
@login_required
def facts_grid(request, pk: int):
    """Council staff enter the members' ratings and women share for the year."""
    bloc_year = _council_bloc_year(request.user, pk)
    if request.method == "POST":
        memberships = list(bloc_year.memberships.select_related("agency"))
        forms = {m.pk: FactRowForm(request.POST, prefix=f"m{m.pk}") for m in memberships}
        if all(f.is_valid() for f in forms.values()):
            rows = [
                {"agency": m.agency, **forms[m.pk].cleaned_data}
                for m in memberships
                if forms[m.pk].has_changed() or forms[m.pk].cleaned_data.get("rating")
            ]
            try:
                count = agency_facts_save(
                    actor=request.user, year=bloc_year.year.year, rows=rows, source="grid"
                )
            except ValidationError as error:
                messages.error(request, refusal_text(error))
            else:
                messages.success(
                    request, _("Saved: %(count)s agencies' facts changed.") % {"count": count}
                )
                return redirect("awards:facts_grid", pk=bloc_year.pk)
        else:
            messages.error(request, _("Some values are not valid; see the marked rows."))
        return render(
            request, "awards/facts/grid.html", _grid_context(bloc_year, forms), status=200
        )
    return render(request, "awards/facts/grid.html", _grid_context(bloc_year))


@require_POST
@login_required
def disqualification_create(request, pk: int):
    bloc_year = _council_bloc_year(request.user, pk)
    membership = (
        bloc_year.memberships.select_related("agency")
        .filter(pk=request.POST.get("membership") or 0)
        .first()
    )
    if membership is None:
        messages.error(request, _("Choose a member of the bloc."))
        return redirect("awards:facts_grid", pk=bloc_year.pk)
    try:
        started_on = datetime.date.fromisoformat(request.POST.get("started_on", ""))
    except ValueError:
        messages.error(request, _("Enter the start date."))
        return redirect("awards:facts_grid", pk=bloc_year.pk)
    try:
        ended_on = (
            datetime.date.fromisoformat(request.POST["ended_on"])
            if request.POST.get("ended_on")
            else None
        )
    except ValueError:
        messages.error(request, _("Enter the end date."))
        return redirect("awards:facts_grid", pk=bloc_year.pk)
    try:
        disqualification_add(
            actor=request.user,
            agency=membership.agency,
            year=bloc_year.year.year,
            kind=request.POST.get("kind", ""),
            source_document=request.POST.get("source_document", ""),
            started_on=started_on,
            ended_on=ended_on,
            description=request.POST.get("description", "")[:500],
            signs_of_violation=request.POST.get("signs_of_violation") == "on",
        )
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("The disqualifying fact has been recorded."))
    return redirect("awards:facts_grid", pk=bloc_year.pk)


@require_POST
@login_required
def disqualification_end(request, pk: int, item: int):
    """Close a disqualifying fact (resolved, ended) from the given date."""
    bloc_year = _council_bloc_year(request.user, pk)
    disqualification = Disqualification.objects.filter(
        pk=item,
        year=bloc_year.year.year,
        agency__memberships__bloc_year=bloc_year,
    ).first()
    if disqualification is None:
        raise Http404
    try:
        ended_on = datetime.date.fromisoformat(request.POST.get("ended_on", ""))
    except ValueError:
        messages.error(request, _("Enter the end date."))
        return redirect("awards:facts_grid", pk=bloc_year.pk)
    try:
        disqualification_close(
            actor=request.user,
            disqualification=disqualification,
            ended_on=ended_on,
            violation_found=request.POST.get("violation_found") == "yes",
        )
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("The disqualifying fact has been closed."))
    return redirect("awards:facts_grid", pk=bloc_year.pk)


@require_http_methods(["GET", "POST"])
@login_required
def facts_import(request, pk: int):
    """Import the year's facts from Excel: preview, row errors, all or nothing."""
    bloc_year = _council_bloc_year(request.user, pk)
    preview = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        write = "import" in request.POST
        preview = import_facts(
            actor=request.user,
            file=form.cleaned_data["file"],
            year=bloc_year.year.year,
            province=bloc_year.bloc.province,
            write=write,
        )
        if preview.written or (write and preview.ok):
            messages.success(
                request,
                _("Imported: %(count)s agencies' facts changed.") % {"count": preview.written},
            )
            return redirect("awards:facts_grid", pk=bloc_year.pk)
        if write:
            messages.error(
                request, _("Nothing was imported: correct the rows below and try again.")
            )
    return render(
        request,
        "awards/facts/import.html",
        {
            "bloc_year": bloc_year,
            "form": form,
            "preview": preview,
            "title": _("Import the members' facts"),
            "columns": [
                "Mã cơ quan",
                "Xếp loại",
                "Tỷ lệ nữ (%)",
                "Văn bản căn cứ",
                "Số người",
                "Hoàn thành nhiệm vụ",
                "Lao động tiên tiến",
                "Chiến sĩ thi đua cơ sở",
                "Bị kỷ luật từ cảnh cáo",
                "Số nữ",
                "Tiêu biểu phong trào",
                "Thành tích đột xuất",
                "Đóng góp cho tỉnh",
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def history_import(request):
    """Council staff import earlier years' award decisions for their province."""
    user = request.user
    require(user, "awards.import_history")
    preview = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        write = "import" in request.POST
        preview = import_history(
            actor=user, file=form.cleaned_data["file"], province=user.province, write=write
        )
        if write and preview.ok and preview.written:
            messages.success(
                request,
                _("Imported: %(count)s awards added to the history.") % {"count": preview.written},
            )
            return redirect("awards:history_import")
        if write:
            messages.error(
                request, _("Nothing was imported: correct the rows below and try again.")
            )
    return render(
        request,
        "awards/facts/import.html",
        {
            "form": form,
            "preview": preview,
            "title": _("Import award history"),
            "columns": [
                "Mã cơ quan",
                "Mã danh hiệu",
                "Năm",
                "Số quyết định",
                "Ngày quyết định",
                "Người ký",
                "Đột xuất/chuyên đề",
            ],
        },
    )
