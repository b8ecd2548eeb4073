"""`sitegen serve`: a live preview that rebuilds on change, survives broken edits, answers only
its own address and leaves nothing behind."""

from __future__ import annotations

import json
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from sitegen.preview.server import Address, PreviewHTTPServer, with_reload_script
from sitegen.preview.state import EVERYTHING, PreviewState
from tests.preview_process import PreviewProcess, free_port, running_preview, wait_for

PAGE = "/de/ueber-uns/"
BROKEN = "content/pages/ueber-uns.md:2: the '[' on this line is never closed: close it with ']' after the last entry"
NO_TRANSLATIONS = "warning: locales: no translations yet for en, ar"


def edit(project: Path, old: str, new: str) -> None:
    page = project / "content/pages/ueber-uns.md"
    page.write_text(page.read_text().replace(old, new))


def status(preview: PreviewProcess, path: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(preview.origin + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def events(preview: PreviewProcess, since: int, until, seconds: float = 30.0) -> list[dict]:  # type: ignore[no-untyped-def]
    """The event stream's messages, read until ``until(messages)`` holds."""
    seen: list[dict] = []
    end = time.monotonic() + seconds
    with urllib.request.urlopen(f"{preview.origin}/__sitegen/events?since={since}", timeout=seconds) as stream:
        while time.monotonic() < end and not until(seen):
            line = stream.readline().decode()
            if line.startswith("data: "):
                seen.append(json.loads(line[len("data: ") :]))
    return seen


@pytest.fixture
def preview(project: Path):  # type: ignore[no-untyped-def]
    with running_preview(project) as running:
        yield running


def test_serve_rebuilds_on_change_and_keeps_the_last_good_preview(project: Path, preview: PreviewProcess) -> None:
    assert "Wir sind ein Verein." in preview.fetch(PAGE)
    edit(project, "Wir sind ein Verein.", "Wir sind ein neuer Verein.")
    assert wait_for(lambda: "Wir sind ein neuer Verein." in preview.fetch(PAGE)), "no rebuild after the change"
    (project / "content/pages/ueber-uns.md").write_text("---\ntitle: [kaputt\n---\n")
    assert wait_for(lambda: f"error: {BROKEN}\n" in preview.output), preview.output
    assert "Wir sind ein neuer Verein." in preview.fetch(PAGE)  # the last good build stays


def test_with_poll_a_save_is_noticed_by_looking(project: Path) -> None:
    # For a project on a network drive, whose saves the system does not report.
    with running_preview(project, "--poll") as preview:
        edit(project, "Wir sind ein Verein.", "Wir sind ein neuer Verein.")
        assert wait_for(lambda: "Wir sind ein neuer Verein." in preview.fetch(PAGE)), "no rebuild after the change"


def test_each_warning_is_printed_once_and_always_with_its_prefix(project: Path, preview: PreviewProcess) -> None:
    edit(project, "Wir sind ein Verein.", "Wir sind ein Verein!")
    assert wait_for(lambda: preview.output.count("rebuilt") == 2), preview.output
    (project / "content/pages/ueber-uns.md").write_text("---\ntitle: [kaputt\n---\n")
    assert wait_for(lambda: BROKEN in preview.output), preview.output
    warnings = [line for line in preview.lines if "no translations yet" in line]
    assert len(warnings) == 1 and warnings[0].startswith(NO_TRANSLATIONS), preview.output


def test_served_pages_load_the_reload_script_and_the_built_site_does_not(preview: PreviewProcess, minimal_site) -> None:  # type: ignore[no-untyped-def]
    assert '<script src="/__sitegen/reload.js" data-generation="1" defer></script></head>' in preview.fetch(PAGE)
    assert "EventSource" in preview.fetch("/__sitegen/reload.js")
    assert "#sitegen-preview-errors" in preview.fetch("/__sitegen/overlay.css")
    built = (minimal_site.out / "de/ueber-uns/index.html").read_text()
    assert "__sitegen" not in built


def test_only_its_own_host_is_answered(preview: PreviewProcess) -> None:
    assert status(preview, PAGE, {"Host": "evil.example"}) == 421
    assert status(preview, PAGE, {"Host": f"evil.example:{preview.port}"}) == 421
    assert status(preview, "/__sitegen/reload.js", {"Host": "evil.example"}) == 421
    assert status(preview, PAGE, {"Host": f"localhost:{preview.port}"}) == 200
    assert status(preview, PAGE, {"Host": f"127.0.0.1:{preview.port}"}) == 200


def test_the_event_stream_refuses_other_origins(preview: PreviewProcess) -> None:
    assert status(preview, "/__sitegen/events", {"Origin": "http://evil.example"}) == 403
    assert status(preview, "/__sitegen/events", {"Origin": f"http://evil.example:{preview.port}"}) == 403
    assert status(preview, "/__sitegen/events", {"Sec-Fetch-Site": "cross-site"}) == 403
    assert status(preview, "/__sitegen/reload.js", {"Origin": "http://evil.example"}) == 403


def test_events_name_changed_pages_by_url_and_problems_by_project_path(project: Path, preview: PreviewProcess) -> None:
    edit(project, "Wir sind ein Verein.", "Wir sind ein neuer Verein.")
    # A save names the pages in view first, then (in a later generation) the rest it changed.
    changed = events(preview, 1, lambda seen: seen and PAGE in seen[-1]["changed"])
    assert PAGE in changed[-1]["changed"] and "/de/offers/deutsch-muetter/" not in changed[-1]["changed"]
    (project / "content/pages/ueber-uns.md").write_text("---\ntitle: [kaputt\n---\n")
    broken = events(preview, 2, lambda seen: seen and seen[-1]["errors"])
    assert broken[-1]["errors"] == [BROKEN]
    for message in (*changed, *broken):
        assert str(project) not in json.dumps(message) and "/tmp" not in json.dumps(message)


def test_a_busy_port_is_one_line_and_exit_code_2(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "sitegen", "serve", str(project), "--port", str(port)],
                              capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith(f"sitegen serve: port {port} is in use: try --port ")
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "terminate"])
def test_stopping_leaves_nothing_behind(project: Path, tmp_path: Path, how: int) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    running = PreviewProcess(project, temp=temp)
    try:
        running.wait_until_built()
        assert [p.name[: len("sitegen-serve-")] for p in temp.iterdir()] == ["sitegen-serve-"]
    finally:
        code = running.stop(how)
    assert code == 0, running.output
    assert list(temp.iterdir()) == []
    assert "Traceback" not in running.output
    with pytest.raises(OSError):  # nobody listens any more
        socket.create_connection(("127.0.0.1", running.port), timeout=1).close()


