from django import forms
from django.utils.translation import gettext_lazy as _

from awards.enums import TaskRating


class FactRowForm(forms.Form):
    """One member's row of the facts grid."""

    rating = forms.ChoiceField(
        label=_("Task-completion rating"),
        choices=[("", "—"), *TaskRating.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    women_percent = forms.DecimalField(
        label=_("Women staff (%)"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.01"}),
    )
    source_document = forms.CharField(
        label=_("Source document"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )
