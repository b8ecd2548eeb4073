"""Review of changed German text: what ``sitegen update --minor`` carries over without review.

When an editor changes a German text, ``sitegen update`` (Babel's update) keeps the old
translation but marks it fuzzy: the site shows German until a translator has looked at it.
For a typo fix that is needless work for every translator, so after a *minor* edit an editor
runs ``sitegen extract && sitegen update --minor``: a translation Babel matched to the changed
text is kept **without** the fuzzy flag when the edit is minor by these rules —

* the old translation was published (not fuzzy itself);
* at most :data:`MAX_CHANGED` characters changed, not counting whitespace;
* numbers, link targets, placeholders, inline code, HTML tags and emphasis are unchanged —
  they stand in every translation as they stand in German, so a change to them always needs
  a translator (``9:00`` → ``10:00`` is two characters, but every translation would be wrong).

Every other changed text stays fuzzy. The command prints each decision, so the editor sees
exactly which translations were carried over.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from babel.messages.catalog import Catalog
from markdown_it import MarkdownIt

from .body import make_markdown
from .message_checks import inline_facts, placeholders

MAX_CHANGED = 3


@dataclass(frozen=True, slots=True)
class MinorEdit:
    """One changed German text in one language, and whether its translation was kept."""

    lang: str
    old: str
    new: str
    location: str  # content/offers/x.md:14 (the new text's first reference)
    kept: bool
    reason: str = ""  # why it stays fuzzy


def changed_characters(old: str, new: str) -> int:
    """How many characters an edit changed, whitespace not counted."""
    a, b = re.sub(r"\s+", " ", old.strip()), re.sub(r"\s+", " ", new.strip())
    count = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            count += max(len(a[i1:i2].replace(" ", "")), len(b[j1:j2].replace(" ", "")))
    return count


def why_not_minor(old: str, new: str, md: MarkdownIt | None = None) -> str | None:
    """None when changing ``old`` to ``new`` is a minor edit, else the reason it is not."""
    if re.findall(r"\d+", old) != re.findall(r"\d+", new):
        return "numbers changed"
    md = md or make_markdown()
    a, b = inline_facts(md, old), inline_facts(md, new)
    if a.links != b.links:
        return "link targets changed"
    if placeholders(old) != placeholders(new):
        return "placeholders changed"
    if a.code != b.code or a.tags != b.tags or a.emphasis != b.emphasis:
        return "markup changed"
    changed = changed_characters(old, new)
    if changed > MAX_CHANGED:
        return f"{changed} characters changed (a minor edit changes at most {MAX_CHANGED})"
    return None


def carry_minor_edits(
    catalog: Catalog, before: set[str], was_fuzzy: set[str], lang: str, md: MarkdownIt | None = None
) -> list[MinorEdit]:
    """After ``catalog.update(template)``: clear the fuzzy flag of translations of minor edits.

    ``before`` holds the msgids of the catalogue before the update: only a text that is new in
    this update and was matched with an old one is an edit. ``was_fuzzy`` holds those that were
    fuzzy: their translations needed review already, and a minor edit doesn't change that.
    """
    md = md or make_markdown()
    found = []
    for message in catalog:
        if not message.id or not message.fuzzy or not message.previous_id or not message.string:
            continue
        new = message.id[0] if isinstance(message.id, tuple) else message.id
        old = message.previous_id[0]
        if new in before or old not in before:
            continue  # fuzzy since an earlier update, not an edit of this one
        path, line = message.locations[0] if message.locations else ("", 0)
        location = f"{path}:{line}" if path else ""
        if old in was_fuzzy:
            found.append(MinorEdit(lang, old, new, location, False, "its translation needed review already"))
            continue
        if isinstance(message.id, tuple):
            found.append(MinorEdit(lang, old, new, location, False, "plural message"))
            continue
        reason = why_not_minor(old, new, md)
        if reason is None:
            message.flags.discard("fuzzy")
            message.previous_id = []
        found.append(MinorEdit(lang, old, new, location, reason is None, reason or ""))
    return found


def summarize(edits: list[MinorEdit]) -> list[str]:
    """One line per changed text, naming the languages whose translation was kept or left fuzzy."""
    groups: dict[tuple[str, str, str, bool, str], list[str]] = {}
    for e in edits:
        groups.setdefault((e.location, e.old, e.new, e.kept, e.reason), []).append(e.lang)
    lines = []
    for (location, old, new, kept, reason), langs in groups.items():
        what = "translation kept" if kept else f"left fuzzy for review, {reason}"
        before, after = excerpt(old, new)
        lines.append(f"{location}: {what} [{', '.join(langs)}]: {before!r} -> {after!r}")
    return lines


def excerpt(old: str, new: str, context: int = 20, short: int = 60) -> tuple[str, str]:
    """The changed part of two texts with a little context, '…' where text is left out."""
    if len(old) <= short and len(new) <= short:
        return old, new
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    begin = max(0, start - context)

    def cut(text: str) -> str:
        stop = min(len(text), len(text) - end + context)
        return ("…" if begin else "") + text[begin:stop] + ("…" if stop < len(text) else "")

    return cut(old), cut(new)
