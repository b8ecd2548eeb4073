"""The default theme as readers meet it: hours, right-to-left pages, filters, the interface
catalogues shipped with the theme, no requests to other hosts, and the page-weight budget."""

from __future__ import annotations

import jinja2

import datetime as dt
import gzip
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel import Locale
from babel.dates import format_date, format_interval
from babel.lists import format_list
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from sitegen.interface_strings import load_ui
from sitegen.errors import Report
from sitegen.fields import WEEKDAYS
from sitegen.localize import Localizer
from sitegen.model import CourseDate, Slot
from sitegen.theme import default_theme_dir

from .conftest import CONTACT as BASE_CONTACT
from .conftest import MINIMAL_PROJECT, BuiltSite, build_once, write_tree

ROOT = Path(__file__).resolve().parent.parent
THEME = default_theme_dir()
SHIPPED = ("de", "ar", "tr", "ru", "fr")  # en is the msgids themselves
BUDGET = 50 * 1024  # SPEC §6: the largest page's HTML + its CSS, gzip-compressed


def localizer(lang: str) -> Localizer:
    return Localizer(lang, load_ui([THEME / "locales" / lang / "LC_MESSAGES" / "messages.po"], lang, Report(ROOT)))


# --- hours and dates in the reader's locale ---------------------------------------------------
SLOTS = {
    "weekly": Slot(days=("mo", "tu", "we", "th", "sa"), start=dt.time(9), end=dt.time(12, 30)),
    "nth": Slot(days=("mo",), nth=(1, 3), start=dt.time(15), end=dt.time(17)),
    "last": Slot(days=("fr",), nth=(-1,), start=dt.time(15), end=dt.time(17)),
    "appointment": Slot(by_appointment=True),
}

# The theme's own words (its catalogues) are written out; weekday names, list joins, times and
# dates come from CLDR through Babel, so new locale data in a new Babel doesn't break the tests.
# Ordinals agree with the weekday they stand before: 1st and 3rd Monday, last Friday (ru "последняя
# пятница", ar "الجمعة الأخيرة": Friday is feminine in both).
OWN_WORDS = {  # (a range of days, "nth weekday of the month", ordinals 1st, 3rd Monday, last Friday, by appointment)
    "de": ("{first} bis {last}", "jeden {nth} {weekday} im Monat", ("1.", "3.", "letzten"), "Nach Vereinbarung"),
    "en": ("{first} to {last}", "every {nth} {weekday} of the month", ("1st", "3rd", "last"), "By appointment"),
    "ar": ("من {first} إلى {last}", "{weekday} {nth} من كل شهر", ("الأول", "الثالث", "الأخيرة"), "بموعد مسبق"),
    "ru": ("{first} – {last}", "{nth} {weekday} месяца", ("1-й", "3-й", "последняя"), "По предварительной записи"),
    "fr": ("du {first} au {last}", "{nth} {weekday} du mois", ("le 1er", "le 3e", "le dernier"), "Sur rendez-vous"),
    "tr": ("{first} – {last}", "her ayın {nth} {weekday} günü", ("1.", "3.", "son"), "Randevu ile"),
}  # fmt: skip


def day(lang: str, key: str) -> str:
    return Locale.parse(lang).days["format"]["wide"][WEEKDAYS.index(key)]


def times(lang: str, start: dt.time, end: dt.time) -> str:
    on = dt.date(2027, 3, 1)
    return format_interval(dt.datetime.combine(on, start), dt.datetime.combine(on, end), "Hm", locale=lang)


def expected_hours(lang: str) -> dict[str, str]:
    days, of_month, (first, third, last), appointment = OWN_WORDS[lang]
    return {
        "weekly": format_list([days.format(first=day(lang, "mo"), last=day(lang, "th")), day(lang, "sa")], locale=lang),
        "nth": of_month.format(nth=format_list([first, third], locale=lang), weekday=day(lang, "mo")),
        "last": of_month.format(nth=last, weekday=day(lang, "fr")),
        "appointment": appointment,
        "time": times(lang, dt.time(9), dt.time(12, 30)),
    }