def test_a_browser_that_leaves_mid_answer_is_no_error_to_print(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # A tab closed or reloaded while a page is on its way: the terminal stays quiet.
    (tmp_path / "big.txt").write_bytes(b"x" * 20_000_000)  # more than the sockets hold: the write fails
    port = free_port()
    server = PreviewHTTPServer(Address("127.0.0.1", port), tmp_path, PreviewState())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(f"GET /big.txt HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        client.recv(1000)  # the answer has begun
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()  # reset: the server's next write fails
        time.sleep(1)
    finally:
        server.shutdown()
        server.server_close()
    assert "Traceback" not in capfd.readouterr().err


def test_addresses_the_preview_answers_to() -> None:
    local = Address("127.0.0.1", 8000)
    assert local.accepts_host("127.0.0.1:8000") and local.accepts_host("localhost:8000")
    assert not local.accepts_host("127.0.0.1:8001") and not local.accepts_host("192.168.1.5:8000")
    assert not local.accepts_host("evil.example:8000") and not local.accepts_host("")
    lan = Address("192.168.1.5", 8000)
    assert lan.accepts_host("192.168.1.5:8000") and lan.accepts_origin("http://192.168.1.5:8000")
    everywhere = Address("0.0.0.0", 8000)  # any IP address of the computer, never a name
    assert everywhere.accepts_host("10.0.0.7:8000") and not everywhere.accepts_host("rebind.example:8000")
    assert not local.accepts_origin("http://evil.example:8000") and not local.accepts_origin("null")


def test_a_page_learns_what_changed_since_it_was_served() -> None:
    state = PreviewState()
    state.site_built(frozenset({"/de/"}))
    state.site_built(frozenset({"/en/"}))
    assert state.event(0).changed == ("/de/", "/en/") and state.event(1).changed == ("/en/",)
    assert state.event(2).changed == () and state.event(-5).changed == (EVERYTHING,)
    state.build_failed(("a.md:1: x",))
    assert state.event(2).errors == ("a.md:1: x",) and state.event(2).generation == 2


def test_the_reload_script_goes_into_the_head() -> None:
    page = with_reload_script(b"<html><head><title>x</title></head><body></body></html>", 7)
    assert page.count(b"reload.js") == 1 and page.index(b"reload.js") < page.index(b"</head>")
    assert b'data-generation="7"' in page


@pytest.mark.parametrize("command", ["build", "serve", "extract", "update", "check", "status", "init"])
def test_every_command_has_help(command: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sitegen", command, "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and f"usage: sitegen {command}" in done.stdout


def test_problems_shown_in_the_page_carry_no_path_of_the_computer(tmp_path: Path) -> None:
    from sitegen.errors import Problem
    from sitegen.serve import PreviewBuilder

    builder = PreviewBuilder(tmp_path, tmp_path / "site", PreviewState(), None)  # type: ignore[arg-type]
    theme = Problem("/usr/lib/python3/site-packages/sitegen/themes/default/locales/tr/messages.po", 3, "bad")
    assert builder.shown(theme) == "themes/default/locales/tr/messages.po:3: bad"
    assert (
        builder.shown(Problem("content/a.md", 2, f"see {tmp_path}/content/b.md")) == "content/a.md:2: see content/b.md"
    )
