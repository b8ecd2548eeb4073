"""PyYAML's messages for the slips editors make, turned into what to do and on which line.

PyYAML says "mapping values are not allowed in this context" for a colon in a title, and reports
a missing space after a colon on the line *after* it. Here each common slip is recognised from the
parser's message and the text around its position; anything else keeps PyYAML's own words. Both
the C parser's and the pure-Python parser's wordings are understood.
"""

from __future__ import annotations

import re

import yaml

# ``title:Beratung``: a field name, a colon and text without the space YAML needs
MISSING_SPACE = re.compile(r"\s*(?:-\s+)?([A-Za-z_][\w-]*):(?!//)(\S.*)")
# ``title: Beratung: Familie`` (optionally a list item): field name and the rest
FIELD_AND_VALUE = re.compile(r"\s*(?:-\s+)?([^\s:#{}\[\],][^:#{}\[\],]*?):\s+(.*?)(?:\s+#.*)?")
# ``title: "Beratung`` (optionally a list item): the opening quote and the rest of the line
OPENING_QUOTE = re.compile(r"\s*(?:-\s+)?[^\s:#][^:#]*:\s+([\"'])(.*)")
CLOSERS = {'"': "quote", "'": "quote", "]": "bracket", "}": "brace"}
# Where YAML starts a new line, and so counts one in its marks: a lone '\r' and NEL/LS/PS too.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """(0-based line, message) for a YAML syntax error in ``text``."""
    lines = LINE_BREAK.split(text)
    problem, context = exc.problem or "", exc.context or ""
    line, column = _position(exc.problem_mark, lines)
    context_line, context_column = _position(exc.context_mark, lines) if exc.context_mark else (line, column)
    here = lines[line]
    char = here[column] if column < len(here) else ""

    if "mapping values are not allowed" in problem:
        return _colon(lines, line, column)
    if "could not find expected ':'" in problem:
        return _missing_colon(lines, context_line)
    if char == "\t" or "tab character" in problem:
        return line, "a tab character where YAML needs spaces: indent with spaces, and write a space, not a tab, after '-' and ':'"
    if "cannot start any token" in problem:
        return line, _cannot_start(here, char)
    if "block scalar" in context:  # ``title: | A``: the text after '|' or '>'
        return context_line, _cannot_start(lines[context_line], lines[context_line][context_column])
    if "sequence entries are not allowed" in problem or "mapping keys are not allowed" in problem:
        return line, _cannot_start(here, here[column : column + 2])
    if "quoted scalar" in context:
        if "escape" in problem or "hexdecimal" in problem or "hexadecimal" in problem:
            return line, "a backslash inside double quotes starts an escape: use single quotes instead, or write \\\\ for each backslash"
        return context_line, _unclosed_quote(lines[context_line][context_column])
    if "flow" in context:
        return _flow(lines, line, column, context_line, context_column)
    if "block mapping" in context or "block collection" in context:
        return _block(lines, line, column, char)
    return line, f"YAML syntax error: {problem or context}"


def _position(mark: yaml.Mark | None, lines: list[str]) -> tuple[int, int]:
    """A mark as (line, column) inside ``lines``; the end of the text is its last line."""
    if mark is None:
        return 0, 0
    if mark.line >= len(lines) or (mark.line == len(lines) - 1 and not lines[-1]):
        last = max(len(lines) - 2, 0) if not lines[-1] else len(lines) - 1
        return last, len(lines[last])
    return mark.line, mark.column


def quoted(value: str) -> str:
    """``value`` as a YAML quoted scalar an editor can paste."""
    if '"' in value and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quote_hint(text: str) -> str:
    """``title: "Beratung: Familie"`` for the line or flow entry ``text``, or '' if it has no field."""
    match = FIELD_AND_VALUE.fullmatch(text)
    return f": {match.group(1).strip()}: {quoted(match.group(2))}" if match and match.group(2) else ""


def _colon(lines: list[str], line: int, column: int) -> tuple[int, str]:
    here = lines[line]
    first_colon = here.find(":")
    if column == first_colon:  # the line's own field colon: the problem starts above
        above = _line_above(lines, line)
        if above is not None and (match := MISSING_SPACE.fullmatch(lines[above])):
            return above, _missing_space(match)
        return line, ("this line is indented further than the line above it: fields at the same level start in the same column "
                      "(if the line continues the value above, put the whole value in quotes)")
    return line, "a colon followed by a space inside a value: put the value in quotes" + _quote_hint(here)


def _unclosed_quote(quote: str) -> str:
    return f"the quote {quote} that starts this value is never closed: end the value with {quote}"


def _unclosed_quote_above(lines: list[str], line: int, quote: str) -> int | None:
    """The nearest line above whose value opens ``quote`` without closing it on that line."""
    for above in range(line - 1, -1, -1):
        match = OPENING_QUOTE.fullmatch(lines[above])
        if match and match.group(1) == quote and quote not in match.group(2).replace("\\\"", ""):
            return above
    return None


def _missing_colon(lines: list[str], line: int) -> tuple[int, str]:
    if match := MISSING_SPACE.fullmatch(lines[line]):
        return line, _missing_space(match)
    return line, "this line has no colon: write field: value, or indent the line if it continues the value above"


def _missing_space(match: re.Match[str]) -> str:
    return f"a space is missing after the colon: write {match.group(1)}: {match.group(2)}"


def _line_above(lines: list[str], line: int) -> int | None:
    for above in range(line - 1, -1, -1):
        if lines[above].strip() and not lines[above].lstrip().startswith("#"):
            return above
    return None


def _cannot_start(here: str, start: str) -> str:
    return f"a value cannot start with '{start.strip() or start}': put the value in quotes" + _quote_hint(here)


def _flow(lines: list[str], line: int, column: int, open_line: int, open_column: int) -> tuple[int, str]:
    """Inside ``{…}`` or ``[…]``: a colon in a value, or a bracket that is never closed."""
    here = lines[line]
    entry_start = max(here.rfind(c, 0, column) for c in ",{[") + 1
    if column < len(here) and here[column] == ":" and ": " in here[entry_start:column]:
        entry_end = min((i for c in ",}]" if (i := here.find(c, column)) >= 0), default=len(here))
        return line, "a colon followed by a space inside a value: put the value in quotes" + _quote_hint(here[entry_start:entry_end])
    open_line, bracket = _last_opening_bracket(lines, open_line, open_column)
    closer = {"{": "}", "[": "]"}.get(bracket, "")
    return open_line, f"the '{bracket}' on this line is never closed: close it with '{closer}' after the last entry"


def _last_opening_bracket(lines: list[str], line: int, column: int) -> tuple[int, str]:
    """The line and kind of the last '[' or '{' at or before the position (the parser's mark
    is sometimes just after the text)."""
    for number in range(line, -1, -1):
        text = lines[number][: column + 1] if number == line else lines[number]
        found = max(text.rfind("["), text.rfind("{"))
        if found >= 0:
            return number, text[found]
    return line, "["


def _block(lines: list[str], line: int, column: int, char: str) -> tuple[int, str]:
    here = lines[line]
    before = here[:column].rstrip()
    if before and before[-1] in "\"'" and (opened := _unclosed_quote_above(lines, line, before[-1])) is not None:
        return opened, _unclosed_quote(before[-1])  # that quote closed a value begun lines above
    if before and before[-1] in CLOSERS:
        return line, f"text after the closing {CLOSERS[before[-1]]}: put the whole value in quotes" + _quote_hint(here)
    if char == "-" and column == 0:
        return line, "a list item where a field was expected: indent the list under its field"
    return line, "this line is indented differently from the lines above: fields at the same level start in the same column"
