"""Loading and validating content: every problem as path:line: message, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.errors import BuildError
from sitegen.pipeline import load_project

from .conftest import write_tree


def errors_of(root: Path) -> list[str]:
    with pytest.raises(BuildError) as info:
        load_project(root)
    return [str(e) for e in info.value.errors]


def test_valid_project_loads_with_text_values_kept(project: Path) -> None:
    write_tree(project, {"content/contacts/bo.yaml": "name: 'no'\nrole: Beratung\naddress: {street: A 1, postal_code: 01067, city: Dresden}\n"})
    loaded = load_project(project)
    contact = next(c for c in loaded.content.contacts if c.id == "bo")
    assert contact.name == "no"  # YAML 1.1 would say False
    assert contact.address is not None and contact.address.postal_code == "01067"  # not 1067
    offer = loaded.content.offers[0]
    assert offer.cost_free and offer.hours[0].days == ("mo", "we")
    assert loaded.content.contacts[0].phone is not None
    assert {c.id: c.phone.e164 for c in loaded.content.contacts if c.phone} == {"anna": "+492861939414"}


def test_all_errors_of_all_files_reported_with_lines(project: Path) -> None:
    write_tree(project, {
        "content/offers/kaputt.md": (
            "---\n"
            "title: Kurs\n"
            "summary: Kurz\n"
            "category: sport\n"
            "audiences: [frauen, maenner]\n"
            "languages_spoken: [de, xx]\n"
            "contacts: [anna, otto]\n"
            "hours:\n"
            "  - {days: [mo, mi], from: '9 Uhr', to: '11:00'}\n"
            "  - {weekday: tu, from: '10:00', to: '09:00'}\n"
            "dates:\n"
            "  - {start: 2027-02-30T09:00}\n"
            "updated: gestern\n"
            "draft: vielleicht\n"
            "---\n"
            "Siehe [andere](gibt-es-nicht.md).\n"
        ),
        "content/contacts/bert.yaml": "name: Bert\nphone: '12'\nemail: bert(at)example.org\nwebsite: www.example.org\n",
        "content/offers/Falscher_Name.md": "---\ntitle: x\n---\n",
    })
    assert errors_of(project) == [
        "content/contacts/bert.yaml:2: 'phone' is not a phone number: '12'",
        "content/contacts/bert.yaml:3: 'email' is not an e-mail address: 'bert(at)example.org'",
        "content/contacts/bert.yaml:4: 'website' must be a web address starting with https://, not 'www.example.org'",
        "content/offers/Falscher_Name.md: file name 'Falscher_Name' is not a valid id: use only a-z, 0-9 and '-' (it becomes the address of the page)",
        "content/offers/kaputt.md:4: unknown category 'sport'; site.yaml defines: beratung, sprache",
        "content/offers/kaputt.md:5: unknown audience 'maenner'; site.yaml defines: familien, frauen",
        "content/offers/kaputt.md:6: 'xx' is not a two-letter language code (ISO 639-1, e.g. de, en, ar)",
        "content/offers/kaputt.md:7: unknown contact 'otto': there is no content/contacts/otto.yaml",
        "content/offers/kaputt.md:9: 'hours[0].from' must be a time like \"09:30\", not '9 Uhr'",
        "content/offers/kaputt.md:9: 'mi' is not a weekday; did you mean 'we'? write mo tu we th fr sa su",
        "content/offers/kaputt.md:10: 'hours[1].to' must be later than 'from'",
        "content/offers/kaputt.md:10: 'hours[1].weekday' needs 'nth', e.g. nth: [2, 4]",
        "content/offers/kaputt.md:12: 'dates[0].start' must be a date and time like 01.02.2027 09:00 or 2027-02-01T09:00, not '2027-02-30T09:00'",
        "content/offers/kaputt.md:13: 'updated' must be a date like 31.03.2026 or 2026-03-31, not 'gestern'",
        "content/offers/kaputt.md:14: 'draft' must be true or false, not 'vielleicht'",
        "content/offers/kaputt.md:16: link to 'gibt-es-nicht.md': no such entry in content/",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\ntitle: A\ntitle: B\n---\n", "content/offers/x.md:3: duplicate key 'title' (first on line 2)"),
        ("---\ntitle: &t A\nsummary: *t\n---\n", "content/offers/x.md:2: anchors (&t) are not allowed; write the value out"),
        ("---\ntitle: [A\n---\n", "content/offers/x.md:2: the '[' on this line is never closed: close it with ']' after the last entry"),
        ("title: A\n", "content/offers/x.md:1: must start with '---', the front matter (title, summary …), and '---' again"),
        ("---\ntitle: A\n", "content/offers/x.md:1: the front matter has no closing '---' line"),
        ("---\nsummary: S\ncategory: sprache\n---\n", "content/offers/x.md:2: 'title' is required"),
        ("---\ntitle: ''\nsummary: S\ncategory: sprache\n---\n", "content/offers/x.md:2: 'title' must not be empty"),
        (f"---\ntitle: T\nsummary: {'a' * 301}\ncategory: sprache\n---\n", "content/offers/x.md:3: 'summary' has 301 characters; at most 300 are allowed"),
    ],
)
def test_yaml_and_front_matter_errors(project: Path, text: str, expected: str) -> None:
    write_tree(project, {"content/offers/x.md": text})
    assert expected in errors_of(project)


def test_site_yaml_errors_stop_before_entries(project: Path) -> None:
    write_tree(project, {"content/site.yaml": "title: T\nlanguages: [de, klingon]\nbase_url: ftp://x\ntimezone: Mars/Olympus\n"})
    assert errors_of(project) == [
        "content/site.yaml:2: 'klingon' is not a two-letter language code (ISO 639-1, e.g. de, en, ar)",
        "content/site.yaml:3: 'base_url' must be a web address starting with https://, not 'ftp://x'",
        "content/site.yaml:4: unknown time zone 'Mars/Olympus'; write e.g. Europe/Berlin",
    ]


def test_reserved_page_id_and_contact_without_name_or_role(project: Path) -> None:
    write_tree(project, {"content/pages/search.md": "---\ntitle: Suche\n---\n", "content/contacts/leer.yaml": "organisation: X\n"})
    assert errors_of(project) == [
        "content/contacts/leer.yaml:1: 'name' is required (write name: \"\" for a contact that is only a role)",
        "content/contacts/leer.yaml:1: a contact needs a 'name' or a 'role'",
        "content/pages/search.md: 'search' is reserved for a page the site makes itself; rename the file",
    ]


def test_unknown_field_is_an_error(project: Path) -> None:
    write_tree(project, {"content/contacts/anna.yaml": "name: Anna\nrole: Beraterin\ntelefon: 0201 123456\n"})
    assert errors_of(project) == ["content/contacts/anna.yaml:3: unknown field 'telefon': check its spelling, or remove it"]


def test_drafts_and_expired_offers_are_left_out(project: Path) -> None:
    base = (project / "content/offers/deutsch-muetter.md").read_text()
    write_tree(project, {
        "content/offers/entwurf.md": base.replace("cost: free", "cost: free\ndraft: true"),
        "content/offers/abgelaufen.md": base.replace("cost: free", "cost: free\nvalid_until: 2026-10-31"),
        "content/offers/laeuft-noch.md": base.replace("cost: free", "cost: free\nvalid_until: 2026-11-01"),
    })
    loaded = load_project(project)
    assert sorted(o.id for o in loaded.content.offers) == ["deutsch-muetter", "laeuft-noch"]
    assert "content/offers/abgelaufen.md:1: expired on 2026-10-31; left out of the site" in map(str, loaded.report.warnings)


def test_check_command_prints_every_error_and_exits_1(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(project, {"content/contacts/anna.yaml": "name: Anna\nemail: nope\n", "content/offers/x.md": "---\ntitle: [\n---\n"})
    assert main(["check", str(project)]) == 1
    err = capsys.readouterr().err
    assert "content/contacts/anna.yaml:2: 'email' is not an e-mail address: 'nope'" in err
    assert "content/offers/x.md:2: the '[' on this line is never closed" in err
    assert "Traceback" not in err


def test_link_to_a_draft_is_a_warning(project: Path) -> None:
    write_tree(project, {
        "content/offers/entwurf.md": "---\ntitle: E\nsummary: S\ncategory: sprache\ndraft: true\n---\n",
        "content/pages/ueber-uns.md": "---\ntitle: Über uns\n---\nSiehe [Entwurf](../offers/entwurf.md).\n",
    })
    loaded = load_project(project)
    assert "content/pages/ueber-uns.md:4: link to '../offers/entwurf.md': that offer is a draft or has expired; the link leads to the offers listing" in map(str, loaded.report.warnings)


def test_unreadable_site_yaml_is_one_error_not_many(project: Path) -> None:
    (project / "content/site.yaml").write_bytes(b"title: x\n\xff\n")
    assert errors_of(project) == ["content/site.yaml:2: not UTF-8 (byte 0xff): save the file as UTF-8"]


def test_missing_project_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(tmp_path / "nirgends")]) == 1
    assert f"{tmp_path / 'nirgends'}: no such folder" in capsys.readouterr().err
