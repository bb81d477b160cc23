"""Forms for agencies, blocs, years, bloc-years and memberships.

Forms validate input; the services write. Province fields are limited to the
provinces the user manages and hidden when there is only one.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from blocs.enums import BlocKind, LineageKind, MemberRole, Phase
from blocs.models import Agency, Bloc, EmulationYear, Province
from emulation.vocabulary import (
    CHOICE,
    DEDUCTION_STYLES,
    TERMS,
    default_text,
    validate_symbol,
    vocabulary_errors,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The year's dates, in the order of the cycle.
DEADLINE_NAMES = (
    "registration_deadline",
    "self_assessment_opens",
    "self_assessment_deadline",
    "review_deadline",
    "dispute_deadline",
    "proposal_deadline",
)


def _date_field(label):
    return forms.DateField(label=label, required=False, widget=DATE_WIDGET)


class ProvinceMixin:
    """Offer the provinces the user manages; hide the field when only one."""

    def setup_province(self, provinces):
        field = self.fields["province"]
        field.queryset = provinces
        only = list(provinces[:2])
        if len(only) == 1:
            field.initial = only[0].pk
            field.widget = forms.HiddenInput()


class AgencyForm(ProvinceMixin, forms.Form):
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.none())
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Short unique code in Latin letters, e.g. stc for Sở Tài chính."),
    )
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    active_from = _date_field(_("Active from"))
    active_to = _date_field(_("Active until"))

    def __init__(self, *args, provinces, agency: Agency | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.setup_province(provinces)
        if agency is not None:
            # The code and the province are the agency's identity: fixed once created.
            del self.fields["code"]
            del self.fields["province"]

    def clean_code(self):
        code = self.cleaned_data["code"].lower()
        if Agency.objects.filter(code=code).exists():
            raise forms.ValidationError(_("An agency with this code already exists."))
        return code

    def clean(self):
        data = super().clean()
        start, end = data.get("active_from"), data.get("active_to")
        if start and end and end < start:
            self.add_error("active_to", _("The end date cannot be before the start date."))
        return data


class LineageForm(forms.Form):
    successor = forms.ModelChoiceField(label=_("Successor agency"), queryset=Agency.objects.none())
    kind = forms.ChoiceField(label=_("Kind of change"), choices=LineageKind.choices)
    effective_date = forms.DateField(label=_("Effective date"), widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("Note"),
        max_length=255,
        required=False,
        help_text=_("E.g. the decision that merged or renamed the agency."),
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = Agency.objects.filter(
            province_id=agency.province_id
        ).exclude(pk=agency.pk)


class BlocForm(ProvinceMixin, forms.Form):
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.none())
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=255)
    abbreviation = forms.CharField(
        label=_("Abbreviation"),
        required=False,
        validators=[validate_symbol],
        help_text=Bloc._meta.get_field("abbreviation").help_text,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=BlocKind.choices, initial=BlocKind.BLOC)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, provinces, bloc: Bloc | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_province(provinces)
        if bloc is not None:
            del self.fields["code"]
            del self.fields["province"]
        else:
            del self.fields["is_active"]

    def clean_code(self):
        code = self.cleaned_data["code"].lower()
        if Bloc.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A bloc with this code already exists."))
        return code


class EmulationYearForm(ProvinceMixin, forms.Form):
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.none())
    year = forms.IntegerField(
        label=pgettext_lazy("emulation year", "Year"), min_value=2000, max_value=2100
    )
    registration_deadline = _date_field(_("Registration deadline"))
    self_assessment_opens = _date_field(_("Self-assessment opens"))
    self_assessment_deadline = _date_field(_("Self-assessment deadline"))
    review_deadline = _date_field(_("Review deadline"))
    dispute_deadline = _date_field(_("Dispute deadline"))
    proposal_deadline = _date_field(_("Proposal deadline"))

    def __init__(self, *args, provinces, emulation_year: EmulationYear | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_province(provinces)
        if emulation_year is not None:
            del self.fields["year"]
            del self.fields["province"]

    def clean(self):
        data = super().clean()
        province, year = data.get("province"), data.get("year")
        if (
            province
            and year
            and EmulationYear.objects.filter(province=province, year=year).exists()
        ):
            self.add_error(
                "year",
                _("The year %(year)s already exists in %(province)s.")
                % {"year": year, "province": province},
            )
        return data

    def deadlines(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in DEADLINE_NAMES}


class BlocYearCreateForm(forms.Form):
    bloc = forms.ModelChoiceField(label=_("Bloc"), queryset=Bloc.objects.none())
    year = forms.ModelChoiceField(
        label=pgettext_lazy("emulation year", "Year"), queryset=EmulationYear.objects.none()
    )

    def __init__(self, *args, blocs, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bloc"].queryset = blocs
        self.fields["year"].queryset = years
        self.fields["year"].label_from_instance = lambda y: f"{y.year} – {y.province.name}"

    def clean(self):
        data = super().clean()
        bloc, year = data.get("bloc"), data.get("year")
        if bloc and year and bloc.province_id != year.province_id:
            raise forms.ValidationError(_("The bloc and the year belong to different provinces."))
        return data


class MembershipAddForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    rotation_order = forms.IntegerField(
        label=_("Rotation order"),
        min_value=0,
        max_value=999,
        required=False,
        help_text=_("Leave empty to put the agency last."),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class MembershipUpdateForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    rotation_order = forms.IntegerField(label=_("Rotation order"), min_value=0, max_value=999)


class ConfirmForm(forms.Form):
    """A step the user confirms after a warning (going early where that is allowed)."""

    confirm = forms.BooleanField(required=False)


class PhaseMoveForm(forms.Form):
    """A move of the bloc-year's phase taken on its page (a move back needs a reason)."""

    to = forms.TypedChoiceField(choices=Phase.choices, coerce=Phase)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(required=False)


