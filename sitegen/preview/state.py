"""What the open preview pages need to know, shared between the builder and the HTTP threads.

Every build that succeeds is a new *generation* of the site, with the set of site-relative URLs it
changed; a failed build keeps the generation and records its errors. A page remembers the
generation it was served from and asks what changed since then, so a page served a moment before
a rebuild still learns about it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

# Changes further back than this many generations are reported as "everything changed".
HISTORY = 64
# More changed URLs than this are sent as "everything changed": every open page reloads anyway.
MOST_URLS = 200
EVERYTHING = "*"


@dataclass(frozen=True, slots=True)
class PreviewEvent:
    version: int  # grows with every build, good or bad: a page waits for the next one
    generation: int
    changed: tuple[str, ...]  # site-relative URLs changed since the page's generation, or ("*",)
    errors: tuple[str, ...]  # `path:line: message` of the last build when it failed

    def as_json(self) -> dict[str, object]:
        return {"generation": self.generation, "changed": list(self.changed), "errors": list(self.errors)}


class PreviewState:
    """Thread-safe: the builder reports builds, each event stream waits for the next one."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._version = 0
        self._generation = 0
        self._changes: dict[int, frozenset[str]] = {}  # generation -> URLs that build changed
        self._errors: tuple[str, ...] = ()
        self._closed = False
        self._in_view: dict[str, int] = {}  # site URL -> how many open event streams show it

    def site_built(self, changed: frozenset[str]) -> None:
        with self._condition:
            self._generation += 1
            self._changes[self._generation] = changed
            self._changes.pop(self._generation - HISTORY, None)
            self._errors = ()
            self._version += 1
            self._condition.notify_all()

    def build_failed(self, errors: tuple[str, ...]) -> None:
        with self._condition:
            self._errors = errors
            self._version += 1
            self._condition.notify_all()

    def close(self) -> None:
        """Ends every waiting event stream (the server is stopping)."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    def opened(self, url: str) -> None:
        """A tab showing the page at site URL ``url`` listens (its event stream opened)."""
        with self._condition:
            self._in_view[url] = self._in_view.get(url, 0) + 1

    def closed(self, url: str) -> None:
        with self._condition:
            left = self._in_view.get(url, 0) - 1
            if left > 0:
                self._in_view[url] = left
            else:
                self._in_view.pop(url, None)

    def in_view(self) -> tuple[str, ...]:
        """The site URLs of the pages open in a browser: a save renders them first."""
        with self._condition:
            return tuple(sorted(self._in_view))

    @property
    def generation(self) -> int:
        with self._condition:
            return self._generation

    def event(self, since: int) -> PreviewEvent:
        with self._condition:
            return PreviewEvent(self._version, self._generation, self._changed_since(since), self._errors)

    def wait(self, version: int, timeout: float) -> bool:
        """Waits until a build after ``version`` or ``timeout``; False once the server stops."""
        with self._condition:
            self._condition.wait_for(lambda: self._closed or self._version != version, timeout)
            return not self._closed

    def _changed_since(self, since: int) -> tuple[str, ...]:
        if since >= self._generation:
            return ()
        if since < 0 or since + 1 not in self._changes:
            return (EVERYTHING,)
        urls: set[str] = set()
        for generation in range(since + 1, self._generation + 1):
            urls |= self._changes[generation]
        return (EVERYTHING,) if len(urls) > MOST_URLS else tuple(sorted(urls))
