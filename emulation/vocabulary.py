"""The words pages and documents share: the positions of a bloc and of its
conference, the symbols of the documents' numbers, and how a deduction is
written.

Each term has a default (Vietnamese, as Decree 30/2020 and the provinces'
emulation rules write it) that a province may override; ``vocabulary_from``
merges a province's overrides over the defaults, and ``vocabulary_errors``
checks overrides the same way for the settings page and the admin. Nothing
here reads the database: the province (and its overrides) belongs to the
blocs app, which hands its ``vocabulary`` field in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from emulation.enums import DocumentKind

TITLE, SYMBOL, CHOICE = "title", "symbol", "choice"
TITLE_MAX_LENGTH = 60
SYMBOL_MAX_LENGTH = 12
# A symbol is a word of capitals (Vietnamese letters too) and digits, as
# Decree 30/2020 abbreviates a document kind or an issuing body: "BB", "TTr", "KTĐ".
SYMBOL_PATTERN = re.compile(r"^[^\W_]+$")

# How a deduction is written: "−2,5" (a minus sign) or "2,5 (trừ)".
MINUS, SUFFIX = "minus", "suffix"
DEDUCTION_STYLES = {
    MINUS: _("With a minus sign: −2,5"),
    SUFFIX: _("With the word “trừ”: 2,5 (trừ)"),
}
MINUS_SIGN = "−"  # U+2212, as the pages write a negative number


@dataclass(frozen=True)
class Term:
    key: str
    label: Any  # what the settings form calls it
    default: Any  # translatable; documents read it in Vietnamese
    kind: str = TITLE


TERMS: tuple[Term, ...] = (
    Term("leader", _("Title of the bloc's leading agency"), pgettext_lazy("member role", "Leader")),
    Term(
        "deputy",
        _("Title of the bloc's deputy leading agency"),
        pgettext_lazy("member role", "Deputy leader"),
    ),
    Term("member", _("Title of a bloc member"), pgettext_lazy("member role", "Member")),
    Term(
        "secretariat",
        _("The bloc's standing office"),
        pgettext_lazy("vocabulary", "Secretariat"),
    ),
    Term("chair", _("Who chairs a meeting"), pgettext_lazy("vocabulary", "Chair")),
    Term("secretary", _("Who takes a meeting's minutes"), pgettext_lazy("vocabulary", "Secretary")),
    Term(
        "counting_board",
        _("The board that counts the ballots"),
        pgettext_lazy("vocabulary", "Counting board"),
    ),
    Term(
        "counting_head",
        _("Head of the counting board"),
        pgettext_lazy("vocabulary", "Head of the board"),
    ),
    Term(
        "counting_member",
        _("Member of the counting board"),
        pgettext_lazy("vocabulary", "Board member"),
    ),
    Term(
        "bloc_unit",
        _("Abbreviation of a bloc in document numbers (when the bloc has none of its own)"),
        "KTĐ",
        SYMBOL,
    ),
    Term("symbol_report", _("Symbol of a report"), "BC", SYMBOL),
    Term("symbol_summary", _("Symbol of a summary table"), "BTH", SYMBOL),
    Term("symbol_minutes", _("Symbol of minutes (meeting, vote count)"), "BB", SYMBOL),
    Term("symbol_proposal", _("Symbol of a proposal letter (tờ trình)"), "TTr", SYMBOL),
    Term("symbol_decision", _("Symbol of a decision"), "QĐ", SYMBOL),
    Term("symbol_covenant", _("Symbol of an emulation covenant"), "GƯTĐ", SYMBOL),
    Term("deduction_style", _("How a deduction is written"), MINUS, CHOICE),
)
TERMS_BY_KEY = {term.key: term for term in TERMS}

# The symbol of each kind of document a bloc issues; the draft decision is the
# province committee's ("QĐ-UBND"), the achievement report the agency's ("BC").
KIND_SYMBOLS = {
    DocumentKind.YEAR_END_REPORT: "symbol_report",
    DocumentKind.SCORE_SUMMARY: "symbol_summary",
    DocumentKind.MEETING_MINUTES: "symbol_minutes",
    DocumentKind.VOTE_COUNT: "symbol_minutes",
    DocumentKind.PROPOSAL_LETTER: "symbol_proposal",
    DocumentKind.DRAFT_DECISION: "symbol_decision",
    DocumentKind.ACHIEVEMENT_REPORT: "symbol_report",
}


@dataclass(frozen=True)
class Vocabulary:
    """The terms of one province, each a plain string (in the active language
    for the defaults; documents build under Vietnamese)."""

    terms: Mapping[str, Any]

    def __getattr__(self, key: str) -> str:
        if key not in TERMS_BY_KEY:
            raise AttributeError(key)
        return str(self.terms.get(key) or TERMS_BY_KEY[key].default)

    def __getitem__(self, key: str) -> str:
        return getattr(self, key)

    def role(self, role: str) -> str:
        """The title of a member role ("leader", "deputy", "member")."""
        return getattr(self, role)

    @property
    def counting_head_title(self) -> str:
        """ "Trưởng Ban Kiểm phiếu": the head's title with the board's name, as
        the signature block writes it ("Trưởng ban" + "Ban Kiểm phiếu")."""
        head, board = self.counting_head, self.counting_board
        if head.lower().endswith(" ban") and board.lower().startswith("ban "):
            return f"{head[:-4]} {board}"
        return f"{head} {board}"

    def unit(self, abbreviation: str = "") -> str:
        """The issuing bloc's abbreviation ("KTMTH"), or the province's word for
        any bloc ("KTĐ") where the bloc has none: in numbers and "- Lưu: VT, …"."""
        return abbreviation or self.bloc_unit

    def symbol(self, kind: str, unit: str = "") -> str:
        """ "/BB-KTĐ": the number's suffix of a bloc document, with the bloc's
        abbreviation (``unit``) where Decree 30/2020 puts the issuing body's."""
        if kind == DocumentKind.DRAFT_DECISION:
            return f"/{self.symbol_decision}-UBND"
        if kind == DocumentKind.ACHIEVEMENT_REPORT:
            return f"/{self.symbol_report}"
        return f"/{getattr(self, KIND_SYMBOLS[kind])}-{self.unit(unit)}"

    def covenant_symbol(self, unit: str = "") -> str:
        return f"/{self.symbol_covenant}-{self.unit(unit)}"

    def deduction(self, value, text: str) -> str:
        """Points deducted (a positive ``value`` already written as ``text``),
        with the province's sign convention; nothing deducted reads "0"."""
        if not value or Decimal(value) == 0:
            return "0"
        if self.deduction_style == SUFFIX:
            return f"{text} (trừ)"
        return f"{MINUS_SIGN}{text}"


