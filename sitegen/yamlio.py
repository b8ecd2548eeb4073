"""A strict YAML reader: every scalar is text, every value keeps its line.

Editors write ``postal_code: 01067`` and ``title: no``; YAML 1.1 would turn those into the
number 1067 and False. Here scalars stay text and each field converts its own value, so an
error can name the line. Duplicate keys, anchors/aliases and tags are errors: they hide content.
Files are capped in size and nesting so that no input can make a build slow.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import textsafety
from .yamlhints import explain

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_FILE_BYTES = 1_000_000  # the longest real offer is ~10 KB; a megabyte is a mistake or an attack
MAX_DEPTH = 10  # content needs 4 levels (offer > hours > slot > days); more is a bracket typo
PRIVATE_USE_START = 0xE000
TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep; no field needs that: check the brackets and indentation"


@dataclass(frozen=True, slots=True)
class Node:
    """A YAML value with the 1-based line it starts on.

    ``value`` is ``str``, ``None`` (an empty plain scalar), ``list[Node]`` or
    ``dict[str, Node]`` (mapping keys are text; ``keys`` keeps their lines). ``flow`` is true
    for a mapping written ``{a: b, c: d}``: there a comma ends the value.
    """

    value: Any
    line: int
    keys: dict[str, int] | None = None
    flow: bool = False

    def get(self, key: str) -> Node | None:
        return self.value.get(key) if isinstance(self.value, dict) else None

    def keys_or_empty(self) -> dict[str, int]:
        return self.keys or {}

    def plain(self) -> Any:
        """The value as plain Python data (for tests and debugging)."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


class YamlError(Exception):
    """A file that cannot be read at all, with the line to look at."""

    def __init__(self, line: int, message: str) -> None:
        self.line, self.message = line, message
        super().__init__(f"{line}: {message}")


def read_source(path: Path) -> str:
    """The text of a content file: UTF-8 (a leading BOM is dropped), at most MAX_FILE_BYTES."""
    with path.open("rb") as stream:
        data = stream.read(MAX_FILE_BYTES + 1)  # never more: the file may be huge or endless
    if len(data) > MAX_FILE_BYTES:
        limit = f"{MAX_FILE_BYTES // 1_000_000} MB"
        raise YamlError(1, f"the file is larger than {limit}, the limit for a content file: split it or shorten it")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlError(line, f"not UTF-8 (byte 0x{data[exc.start]:02x}): save the file as UTF-8") from None
    return text.removeprefix("\ufeff")


def parse(text: str, first_line: int = 1) -> Node | None:
    """Parse one YAML document; line numbers are offset so that line 1 is ``first_line``.

    Raises YamlError for syntax errors (explained for editors), too deep nesting, duplicate
    keys, aliases, tags and non-text keys. Returns None for an empty document.
    """
    offset = first_line - 1
    masked, restore = mask_controls(text)
    events: list[yaml.Event] = []
    depth = 0
    try:
        for event in yaml.parse(masked, Loader=YAML_LOADER):  # lazily: a bracket bomb stops early
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlError(event.start_mark.line + first_line, TOO_DEEP)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            events.append(event)
    except yaml.MarkedYAMLError as exc:
        # libyaml looks ahead and stops at 1000 levels before handing out the events counted above
        too_deep = "nesting depth" in (exc.problem or "") and exc.problem_mark
        line, message = (exc.problem_mark.line, TOO_DEEP) if too_deep else explain(exc, masked)
        raise YamlError(line + first_line, message) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (U+FFFE …)
        line = masked.count("\n", 0, exc.position) + first_line
        character = textsafety.describe(chr(exc.character))
        raise YamlError(line, f"contains {character}, which YAML does not allow: remove it") from None
    return _Builder(events, offset, restore).document()


def mask_controls(text: str) -> tuple[str, dict[int, str]]:
    """Swap control characters for unused private-use characters, and the table to swap back.

    PyYAML refuses the whole file at the first control character without a line; masked, the
    file parses and the field that holds the character can be named (see ``refused_characters_in``).
    """
    controls = [c for c in textsafety.refused_characters(text, allowed="\n\t\r") if textsafety.is_control(c)]
    if not controls:
        return text, {}
    unused = (chr(c) for c in range(PRIVATE_USE_START, 0xF900) if chr(c) not in text)
    swap = {ord(c): mask for c, mask in zip(controls, unused)}
    return text.translate(swap), {ord(mask): c for c, mask in zip(controls, swap.values())}


