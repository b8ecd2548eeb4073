"""A strict YAML reader: every scalar is text, every value keeps its line.

Editors write ``postal_code: 01067`` and ``title: no``; YAML 1.1 would turn those into the
number 1067 and False. Here scalars stay text and each field converts its own value, so an
error can name the line. Duplicate keys and anchors/aliases are errors: both hide content.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Node:
    """A YAML value with the 1-based line it starts on.

    ``value`` is ``str``, ``None`` (an empty plain scalar), ``list[Node]`` or
    ``dict[str, Node]`` (mapping keys are text; ``keys`` keeps their lines).
    """

    value: Any
    line: int
    keys: dict[str, int] | None = None

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
    def __init__(self, line: int, message: str) -> None:
        self.line, self.message = line, message
        super().__init__(f"{line}: {message}")


def parse(text: str, first_line: int = 1) -> Node | None:
    """Parse one YAML document; line numbers are offset so that line 1 is ``first_line``.

    Raises YamlError for syntax errors, duplicate keys, aliases and non-text keys.
    Returns None for an empty document.
    """
    offset = first_line - 1
    try:
        events = list(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + offset
        raise YamlError(line, f"YAML syntax error: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:  # reader errors (bad characters) carry no mark
        raise YamlError(first_line, f"YAML error: {exc}") from None
    builder = _Builder(events, offset)
    return builder.document()


class _Builder:
    def __init__(self, events: list[yaml.Event], offset: int) -> None:
        self.events, self.pos, self.offset = events, 0, offset

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
        if isinstance(ev, yaml.ScalarEvent):
            plain = not ev.style  # the C parser says "" where the Python one says None
            return Node(None if plain and ev.value in ("", "~", "null") else ev.value, line)
        if isinstance(ev, yaml.SequenceStartEvent):
            items = []
            while not isinstance(self.events[self.pos], yaml.SequenceEndEvent):
                items.append(self.node() or Node(None, self._line(self.events[self.pos - 1])))
            self.pos += 1
            return Node(items, line)
        if isinstance(ev, yaml.MappingStartEvent):
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
            return Node(mapping, line, keys)
        raise YamlError(line, f"unexpected YAML content ({type(ev).__name__})")