def vocabulary_from(overrides: Mapping[str, Any] | None) -> Vocabulary:
    """The defaults with a province's overrides over them (unknown keys and
    blank values are ignored)."""
    return Vocabulary(
        {key: value for key, value in (overrides or {}).items() if key in TERMS_BY_KEY and value}
    )


def default_text(key: str) -> str:
    """A term's default as documents write it (Vietnamese)."""
    with translation.override("vi"):
        return str(TERMS_BY_KEY[key].default)


def vocabulary_errors(overrides: Mapping[str, Any]) -> dict[str, str]:
    """{key: why} for every override that cannot stand; empty when all can."""
    errors: dict[str, str] = {}
    if not isinstance(overrides, Mapping):
        return {"": str(_("The vocabulary must be a set of named terms."))}
    for key, value in overrides.items():
        term = TERMS_BY_KEY.get(key)
        if term is None:
            errors[key] = str(_("Unknown term “%(key)s”.") % {"key": key})
            continue
        if not isinstance(value, str) or not value.strip():
            errors[key] = str(_("This term cannot be empty."))
            continue
        if value != value.strip():
            errors[key] = str(_("Remove the spaces at the start and end."))
        elif term.kind == CHOICE:
            if value not in DEDUCTION_STYLES:
                errors[key] = str(_("Choose one of the ways offered."))
        elif term.kind == SYMBOL:
            why = symbol_error(value)
            if why:
                errors[key] = why
        elif len(value) > TITLE_MAX_LENGTH:
            errors[key] = str(_("A title has at most %(n)s characters.") % {"n": TITLE_MAX_LENGTH})
    return errors


def symbol_error(value: str) -> str:
    """Why ``value`` cannot stand as a symbol ("" when it can)."""
    if len(value) > SYMBOL_MAX_LENGTH:
        return str(_("A symbol has at most %(n)s characters.") % {"n": SYMBOL_MAX_LENGTH})
    if not SYMBOL_PATTERN.match(value):
        return str(_("A symbol is letters and digits only, without spaces, dashes or slashes."))
    return ""


def validate_symbol(value: str) -> None:
    """The validator of a bloc's abbreviation."""
    why = symbol_error(value)
    if why:
        raise ValidationError(why)


def validate_vocabulary(overrides: Any) -> None:
    """The model field's validator: the admin refuses what the settings page refuses."""
    errors = vocabulary_errors(overrides)
    if errors:
        raise ValidationError(
            "; ".join(
                f"{TERMS_BY_KEY[key].label if key in TERMS_BY_KEY else key}: {why}"
                for key, why in errors.items()
            )
        )
