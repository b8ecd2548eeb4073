"""A translation can change words, never the page (issue 8, part 3).

One project carries every attack at once, each in its own message: ``sitegen check`` must name
each with its exact ``.po`` line and message, and ``sitegen build`` must publish German for it (or,
where the translation is harmless text, publish it escaped), with no injected markup, link, bidi
or control character on any page and no extra line in a vCard or calendar.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from sitegen.interface_strings import load_ui
from sitegen.checks import scan_po
from sitegen.cli import main
from sitegen.errors import Report
from sitegen.render.environment import interface_text
from sitegen.theme import default_theme_dir

from .conftest import CONTACT, OFFER, SITE_YAML, write_tree
from .test_build import extract_and_update, translate

PO = "locales/en/LC_MESSAGES/messages.po"
EPOCH = "1793491200"  # 2026-11-01T00:00:00Z, as in conftest

SEARCH_TEMPLATE = """\
{% extends "base.html" %}
{% block title %}{{ _("Search") }}{% endblock %}
{% block main %}
<h1 title="{{ _('Language') }}">{{ _("Search") }}</h1>
<p id="hits">{{ _("%(count)s hits", count=3) }}</p>
<p id="places">{{ _("%(count)s places", count=2) }}</p>
<p id="results">{{ ngettext("%(num)d result", "%(num)d results", 5) }}</p>
<p id="go">{{ _("Go") }}</p>
{% endblock %}
"""

BODY = """
Wir lernen gemeinsam Deutsch.

