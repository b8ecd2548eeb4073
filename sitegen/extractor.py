"""A Babel extraction method for sitegen content, for teams that use ``pybabel`` directly.

Registered as the ``sitegen`` method (``[project.entry-points."babel.extractors"]``), so with the
mapping file ``babel.cfg``::

    [sitegen: content/site.yaml]
    [sitegen: content/offers/**.md]
    [sitegen: content/pages/**.md]
    [sitegen: content/contacts/**.yaml]
    [sitegen: content/events/**.md]
    [sitegen: content/organisations/**.yaml]

``pybabel extract -F babel.cfg -o locales/messages.pot .`` in the project folder gives the same
messages, references (``content/offers/<id>.md:<line>``) and field comments as
``sitegen extract``. A file is read as part of its project (the folder above ``content/``), so
the same rules apply: drafts and expired offers give no messages, a page with
``translate: false`` neither, and a content error stops the extraction with ``path:line:
message`` lines, as ``sitegen check`` prints them.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from .body import make_markdown
from .shown import content_messages
from .content import load_content
from .errors import BuildError, Report
from .model import Content

# Babel calls an extraction method once per file, but a file's messages depend on its whole
# project (drafts, expiry, shared texts). Reading the project once per pybabel run, not once per
# file, needs this memo; it is keyed by every content file's mtime and size, so it never goes stale.
_CACHE: dict[Path, tuple[tuple[tuple[str, int, int], ...], dict[Path, list[tuple[int, str, str]]]]] = {}


def project_root(path: Path) -> Path | None:
    """The project a content file belongs to: the nearest folder with ``content/site.yaml``."""
    for folder in path.resolve().parents:
        if (folder / "content" / "site.yaml").is_file():
            return folder
    return None


def _signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    found = []
    for path in sorted((root / "content").rglob("*")):
        if path.is_file():
            st = path.stat()
            found.append((path.as_posix(), st.st_mtime_ns, st.st_size))
    return tuple(found)


def messages_by_file(root: Path) -> dict[Path, list[tuple[int, str, str]]]:
    """(line, text, field) of every message of the project, by resolved file path; cached."""
    signature = _signature(root)
    cached = _CACHE.get(root)
    if cached and cached[0] == signature:
        return cached[1]
    report = Report(root)
    try:
        content: Content = load_content(root, report, make_markdown())
        report.raise_if_errors()
    except BuildError as exc:
        for problem in exc.warnings:
            print(f"warning: {problem}", file=sys.stderr)
        for problem in exc.errors:
            print(f"{problem}", file=sys.stderr)
        raise SystemExit(f"sitegen: {len(exc.errors)} error(s) in {root}/content; nothing extracted") from None
    for problem in report.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    found: dict[Path, list[tuple[int, str, str]]] = {}
    for msg, path in content_messages(content):
        if msg.text:
            found.setdefault(path.resolve(), []).append((msg.line, msg.text, msg.field))
    _CACHE[root] = (signature, found)
    return found


def extract_sitegen(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extraction method: ``(line, funcname, message, comments)`` for one content file.

    The comment is the field the text stands in (``title``, ``body paragraph`` …), as in the
    ``#.`` lines ``sitegen extract`` writes. Option ``root`` (in babel.cfg: ``root = path``)
    names the project folder when the file object has no name.
    """
    name = getattr(fileobj, "name", None)
    if not isinstance(name, str):
        raise ValueError("the sitegen extractor needs a file read from disk (a file object with a name)")
    path = Path(name).resolve()
    root = Path(options["root"]).resolve() if options.get("root") else project_root(path)
    if root is None:
        raise SystemExit(f"sitegen: {name} is not inside a sitegen project (no content/site.yaml above it)")
    for line, text, field in messages_by_file(root).get(path, []):
        yield line, None, text, [field]
