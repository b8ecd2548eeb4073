"""A project read and checked: what flows from loading (sitegen.pipeline.load_project) to every later stage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .errors import Report
from .languages import Language
from .model import Content
from .theme import Theme


@dataclass(frozen=True)
class Project:
    """Everything the site is made of, before anything is planned or rendered."""

    content: Content
    theme: Theme
    languages: dict[str, Language]  # every language of the site, the source language too
    report: Report  # the run's problems so far; later stages add theirs
    today: dt.date | None = None  # the build date in the site's time zone: decides expiry
