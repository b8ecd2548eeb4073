"""`sitegen serve`: a live preview that rebuilds on change and survives broken edits."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def wait_for(check, seconds: float = 15.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if check():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def test_serve_rebuilds_on_change_and_keeps_the_last_good_preview(project: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", str(project), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    output: list[str] = []  # what the server printed so far, read as it comes
    reader = threading.Thread(target=lambda: output.extend(iter(server.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    url = f"http://127.0.0.1:{port}/de/ueber-uns/"
    broken = "content/pages/ueber-uns.md:2: the '[' on this line is never closed"
    try:
        assert wait_for(lambda: "Wir sind ein Verein." in fetch(url)), "the preview never came up"
        page = project / "content/pages/ueber-uns.md"
        page.write_text(page.read_text().replace("Wir sind ein Verein.", "Wir sind ein neuer Verein."))
        assert wait_for(lambda: "Wir sind ein neuer Verein." in fetch(url)), "no rebuild after the change"
        page.write_text("---\ntitle: [kaputt\n---\n")
        assert wait_for(lambda: any(broken in line for line in output)), "the broken edit was never reported"
        assert "Wir sind ein neuer Verein." in fetch(url)  # the last good build stays
    finally:
        server.terminate()
        server.wait(timeout=10)
        reader.join(timeout=10)
    assert "Traceback" not in "".join(output)


@pytest.mark.parametrize("command", ["build", "serve", "extract", "update", "check", "status", "init"])
def test_every_command_has_help(command: str) -> None:
    done = subprocess.run([sys.executable, "-m", "sitegen", command, "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and f"usage: sitegen {command}" in done.stdout
