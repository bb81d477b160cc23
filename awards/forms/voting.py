"""Forms of the poll pages: settings, candidates, the ballot, paper counts."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from awards.enums import PollMode, PollPurpose, ThresholdBase
from awards.models import AwardType
from blocs.models import Membership


class PollCreateForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("The poll is about"), choices=PollPurpose.choices, initial=PollPurpose.AWARD
    )
    award_type = forms.ModelChoiceField(
        label=_("Award"),
        queryset=AwardType.objects.filter(is_active=True, for_collective=True),
        required=False,
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=PollMode.choices, initial=PollMode.ONLINE)

    def clean(self):
        data = super().clean()
        if data.get("purpose") == PollPurpose.AWARD and not data.get("award_type"):
            self.add_error("award_type", _("Choose the award the poll is for."))
        return data


class PollSettingsForm(forms.Form):
    mode = forms.ChoiceField(label=_("Mode"), choices=PollMode.choices)
    quota = forms.IntegerField(label=_("Choose up to (quota)"), min_value=1, max_value=50)
    threshold_percent = forms.IntegerField(
        label=_("Threshold (%)"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Empty: no threshold."),
    )
    threshold_base = forms.ChoiceField(label=_("Counted on"), choices=ThresholdBase.choices)


class CandidateAddForm(forms.Form):
    membership = forms.ModelChoiceField(label=_("Member"), queryset=Membership.objects.none())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        error_messages={"required": _("Give the reason for adding this candidate.")},
    )

    def __init__(self, *args, poll, **kwargs):
        super().__init__(*args, **kwargs)
        on_ballot = poll.candidates.filter(withdrawn=False).values("membership_id")
        self.fields["membership"].queryset = (
            Membership.objects.filter(bloc_year_id=poll.meeting.bloc_year_id)
            .exclude(pk__in=on_ballot)
            .select_related("agency")
        )
        self.fields["membership"].label_from_instance = lambda m: m.agency.name


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        error_messages={"required": _("Give the reason.")},
    )


class ReceiptCheckForm(forms.Form):
    """A receipt code to look for among the counted ballots (sent by POST, so
    that it never appears in an address or an access log)."""

    q = forms.CharField(label=_("Your receipt code"), max_length=32)

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip().upper()


class BallotPrintForm(forms.Form):
    """How many paper ballots to print (one per voter entitled, by default)."""

    count = forms.IntegerField(label=_("Number of ballots"), min_value=1, max_value=300)


class OverrideForm(ReasonForm):
    elected = forms.TypedChoiceField(
        label=_("Decision of the meeting"),
        choices=[("1", _("Elected")), ("0", _("Not elected"))],
        coerce=lambda v: v == "1",
    )


class IdsField(forms.Field):
    """Integer ids sent as the repeated values of one name (ticked checkboxes)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("The ballot names someone who is not a candidate.")}

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        try:
            return [int(v) for v in value]
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class BallotForm(forms.Form):
    """The ballot of one agency as sent: up to ``quota`` candidates (none =
    blank). That they are the poll's candidates is checked by the service,
    under the poll's lock."""

    agency = forms.IntegerField(widget=forms.HiddenInput)
    candidates = IdsField(label=_("Candidates"), required=False)

    def __init__(self, *args, poll, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll

    def clean_candidates(self):
        chosen = self.cleaned_data.get("candidates") or []
        if len(chosen) > self.poll.quota:
            raise ValidationError(
                _("Choose at most %(n)s candidates; you chose %(k)s.")
                % {"n": self.poll.quota, "k": len(chosen)}
            )
        return chosen


class PaperCountForm(forms.Form):
    ballots_total = forms.IntegerField(label=_("Ballots collected"), min_value=0)
    ballots_blank = forms.IntegerField(label=_("Blank ballots"), min_value=0)
    ballots_invalid = forms.IntegerField(label=_("Invalid ballots"), min_value=0)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        for c in candidates:
            self.fields[f"votes_{c.pk}"] = forms.IntegerField(
                label=c.membership.agency.name, min_value=0
            )

    def clean(self):
        data = super().clean()
        total = data.get("ballots_total")
        blank, invalid = data.get("ballots_blank"), data.get("ballots_invalid")
        if None not in (total, blank, invalid) and blank + invalid > total:
            raise ValidationError(
                _("Blank and invalid ballots cannot exceed the ballots collected.")
            )
        return data

    def votes(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"votes_{c.pk}"] for c in self.candidates}
