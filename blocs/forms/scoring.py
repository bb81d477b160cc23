"""Forms of the scoring-table pages (council staff)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from blocs.enums import CriterionKind
from blocs.models import Bloc, EmulationYear


class TableForm(forms.Form):
    year = forms.ModelChoiceField(label=_("Year"), queryset=EmulationYear.objects.none())
    bloc = forms.ModelChoiceField(
        label=_("Bloc"),
        queryset=Bloc.objects.none(),
        required=False,
        empty_label=_("— province default —"),
    )
    name = forms.CharField(label=_("Name"), max_length=255)

    def __init__(self, *args, years, blocs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = years
        self.fields["bloc"].queryset = blocs


class CopyForm(forms.Form):
    year = forms.ModelChoiceField(label=_("To year"), queryset=EmulationYear.objects.none())
    name = forms.CharField(label=_("Name of the copy"), max_length=255, required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = years


class ImportForm(forms.Form):
    year = forms.ModelChoiceField(label=_("Year"), queryset=EmulationYear.objects.none())
    bloc = forms.ModelChoiceField(
        label=_("Bloc"),
        queryset=Bloc.objects.none(),
        required=False,
        empty_label=_("— province default —"),
    )
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    confirm = forms.BooleanField(label=_("Write the table if every row is valid"), required=False)

    def __init__(self, *args, years, blocs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = years
        self.fields["bloc"].queryset = blocs


class GroupForm(forms.Form):
    order = forms.IntegerField(label=_("No."), min_value=0, max_value=999)
    name = forms.CharField(label=_("Group"), max_length=255)
    max_points = forms.DecimalField(
        label=_("Maximum points"), min_value=Decimal("0.01"), max_digits=6, decimal_places=2
    )


class CriterionForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    text = forms.CharField(label=_("Criterion"), widget=forms.Textarea(attrs={"rows": 2}))
    max_points = forms.DecimalField(
        label=_("Maximum points"), min_value=Decimal("0.01"), max_digits=6, decimal_places=2
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CriterionKind.choices)
    step = forms.DecimalField(
        label=_("Step"),
        min_value=Decimal("0.01"),
        max_digits=4,
        decimal_places=2,
        initial=Decimal("0.25"),
    )
    evidence_required = forms.BooleanField(label=_("Evidence required"), required=False)
    na_allowed = forms.BooleanField(label=_("May be not applicable"), required=False)
    guidance = forms.CharField(
        label=_("Guidance"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)
