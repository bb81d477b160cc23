"""Forms of the self-assessment pages. The autosave posts one field of one
criterion at a time; its form cleans the typed text into the values the
service takes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from blocs import scoring_math
from blocs.models import Criterion
from blocs.services.assessment import ITEM_FIELDS, NOTE_MAX_LENGTH, ItemValue
from emulation.models import User

# Only a tampered or outdated page sends a bad field name or version.
_RELOAD = _("A change could not be saved (connection or permission problem). Reload the page.")


class ItemSaveForm(forms.Form):
    """One autosaved field of one criterion: the score as a Decimal within the
    criterion's bounds and step (or None when cleared), “not applicable” as a
    bool, the note as stripped text."""

    field = forms.ChoiceField(
        choices=[(f, f) for f in ITEM_FIELDS],
        error_messages={"required": _RELOAD, "invalid_choice": _RELOAD},
    )
    version = forms.IntegerField(
        min_value=0, error_messages={"required": _RELOAD, "invalid": _RELOAD, "min_value": _RELOAD}
    )
    # Only the field named by ``field`` is read; the others are ignored.
    score = forms.CharField(required=False)
    not_applicable = forms.BooleanField(required=False)
    note = forms.CharField(required=False)

    def __init__(self, *args, criterion: Criterion, **kwargs):
        super().__init__(*args, **kwargs)
        self.criterion = criterion

    def _saving(self, name: str) -> bool:
        return self.cleaned_data.get("field") == name

    def clean_note(self):
        note = self.cleaned_data["note"]
        if self._saving("note") and len(note) > NOTE_MAX_LENGTH:
            raise forms.ValidationError(_("The note is too long (at most 5000 characters)."))
        return note

    def clean_score(self):
        raw = self.cleaned_data["score"]
        if raw == "" or not self._saving("score"):
            return None
        try:
            value = scoring_math.parse_score(raw)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None
        c = self.criterion
        error = scoring_math.score_error(value, kind=c.kind, max_points=c.max_points, step=c.step)
        if error:
            raise forms.ValidationError(error, code="invalid")
        return value

    @property
    def row_errors(self) -> list[str]:
        """Errors that belong to no input of the row (a bad field name or version)."""
        return [e for name in ("__all__", "field", "version") for e in self.errors.get(name, [])]

    @property
    def value(self) -> ItemValue:
        """The cleaned value of the field this save is about."""
        return self.cleaned_data[self.cleaned_data["field"]]


class ReportSaveForm(forms.Form):
    """The autosaved narrative report: its text, and the version it was typed over."""

    report = forms.CharField(required=False)
    report_version = forms.IntegerField(
        min_value=0, error_messages={"required": _RELOAD, "invalid": _RELOAD, "min_value": _RELOAD}
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Give the reason.")},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files chosen at once; cleans to a list of files."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(d, initial) for d in data] if data else [one(None, initial)]
        return [one(data, initial)]


class EvidenceForm(forms.Form):
    """An upload from the page's dialog: one or several files, for the row's
    criterion and any others the person ticks (the file is stored once)."""

    file = MultipleFileField(
        label=_("Evidence files"),
        help_text=_("PDF, DOCX, XLSX, JPG or PNG; several files may be chosen at once."),
        error_messages={"required": _("Choose a file.")},
    )
    criteria = forms.ModelMultipleChoiceField(
        queryset=Criterion.objects.none(),
        required=False,
        error_messages={"invalid_choice": _RELOAD, "invalid_pk_value": _RELOAD},
    )
    # The filter the page was showing, kept across the upload.
    show = forms.CharField(required=False)

    def __init__(self, *args, table=None, **kwargs):
        super().__init__(*args, **kwargs)
        if table is not None:
            self.fields["criteria"].queryset = Criterion.objects.filter(table=table)


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


class DelegationRevokeForm(forms.Form):
    """A person of the agency whose delegation the head withdraws (the
    service refuses one who has none)."""

    delegate = forms.ModelChoiceField(label=_("Delegate"), queryset=User.objects.none())

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = User.objects.filter(agency=agency)
