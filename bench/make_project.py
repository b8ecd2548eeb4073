"""Make a synthetic project of N offers with 400-word German bodies, fully "translated".

Usage: python bench/make_project.py DIR [N]  — then `sitegen build DIR`.
Translations are the German text with a language tag prepended: the work per page is real
(every block looked up, parsed and rendered), only the words are not.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

WORDS = ("Beratung Sprache Kurs Familie Kinder Schule Arbeit Termin Anmeldung Gruppe Treffen Hilfe "
         "Deutsch lernen gemeinsam Woche Montag Raum Stadt Zentrum Angebot kostenlos Frauen Eltern").split()  # fmt: skip
LANGS = ["de", "en", "ar", "tr", "ru", "fr"]

SITE = """\
title: Benchmark-Site
tagline: Viele Angebote
base_url: https://example.org/
source_language: de
country: DE
languages: [de, en, ar, tr, ru, fr]
timezone: Europe/Berlin
categories: {sprache: Sprachkurse, beratung: Beratung, begegnung: Begegnung}
audiences: {familien: Familien, frauen: Frauen, kinder: Kinder}
"""


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def body(rng: random.Random, i: int) -> str:
    parts = [f"## Abschnitt {i}", sentence(rng, 60), sentence(rng, 60), "- " + sentence(rng, 10),
             "- " + sentence(rng, 10), "  - " + sentence(rng, 8), "", "## Ablauf", sentence(rng, 80),
             "| Tag | Zeit |", "|---|---|", f"| Montag {i} | 9 Uhr |", "", sentence(rng, 90), sentence(rng, 60)]  # fmt: skip
    return "\n\n".join(p for p in parts if p) + "\n"


def main(folder: Path, count: int) -> None:
    rng = random.Random(42)
    (folder / "content/offers").mkdir(parents=True, exist_ok=True)
    (folder / "content/contacts").mkdir(parents=True, exist_ok=True)
    (folder / "content/site.yaml").write_text(SITE, encoding="utf-8")
    (folder / "content/contacts/team.yaml").write_text("name: Team\nrole: Beratung\nphone: 02861 939414\n", encoding="utf-8")
    for i in range(count):
        front = (f"---\ntitle: Angebot Nummer {i}\nsummary: {sentence(rng, 20)}\ncategory: {rng.choice(['sprache', 'beratung', 'begegnung'])}\n"
                 f"audiences: [familien]\nlanguages_spoken: [de, ar]\ncontacts: [team]\n"
                 f"address: {{street: Hauptstraße {i}, postal_code: \"46325\", city: Stadt{i % 7}}}\n"
                 f"hours:\n  - {{days: [mo, we], from: \"09:00\", to: \"12:00\"}}\ncost: free\n---\n")  # fmt: skip
        (folder / f"content/offers/angebot-{i}.md").write_text(front + body(rng, i), encoding="utf-8")
    from sitegen.body import make_markdown
    from sitegen.shown import content_messages
    from sitegen.content import load_content
    from sitegen.errors import Report
    import datetime as dt

    content = load_content(folder, Report(folder), make_markdown(), dt.date(2026, 1, 1))
    msgids = sorted({m.text for m, _ in content_messages(content) if m.text})
    for lang in LANGS[1:]:
        catalog = Catalog(locale=lang, fuzzy=False)
        for msgid in msgids:
            catalog.add(msgid, f"{lang.upper()}: {msgid}")
        path = folder / f"locales/{lang}/LC_MESSAGES/messages.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            write_po(f, catalog)
    print(f"{count} offers, {len(msgids)} messages per language in {folder}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
