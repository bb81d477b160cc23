from django import forms
from django.utils.translation import gettext_lazy as _

from awards.enums import TaskRating
from awards.services.facts import ACHIEVEMENT_FIELDS, STAFF_FIELDS


def _count(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": "0"}),
    )


def _evidence(label):
    return forms.CharField(
        label=label,
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class FactRowForm(forms.Form):
    """One member's row of the facts grid: rating, women share, the
    composition of its people (Law Art. 27, 28) and its achievements recorded
    with their evidence (Law Art. 73, 74)."""

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
    staff_total = _count(_("People"))
    staff_completed = _count(_("Completed their tasks"))
    staff_ldtt = _count(_("Lao động tiên tiến"))
    staff_cstdcs = _count(_("Chiến sĩ thi đua cơ sở"))
    staff_disciplined = _count(_("Disciplined (warning or above)"))
    staff_women = _count(_("Women"))
    movement_outstanding = _evidence(_("Outstanding in a movement (evidence)"))
    one_off = _evidence(_("One-off achievement (evidence)"))
    contribution = _evidence(_("Contribution to the province (evidence)"))

    STAFF = STAFF_FIELDS
    ACHIEVEMENTS = ACHIEVEMENT_FIELDS

    def clean(self):
        data = super().clean()
        total = data.get("staff_total")
        if total is not None:
            for name in self.STAFF[1:]:
                value = data.get(name)
                if value is not None and value > total:
                    self.add_error(
                        name,
                        _("%(value)s cannot exceed the number of people (%(total)s).")
                        % {"value": value, "total": total},
                    )
        return data

    def staff_fields(self):
        return [self[name] for name in self.STAFF]

    def achievement_fields(self):
        return [self[name] for name in self.ACHIEVEMENTS]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )
