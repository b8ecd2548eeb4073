"""vCards (RFC 6350), calendars (RFC 5545) and schema.org JSON-LD, as the built site ships them."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from babel import Locale
from babel.dates import format_interval
from babel.lists import format_list

from sitegen.fields import WEEKDAYS
from sitegen.pipeline import build_site

from .conftest import SITE_YAML, write_tree

SITE = SITE_YAML

CONTACT = """\
name: Leyla Haddad
role: Beratung; Begleitung, Übersetzung
organisation: Verein für Begegnung, Bildung und Beratung im Kreis Borken e.V.
address: {name: Haus der Vereine, street: Hauptstraße 1, postal_code: "46325", city: Borken, room: Raum 2}
phone: 02861 939414
mobile: 0172 9980752
fax: 02861 939415
email: leyla@example.org
website: https://example.org/verein/
languages_spoken: [de, ar, fr]
hours:
  - {days: [mo, tu, we, th], from: "09:00", to: "12:00"}
  - {weekday: mo, nth: [1, 3], from: "15:00", to: "17:00", note: Offene Sprechstunde}
  - {by_appointment: true}
"""

ROLE_ONLY = """\
name: ""
role: Projektkoordination Ehrenamt
organisation: Stadt Borken
phone: "02861 939414"
email: ehrenamt@example.org
languages_spoken: [de, en]
"""

COURSE = """\
---
title: Deutschkurs für Mütter
summary: Ein Deutschkurs mit Kinderbetreuung, Kaffee; und Kuchen.
category: sprache
audiences: [frauen]
languages_spoken: [de, ar]
contacts: [leyla]
address: {name: Haus der Vereine, street: Hauptstraße 1, postal_code: "46325", city: Borken, room: Raum 2}
cost: free
dates:
  - {start: 2027-03-01T09:00, end: 2027-03-01T11:30}
  - {start: 2027-11-02T18:00}
updated: 2026-10-01
---
Wir lernen gemeinsam Deutsch.
"""

SERVICE = """\
---
title: Beratung für Frauen
summary: Offene Beratung.
category: beratung
audiences: [frauen]
languages_spoken: [de, ar]
contacts: [rolle]
provider: Testverein e.V.
address: {street: Hauptstraße 1, postal_code: "46325", city: Borken}
hours:
  - {days: [tu], from: "10:00", to: "12:00"}
---
Kommen Sie vorbei.
"""

AR_PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: ar\\n"

msgid "Beratung; Begleitung, Übersetzung"
msgstr "استشارة؛ مرافقة، ترجمة"
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1793491200")  # 2026-11-01
    root = write_tree(tmp_path_factory.mktemp("formats") / "proj", {
        "content/site.yaml": SITE,
        "content/contacts/leyla.yaml": CONTACT,
        "content/contacts/rolle.yaml": ROLE_ONLY,
        "content/offers/kurs.md": COURSE,
        "content/offers/beratung.md": SERVICE,
        "locales/ar/LC_MESSAGES/messages.po": AR_PO,
    })  # fmt: skip
    out = root / "_site"
    build_site(root, out, search=False)
    mp.undo()
    return out


def day(lang: str, key: str) -> str:
    return Locale.parse(lang).days["format"]["wide"][WEEKDAYS.index(key)]


def hours(lang: str, start: int, end: int) -> str:
    """A time range the locale's way (CLDR via Babel): '09:00–12:00 Uhr' in German."""
    on = dt.date(2027, 3, 1)
    return format_interval(dt.datetime.combine(on, dt.time(start)), dt.datetime.combine(on, dt.time(end)), "Hm", locale=lang)


# Unfolded (folding has its own test below). The theme's words are written out; weekday names,
# list joins, times and the country's name come from CLDR, so new locale data doesn't break it.
VCARD_AR = (
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "FN:Leyla Haddad\r\n"
    "N:Haddad;Leyla;;;\r\n"
    "ORG:Verein für Begegnung\\, Bildung und Beratung im Kreis Borken e.V.\r\n"
    "TITLE;LANGUAGE=ar:استشارة؛ مرافقة، ترجمة\r\n"
    'ADR;TYPE=work;LABEL="Haus der Vereine, Hauptstraße 1, 46325 Borken":;Haus '
    f"der Vereine\\, Raum 2;Hauptstraße 1;Borken;;46325;{Locale.parse('ar').territories['DE']}\r\n"
    'TEL;VALUE=uri;TYPE="work,voice";PREF=1:tel:+492861939414\r\n'
    'TEL;VALUE=uri;TYPE="cell,voice":tel:+491729980752\r\n'
    "TEL;VALUE=uri;TYPE=fax:tel:+492861939415\r\n"
    "EMAIL;TYPE=work:leyla@example.org\r\n"
    "LANG;PREF=1:de\r\n"
    "LANG;PREF=2:ar\r\n"
    "LANG;PREF=3:fr\r\n"
    "URL;TYPE=work:https://example.org/verein/\r\n"
    f"NOTE;LANGUAGE=ar:من {day('ar', 'mo')} إلى {day('ar', 'th')}\\, {hours('ar', 9, 12)}\\n"
    f"{day('ar', 'mo')} {format_list(['الأول', 'الثالث'], locale='ar')} من كل شهر\\, {hours('ar', 15, 17)}"
    "\\, Offene Sprechstunde\\nبموعد مسبق\r\n"
    "SOURCE:https://example.org/site/ar/contacts/leyla/leyla.vcf\r\n"
    "UID:urn:uuid:0265d0f6-cc97-5efd-aa32-994546cf9dc0\r\n"
    "END:VCARD\r\n"
)


