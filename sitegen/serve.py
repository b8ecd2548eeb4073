"""`sitegen serve`: build, serve a live preview, rebuild what changed on every save.

A broken save does not stop the server: the errors are printed, shown on top of the open page,
and the last good build stays served until the next save fixes them. The preview itself (server,
watcher, reload script) lives in sitegen.preview.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from .errors import BuildError, Problem
from .parallel import WorkerStopped
from .preview.changes import site_url
from .preview.server import Address, PreviewHTTPServer
from .plan import SitePlan
from .preview.session import PreviewSession, Rest, Saved
from .project import Project
from .preview.state import PreviewState
from .preview.watcher import make_watcher

WATCHED = ("content", "locales", "themes")
EXIT_OK, EXIT_USAGE = 0, 2


class PreviewConsole:
    """What the terminal shows: each distinct warning once, the errors of every failed build."""

    def __init__(self) -> None:
        self.warned: set[Problem] = set()

    def warn(self, warnings: Sequence[Problem]) -> None:
        for warning in warnings:
            if warning not in self.warned:
                self.warned.add(warning)
                print(f"warning: {warning}", file=sys.stderr)

    @staticmethod
    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)


class PreviewBuilder:
    """Builds the preview into ``out`` and tells the open pages what changed.

    A save renders the pages open in a browser first (their tabs reload at once), then the rest
    of the site in a background thread (sitegen.preview.session); the next save cancels it.
    """

    def __init__(self, root: Path, out: Path, state: PreviewState, console: PreviewConsole) -> None:
        self.root, self.out, self.state, self.console = root, out, state, console
        self.session = PreviewSession(root, out)
        self.rest: tuple[Rest, threading.Thread] | None = None
        self.good: tuple[Project, SitePlan] | None = None  # the last save without errors

    def build(self) -> bool:
        """The first build: the whole site, before the preview announces itself ready."""
        started = time.perf_counter()
        try:
            saved, project, plan = self.session.build_all()
        except (BuildError, WorkerStopped) as exc:
            self.failed(exc)
            return False
        self.console.warn(project.report.warnings)
        self.good = (project, plan)
        self.state.site_built(saved.urls)
        self.console.say(f"rebuilt {_count(saved.pages, 'page')} in {time.perf_counter() - started:.2f} s")
        return True

    def save(self) -> bool:
        """After a save: the pages in view now, the rest of the site in the background."""
        self.stop()
        try:
            saved, project, plan = self.session.save(self.state.in_view())
        except (BuildError, WorkerStopped) as exc:
            self.failed(exc)
            if self.good is not None and self.rest is not None and not self.rest[0].saved.complete:
                self.background(*self.good, None)  # finish what the last good save left: no page half old
            return False
        self.console.warn(project.report.warnings)
        self.state.site_built(saved.urls)
        self.good = (project, plan)
        self.background(project, plan, saved)
        return True

    def background(self, project: Project, plan: SitePlan, first: Saved | None) -> None:
        rest = self.session.rest(project, plan)
        thread = threading.Thread(target=self.finish, args=(rest, first), name="preview-rest", daemon=True)
        self.rest = (rest, thread)
        thread.start()

    def finish(self, rest: Rest, first: Saved | None) -> None:
        """The background pass of a save (its own thread); says what it did unless cancelled."""
        try:
            rest.run()
        except (BuildError, WorkerStopped) as exc:
            if not rest.stopped.is_set():
                self.failed(exc)
            return
        except Exception:
            if rest.stopped.is_set():  # stopped with Ctrl+C: its processes were interrupted too
                return
            raise
        if not rest.saved.complete or first is None:
            return  # a newer save took over, or the site has errors (the pages keep showing them)
        self.state.site_built(rest.saved.urls)
        shown = ", ".join(sorted(site_url(path) for path in first.changed)) or "no open page"
        others = rest.saved.pages - first.pages
        self.console.say(f"rebuilt {shown} in {first.seconds:.2f} s; "
                         f"the other {_count(others, 'page')} in {rest.saved.seconds:.2f} s")  # fmt: skip

    def stop(self) -> None:
        """Cancel the background pass of the last save; its processes stop after their current file."""
        if self.rest is not None:
            self.rest[0].cancel()

    def join(self) -> None:
        self.stop()
        if self.rest is not None:
            self.rest[1].join(timeout=30)

    def failed(self, exc: BuildError | WorkerStopped) -> None:
        if isinstance(exc, WorkerStopped):  # e.g. killed for memory: the next save tries again
            self.state.build_failed((f"sitegen serve: {exc}",))
            self.console.say(f"sitegen serve: {exc}; the preview shows the last good build")
            return
        self.console.warn(exc.warnings)
        for error in exc.errors:
            self.console.say(f"error: {error}")
        self.state.build_failed(tuple(self.shown(problem) for problem in exc.errors))
        self.console.say(f"sitegen serve: {_count(len(exc.errors), 'error')}; the preview shows the last good build")

    def shown(self, problem: Problem) -> str:
        """The problem as the page shows it: no path of the editor's computer leaves the server.

        Paths in the project are relative already; the built-in theme's are shown from the
        theme's folder on (`themes/default/…`), anything else by its name only.
        """
        path = Path(problem.path)
        if path.is_absolute():
            parts = path.parts
            from_themes = len(parts) - 1 - parts[::-1].index("themes") if "themes" in parts else len(parts) - 1
            path = Path(*parts[from_themes:])
        text = str(Problem(path.as_posix(), problem.line, problem.message))
        for folder in (str(self.root.resolve()), str(self.root.absolute())):
            text = text.replace(folder + os.sep, "")
        return text.replace(str(Path.home()) + os.sep, "~" + os.sep)


def serve(root: Path, host: str, port: int, poll: bool = False) -> int:
    address = Address(host, port)
    state = PreviewState()
    with tempfile.TemporaryDirectory(prefix="sitegen-serve-") as temporary:
        out = Path(temporary) / "site"
        try:
            server = PreviewHTTPServer(address, out, state)
        except OSError as exc:
            PreviewConsole.say(_cannot_listen(address, exc))
            return EXIT_USAGE
        console = PreviewConsole()
        thread = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
        restore = _stop_on_sigterm()
        builder: PreviewBuilder | None = None
        watcher = None
        try:
            thread.start()
            _announce(root, address, console)
            watcher = make_watcher((root / name for name in WATCHED), poll)
            builder = PreviewBuilder(root, out, state, console)
            builder.build()
            console.say("watching content/, locales/ and themes/ (Ctrl+C stops)")
            while True:
                watcher.wait_for_change()
                builder.save()
        except KeyboardInterrupt:
            console.say("sitegen serve: stopped")
        finally:
            if watcher is not None:
                watcher.close()
            if builder is not None:
                builder.join()  # nothing writes into the folder while it is removed
            restore()
            state.close()
            server.shutdown()
            server.server_close()
    return EXIT_OK


def _announce(root: Path, address: Address, console: PreviewConsole) -> None:
    console.say(f"serving {root} at {address.url()} (Ctrl+C stops)")
    if not _is_loopback(address.host):
        console.say(f"warning: --host {address.host}: anyone on your network can open this preview, "
                    "unpublished drafts included")  # fmt: skip


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _cannot_listen(address: Address, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"sitegen serve: port {address.port} is in use: try --port {_free_port_after(address)}"
    reason = exc.strerror or str(exc)
    return f"sitegen serve: cannot listen on {address.literal(address.host)}:{address.port}: {reason}"


def _free_port_after(address: Address) -> int:
    """The next port that is free now (suggested, not reserved)."""
    family = socket.AF_INET6 if ":" in address.host else socket.AF_INET
    for port in range(address.port + 1, min(address.port + 100, 65536)):
        with socket.socket(family) as probe:
            try:
                probe.bind((address.host, port))
            except OSError:
                continue
            return port
    return address.port + 1


def _stop_on_sigterm():  # type: ignore[no-untyped-def]
    """SIGTERM stops the preview like Ctrl+C, so the temporary folder is removed either way."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    owner = os.getpid()

    def stop(signum: int, frame: object) -> None:
        if os.getpid() != owner:  # a render worker forked during a build: just end
            os._exit(128 + signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    return lambda: signal.signal(signal.SIGTERM, previous)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
