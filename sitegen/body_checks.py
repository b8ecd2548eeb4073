"""An editor's Markdown body checked once, when it is read: limits, invisible characters, raw HTML.

Errors stop the run; what the sanitiser will remove is a warning (``build --strict`` fails).

* Limits keep every check and build of a body well under a second, whatever it holds: a body
  may have at most ``MAX_BODY_CHARS`` characters, one block (paragraph, heading, list item,
  table cell) at most ``MAX_BLOCK_CHARS``, and lists and quotes may be nested at most
  ``MAX_NESTING`` deep. Deeper nesting would otherwise be cut off silently by markdown-it.
* Control characters (C0 but tab and line feed, DEL, C1) and the bidi embedding, override and
  isolate controls (U+202A–U+202E, U+2066–U+2069) are refused, typed or written as a character
  reference (``&#x202E;``): the page would get the character. LRM, RLM and ALM stay allowed.
* A raw HTML block that CommonMark closes only with an end marker (``<script>``, ``<pre>``,
  ``<style>``, ``<textarea>``, ``<!--`` …) and never gets one takes in all the text after it.
* Images, and links to files in ``content/media/``, follow the rules of sitegen.media.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.token import Token

from .body import LINK_SCHEMES, block_kind, parse_body, sanitize
from .errors import Report
from .media import MediaCheck
from .model import Body
from .textsafety import BIDI_CONTROLS, describe, refusal, refused_characters

MAX_BODY_CHARS = 100_000
MAX_BLOCK_CHARS = 10_000
MAX_NESTING = 8
MAX_BLOCKS = 5_000

# Elements the sanitiser removes together with everything inside them.
CONTENT_REMOVED = frozenset({"script", "style", "template", "svg", "math"})
VOID_ELEMENTS = frozenset({"area", "base", "col", "embed", "input", "link", "meta", "param", "source", "track", "wbr"})
# The first five of markdown-it's HTML_SEQUENCES: what they are, what ends them.
_ENDED_BY_MARKER = (("", ""), ("HTML comment '<!--'", "-->"), ("raw HTML '<?'", "?>"), ("raw HTML '<!'", ">"),
                    ("raw HTML '<![CDATA['", "]]>"))  # fmt: skip
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX][0-9A-Fa-f]+|[0-9]+);?")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_EMPTY = Body((), (), ())
# Addresses the sanitiser certainly keeps: http(s) with a plain host name, mailto:, tel:, and
# addresses within the site (no scheme). Everything else is checked against the sanitiser itself.
_PLAIN_LINK = re.compile(r"(?:https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#]|$)|mailto:|tel:|[^:/?#]*(?:[/?#]|$))")


def load_body(md: MarkdownIt, text: str, first_line: int, path: Path, report: Report) -> Body:
    """Parse a German body whose first line is line ``first_line`` of ``path``, reporting its
    problems; a body over the limits is not parsed at all (an empty body stands in)."""
    for line, message in character_problems(text, first_line):
        report.error(path, line, message)
    if len(text) > MAX_BODY_CHARS:
        report.error(path, first_line, f"the body has {len(text):,} characters; a body may have at most {MAX_BODY_CHARS:,}: shorten it or split it into several pages")  # fmt: skip
        return _EMPTY
    over = limit_problems(md, text, first_line)
    for line, message in over:
        report.error(path, line, message)
    if over:
        return _EMPTY
    body = parse_body(md, text, first_line)
    for line, message in unclosed_html(body.tokens, first_line):
        report.error(path, line, message)
    for line, message in removed_html(md, body.tokens, first_line):
        report.warn(path, line, message)
    media = MediaCheck(md, path, first_line)
    media.run(body)
    for line, message in media.errors:
        report.error(path, line, message)
    for line, message in media.warnings:
        report.warn(path, line, message)
    return replace(body, image_sizes=media.sizes)


def character_problems(text: str, first_line: int) -> list[tuple[int, str]]:
    """(line, message) for each refused character, typed or as a character reference."""
    found = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        found += [(number, refusal("this line", char)) for char in refused_characters(line)]
        for ref in dict.fromkeys(_CHARACTER_REFERENCE.findall(line) if "&#" in line else ()):
            char = html.unescape(ref if ref.endswith(";") else ref + ";")
            if char in BIDI_CONTROLS:
                found.append((number, f"this line contains {ref}, the character reference for {describe(char)}, an invisible control character that can disguise text: remove it"))  # fmt: skip
    return found


def limit_problems(md: MarkdownIt, text: str, first_line: int) -> list[tuple[int, str]]:
    """Blocks too long and nesting too deep, found by markdown-it's block parser alone (fast):
    reading the text inside the blocks is what can take long."""
    tokens: list[Token] = []
    md.block.parse(text, md, {}, tokens)
    found = []
    parents: list[str] = []
    too_deep = False
    blocks = 0
    for tok in tokens:
        if tok.nesting == 1:
            parents.append(tok.type)
            depth = sum(p in ("blockquote_open", "list_item_open") for p in parents)
            if depth > MAX_NESTING and not too_deep:
                too_deep = True
                found.append((_line(tok, first_line), f"lists and quotes are nested {depth} deep here; they may be nested at most {MAX_NESTING} deep"))  # fmt: skip
        elif tok.nesting == -1:
            parents.pop()
        elif tok.type == "inline":
            blocks += 1
            if blocks == MAX_BLOCKS + 1:
                found.append((_line(tok, first_line), f"here the body passes {MAX_BLOCKS:,} blocks (paragraphs, headings, list items, table cells), the most a body may have: shorten it or split it into several pages"))  # fmt: skip
            if len(tok.content) > MAX_BLOCK_CHARS:
                kind = block_kind(parents)
                found.append((_line(tok, first_line), f"this {kind} has {len(tok.content):,} characters; a {kind} may have at most {MAX_BLOCK_CHARS:,}: split it"))  # fmt: skip
    return found


def unclosed_html(tokens: tuple[Token, ...], first_line: int) -> list[tuple[int, str]]:
    """Raw HTML blocks that end only at an end marker and have none: they take in all text after."""
    found = []
    for tok in tokens:
        if tok.type != "html_block":
            continue
        lines = tok.content.split("\n")
        # zip stops after the five kinds of HTML block that only an end marker closes
        for (opening, closing, _), (what, end) in zip(HTML_SEQUENCES, _ENDED_BY_MARKER):
            if start := opening.search(lines[0].lstrip()):
                if not any(closing.search(line) for line in lines):
                    tag = "" if what else start.group(1).lower()  # script, pre, style or textarea
                    what = what or f"raw HTML <{tag}>"
                    found.append((_line(tok, first_line), f"{what} is never closed, so all the text after it is taken into it: close it with {end or f'</{tag}>'}"))  # fmt: skip
                break
    return found


def removed_html(md: MarkdownIt, tokens: tuple[Token, ...], first_line: int) -> list[tuple[int, str]]:
    """(line, message) for each tag, attribute or link the sanitiser removes from a block.

    Images written in Markdown are left to the media checks (sitegen.media): they never pass
    the page's sanitiser, which removes every ``<img>`` of raw HTML.
    """
    found: list[tuple[int, str]] = []
    for tok in tokens:
        if tok.type == "inline" and any(_may_lose_markup(c) for c in tok.children or ()):
            children = [c for c in tok.children or () if c.type != "image"]
            rendered = md.renderer.renderInline(children, md.options, {})
        elif tok.type == "html_block":
            rendered = tok.content
        else:
            continue
        line = _line(tok, first_line)
        for message in removed_markup(md, rendered):
            if (line, message) not in found:
                found.append((line, message))
    return found


def _may_lose_markup(child: Token) -> bool:
    """Raw HTML, or a link whose address isn't plainly one the sanitiser keeps."""
    if child.type == "link_open":
        return not _PLAIN_LINK.match(str(child.attrs.get("href", "")))
    return child.type == "html_inline"