def refused_characters_in(node: Node | None, name: str = "") -> list[tuple[int, str]]:
    """(line, message) for every control or bidi control character in a key or value."""
    if node is None:
        return []
    if isinstance(node.value, str):
        what = f"'{name or 'the value'}'"
        return [(node.line, textsafety.refusal(what, c)) for c in textsafety.refused_characters(node.value)]
    found: list[tuple[int, str]] = []
    if isinstance(node.value, list):
        for i, item in enumerate(node.value):
            found += refused_characters_in(item, f"{name}[{i}]")
    elif isinstance(node.value, dict):
        for key, value in node.value.items():
            key_line = node.keys_or_empty()[key]
            found += [(key_line, textsafety.refusal("a field name", c)) for c in textsafety.refused_characters(key, "")]
            found += refused_characters_in(value, f"{name}.{key}" if name else key)
    return found


class _Builder:
    def __init__(self, events: list[yaml.Event], offset: int, restore: dict[int, str]) -> None:
        self.events, self.pos, self.offset, self.restore = events, 0, offset, restore

    def _next(self) -> yaml.Event:
        ev = self.events[self.pos]
        self.pos += 1
        return ev

    def _line(self, ev: yaml.Event) -> int:
        return ev.start_mark.line + 1 + self.offset

    def document(self) -> Node | None:
        node = None
        while self.pos < len(self.events):
            ev = self.events[self.pos]
            if isinstance(ev, yaml.DocumentStartEvent):
                if node is not None:
                    raise YamlError(self._line(ev), "only one YAML document is allowed here")
                self.pos += 1
                node = self.node()
            else:
                self.pos += 1
        return node

    def node(self) -> Node | None:
        ev = self._next()
        line = self._line(ev)
        if isinstance(ev, yaml.DocumentEndEvent):
            return None
        if isinstance(ev, yaml.AliasEvent):
            raise YamlError(line, f"aliases (*{ev.anchor}) are not allowed; write the value out")
        if getattr(ev, "anchor", None):
            raise YamlError(line, f"anchors (&{ev.anchor}) are not allowed; write the value out")
        if getattr(ev, "tag", None):  # only a ``!tag`` the editor wrote sets it
            raise YamlError(line, "a value cannot start with '!' (YAML reads it as a tag): put the value in quotes")
        if isinstance(ev, yaml.ScalarEvent):
            plain = not ev.style  # the C parser says "" where the Python one says None
            value = ev.value.translate(self.restore) if self.restore else ev.value
            return Node(None if plain and value in ("", "~", "null") else value, line)
        if isinstance(ev, yaml.SequenceStartEvent):
            items = []
            while not isinstance(self.events[self.pos], yaml.SequenceEndEvent):
                items.append(self.node() or Node(None, self._line(self.events[self.pos - 1])))
            self.pos += 1
            return Node(items, line)
        if isinstance(ev, yaml.MappingStartEvent):
            return self.mapping(ev, line)
        raise YamlError(line, f"unexpected YAML content ({type(ev).__name__})")

    def mapping(self, start: yaml.MappingStartEvent, line: int) -> Node:
        mapping: dict[str, Node] = {}
        keys: dict[str, int] = {}
        while not isinstance(self.events[self.pos], yaml.MappingEndEvent):
            key_ev = self.events[self.pos]
            key = self.node()
            if key is None or not isinstance(key.value, str):
                raise YamlError(self._line(key_ev), "keys must be plain words")
            if key.value in mapping:
                raise YamlError(key.line, f"duplicate key '{key.value}' (first on line {keys[key.value]})")
            value = self.node()
            keys[key.value] = key.line
            mapping[key.value] = value if value is not None else Node(None, key.line)
        self.pos += 1
        return Node(mapping, line, keys, flow=bool(start.flow_style))

