"""The numbers of a translation compared with its German source: a newcomer acts on them.

A phone number, an opening time, a date, a room, a price that a translator mistyped sends a
reader to the wrong door at the wrong hour, and nobody who reads only the translation can tell.
So every number of the German text must be in the translation, read the way readers of the six
languages write numbers:

* digits: Arabic-Indic ``٠-٩`` and Eastern Arabic-Indic ``۰-۹`` are the digits ``0-9``;
* digit grouping: ``1.000``, ``1,000``, ``1 000`` (also with a no-break, thin or narrow no-break
  space) and ``١٬٠٠٠`` are the same number; the decimal mark ``,``, ``.`` or ``٫`` is one mark;
* times: ``10:30``, ``10.30``, ``10h30``, ``10 h 30`` are one time, and a time may be written on
  a 12-hour clock (``13 Uhr`` → ``1 pm``);
* phone numbers: the digits count, not the spaces, slashes or dashes between them, and
  ``+49 2861 …`` is ``02861 …``.

Some numbers a good translation does not write with digits: "1 Woche" is "أسبوع واحد", "3. Etage"
is "الطابق الثالث". A small standalone number (up to 12, with no decimal, leading zero or
currency, and not a day of a month) may therefore be missing, unless the translation has a
number of its own in its place: then it was changed, not spelled out. Everything else (phone
numbers, times, dates, years, postal codes, room codes like ``E113``, prices, numbers above 12)
must be there.

Numbers in link targets, addresses, inline code, HTML tags and placeholders are left out: the
link, code and placeholder checks of sitegen.message_checks compare those already.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from difflib import SequenceMatcher

# One character for one character, so that a position in the normalised text is one in the original.
_NORMALISE = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Eastern Arabic-Indic digits
        "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ",  # no-break, figure, thin, narrow spaces
    }
)  # fmt: skip
# What holds numbers that other checks compare: link targets, addresses, code, tags, placeholders.
# Each alternative starts where it can start only once per run of characters, so a long run of
# letters in an untrusted translation costs linear time, not quadratic.
_NOT_PROSE = re.compile(
    r"\]\([^()]*\)"  # a Markdown link's target
    r"|<[^<>]*>"  # an HTML tag or an autolink
    r"|`[^`]*`"  # inline code
    r"|(?:https?|ftp)://\S+|www\.\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # addresses
    r"|&#?\w+;"  # character references
    r"|%\([A-Za-z_]\w*\)[-#0 +]?\d*(?:\.\d+)?[a-zA-Z]|%[sdif]|\{[^{}\s]*\}"  # placeholders
)
_PHONE = r"(?:\+[1-9]\d{0,2}|\(0\d{1,5}\)|0\d{2,5})(?:(?: ?/ ?| ?\(0\) ?|[ -])\d{2,})+"
_DATE = r"(?:[0-3]?\d)[./](?:[01]?\d)[./](?:\d{4}|\d{2})|\d{4}-[01]\d-[0-3]\d"
_TIME = r"(?:[01]?\d|2[0-4])(?::|\.|h| h ?)[0-5]\d"
_CODE = r"[A-Z]{1,3}\d+"
# 1.000 / 1,000 / 1 000 / ١٬٠٠٠, with one kind of group separator, then maybe a decimal mark.
_GROUPED = r"\d{1,3}(?P<group>[., ٬])\d{3}(?:(?P=group)\d{3})*(?:(?!(?P=group))[,.٫]\d+)?"
_GROUPED_NUMBER = re.compile(_GROUPED)
_NUMBER = r"\d+(?:[,.٫]\d+)?"
_TOKEN = re.compile(
    rf"(?<![\w+])(?P<phone>{_PHONE})(?!\d)"
    rf"|(?<![\w.,])(?P<date>{_DATE})(?![\d])"
    rf"|(?<![\w.,:])(?P<time>{_TIME})(?![\d])"
    rf"|(?<![^\W\d_])(?P<code>{_CODE})(?![^\W_])"
    rf"|(?<![\d.,٫])(?P<number>{_GROUPED}|{_NUMBER})(?![\d])"
)
_HOUR_WORDS = re.compile(r" ?(?:Uhr|h\b|[ap]\.? ?m\b\.?)", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(r" ?(?:€|Euro\b|EUR\b|Cent\b|ct\b)")
_MONTHS = ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
           "oktober", "november", "dezember", "jan", "feb", "mär", "apr", "jun", "jul", "aug", "sep", "okt", "nov", "dez")  # fmt: skip
_DAY_BEFORE_MONTH = re.compile(rf"\. ?(?:{'|'.join(_MONTHS)})\b", re.IGNORECASE)
SMALL = 12  # a standalone number up to this may be spelled out or converted by a translation
MAX_NAMED = 5  # numbers named per message


@dataclass(frozen=True, slots=True)
class Number:
    """A number as written (``raw``), the ways it can be read, and whether it may be missing."""

    raw: str
    start: int
    readings: frozenset[tuple[str, str]]
    may_be_missing: bool = False

    def matches(self, other: Number) -> bool:
        return bool(self.readings & other.readings)


def numbers(text: str, source: bool = False) -> list[Number]:
    """The numbers of a text in order; ``source`` marks those a translation may spell out."""
    plain = _NOT_PROSE.sub(lambda m: "\0" * len(m.group()), text.translate(_NORMALISE))
    found: list[Number] = []
    for match in _TOKEN.finditer(plain):
        kind, value = next((k, v) for k, v in match.groupdict().items() if v is not None)
        raw, start = text[match.start() : match.end()], match.start()
        if kind == "phone":
            found.append(Number(raw, start, _phone_readings(value)))
        elif kind == "date":
            parts = re.split(r"[./-]", value)
            for i, part in enumerate(parts):  # day and year must be there, a month may be a name
                found.append(Number(part, start + value.find(part), frozenset({("number", part)}), source and i == 1))
        elif kind == "time":
            hour, minute = re.split(r" ?[:.h] ?", value.replace(" h ", "h"))
            readings = {("time", f"{int(hour) % 12}:{minute}")}
            if "." in value:
                readings.add(("number", f"{hour}.{minute}"))
            found.append(Number(raw, start, frozenset(readings)))
        elif kind == "code":
            found.append(Number(raw, start, frozenset({("code", value)})))
        else:
            found.append(_number(raw, start, value, plain, match.end(), source))
    return found


def _number(raw: str, start: int, value: str, plain: str, end: int, source: bool) -> Number:
    """A number that is not a phone number, date, time or code; ``plain[end:]`` is what follows it."""
    grouped = _GROUPED_NUMBER.fullmatch(value)
    canonical = re.sub(r"[,.٫]", ".", value.replace(grouped.group("group"), "") if grouped else value)
    readings = {("number", canonical)}
    whole = int(canonical) if canonical.isdigit() and len(canonical) <= 3 else None  # int() of 5000 digits raises
    hourly = bool(_HOUR_WORDS.match(plain, end))
    if whole is not None and whole <= 24 and (hourly or not source and whole <= SMALL):
        readings.add(("time", f"{whole % 12}:00"))  # '13 Uhr' is '1 pm'; '1 pm' is 13:00
    significant = (
        whole is None or whole > SMALL or canonical.startswith("0") and len(canonical) > 1
        or hourly or bool(_CURRENCY_AFTER.match(plain, end)) or plain[max(0, start - 2) : start].strip() == "€"
        or bool(_DAY_BEFORE_MONTH.match(plain, end))
    )  # fmt: skip
    return Number(raw, start, frozenset(readings), source and not significant)


def _phone_readings(value: str) -> frozenset[tuple[str, str]]:
    digits = re.sub(r"\D", "", value.replace("(0)", ""))
    if not value.startswith("+"):
        return frozenset({("number", digits)})
    # '+49 2861 …' is '02861 …' in its country, whatever the length of the country code.
    return frozenset({("number", "+" + digits), *(("number", "0" + digits[n:]) for n in (1, 2, 3))})


def number_problems(source: str, translation: str) -> list[str]:
    """Each number of ``source`` the translation lacks: ``the number 'x' is missing … (found 'y')``."""
    if not re.search(r"\d", source.translate(_NORMALISE)):
        return []
    wanted, offered = numbers(source, source=True), numbers(translation)
    partner = _match(wanted, offered)
    missing = [n for i, n in enumerate(wanted) if i not in partner]
    if not missing:
        return []
    spare = [t for j, t in enumerate(offered) if j not in set(partner.values())]
    problems = []
    for number, found in _pair(missing, spare):
        if number.may_be_missing and found is None:
            continue  # spelled out or converted, not changed
        where = f" (found '{_shown(found.raw)}')" if found else ""
        problems.append(f"the number '{_shown(number.raw)}' is missing from the translation{where}")
    if len(problems) > MAX_NAMED:  # one message per number would bury the file's other findings
        problems[MAX_NAMED:] = [f"{len(problems) - MAX_NAMED} more numbers are missing from the translation"]
    return problems


def _match(wanted: list[Number], offered: list[Number]) -> dict[int, int]:
    """Source numbers matched to translation numbers: a free partner first, else Kuhn's augmenting
    paths, kept short (readings rarely overlap). Numbers that must be there are placed first, so
    a small one never takes their partner."""
    by_reading: dict[tuple[str, str], list[int]] = {}
    for j, number in enumerate(offered):
        for reading in number.readings:
            by_reading.setdefault(reading, []).append(j)
    owner: dict[int, int] = {}
    cursor: dict[tuple[str, str], int] = {}  # a partner once taken stays taken: look past it once

    def free_partner(i: int) -> int | None:
        for reading in wanted[i].readings:
            partners, k = by_reading.get(reading, []), cursor.get(reading, 0)
            while k < len(partners) and partners[k] in owner:
                k += 1
            cursor[reading] = k
            if k < len(partners):
                return partners[k]
        return None

    def place(i: int, seen: set[int], depth: int) -> bool:
        if (j := free_partner(i)) is not None:
            owner[j] = i
            return True
        if depth >= MAX_DEPTH:
            return False
        for reading in wanted[i].readings:
            for j in by_reading.get(reading, [])[:MAX_DEPTH]:
                if j not in seen:
                    seen.add(j)
                    if place(owner[j], seen, depth + 1):
                        owner[j] = i
                        return True
        return False

    for i in sorted(range(len(wanted)), key=lambda i: wanted[i].may_be_missing):
        place(i, set(), 0)
    return {i: j for j, i in owner.items()}


MAX_DEPTH = 20  # an untrusted translation with thousands of numbers must not cost minutes
NEARBY = 10  # translation numbers on either side looked at for what a missing number became


def _pair(missing: list[Number], spare: list[Number]) -> list[tuple[Number, Number | None]]:
    """Each missing number with the unmatched translation number most like it (what it became)."""
    left = sorted(spare, key=lambda t: t.start)
    pairs = []
    for number in sorted(missing, key=lambda n: n.may_be_missing):
        k = bisect_left([t.start for t in left], number.start) if len(left) > 2 * NEARBY else 0
        nearby = left[max(0, k - NEARBY) : k + NEARBY]
        found = max(nearby, key=lambda t: _likeness(number, t), default=None)
        if found is not None:
            left.remove(found)
        pairs.append((number, found))
    return sorted(pairs, key=lambda p: p[0].start)


def _likeness(a: Number, b: Number) -> float:
    digits = [re.sub(r"\D", "", x.raw.translate(_NORMALISE)) for x in (a, b)]
    return SequenceMatcher(None, *digits).ratio() - abs(a.start - b.start) / 10_000


def _shown(raw: str) -> str:
    return raw if len(raw) <= 40 else raw[:39] + "…"
