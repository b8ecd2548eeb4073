"""Translations a newcomer can act on (issue 9): realistic translator mistakes and what check says.

Real messages of the example site, each changed the way translators get them wrong: a digit swapped
in a phone number, an area code dropped, a time, a year, a room, a price; the German text pasted
as the translation; a stray line break; a doubled word. All of them go into one copy of the
example site, and ``sitegen check`` must name each with its exact line and message, and nothing
else. Correct translations that write numbers their own way must raise nothing, and the example
catalogues as they are must raise nothing at all.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from sitegen.body import make_markdown
from sitegen.checks import scan_po
from sitegen.cli import main
from sitegen.errors import Report
from sitegen.number_checks import number_problems
from sitegen.pipeline import build_site, load_project
from sitegen.pofile import po_bytes, po_path, read_catalog
from sitegen.status import coverage
from sitegen.text_checks import COPY_WARNING

from .test_build import extract_and_update, translate

ROOT = Path(__file__).resolve().parent.parent
COPY = f"warning: {COPY_WARNING}"
PHONE = "Fragen zum Elterncafé beantwortet [Tobias Brinkmann](../contacts/drk-herford-integrationsagentur.yaml) unter 05221 / 56784."  # fmt: skip
IFAK = ("Die IFAK e.V. ist seit 1974 eine Selbstorganisation von Zugewanderten und Einheimischen in Bochum. Mehr über den "
        "Verein lesen Sie auf https://www.ifak-bochum.de. Eltern mit Fragen zu Erziehung und Schule finden Hilfe bei der "
        "[Elternberatung](elternberatung-bochum.md) im selben Haus.")  # fmt: skip
IFAK_EN = ("Since 1974, IFAK e.V. has been an association in Bochum run by migrants and local people together. You can read "
           "more about the association at {url}. Parents with questions about parenting and school can find help at the "
           "[parent counselling service](elternberatung-bochum.md) in the same building.")  # fmt: skip
CONTACT = ("Ihre Ansprechperson im Kursbüro ist [Daniel Kowalczyk](../contacts/drk-borken-sprachkurse.yaml). Informationen "
           "zur Verarbeitung Ihrer Daten finden Sie unter [Datenschutz](../pages/datenschutz.md).")  # fmt: skip
REGISTER = "Anmeldung über das Kursbüro. Bitte bringen Sie Ihr letztes Sprachzertifikat mit (zum Beispiel B1)."
DRK = "Mehr über das Rote Kreuz im Kreis Borken: https://www.drkborken.de"
BAMF = "Allgemeine Informationen zu Berufssprachkursen gibt es auf der Seite des BAMF: https://www.bamf.de/"
HOURS = "Anmeldung im Stadtteilbüro des Mehrgenerationenhauses, montags bis freitags von 9 bis 13 Uhr."
ACCESSIBLE = "Diese Erklärung wurde am 15. Oktober 2026 erstellt und beruht auf einer Selbstbewertung."


@dataclass(frozen=True)
class Mistake:
    lang: str
    msgid: str
    msgstr: str
    reported: tuple[str, ...]  # what check says at the msgid's line; 'warning: …' for a warning
    what: str = ""  # for the report's table
    flags: tuple[str, ...] = ()


MISTAKES = [
    # --- numbers: errors, German is published instead -----------------------------------------
    Mistake("ar", PHONE, "يجيب [Tobias Brinkmann](../contacts/drk-herford-integrationsagentur.yaml) عن الأسئلة حول مقهى الأهل على الرقم ٠٥٢٢١ / ٥٦٨٧٤.",
            ("the number '05221 / 56784' is missing from the translation (found '٠٥٢٢١ / ٥٦٨٧٤')",), "phone digits swapped, Arabic-Indic digits"),
    Mistake("en", PHONE, "[Tobias Brinkmann](../contacts/drk-herford-integrationsagentur.yaml) will answer your questions about the parents' café on 56784.",
            ("the number '05221 / 56784' is missing from the translation (found '56784')",), "phone area code dropped"),
    Mistake("fr", "10:30", "10:03", ("the number '10:30' is missing from the translation (found '10:03')",), "opening time 10:30 → 10:03"),
    Mistake("tr", HOURS, "Kayıt, Kuşaklararası Buluşma Evi'nin semt bürosunda yapılır; pazartesiden cumaya saat 9 ile 15 arası.",
            ("the number '13' is missing from the translation (found '15')",), "13 Uhr → 15"),
    Mistake("ru", "600 Stunden Deutsch, 100 Stunden Orientierungskurs", "60 часов немецкого, 100 часов ориентационного курса",
            ("the number '600' is missing from the translation (found '60')",), "hours 600 → 60"),
    Mistake("en", IFAK, IFAK_EN.format(url="https://www.ifak-bochum.de").replace("1974", "1947"),
            ("the number '1974' is missing from the translation (found '1947')",), "year 1974 → 1947"),
    Mistake("ar", "26. Januar 2027", "16 يناير/كانون الثاني 2027",
            ("the number '26' is missing from the translation (found '16')",), "day of the month 26 → 16"),
    Mistake("fr", "Gebäude E, Raum E113", "Bâtiment E, salle E311",
            ("the number 'E113' is missing from the translation (found 'E311')",), "room E113 → E311"),
    Mistake("tr", "3 Euro pro Abend für die Zutaten. Wer das nicht zahlen kann, kocht trotzdem mit.",
            "Malzemeler için akşam başına 5 Euro. Ödeyemeyen de yine katılıp birlikte yemek yapar.",
            ("the number '3' is missing from the translation (found '5')",), "price 3 € → 5 €"),
    Mistake("ru", "8. Januar 2027", "8 января 2026 г.", ("the number '2027' is missing from the translation (found '2026')",), "year of a date"),
    Mistake("en", ACCESSIBLE, "This statement was prepared on 5 October 2026 and is based on a self-assessment.",
            ("the number '15' is missing from the translation (found '5')",), "day 15 → 5"),
    Mistake("ar", "Raum 1.07", "الغرفة 1.70", ("the number '1.07' is missing from the translation (found '1.70')",), "room 1.07 → 1.70"),
    Mistake("fr", "Erdgeschoss, Büro 0.14", "Rez-de-chaussée, bureau 14", ("the number '0.14' is missing from the translation (found '14')",), "room 0.14 → 14"),
    Mistake("en", "Höchstens 14 Plätze pro Abend. Bitte melden Sie sich bis Mittwoch vorher an.",
            "At most 4 places per evening. Please register by the Wednesday before.",
            ("the number '14' is missing from the translation (found '4')",), "places 14 → 4"),
    Mistake("tr", "Kinder ab 8 Jahren dürfen mit einem Erwachsenen mitkochen.", "6 yaş üstü çocuklar bir yetişkinle birlikte yemek yapabilir.",
            ("the number '8' is missing from the translation (found '6')",), "small number changed 8 → 6"),
    Mistake("ru", "16 Wochen", "6 недель", ("the number '16' is missing from the translation (found '6')",), "16 weeks → 6"),
    Mistake("ar", "2 Wochen, bitte vorher reservieren", "3 أسابيع، يُرجى الحجز مسبقًا",
            ("the number '2' is missing from the translation (found '3')",), "2 weeks → 3"),
    Mistake("fr", "1. und 3. Mittwoch", "1er et 2e mercredi", ("the number '3' is missing from the translation (found '2')",), "ordinal 3. → 2e"),
    Mistake("ar", "18. Mai 2027", "١٨ مايو/أيار ٢٠٢٦", ("the number '2027' is missing from the translation (found '٢٠٢٦')",), "year, Arabic-Indic digits"),
    Mistake("en", "23. März 2027", "23 May 2027", (), "month name changed (not a number: not caught)"),
    # --- the German text as the translation: a warning, shown as German ---------------------------
    Mistake("en", "Sie kommen mit diesem Schreiben in unser Kursbüro.", "Sie kommen mit diesem Schreiben in unser Kursbüro.", (COPY,), "copy of the German text"),
    Mistake("tr", REGISTER, REGISTER, (COPY,), "copy of the German text"),
    Mistake("ru", "Ein Ausflug zum Wochenmarkt", "Ein Ausflug zum Wochenmarkt", (COPY,), "copy of a German title"),
    # --- line breaks and whitespace -----------------------------------------------------------------
    Mistake("fr", "Sie kommen mit diesem Schreiben in unser Kursbüro.", "Vous venez avec ce courrier à notre bureau des cours.\n",
            ("the translation ends with a line break ('\\n') and the source does not: remove it (msgfmt --check rejects the file otherwise)",),
            "msgstr ends with \\n"),
    Mistake("ar", "Sie kommen mit diesem Schreiben in unser Kursbüro.", "\nتأتون بهذه الرسالة إلى مكتب الدورات لدينا.",
            ("the translation starts with a line break ('\\n') and the source does not: remove it (msgfmt --check rejects the file otherwise)",),
            "msgstr starts with \\n"),
    Mistake("en", "1 Woche", "1 week ", ("warning: the translation ends with a space and the source does not: remove it",), "trailing space"),
    Mistake("ru", "4 Wochen", " 4 недели", ("warning: the translation starts with a space and the source does not: remove it",), "leading space"),
    # --- doubled words: warnings ------------------------------------------------------------------------
    Mistake("en", "6 Wochen, Verlängerung möglich", "6 weeks, can be be extended", ("warning: doubled word 'be be': delete one",), "doubled word"),
    Mistake("fr", "16 Wochen", "16 semaines semaines", ("warning: doubled word 'semaines semaines': delete one",), "doubled word"),
    Mistake("ru", "1 Vormittag pro Woche", "1 утро в в неделю", ("warning: doubled word 'в в': delete one",), "doubled word"),
    Mistake("tr", "1 Woche", "1 hafta hafta", ("warning: doubled word 'hafta hafta': delete one",), "doubled word"),
    Mistake("ar", "4 Wochen", "4 أسابيع أسابيع", ("warning: doubled word 'أسابيع أسابيع': delete one",), "doubled word"),
    # --- links: compared once, by the link check ------------------------------------------------------
    Mistake("en", CONTACT, "Your contact person at the course office is [Daniel Kowalczyk](../contacts/drk-borken.yaml). "
            "Information on how we process your data can be found under [Privacy](../pages/datenschutz.md).",
            ("link targets differ from the source: missing '../contacts/drk-borken-sprachkurse.yaml'; not in the source '../contacts/drk-borken.yaml'",),
            "link target changed"),
    Mistake("fr", IFAK, IFAK_EN.format(url="https://www.ifak-bochum2.de"),
            ("link targets differ from the source: missing 'https://www.ifak-bochum.de'; not in the source 'https://www.ifak-bochum2.de'",),
            "number inside an address: one report"),
]
NOT_MISTAKES = [
    # Written the way readers of the language write it: nothing to report.
    Mistake("ru", BAMF, "Общая информация о курсах профессионального немецкого (Berufssprachkurse) есть на сайте BAMF: «https://www.bamf.de/»",
            (), "address in «…»"),
    Mistake("tr", BAMF, "Mesleki dil kursları hakkında genel bilgileri BAMF'nin sayfasında bulabilirsiniz: “https://www.bamf.de/”",
            (), "address in “…”"),
    Mistake("fr", DRK, "Plus d’informations sur la Croix-Rouge du district de Borken : « https://www.drkborken.de »", (), "address in « … »"),
    Mistake("tr", PHONE, "Ebeveyn Kafesi ile ilgili sorularınızı [Tobias Brinkmann](../contacts/drk-herford-integrationsagentur.yaml) +49 5221 56784 numaralı telefondan yanıtlar.",
            (), "phone written internationally"),
    Mistake("ar", HOURS, "التسجيل في مكتب الحي، من الاثنين إلى الجمعة من الساعة ٩ حتى الساعة ١ ظهرًا.", (), "13 Uhr → 1 pm, Arabic-Indic digits"),
    Mistake("fr", "Elterncafé International im Familienzentrum DRK-Kita Ottelau", "Elterncafé International im Familienzentrum DRK-Kita Ottelau",
            (), "kept on purpose", flags=("ignore-same",)),
]


@pytest.fixture(scope="module")
def mistaken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[Mistake, str], list[str]]:
    """A copy of the example site with every mistake in it; where each stands; what check says."""
    root = tmp_path_factory.mktemp("mistakes") / "site"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "locales", root / "locales")
    where: dict[Mistake, str] = {}
    for lang in ("en", "ar", "tr", "ru", "fr"):
        path = po_path(root, lang)
        catalog = read_catalog(path, lang, Report(root))
        assert catalog is not None
        mine = [m for m in MISTAKES + NOT_MISTAKES if m.lang == lang]
        for mistake in mine:
            message = catalog.get(mistake.msgid)
            assert message is not None and message.string and not message.fuzzy, mistake.msgid
            message.string = mistake.msgstr
            message.flags |= set(mistake.flags)
        path.write_bytes(po_bytes(catalog))
        lines = {e.msgid: e.line for e in scan_po(path.read_text(encoding="utf-8"))[0] if not e.obsolete}
        for mistake in mine:
            where[mistake] = f"locales/{lang}/LC_MESSAGES/messages.po:{lines[mistake.msgid]}"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        main(["check", str(root)])
    return root, where, err.getvalue().splitlines()


def _reported_at(place: str, output: list[str]) -> list[str]:
    found = []
    for line in output:
        warning = line.startswith("warning: ")
        text = line.removeprefix("warning: ")
        if text.startswith(place + ": "):
            found.append(("warning: " if warning else "") + text[len(place) + 2 :])
    return found


@pytest.mark.parametrize("mistake", MISTAKES + NOT_MISTAKES, ids=lambda m: f"{m.lang}-{m.what}")
def test_check_names_each_mistake_exactly(mistake: Mistake, mistaken: tuple[Path, dict[Mistake, str], list[str]]) -> None:
    _, where, output = mistaken
    assert _reported_at(where[mistake], output) == list(mistake.reported)


def test_check_reports_nothing_else(mistaken: tuple[Path, dict[Mistake, str], list[str]]) -> None:
    output = mistaken[2]
    expected = sum(len(m.reported) for m in MISTAKES)
    errors = sum(1 for m in MISTAKES for r in m.reported if not r.startswith("warning: "))
    assert len([line for line in output if line.startswith(("locales/", "warning: locales/"))]) == expected
    assert output[-1].startswith(f"sitegen: {errors} errors")
    assert len(MISTAKES) >= 30 and {m.lang for m in MISTAKES} == {"en", "ar", "tr", "ru", "fr"}


def test_the_example_catalogues_raise_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(ROOT)]) == 0
    assert [line for line in capsys.readouterr().err.splitlines() if not line.startswith("ok: ")] == []


# --- numbers written the way readers of each language write them -------------------------------
@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("Tel. 05221 / 56784", "هاتف: ٠٥٢٢١ / ٥٦٧٨٤"),
        ("Tel. 05221 / 56784", "Tel. +49 (0)5221 56784"),
        ("Kosten: 1.000 Euro", "Coût : 1 000 euros"),  # narrow no-break space
        ("Kosten: 1.000 Euro", "Cost: 1,000 euros"),
        ("Kosten: 1.000 Euro", "التكلفة: ١٬٠٠٠ يورو"),
        ("Kosten: 2,50 €", "Cost: €2.50"),
        ("Kosten: 2,50 €", "التكلفة: ٢٫٥٠ يورو"),
        ("Beginn 10:30 Uhr", "Début à 10h30"),
        ("Beginn 10:30 Uhr", "Начало в 10.30"),
        ("von 9 bis 13 Uhr", "from 9 am to 1 pm"),
        ("am 15.10.2026", "on 15/10/2026"),
        ("am 15.10.2026", "le 15 octobre 2026"),
        ("1 Woche", "أسبوع واحد"),
        ("3. Etage", "الطابق الثالث"),
        ("2 Wochen", "two weeks"),
        ("[Seite 3](seite-3.md)", "[page three](seite-3.md)"),  # the target is the link check's
    ],
)
def test_numbers_written_another_way_are_the_same(source: str, translation: str) -> None:
    assert number_problems(source, translation) == []


@pytest.mark.parametrize(
    ("source", "translation", "problem"),
    [
        ("Tel. 02861 939414", "Тел. 02861 939441", "the number '02861 939414' is missing from the translation (found '02861 939441')"),
        ("Beginn 10:30 Uhr", "Starts at 10.03", "the number '10:30' is missing from the translation (found '10.03')"),
        ("von 9 bis 13 Uhr", "de 9 h à 15 h", "the number '13' is missing from the translation (found '15')"),
        ("3 Euro pro Abend", "three euros per evening", "the number '3' is missing from the translation"),
        ("46325 Borken", "46352 Borken", "the number '46325' is missing from the translation (found '46352')"),
    ],
)
def test_changed_numbers_are_named(source: str, translation: str, problem: str) -> None:
    assert number_problems(source, translation) == [problem]


# --- copies, stale catalogues, hints --------------------------------------------------------------
def test_a_copy_is_shown_as_german_and_counted_as_same_as_german(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extract_and_update(project)
    translate(project, "en", {"Wir sind ein Verein.": "Wir sind ein Verein.", "Über uns": "About us"})
    translate(project, "ar", {"Wir sind ein Verein.": "Wir sind ein Verein."})
    _flag(po_path(project, "ar"), "Wir sind ein Verein.", "ignore-same")
    loaded = load_project(project)
    assert [str(w) for w in loaded.report.warnings if "messages.po" in str(w)] == [
        f"locales/en/LC_MESSAGES/messages.po:{_line(project, 'en', 'Wir sind ein Verein.')}: {COPY_WARNING}"
    ]
    report = coverage(loaded)
    assert report.total("en").same_as_source == 1 and report.total("ar").same_as_source == 0
    assert main(["status", str(project), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["languages"]["en"]["same_as_source"] == 1
    assert main(["status", str(project)]) == 0
    assert "same as German" in capsys.readouterr().out.splitlines()[2]  # a column of the table
    build_site(project)
    en = (project / "_site/en/ueber-uns/index.html").read_text(encoding="utf-8")
    ar = (project / "_site/ar/ueber-uns/index.html").read_text(encoding="utf-8")
    assert '<p><span lang="de">Wir sind ein Verein.</span></p>' in en and 'class="notice"' in en
    assert "<p>Wir sind ein Verein.</p>" in ar  # kept on purpose: published as the translation


def _flag(path: Path, msgid: str, flag: str) -> None:
    with path.open("rb") as f:
        catalog = read_po(f)
    catalog[msgid].flags.add(flag)
    with path.open("wb") as f:
        write_po(f, catalog)


def _line(root: Path, lang: str, msgid: str) -> int:
    entries, _ = scan_po(po_path(root, lang).read_text(encoding="utf-8"))
    return next(e.line for e in entries if e.msgid == msgid and not e.obsolete)


def test_a_stale_template_is_said_once_by_check_build_and_status(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extract_and_update(project)
    page = project / "content/pages/ueber-uns.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Wir sind ein Verein.", "Wir sind ein neuer Verein."), encoding="utf-8")
    stale = ("warning: locales/messages.pot: out of date (1 new or changed German text, 1 deleted since the last "
             "`sitegen extract`): run `sitegen extract && sitegen update`")  # fmt: skip
    for command in (["check"], ["build"], ["status"]):
        assert main([*command, str(project)]) == 0
        assert capsys.readouterr().err.splitlines().count(stale) == 1, command
    extract_and_update(project)
    assert main(["check", str(project)]) == 0
    assert "out of date" not in capsys.readouterr().err


def test_update_without_a_template_names_the_command_that_works(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["update", str(project)]) == 1
    assert "locales/messages.pot: missing: run `sitegen extract && sitegen update`" in capsys.readouterr().err


def test_addresses_in_quotation_marks_link_without_the_marks() -> None:
    md = make_markdown()
    assert md.renderInline("Mehr: „https://www.bamf.de/de“ und »info@drk.de«.") == (
        'Mehr: „<a href="https://www.bamf.de/de">https://www.bamf.de/de</a>“ und '
        '»<a href="mailto:info@drk.de">info@drk.de</a>«.'
    )
