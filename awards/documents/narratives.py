"""The narrative sections of a bloc-year's documents, written by its secretariat:
one service to save them, one selector to read them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocs.enums import Phase
from blocs.models import BlocYear
from emulation import audit
from emulation.enums import NarrativeSection
from emulation.models import DocumentNarrative, User

NARRATIVE_MAX_CHARS = 20_000


def narratives_of(bloc_year: BlocYear) -> dict[str, str]:
    """{section: text} for every section (empty text when not written); one query."""
    texts = dict.fromkeys(NarrativeSection.values, "")
    texts.update(
        DocumentNarrative.objects.filter(bloc_year=bloc_year).values_list("section", "text")
    )
    return texts


def narrative_save(
    *, actor: User | None, bloc_year: BlocYear, texts: dict[str, str]
) -> list[DocumentNarrative]:
    """Save the given sections (others stay as they were); one audit event
    naming the sections whose text changed."""
    unknown = set(texts) - set(NarrativeSection.values)
    if unknown:
        raise ValidationError(
            _("Unknown section of the report: %(s)s.") % {"s": ", ".join(unknown)}
        )
    for text in texts.values():
        if len(text) > NARRATIVE_MAX_CHARS:
            raise ValidationError(
                _("A section may have at most %(n)s characters.") % {"n": NARRATIVE_MAX_CHARS}
            )
    with transaction.atomic():
        locked = BlocYear.objects.select_for_update().get(pk=bloc_year.pk)
        if locked.phase == Phase.CLOSED:
            raise ValidationError(
                _("This bloc-year is closed; its documents can no longer be changed.")
            )
        existing = {
            n.section: n
            for n in DocumentNarrative.objects.select_for_update().filter(bloc_year=locked)
        }
        changed, saved = [], []
        for section, raw in texts.items():
            text = raw.strip()
            narrative = existing.get(section)
            if narrative is None:
                if not text:
                    continue
                narrative = DocumentNarrative.objects.create(
                    bloc_year=locked, section=section, text=text, updated_by=actor
                )
                changed.append(section)
            elif narrative.text != text:
                narrative.text, narrative.updated_by = text, actor
                narrative.save(update_fields=["text", "updated_by", "updated_at"])
                changed.append(section)
            saved.append(narrative)
        if changed:
            audit.record(
                actor=actor,
                action="document.narrative_save",
                target=locked,
                data={"sections": changed},
            )
    return saved
