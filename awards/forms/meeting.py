"""Forms of the conference pages. They validate; the services write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from awards.enums import AttendanceStatus, LeadershipMethod
from blocs.models import Agency, Membership
from emulation.models import User
from emulation.uploads import safe_original_name, validate_upload

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date of the conference"), widget=DATE_WIDGET)
    place = forms.CharField(label=_("Place"), max_length=255)
    starts_at = forms.TimeField(
        label=_("Start time"), required=False, widget=TIME_WIDGET, help_text=_("e.g. 08:00")
    )
    ends_at = forms.TimeField(
        label=_("End time"),
        required=False,
        widget=TIME_WIDGET,
        help_text=_("Needed before the minutes can be issued."),
    )
    chair = forms.CharField(
        label=_("Chair"),
        max_length=150,
        help_text=_("Full name first, then the office: “Trần Minh Đức, Chánh Văn phòng”."),
    )
    secretary = forms.CharField(label=_("Secretary of the meeting"), max_length=150)
    quorum_numerator = forms.IntegerField(
        label=_("Quorum: numerator"), min_value=1, max_value=100, initial=2
    )
    quorum_denominator = forms.IntegerField(
        label=_("Quorum: denominator"),
        min_value=1,
        max_value=100,
        initial=3,
        help_text=_("At least this fraction of the members must be present, e.g. 2/3."),
    )

    def clean(self):
        data = super().clean()
        num, den = data.get("quorum_numerator"), data.get("quorum_denominator")
        if num and den and num > den:
            raise ValidationError(_("The quorum cannot exceed all the members (e.g. 2/3)."))
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The conference must end after it starts."))
        return data


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Attendance"), choices=AttendanceStatus.choices, widget=forms.RadioSelect
    )
    representative = forms.CharField(
        label=_("Representative (name and position)"), max_length=150, required=False
    )
    proxy_to = forms.ModelChoiceField(
        label=_("Proxy given to"), queryset=Membership.objects.none(), required=False
    )
    authorisation = forms.FileField(label=_("Written authorisation (PDF or image)"), required=False)

    def __init__(self, *args, membership: Membership, has_file: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_file = has_file
        qs = (
            Membership.objects.filter(bloc_year_id=membership.bloc_year_id)
            .exclude(pk=membership.pk)
            .select_related("agency")
        )
        self.fields["proxy_to"].queryset = qs
        self.fields["proxy_to"].label_from_instance = lambda m: m.agency.name

    def clean_authorisation(self):
        file = self.cleaned_data.get("authorisation")
        if file:
            validate_upload(file, allowed=("pdf", "jpg", "png"))
            self.cleaned_data["authorisation_name"] = safe_original_name(file.name)
        return file

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status == AttendanceStatus.PRESENT and not (data.get("representative") or "").strip():
            self.add_error("representative", _("Enter the name of the agency's representative."))
        if status == AttendanceStatus.PROXY:
            if not data.get("proxy_to"):
                self.add_error("proxy_to", _("Choose the member that holds the proxy."))
            if not data.get("authorisation") and not self.has_file:
                self.add_error(
                    "authorisation", _("Attach the written authorisation for the proxy.")
                )
        return data


class CounterForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Member of the counting committee"), queryset=None)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        agency_ids = Membership.objects.filter(bloc_year_id=meeting.bloc_year_id).values(
            "agency_id"
        )
        self.fields["user"].queryset = (
            User.objects.filter(agency_id__in=agency_ids, is_active=True)
            .exclude(pk__in=meeting.counters.values("user_id"))
            .select_related("agency")
            .order_by("agency__name", "full_name")
        )
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_full_name()} – {u.agency.display_name}"
        )


class NextLeadershipForm(forms.Form):
    leader = forms.ModelChoiceField(label=_("Leader next year"), queryset=Agency.objects.none())
    deputy = forms.ModelChoiceField(label=_("Deputy next year"), queryset=Agency.objects.none())
    method = forms.ChoiceField(label=_("How it was settled"), choices=LeadershipMethod.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Agency.objects.filter(memberships__bloc_year_id=meeting.bloc_year_id).order_by(
            "memberships__rotation_order", "name"
        )
        self.fields["leader"].queryset = qs
        self.fields["deputy"].queryset = qs

    def clean(self):
        data = super().clean()
        if data.get("leader") and data.get("leader") == data.get("deputy"):
            raise ValidationError(_("The leader and the deputy must be different agencies."))
        return data
