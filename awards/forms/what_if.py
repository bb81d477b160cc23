"""The what-if form: a hypothetical agency's facts, the same fields as the
input of ``check_eligibility``; or that input pasted as JSON."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from awards.enums import TaskRating

AWARD_CODES = ("co_chinh_phu", "co_tinh", "tt_ldxs", "tt_ldtt", "bk_ttg", "bk_ubnd")
RATING_YEARS = 5  # the year under review and the four before it
AWARD_YEARS = 5  # the five years before the year under review
CASE_KINDS = (
    ("", pgettext_lazy("case kind", "None")),
    ("discipline", _("Discipline being considered")),
    ("investigation", _("Investigation")),
    ("inspection", _("Inspection")),
    ("examination", _("Examination")),
    ("complaint", _("Complaint")),
    ("denunciation", _("Denunciation")),
    ("press", _("Press reports being verified")),
)
STAFF = (
    ("total", _("People")),
    ("completed", _("Completed their tasks")),
    ("ldtt", _("Lao động tiên tiến")),
    ("cstdcs", _("Chiến sĩ thi đua cơ sở")),
    ("disciplined", _("Disciplined at warning or above")),
    ("women", _("Women")),
)


def _rating_label(n: int):
    if n == 0:
        return _("Rating in the year under review")
    return ngettext_lazy("Rating %(n)s year before", "Rating %(n)s years before", "n") % {"n": n}


def _awards_label(n: int):
    return ngettext_lazy("Awards %(n)s year before", "Awards %(n)s years before", "n") % {"n": n}


class WhatIfForm(forms.Form):
    province = forms.ChoiceField(label=_("Province"))
    considered_on = forms.DateField(
        label=_("Date of consideration"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The conference or the council's meeting: it chooses the legal basis."),
    )
    year = forms.IntegerField(label=_("Year of the achievement"), min_value=2000, max_value=2100)
    bloc_members = forms.IntegerField(
        label=_("Members of the bloc"), required=False, min_value=1, max_value=200
    )
    rank = forms.IntegerField(label=_("Rank in the bloc"), required=False, min_value=1)
    led_bloc = forms.BooleanField(label=_("Led the bloc"), required=False)
    registered = forms.MultipleChoiceField(
        label=_("Registered for"), required=False, widget=forms.CheckboxSelectMultiple
    )
    movement_outstanding = forms.BooleanField(
        label=_("Outstanding in an emulation movement"), required=False
    )
    one_off = forms.BooleanField(label=_("A one-off achievement"), required=False)
    case_kind = forms.ChoiceField(label=_("Case"), choices=CASE_KINDS, required=False)
    case_opened_on = forms.DateField(
        label=_("Opened on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    case_closed_on = forms.DateField(
        label=_("Concluded on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    case_signs_of_violation = forms.BooleanField(label=_("Signs of violation"), required=False)
    case_violation_found = forms.BooleanField(label=_("Violation found"), required=False)
    discipline_start = forms.DateField(
        label=_("Discipline imposed from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    discipline_end = forms.DateField(
        label=_("until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    dissolved_on = forms.DateField(
        label=_("Dissolved on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    cases_json = forms.CharField(
        label=_("Or paste the cases as JSON (as for check_eligibility)"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )

    def __init__(self, *args, provinces=(), award_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [(p.code, p.name) for p in provinces]
        self.fields["registered"].choices = list(award_choices)
        ratings = [("", "—"), *TaskRating.choices]
        for n in range(RATING_YEARS):
            self.fields[f"rating_{n}"] = forms.ChoiceField(
                label=_rating_label(n), choices=ratings, required=False
            )
        for n in range(1, AWARD_YEARS + 1):
            self.fields[f"awards_{n}"] = forms.MultipleChoiceField(
                label=_awards_label(n),
                choices=list(award_choices),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        for key, label in STAFF:
            self.fields[f"staff_{key}"] = forms.IntegerField(
                label=label, required=False, min_value=0, max_value=100_000
            )
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
                continue
            widget.attrs.setdefault(
                "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
            )

    def rating_fields(self):
        return [self[f"rating_{n}"] for n in range(RATING_YEARS)]

    def award_fields(self):
        return [self[f"awards_{n}"] for n in range(1, AWARD_YEARS + 1)]

    def staff_fields(self):
        return [self[f"staff_{key}"] for key, _label in STAFF]

    def clean_cases_json(self):
        text = self.cleaned_data["cases_json"].strip()
        if not text:
            return None
        try:
            data = json.loads(text)
        except ValueError as error:
            raise ValidationError(_("Not valid JSON: %(error)s") % {"error": error}) from None
        if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
            raise ValidationError(_("The JSON must be an object with a list “cases”."))
        return data

    def to_input(self) -> dict:
        """The input of ``check_eligibility``: the pasted JSON, or one case
        built from the fields (absent facts left out)."""
        data = self.cleaned_data
        if data.get("cases_json"):
            return data["cases_json"]
        year = data["year"]
        agency: dict = {}
        ratings = {
            str(year - n): data[f"rating_{n}"]
            for n in range(RATING_YEARS)
            if data.get(f"rating_{n}")
        }
        if ratings:
            agency["ratings"] = ratings
        awards = [
            {"year": year - n, "award": code}
            for n in range(1, AWARD_YEARS + 1)
            for code in data.get(f"awards_{n}") or []
        ]
        if awards:
            agency["awards"] = awards
        if data.get("rank") is not None:
            agency["rank"] = data["rank"]
        if data.get("led_bloc"):
            agency["led_bloc"] = True
        if data.get("registered"):
            agency["registered"] = list(data["registered"])
        staff = {
            key: data[f"staff_{key}"]
            for key, _label in STAFF
            if data.get(f"staff_{key}") is not None
        }
        if staff:
            agency["staff"] = staff
        if data.get("case_kind") and data.get("case_opened_on"):
            case = {
                "kind": data["case_kind"],
                "opened_on": data["case_opened_on"].isoformat(),
                "signs_of_violation": bool(data.get("case_signs_of_violation")),
                "violation_found": bool(data.get("case_violation_found")),
            }
            if data.get("case_closed_on"):
                case["closed_on"] = data["case_closed_on"].isoformat()
            agency["cases"] = [case]
        if data.get("discipline_start") and data.get("discipline_end"):
            agency["discipline"] = [
                {
                    "start": data["discipline_start"].isoformat(),
                    "end": data["discipline_end"].isoformat(),
                }
            ]
        if data.get("movement_outstanding"):
            agency["movement_outstanding"] = True
        if data.get("one_off"):
            agency["one_off"] = True
        if data.get("dissolved_on"):
            agency["dissolved_on"] = data["dissolved_on"].isoformat()
        case = {
            "id": "1",
            "considered_on": data["considered_on"].isoformat(),
            "year": year,
            "agency": agency,
        }
        if data.get("bloc_members"):
            case["bloc_members"] = data["bloc_members"]
        return {"province": data["province"], "cases": [case]}

    def clean(self):
        data = super().clean()
        if data.get("cases_json"):
            # The pasted cases stand on their own: the fields are not needed.
            for name in ("province", "considered_on", "year"):
                self.errors.pop(name, None)
        return data
