"""Translation status: counts per language and per entry against hand-counted catalogues."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.pipeline import build_site, load_project
from sitegen.status import Counts, coverage

from .conftest import GOLDEN_PROJECT, SITE_YAML, write_tree

OFFER = "---\ntitle: Kurs\nsummary: Ein Kurs.\ncategory: sprache\n---\nErster Absatz.\n\nZweiter Absatz.\n"
PAGE = "---\ntitle: Über uns\n---\nWir sind ein Verein.\n\nBeratung\n"  # 'Beratung' is also a category label

EN_PO = """\
msgid ""
msgstr ""
"Language: en\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Integrationsagentur Test"
msgstr "Integration Agency Test"

msgid "Angebote für Zugewanderte"
msgstr "Offers for immigrants"

msgid "Sprachkurse"
msgstr "Language courses"

msgid "Beratung"
msgstr "Counselling"

msgid "Familien"
msgstr ""

msgid "Kurs"
msgstr "Course"

msgid "Ein Kurs."
msgstr "A course."

msgid "Erster Absatz."
msgstr "First paragraph."

#, fuzzy
msgid "Zweiter Absatz."
msgstr "Second paragraph (old)."

msgid "Beraterin"
msgstr "Counsellor"

#, fuzzy
msgid "Über uns"
msgstr "About"

msgid "Wir sind ein Verein."
msgstr "We are an <script>alert(1)</script> association."

