"""Forms of the proposal workflow: they validate; the services write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from awards.selectors.council_numbers import VoteCount
from awards.services.decision import SCAN_KINDS
from emulation.uploads import validate_upload


class _Bootstrap:
    """Bootstrap classes on the widgets (crispy is not needed for these small forms)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class ProposalForm(_Bootstrap, forms.Form):
    number = forms.CharField(
        label=_("Number of the proposal letter"),
        max_length=60,
        required=False,
        help_text=_("E.g. 05/TTr-KTĐ"),
    )
    note = forms.CharField(
        label=_("Note to the council"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnForm(_Bootstrap, forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the proposal is returned.")},
    )


class DecisionForm(_Bootstrap, forms.Form):
    number = forms.CharField(
        label=_("Decision number"),
        max_length=60,
        help_text=_("E.g. 215/QĐ-UBND"),
        error_messages={"required": _("Enter the decision's number, e.g. 215/QĐ-UBND.")},
    )
    date = forms.DateField(
        label=_("Decision date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the decision's date."),
            "invalid": _("Enter a valid date."),
        },
    )
    signer = forms.CharField(
        label=_("Signed by"),
        max_length=255,
        help_text=_("E.g. KT. CHỦ TỊCH – PHÓ CHỦ TỊCH Nguyễn Văn A"),
        error_messages={"required": _("Enter who signed the decision.")},
    )
    scanned_file = forms.FileField(label=_("Scanned decision (PDF, JPG or PNG)"), required=False)
    council_members = forms.IntegerField(
        label=_("Members of the council"),
        required=False,
        min_value=1,
        max_value=200,
        help_text=_("All members, present or not: the council's vote is counted on all of them."),
    )
    confirm = forms.BooleanField(
        label=_("I have checked the approvals and the votes: the decision cannot be undone."),
        error_messages={"required": _("Confirm before recording: the decision cannot be undone.")},
    )

    VOTE_PARTS = (
        ("for", _("Votes for")),
        ("against", _("Votes against")),
        ("written", _("of which written votes of absent members")),
    )

    def __init__(self, *args, items=(), thresholds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.thresholds = thresholds or {}
        for item in self.items:
            for part, label in self.VOTE_PARTS:
                self.fields[f"{part}-{item.pk}"] = forms.IntegerField(
                    label=label, required=False, min_value=0, max_value=200
                )
        for name, field in self.fields.items():
            if name.split("-")[0] in ("for", "against", "written"):
                field.widget.attrs["class"] = "form-control form-control-sm"
        self.fields["confirm"].widget.attrs["class"] = "form-check-input"

    def main_fields(self):
        return [self[n] for n in ("number", "date", "signer", "scanned_file", "council_members")]

    def vote_rows(self):
        """(item, threshold in force today or None, [bound fields]) per item."""
        return [
            (
                item,
                self.thresholds.get(item.award_type_id),
                [self[f"{part}-{item.pk}"] for part, _label in self.VOTE_PARTS],
            )
            for item in self.items
        ]

    def council_votes(self) -> dict[int, VoteCount]:
        """item id → the votes entered (an item with no number entered is left out)."""
        votes = {}
        for item in self.items:
            values = [self.cleaned_data.get(f"{part}-{item.pk}") for part, _l in self.VOTE_PARTS]
            if all(v is None for v in values):
                continue
            votes[item.pk] = VoteCount(*(v or 0 for v in values))
        return votes

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(_("The decision's date cannot be in the future."))
        return date

    def clean_scanned_file(self):
        file = self.cleaned_data.get("scanned_file")
        if file:
            validate_upload(file, allowed=SCAN_KINDS)
        return file


class InboxFilterForm(forms.Form):
    """The inbox's filters. Its template draws the selects from the choices
    (with Bootstrap's classes): the widgets are not rendered."""

    province = forms.TypedChoiceField(
        label=_("Province"), required=False, coerce=int, empty_value=None
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    bloc = forms.TypedChoiceField(label=_("Bloc"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args, provinces=None, years=(), blocs=(), states=(), **kwargs):
        """``provinces`` only for those who see every province: the blocs to
        choose from are then the chosen province's."""
        super().__init__(*args, **kwargs)
        everything = ("", _("All"))
        if provinces is None:
            del self.fields["province"]
        else:
            self.fields["province"].choices = _Pairs([everything, *provinces])
        self.fields["year"].choices = _Pairs([everything, *[(y, y) for y in years]])
        self.fields["bloc"].choices = _Pairs([everything, *blocs])
        self.fields["state"].choices = _Pairs([everything, *states])


class _Pairs(BaseChoiceIterator):
    """Choices that are (value, label) pairs already: a field and its widget
    take them as they are. Django checks the shape of each pair otherwise,
    twice (field and widget), at a few microseconds a pair: a third of the
    inbox's filters, with a country's provinces to choose from."""

    def __init__(self, pairs: list[tuple]):
        self.pairs = pairs

    def __iter__(self):
        return iter(self.pairs)


class DecisionScanForm(forms.Form):
    """The scan of a decision already recorded."""

    scanned_file = forms.FileField(
        label=_("Scanned decision"),
        help_text=_("PDF, JPG or PNG."),
        error_messages={"required": _("Choose the scanned decision (PDF, JPG or PNG).")},
    )
