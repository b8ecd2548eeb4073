"""Where templates, static files and interface translations come from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from .errors import Report


def default_theme_dir() -> Path:
    """The default theme: inside the installed package, or ``themes/default`` of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "themes" / "default", here.parent / "themes" / "default"):
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError("sitegen's default theme is missing from the installation")


@dataclass(frozen=True, slots=True)
class Theme:
    default: Path
    own: Path | None  # the project's theme, when site.yaml names one

    @property
    def template_dirs(self) -> list[Path]:
        dirs = [self.own / "templates"] if self.own and (self.own / "templates").is_dir() else []
        return [*dirs, self.default / "templates"]

    @property
    def static_dirs(self) -> list[Path]:
        """Default theme first, so the project's files of the same name win."""
        dirs = [self.default / "static"]
        if self.own and self.own.resolve() != self.default.resolve() and (self.own / "static").is_dir():
            dirs.append(self.own / "static")
        return dirs

    @property
    def extracts_own_strings(self) -> bool:
        """A project's own theme has strings the package doesn't translate; they go in its catalogue."""
        return self.own is not None and self.own.resolve() != self.default.resolve()

    def ui_catalogue(self, lang: str) -> Path:
        return self.default / "locales" / lang / "LC_MESSAGES" / "messages.po"


def load_theme(root: Path, name: str | None, site_yaml: Path, report: Report) -> Theme:
    default = default_theme_dir()
    if not name:
        return Theme(default, None)
    if "/" in name or "\\" in name or name.startswith("."):
        report.error(site_yaml, 0, f"theme '{name}' must be the name of a folder in themes/, not a path")
        return Theme(default, None)
    own = root / "themes" / name
    if not own.is_dir():
        if name == "default":
            return Theme(default, None)
        report.error(site_yaml, 0, f"theme '{name}' not found: there is no folder themes/{name}/")
        return Theme(default, None)
    return Theme(default, own)


class TemplateLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, refusing names starting with '.', which sitegen never reads.

    Links elsewhere in a theme are refused before the build starts (sitegen.symlinks), but
    that check skips '.' names (editors' lock files are links), so none may be loaded either.
    """

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        if any(piece.startswith(".") for piece in template.replace("\\", "/").split("/")):
            raise jinja2.TemplateNotFound(template, f"'{template}': template names may not start with '.'")
        return super().get_source(environment, template)