msgid "Ein Text, den die Seite nicht mehr hat."
msgstr "A text the site no longer has."
"""
# By hand — 13 distinct texts: site.yaml 6 (title, tagline, 2 categories, 2 audiences),
# offer 4, contact 1 (role), page 3 of which 'Beratung' is already counted. Per entry, the offer's
# page also shows its category's label 'Sprachkurse' (5 texts).
# en: translated 8, fuzzy 2 (Zweiter Absatz., Über uns), failed check 1 (<script>),
# untranslated 2 (Familien: empty; Frauen: not in the file). ar: no catalogue, 13 untranslated.


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "site", {
        "content/site.yaml": SITE_YAML,
        "content/offers/kurs.md": OFFER,
        "content/contacts/anna.yaml": "name: Anna Beispiel\nrole: Beraterin\n",
        "content/pages/ueber-uns.md": PAGE,
        "content/pages/impressum.md": "---\ntitle: Impressum\ntranslate: false\n---\nNur auf Deutsch.\n",
        "locales/en/LC_MESSAGES/messages.po": EN_PO,
    })  # fmt: skip


def test_coverage_per_language(site: Path) -> None:
    report = coverage(load_project(site))
    assert report.languages == ("en", "ar")
    assert report.messages == 13
    assert report.total("en") == Counts(translated=8, fuzzy=2, failed_check=1, untranslated=2)
    assert report.total("ar") == Counts(translated=0, fuzzy=0, failed_check=0, untranslated=13)
    assert report.total("en").percent() == 61.5  # 8/13 = 61.538…, rounded down
    assert report.total("ar").percent("untranslated") == 100.0


def test_coverage_per_entry(site: Path) -> None:
    report = coverage(load_project(site))
    by_label = {e.label: e for e in report.entries}
    assert list(by_label) == ["site.yaml", "offers/kurs", "contacts/anna", "pages/ueber-uns"]  # impressum: German only
    assert by_label["site.yaml"].count("en") == Counts(4, 0, 0, 2)
    assert by_label["offers/kurs"].count("en") == Counts(4, 1, 0, 0)  # with its category's label
    assert by_label["contacts/anna"].count("en") == Counts(1, 0, 0, 0)
    assert by_label["pages/ueber-uns"].count("en") == Counts(1, 1, 1, 0)
    page = by_label["pages/ueber-uns"]
    assert [(p.msgid, p.line, p.state("en"), p.state("ar")) for p in page.pending] == [
        ("Über uns", 2, "fuzzy", "untranslated"),
        ("Wir sind ein Verein.", 4, "failed_check", "untranslated"),
        ("Beratung", 6, "translated", "untranslated"),
    ]
    assert by_label["offers/kurs"].route == "offers/kurs/" and by_label["site.yaml"].route == ""


def test_status_table(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", str(site)]) == 0
    assert capsys.readouterr().out == (
        "13 texts in the source language (de)\n"
        "\n"
        "language  translated       fuzzy  failed check  untranslated  total\n"
        "en        8 (61.5 %)  2 (15.3 %)     1 (7.6 %)    2 (15.3 %)     13\n"
        "ar         0 (0.0 %)   0 (0.0 %)     0 (0.0 %)  13 (100.0 %)     13\n"
        "\n"
        "no catalogue yet for: ar (run `sitegen extract && sitegen update`)\n"
    )


def test_status_entries_table_lists_what_is_not_done(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", str(site), "--entries"]) == 0
    out = capsys.readouterr().out
    assert out.split("\n\n")[-1] == (
        "entry            language  translated  fuzzy  failed check  untranslated  total\n"
        "site.yaml        en                 4      0             0             2      6\n"
        "site.yaml        ar                 0      0             0             6      6\n"
        "offers/kurs      en                 4      1             0             0      5\n"
        "offers/kurs      ar                 0      0             0             5      5\n"
        "contacts/anna    ar                 0      0             0             1      1\n"
        "pages/ueber-uns  en                 1      1             1             0      3\n"
        "pages/ueber-uns  ar                 0      0             0             3      3\n"
        "0 of 4 entries are fully translated in every language\n"
    )


def test_status_json_for_ci(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", str(site), "--json", "--entries"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["messages"] == 13
    assert data["languages"]["en"] == {
        "translated": 8, "fuzzy": 2, "failed_check": 1, "untranslated": 2, "same_as_source": 0, "total": 13, "percent": 61.5,
        "catalogue": "locales/en/LC_MESSAGES/messages.po", "exists": True,
    }  # fmt: skip
    assert data["languages"]["ar"]["exists"] is False
    kurs = next(e for e in data["entries"] if e["id"] == "kurs")
    assert kurs["path"] == "content/offers/kurs.md"
    assert kurs["languages"]["en"]["pending"] == [
        {"msgid": "Zweiter Absatz.", "path": "content/offers/kurs.md", "line": 8, "state": "fuzzy"}
    ]
    assert {"msgid": "Sprachkurse", "path": "content/site.yaml", "line": 10, "state": "untranslated"} in (
        kurs["languages"]["ar"]["pending"]
    )  # the category's label stands on the offer's page
    assert main(["status", str(site), "--json"]) == 0
    assert "entries" not in json.loads(capsys.readouterr().out)


def test_complete_translations_report_100_percent(tmp_path: Path) -> None:
    assert Counts(3, 0, 0, 0).percent() == 100.0
    assert Counts(999, 0, 0, 1).percent() == 99.9  # never rounded up to 100
    assert Counts().percent() == 100.0  # nothing to translate


def test_status_page_shows_counts_and_each_missing_or_outdated_text(site: Path) -> None:
    build_site(site, search=False)
    page = (site / "_site/en/status/index.html").read_text()
    assert '<meta name="robots" content="noindex">' in page
    assert "<dd>Translated: 8 (61.5%) · Outdated: 2 · Failed check: 1 · Missing: 2</dd>" in page
    assert "<dd>Translated: 0 (0%) · Outdated: 0 · Failed check: 0 · Missing: 13</dd>" in page
    english = page[page.index('id="lang-en"') : page.index('id="lang-ar"')]
    assert '<a href="../../en/pages/ueber-uns/"' not in english  # pages live at /<lang>/<id>/
    assert '<a href="../../en/ueber-uns/" hreflang="en">' in english
    assert '<a href="../../en/offers/kurs/" hreflang="en">Course</a>' in english
    assert '<strong>Outdated:</strong> <q lang="de">Zweiter Absatz.</q>' in english
    assert '<strong>Outdated:</strong> <q lang="de">Über uns</q>' in english
    assert '<strong>Failed check:</strong> <q lang="de">Wir sind ein Verein.</q>' in english
    assert '<strong>Missing:</strong> <q lang="de">Familien</q>' in english
    assert "Beraterin" not in english  # fully translated entries are not listed
    arabic = page[page.index('id="lang-ar"') :]
    assert "<strong>Missing:</strong> all texts of this entry (5)" in arabic
    ar_page = (site / "_site/ar/status/index.html").read_text()  # right-to-left: German quoted as ltr
    assert '<q lang="de" dir="ltr">Zweiter Absatz.</q>' in ar_page


def test_an_offer_whose_contacts_role_is_untranslated_is_partly_translated_everywhere(golden_build: Path) -> None:
    """tests/golden/project: the 'Elterncafé' offer is translated into English, its contact Leyla's
    role 'Elternbegleiterin' is not. Its page, the switcher, the status page and `sitegen status`
    agree that the English offer page is partly translated (sitegen.shown)."""
    english = (golden_build / "en/offers/elterncafe/index.html").read_text()
    assert 'class="notice"' in english and '<p class="role"><span lang="de">Elternbegleiterin</span></p>' in english
    german = (golden_build / "de/offers/elterncafe/index.html").read_text()
    assert 'hreflang="en" lang="en" dir="ltr">English<span class="partial"' in german
    status = (golden_build / "en/status/index.html").read_text()
    english_status = status[status.index('id="lang-en"') : status.index('id="lang-ar"')]
    offer = english_status[english_status.index('<a href="../../en/offers/elterncafe/"') :]
    assert offer.split("</ul>")[0].count("<li>") == 1 and '<q lang="de">Elternbegleiterin</q>' in offer
    report = coverage(load_project(GOLDEN_PROJECT))
    entry = next(e for e in report.entries if e.label == "offers/elterncafe")
    assert [(p.msgid, p.path, p.state("en")) for p in entry.pending if p.state("en") != "translated"] == [
        ("Elternbegleiterin", "content/contacts/leyla.yaml", "untranslated")
    ]


def test_percentages_are_written_the_readers_way() -> None:
    from decimal import Decimal

    from babel.numbers import format_percent

    counts = Counts(7, 0, 0, 22)  # 24.1 %: as a float 24.1 / 100 is 0.24100000000000002
    for lang in ("de", "en", "ar", "tr", "ru", "fr"):
        assert counts.percent_text(lang) == format_percent(Decimal("0.241"), locale=lang, decimal_quantization=False)
    assert counts.percent_text("de") == format_percent(Decimal("0.241"), locale="de", decimal_quantization=False)
    assert "24,1" in counts.percent_text("de") and "0000" not in counts.percent_text("de")