def removed_markup(md: MarkdownIt, rendered: str) -> list[str]:
    """What the sanitiser removes from ``rendered``, found by comparing the HTML before and after."""
    before, after = _Markup(), _Markup()
    before.read(rendered)
    after.read(sanitize(rendered))
    messages = []
    for tag in before.tags - after.tags:
        if tag == "img":
            messages.append("raw HTML <img> is removed by the sanitiser: write an image in Markdown, ![what it shows](../media/name.png), with the file in content/media/")  # fmt: skip
        elif tag in CONTENT_REMOVED:
            messages.append(f"raw HTML <{tag}> is removed by the sanitiser: the page leaves it out with everything inside it")
        elif tag in VOID_ELEMENTS:
            messages.append(f"raw HTML <{tag}> is removed by the sanitiser: the page leaves it out")
        else:
            messages.append(f"raw HTML <{tag}> is removed by the sanitiser: the page shows only the text inside it")
    for tag, name, value in before.attributes - after.attributes:
        if tag not in after.tags:
            continue  # gone with its element
        if name == "href":
            scheme = _SCHEME.match(re.sub(r"[\x00-\x20]", "", value))
            shown = md.normalizeLinkText(value)
            if scheme and scheme.group(1).lower() not in LINK_SCHEMES:
                messages.append(f"link '{shown}' is removed by the sanitiser: only http, https, mailto and tel links are published; the page shows only the link text")  # fmt: skip
            else:
                messages.append(f"link '{shown}' is removed by the sanitiser: it is not a valid address; the page shows only the link text")  # fmt: skip
        else:
            messages.append(f"raw HTML {name} attribute on <{tag}> is removed by the sanitiser: the page shows the <{tag}> without it")
    return list(dict.fromkeys(messages))


class _Markup(HTMLParser):
    """The elements and attributes of a piece of HTML, counted; comments are left out (editors'
    notes, which the sanitiser is meant to remove)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attributes: Counter[tuple[str, str, str]] = Counter()

    def read(self, markup: str) -> None:
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            if not (tag == "a" and name == "rel"):  # the sanitiser adds rel="noopener noreferrer"
                self.attributes[(tag, name, value or "")] += 1

    handle_startendtag = handle_starttag


def _line(tok: Token, first_line: int) -> int:
    return first_line + (tok.map[0] if tok.map else 0)
