"""Events and organisations: fields, series across daylight-saving changes, pages, calendars, linked data."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from sitegen.model import Recurrence
from sitegen.recurrence import occurrences, series_dates

from .badinput import problems, run
from .conftest import MINIMAL_PROJECT, SITE_YAML, BuiltSite, build_once, write_tree

BERLIN = ZoneInfo("Europe/Berlin")

SITE = SITE_YAML.replace("  beratung: Beratung\n", "  beratung: Beratung\n  begegnung: Begegnung\n") + """\
organisation_kinds:
  migrantenorganisation: Migrantenorganisation
  kommunal: Kommunale Stelle
"""

EVENTS = {
    "content/site.yaml": SITE,
    "content/organisations/kulturverein.yaml": """\
name: Marokkanischer Kulturverein
kind: migrantenorganisation
description: Ein Verein mit rund 200 Mitgliedern.
city: Sankt Augustin
languages_spoken: [ar, fr]
contacts: [anna]
""",
    "content/events/kochen.md": """\
---
title: Kochen aus aller Welt
summary: Jeden Freitag kochen wir zusammen.
category: begegnung
audiences: [familien]
languages_spoken: [de, ar]
organiser: kulturverein
contacts: [anna]
address: {street: Hauptstraße 1, postal_code: "46325", city: Borken, room: Lehrküche}
repeat:
  days: [fr]
  from: "17:00"
  to: "20:00"
  start: 05.03.2027
  until: 30.04.2027
  except: [26.03.2027]
cost: 5 Euro
---
Wir kochen zusammen.
""",
    "content/events/frauentreff.md": """\
---
title: Frauentreff
summary: Jeden zweiten Donnerstag.
category: begegnung
audiences: [frauen]
repeat: {weekday: th, nth: [2], from: "15:00", to: "17:00", start: 2027-01-01}
---
Tee und Gespräche.
""",
    "content/events/welttag.md": """\
---
title: Welttag der Migranten
summary: Ein Abend der Begegnung.
category: begegnung
organiser: kulturverein
online: https://meet.example.org/welttag
start: 18.12.2026 17:00
end: 18.12.2026 20:00
cost: free
---
Alle sind eingeladen.
""",
    "content/events/vorbei.md": """\
---
title: Vergangene Veranstaltung
summary: Schon vorbei.
category: begegnung
start: 2026-10-31
---
Vorbei.
""",
    "content/offers/deutsch-muetter.md": MINIMAL_PROJECT["content/offers/deutsch-muetter.md"].replace(
        "contacts: [anna]", "provider: kulturverein\ncontacts: [anna]"
    ),
}
EVENT_PROJECT = {**MINIMAL_PROJECT, **EVENTS}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = write_tree(tmp_path_factory.mktemp("events") / "proj", EVENT_PROJECT)
    ar = """\
msgid ""
msgstr ""
"Language: ar\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);\\n"

