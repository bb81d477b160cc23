"""Forms of the core app."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.utils.translation import gettext_lazy as _

from emulation.enums import NotificationKind


class LoginLockLiftForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)


class EmailChoicesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Also send me an e-mail for"),
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
    )


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, with a chosen key beyond the database's integer range
    refused as an invalid choice: SQLite cannot even compare such a number,
    and the page would answer with a server error."""

    def _check_values(self, value):
        key = self.queryset.model._meta.pk
        if not self.to_field_name and isinstance(key, models.IntegerField | models.AutoField):
            ops = connections[self.queryset.db].ops
            low, high = ops.integer_field_range(key.get_internal_type())
            for choice in value:
                try:
                    number = int(str(choice))
                except ValueError:
                    continue  # Django's own check reports it
                if not low <= number <= high:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": choice},
                    )
        return super()._check_values(value)


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
        error_messages={"required": _("Enter the code.")},
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()


class SetPasswordForm(forms.Form):
    """The invited user's new password, twice (the service applies Django's
    password validators)."""

    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Enter a password.")},
    )
    password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Enter the password again.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") != data.get("password1"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data
