"""Editors' YAML slips and hostile field values: an exact, actionable message on the right line.

Each case writes one bad file into a project that built fine, and expects exit 1, exactly these
``path:line: message`` lines, no traceback, and the published site unchanged.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.errors import BuildError
from sitegen.pipeline import load_project

from .badinput import assert_rejected, problems, run, snapshot
from .conftest import CONTACT, OFFER, SITE_YAML, write_tree

X = "content/offers/x.md"


def offer(**replace: str) -> str:
    """The fixture offer with lines replaced: ``offer(title="title: B")`` swaps the title line."""
    lines = OFFER.split("\n")
    for field, new in replace.items():
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{field}:"))
        lines[index] = new
    return "\n".join(lines)


def errors_of(root: Path) -> list[str]:
    with pytest.raises(BuildError) as info:
        load_project(root)
    return [str(e) for e in info.value.errors]


# --- unknown fields -----------------------------------------------------------------------------
def test_comma_in_a_flow_mapping_value_is_an_error_with_the_quoted_fix(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = offer(cost="cost: free\nregistration: {required: true, note: Gerne auch telefonisch, oder per Mail}")
    assert_rejected(capsys, project, {X: bad}, [
        f"{X}:12: unknown field 'oder per Mail' in registration — if it belongs to the text before it, "
        "put that text in quotes: note: \"Gerne auch telefonisch, oder per Mail\"",
    ])  # fmt: skip


def test_a_value_split_at_two_commas_is_one_error(project: Path) -> None:
    write_tree(project, {X: offer(cost="cost: free\nregistration: {note: Bitte anrufen, mailen, oder vorbeikommen, required: ja}")})
    assert errors_of(project) == [
        f"{X}:12: unknown field 'mailen' in registration — if it belongs to the text before it, "
        "put that text in quotes: note: \"Bitte anrufen, mailen, oder vorbeikommen\"",
    ]


def test_unknown_fields_are_errors_with_a_suggestion(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = offer(cost="cost: free\nadress: Markt 1\ntelefon: 0201 123456\nregistration:\n  requird: true")
    assert_rejected(capsys, project, {X: bad}, [
        f"{X}:12: unknown field 'adress'; did you mean 'address'?",
        f"{X}:13: unknown field 'telefon': check its spelling, or remove it",
        f"{X}:15: unknown field 'requird' in registration; did you mean 'required'?",
    ], "check")  # fmt: skip


def test_missing_space_after_a_colon_inside_braces(project: Path) -> None:
    write_tree(project, {X: offer(address='address: {street:Hauptstraße 1, postal_code: "46325", city: Borken}')})
    assert f"{X}:8: unknown field 'street:Hauptstraße 1' in address — a space is missing after the colon: write street: Hauptstraße 1" in errors_of(project)


def test_starter_project_is_block_style_and_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "init", str(tmp_path / "neu"))
    assert code == 0, err
    for path in (tmp_path / "neu" / "content").rglob("*.*"):
        front = path.read_text(encoding="utf-8").split("\n---\n")[0]
        assert ": {" not in front and "- {" not in front, f"{path.name} uses a flow mapping: a comma in a value would split it"
    code, _, err = run(capsys, "check", str(tmp_path / "neu"))
    assert code == 0, err


# --- YAML syntax slips --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        pytest.param(offer(title="title: Beratung: Familie"),
                     f"{X}:2: a colon followed by a space inside a value: put the value in quotes: title: \"Beratung: Familie\"", id="colon-in-title"),
        pytest.param(offer(title="title:Beratung"),
                     f"{X}:2: a space is missing after the colon: write title: Beratung", id="missing-space"),
        pytest.param(offer(updated="updated:2026-10-01"),
                     f"{X}:12: a space is missing after the colon: write updated: 2026-10-01", id="missing-space-last-line"),
        pytest.param(OFFER.replace("  - {days", "\t- {days"),
                     f"{X}:10: a tab character where YAML needs spaces: indent with spaces, and write a space, not a tab, after '-' and ':'", id="tab-indent"),
        pytest.param(OFFER.replace("  - {days", "  -\t{days"),
                     f"{X}:10: a tab character where YAML needs spaces: indent with spaces, and write a space, not a tab, after '-' and ':'", id="tab-after-dash"),
        pytest.param(offer(title='title: "Deutschkurs für Mütter'),
                     f"{X}:2: the quote \" that starts this value is never closed: end the value with \"", id="unclosed-quote"),
        pytest.param('---\n\r"\n---\nText\n',  # a lone carriage return is a line break to YAML and to editors
                     f"{X}:3: the quote \" that starts this value is never closed: end the value with \"", id="lone-carriage-return"),
        pytest.param(offer(title='title: "Kurs" für Mütter'),
                     f"{X}:2: text after the closing quote: put the whole value in quotes: title: '\"Kurs\" für Mütter'", id="text-after-quote"),
        pytest.param(offer(audiences="audiences: [frauen, familien"),
                     f"{X}:5: the '[' on this line is never closed: close it with ']' after the last entry", id="unclosed-bracket"),
        pytest.param(offer(title="title: @Home Kurs"),
                     f"{X}:2: a value cannot start with '@': put the value in quotes: title: \"@Home Kurs\"", id="at-sign"),
        pytest.param(offer(title="title: !wichtig Kurs"),
                     f"{X}:2: a value cannot start with '!' (YAML reads it as a tag): put the value in quotes", id="tag"),
        pytest.param(offer(title='title: "C:\\Kurse"'),
                     f"{X}:2: a backslash inside double quotes starts an escape: use single quotes instead, or write \\\\ for each backslash", id="backslash"),
    ],
)  # fmt: skip
def test_yaml_slips_are_explained_on_their_line(project: Path, bad: str, expected: str) -> None:
    write_tree(project, {X: bad})
    assert errors_of(project) == [expected]


def test_utf8_bom_at_the_start_of_a_file_is_accepted(project: Path) -> None:
    (project / X).write_bytes(b"\xef\xbb\xbf" + OFFER.encode())
    (project / "content/contacts/bom.yaml").write_bytes(b"\xef\xbb\xbf" + CONTACT.encode())
    loaded = load_project(project)
    assert {o.id for o in loaded.content.offers} == {"deutsch-muetter", "x"}
    assert {c.id for c in loaded.content.contacts} == {"anna", "bom"}


def test_latin1_file_is_reported_at_its_first_bad_byte(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "build", str(project), "--no-search")
    assert code == 0, err
    before = snapshot(project / "_site")
    (project / X).write_bytes(offer(title="title: Deutschkurs").encode("latin-1"))  # first non-ASCII: Hauptstraße
    code, _, err = run(capsys, "build", str(project), "--no-search")
    assert code == 1 and "Traceback" not in err
    assert [line for line in problems(err) if not line.startswith("warning: ")] == [f"{X}:8: not UTF-8 (byte 0xdf): save the file as UTF-8"]
    assert snapshot(project / "_site") == before


# --- follow-up errors and all files at once -------------------------------------------------------
def test_broken_contact_gives_no_unknown_contact_errors(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_rejected(capsys, project, {
        "content/contacts/anna.yaml": "name: Anna\nrole: Beratung: Familie\n",
        "content/pages/kaputt.md": "---\ntitle: [Kaputt\n---\n",
        "content/pages/ueber-uns.md": "---\ntitle: Über uns\n---\nSiehe [Kaputt](kaputt.md).\n",
    }, [
        "content/contacts/anna.yaml:2: a colon followed by a space inside a value: put the value in quotes: role: \"Beratung: Familie\"",
        "content/pages/kaputt.md:2: the '[' on this line is never closed: close it with ']' after the last entry",
    ])  # fmt: skip


def test_broken_site_yaml_does_not_hide_other_files_errors(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_rejected(capsys, project, {
        "content/site.yaml": SITE_YAML.replace("title: Integrationsagentur Test", "title: Integration: Test"),
        X: offer(title="title:Beratung"),
        "content/contacts/bert.yaml": "name: Bert\n\trole: x\n",
    }, [
        "content/contacts/bert.yaml:2: a tab character where YAML needs spaces: indent with spaces, and write a space, not a tab, after '-' and ':'",
        f"{X}:2: a space is missing after the colon: write title: Beratung",
        "content/site.yaml:1: a colon followed by a space inside a value: put the value in quotes: title: \"Integration: Test\"",
    ], "check")  # fmt: skip


# --- limits -------------------------------------------------------------------------------------
def test_dates_out_of_range_or_with_offsets_are_errors_fast(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = offer(cost="cost: free\nvalid_until: 0001-01-01\ndates:\n"
                     "  - start: 9999-12-31T10:00\n"
                     "  - start: 2027-02-01T09:00\n    end: 2027-02-01T12:00+01:00\n"
                     "  - start: 0002-01-01T00:00\n    end: 9998-01-01T00:00")  # fmt: skip
    started = time.monotonic()
    assert_rejected(capsys, project, {X: bad}, [
        f"{X}:12: 'valid_until' is in the year 1; dates must lie between 2000 and 2099",
        f"{X}:14: 'dates[0].start' is in the year 9999; dates must lie between 2000 and 2099",
        f"{X}:16: 'dates[1].end' must be a local time without a time-zone offset, not '2027-02-01T12:00+01:00' "
        "(the time zone is set once, in site.yaml)",
        f"{X}:17: 'dates[2].start' is in the year 2; dates must lie between 2000 and 2099",
        f"{X}:18: 'dates[2].end' is in the year 9998; dates must lie between 2000 and 2099",
    ])  # fmt: skip
    assert time.monotonic() - started < 20  # two builds and a check; the walk from year 2 took minutes


def test_widest_allowed_date_range_builds_quickly(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(project, {X: offer(cost="cost: free\ndates:\n  - start: 2000-01-01T00:00\n    end: 2099-12-31T23:59")})
    started = time.monotonic()
    code, _, err = run(capsys, "build", str(project), "--no-search")
    assert code == 0, err
    assert time.monotonic() - started < 15
    assert b"BEGIN:VTIMEZONE" in (project / "_site/de/offers/x/x.ics").read_bytes()


def test_deep_nesting_and_huge_files_are_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_rejected(capsys, project, {
        X: offer(cost="cost: free\nhours: " + "[" * 50_000 + "]" * 50_000),  # past libyaml's own limit
        "content/contacts/tief.yaml": "name: Tief\nhours:\n  - days: " + "[" * 12 + "mo" + "]" * 12 + "\n",
        "content/pages/gross.md": "---\ntitle: Groß\n---\n" + "Text. " * 200_000,
    }, [
        "content/contacts/tief.yaml:3: nested more than 10 levels deep; no field needs that: check the brackets and indentation",
        f"{X}:12: nested more than 10 levels deep; no field needs that: check the brackets and indentation",
        "content/pages/gross.md:1: the file is larger than 1 MB, the limit for a content file: split it or shorten it",
    ], "check")  # fmt: skip


# --- control characters -------------------------------------------------------------------------
def test_bidi_controls_in_fields_are_refused_marks_are_not(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_rejected(capsys, project, {
        X: offer(title="title: Deutschkurs \u202efür Mütter", cost="cost: free\nprovider: Verein\u200f"),
        "content/contacts/anna.yaml": CONTACT.replace("role: Beraterin", 'role: "Berater\\u2066in"\nfax: "\u061c02861 939415"'),
        "content/site.yaml": SITE_YAML.replace("tagline: Angebote", "tagline: Ange\x85bote"),
    }, [
        "content/contacts/anna.yaml:2: 'role' contains U+2066 LEFT-TO-RIGHT ISOLATE, an invisible control character that can disguise text: remove it",
        f"{X}:2: 'title' contains U+202E RIGHT-TO-LEFT OVERRIDE, an invisible control character that can disguise text: remove it",
        "content/site.yaml:2: 'tagline' contains U+0085 NEXT LINE, an invisible control character: remove it",
    ])  # fmt: skip


def test_control_characters_in_fields_and_keys_are_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_rejected(capsys, project, {
        "content/contacts/anna.yaml": CONTACT.replace("role: Beraterin", "role: Berater\x0binnen")
                                             .replace("organisation: Testverein e.V.", 'organisation: "Test\\e[31mverein"')
                                      + "ro\u202ele: x\n" + 'website: "https://example.org/\\nberatung"\n',
    }, [
        "content/contacts/anna.yaml:2: 'role' contains U+000B LINE TABULATION, an invisible control character: remove it",
        "content/contacts/anna.yaml:3: 'organisation' contains U+001B ESCAPE, an invisible control character: remove it",
        "content/contacts/anna.yaml:6: a field name contains U+202E RIGHT-TO-LEFT OVERRIDE, an invisible control character that can disguise text: remove it",
        "content/contacts/anna.yaml:6: unknown field 'ro\\u202ele'; did you mean 'role'?",
        "content/contacts/anna.yaml:7: 'website' contains U+000A LINE FEED: a web address has no line breaks or tabs: remove it",
    ], "check")  # fmt: skip


def test_tab_in_base_url_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_rejected(capsys, project, {
        "content/site.yaml": SITE_YAML.replace("base_url: https://example.org/site/", 'base_url: "https://example.org/\\tsite/"'),
    }, [
        "content/site.yaml:3: 'base_url' contains U+0009 CHARACTER TABULATION: a web address has no line breaks or tabs: remove it",
    ], "check")  # fmt: skip


def test_carriage_return_escape_in_a_value_is_refused(project: Path) -> None:
    write_tree(project, {"content/contacts/anna.yaml": CONTACT.replace("role: Beraterin", 'role: "Beraterin\\r"')})
    assert errors_of(project) == ["content/contacts/anna.yaml:2: 'role' contains U+000D CARRIAGE RETURN, an invisible control character: remove it"]


def test_check_never_prints_a_traceback_for_any_of_these(project: Path) -> None:
    write_tree(project, {X: "---\ntitle: \x00\x1b[2J\x85\u2028\ufeff\n---\n"})
    assert main(["check", str(project)]) == 1


def test_fields_of_another_kind_of_slot_are_named_not_unknown(project: Path) -> None:
    write_tree(project, {X: OFFER.replace('  - {days: [mo, we], from: "09:00", to: "11:30"}', (
        '  - {days: [mo, we], from: "09:00", to: "11:30", nth: [2]}\n'
        "  - {by_appointment: true, days: [mo]}\n"
        '  - {weekday: tu, nth: [2], days: [mo], from: "09:00", to: "10:00"}\n'
        '  - {days: [mo], from: "09:00", to: "10:00", weekdya: tu}'))})  # fmt: skip
    assert errors_of(project) == [
        f"{X}:10: 'hours[0].nth' needs 'weekday' instead of 'days', e.g. weekday: tu",
        f"{X}:11: 'hours[1].days' does not go with 'by_appointment: true'; write a slot of its own",
        f"{X}:12: 'hours[2].days' does not go with 'weekday'; write a slot of its own",
        f"{X}:13: unknown field 'weekdya' in hours[3]; did you mean 'weekday'?",
    ]


def test_empty_contact_is_one_error_not_one_per_offer(project: Path) -> None:
    write_tree(project, {
        "content/contacts/leer.yaml": "# noch ausfüllen\n",
        X: offer(contacts="contacts: [anna, leer]"),
    })  # fmt: skip
    assert errors_of(project) == ["content/contacts/leer.yaml:1: is empty"]