msgid "Kochen aus aller Welt"
msgstr "طبخ, من; كل العالم\\nEND:VEVENT\\nBEGIN:VEVENT"
"""
    write_tree(root, {"locales/ar/LC_MESSAGES/messages.po": ar})
    return build_once(root, root / "_site", search=False)


# --- series ----------------------------------------------------------------------------------------
def test_monthly_series_on_the_nth_weekday_without_excluded_dates() -> None:
    rule = Recurrence(("th",), dt.time(15), dt.time(17), dt.date(2027, 1, 1), nth=(2,), until=dt.date(2027, 6, 30),
                      excluded=(dt.date(2027, 4, 8),))  # fmt: skip
    assert list(series_dates(rule)) == [dt.date(2027, 1, 14), dt.date(2027, 2, 11), dt.date(2027, 3, 11),
                                        dt.date(2027, 5, 13), dt.date(2027, 6, 10)]  # fmt: skip


def test_last_weekday_of_the_month_and_next_dates_from_the_build_date() -> None:
    rule = Recurrence(("su",), dt.time(10), dt.time(12), dt.date(2027, 1, 1), nth=(-1,))
    found = occurrences(rule, dt.date(2027, 3, 1), 2)
    assert [o.start for o in found] == [dt.datetime(2027, 3, 28, 10), dt.datetime(2027, 4, 25, 10)]


# --- validation: every problem with its line, all at once -------------------------------------------
def test_bad_events_and_organisations_give_every_problem_with_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = {
        "content/events/a.md": "---\ntitle: A\nsummary: B\ncategory: sprahce\nstart: 01.02.2207 10:00\n---\nText\n",
        "content/events/b.md": "---\ntitle: A\nsummary: B\ncategory: sprache\nstart: 2027-02-01T10:00\nend: 2027-02-01T09:00\n"
                               "organiser: unbekannt\ncontacts: [niemand]\n---\nText\n",
        "content/events/c.md": "---\ntitle: A\nsummary: B\ncategory: sprache\nstart: 2027-02-01\nrepeat: {days: [fr], from: \"10:00\", to: \"11:00\", start: 2027-02-01}\n---\nText\n",
        "content/events/d.md": "---\ntitle: A\nsummary: B\ncategory: sprache\nrepeat:\n  weekday: th\n  nth: [7]\n  from: \"10:00\"\n  to: \"11:00\"\n"
                               "  start: 2027-02-01\n  except: [31.02.2027]\n---\nText\n",
        "content/events/e.md": "---\ntitle: A\nsummary: B\ncategory: sprache\n---\nText\n",
        "content/organisations/o.yaml": "name: Verein\nkind: verien\nwebsite: www.example.org\n",
    }
    root = write_tree(tmp_path / "p", {**EVENT_PROJECT, **bad})
    code, _, err = run(capsys, "check", str(root))
    assert code == 1 and "Traceback" not in err
    found = problems(err)
    expected = [
        "content/events/a.md:4: unknown category 'sprahce'",
        "content/events/a.md:5: 'start' is in the year 2207",
        "content/events/b.md:6: 'end' is before 'start'",
        "content/events/b.md:7: unknown organisation 'unbekannt'",
        "content/events/b.md:8: unknown contact 'niemand'",
        "content/events/c.md:5: 'start' does not go with 'repeat'",
        "content/events/d.md:7: 'repeat.nth' takes 1 to 5",
        "content/events/d.md:11: 'repeat.except' must be a date",
        "content/events/e.md:2: an event needs 'start'",
        "content/organisations/o.yaml:2: unknown organisation kind 'verien'",
        "content/organisations/o.yaml:3: 'website' must be a web address",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in found), (start, found)


# --- pages ---------------------------------------------------------------------------------------------
def test_listing_groups_upcoming_events_by_month_and_leaves_out_past_ones(site: BuiltSite) -> None:
    html = (site.out / "de/events/index.html").read_text()
    assert "Vergangene Veranstaltung" not in html and not (site.out / "de/events/vorbei").exists()
    months = re.findall(r'<h2 id="month-(\d{4}-\d\d)">([^<]+)</h2>', html)
    assert months == [("2026-12", "Dezember 2026"), ("2027-01", "Januar 2027"), ("2027-03", "März 2027")]
    assert html.index("Welttag der Migranten") < html.index("Frauentreff") < html.index("Kochen aus aller Welt")
    assert 'href="../../de/events/category/begegnung/"' in html  # static filter pages, no JavaScript needed
    assert (site.out / "de/events/audience/frauen/index.html").is_file()
    assert (site.out / "de/events/city/borken/index.html").is_file()
    assert 'data-pagefind-body' in (site.out / "de/events/kochen/index.html").read_text()


def test_home_shows_the_next_events_and_the_navigation_links_them(site: BuiltSite) -> None:
    home = (site.out / "de/index.html").read_text()
    assert 'id="next-events"' in home and home.index("Welttag der Migranten") < home.index("Frauentreff")
    assert 'href="../de/events/"' in home and 'href="../de/organisations/"' in home


def test_event_page_shows_series_next_dates_and_its_organiser(site: BuiltSite) -> None:
    html = (site.out / "de/events/kochen/index.html").read_text()
    assert "Wöchentlich: Freitag" in html
    dates = re.findall(r'<li><time datetime="([^"]+)">', html)
    assert dates[:5] == ["2027-03-05T17:00", "2027-03-12T17:00", "2027-03-19T17:00", "2027-04-02T17:00", "2027-04-09T17:00"]
    assert 'href="../../../de/organisations/kulturverein/"' in html
    assert 'href="kochen.ics"' in html


def test_organisation_page_lists_its_offers_events_and_contacts(site: BuiltSite) -> None:
    html = (site.out / "de/organisations/kulturverein/index.html").read_text()
    for text in ("Marokkanischer Kulturverein", "Migrantenorganisation", "Deutschkurs für Mütter", "Welttag der Migranten",
                 "Kochen aus aller Welt", "Anna Beispiel"):  # fmt: skip
        assert text in html, text
    offer = (site.out / "de/offers/deutsch-muetter/index.html").read_text()
    assert '<a href="../../../de/organisations/kulturverein/"><bdi>Marokkanischer Kulturverein</bdi></a>' in offer
    listing = (site.out / "de/organisations/index.html").read_text()
    assert 'href="../../de/organisations/kind/migrantenorganisation/"' in listing
    assert (site.out / "de/organisations/city/sankt-augustin/index.html").is_file()
    assert (site.out / "ar/organisations/language/fr/index.html").is_file()


def test_linked_data_of_events_and_organisations(site: BuiltSite) -> None:
    def ld(path: str) -> dict:
        html = (site.out / path).read_text()
        return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))

    event = ld("de/events/kochen/index.html")
    assert event["@type"] == "Event" and event["startDate"] == "2027-03-05T17:00+01:00"
    assert event["eventSchedule"]["repeatFrequency"] == "P1W" and event["eventSchedule"]["exceptDate"] == ["2027-03-26"]
    after_dst = [s["startDate"] for s in event["subEvent"]]
    assert "2027-04-02T17:00+02:00" in after_dst  # the clock time stays, the offset changes
    online = ld("de/events/welttag/index.html")
    assert online["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.org/welttag"}
    assert online["eventAttendanceMode"].endswith("OnlineEventAttendanceMode")
    org = ld("de/organisations/kulturverein/index.html")
    assert org["@type"] == "Organization" and org["name"] == "Marokkanischer Kulturverein"


def test_sitemap_and_hreflang_cover_the_new_pages(site: BuiltSite) -> None:
    sitemap = (site.out / "sitemap.xml").read_text()
    assert "<loc>https://example.org/site/ar/events/kochen/</loc>" in sitemap
    assert "<loc>https://example.org/site/en/organisations/kulturverein/</loc>" in sitemap
    assert "/events/category/" not in sitemap  # filter pages are for people, not for the index
    html = (site.out / "ar/events/kochen/index.html").read_text()
    assert '<link rel="alternate" hreflang="de" href="https://example.org/site/de/events/kochen/">' in html


# --- calendars -------------------------------------------------------------------------------------
def test_subscribed_feed_expands_to_the_same_clock_time_across_the_change_to_summer_time(site: BuiltSite) -> None:
    cal = icalendar.Calendar.from_ical((site.out / "de/events/events.ics").read_bytes())
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Berlin"
    found = recurring_ical_events.of(cal).between(dt.date(2027, 3, 1), dt.date(2027, 5, 1))
    kochen = sorted(e["DTSTART"].dt for e in found if str(e["SUMMARY"]) == "Kochen aus aller Welt")
    days = [d.date() for d in kochen]
    assert dt.date(2027, 3, 26) not in days and dt.date(2027, 4, 30) in days and len(days) == 8
    assert all(d.astimezone(BERLIN).time() == dt.time(17) for d in kochen)
    utc = {d.date(): d.astimezone(dt.timezone.utc).hour for d in kochen}
    assert utc[dt.date(2027, 3, 19)] == 16 and utc[dt.date(2027, 4, 2)] == 15  # CET, then CEST
    treff = [e for e in found if str(e["SUMMARY"]) == "Frauentreff"]
    assert sorted(e["DTSTART"].dt.date() for e in treff) == [dt.date(2027, 3, 11), dt.date(2027, 4, 8)]


def test_uids_are_stable_across_languages_and_past_events_are_not_in_the_feed(site: BuiltSite) -> None:
    def uids(lang: str) -> list[str]:
        cal = icalendar.Calendar.from_ical((site.out / f"{lang}/events/events.ics").read_bytes())
        return sorted(str(e["UID"]) for e in cal.walk("VEVENT"))

    assert uids("de") == uids("ar") == uids("en") and len(uids("de")) == 3
    single = icalendar.Calendar.from_ical((site.out / "de/events/welttag/welttag.ics").read_bytes())
    (event,) = single.walk("VEVENT")
    assert str(event["UID"]) in uids("de") and event["DTSTART"].dt == dt.datetime(2026, 12, 18, 17, tzinfo=BERLIN)
    assert "Vergangene" not in (site.out / "de/events/events.ics").read_text()


def test_a_translation_cannot_add_lines_or_events_to_a_calendar(site: BuiltSite) -> None:
    raw = (site.out / "ar/events/events.ics").read_bytes()
    cal = icalendar.Calendar.from_ical(raw)
    assert len(cal.walk("VEVENT")) == 3
    summary = "SUMMARY;LANGUAGE=ar:طبخ\\, من\\; كل العالم\\nEND:VEVENT\\nBEGIN:VEVENT"
    assert summary in raw.decode().replace("\r\n ", "")  # one escaped line, unfolded
    assert "X-WR-CALNAME:طبخ\\, من\\; كل العالم END:VEVENT BEGIN:VEVENT" in (
        (site.out / "ar/events/kochen/kochen.ics").read_text().replace("\r\n ", "").replace("\n ", ""))
