"""The preview's source watcher: what an editor's save looks like to it, told by the kernel or polled."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.preview.watcher import KernelWatcher, SourceWatcher, make_watcher

KINDS = ["kernel", "poll"]
REPOSITORY = Path(__file__).resolve().parent.parent


class Waiting:
    """``wait_for_change`` in a thread of its own, so that a test never hangs on it."""

    def __init__(self, watcher: KernelWatcher | SourceWatcher) -> None:
        self.result: list[Path] | None = None
        self.thread = threading.Thread(target=self.run, args=(watcher,), daemon=True)
        self.thread.start()

    def run(self, watcher: KernelWatcher | SourceWatcher) -> None:
        self.result = watcher.wait_for_change()

    def done(self, within: float) -> bool:
        self.thread.join(within)
        return not self.thread.is_alive()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "content" / "offers").mkdir(parents=True)
    (tmp_path / "content" / "offers" / "kurs.md").write_text("---\ntitle: Kurs\n---\n", encoding="utf-8")
    return tmp_path / "content"


def watcher_of(kind: str, folder: Path) -> KernelWatcher | SourceWatcher:
    if kind == "kernel":
        if not sys.platform.startswith("linux"):
            pytest.skip("inotify is Linux's")
        watcher = make_watcher([folder])
        assert isinstance(watcher, KernelWatcher)
        return watcher
    return make_watcher([folder], poll=True)


@pytest.fixture(params=KINDS)
def watcher(request: pytest.FixtureRequest, folder: Path) -> Iterator[KernelWatcher | SourceWatcher]:
    started = watcher_of(request.param, folder)
    yield started
    started.close()


def test_a_saved_file_is_seen_once_it_is_written(watcher: KernelWatcher | SourceWatcher, folder: Path) -> None:
    offer = folder / "offers" / "kurs.md"
    offer.write_text("---\ntitle: Kurs am Abend\n---\n", encoding="utf-8")
    assert watcher.wait_for_change() == [offer]


def test_a_save_by_renaming_a_new_copy_into_place_is_seen_without_the_copy(watcher: KernelWatcher | SourceWatcher, folder: Path) -> None:
    offer = folder / "offers" / "kurs.md"
    copy = folder / "offers" / ".kurs.md.tmp"
    copy.write_text("---\ntitle: Kurs am Morgen\n---\n", encoding="utf-8")
    os.replace(copy, offer)
    assert watcher.wait_for_change() == [offer]


def test_deleted_files_and_files_in_a_new_folder_are_seen(watcher: KernelWatcher | SourceWatcher, folder: Path) -> None:
    (folder / "offers" / "kurs.md").unlink()
    assert watcher.wait_for_change() == [folder / "offers" / "kurs.md"]
    (folder / "contacts" / "team").mkdir(parents=True)
    (folder / "contacts" / "team" / "anna.yaml").write_text("name: Anna\n", encoding="utf-8")
    seen = watcher.wait_for_change()
    assert folder / "contacts" / "team" / "anna.yaml" in seen
    (folder / "contacts" / "team" / "anna.yaml").write_text("name: Anna B.\n", encoding="utf-8")
    assert watcher.wait_for_change() == [folder / "contacts" / "team" / "anna.yaml"]  # the new folder is watched


def test_editors_swap_and_backup_files_are_not_a_change(watcher: KernelWatcher | SourceWatcher, folder: Path) -> None:
    waiting = Waiting(watcher)
    for name in (".kurs.md.swp", "kurs.md~", "4913", "#kurs.md#"):
        (folder / "offers" / name).write_text("x", encoding="utf-8")
    assert not waiting.done(within=0.5)
    (folder / "offers" / "kurs.md").write_text("---\ntitle: Kurs 2\n---\n", encoding="utf-8")
    assert waiting.done(within=5)
    assert waiting.result == [folder / "offers" / "kurs.md"]


def test_the_kernel_watcher_sees_a_file_only_when_the_editor_has_closed_it(folder: Path) -> None:
    # An editor that truncates the file and writes it in pieces: a file read in between would be
    # half an offer, and the preview would show its errors for a moment.
    watcher = watcher_of("kernel", folder)
    try:
        waiting = Waiting(watcher)
        offer = folder / "offers" / "kurs.md"
        with offer.open("w", encoding="utf-8") as file:
            file.write("---\ntitle: ")
            file.flush()
            assert not waiting.done(within=0.3)
            file.write("Kurs am Abend\n---\n")
        assert waiting.done(within=5)
        assert waiting.result == [offer]
    finally:
        watcher.close()


CTRL_C_ELSEWHERE = """
import signal, sys, threading, time
from pathlib import Path
from sitegen.preview.watcher import make_watcher
watcher = make_watcher([Path(sys.argv[1])], poll=sys.argv[2] == "poll")
def other():
    time.sleep(0.3)
    signal.pthread_kill(threading.get_ident(), signal.SIGINT)  # Ctrl+C that reaches this thread
    time.sleep(30)
threading.Thread(target=other, daemon=True).start()
try:
    watcher.wait_for_change()
except KeyboardInterrupt:
    print("stopped")
"""


@pytest.mark.parametrize("kind", KINDS)
def test_ctrl_c_stops_the_wait_whichever_thread_the_system_gives_it_to(kind: str, folder: Path) -> None:
    # The preview's server and background threads run beside the waiting main thread; the system
    # may deliver Ctrl+C to any of them, and Python raises it only in the main thread.
    if kind == "kernel" and not sys.platform.startswith("linux"):
        pytest.skip("inotify is Linux's")
    done = subprocess.run([sys.executable, "-c", CTRL_C_ELSEWHERE, str(folder), kind],
                          capture_output=True, text=True, timeout=20, cwd=REPOSITORY)  # fmt: skip
    assert done.stdout.strip() == "stopped", done.stderr
