"""Forms of the core app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LoginLockLiftForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
