"""Forms of the review: settings, assignment, verified scores, disputes, unlock.
They validate input; the services in blocs/services/review.py write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from blocs import scoring_math
from blocs.enums import ReviewMode
from blocs.models import CriterionGroup, Membership


class ReviewSettingsForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Review mode"),
        choices=ReviewMode.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    tie_break_group = forms.ModelChoiceField(
        label=_("Tie-break group"),
        queryset=CriterionGroup.objects.none(),
        required=False,
        empty_label=_("(none)"),
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("On equal totals, the higher score in this group ranks first."),
    )

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["tie_break_group"].queryset = groups


class AssignmentChangeForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=Membership.objects.none())

    def __init__(self, *args, bloc_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bloc_year is not None:
            self.fields["reviewer"].queryset = Membership.objects.filter(bloc_year=bloc_year)


class ReviewScoresForm(forms.Form):
    """One score and one reason per criterion: ``score_<id>``, ``reason_<id>``."""

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = [r for r in rows if not r.not_applicable]
        for row in self.rows:
            c = row.criterion
            self.fields[f"score_{c.pk}"] = forms.CharField(
                label=_("Verified score of %(code)s") % {"code": c.code},
                required=False,
                max_length=10,
            )
            self.fields[f"reason_{c.pk}"] = forms.CharField(
                label=_("Reason for %(code)s") % {"code": c.code},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 1}),
            )

    def clean(self):
        data = super().clean()
        entries = {}
        for row in self.rows:
            c = row.criterion
            raw = (data.get(f"score_{c.pk}") or "").strip()
            if not raw:
                continue
            try:
                value = scoring_math.parse_score(raw)
            except ValueError as exc:
                self.add_error(f"score_{c.pk}", str(exc))
                continue
            entries[c.pk] = (value, data.get(f"reason_{c.pk}") or "")
        data["entries"] = entries
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class DisputeForm(forms.Form):
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        help_text=_("Why the verified score should change, citing your evidence."),
    )
    files = MultipleFileField(
        label=_("Additional evidence"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, JPG or PNG."),
    )


class DisputeResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the dispute")), ("reject", _("Reject the dispute"))],
        widget=forms.RadioSelect,
    )
    score = forms.CharField(
        label=_("Score after the dispute"),
        required=False,
        max_length=10,
        help_text=_("If accepted; empty: the agency's self score."),
    )
    resolution = forms.CharField(
        label=_("Reason for the decision"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def clean_score(self):
        raw = (self.cleaned_data.get("score") or "").strip()
        if not raw:
            return None
        try:
            return scoring_math.parse_score(raw)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for unlocking"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
