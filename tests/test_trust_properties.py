"""Property tests: random YAML, Markdown and .po text never give a traceback or an unsafe page.

Hypothesis builds inputs from the pieces that have broken parsers and sanitisers before (quotes,
colons, tabs, raw HTML, entities, bidi controls, URLs with odd characters, deep nesting), feeds
them to the command line exactly as an editor's or translator's file would be, and asserts what a
reader and an operator need: exit 0 or 1, every problem as ``path:line: message``, and a page with
no script, no event handler, no foreign redirect and no invisible bidi control.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.cli import main

from .conftest import CONTACT, OFFER, SITE_YAML, write_tree

PROPERTY = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
PROBLEM_LINE = re.compile(r"^(warning: )?[^:\s][^:]*(:\d+)?: .+")
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

MARKUP = [
    "<", ">", "</", "/>", '"', "'", "=", "&", "#", ";", "[", "]", "(", ")", "*", "_", "`", "~", "!", "-", ":",
    "|", "\\", "\n", "\n\n", "  ", "\t", "> ", "- ", "1. ", "# ", "```", "    ", "x", "Wort", "ü", "عربي",
    "<script>", "<style>", "<textarea>", "<iframe>", "<template>", "<plaintext>", "<noscript>", "<xmp>",
    "<a href=", "<img src=x onerror=alert(1)>", "onclick=", "javascript:", "data:text/html,", "http://",
    "https://example.org/", "http://[x", "x://", "www.", "info@example.org", "\u202e", "&#x202E;",
    "&#8295;", "&lt;", "&amp;", "\u200f", "\x00", "\r", "\x1b", "<meta http-equiv=refresh content=0;url=//e>",
    '" data-injected="1', "%", "%(count)s", "{name}", "[x]: http://e", "![a](b.png)", "<bdi>", "</a>",
]
YAML = [
    "title", "summary", "category", "contacts", "hours", "dates", "registration", "note", "website", ":", ": ",
    "-", "- ", "\n", "  ", "\t", "{", "}", "[", "]", ",", '"', "'", "#", "&a", "*a", "!!python/object:os.system",
    "!tag", "|", ">", "?", "%", "@", "`", "\ufeff", "\u202e", "\x00", "\r", "2026-13-45", "0001-01-01",
    "9999-12-31T23:59", "sprache", "anna", "no", "01067", "x" * 50, "ü", "---",
]


def pieces(alphabet: list[str], most: int = 40) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(alphabet), max_size=most).map("".join)


class PageSafety(HTMLParser):
    """Collects what would make a page unsafe for its reader."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.unsafe: list[str] = []
        self.in_json: str | None = None
        self.json_blocks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in {"iframe", "object", "embed", "style", "base", "frame", "textarea"}:
            self.unsafe.append(f"<{tag}>")
        if tag == "script":
            if values.get("type") == "application/ld+json":
                self.in_json = ""
            elif not (values.get("src") or "").startswith(("../", "static/", "/")):
                self.unsafe.append(f"<script {attrs}>")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.unsafe.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on") or name.startswith("data-injected"):
                self.unsafe.append(f"{tag} {name}=")
            if name in {"href", "src", "action", "formaction"} and value:
                if re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "vbscript:", "data:text")):
                    self.unsafe.append(f"{tag} {name}={value}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.in_json is not None:
            self.json_blocks.append(self.in_json)
            self.in_json = None

    def handle_data(self, data: str) -> None:
        if self.in_json is not None:
            self.in_json += data
        if found := BIDI_CONTROLS & set(data):
            self.unsafe.append(f"bidi control {sorted(found)!r}")


def assert_safe(page: str) -> None:
    parser = PageSafety()
    parser.feed(page)
    parser.close()
    assert parser.unsafe == []
    assert not BIDI_CONTROLS & set(page)
    for block in parser.json_blocks:
        json.loads(block)  # the linked data stays one valid JSON value: nothing escaped its <script>


def assert_clean_outcome(code: int, err: str) -> None:
    assert "Traceback" not in err
    assert code in (0, 1), err
    for line in err.splitlines():
        if line.startswith(("sitegen: ", "built ", "ok: ")):
            continue
        assert PROBLEM_LINE.match(line), line


@pytest.fixture(scope="module")
def translated_project() -> Iterator[Path]:
    """A small project with catalogues, built once; each example rewrites one file of a copy."""
    base = Path(tempfile.mkdtemp(prefix="sitegen-props-"))
    root = write_tree(
        base / "proj",
        {"content/site.yaml": SITE_YAML, "content/offers/kurs.md": OFFER, "content/contacts/anna.yaml": CONTACT},
    )
    assert main(["extract", str(root)]) == 0
    assert main(["update", str(root)]) == 0
    yield root
    shutil.rmtree(base, ignore_errors=True)


@contextmanager
def fresh_copy(root: Path) -> Iterator[Path]:
    """A throw-away copy of the project for one example (Hypothesis runs many per test)."""
    target = Path(tempfile.mkdtemp(prefix="sitegen-example-")) / "proj"
    shutil.copytree(root, target, ignore=shutil.ignore_patterns("_site", ".*"))
    try:
        yield target
    finally:
        shutil.rmtree(target.parent, ignore_errors=True)


def build(capsys: pytest.CaptureFixture[str], root: Path) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["build", str(root), "--no-search"])
    return code, capsys.readouterr().err