@pytest.mark.parametrize("lang", sorted(OWN_WORDS))
def test_hours_in_the_readers_language(lang: str) -> None:
    fmt, expected = localizer(lang), expected_hours(lang)
    for key, slot in SLOTS.items():
        assert fmt.slot_days(slot) == expected[key], key
    assert fmt.slot_time(SLOTS["weekly"]) == expected["time"]
    assert "09:00" in expected["time"] and "12:30" in expected["time"]  # 24-hour clock in all six
    assert fmt.slot_time(SLOTS["appointment"]) == ""


@pytest.mark.parametrize("lang, ordinals, pattern", [
    ("de", ["2.", "4."], "jeden {nth} {weekday} im Monat"),
    ("en", ["2nd", "4th"], "every {nth} {weekday} of the month"),
    ("ar", ["الثاني", "الرابع"], "{weekday} {nth} من كل شهر"),
    ("tr", ["2.", "4."], "her ayın {nth} {weekday} günü"),
    ("ru", ["2-й", "4-й"], "{nth} {weekday} месяца"),
    ("fr", ["le 2e", "le 4e"], "{nth} {weekday} du mois"),
])  # fmt: skip
def test_every_2nd_and_4th_thursday_reads_as_a_native_speaker_writes_it(lang: str, ordinals: list[str], pattern: str) -> None:
    slot = Slot(days=("th",), nth=(2, 4), start=dt.time(16), end=dt.time(18))
    expected = pattern.format(nth=format_list(ordinals, locale=lang), weekday=day(lang, "th"))
    assert localizer(lang).slot_days(slot) == expected
    assert "недел" not in expected  # not "in the 2nd and 4th week"


def test_course_dates_join_date_and_time_the_locales_way() -> None:
    when = CourseDate(dt.datetime(2027, 3, 1, 13, 30), dt.datetime(2027, 3, 1, 17))
    for lang in ("de", "ar"):
        pattern = str(Locale.parse(lang).datetime_formats["full"])  # '{1}, {0}'; Arabic joins with '،'
        day_text = format_date(when.start.date(), "full", locale=lang)
        expected = pattern.replace("{1}", day_text).replace("{0}", times(lang, dt.time(13, 30), dt.time(17)))
        assert localizer(lang).course_date(when) == expected
        assert "2027" in expected and "13:30" in expected


CONTACT = BASE_CONTACT + """\
hours:
  - {days: [mo, tu, we], from: "09:00", to: "12:00"}
  - {weekday: th, nth: [2, 4], from: "16:00", to: "18:00", note: Abends}
  - {by_appointment: true, note: Auch zu Hause}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal project with a contact that has every kind of hours, built once for these tests."""
    root = write_tree(tmp_path_factory.mktemp("theme") / "proj", {**MINIMAL_PROJECT, "content/contacts/anna.yaml": CONTACT})
    return build_once(root, root / "_site", search=False).out


def main_part(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_hours_on_pages_keep_appointment_apart_from_times(built: Path) -> None:
    de = main_part((built / "de/contacts/anna/index.html").read_text())
    assert f'<th scope="row">{day("de", "mo")} bis {day("de", "we")}</th>' in de
    assert f'<th scope="row">jeden {format_list(["2.", "4."], locale="de")} {day("de", "th")} im Monat</th>' in de
    assert '<tr class="appointment">\n      <th scope="row">Nach Vereinbarung</th>' in de
    ar = main_part((built / "ar/contacts/anna/index.html").read_text())
    assert f'<th scope="row">{day("ar", "th")} {format_list(["الثاني", "الرابع"], locale="ar")} من كل شهر</th>' in ar
    assert '<th scope="row">بموعد مسبق</th>' in ar
    assert '<span lang="de" dir="ltr">Auch zu Hause</span>' in ar  # no translation yet: German, isolated
    en = main_part((built / "en/contacts/anna/index.html").read_text())
    assert f'<th scope="row">every {format_list(["2nd", "4th"], locale="en")} {day("en", "th")} of the month</th>' in en


# --- right to left, landmarks, breadcrumbs --------------------------------------------------
def test_rtl_page_has_dir_rtl_and_isolates_left_to_right_fragments(built: Path) -> None:
    html = (built / "ar/contacts/anna/index.html").read_text()
    assert re.search(r'<html lang="ar" dir="rtl">', html)
    assert '<a href="tel:+492861939414" dir="ltr">02861 939414</a>' in html
    assert '<a href="mailto:anna@example.org" dir="ltr">anna@example.org</a>' in html
    assert "<h1><bdi>Anna Beispiel</bdi></h1>" in html
    assert re.search(r'<html lang="de" dir="ltr">', (built / "de/contacts/anna/index.html").read_text())


def test_page_structure_skip_link_landmarks_one_h1(built: Path) -> None:
    for rel in ("de/index.html", "en/offers/index.html", "ar/offers/deutsch-muetter/index.html",
                "de/contacts/anna/index.html", "de/ueber-uns/index.html"):  # fmt: skip
        html = (built / rel).read_text()
        assert html.count("<h1") == 1, rel
        assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
        assert "<header" in html and "<footer" in html and 'class="languages"' in html
        levels = [int(n) for n in re.findall(r"<h([1-6])", html)]
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), f"{rel} skips a heading level: {levels}"
    offer = (built / "de/offers/deutsch-muetter/index.html").read_text()
    assert '<nav class="breadcrumbs" aria-label="Sie sind hier">' in offer
    updated = format_date(dt.date(2026, 10, 1), "long", locale="de")  # "1. Oktober 2026"
    assert f'<dt>Stand</dt><dd><time datetime="2026-10-01">{updated}</time></dd>' in offer


