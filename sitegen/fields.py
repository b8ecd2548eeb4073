"""Reading one YAML mapping field by field: each field converts its own text and names its line."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TypeVar
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers

from . import textsafety
from .errors import Report
from .model import Address, CourseDate, Msg, Phone, Registration, Slot
from .spelling import closest, did_you_mean, is_language, language_hint, weekday_suggestion
from .yamlhints import MISSING_SPACE, quoted
from .yamlio import Node

WEEKDAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}")
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
# Dates the way German editors type them: 31.12.2026, and 14.01.2027 16:00 for a date and time.
# The year has four digits: 31.12.26 is refused with the way to write it.
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_GERMAN_DATE_TIME = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}) +([01]?\d|2[0-3]):([0-5]\d)")
_TRUE, _FALSE = {"true", "yes", "ja", "on"}, {"false", "no", "nein", "off"}
# Every date lies in this century: it catches typos like 0207 or 2207, and keeps the time-zone
# table of a calendar file (one entry per clock change between the first and last date) small.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2099
DateOrTime = TypeVar("DateOrTime", dt.date, dt.datetime)


def _parse_date(value: str) -> dt.date:
    """2026-03-31 or 31.03.2026; ValueError for anything else."""
    if match := _GERMAN_DATE.fullmatch(value):
        day, month, year = map(int, match.groups())
        return dt.date(year, month, day)
    return dt.date.fromisoformat(value)


def _parse_datetime(value: str) -> dt.datetime:
    """2027-02-01T09:00 (ISO 8601, as before) or 01.02.2027 09:00; ValueError for anything else."""
    if match := _GERMAN_DATE_TIME.fullmatch(value):
        day, month, year, hour, minute = map(int, match.groups())
        return dt.datetime(year, month, day, hour, minute)
    return dt.datetime.fromisoformat(value)


class Fields:
    """Reads the fields of one mapping, reporting every problem with its line."""

    def __init__(self, report: Report, path: Path, node: Node, where: str = "", country: str = "DE") -> None:
        self.report, self.path, self.node, self.where, self.country = report, path, node, where, country
        self.used: set[str] = set()
        self.values: dict[str, Node] = node.value if isinstance(node.value, dict) else {}
        if not isinstance(node.value, dict):
            match = MISSING_SPACE.fullmatch(node.value) if isinstance(node.value, str) else None
            if match:  # ``street:Hauptstraße 1`` reads as one text, not as a field
                self.error(node.line, f"a space is missing after the colon: write {match.group(1)}: {match.group(2)}")
            else:
                self.error(node.line, f"{where or 'this'} must be a mapping of field: value")

    def error(self, line: int, message: str) -> None:
        # one line per problem, and no control character of a quoted value reaches the terminal
        self.report.error(self.path, line, textsafety.visible(message))

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _get(self, key: str, required: bool) -> Node | None:
        self.used.add(key)
        node = self.values.get(key)
        if node is None or node.value is None:
            # ``{street:Hauptstraße 1}``: the unknown field 'street:…' explains the missing street
            if required and not any(other.startswith(f"{key}:") for other in self.values):
                self.error(node.line if node else self.node.line, f"'{self._name(key)}' is required")
            return None
        return node

    def line(self, key: str) -> int:
        node = self.values.get(key)
        return node.line if node else self.node.line

    def finish(self, extra_known: Iterable[str] = (), suggest: Iterable[str] = ()) -> None:
        """An unknown field is an error: a typo, or the rest of a value that a comma cut off.

        In ``{note: Gerne auch telefonisch, oder per Mail}`` the comma ends the note and
        "oder per Mail" becomes a field without a value; the message shows the quoted value.
        """
        known = self.used | set(extra_known)
        where = f" in {self.where}" if self.where else ""
        split_values = self._split_values(known) if self.node.flow else {}
        for key, line in self.node.keys_or_empty().items():
            if key in known:
                continue
            if key in split_values:
                if split_values[key]:  # only the first piece of a split value: one fix for all
                    self.error(line, f"unknown field '{key}'{where} — if it belongs to the text before it, "
                                     f"put that text in quotes: {split_values[key]}")  # fmt: skip
            elif (match := MISSING_SPACE.fullmatch(key)) and match.group(1) in known:
                self.error(line, f"unknown field '{key}'{where} — a space is missing after the colon: write {match.group(1)}: {match.group(2)}")
            else:
                hint = did_you_mean(key, known | set(suggest)) or ": check its spelling, or remove it"
                self.error(line, f"unknown field '{key}'{where}{hint}")

    def _split_values(self, known: set[str]) -> dict[str, str]:
        """Unknown keys without a value that follow a text in a flow mapping -> the quoted fix.

        The first key of each run maps to ``note: "the whole text"``, the others to ''.
        """
        runs: list[tuple[str, list[str], list[str]]] = []  # (field, pieces of its text, unknown keys)
        for key, node in self.values.items():
            if runs and runs[-1][1] and key not in known and node.value is None:
                runs[-1][1].append(key)
                runs[-1][2].append(key)
            else:
                runs.append((key, [node.value] if isinstance(node.value, str) else [], []))
        found: dict[str, str] = {}
        for field, pieces, orphans in runs:
            found.update(dict.fromkeys(orphans, ""))
            if orphans:
                found[orphans[0]] = f"{field}: {quoted(', '.join(pieces))}"
        return found

    # --- scalars -------------------------------------------------------------------------
    def text(self, key: str, required: bool = False, max_len: int | None = None) -> str | None:
        node = self._get(key, required)
        if node is None:
            return None
        if not isinstance(node.value, str):
            self.error(node.line, f"'{self._name(key)}' must be a text, not a list or mapping")
            return None
        value = node.value.strip()
        if required and not value:
            self.error(node.line, f"'{self._name(key)}' must not be empty")
            return None
        if max_len and len(value) > max_len:
            self.error(node.line, f"'{self._name(key)}' has {len(value)} characters; at most {max_len} are allowed")
        return value

    def msg(self, key: str, required: bool = False, max_len: int | None = None) -> Msg | None:
        value = self.text(key, required, max_len)
        return Msg(" ".join(value.split()), self.line(key), self._name(key)) if value else None

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.text(key)
        if value is None:
            return default
        if value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        self.error(self.line(key), f"'{self._name(key)}' must be true or false, not '{value}'")
        return default

    def date(self, key: str) -> dt.date | None:
        value = self.text(key)
        if value is None:
            return None
        try:
            return self._in_range(key, _parse_date(value))
        except ValueError:
            self.error(self.line(key), f"'{self._name(key)}' must be a date like 31.03.2026 or 2026-03-31, not '{value}'")
            return None

    def datetime(self, key: str, required: bool = False) -> dt.datetime | None:
        value = self.text(key, required)
        if value is None:
            return None
        try:
            when = _parse_datetime(value)
        except ValueError:
            self.error(self.line(key), f"'{self._name(key)}' must be a date and time like 01.02.2027 09:00 or 2027-02-01T09:00, not '{value}'")
            return None
        if when.tzinfo is not None:  # one rule for every time: the clock time at the site's place
            self.error(self.line(key), f"'{self._name(key)}' must be a local time without a time-zone offset, not '{value}' "
                                       "(the time zone is set once, in site.yaml)")  # fmt: skip
            return None
        return self._in_range(key, when)

    def _in_range(self, key: str, when: DateOrTime) -> DateOrTime | None:
        if EARLIEST_YEAR <= when.year <= LATEST_YEAR:
            return when
        self.error(self.line(key), f"'{self._name(key)}' is in the year {when.year}; dates must lie between {EARLIEST_YEAR} and {LATEST_YEAR}")
        return None

    def time(self, key: str, required: bool = False) -> dt.time | None:
        value = self.text(key, required)
        if value is None:
            return None
        match = _TIME.fullmatch(value)
        if not match:
            self.error(self.line(key), f"'{self._name(key)}' must be a time like \"09:30\", not '{value}'")
            return None
        return dt.time(int(match.group(1)), int(match.group(2)))

    def email(self, key: str) -> str | None:
        value = self.text(key)
        if value and not _EMAIL.fullmatch(value):
            self.error(self.line(key), f"'{self._name(key)}' is not an e-mail address: '{value}'")
            return None
        return value

    def url(self, key: str) -> str | None:
        value = self.text(key)
        if value and (breaks := [c for c in value if c in textsafety.LINE_BREAK_AND_TAB]):
            # urlsplit would silently drop them: the address shown and the one linked would differ
            self.error(self.line(key), f"'{self._name(key)}' contains {textsafety.describe(breaks[0])}: a web address has no line breaks or tabs: remove it")
            return None
        if value:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
                self.error(self.line(key), f"'{self._name(key)}' must be a web address starting with https://, not '{value}'")
                return None
        return value

    def phone(self, key: str) -> Phone | None:
        value = self.text(key)
        if not value:
            return None
        try:
            number = phonenumbers.parse(value, self.country)
            ok = phonenumbers.is_valid_number(number)
        except phonenumbers.NumberParseException:
            ok = False
        if not ok:
            self.error(self.line(key), f"'{self._name(key)}' is not a phone number: '{value}'")
            return None
        return Phone(value, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))

    # --- lists and keys ------------------------------------------------------------------
    def items(self, key: str, required: bool = False) -> list[Node]:
        node = self._get(key, required)
        if node is None:
            return []
        if isinstance(node.value, str):  # a single value written without a list
            return [node]
        if not isinstance(node.value, list):
            self.error(node.line, f"'{self._name(key)}' must be a list")
            return []
        return node.value

    def words(self, key: str) -> list[tuple[str, int]]:
        found = []
        for item in self.items(key):
            if not isinstance(item.value, str):
                self.error(item.line, f"each entry of '{self._name(key)}' must be a single word")
            else:
                found.append((item.value.strip(), item.line))
        return found

    def key(self, key: str, allowed: dict[str, Msg], what: str, required: bool = False) -> str | None:
        value = self.text(key, required)
        if value is not None and value not in allowed:
            self._unknown_key(self.line(key), value, allowed, what)
            return None
        return value

    def keys(self, key: str, allowed: dict[str, Msg], what: str) -> tuple[str, ...]:
        found = []
        for value, line in self.words(key):
            if value not in allowed:
                self._unknown_key(line, value, allowed, what)
            elif value not in found:
                found.append(value)
        return tuple(found)

    def _unknown_key(self, line: int, value: str, allowed: dict[str, Msg], what: str) -> None:
        # editors also type the German label ("Sprachkurse") where its key ("sprache") belongs
        names = {label.text.lower(): name for name, label in allowed.items()} | {name: name for name in allowed}
        close = closest(value, names)
        hint = f"; did you mean '{names[close]}'?" if close else ";"
        self.error(line, f"unknown {what} '{value}'{hint} site.yaml defines: {', '.join(sorted(allowed))}")

    def languages(self, key: str) -> tuple[str, ...]:
        found = []
        for value, line in self.words(key):
            if not is_language(value):
                self.error(line, f"'{value}' is not a two-letter language code (ISO 639-1, e.g. de, en, ar){language_hint(value)}")
            elif value not in found:
                found.append(value)
        return tuple(found)

    # --- structured fields ---------------------------------------------------------------
    def sub(self, key: str, required: bool = False) -> Fields | None:
        node = self._get(key, required)
        return Fields(self.report, self.path, node, self._name(key), self.country) if node else None

    def address(self, key: str = "address") -> Address | None:
        sub = self.sub(key)
        if sub is None:
            return None
        street, code, city = sub.text("street", True), sub.text("postal_code", True), sub.text("city", True)
        if code and not re.fullmatch(r"\d{5}", code):
            sub.error(sub.line("postal_code"), f"'{sub._name('postal_code')}' must be five digits, not '{code}'")
        result = Address(street or "", code or "", city or "", sub.text("name"), sub.msg("room"))
        sub.finish()
        return result if street and code and city else None

    def registration(self, key: str = "registration") -> Registration | None:
        sub = self.sub(key)
        if sub is None:
            return None
        result = Registration(sub.boolean("required"), sub.url("url"), sub.msg("note"))
        sub.finish()
        return result

    def dates(self, key: str = "dates") -> tuple[CourseDate, ...]:
        found = []
        for i, item in enumerate(self.items(key)):
            sub = Fields(self.report, self.path, item, f"{self._name(key)}[{i}]", self.country)
            start, end = sub.datetime("start", True), sub.datetime("end")
            if start and end and end < start:
                sub.error(sub.line("end"), f"'{sub._name('end')}' is before its start")
            sub.finish()
            if start:
                found.append(CourseDate(start, end))
        return tuple(sorted(found, key=lambda d: d.start))

    def hours(self, key: str = "hours") -> tuple[Slot, ...]:
        found = []
        for i, item in enumerate(self.items(key)):
            sub = Fields(self.report, self.path, item, f"{self._name(key)}[{i}]", self.country)
            slot = sub.read_slot()
            sub.finish(suggest=("days", "weekday", "nth"))  # for typos: only one kind of slot reads them
            if slot:
                found.append(slot)
        return tuple(found)

    def read_slot(self) -> Slot | None:
        note = self.msg("note")
        if self.boolean("by_appointment"):
            self._not_together(("days", "weekday", "nth", "from", "to"), "by_appointment: true")
            return Slot(by_appointment=True, note=note)
        start, end = self.time("from", True), self.time("to", True)
        if start and end and end <= start:
            self.error(self.line("to"), f"'{self._name('to')}' must be later than 'from'")
        if "weekday" in self.values:
            days = self._weekdays("weekday")
            nths = []
            for value, line in self.words("nth"):
                if value not in ("1", "2", "3", "4", "5", "-1"):
                    self.error(line, f"'{self._name('nth')}' takes 1 to 5, or -1 for the last of the month; not '{value}'")
                else:
                    nths.append(int(value))
            if not nths:
                self.error(self.line("weekday"), f"'{self._name('weekday')}' needs 'nth', e.g. nth: [2, 4]")
            if len(days) > 1:
                self.error(self.line("weekday"), f"'{self._name('weekday')}' takes one day; use 'days' for weekly slots")
            self._not_together(("days",), "weekday")
        else:
            days, nths = self._weekdays("days", required=True), []
            if "nth" in self.values:
                self.used.add("nth")
                self.error(self.line("nth"), f"'{self._name('nth')}' needs 'weekday' instead of 'days', e.g. weekday: tu")
        if not (days and start and end):
            return None
        return Slot(tuple(days), tuple(sorted(set(nths), key=lambda n: (n < 0, n))), start, end, False, note)

    def _not_together(self, keys: tuple[str, ...], other: str) -> None:
        """Fields of another kind of slot: an error of their own, not 'unknown field'."""
        for key in keys:
            if key in self.values:
                self.used.add(key)
                self.error(self.line(key), f"'{self._name(key)}' does not go with '{other}'; write a slot of its own")

    def _weekdays(self, key: str, required: bool = False) -> list[str]:
        days = []
        for value, line in self.words(key):
            if value.lower() not in WEEKDAYS:
                suggestion = weekday_suggestion(value)
                hint = f"; did you mean '{suggestion}'?" if suggestion else ";"
                self.error(line, f"'{value}' is not a weekday{hint} write {' '.join(WEEKDAYS)}")
            elif value.lower() not in days:
                days.append(value.lower())
        if required and not days and key not in self.node.keys_or_empty():
            self.error(self.node.line, f"'{self._name(key)}' is required: the weekdays, e.g. days: [mo, we]")
        return sorted(days, key=WEEKDAYS.index)
