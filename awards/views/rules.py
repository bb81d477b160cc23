from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from awards.forms.rules import AwardRuleForm, RuleSetCopyForm
from awards.models import AwardRule, AwardType
from awards.selectors import rule_sets_visible_to, rules_of
from awards.services import award_rule_set, rule_set_copy
from emulation.refusals import require, require_council


def _get_rule_set(user, pk: int):
    require_council(user)
    rule_set = rule_sets_visible_to(user).filter(pk=pk).first()
    if rule_set is None:
        raise Http404
    return rule_set


@require_GET
@login_required
def rule_set_list(request):
    require_council(request.user)
    rule_sets = rule_sets_visible_to(request.user).prefetch_related("rules__award_type")
    return render(request, "awards/rules/list.html", {"rule_sets": rule_sets})


@require_GET
@login_required
def rule_set_detail(request, pk: int):
    rule_set = _get_rule_set(request.user, pk)
    return render(
        request,
        "awards/rules/detail.html",
        {
            "rule_set": rule_set,
            "rules": rules_of(rule_set),
            "may_edit": request.user.has_perm("awards.edit_rules", rule_set),
            "missing": AwardType.objects.filter(for_collective=True, is_active=True).exclude(
                rules__rule_set=rule_set
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def award_rule_edit(request, pk: int, code: str):
    rule_set = _get_rule_set(request.user, pk)
    award_type = AwardType.objects.filter(code=code).first()
    if award_type is None:
        raise Http404
    require(request.user, "awards.edit_rules", rule_set)
    rule = AwardRule.objects.filter(rule_set=rule_set, award_type=award_type).first()
    form = AwardRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            award_rule_set(
                actor=request.user, rule_set=rule_set, award_type=award_type, **form.rule_values
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The rule for %(award)s has been saved.") % {"award": award_type.name}
            )
            return redirect("awards:rule_set_detail", pk=rule_set.pk)
    return render(
        request,
        "awards/rules/edit.html",
        {"rule_set": rule_set, "award_type": award_type, "form": form},
    )


@require_http_methods(["GET", "POST"])
@login_required
def rule_set_copy_view(request, pk: int):
    source = _get_rule_set(request.user, pk)
    require(request.user, "awards.copy_rule_set", source)
    into_province = None
    if not request.user.has_perm("awards.edit_rules", source):
        # A provincial council copies the national default into its own rule set.
        into_province = request.user.province
    form = RuleSetCopyForm(
        request.POST or None,
        initial={
            "first_year": source.first_year
            if into_province
            else (source.last_year or source.first_year) + 1,
            "last_year": source.last_year if into_province else None,
            "legal_basis": source.legal_basis if into_province else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = rule_set_copy(
                actor=request.user, source=source, province=into_province, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The rule set has been copied to “%(name)s”; adjust its rules.")
                % {"name": copy.name},
            )
            return redirect("awards:rule_set_detail", pk=copy.pk)
    return render(
        request,
        "awards/rules/copy.html",
        {"rule_set": source, "form": form, "into_province": into_province},
    )
