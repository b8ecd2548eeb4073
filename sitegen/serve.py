"""`sitegen serve`: build, serve on localhost with livereload, rebuild on every change.

A broken edit does not stop the server: the errors are printed as in `sitegen check` and the
last good preview stays in the browser until the next save fixes them.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from .errors import BuildError
from .parallel import WorkerStopped
from .pipeline import build_site

WATCHED = ("content", "locales", "themes")


def rebuild(root: Path, out: Path) -> bool:
    """One rebuild; prints problems and returns whether it succeeded."""
    started = time.perf_counter()
    try:
        result = build_site(root, out, search=False)  # Pagefind takes seconds; previews skip it
    except BuildError as exc:
        for problem in (*exc.warnings, *exc.errors):
            print(problem, file=sys.stderr)
        errors = len(exc.errors)
        print(f"sitegen serve: {errors} error{'' if errors == 1 else 's'}; the preview shows the last good build", file=sys.stderr)
        return False
    except WorkerStopped as exc:  # e.g. killed for memory: the next save tries again
        print(f"sitegen serve: {exc}; the preview shows the last good build", file=sys.stderr)
        return False
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"rebuilt {result.pages} pages in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return True


def serve(root: Path, host: str, port: int) -> int:
    from livereload import Server

    out = Path(tempfile.mkdtemp(prefix="sitegen-serve-")) / "site"
    if not rebuild(root, out) and not out.exists():
        out.mkdir(parents=True)
    server = Server()
    for name in WATCHED:
        if (root / name).exists():
            server.watch(str(root / name), lambda: rebuild(root, out), delay=0.2)
    print(f"serving {root.resolve()} at http://{host}:{port}/ (Ctrl+C stops)", file=sys.stderr)
    server.serve(host=host, port=port, root=str(out), open_url_delay=None, restart_delay=0)
    return 0