Mehr beim [DRK](https://drk.de/).

Infos bei der <a href="https://drk.de/">Beratung</a>.

- Einkaufen
- Arzt
"""

COURSE = """\
---
title: Abendkurs
summary: Deutsch am Abend.
category: sprache
contacts: [ben]
dates:
  - {start: 2027-03-01T18:00, end: 2027-03-01T20:00}
updated: 2026-10-01
---
Abends.
"""


@dataclass(frozen=True)
class Case:
    """One attack: a message, its translation, what check says, what the page shows."""

    name: str
    msgid: str | tuple[str, str]
    msgstr: str | tuple[str, str]
    problems: list[str]  # check's messages for the msgid's line, in order
    page: str  # the page (or file) below _site/en/ that shows the message
    shows: list[str]  # what that file must contain
    never: list[str]  # what must not be in it


# fmt: off
CASES = [
    Case("quoted meta refresh in an interface string", "Go",
         'Go<meta http-equiv="refresh" content="0;url=//evil.example/">',
         ["unsafe HTML that the site removes: <meta>"],
         "search/index.html", ['<p id="go">Go</p>'], ['http-equiv="refresh"', "url=//evil.example/"]),
    Case("unquoted meta refresh: harmless text, published escaped", "Search",
         "Search<meta http-equiv=refresh content=0;url=//evil.example>", [],
         "search/index.html", ["Search&lt;meta http-equiv=refresh content=0;url=//evil.example&gt;</h1>"], ["<meta http-equiv=refresh"]),
    Case("attribute injection in an interface string: published escaped", "Language",
         'Language" data-injected="1', [],
         "search/index.html", ['title="Language&#34; data-injected=&#34;1"'], ['data-injected="1"']),
    Case("lone % in a formatted interface string", "%(count)s hits", "100% of %(count)s hits",
         ["a '%' that starts no placeholder: write '%%' for a percent sign"],
         "search/index.html", ['<p id="hits">3 hits</p>'], ["100%"]),
    Case("unknown placeholder", "%(count)s places", "%(anzahl)s places",
         ["placeholders differ from the source: missing '%(count)s'; not in the source '%(anzahl)s'"],
         "search/index.html", ['<p id="places">2 places</p>'], ["anzahl"]),
    Case("lone % in a plural form", ("%(num)d result", "%(num)d results"), ("%(num)d result", "%(num)d results 100%"),
         ["a '%' that starts no placeholder: write '%%' for a percent sign"],
         "search/index.html", ['<p id="results">5 results</p>'], ["100%"]),
    Case("link target hidden in another attribute's value", "Mehr beim [DRK](https://drk.de/).",
         """More at <a title='href="https://drk.de/"' href="https://evil.example/">DRK</a>.""",
         ["HTML tags differ from the source: not in the source '<a>', '</a>'",
          "link targets differ from the source: missing 'https://drk.de/'; not in the source 'https://evil.example/'"],
         "offers/deutsch-muetter/index.html",
         ['<p><span lang="de">Mehr beim <a href="https://drk.de/" rel="noopener noreferrer">DRK</a>.</span></p>'],
         ['href="https://evil.example/"']),
    Case("second href attribute", 'Infos bei der <a href="https://drk.de/">Beratung</a>.',
         'Advice at the <a href="https://drk.de/" href="https://evil.example/">counselling service</a>.',
         ["link targets differ from the source: not in the source 'https://evil.example/'"],
         "offers/deutsch-muetter/index.html", ['<span lang="de">Infos bei der '], ['href="https://evil.example/"']),
    Case("script in a title", "Deutschkurs für Mütter", "</script><script>alert(1)</script>",
         ["unsafe HTML that the site removes: <script>"],
         "offers/deutsch-muetter/index.html", ['<h1><span lang="de">Deutschkurs für Mütter</span></h1>'], ["alert(1)"]),
    Case("RLO as a hexadecimal character reference", "Über uns", "About &#x202E;us",
         ["invisible bidi control character U+202E (RIGHT-TO-LEFT OVERRIDE): remove it "
          "(to isolate a word of the other direction, write <bdi>word</bdi>)"],
         "ueber-uns/index.html", ['<h1><span lang="de">Über uns</span></h1>'], ["\u202e", "&#x202E;"]),
    Case("isolates as decimal character references", "Wir sind ein Verein.", "We are &#8295;a club&#8297;.",
         ["invisible bidi control characters U+2067 (RIGHT-TO-LEFT ISOLATE), U+2069 (POP DIRECTIONAL ISOLATE): "
          "remove them (to isolate a word of the other direction, write <bdi>word</bdi>)"],
         "ueber-uns/index.html", ['<p><span lang="de">Wir sind ein Verein.</span></p>'], ["\u2067", "\u2069"]),
    Case("a Markdown backslash does not make a bidi reference allowed", "Sprachkurse", "\\&#x202E;Language courses",
         ["invisible bidi control character U+202E (RIGHT-TO-LEFT OVERRIDE): remove it "
          "(to isolate a word of the other direction, write <bdi>word</bdi>)"],
         "offers/deutsch-muetter/index.html", ['<span lang="de">Sprachkurse</span>'], ["&amp;#x202E;"]),
    Case("RLM stays allowed", "Familien", "\u200fFamilies", [],
         "offers/deutsch-muetter/index.html", ["\u200fFamilies</a>"], []),
    Case("escape character", "Frauen", "Wo\x1bmen",
         ["control character U+001B (ESCAPE): remove it"],
         "offers/deutsch-muetter/index.html", ['<span lang="de">Frauen</span>'], ["\x1b"]),
    Case("carriage return in a role", "Beraterin", "Adviser\rX-INJECTED:1",
         ["control character U+000D (CARRIAGE RETURN): remove it"],
         "contacts/anna/anna.vcf", ["TITLE;LANGUAGE=de:Beraterin\r\n"], ["INJECTED"]),
    Case("line feed in a role is text in the vCard", "Lotse", "Guide\nX-INJECTED:1;x,y", [],
         "contacts/ben/ben.vcf", ["FN;LANGUAGE=en:Guide\\nX-INJECTED:1\\;x\\,y\r\n"], ["\r\nX-INJECTED"]),
    Case("line feeds in a title can't add calendar events", "Abendkurs", "Evening\nEND:VEVENT\nBEGIN:VEVENT", [],
         "offers/kurs/kurs.ics", ["SUMMARY;LANGUAGE=en:Evening\\nEND:VEVENT\\nBEGIN:VEVENT\r\n"], ["\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY"]),
    Case("invalid address in an HTML link", "Einkaufen", '<a href="http://[x">Shopping</a>',
         ["HTML tags differ from the source: not in the source '<a>', '</a>'",
          "link targets differ from the source: not in the source 'http://[x'"],
         "offers/deutsch-muetter/index.html", ['<li><span lang="de">Einkaufen</span></li>'], ["http://[x"]),
    Case("invalid address in a Markdown link", "Arzt", "[Doctor](http://[x)",
         ["link targets differ from the source: not in the source 'http://%5Bx'"],
         "offers/deutsch-muetter/index.html", ['<li><span lang="de">Arzt</span></li>'], ["%5Bx"]),
    Case("malformed character references are text", "Wir lernen gemeinsam Deutsch.", "We learn &#xZZZ; &#99999999999; &#0; & &rlm;",
         [], "offers/deutsch-muetter/index.html", ["<p>We learn &amp;#xZZZ; &amp;#99999999999; \ufffd &amp; \u200f</p>"], []),
    Case("JSON-LD can't be closed by a translation", "Deutsch am Abend.", "German <3 in the evening & </scr",
         [], "offers/kurs/index.html", ['"German \\u003c3 in the evening \\u0026 \\u003c/scr"'], ["</scr\""]),
]
# fmt: on


def _run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(argv))
    return code, err.getvalue()


@dataclass(frozen=True)
class Outcome:
    """What check and build said about the project with every attack, and where each message is."""

    root: Path
    lines: dict[str, int]  # msgid -> line of the en catalogue
    check: tuple[int, list[str]]
    build: tuple[int, list[str]]

    def file(self, rel: str) -> str:
        return (self.root / "_site/en" / rel).read_bytes().decode()  # bytes: CR LF stays CR LF


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    root = write_tree(tmp_path_factory.mktemp("trust") / "proj", {
        "content/site.yaml": SITE_YAML + "theme: mine\n",
        "content/offers/deutsch-muetter.md": OFFER.replace("Wir lernen gemeinsam Deutsch.\n\n- Einkaufen\n- Arzt\n", BODY.lstrip()),
        "content/offers/kurs.md": COURSE,
        "content/contacts/anna.yaml": CONTACT,
        "content/contacts/ben.yaml": "name: ''\nrole: Lotse\nemail: ben@example.org\n",
        "content/pages/ueber-uns.md": "---\ntitle: Über uns\n---\nWir sind ein Verein.\n",
        "themes/mine/templates/search.html": SEARCH_TEMPLATE,
    })  # fmt: skip
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        extract_and_update(root)
        translate(root, "en", {case.msgid: case.msgstr for case in CASES})  # type: ignore[misc]
        entries, _ = scan_po((root / PO).read_text(encoding="utf-8"))
        check_code, check_err = _run("check", str(root))
        build_code, build_err = _run("build", str(root), "--no-search")
    return Outcome(root, {e.msgid: e.line for e in entries}, (check_code, check_err.splitlines()),
                   (build_code, build_err.splitlines()))  # fmt: skip


def _key(case: Case) -> str:
    return case.msgid[0] if isinstance(case.msgid, tuple) else case.msgid


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_names_the_problem_and_the_build_publishes_safely(outcome: Outcome, case: Case) -> None:
    where = f"{PO}:{outcome.lines[_key(case)]}: "
    assert [line for line in outcome.check[1] if line.startswith(where)] == [where + p for p in case.problems]
    warnings = [line for line in outcome.build[1] if line.startswith("warning: " + where)]
    assert warnings == [f"warning: {where}{p}; the German text is published instead" for p in case.problems]
    text = outcome.file(case.page)
    for wanted in case.shows:
        assert wanted in text, wanted
    for unwanted in case.never:
        assert unwanted not in text, unwanted


def test_check_finds_exactly_these_problems_and_the_build_succeeds(outcome: Outcome) -> None:
    expected = sorted(
        (outcome.lines[_key(case)], f"{PO}:{outcome.lines[_key(case)]}: {problem}") for case in CASES for problem in case.problems
    )
    assert outcome.check[0] == 1
    assert outcome.check[1] == [line for _, line in expected] + [f"sitegen: {len(expected)} errors"]
    assert outcome.build[0] == 0 and not any("Traceback" in line for line in outcome.build[1])


class _PageScan(HTMLParser):
    """What a translation must never bring to a page: elements, attributes, links, characters."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.json_ld: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh" or "data-injected" in values:
            self.found.append(f"<{tag} {values}>")
        if tag == "script" and not values.get("src") and values.get("type") != "application/ld+json":
            self.found.append("inline script")
        self._in_ld = tag == "script" and values.get("type") == "application/ld+json"
        for name, value in attrs:
            if name.startswith("on") or (value and "evil" in value):
                self.found.append(f"{tag} {name}={value}")

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.json_ld.append(data)
        if re.search("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\x7f-\x9f]", data):
            self.found.append(f"invisible character in {data!r}")

    def handle_endtag(self, tag: str) -> None:
        self._in_ld = False


def test_no_page_gets_markup_links_or_invisible_characters(outcome: Outcome) -> None:
    # The English pages carry the attacks (the shipped Arabic catalogue isolates ".ics" with U+2066).
    pages = sorted((outcome.root / "_site/en").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        scan = _PageScan()
        scan.feed(page.read_text(encoding="utf-8"))
        assert scan.found == [], page
        for data in scan.json_ld:
            json.loads(data)  # still valid JSON
            assert not set("<>&") & set(data), page


def test_downloads_have_no_stray_line_breaks_and_one_event_per_date(outcome: Outcome) -> None:
    for path in [*(outcome.root / "_site").rglob("*.vcf"), *(outcome.root / "_site").rglob("*.ics")]:
        data = path.read_bytes()
        assert b"\r" not in data.replace(b"\r\n", b"") and b"\n" not in data.replace(b"\r\n", b""), path
        assert not re.search(rb"\r\n(X-INJECTED|END:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY)", data), path
    ics = outcome.file("offers/kurs/kurs.ics")
    assert ics.count("\r\nBEGIN:VEVENT\r\n") == 1 and "DTSTAMP:20261101T000000Z\r\n" in ics


def test_sitemap_and_robots_escape_the_site_address(project: Path) -> None:
    site_yaml = (project / "content/site.yaml").read_text().replace("https://example.org/site/", "https://example.org/a&b/")
    write_tree(project, {"content/site.yaml": site_yaml})
    assert _run("build", str(project), "--no-search")[0] == 0
    sitemap = (project / "_site/sitemap.xml").read_text()
    assert "<loc>https://example.org/a&amp;b/de/</loc>" in sitemap
    ElementTree.fromstring(sitemap)  # well-formed
    assert (project / "_site/robots.txt").read_text().endswith("\nSitemap: https://example.org/a&b/sitemap.xml\n")


def test_calendar_stamp_is_utc_whatever_the_machine_time_zone(outcome: Outcome, tmp_path: Path) -> None:
    files = []
    for tz in ("UTC", "Pacific/Kiritimati", "America/Los_Angeles"):
        out = tmp_path / tz.replace("/", "-")
        env = {**os.environ, "TZ": tz, "SOURCE_DATE_EPOCH": "1793523600"}  # 2026-11-01T09:00:00Z
        subprocess.run([sys.executable, "-m", "sitegen", "build", str(outcome.root), "-o", str(out), "--no-search"],
                       env=env, check=True, capture_output=True)  # fmt: skip
        files.append((out / "de/offers/kurs/kurs.ics").read_bytes())
    assert files[0] == files[1] == files[2]
    assert b"DTSTAMP:20261101T090000Z\r\n" in files[0]


# --- interface strings ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("translation", "variables", "expected"),
    [
        ("<b>Start</b>", {}, "&lt;b&gt;Start&lt;/b&gt;"),
        ("%(n)s <i>Treffer</i>", {"n": "<b>"}, "&lt;b&gt; &lt;i&gt;Treffer&lt;/i&gt;"),
        ("100% von %(n)s", {"n": 3}, "3 hits"),  # doesn't format: the English source
        ("%(anzahl)s Treffer", {"n": 3}, "3 hits"),
        ("Treffer: 100%", {}, "Treffer: 100%"),  # not formatted without variables
    ],
)
def test_interface_text_is_escaped_and_never_fails(translation: str, variables: dict[str, object], expected: str) -> None:
    assert str(interface_text(translation, "%(n)s hits", variables, autoescape=True)) == expected


def test_default_theme_catalogues_all_format(tmp_path: Path) -> None:
    report = Report(tmp_path)
    for lang in ("de", "ar", "tr", "ru", "fr"):
        load_ui([default_theme_dir() / "locales" / lang / "LC_MESSAGES" / "messages.po"], lang, report)
    assert report.warnings == [] and report.errors == []


def test_an_interface_catalogue_that_does_not_format_is_a_warning(tmp_path: Path) -> None:
    po = write_tree(tmp_path, {"ui.po": (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Results: %(count)s"\nmsgstr "100% Ergebnisse: %(count)s"\n\n'
        'msgid "%(num)d offer"\nmsgid_plural "%(num)d offers"\nmsgstr[0] "ein Angebot"\nmsgstr[1] "%(num)d Angebote, 5% neu"\n'
    )}) / "ui.po"  # fmt: skip
    report = Report(tmp_path)
    ui = load_ui([po], "de", report)
    message = "a '%' that starts no placeholder: write '%%' for a percent sign; the English text is shown instead"
    assert [str(w) for w in report.warnings] == [f"ui.po:6: {message}", f"ui.po:9: {message}"]
    assert ui.gettext("Results: %(count)s") == "Results: %(count)s"
    assert ui.ngettext("%(num)d offer", "%(num)d offers", 5) == "%(num)d offers"


@pytest.mark.parametrize("nasty", ["%", "%(", "%(count)", "%*d", "{count", "%(count)s %(x)s", "%(count)z"])
def test_no_translation_makes_the_build_fail(outcome: Outcome, nasty: str, tmp_path: Path) -> None:
    """Every odd msgstr in every formatted string: check names it, build publishes English."""
    root = outcome.root
    before = (root / PO).read_bytes()
    try:
        translate(root, "en", {"%(count)s hits": nasty, ("%(num)d result", "%(num)d results"): (nasty, nasty)})  # type: ignore[dict-item]
        code, err = _run("check", str(root))
        assert code == 1 and "Traceback" not in err
        code, err = _run("build", str(root), "-o", str(tmp_path / "out"), "--no-search")
        assert code == 0 and "Traceback" not in err, err
        page = (tmp_path / "out/en/search/index.html").read_text()
        assert '<p id="hits">3 hits</p>' in page
        assert '<p id="results">5 results</p>' in page or "%" not in nasty  # '{count' is words, not a placeholder
    finally:
        (root / PO).write_bytes(before)

