import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from awards.enums import DisqualificationKind
from awards.models import AwardRule, AwardType
from awards.services.rules import validate_rule_values


class AwardRuleForm(forms.ModelForm):
    prerequisites_json = forms.CharField(
        label=_("Prerequisites (any of), as JSON"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}),
        help_text=_(
            'E.g. [{"type": "rating", "min_rating": "excellent", "years": 2}, '
            '{"type": "award", "award_type": "tt_ldxs", "years": 2, "end_offset": 1}]'
        ),
    )
    conditions_json = forms.CharField(
        label=_("Conditions (all of), as JSON"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
        help_text=_(
            'E.g. [{"type": "completed_share", "min_percent": 100}, '
            '{"type": "ldtt_share", "min_percent": 70}, {"type": "cstdcs_count", "min": 1}, '
            '{"type": "disciplined_max", "max": 0}, {"type": "led_bloc"}]'
        ),
    )
    excludes = forms.MultipleChoiceField(
        label=_("Not together with, for the same achievement (Law Art. 5)"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    options_json = forms.CharField(
        label=_("Options where the text is not settled, as JSON"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
        help_text=_(
            'E.g. {"earlier_award_within_window": {"value": false, "award_types": '
            '["bk_ubnd"], "note": "…"}}'
        ),
    )
    disqualifying = forms.MultipleChoiceField(
        label=_("Disqualifying facts"),
        choices=DisqualificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = AwardRule
        fields = (
            "quota_kind",
            "quota_count",
            "quota_percent",
            "quota_rounding",
            "quota_of",
            "threshold_percent",
            "threshold_base",
            "registration_required",
            "min_rank",
            "min_score",
            "members_only",
            "note",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quota_of"].queryset = AwardType.objects.filter(for_collective=True)
        self.fields["excludes"].choices = list(
            AwardType.objects.filter(for_collective=True).values_list("code", "name")
        )
        if self.instance and self.instance.pk:
            self.fields["prerequisites_json"].initial = json.dumps(
                self.instance.prerequisites, ensure_ascii=False
            )
            self.fields["conditions_json"].initial = json.dumps(
                self.instance.conditions, ensure_ascii=False
            )
            self.fields["options_json"].initial = json.dumps(
                self.instance.options, ensure_ascii=False
            )
            self.fields["excludes"].initial = self.instance.excludes
            self.fields["disqualifying"].initial = self.instance.disqualifying_kinds

    def _json(self, name: str, empty, message):
        """The field's JSON text as Python (``empty`` when left blank)."""
        text = (self.cleaned_data.get(name) or "").strip()
        if not text:
            return empty
        try:
            return json.loads(text)
        except ValueError as error:
            raise ValidationError(message) from error

    def clean_prerequisites_json(self):
        return self._json("prerequisites_json", [], _("The prerequisites are not valid JSON."))

    def clean_conditions_json(self):
        return self._json("conditions_json", [], _("The conditions are not valid JSON."))

    def clean_options_json(self):
        return self._json("options_json", {}, _("The options are not valid JSON."))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        values = {name: data.get(name) for name in self.Meta.fields}
        values["prerequisites"] = data.get("prerequisites_json", [])
        values["conditions"] = data.get("conditions_json", [])
        values["options"] = data.get("options_json", {})
        values["excludes"] = list(data.get("excludes") or [])
        values["disqualifying_kinds"] = list(data.get("disqualifying") or [])
        try:
            self.rule_values = validate_rule_values(values)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return data


class RuleSetCopyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=500)
    first_year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    last_year = forms.IntegerField(
        label=_("Last year"), min_value=2000, max_value=2100, required=False
    )
    valid_from = forms.DateField(
        label=_("Applies to considerations from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "The date of the conference or council meeting from which it applies; "
            "empty: chosen by the years above."
        ),
    )
    valid_until = forms.DateField(
        label=_("Applies to considerations until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
