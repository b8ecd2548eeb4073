"""Share independent work among forked processes (pages to render, catalogues to check).

Fork, not spawn: a child inherits the loaded project as it is, so nothing big is pickled on the
way in; only each share's result travels back, through a pipe of its own. Where fork is
missing, everything runs here.

A child can die without a word (SIGKILL, the kernel's out-of-memory killer, ``os._exit``), so
the parent waits on each child's pipe and on its process sentinel together: a dead child ends
the run with WorkerStopped instead of leaving the parent waiting forever.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from .errors import BuildError

T = TypeVar("T")
R = TypeVar("R")


class WorkerStopped(Exception):
    """A worker process ended without sending its result; the message says how it ended."""


def cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))  # what this process may use, e.g. in a container
    return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in mp.get_all_start_methods()


def fork_map(func: Callable[[Sequence[T]], R], shares: list[Sequence[T]]) -> list[R]:
    """``[func(share) for share in shares]``: share 0 here, every other share in a child process.

    A BuildError in a child (a user's problem, e.g. a broken template) is raised here with its
    problems; a child that dies is raised as WorkerStopped; any other failure is raised as
    RuntimeError carrying the child's traceback.
    """
    if len(shares) < 2 or not can_fork():
        return [func(share) for share in shares]
    children = Forked(func, shares[1:])
    try:
        first = func(shares[0])
    except BaseException:
        children.cancel()
        raise
    return [first, *children.results()]


class Forked:
    """``func(share)`` for each share, each in a child process started now; ``results()`` later.

    The parent is free meanwhile (e.g. to read the content while the catalogues are checked).
    Without fork, each share runs when ``results()`` asks for it. Failures as in fork_map.
    """

    def __init__(self, func: Callable[[Sequence[T]], R], shares: list[Sequence[T]]) -> None:
        self.func, self.shares = func, shares
        self.workers: dict[int, tuple[BaseProcess, Connection]] = {}
        if not can_fork():
            return
        fork = mp.get_context("fork")
        try:
            for index, share in enumerate(shares):
                reader, writer = fork.Pipe(duplex=False)
                child = fork.Process(target=_child, args=(func, share, writer), daemon=True)
                child.start()
                writer.close()  # the child holds the only writer left: its death reads as EOF here
                self.workers[index] = (child, reader)
        except BaseException:
            self.cancel()
            raise

    def results(self) -> list[R]:
        if not can_fork():
            return [self.func(share) for share in self.shares]
        finished = False
        try:
            found = _collect(self.workers)
            finished = True
        finally:
            _stop(self.workers.values(), wait_first=finished)
        return [found[i] for i in range(len(self.shares))]

    def cancel(self) -> None:
        """Stop every child still running (the parent failed, or no longer needs the results)."""
        _stop(self.workers.values(), wait_first=False)


def _collect(workers: dict[int, tuple[BaseProcess, Connection]]) -> dict[int, Any]:
    """Each child's result, as they come; raises as soon as one child fails or dies."""
    found: dict[int, Any] = {}
    owner: dict[Any, int] = {}
    for index, (child, reader) in workers.items():
        owner[reader] = owner[child.sentinel] = index
    while len(found) < len(workers):
        pending = [key for key, index in owner.items() if index not in found]
        for ready in wait(pending):
            index = owner[ready]
            if index in found:
                continue
            child, reader = workers[index]
            # A child that sent its result and exited has both ready: read the pipe first.
            if not reader.poll():
                raise WorkerStopped(f"a worker process stopped unexpectedly ({_how_it_ended(child)})")
            try:
                kind, value = reader.recv()
            except (EOFError, OSError, pickle.UnpicklingError):
                raise WorkerStopped(f"a worker process stopped unexpectedly ({_how_it_ended(child)})") from None
            if kind == "problems":
                raise BuildError(value)
            if kind == "crash":
                raise RuntimeError(f"a worker process failed:\n{value}")
            found[index] = value
    return found


def _how_it_ended(child: BaseProcess) -> str:
    child.join(timeout=5)  # its pipe closed as it died; the exit status follows at once
    code = child.exitcode
    if code is None:
        return "it closed its pipe but still runs"
    if code < 0:
        try:
            return f"killed by signal {-code}, {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with code {code} without a result"


def _stop(workers: Iterable[tuple[BaseProcess, Connection]], wait_first: bool) -> None:
    """End every child: after success they are exiting anyway; after a failure they are killed."""
    for child, reader in workers:
        if wait_first:
            child.join(timeout=5)
        if child.is_alive():
            child.kill()
        child.join()
        reader.close()


def _child(func: Callable[[Sequence[T]], R], share: Sequence[T], results: Connection) -> None:
    gc.enable()  # the parent may fork with its collector paused (sitegen.pipeline); this garbage is the child's
    try:
        results.send(("ok", func(share)))
    except BuildError as exc:
        results.send(("problems", exc.errors))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        results.send(("crash", traceback.format_exc()))