def test_language_switcher_lands_on_the_same_page_and_marks_partial_translations(built: Path) -> None:
    html = (built / "de/offers/deutsch-muetter/index.html").read_text()
    nav = html[html.index('<nav class="languages"') : html.index("</nav>")]
    assert '<a href="../../../ar/offers/deutsch-muetter/" hreflang="ar" lang="ar" dir="rtl">العربية' in nav
    assert 'aria-current="page">Deutsch</a>' in nav
    # no catalogues in the fixture: a small mark, its words in the reader's language for screen readers
    assert ('<span class="partial" lang="de" dir="ltr" title="teilweise übersetzt">'
            '<span class="visually-hidden"> (teilweise übersetzt)</span></span>') in nav


# --- no requests elsewhere, no inline code --------------------------------------------------
def test_no_inline_scripts_or_styles_and_nothing_from_other_hosts(built: Path) -> None:
    for path in built.rglob("*.html"):
        html = path.read_text()
        rel = path.relative_to(built)
        assert "<style" not in html and " style=" not in html, rel
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert 'type="application/ld+json"' in tag or re.search(r'src="(\.\./|/|static/)[^"]*\.js"', tag), (rel, tag)
        for tag in re.findall(r"<(?:link|script|img|iframe|source)\b[^>]*>", html):
            if "rel=\"canonical\"" in tag or "rel=\"alternate\"" in tag:
                continue
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), (rel, tag)
        assert "Content-Security-Policy" in html and "script-src 'self' 'wasm-unsafe-eval'" in html, rel


def test_filters_work_without_javascript_and_cards_carry_filter_keys(built: Path) -> None:
    html = (built / "de/offers/index.html").read_text()
    assert '<script src="../../static/filters.js" defer></script>' in html
    assert 'href="../../de/offers/category/sprache/" data-key="sprache"' in html
    card = re.search(r'<li class="card offer-card"[^>]*>', html).group(0)
    assert 'data-category="sprache"' in card and 'data-audience="frauen familien"' in card
    assert 'data-language="de ar"' in card and 'data-city="borken"' in card
    filtered = (built / "de/offers/category/sprache/index.html").read_text()
    assert "filters.js" not in filtered  # pre-rendered filter pages need no script
    assert (built / "static/filters.js").is_file() and (built / "static/language.js").is_file()


def test_root_page_offers_every_language_and_404_links_from_the_base_path(built: Path) -> None:
    root = (built / "index.html").read_text()
    assert '<script src="static/language.js" defer></script>' in root
    for code in ("de", "en", "ar"):
        assert f'<a href="{code}/" hreflang="{code}">' in root
    missing = (built / "404.html").read_text()
    assert 'href="/site/static/sitegen.css"' in missing  # the fixture's base_url has the path /site/
    assert '<a href="/site/ar/" hreflang="ar">' in missing
    assert not re.search(r'(?:href|src)="\.\./', missing)


def test_print_stylesheet_is_linked_for_print_only(built: Path) -> None:
    html = (built / "de/offers/deutsch-muetter/index.html").read_text()
    assert '<link rel="stylesheet" href="../../../static/print.css" media="print">' in html
    assert '<p class="print-only">Online: <span dir="ltr">https://example.org/site/de/offers/deutsch-muetter/</span></p>' in html


