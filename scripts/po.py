#!/usr/bin/env python
"""Developer helper for the translation catalogues (locale/<lang>/LC_MESSAGES/django.po).

  python scripts/po.py missing vi          list untranslated or fuzzy msgids (JSON)
  python scripts/po.py unfuzzy vi          clear msgmerge's fuzzy guesses
  python scripts/po.py fill vi FILE.json   set translations from {"msgid": "msgstr"}
                                           (plural: {"msgid": ["singular", "plural"]};
                                           with context: {"context\\u0004msgid": ...})

Run `python manage.py makemessages -l vi -l en --no-location --ignore=.venv
--ignore=var --ignore=tests` first to extract new strings.
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def path_for(lang: str) -> Path:
    return ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"


def load(lang: str):
    with path_for(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


def key(message) -> str:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return f"{message.context}\u0004{msgid}" if message.context else msgid


def missing(lang: str) -> dict:
    catalog = load(lang)
    out = {}
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            out[key(message)] = list(message.id) if isinstance(message.id, tuple) else ""
    return out


def fill(lang: str, translations: dict) -> int:
    catalog = load(lang)
    done = 0
    for message in catalog:
        if not message.id:
            continue
        value = translations.get(key(message))
        if value is None:
            continue
        if isinstance(message.id, tuple):
            if isinstance(value, str):
                value = [value] * 2
            message.string = tuple(value[: max(2, catalog.num_plurals)])
            if catalog.num_plurals == 1:
                message.string = (value[0],)
        else:
            message.string = value
        message.flags.discard("fuzzy")
        done += 1
    with path_for(lang).open("wb") as fh:
        write_po(fh, catalog, width=0, omit_header=False, no_location=True)
    return done


def unfuzzy(lang: str) -> int:
    """Clear msgmerge's fuzzy guesses: they are untranslated strings."""
    catalog = load(lang)
    cleared = 0
    for message in catalog:
        if message.id and message.fuzzy:
            message.string = (
                ("",) * len(message.string) if isinstance(message.string, tuple) else ""
            )
            message.flags.discard("fuzzy")
            message.previous_id = []
            cleared += 1
    with path_for(lang).open("wb") as fh:
        write_po(fh, catalog, width=0, omit_header=False, no_location=True)
    return cleared


if __name__ == "__main__":
    command, lang = sys.argv[1], sys.argv[2]
    if command == "missing":
        print(json.dumps(missing(lang), ensure_ascii=False, indent=1))
    elif command == "unfuzzy":
        print(f"{unfuzzy(lang)} fuzzy guesses cleared")
    elif command == "fill":
        data = json.loads(Path(sys.argv[3]).read_text(encoding="utf-8"))
        print(f"{fill(lang, data)} translations set")
    else:
        sys.exit(__doc__)