class CarryForwardForm(forms.Form):
    # Chosen (and the plan recomputed) with the GET form above the plan.
    as_of = forms.DateField(
        label=_("Apply mergers and renamings effective on or before"),
        widget=forms.HiddenInput(),
    )
    leader = forms.ModelChoiceField(label=_("Leader next year"), queryset=Agency.objects.none())
    deputy = forms.ModelChoiceField(
        label=_("Deputy leader next year"), queryset=Agency.objects.none(), required=False
    )

    def __init__(self, *args, agencies, proposed_deadlines=None, today=None, **kwargs):
        """``proposed_deadlines``: the new year's deadlines, editable, when
        carrying forward creates the year; a date already past is flagged."""
        super().__init__(*args, **kwargs)
        ids = [a.pk for a in agencies]
        self.fields["leader"].queryset = Agency.objects.filter(pk__in=ids)
        self.fields["deputy"].queryset = Agency.objects.filter(pk__in=ids)
        self.past_deadlines = []
        for name, date in (proposed_deadlines or {}).items():
            field = EmulationYearForm.base_fields[name]
            self.fields[name] = _date_field(field.label)
            self.initial.setdefault(name, date)
            if date and today and date < today:
                self.fields[name].help_text = _("This date has already passed.")
                self.past_deadlines.append((field.label, date))

    def deadlines(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in DEADLINE_NAMES if name in self.fields}

    def clean(self):
        data = super().clean()
        leader, deputy = data.get("leader"), data.get("deputy")
        if leader and deputy and leader == deputy:
            self.add_error(
                "deputy", _("The leader and the deputy leader must be different agencies.")
            )
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class ProvinceVocabularyForm(forms.Form):
    """The province's words for positions, document symbols and deductions
    (emulation.vocabulary): one field per term, each filled with the word in
    force; the checks are the vocabulary's own, as in the admin."""

    def __init__(self, *args, province: Province, **kwargs):
        super().__init__(*args, **kwargs)
        for term in TERMS:
            current = province.vocabulary.get(term.key) or default_text(term.key)
            if term.kind == CHOICE:
                self.fields[term.key] = forms.ChoiceField(
                    label=term.label, choices=list(DEDUCTION_STYLES.items()), initial=current
                )
            else:
                self.fields[term.key] = forms.CharField(
                    label=term.label,
                    initial=current,
                    strip=False,
                    help_text=_("Default: %(default)s") % {"default": default_text(term.key)},
                )

    def clean(self):
        data = super().clean()
        for key, why in vocabulary_errors(
            {k: v for k, v in data.items() if isinstance(v, str) and v}
        ).items():
            self.add_error(key, why)
        return data