def unfold(data: bytes) -> str:
    return data.decode().replace("\r\n ", "")


def test_vcard_is_exact(site: Path) -> None:
    assert unfold((site / "ar/contacts/leyla/leyla.vcf").read_bytes()) == VCARD_AR


def test_vcard_german_has_source_texts_and_same_uid(site: Path) -> None:
    text = unfold((site / "de/contacts/leyla/leyla.vcf").read_bytes())
    assert "TITLE;LANGUAGE=de:Beratung\\; Begleitung\\, Übersetzung\r\n" in text
    assert (f"NOTE;LANGUAGE=de:{day('de', 'mo')} bis {day('de', 'th')}\\, {hours('de', 9, 12)}\\n"
            f"jeden {format_list(['1.', '3.'], locale='de')} {day('de', 'mo')} im Monat\\, {hours('de', 15, 17)}"
            "\\, Offene Sprechstunde\\nNach Vereinbarung\r\n") in text
    assert "UID:urn:uuid:0265d0f6-cc97-5efd-aa32-994546cf9dc0\r\n" in text  # one card in every language


def test_vcard_role_only_contact(site: Path) -> None:
    text = unfold((site / "en/contacts/rolle/rolle.vcf").read_bytes())
    assert "FN;LANGUAGE=de:Projektkoordination Ehrenamt\r\n" in text  # no English yet: German, marked
    assert "\r\nN:" not in text and "TITLE" not in text
    assert "TEL;VALUE=uri;TYPE=\"work,voice\";PREF=1:tel:+492861939414\r\n" in text


ICS_DE = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//sitegen//sitegen//EN\r\n"
    "CALSCALE:GREGORIAN\r\n"
    "METHOD:PUBLISH\r\n"
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Berlin\r\n"
    "COMMENT:This timezone only works from 2026-01-01 to 2028-01-01.\r\n"
    "BEGIN:STANDARD\r\n"
    "DTSTART:20260101T000000\r\n"
    "TZNAME:CET\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0100\r\n"
    "END:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "DTSTART:20260329T030000\r\n"
    "RDATE:20270328T030000\r\n"
    "TZNAME:CEST\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "DTSTART:20261025T030000\r\n"
    "RDATE:20271031T030000\r\n"
    "TZNAME:CET\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\n"
    "SUMMARY;LANGUAGE=de:Deutschkurs für Mütter\r\n"
    "DTSTART;TZID=Europe/Berlin:20270301T090000\r\n"
    "DTEND;TZID=Europe/Berlin:20270301T113000\r\n"
    "DTSTAMP:20261101T000000Z\r\n"
    "UID:kurs-20270301T0900@example.org\r\n"
    "DESCRIPTION;LANGUAGE=de:Ein Deutschkurs mit Kinderbetreuung\\, Kaffee\\; und\r\n"
    "  Kuchen.\\n\\nhttps://example.org/site/de/offers/kurs/\r\n"
    "LOCATION:Haus der Vereine\\, Raum 2\\, Hauptstraße 1\\, 46325 Borken\r\n"
    "URL:https://example.org/site/de/offers/kurs/\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "SUMMARY;LANGUAGE=de:Deutschkurs für Mütter\r\n"
    "DTSTART;TZID=Europe/Berlin:20271102T180000\r\n"
    "DTSTAMP:20261101T000000Z\r\n"
    "UID:kurs-20271102T1800@example.org\r\n"
    "DESCRIPTION;LANGUAGE=de:Ein Deutschkurs mit Kinderbetreuung\\, Kaffee\\; und\r\n"
    "  Kuchen.\\n\\nhttps://example.org/site/de/offers/kurs/\r\n"
    "LOCATION:Haus der Vereine\\, Raum 2\\, Hauptstraße 1\\, 46325 Borken\r\n"
    "URL:https://example.org/site/de/offers/kurs/\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def test_ics_is_exact(site: Path) -> None:
    assert (site / "de/offers/kurs/kurs.ics").read_bytes().decode() == ICS_DE


