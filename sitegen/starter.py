"""`sitegen init`: a new project with an example offer, contact and page, and the legal pages."""

from __future__ import annotations

import shutil
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "starter_project"
# The pages a German public site needs; the footer of every page links to them.
LEGAL_PAGES = ("impressum", "datenschutz", "barrierefreiheit")
# Written here rather than shipped as a file: a dotfile in package data is easily left out of a wheel.
# Comments are in German, like the rest of the starter files, for the editors.
GITIGNORE = """\
# Dateien, die nicht ins Git-Repository gehören, weil sitegen oder andere Programme sie
# selbst erzeugen.

# die fertige Website (sitegen build) und Reste eines abgebrochenen Baus
_site/
.*.new-*
.*.old-*

# Poedit und 'pybabel compile' schreiben neben jede .po-Datei eine .mo-Datei;
# die Website braucht sie nicht.
*.mo

# Zwischenspeicher: Python, ältere sitegen-Versionen (heute in ~/.cache/sitegen)
__pycache__/
.sitegen-cache/
.venv/

# Sicherungsdateien von Editoren und Dateien des Betriebssystems
*~
.*.swp
.DS_Store
Thumbs.db
"""


def create_project(folder: Path) -> None:
    shutil.copytree(TEMPLATE, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
