"""Forms of the documents pages: issuing a document, writing the narrative
sections. They validate; the services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.documents.narratives import NARRATIVE_MAX_CHARS
from emulation.enums import NarrativeSection

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IssueForm(forms.Form):
    number = forms.CharField(
        label=_("Number"),
        max_length=60,
        help_text=_("The document's number and symbol, e.g. 05/BC-KTĐ."),
    )
    date = forms.DateField(label=_("Date of issue"), widget=DATE_WIDGET)

    def clean_number(self):
        return " ".join(self.cleaned_data["number"].split())


class NarrativeForm(forms.Form):
    """One text area per section the secretariat writes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for section in NarrativeSection:
            self.fields[section.value] = forms.CharField(
                label=section.label,
                required=False,
                max_length=NARRATIVE_MAX_CHARS,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