def test_ics_only_for_offers_with_dates_and_linked(site: Path) -> None:
    assert not (site / "de/offers/beratung/beratung.ics").exists()
    html = (site / "ar/offers/kurs/index.html").read_text()
    assert 'href="kurs.ics"' in html
    assert 'href="leyla.vcf"' in (site / "ar/contacts/leyla/index.html").read_text()


def test_downloads_are_byte_identical_between_builds(site: Path, tmp_path: Path) -> None:
    root = site.parent
    again = tmp_path / "again"
    build_site(root, again, search=False)  # SOURCE_DATE_EPOCH is the same (conftest)
    for rel in ("de/offers/kurs/kurs.ics", "ar/contacts/leyla/leyla.vcf", "en/offers/beratung/index.html"):
        assert (again / rel).read_bytes() == (site / rel).read_bytes(), rel


@pytest.mark.parametrize("rel", ["ar/contacts/leyla/leyla.vcf", "de/offers/kurs/kurs.ics", "en/contacts/rolle/rolle.vcf"])
def test_lines_are_folded_at_75_octets(site: Path, rel: str) -> None:
    data = (site / rel).read_bytes()
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # no UTF-8 sequence is split by the folding
        assert not line.endswith(b"\\") or line.endswith(b"\\\\")  # no escape split across lines


def test_calendar_times_resolve_through_its_own_vtimezone(site: Path) -> None:
    cal = icalendar.Calendar.from_ical((site / "de/offers/kurs/kurs.ics").read_bytes())
    (zone,) = cal.walk("VTIMEZONE")
    own = zone.to_tz(lookup_tzid=False)  # the file's VTIMEZONE, not the reader's tz database
    berlin = ZoneInfo("Europe/Berlin")
    for event in cal.walk("VEVENT"):
        local = event["DTSTART"].dt.replace(tzinfo=None)
        assert local.replace(tzinfo=own).utcoffset() == local.replace(tzinfo=berlin).utcoffset()


# --- JSON-LD ------------------------------------------------------------------------------------
def json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(b) for b in blocks]


def test_json_ld_course_for_dated_offer(site: Path) -> None:
    [data] = json_ld((site / "de/offers/kurs/index.html").read_text())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Course"
    assert data["name"] == "Deutschkurs für Mütter"
    assert [i["startDate"] for i in data["hasCourseInstance"]] == ["2027-03-01T09:00", "2027-11-02T18:00"]
    assert data["hasCourseInstance"][0]["location"]["address"]["postalCode"] == "46325"
    assert data["offers"]["price"] == "0"


def test_json_ld_service_for_offer_without_dates(site: Path) -> None:
    [data] = json_ld((site / "en/offers/beratung/index.html").read_text())
    assert data["@type"] == "Service"
    assert data["provider"] == {"@type": "Organization", "name": "Testverein e.V.", "contactPoint": [data["availableChannel"]["servicePhone"]]}
    assert data["hoursAvailable"] == [{"@type": "OpeningHoursSpecification", "dayOfWeek": ["https://schema.org/Tuesday"],
                                       "opens": "10:00", "closes": "12:00"}]  # fmt: skip
    assert data["url"] == "https://example.org/site/en/offers/beratung/"


def test_json_ld_contacts(site: Path) -> None:
    [person] = json_ld((site / "ar/contacts/leyla/index.html").read_text())
    assert person["@type"] == "Person"
    assert person["jobTitle"] == "استشارة؛ مرافقة، ترجمة"
    assert person["contactPoint"]["@type"] == "ContactPoint"
    assert person["contactPoint"]["telephone"] == "+492861939414"
    assert person["knowsLanguage"] == ["de", "ar", "fr"]
    [role] = json_ld((site / "de/contacts/rolle/index.html").read_text())
    assert role["@type"] == "ContactPoint"
    assert role["contactType"] == "Projektkoordination Ehrenamt"


def test_json_ld_publisher_on_home_page(site: Path) -> None:
    [data] = json_ld((site / "de/index.html").read_text())
    types = {node["@type"]: node for node in data["@graph"]}
    assert types["Organization"]["name"] == "Testverein e.V."
    assert types["Organization"]["address"]["streetAddress"] == "Hauptstraße 1"
    assert types["WebSite"]["publisher"] == {"@id": types["Organization"]["@id"]}


def test_json_ld_cannot_close_its_script_element(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", {
        "content/site.yaml": SITE,
        "content/contacts/leyla.yaml": CONTACT,
        "content/contacts/rolle.yaml": ROLE_ONLY,
        "content/offers/kurs.md": COURSE.replace("title: Deutschkurs für Mütter", "title: A </script><script>alert(1)</script>"),
    })  # fmt: skip
    build_site(root, tmp_path / "out", search=False)
    html = (tmp_path / "out/de/offers/kurs/index.html").read_text()
    [data] = json_ld(html)
    assert data["name"] == "A </script><script>alert(1)</script>"
    assert "</script><script>alert" not in html  # inside the data block "</" is written "<\\/"
