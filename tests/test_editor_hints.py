"""What editors really type: German dates are read, and a misspelt key or id gets a "did you mean"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitegen.errors import BuildError
from sitegen.pipeline import load_project

from .conftest import CONTACT, OFFER, write_tree

X = "content/offers/x.md"


def offer(**replace: str) -> str:
    """The fixture offer with lines replaced: ``offer(updated="updated: 31.12.2026")``."""
    lines = OFFER.split("\n")
    for field, new in replace.items():
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{field}:"))
        lines[index] = new
    return "\n".join(lines)


def errors_of(root: Path) -> list[str]:
    with pytest.raises(BuildError) as info:
        load_project(root)
    return [str(e) for e in info.value.errors]


# --- German dates ---------------------------------------------------------------------------------
def test_german_dates_and_times_are_read(project: Path) -> None:
    dates = "updated: 31.12.2026\nvalid_until: 1.2.2099\ndates:\n  - start: 14.01.2027 16:00\n    end: 14.01.2027 18:30\n  - start: 21.01.2027 9:00"
    write_tree(project, {X: offer(updated=dates)})
    loaded = next(o for o in load_project(project).content.offers if o.id == "x")
    assert (loaded.updated, loaded.valid_until) == (dt.date(2026, 12, 31), dt.date(2099, 2, 1))
    assert [(d.start, d.end) for d in loaded.dates] == [
        (dt.datetime(2027, 1, 14, 16, 0), dt.datetime(2027, 1, 14, 18, 30)),
        (dt.datetime(2027, 1, 21, 9, 0), None),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(
            "updated: 31.12.26",
            "'updated' must be a date like 31.03.2026 or 2026-03-31, not '31.12.26'",
            id="two-digit-year",
        ),
        pytest.param(
            "updated: 31.02.2027",
            "'updated' must be a date like 31.03.2026 or 2026-03-31, not '31.02.2027'",
            id="no-such-day",
        ),
        pytest.param(
            "updated: 12/31/2026",
            "'updated' must be a date like 31.03.2026 or 2026-03-31, not '12/31/2026'",
            id="us-style",
        ),
        pytest.param(
            "updated: 01.01.1999", "'updated' is in the year 1999; dates must lie between 2000 and 2099", id="too-early"
        ),
        pytest.param(
            "dates:\n  - start: 14.01.2027",
            "'dates[0].start' must be a date and time like 01.02.2027 09:00 or 2027-02-01T09:00, not '14.01.2027'",
            id="date-without-time",
        ),
        pytest.param(
            "dates:\n  - start: 14.01.2027 25:00",
            "'dates[0].start' must be a date and time like 01.02.2027 09:00 or "
            "2027-02-01T09:00, not '14.01.2027 25:00'",
            id="no-such-hour",
        ),
    ],
)
def test_dates_that_cannot_be_read_say_how_to_write_them(project: Path, line: str, expected: str) -> None:
    write_tree(project, {X: offer(updated=line)})
    number = 13 if line.startswith("dates") else 12
    assert errors_of(project) == [f"{X}:{number}: {expected}"]


# --- did you mean ---------------------------------------------------------------------------------
def test_misspelt_keys_and_ids_get_a_suggestion(project: Path) -> None:
    write_tree(project, {
        "content/contacts/stz-sprachcafe.yaml": CONTACT,
        X: offer(
            category="category: sprachkurs",
            audiences="audiences: [frau, Familien, senioren]",
            languages_spoken="languages_spoken: [deutsch, AR, ara, xx]",
            contacts="contacts: [stz-sprachcaffe, ana, otto]",
            hours='hours:\n  - {days: [di, Mittwoch, mon], from: "09:00", to: "11:30"}',
        ),
    })  # fmt: skip
    assert errors_of(project) == [
        f"{X}:4: unknown category 'sprachkurs'; did you mean 'sprache'? site.yaml defines: beratung, sprache",
        f"{X}:5: unknown audience 'Familien'; did you mean 'familien'? site.yaml defines: familien, frauen",
        f"{X}:5: unknown audience 'frau'; did you mean 'frauen'? site.yaml defines: familien, frauen",
        f"{X}:5: unknown audience 'senioren'; site.yaml defines: familien, frauen",
        f"{X}:6: 'AR' is not a two-letter language code (ISO 639-1, e.g. de, en, ar); did you mean 'ar'?",
        f"{X}:6: 'ara' is not a two-letter language code (ISO 639-1, e.g. de, en, ar); did you mean 'ar'?",
        f"{X}:6: 'deutsch' is not a two-letter language code (ISO 639-1, e.g. de, en, ar); did you mean 'de'?",
        f"{X}:6: 'xx' is not a two-letter language code (ISO 639-1, e.g. de, en, ar)",
        f"{X}:7: unknown contact 'ana': there is no content/contacts/ana.yaml; did you mean 'anna'?",
        f"{X}:7: unknown contact 'otto': there is no content/contacts/otto.yaml",
        f"{X}:7: unknown contact 'stz-sprachcaffe': there is no content/contacts/stz-sprachcaffe.yaml; did you mean 'stz-sprachcafe'?",
        f"{X}:10: 'Mittwoch' is not a weekday; did you mean 'we'? write mo tu we th fr sa su",
        f"{X}:10: 'di' is not a weekday; did you mean 'tu'? write mo tu we th fr sa su",
        f"{X}:10: 'mon' is not a weekday; did you mean 'mo'? write mo tu we th fr sa su",
    ]


def test_a_label_written_for_its_key_suggests_the_key(project: Path) -> None:
    write_tree(project, {X: offer(category="category: Sprachkurse")})
    assert errors_of(project) == [
        f"{X}:4: unknown category 'Sprachkurse'; did you mean 'sprache'? site.yaml defines: beratung, sprache"
    ]


def test_site_languages_get_a_suggestion(project: Path) -> None:
    site = (project / "content/site.yaml").read_text(encoding="utf-8")
    write_tree(project, {"content/site.yaml": site.replace("source_language: de", "source_language: Deutsch")
                                                  .replace("languages: [de, en, ar]", "languages: [de, en, Arabisch]")})  # fmt: skip
    assert errors_of(project) == [
        "content/site.yaml:4: 'source_language' is not a language code: 'Deutsch'; did you mean 'de'?",
        "content/site.yaml:6: 'Arabisch' is not a two-letter language code (ISO 639-1, e.g. de, en, ar); did you mean 'ar'?",
    ]