# --- interface catalogues shipped with the theme -------------------------------------------
def _template_msgids() -> set[str]:
    method_map = [("**.html", "jinja2.ext:babel_extract")]
    options = {"**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}}
    found = {m[2] for m in extract_from_dir(THEME / "templates", method_map=method_map, options_map=options)}
    found |= {m[2] for m in extract_from_dir(ROOT / "sitegen", method_map=[("localize.py", "python"), ("formats.py", "python")])}
    return {m[0] if isinstance(m, tuple) else m for m in found}


def _ids(catalog) -> set[str]:  # type: ignore[no-untyped-def]
    return {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}


def test_pot_has_every_interface_string_of_the_templates() -> None:
    with (THEME / "locales/messages.pot").open("rb") as f:
        pot = _ids(read_po(f))
    missing = _template_msgids() - pot
    assert not missing, f"run pybabel extract (see themes/default/babel.cfg); new strings: {sorted(missing)}"


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_interface_string_is_translated(lang: str) -> None:
    with (THEME / "locales/messages.pot").open("rb") as f:
        pot = read_po(f)
    path = THEME / "locales" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        po = read_po(f, locale=lang)
    assert _ids(po) >= _ids(pot), sorted(_ids(pot) - _ids(po))
    for message in po:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert not message.fuzzy and all(strings), f"{lang}: {message.id!r} is not translated"
        if isinstance(message.id, tuple):
            assert len(strings) == po.num_plurals, f"{lang}: {message.id!r} needs {po.num_plurals} plural forms"
        for name in re.findall(r"%\((\w+)\)", message.id[0] if isinstance(message.id, tuple) else message.id):
            if name != "num":  # a plural form may say the number in words ("عرضان")
                assert all(f"%({name})" in s for s in strings), f"{lang}: {message.id!r} lost %({name})s"
    if lang == "ar":
        assert po.num_plurals == 6
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)


# --- page weight ----------------------------------------------------------------------------
def test_largest_page_with_its_css_fits_the_budget(example_site: BuiltSite) -> None:
    out = example_site.out
    css = sum(len(gzip.compress(p.read_bytes(), 9)) for p in (out / "static").glob("*.css") if p.name != "print.css")
    pages = sorted(out.rglob("*.html"), key=lambda p: len(gzip.compress(p.read_bytes(), 9)))
    largest = pages[-1]
    weight = len(gzip.compress(largest.read_bytes(), 9)) + css
    assert weight <= BUDGET, f"{largest.relative_to(out)}: {weight} bytes gzip with its CSS (budget {BUDGET})"


def test_template_calls_reach_functions_as_in_plain_jinja(tmp_path: Path) -> None:
    """The render context's short path for plain functions gives what Jinja's own call gives."""
    from jinja2 import pass_context

    from sitegen.render.environment import make_environment

    (tmp_path / "t.html").write_text(
        "{% for x in items %}{{ double(x) }}/{{ seen(x) }}/{{ helper.twice(x) }}/{{ 'ab'.upper() }}{{ stop() }};{% endfor %}"
        "{% block b %}{% set y = 5 %}{{ seen(y) }}:{{ helper.marked(y)[-1] }}{% endblock %}",
        encoding="utf-8",
    )

    @pass_context
    def seen(context, value):  # type: ignore[no-untyped-def]
        return f"{value}:{context.get('y', '-')}"

    def stop() -> None:
        raise StopIteration

    class Helper:
        def twice(self, value: int) -> str:
            return f"{value}{value}"

        @pass_context
        def marked(self, context, value):  # type: ignore[no-untyped-def]
            return f"{value}:{context.get('y', '-')}"

    ours, plain = make_environment([tmp_path]), jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), autoescape=True)
    for env in (ours, plain):
        env.undefined = jinja2.Undefined  # the StopIteration case renders as undefined, as in Jinja
    data = {"items": [1, 2], "double": (lambda v: v * 2), "seen": seen, "stop": stop, "helper": Helper()}
    assert ours.get_template("t.html").render(data) == plain.get_template("t.html").render(data) == "2/1:-/11/AB;4/2:-/22/AB;5:5:5"

