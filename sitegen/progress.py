"""How far a long build is, on stderr: a bar on a terminal, a plain line now and then in CI, and
nothing at all when output is captured (tests, pipes) — nor for builds of a couple of seconds."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

SHOW_AFTER = 2.0  # seconds: a quick build prints nothing but its result
CI_EVERY = 10.0  # seconds between plain lines in CI logs


class BuildProgress:
    """Called as ``progress(done, total)`` by the render stage (sitegen.render.Progress)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.terminal = self.stream.isatty()
        self.ci = not self.terminal and bool(os.environ.get("CI"))
        self.started = time.monotonic()
        self.last_line = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic() - self.started
        if now < SHOW_AFTER or not total or not (self.terminal or self.ci):
            return
        done = min(done, total)
        if self.terminal:
            filled = 30 * done // total
            self.stream.write(f"\rrendering [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} files")
            self.stream.flush()
            self.drawn = True
        elif now - self.last_line >= CI_EVERY:
            self.last_line = now
            print(f"rendering: {done}/{total} files ({now:.0f} s)", file=self.stream, flush=True)

    def finish(self) -> None:
        """End the bar's line, so that what follows starts on a line of its own."""
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
