"""The council's province-wide choice for the Government's emulation flag."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class GovernmentFlagChoiceForm(forms.Form):
    considered_on = forms.DateField(
        label=_("Date of the council's consideration"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        help_text=_("The council's meeting: the legal basis and the cases are judged on it."),
    )
    source_document = forms.CharField(
        label=_("Source document"),
        max_length=255,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("E.g. the minutes of the council's meeting."),
    )
    memberships = forms.TypedMultipleChoiceField(
        label=_("Collectives chosen"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, leaders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["memberships"].choices = [
            (r.membership.pk, r.agency.display_name) for r in leaders
        ]
