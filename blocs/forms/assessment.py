"""Forms of the self-assessment pages (the autosave posts one field at a time
and is validated by the service)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from emulation.models import User


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Give the reason.")},
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file"),
        help_text=_("PDF, DOCX, XLSX, JPG or PNG."),
        error_messages={"required": _("Choose a file.")},
    )


class DelegationForm(forms.Form):
    delegate = forms.ModelChoiceField(
        label=_("Person allowed to submit"), queryset=User.objects.none()
    )

    def __init__(self, *args, agency, exclude_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = User.objects.filter(agency=agency, is_active=True).order_by("full_name")
        if exclude_user is not None:
            qs = qs.exclude(pk=exclude_user.pk)
        self.fields["delegate"].queryset = qs
        self.fields["delegate"].label_from_instance = lambda u: u.get_full_name()
