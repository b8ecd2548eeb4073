"""A translator's save in `sitegen serve`: a changed ``.po`` file read again entry by entry.

Reading and checking a whole catalogue takes seconds at 5 000 offers (60 000 messages, 32 MB),
and a translator's save changes a few messages. When the new text differs from the one read
before only inside some entries (their translation, flags or comments, the msgid unchanged),
only those entries are read, by Babel, and checked; the findings of all the others stay, moved
by the lines the edit added or removed. Anything else (the header, an entry added, removed or
split, a plural, obsolete or context entry, a msgid written twice, a line that does not parse)
makes the caller read the whole file again. Either way the result is what reading the whole
file gives; a test holds the two together.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Message

from .catalogue_cache import Checked, copies, file_message
from .checks import Finding, check_catalogue, scan_po
from .poscan import DUPLICATE
from .errors import Report
from .pofile import read_catalog

MOST_ENTRIES = 200  # changed entries read one by one; beyond this, one whole reading is about as quick


@dataclass(frozen=True)
class ReadCatalogue:
    """What one reading of a ``.po`` found without a problem of the file: its bytes and what they hold."""

    data: bytes
    checked: Checked


def edited(before: ReadCatalogue, data: bytes, lang: str, md: Any, sources: dict[str, Any]) -> ReadCatalogue | None:
    """``data``, the new text of the catalogue read as ``before``, read by its changed entries only;
    None when the change is not one of a few entries' translations (then read the whole file)."""
    begin, old_end, new_end = _around_changes(before.data, data)
    old_blocks, new_blocks = before.data[begin:old_end].split(b"\n\n"), data[begin:new_end].split(b"\n\n")
    if len(old_blocks) != len(new_blocks) or begin == 0 and old_blocks[0] != new_blocks[0]:
        return None  # entries added, removed or split, or the header changed
    changed = [i for i, (old, new) in enumerate(zip(old_blocks, new_blocks)) if old != new]
    if len(changed) > MOST_ENTRIES:
        return None
    header = data[: data.find(b"\n\n")]
    translated, fuzzy, plural = dict(before.checked.translated), set(before.checked.fuzzy), dict(before.checked.plural)
    # A msgid written twice: Babel merges the two entries, so neither is read by itself.
    twice = {f.msgid for f in before.checked.findings if f.msgid is not None and f.message.startswith(DUPLICATE)}
    gone: set[tuple[int, str]] = set()  # (line, msgid) of the old findings of the changed entries
    added: list[Finding] = []
    moves: list[tuple[int, int]] = []  # (first line of a changed entry, lines the edit added there)
    start, done, shift = before.data.count(b"\n", 0, begin) + 1, 0, 0  # the first line of block ``done`` in the old text
    for i in changed:
        for block in old_blocks[done:i]:
            start += block.count(b"\n") + 2
        done = i
        old, new = _entry_of(old_blocks[i]), _entry_of(new_blocks[i])
        if old is None or new is None or old[0] != new[0] or old[0] in twice:
            return None
        read = _read_entry(header, new_blocks[i], lang, md, sources)
        if read is None:
            return None
        message, findings = read
        key = old[0]
        gone.add((start + old[1], key))
        translated.pop(key, None)
        fuzzy.discard(key)
        file_message(message, translated, fuzzy, plural)
        added += [dataclasses.replace(f, line=start + shift + f.line) for f in findings]
        if lines := new_blocks[i].count(b"\n") - old_blocks[i].count(b"\n"):
            moves.append((start, lines))
            shift += lines

    def moved(line: int) -> int:
        return line + sum(lines for at, lines in moves if line > at)

    kept = [dataclasses.replace(f, line=moved(f.line)) for f in before.checked.findings if (f.line, f.msgid) not in gone]
    findings = tuple(sorted(kept + added, key=lambda f: (f.line, f.message)))
    checked = dataclasses.replace(
        before.checked, translated=translated, fuzzy=frozenset(fuzzy), findings=findings, plural=plural, same=copies(findings)
    )  # fmt: skip
    return ReadCatalogue(data, checked)


def _around_changes(old: bytes, new: bytes) -> tuple[int, int, int]:
    """Where the entries around every difference of ``old`` and ``new`` are: from ``begin`` to
    ``old_end`` in the old text and to ``new_end`` in the new one; the rest is the same in both,
    and each side is cut at a blank line (``\\n\\n``), so the region holds whole entries. Found by
    comparing slices, without splitting 30 MB into entries twice."""
    size = min(len(old), len(new))
    same_start = _same_length(lambda low, high: old[low:high] == new[low:high], size)
    a, b = len(old), len(new)
    same_end = _same_length(lambda low, high: old[a - high : a - low] == new[b - high : b - low], size - same_start)
    cut = old.rfind(b"\n\n", 0, same_start)
    begin = 0 if cut < 0 else cut + 2
    cut = old.find(b"\n\n", a - same_end)
    old_end = a if cut < 0 else cut
    return begin, old_end, old_end - a + b


def _same_length(same: Callable[[int, int], bool], most: int) -> int:
    """The largest n <= most for which the first n bytes are the same, where ``same(low, high)``
    compares bytes low to high, asked only when those before low are the same."""
    step = 1 << 16
    low = 0
    while low + step <= most and same(low, low + step):
        low += step
    high = min(low + step, most + 1)  # different by high, or past most
    while high - low > 1:
        middle = (low + high) // 2
        if same(low, middle):
            low = middle
        else:
            high = middle
    return low


def _entry_of(block: bytes) -> tuple[str, int] | None:
    """The msgid of the one plain live entry that is ``block``, and the line of its msgid within
    the block (0 for the first); None for anything else, or a string left unclosed."""
    entries, findings = scan_po(block.decode("utf-8", errors="replace"))
    if len(entries) != 1 or findings:
        return None
    entry = entries[0]
    if not entry.msgid or entry.obsolete or entry.plural or entry.context is not None:
        return None
    return entry.msgid, entry.line - 1


def _read_entry(header: bytes, block: bytes, lang: str, md: Any, sources: dict[str, Any]) -> tuple[Message, list[Finding]] | None:
    """The message of ``block`` as Babel reads it behind the file's header, with its findings at
    lines within the block; None when reading it alone reports anything about the file."""
    data = header + b"\n\n" + block + b"\n"
    first = header.count(b"\n") + 3  # the block's first line in ``data``
    report = Report(Path())
    scanned = scan_po(data.decode("utf-8", errors="replace"))
    catalog = read_catalog(Path("messages.po"), lang, report, warn=True, data=data, scanned=scanned)
    if catalog is None or report.errors or report.warnings or catalog.obsolete:
        return None
    messages = [message for message in catalog if message.id]
    # The header's own findings are left out: they are the old ones, as the header is unchanged.
    findings = [f for f in check_catalogue(data, catalog, lang, md, sources, scanned=scanned) if f.line >= first]
    if len(messages) != 1 or any(f.msgid != messages[0].id for f in findings):
        return None
    return messages[0], [dataclasses.replace(f, line=f.line - first) for f in findings]
