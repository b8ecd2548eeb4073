"""Share independent work among forked processes (pages to render, catalogues to check).

Fork, not spawn: a child inherits the loaded project as it is, so nothing big is pickled on the
way in; only each share's result travels back. Where fork is missing, everything runs here.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .errors import BuildError

T = TypeVar("T")
R = TypeVar("R")


def cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))  # what this process may use, e.g. in a container
    return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in mp.get_all_start_methods()


def fork_map(func: Callable[[Sequence[T]], R], shares: list[Sequence[T]]) -> list[R]:
    """``[func(share) for share in shares]``: share 0 here, every other share in a child process.

    A BuildError in a child (a user's problem, e.g. a broken template) is raised here with its
    problems; any other failure is raised as RuntimeError carrying the child's traceback.
    """
    if len(shares) < 2 or not can_fork():
        return [func(share) for share in shares]
    fork = mp.get_context("fork")
    results = fork.SimpleQueue()
    children = [
        fork.Process(target=_child, args=(func, share, index, results), daemon=True)
        for index, share in enumerate(shares[1:], start=1)
    ]
    for child in children:
        child.start()
    try:
        found: dict[int, Any] = {0: func(shares[0])}
        for _ in children:
            index, kind, value = results.get()
            if kind == "problems":
                raise BuildError(value)
            if kind == "crash":
                raise RuntimeError(f"a worker process failed:\n{value}")
            found[index] = value
    finally:
        for child in children:
            child.join(timeout=5)
            if child.is_alive():
                child.terminate()
    return [found[i] for i in range(len(shares))]


def _child(func: Callable[[Sequence[T]], R], share: Sequence[T], index: int, results: Any) -> None:
    try:
        results.put((index, "ok", func(share)))
    except BuildError as exc:
        results.put((index, "problems", exc.errors))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        results.put((index, "crash", traceback.format_exc()))