@PROPERTY
@given(front=pieces(YAML, 60))
def test_random_front_matter_gives_problems_not_tracebacks(
    translated_project: Path, capsys: pytest.CaptureFixture[str], front: str
) -> None:
    with fresh_copy(translated_project) as root:
        (root / "content/offers/kurs.md").write_text(f"---\n{front}\n---\nText.\n", encoding="utf-8")
        capsys.readouterr()
        code = main(["check", str(root)])
        assert_clean_outcome(code, capsys.readouterr().err)


@PROPERTY
@given(yaml_text=pieces(YAML, 60))
def test_random_contact_and_site_files_give_problems_not_tracebacks(
    translated_project: Path, capsys: pytest.CaptureFixture[str], yaml_text: str
) -> None:
    with fresh_copy(translated_project) as root:
        (root / "content/contacts/anna.yaml").write_text(yaml_text, encoding="utf-8")
        (root / "content/site.yaml").write_text(SITE_YAML + yaml_text.replace("---", ""), encoding="utf-8")
        capsys.readouterr()
        code = main(["check", str(root)])
        assert_clean_outcome(code, capsys.readouterr().err)


@PROPERTY
@given(body=pieces(MARKUP, 50))
def test_random_markdown_body_gives_a_safe_page(
    translated_project: Path, capsys: pytest.CaptureFixture[str], body: str
) -> None:
    with fresh_copy(translated_project) as root:
        front = OFFER.split("---\n")[1]
        (root / "content/offers/kurs.md").write_text(f"---\n{front}---\n{body}\n", encoding="utf-8", newline="")
        code, err = build(capsys, root)
        assert_clean_outcome(code, err)
        if code == 0:
            for lang in ("de", "en", "ar"):
                assert_safe((root / "_site" / lang / "offers/kurs/index.html").read_text(encoding="utf-8"))


@PROPERTY
@given(msgstr=pieces(MARKUP, 30), which=st.integers(min_value=0, max_value=20))
def test_random_translation_gives_a_safe_page(
    translated_project: Path, capsys: pytest.CaptureFixture[str], msgstr: str, which: int
) -> None:
    """Any text a translator puts into any msgstr of the catalogue: check reports or accepts it,
    and the built page stays safe (a message with a problem is published in German)."""
    with fresh_copy(translated_project) as root:
        po = root / "locales/ar/LC_MESSAGES/messages.po"
        entries = po.read_text(encoding="utf-8").split("\n\n")
        index = 1 + which % (len(entries) - 1)  # never the header
        escaped = msgstr.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        entries[index] = re.sub(r'msgstr ""(\n"[^\n]*")*', lambda _: f'msgstr "{escaped}"', entries[index], count=1)
        po.write_text("\n\n".join(entries), encoding="utf-8")
        capsys.readouterr()
        assert_clean_outcome(main(["check", str(root)]), capsys.readouterr().err)
        code, err = build(capsys, root)
        assert_clean_outcome(code, err)
        if code == 0:
            for route in ("offers/kurs/", "contacts/anna/", "offers/", ""):
                assert_safe((root / "_site/ar" / route / "index.html").read_text(encoding="utf-8"))


@PROPERTY
@given(text=st.text(max_size=400) | pieces(MARKUP + YAML, 80))
def test_random_catalogue_files_give_problems_not_tracebacks(
    translated_project: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    with fresh_copy(translated_project) as root:
        (root / "locales/en/LC_MESSAGES/messages.po").write_text(text, encoding="utf-8")
        capsys.readouterr()
        assert_clean_outcome(main(["check", str(root)]), capsys.readouterr().err)
        code, err = build(capsys, root)
        assert_clean_outcome(code, err)
