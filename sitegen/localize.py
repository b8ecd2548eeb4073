"""Dates, times, hours and language names in the reader's locale (Babel/CLDR)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from babel import Locale
from babel.dates import format_date, format_interval, format_time
from babel.lists import format_list

from .interface_strings import UiTranslations
from .fields import WEEKDAYS
from .model import CourseDate, Slot


def N_(message: str) -> str:  # gettext's name for "extract this, translate later"
    """Marks an interface string for extraction (Babel's default keywords include ``N_``)."""
    return message


def pgettext(context: str, message: str) -> tuple[str, str]:
    """Marks an interface string with a context for extraction (a Babel default keyword)."""
    return context, message


# Ordinals of "every %(nth)s %(weekday)s of the month", one set per weekday: in Russian and Arabic
# an ordinal agrees with the day's gender (ru "2-й четверг", "2-я пятница"; ar "الخميس الثاني",
# "الجمعة الثانية"). Translators: write each ordinal in the form that goes with the weekday of its
# msgctxt in the sentence "every 2nd and 4th <weekday> of the month" of your language.
ORDINALS: dict[str, dict[int, tuple[str, str]]] = {
    "mo": {1: pgettext("Monday", "1st"), 2: pgettext("Monday", "2nd"), 3: pgettext("Monday", "3rd"),
           4: pgettext("Monday", "4th"), 5: pgettext("Monday", "5th"), -1: pgettext("Monday", "last")},
    "tu": {1: pgettext("Tuesday", "1st"), 2: pgettext("Tuesday", "2nd"), 3: pgettext("Tuesday", "3rd"),
           4: pgettext("Tuesday", "4th"), 5: pgettext("Tuesday", "5th"), -1: pgettext("Tuesday", "last")},
    "we": {1: pgettext("Wednesday", "1st"), 2: pgettext("Wednesday", "2nd"), 3: pgettext("Wednesday", "3rd"),
           4: pgettext("Wednesday", "4th"), 5: pgettext("Wednesday", "5th"), -1: pgettext("Wednesday", "last")},
    "th": {1: pgettext("Thursday", "1st"), 2: pgettext("Thursday", "2nd"), 3: pgettext("Thursday", "3rd"),
           4: pgettext("Thursday", "4th"), 5: pgettext("Thursday", "5th"), -1: pgettext("Thursday", "last")},
    "fr": {1: pgettext("Friday", "1st"), 2: pgettext("Friday", "2nd"), 3: pgettext("Friday", "3rd"),
           4: pgettext("Friday", "4th"), 5: pgettext("Friday", "5th"), -1: pgettext("Friday", "last")},
    "sa": {1: pgettext("Saturday", "1st"), 2: pgettext("Saturday", "2nd"), 3: pgettext("Saturday", "3rd"),
           4: pgettext("Saturday", "4th"), 5: pgettext("Saturday", "5th"), -1: pgettext("Saturday", "last")},
    "su": {1: pgettext("Sunday", "1st"), 2: pgettext("Sunday", "2nd"), 3: pgettext("Sunday", "3rd"),
           4: pgettext("Sunday", "4th"), 5: pgettext("Sunday", "5th"), -1: pgettext("Sunday", "last")},
}  # fmt: skip


@dataclass(frozen=True)
class Localizer:
    """Formatting for one language; built once per language per build."""

    lang: str
    ui: UiTranslations

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(self.lang)

    @cached_property
    def direction(self) -> str:
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    @cached_property
    def _day_names(self) -> dict[str, str]:
        names = self.locale.days["format"]["wide"]
        return {key: names[i] for i, key in enumerate(WEEKDAYS)}

    def fill(self, message: str, **values: str) -> str:
        """An interface pattern translated and filled in; the English one if the translation doesn't fit.

        A catalogue's lone '%' is reported by ``sitegen check`` and left out by the build; this
        keeps any that slips through from failing the build.
        """
        try:
            return self.ui.gettext(message) % values
        except (KeyError, ValueError, TypeError, IndexError, OverflowError):
            return message % values

    def weekday(self, key: str) -> str:
        return self._day_names[key]

    def language_name(self, code: str) -> str:
        """The name of a language in the reader's language, e.g. 'ar' on a German page: Arabisch."""
        return self.locale.languages.get(code, code)

    def language_list(self, codes: tuple[str, ...]) -> str:
        return self.join([self.language_name(code) for code in codes])

    @cached_property
    def list_separator(self) -> str:
        """What stands between list items in this language: ", " in German, "، " in Arabic."""
        middle = self.locale.list_patterns["standard"]["middle"]
        return middle.replace("{0}", "").replace("{1}", "")

    @cached_property
    def _native_names(self) -> dict[str, str]:
        return {}

    def native_name(self, code: str) -> str:
        """A language's name in itself, as the switcher shows it: Deutsch, العربية …"""
        if code not in self._native_names:  # every page's switcher asks for all of them
            name = Locale.parse(code).get_display_name(code) or code
            self._native_names[code] = name[:1].upper() + name[1:]
        return self._native_names[code]

    def date(self, value: dt.date, form: str = "long") -> str:
        return format_date(value, form, locale=self.locale)

    def time_range(self, start: dt.time, end: dt.time) -> str:
        base = dt.date(2000, 1, 3)
        return format_interval(dt.datetime.combine(base, start), dt.datetime.combine(base, end), "Hm", locale=self.locale)

    def join(self, items: list[str]) -> str:
        return format_list(items, locale=self.locale) if items else ""

    def slot_days(self, slot: Slot) -> str:
        """The 'when' of an hours slot: weekdays, an nth weekday of the month, or by appointment."""
        _ = self.ui.gettext
        if slot.by_appointment:
            return _("By appointment")
        if slot.nth:
            day = slot.days[0]
            ordinals = {n: self.ui.pgettext(*ORDINALS[day][n]) for n in slot.nth}
            # Translators: e.g. "every 2nd and 4th Thursday of the month"; nth is a list of the
            # ordinals (msgctxt: the weekday they stand before), weekday the name of the day.
            # Reorder them as your language needs.
            return self.fill(N_("every %(nth)s %(weekday)s of the month"),
                             nth=self.join([ordinals[n] for n in slot.nth]), weekday=self.weekday(day))
        return self.join(self._day_runs(slot.days))

    def _day_runs(self, days: tuple[str, ...]) -> list[str]:
        """Weekdays with runs of three or more shown as a range: 'Monday to Thursday and Saturday'."""
        runs: list[list[str]] = []
        for day in days:
            if runs and WEEKDAYS.index(day) == WEEKDAYS.index(runs[-1][-1]) + 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        found = []
        for run in runs:
            if len(run) >= 3:
                # Translators: a range of weekdays in opening hours, e.g. "Monday to Thursday".
                found.append(self.fill(N_("%(first)s to %(last)s"), first=self.weekday(run[0]), last=self.weekday(run[-1])))
            else:
                found += [self.weekday(d) for d in run]
        return found

    def slot_time(self, slot: Slot) -> str:
        if slot.start and slot.end:
            return self.time_range(slot.start, slot.end)
        return ""

    def _date_time(self, day: str, time: str) -> str:
        """A date and a time joined the locale's way ('{1}, {0}'; Arabic uses '،')."""
        pattern = str(self.locale.datetime_formats.get("full", "{1}, {0}"))
        return pattern.replace("{1}", day).replace("{0}", time)

    def course_date(self, when: CourseDate) -> str:
        day = format_date(when.start.date(), "full", locale=self.locale)
        if when.end and when.end.date() == when.start.date():
            return self._date_time(day, self.time_range(when.start.time(), when.end.time()))
        start = self._date_time(day, format_time(when.start.time(), "short", locale=self.locale))
        if when.end:
            end_day = format_date(when.end.date(), "full", locale=self.locale)
            return f"{start} – {self._date_time(end_day, format_time(when.end.time(), 'short', locale=self.locale))}"
        return start
