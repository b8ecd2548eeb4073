"""Reading and writing gettext catalogues (.po, .pot) the way translators' tools expect them.

A catalogue is checked before Babel reads it (sitegen.checks, sitegen.poheader), and written
only when its messages changed, with the previous text of a fuzzy message as ``#|`` lines that
msgfmt, Poedit and Weblate read.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, normalize, read_po, unescape, write_po

from .checks import Finding, PoEntry, unreadable
from .errors import Report


def po_path(root: Path, lang: str) -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / "messages.po"


def pot_path(root: Path) -> Path:
    return root / "locales" / "messages.pot"


def msgid_key(msgid: str | tuple[str, ...]) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def read_catalog(
    path: Path, lang: str | None, report: Report, warn: bool = False, data: bytes | None = None,
    scanned: tuple[list[PoEntry], list[Finding]] | None = None,
) -> Catalog | None:
    """Read a .po/.pot; a broken file is an error (a warning with ``warn``, for the build).

    The header is checked before Babel sees the file (sitegen.poheader): Babel trusts its
    charset and Plural-Forms, and a translator's file must not make it fail or eat memory.
    ``scanned`` is ``sitegen.checks.scan_po`` of ``data``, when the caller has it already.
    """
    problem = report.warn if warn else report.error
    suffix = f"; the {lang} pages show German" if warn and lang else ""
    try:
        data = path.read_bytes() if data is None else data
        if blocking := unreadable(data, lang, template=path.suffix == ".pot", scanned=scanned):
            for finding in blocking:
                problem(path, finding.line, f"{finding.message}{suffix}")
            return None
        catalog = read_po(io.BytesIO(data), locale=lang, abort_invalid=True)
        _restore_previous(catalog)
        return catalog
    except PoFileError as exc:
        problem(path, int(getattr(exc, "lineno", 0)) + 1, f"not a valid .po file: {exc}{suffix}")
    except (UnicodeDecodeError, ValueError, LookupError, OSError) as exc:
        problem(path, 0, f"cannot be read: {exc}{suffix}")
    return None


def _restore_previous(catalog: Catalog) -> None:
    """Read ``#| msgid "…"`` (the text a fuzzy translation was made for) back as ``previous_id``.

    Babel's reader takes these lines for translator comments and would write them back as
    ``# | msgid …``; Poedit and Weblate show the previous text as a diff when it stays ``#|``.
    """
    for message in [*catalog, *catalog.obsolete.values()]:
        lines = [c for c in message.user_comments if c.startswith("|")]
        if not lines:
            continue
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
        parts: dict[str, str] = {}
        keyword = ""
        for line in lines:
            text = line[1:].strip()
            match = re.match(r"(msgctxt|msgid_plural|msgid)\s+(\".*\")$", text)
            if match:
                keyword, text = match.groups()
            elif not text.startswith('"'):
                continue
            try:
                parts[keyword] = parts.get(keyword, "") + unescape(text)
            except (ValueError, IndexError):
                continue
        if "msgid" in parts:
            message.previous_id = [parts["msgid"]] + ([parts["msgid_plural"]] if "msgid_plural" in parts else [])


def po_bytes(catalog: Catalog, width: int = 76) -> bytes:
    """The .po text of a catalogue, with the previous text of fuzzy messages as ``#|`` lines.

    Babel's ``write_po(include_previous=True)`` wraps a long previous msgid like a comment
    (``#| msgid "" "Das Rote …`` across lines), which msgfmt, Poedit and Weblate reject; so each
    previous text is written as a placeholder and then replaced by proper ``#|`` string lines.
    """
    tokens: dict[str, tuple[str, str]] = {}
    saved = []
    for number, message in enumerate(catalog):
        if message.id and message.previous_id:
            saved.append((message, message.previous_id))
            ids = []
            for keyword, text in zip(("msgid", "msgid_plural"), message.previous_id):
                token = f"SITEGENPREVIOUS{number}{keyword.upper().replace('_', '')}"
                tokens[f'#| {keyword} "{token}"'] = (keyword, text)
                ids.append(token)
            message.previous_id = ids
    buf = io.BytesIO()
    try:
        write_po(buf, catalog, width=width, include_previous=True)
    finally:
        for message, previous in saved:
            message.previous_id = previous
    if not tokens:
        return buf.getvalue()
    text = buf.getvalue().decode(catalog.charset or "utf-8")
    for placeholder, (keyword, previous) in tokens.items():
        lines = normalize(previous, width=width).splitlines()
        written = (f"#| {keyword} {line}" if i == 0 else f"#| {line}" for i, line in enumerate(lines))
        text = text.replace(placeholder, "\n".join(written))
    return text.encode(catalog.charset or "utf-8", "backslashreplace")


def write_catalog(path: Path, catalog: Catalog, ignore_header_lines: tuple[str, ...] = ()) -> bool:
    """Write a .po/.pot only when its messages changed; returns whether it wrote.

    Lines starting with ``ignore_header_lines`` (dates) don't count as a change, so that
    ``extract`` and ``update`` leave files untouched when nothing changed.
    """
    new = po_bytes(catalog)
    if path.exists():
        old = path.read_bytes()

        def strip(data: bytes) -> list[bytes]:
            return [ln for ln in data.splitlines() if not ln.startswith(tuple(h.encode() for h in ignore_header_lines))]

        if strip(old) == strip(new):
            return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(new)
    os.replace(tmp, path)
    return True
