"""`sitegen init`: a new project with one example offer, contact and page."""

from __future__ import annotations

import shutil
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "starter_project"


def create_project(folder: Path) -> None:
    shutil.copytree(TEMPLATE, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / ".gitignore").write_text("_site/\n", encoding="utf-8")  # the catalogue cache is in ~/.cache
