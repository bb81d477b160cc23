"""Forms of the accounts pages (council staff manage their agencies' users)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from blocs.models import Agency
from emulation.enums import AgencyRole
from emulation.selectors import COUNCIL_ROLE


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False
    )
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Every role")), *AgencyRole.choices, (COUNCIL_ROLE, _("Council staff"))],
    )
    active = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Active or not")), ("1", _("Active")), ("0", _("Deactivated"))],
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        active = {"1": True, "0": False}.get(data["active"])
        return {
            "search": data["q"].strip(),
            "agency_id": data["agency"].pk if data["agency"] else None,
            "role": data["role"],
            "active": active,
        }


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=150)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    agency_role = forms.ChoiceField(label=_("Role"), choices=AgencyRole.choices)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class AccountActiveForm(forms.Form):
    active = forms.TypedChoiceField(
        choices=[("1", _("Active")), ("0", _("Deactivated"))], coerce=lambda v: v == "1"
    )


class AccountRoleForm(forms.Form):
    agency_role = forms.ChoiceField(label=_("Role"), choices=AgencyRole.choices)
