"""Forms for movements, the covenant, registrations and progress reports.
Forms validate input; the services write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from blocs.enums import MovementLauncher
from blocs.services.registration import MOVEMENT_DOCUMENT_KINDS, SCAN_KINDS
from emulation.forms import ModelMultipleChoiceField
from emulation.uploads import validate_upload

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MovementForm(forms.Form):
    title = forms.CharField(label=_("Title of the movement"), max_length=300)
    launched_by = forms.ChoiceField(label=_("Launched by"), choices=MovementLauncher.choices)
    launch_document = forms.CharField(
        label=_("Launching document"),
        max_length=200,
        required=False,
        help_text=_("Number and date of the directive or plan, e.g. Chỉ thị số 10/CT-TTg."),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE_WIDGET)
    anniversary = forms.CharField(
        label=_("Anniversary aimed at"),
        max_length=300,
        required=False,
        help_text=_("E.g. the 70th anniversary of the Điện Biên Phủ victory (1954–2024)."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    document = forms.FileField(
        label=_("Document (PDF or DOCX)"),
        required=False,
        help_text=_("The launching directive or plan."),
    )
    is_active = forms.BooleanField(label=_("Active (can be taken up)"), required=False)

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            validate_upload(document, allowed=MOVEMENT_DOCUMENT_KINDS)
        return document

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return data


class TakeUpForm(forms.Form):
    movement = forms.ModelChoiceField(label=_("Movement"), queryset=None)
    note = forms.CharField(label=_("How the bloc takes it up"), max_length=500, required=False)

    def __init__(self, *args, movements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["movement"].queryset = movements


class CovenantForm(forms.Form):
    number = forms.CharField(
        label=_("Number"), max_length=60, required=False, help_text=_("E.g. 01/GƯTĐ-KTĐ")
    )
    signed_on = forms.DateField(label=_("Signing date"), widget=DATE_WIDGET)
    place = forms.CharField(label=_("Place"), max_length=100)
    content = forms.CharField(
        label=_("Content"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("One paragraph per line; a line in capitals is a heading."),
    )


class ScanForm(forms.Form):
    scan = forms.FileField(
        label=_("Signed scan (PDF, JPG or PNG)"),
    )

    def clean_scan(self):
        scan = self.cleaned_data["scan"]
        validate_upload(scan, allowed=SCAN_KINDS)
        return scan


class TargetForm(forms.Form):
    indicator = forms.CharField(label=_("Indicator"), max_length=300)
    unit = forms.CharField(label=_("Unit"), max_length=50)
    target_value = forms.DecimalField(
        label=_("Target value"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        localize=True,
    )


class AwardTypesForm(forms.Form):
    award_types = ModelMultipleChoiceField(
        label=_("Titles and forms of commendation aimed for"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, award_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_types"].queryset = award_types


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), max_length=500)


class ProgressForm(forms.Form):
    """One value and one comment per target, named value_<id> and comment_<id>."""

    def __init__(self, *args, achievements, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for row in achievements:
            current = row.mid_year if period == "mid_year" else row.year_end
            pk = row.target.pk
            self.fields[f"value_{pk}"] = forms.DecimalField(
                label=row.target.indicator,
                max_digits=14,
                decimal_places=2,
                min_value=Decimal("0"),
                required=False,
                localize=True,
                initial=current.value if current else None,
            )
            self.fields[f"comment_{pk}"] = forms.CharField(
                label=_("Comment"),
                max_length=500,
                required=False,
                # The table's header names the column; a screen reader needs the row too.
                widget=forms.TextInput(
                    attrs={
                        "aria-label": _("Comment: %(indicator)s")
                        % {"indicator": row.target.indicator}
                    }
                ),
                initial=current.comment if current else "",
            )
            self.rows.append((row, self[f"value_{pk}"], self[f"comment_{pk}"]))

    def clean(self):
        data = super().clean()
        if not self.errors and all(
            data.get(name) is None for name in self.fields if name.startswith("value_")
        ):
            raise ValidationError(_("Enter the value achieved for at least one target."))
        return data

    def values(self) -> dict[int, tuple[Decimal | None, str]]:
        result = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("value_"):
                pk = int(name.removeprefix("value_"))
                result[pk] = (value, self.cleaned_data.get(f"comment_{pk}", ""))
        return result
