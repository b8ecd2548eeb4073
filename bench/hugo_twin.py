"""Write the Hugo twin of a project made by make_project.py: the same offers, in the same six
languages, with the same pages (offer, contact, listing with pages of 20, filter pages per
category, audience, language and city, home), so sitegen and Hugo do comparable work.

Usage: python bench/hugo_twin.py SITEGEN_PROJECT HUGO_PROJECT — then `hugo -s HUGO_PROJECT`.

Hugo has no .po catalogues: each language gets its own content file, whose body is the German
body with every block translated the way make_project.py translates it ("EN: " + the block).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

LANGS = ["de", "en", "ar", "tr", "ru", "fr"]
NATIVE = {"de": "Deutsch", "en": "English", "ar": "العربية", "tr": "Türkçe", "ru": "Русский", "fr": "Français"}

CONFIG = """\
baseURL = "https://example.org/"
title = "Benchmark-Site"
defaultContentLanguage = "de"
defaultContentLanguageInSubdir = true
disableKinds = ["rss"]
[pagination]
  pagerSize = 20
[taxonomies]
  category = "category"
  audience = "audience"
  language = "language"
  city = "city"
[markup.goldmark.renderer]
  unsafe = false
[markup.goldmark.extensions]
  linkify = true
  table = true
"""

BASEOF = """\
<!doctype html>
<html lang="{{ .Language.Lang }}" dir="{{ .Language.Direction | default "ltr" }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} – {{ site.Title }}</title>
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ site.Title }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
<nav><ul>{{ range .AllTranslations }}<li><a lang="{{ .Language.Lang }}" href="{{ .RelPermalink }}">{{ .Language.Label }}</a></li>{{ end }}</ul></nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><a href="{{ "offers/" | relLangURL }}">offers</a></footer>
</body>
</html>
"""

SINGLE = """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="summary">{{ .Params.summary }}</p>
<dl>
{{ with .Params.category }}<dt>category</dt><dd>{{ range . }}<a href="{{ (printf "category/%s/" (. | urlize)) | relLangURL }}">{{ . }}</a>{{ end }}</dd>{{ end }}
{{ with .Params.audience }}<dt>audience</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
{{ with .Params.language }}<dt>languages</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
{{ with .Params.address }}<dt>address</dt><dd>{{ .street }}, {{ .postal_code }} {{ .city }}</dd>{{ end }}
{{ with .Params.hours }}<dt>hours</dt><dd>{{ range . }}{{ delimit .days ", " }} {{ .from }}–{{ .to }}{{ end }}</dd>{{ end }}
</dl>
{{ .Content }}
{{ range .Params.contacts }}{{ with site.GetPage (printf "/contacts/%s" .) }}<section class="contact"><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Params.role }}</p><p><a href="tel:{{ .Params.phone }}">{{ .Params.phone }}</a></p></section>{{ end }}{{ end }}
</article>
{{ end }}
"""

LIST = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="offers">
{{ range (.Paginate .Pages).Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Params.summary }}</p></li>
{{ end }}</ul>
{{ template "_internal/pagination.html" . }}
{{ end }}
"""

HOME = """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
<ul>{{ range first 10 (where site.RegularPages "Section" "offers") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ range site.Taxonomies.category }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}
{{ end }}
"""


def translate_body(body: str, lang: str) -> str:
    """Every block of make_project's bodies, translated as its catalogues translate it."""
    if lang == "de":
        return body
    tag = f"{lang.upper()}: "
    out = []
    for line in body.split("\n"):
        if not line.strip() or re.fullmatch(r"\|(-+\|)+", line):
            out.append(line)
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            out.append("| " + " | ".join(tag + c for c in cells) + " |")
        elif m := re.match(r"(\s*(?:#+|-)\s+)(.*)", line):
            out.append(m.group(1) + tag + m.group(2))
        else:
            out.append(tag + line)
    return "\n".join(out)


def front_and_body(text: str) -> tuple[dict[str, str], str]:
    _, front, body = text.split("---\n", 2)
    fields = {}
    for line in front.splitlines():
        if ": " in line and not line.startswith(" "):
            key, value = line.split(": ", 1)
            fields[key] = value
    return fields, body


def main(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    (target / "layouts/_default").mkdir(parents=True)
    config = CONFIG + "".join(
        f'[languages.{lang}]\n  weight = {i + 1}\n  label = "{NATIVE[lang]}"\n'
        + ('  direction = "rtl"\n' if lang == "ar" else "")
        for i, lang in enumerate(LANGS)
    )
    (target / "hugo.toml").write_text(config, encoding="utf-8")
    for name, text in {"baseof.html": BASEOF, "single.html": SINGLE, "list.html": LIST}.items():
        (target / "layouts/_default" / name).write_text(text, encoding="utf-8")
    (target / "layouts/index.html").write_text(HOME, encoding="utf-8")
    (target / "static/static").mkdir(parents=True)
    (target / "static/static/site.css").write_text("body{font-family:sans-serif}\n", encoding="utf-8")
    offers, contacts = target / "content/offers", target / "content/contacts"
    offers.mkdir(parents=True)
    contacts.mkdir(parents=True)
    for lang in LANGS:
        tag = "" if lang == "de" else f"{lang.upper()}: "
        (offers / f"_index.{lang}.md").write_text(f'---\ntitle: "{tag}Angebote"\n---\n', encoding="utf-8")
        (contacts / f"team.{lang}.md").write_text(
            f'---\ntitle: Team\nrole: "{tag}Beratung"\nphone: "+492861939414"\n---\n', encoding="utf-8"
        )
    for path in sorted((source / "content/offers").glob("*.md")):
        fields, body = front_and_body(path.read_text(encoding="utf-8"))
        city = re.search(r"city: (\w+)", fields["address"]).group(1)  # type: ignore[union-attr]
        for lang in LANGS:
            tag = "" if lang == "de" else f"{lang.upper()}: "
            front = {
                "title": tag + fields["title"], "summary": tag + fields["summary"],
                "category": [fields["category"]], "audience": ["familien"], "language": ["de", "ar"],
                "city": [city], "contacts": ["team"],
                "address": {"street": fields["address"].split("street: ")[1].split(",")[0], "postal_code": "46325", "city": city},
                "hours": [{"days": ["mo", "we"], "from": "09:00", "to": "12:00"}],
            }  # fmt: skip
            text = f"{json.dumps(front, ensure_ascii=False)}\n\n{translate_body(body, lang)}"
            (offers / f"{path.stem}.{lang}.md").write_text(text, encoding="utf-8")
    print(f"Hugo twin of {source} in {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
