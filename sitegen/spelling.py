"""What an editor probably meant: the "did you mean" of unknown keys, ids, weekdays and languages."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable

from babel import Locale, UnknownLocaleError
from babel.core import get_global

# What editors write instead of a weekday key: German and English names and abbreviations.
_WEEKDAY_NAMES = {
    "mo": ("montag", "monday", "mon"),
    "tu": ("di", "dienstag", "tuesday", "tue"),
    "we": ("mi", "mittwoch", "wednesday", "wed"),
    "th": ("do", "donnerstag", "thursday", "thu"),
    "fr": ("freitag", "friday", "fri"),
    "sa": ("samstag", "sonnabend", "saturday", "sat"),
    "su": ("so", "sonntag", "sunday", "sun"),
}


def is_language(code: str) -> bool:
    """A two-letter ISO 639-1 code that CLDR (Babel) knows."""
    if not re.fullmatch(r"[a-z]{2}", code):
        return False
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def closest(value: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``value`` is most likely a typo of (``sprachkurs`` -> ``sprache``), if any."""
    close = difflib.get_close_matches(value.lower(), sorted(candidates), n=1, cutoff=0.7)
    return close[0] if close else None


def did_you_mean(value: str, candidates: Iterable[str]) -> str:
    """``; did you mean 'x'?`` to append to a message about an unknown ``value``, or ''."""
    close = closest(value, candidates)
    return f"; did you mean '{close}'?" if close else ""


def language_hint(value: str) -> str:
    """``; did you mean 'de'?`` for a language written another way, or ''."""
    suggestion = language_suggestion(value)
    return f"; did you mean '{suggestion}'?" if suggestion else ""


def language_suggestion(value: str) -> str | None:
    """The two-letter code an editor probably meant: DE, de-DE, deu, Deutsch, Arabic -> de, de, de, de, ar."""
    word = value.strip().lower()
    base = re.split(r"[-_]", word)[0]
    alias = get_global("language_aliases").get(base, base)  # ISO 639-2 and -3: ger, deu, ara …
    if is_language(alias):
        return alias
    names = _language_names()
    close = closest(word, names)
    return names[close] if close else None


@functools.cache
def _language_names() -> dict[str, str]:
    """Language names in German and English, lower case -> two-letter code."""
    names: dict[str, str] = {}
    for locale in ("de", "en"):
        for code, name in Locale.parse(locale).languages.items():
            if re.fullmatch(r"[a-z]{2}", code):
                names.setdefault(name.lower(), code)
    return names


def weekday_suggestion(value: str) -> str | None:
    """The weekday key meant by a German or English name or abbreviation: di, Dienstag, tue -> tu."""
    names = {name: key for key, spellings in _WEEKDAY_NAMES.items() for name in spellings}
    close = closest(value.rstrip("."), names)  # also "dienstags", "Mittwoch."
    return names[close] if close else None
