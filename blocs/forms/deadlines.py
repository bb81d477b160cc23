"""The council's form to give a bloc-year, or one agency in it, more time."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from blocs.enums import DeadlineStep
from blocs.forms.organisation import DATE_WIDGET
from blocs.models import Membership


class DeadlineExtensionForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=DeadlineStep.choices)
    membership = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("The whole bloc"),
        help_text=_("Leave empty to extend the deadline for every member of the bloc."),
    )
    deadline = forms.DateField(label=_("New deadline"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = memberships
        self.fields["membership"].label_from_instance = lambda m: m.agency.name
        for name, field in self.fields.items():
            selects = name in ("step", "membership")
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if selects else "form-control form-control-sm"
            )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)
