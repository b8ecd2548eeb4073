"""Problems in a user's files, reported as ``path:line: message``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .textsafety import visible


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One error or warning about one place in one file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        # One line per problem, and nothing from a file (an escape sequence in a name or a value)
        # reaches the user's terminal raw.
        path, message = visible(self.path), visible(self.message)
        return f"{path}:{self.line}: {message}" if self.line else f"{path}: {message}"


class BuildError(Exception):
    """Raised once a stage has collected errors; carries all of them."""

    def __init__(self, errors: list[Problem], warnings: list[Problem] | None = None) -> None:
        self.errors = sorted(set(errors), key=_order)
        self.warnings = sorted(set(warnings or []), key=_order)
        super().__init__("\n".join(map(str, self.errors)))


def _order(p: Problem) -> tuple[str, int, str]:
    return (p.path, p.line, p.message)


@dataclass(slots=True)
class Report:
    """Collects errors and warnings of one run; every stage adds to the same report."""

    root: Path
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def rel(self, path: Path | str) -> str:
        """The path as the user sees it: relative to the project root when inside it."""
        p = Path(path)
        # Most paths are made from the root (root / "content" / …): read as written, without
        # asking the file system about every folder on the way (a project holds no symlinks).
        if p.is_absolute() == self.root.is_absolute() and ".." not in p.parts and p.is_relative_to(self.root):
            return p.relative_to(self.root).as_posix()
        try:
            return p.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return p.as_posix()

    def error(self, path: Path | str, line: int, message: str) -> None:
        self.errors.append(Problem(self.rel(path), line, message))

    def warn(self, path: Path | str, line: int, message: str) -> None:
        self.warnings.append(Problem(self.rel(path), line, message))

    def raise_if_errors(self) -> None:
        """Stop the run here if anything so far was wrong, reporting all of it at once."""
        if self.errors:
            raise BuildError(self.errors, self.warnings)
