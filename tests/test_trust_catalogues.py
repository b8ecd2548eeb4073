"""A translator's catalogue is untrusted: its header (Plural-Forms, charset) and the cache of
checked catalogues must not let it break, slow down or bypass sitegen."""

from __future__ import annotations

import json
import os
import pickle
import time
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.plurals import get_plural

import sitegen.interface_strings
import sitegen.pofile
import sitegen.catalogue_cache
import sitegen.fingerprint
from sitegen.interface_strings import load_ui
from sitegen.pofile import read_catalog
from sitegen.checks import scan_po
from sitegen.errors import Report
from sitegen.pipeline import load_project
from sitegen.theme import default_theme_dir
from sitegen.catalogue_cache import catalogue_cache_folder

from .badinput import assert_rejected, run
from .conftest import CONTACT, OFFER, SITE_YAML, write_tree

FR = "locales/fr/LC_MESSAGES/messages.po"
GNU = {  # the rules GNU gettext's manual lists; Poedit and Weblate write the same
    "fr": "nplurals=2; plural=(n > 1);",
    "tr": "nplurals=2; plural=(n != 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
}


def po(lang: str = "fr", plural_forms: str | None = GNU["fr"], charset: str = "UTF-8", forms: int = 2) -> str:
    """A catalogue with a header, one translation and one plural message.

    Lines: 4 Plural-Forms, 6 Content-Type, 9 the translation's msgid, 12 the plural msgid.
    """
    rule = f'"Plural-Forms: {plural_forms}\\n"\n' if plural_forms is not None else '"X-Generator: Poedit 3.4\\n"\n'
    return (
        'msgid ""\nmsgstr ""\n'
        f'"Language: {lang}\\n"\n'
        + rule
        + '"MIME-Version: 1.0\\n"\n'
        f'"Content-Type: text/plain; charset={charset}\\n"\n'
        '"Content-Transfer-Encoding: 8bit\\n"\n'
        "\n"
        'msgid "Deutschkurs für Mütter"\nmsgstr "Cours d\'allemand pour les mères"\n'
        "\n"
        'msgid "%(num)d Angebot"\nmsgid_plural "%(num)d Angebote"\n'
        + "".join(f'msgstr[{i}] "%(num)d offre{"s" * i}"\n' for i in range(forms))
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A project in German and French, with a valid French catalogue."""
    return write_tree(tmp_path / "proj", {
        "content/site.yaml": SITE_YAML.replace("languages: [de, en, ar]", "languages: [de, fr]"),
        "content/offers/deutsch-muetter.md": OFFER,
        "content/contacts/anna.yaml": CONTACT,
        FR: po(),
    })  # fmt: skip


def cldr(lang: str) -> str:
    return str(get_plural(lang).plural_forms)


# --- Plural-Forms: what a translator's tool writes is valid --------------------------------------
@pytest.mark.parametrize(("lang", "rule"), [
    *GNU.items(),
    ("tr", "nplurals=1; plural=0;"),  # Weblate's and older GNU's Turkish
    ("fr", "nplurals=2; plural=n>1"),  # no spaces, no closing semicolon
    *((lang, cldr(lang)) for lang in ("fr", "ar", "ru", "tr")),  # what Babel writes for a new catalogue
])  # fmt: skip
def test_plural_headers_of_gettext_poedit_weblate_and_babel_are_valid(site: Path, capsys: pytest.CaptureFixture[str], lang: str, rule: str) -> None:  # fmt: skip
    count = int(rule.split(";")[0].split("=")[1])
    write_tree(site, {
        "content/site.yaml": SITE_YAML.replace("languages: [de, en, ar]", f"languages: [de, {lang}]"),
        f"locales/{lang}/LC_MESSAGES/messages.po": po(lang, rule, forms=count),
    })  # fmt: skip
    code, _, err = run(capsys, "check", str(site))
    assert (code, err.splitlines()) == (0, ["ok: 2 entries in 2 languages"])


SPACES = "nplurals=2;" + " " * 5000 + "plural=(n > 1);"
LONG = "nplurals=2; plural=" + "(n > 1) + " * 2000 + "0;"


@pytest.mark.parametrize(("rule", "problem"), [
    ("nplurals=two; plural=(n > 1);", "Plural-Forms 'nplurals=two; plural=(n > 1);' cannot be read: write 'nplurals=N; plural=EXPRESSION;'"),
    ("nplurals=2; plural=exec(1);", "Plural-Forms 'nplurals=2; plural=exec(1);' cannot be read: write 'nplurals=N; plural=EXPRESSION;'"),
    ("nplurals=2; plural=n>1; nplurals=3", "Plural-Forms 'nplurals=2; plural=n>1; nplurals=3' cannot be read: write 'nplurals=N; plural=EXPRESSION;'"),
    ("nplurals=2; plural=n;", "Plural-Forms formula 'n' picks form 2 for n=2, but nplurals=2 allows only 0 to 1"),
    ("nplurals=1; plural=(n > 1000000);", "Plural-Forms formula '(n > 1000000)' picks form 1 for n=1000001, but nplurals=1 allows only msgstr[0]"),
    ("nplurals=2; plural=n/0;", "Plural-Forms formula 'n/0' cannot be computed for n=0"),
    ("nplurals=2; plural=(n > 1;", "Plural-Forms formula '(n > 1' is not a C expression of n"),
    ("nplurals=5000000; plural=0;", "Plural-Forms has nplurals=5000000; a language has 1 to 6 plural forms"),
    (SPACES, f"Plural-Forms is {len(SPACES)} characters long; a plural rule has at most 600"),
    (LONG, f"Plural-Forms is {len(LONG)} characters long; a plural rule has at most 600"),
])  # fmt: skip
def test_unusable_plural_headers_are_errors_at_their_line(site: Path, capsys: pytest.CaptureFixture[str], rule: str, problem: str) -> None:  # fmt: skip
    forms = 1 if rule.startswith("nplurals=1") else 2
    assert_rejected(capsys, site, {FR: po(plural_forms=rule, forms=forms)}, [f"{FR}:4: {problem}; for 'fr' CLDR gives '{cldr('fr')}'"], "check")


def test_pathological_headers_are_refused_fast_and_never_reach_babel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("Babel's read_po was given a file sitegen had refused")

    monkeypatch.setattr(sitegen.pofile, "read_po", refuse)
    rules = ["nplurals=5000000; plural=0;", "nplurals=2;" + " " * 100_000 + "plural=n", "nplurals=" + "9" * 5000 + "; plural=0;",
             "nplurals=2; plural=" + "(" * 3000 + "n" + ")" * 3000 + ";"]  # fmt: skip
    for rule in rules:
        many = "".join(f'\nmsgid "{i}"\nmsgid_plural "{i}s"\nmsgstr[0] "a"\nmsgstr[1] "b"\n' for i in range(1000))
        path = write_tree(tmp_path, {FR: po(plural_forms=rule) + many}) / FR
        report = Report(tmp_path)
        start = time.perf_counter()
        assert read_catalog(path, "fr", report) is None
        assert time.perf_counter() - start < 0.5
        assert len(report.errors) == 1 and report.errors[0].line == 4


def test_plural_message_with_another_number_of_forms_is_an_error_at_its_msgid(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = (po(forms=3) + '\nmsgid "Kurs"\nmsgid_plural "Kurse"\nmsgstr[0] "cours"\n'
           '\n#~ msgid "Alt"\n#~ msgid_plural "Alte"\n#~ msgstr[0] "a"\n#~ msgstr[1] "b"\n#~ msgstr[2] "c"\n')
    assert_rejected(capsys, site, {FR: bad}, [
        f"{FR}:12: plural message with msgstr[0], msgstr[1], msgstr[2], but Plural-Forms has nplurals=2: write msgstr[0] to msgstr[1]",
        f"{FR}:18: plural message with msgstr[0], but Plural-Forms has nplurals=2: write msgstr[0] to msgstr[1]",
        f"{FR}:22: obsolete plural message with msgstr[0], msgstr[1], msgstr[2], but Plural-Forms has nplurals=2: write msgstr[0] to msgstr[1], or delete it",
    ], "check")  # fmt: skip


def test_missing_plural_forms_is_an_error_only_when_there_are_plural_messages(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    singular_only = po(plural_forms=None).split('msgid "%(num)d Angebot"')[0]
    write_tree(site, {FR: singular_only})
    assert run(capsys, "check", str(site))[0] == 0
    assert_rejected(capsys, site, {FR: po(plural_forms=None)}, [
        f"{FR}:1: no Plural-Forms header, but the file has plural messages: add one; for 'fr' CLDR gives '{cldr('fr')}'"
    ], "check")  # fmt: skip


def test_a_second_plural_forms_field_is_an_error(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    twice = po().replace('"MIME-Version: 1.0\\n"', '"Plural-Forms: nplurals=5000000; plural=0;\\n"')
    assert_rejected(capsys, site, {FR: twice}, [
        f"{FR}:5: Plural-Forms appears twice in the header (first at line 4): keep one"
    ], "check")  # fmt: skip


def test_build_with_an_unusable_plural_header_shows_the_language_in_german(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(site, {FR: po(plural_forms="nplurals=2; plural=n;")})
    code, _, err = run(capsys, "build", str(site), "--no-search")
    assert code == 0 and "Traceback" not in err
    assert f"warning: {FR}:4: Plural-Forms formula 'n' picks form 2 for n=2, but nplurals=2 allows only 0 to 1; for 'fr' CLDR gives '{cldr('fr')}'; the fr pages show German" in err.splitlines()  # fmt: skip
    assert '<h1><span lang="de">Deutschkurs für Mütter</span></h1>' in (site / "_site/fr/offers/deutsch-muetter/index.html").read_text()  # fmt: skip


# --- Plural-Forms: each catalogue's own rule renders its own plural messages ----------------------
def test_rendering_uses_each_catalogues_own_plural_rule(site: Path) -> None:
    ui = load_ui([default_theme_dir() / "locales/fr/LC_MESSAGES/messages.po"], "fr", Report(site))
    assert [ui.ngettext("%(num)d offer", "%(num)d offers", n) for n in (0, 1, 2)] == ["%(num)d offre", "%(num)d offre", "%(num)d offres"]  # fmt: skip
    # A project theme's own strings come with the project's catalogue and its own (odd but valid) rule.
    write_tree(site, {
        "content/site.yaml": SITE_YAML.replace("languages: [de, en, ar]", "languages: [de, fr]") + "theme: eigen\n",
        "themes/eigen/static/eigen.css": "",
        FR: po(plural_forms="nplurals=2; plural=(n >= 10);"),
    })  # fmt: skip
    fr = load_project(site).languages["fr"].ui
    assert [fr.ngettext("%(num)d Angebot", "%(num)d Angebote", n) for n in (1, 5, 10)] == ["%(num)d offre", "%(num)d offre", "%(num)d offres"]  # fmt: skip
    assert fr.ngettext("%(num)d offer", "%(num)d offers", 5) == "%(num)d offres"  # the theme's rule for the theme's strings


def test_update_keeps_a_tool_written_plural_header_and_new_catalogues_get_cldrs(site: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    write_tree(site, {"content/site.yaml": SITE_YAML.replace("languages: [de, en, ar]", "languages: [de, fr, tr, ar]"),
                      "locales/tr/LC_MESSAGES/messages.po": po("tr", "nplurals=1; plural=0;", forms=1),
                      "locales/ar/LC_MESSAGES/messages.po": po("ar", GNU["ar"], forms=6)})  # fmt: skip
    assert run(capsys, "extract", str(site))[0] == 0 and run(capsys, "update", str(site))[0] == 0
    for lang, rule in (("fr", GNU["fr"]), ("tr", "nplurals=1; plural=0;"), ("ar", GNU["ar"])):
        entries, _ = scan_po((site / f"locales/{lang}/LC_MESSAGES/messages.po").read_text())
        header = "".join(piece for _, piece in entries[0].msgstr)  # Babel wraps long lines
        assert f"\nPlural-Forms: {rule}\n" in header, lang
    (site / "locales/tr/LC_MESSAGES/messages.po").unlink()
    assert run(capsys, "update", str(site), "-l", "tr")[0] == 0
    new = read_catalog(site / "locales/tr/LC_MESSAGES/messages.po", "tr", Report(site))
    assert new is not None and new.plural_forms == cldr("tr")
    assert run(capsys, "check", str(site))[0] == 0


# --- charset ------------------------------------------------------------------------------------
@pytest.mark.parametrize("charset", ["rot13", "base64", "foo"])
def test_an_unknown_charset_is_reported_at_its_line_by_every_command(site: Path, capsys: pytest.CaptureFixture[str], charset: str) -> None:  # fmt: skip
    problem = f"{FR}:6: charset is '{charset}', not UTF-8: save the file as UTF-8 and write 'charset=UTF-8' in Content-Type"
    assert run(capsys, "extract", str(site))[0] == 0
    assert_rejected(capsys, site, {FR: po(charset=charset)}, [problem], "check")
    assert_rejected(capsys, site, {FR: po(charset=charset)}, [problem], "update")
    for command in ("build", "status"):  # as any unreadable catalogue: a warning, and the language in German
        code, _, err = run(capsys, command, str(site), *(["--no-search"] if command == "build" else []))
        assert code == 0 and "Traceback" not in err
        assert f"warning: {problem}; the fr pages show German" in err.splitlines()


# --- the cache of checked catalogues --------------------------------------------------------------
class Payload:
    """A pickle that creates a folder when it is loaded: what a committed cache file could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.mkdir, (str(self.marker),)


def test_a_cache_committed_to_the_project_is_never_read(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    write_tree(site, {FR: po().replace("Cours d'allemand pour les mères", "Cours <script>alert(1)</script>")})
    code, _, honest = run(capsys, "check", str(site))
    assert code == 1
    marker = tmp_path / "pwned"
    committed = site / ".sitegen-cache" / "catalogues"
    committed.mkdir(parents=True)
    forged = {"format": 2, "translated": {}, "fuzzy": [], "findings": [], "plural": {}, "plural_forms": GNU["fr"]}
    for name in ("fr-0.pickle", "de-0.pickle", "fr.pickle"):
        (committed / name).write_bytes(pickle.dumps(Payload(marker)))
    (committed / "fr-0.json").write_text(json.dumps(forged))
    for command in ("check", "status", "build"):
        code, _, err = run(capsys, command, str(site), *(["--no-search"] if command == "build" else []))
        assert not marker.exists()
        if command == "check":
            assert (code, err) == (1, honest)  # the forged "no findings" changes nothing
    assert "Cours" not in (site / "_site/fr/offers/deutsch-muetter/index.html").read_text()


def test_checked_catalogues_are_cached_as_json_in_the_users_cache_folder(site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    assert run(capsys, "build", str(site), "--no-search")[0] == 0
    folder = catalogue_cache_folder(site)
    assert folder is not None and folder.is_relative_to(Path(os.environ["XDG_CACHE_HOME"]) / "sitegen")
    [cached] = folder.glob("fr-*.json")
    assert json.loads(cached.read_text())["translated"] == {"Deutschkurs für Mütter": "Cours d'allemand pour les mères"}
    assert not (site / ".sitegen-cache").exists()
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # invalid per the XDG spec: ~/.cache instead
    assert str(catalogue_cache_folder(site)).startswith(str(Path.home() / ".cache" / "sitegen"))


@pytest.mark.parametrize("garbage", [b"\x80\x04not json", b"[]", b'{"format": 2}', b'{"format": 2, "translated": {"a": 1}, "fuzzy": [], "findings": [], "plural": {}, "plural_forms": ""}'])  # fmt: skip
def test_a_corrupt_cache_file_is_ignored(site: Path, capsys: pytest.CaptureFixture[str], garbage: bytes) -> None:
    write_tree(site, {FR: po().replace("pour les mères", "pour les \u202emères")})
    first = run(capsys, "check", str(site))
    folder = catalogue_cache_folder(site)
    assert folder is not None
    for cached in folder.glob("fr-*.json"):
        cached.write_bytes(garbage)
    assert run(capsys, "check", str(site)) == first and first[0] == 1


def test_the_cache_key_changes_with_the_checking_libraries(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = sitegen.catalogue_cache.checker_fingerprint()
    monkeypatch.setattr(sitegen.fingerprint, "version", lambda name: "99.0" if name == "nh3" else "1.0")
    assert sitegen.catalogue_cache.checker_fingerprint() != before


# --- reproducible installs ------------------------------------------------------------------------
def test_readme_and_ci_install_the_locked_versions() -> None:
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    ci = (root / ".ci/run").read_text(encoding="utf-8")
    test_command = next(line for line in readme.splitlines() if "python -m pytest" in line)
    assert "pip install -c constraints.txt -e '.[test]'" in test_command and test_command in ci.splitlines()
    assert "pip install -c constraints.txt -e . " in readme
    locked = {line.split("==")[0].lower().replace("_", "-") for line in (root / "constraints.txt").read_text().splitlines()
              if line and not line.startswith("#")}  # fmt: skip
    for package in ("babel", "markdown-it-py", "linkify-it-py", "nh3", "jinja2", "pyyaml", "phonenumbers",
                    "pagefind", "pagefind-bin", "pytest", "hypothesis", "playwright"):  # fmt: skip
        assert package in locked, package


def test_the_projects_own_catalogues_pick_cldrs_form_where_they_have_cldrs_forms() -> None:
    # Any valid rule is accepted, but the project's own catalogues should still be right: old Babel
    # wrote an Arabic rule that gave 11–99 and 100–102 the wrong forms. Compared with CLDR's plural
    # categories themselves (in gettext's order), not with a formula some Babel version derived.
    root = Path(__file__).resolve().parent.parent
    for folder in (root / "locales", default_theme_dir() / "locales"):
        for path in sorted(folder.glob("*/LC_MESSAGES/messages.po")):
            lang = path.parts[-3]
            catalog = read_catalog(path, lang, Report(root))
            assert catalog is not None, path
            rule, categories = sitegen.interface_strings.plural_rule(catalog), Locale.parse(lang).plural_form
            found = {categories(n) for n in range(1001)}  # Russian "other" and French "many" need other numbers
            order = [tag for tag in ("zero", "one", "two", "few", "many", "other") if tag in found]
            if rule.count == len(order):
                assert [rule.index(n) for n in range(1001)] == [order.index(categories(n)) for n in range(1001)], path
