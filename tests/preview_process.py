"""A `sitegen serve` subprocess for the preview tests (tests/test_serve.py, tests/browser/test_preview.py)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], object], seconds: float = 30.0) -> bool:
    """Polls ``check`` until it is true; OSError (the server not up yet) counts as not yet."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if check():
                return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


class PreviewProcess:
    """`sitegen serve PROJECT --port PORT` with its output collected as it comes."""

    def __init__(self, project: Path, *extra: str, temp: Path | None = None) -> None:
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        # faulthandler: a preview that does not stop prints where each of its threads is (see stop)
        env = dict(os.environ, PYTHONFAULTHANDLER="1", **({"TMPDIR": str(temp)} if temp else {}))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", str(project), "--port", str(self.port), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )  # fmt: skip
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in iter(self.process.stdout.readline, ""):
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def fetch(self, path: str, headers: dict[str, str] | None = None) -> str:
        request = urllib.request.Request(self.origin + path, headers=headers or {})
        with urllib.request.urlopen(request, timeout=5) as response:
            return str(response.read().decode("utf-8"))

    def wait_until_built(self, seconds: float = 60.0) -> None:
        assert wait_for(lambda: "rebuilt" in self.output or "error" in self.output, seconds), self.output
        assert wait_for(lambda: self.fetch("/"), 10), self.output

    def stop(self, how: int = signal.SIGINT) -> int:
        if self.process.poll() is None:
            self.process.send_signal(how)
        try:
            code = self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGABRT)  # faulthandler prints every thread's stack
            self.reader.join(timeout=10)
            raise AssertionError(f"the preview did not stop:\n{self.output}") from None
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self.reader.join(timeout=10)
        return code


@contextmanager
def running_preview(project: Path, *extra: str) -> Iterator["PreviewProcess"]:
    """`sitegen serve` on ``project``, built once; stopped after, and it must not have printed a traceback."""
    running = PreviewProcess(project, *extra)
    try:
        running.wait_until_built()
        yield running
    finally:
        running.stop()
    assert "Traceback" not in running.output, running.output
