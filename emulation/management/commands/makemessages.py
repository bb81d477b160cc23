"""makemessages without fuzzy matching.

msgmerge's fuzzy matching copies a neighbour's translation, with the wrong
placeholders, onto a new string; such guesses read badly and fail to compile.
New strings start untranslated instead (tests/emulation/test_translations.py
then names them).
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
