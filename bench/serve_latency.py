"""Save-to-reloaded-page of `sitegen serve`, measured the way an editor sees it.

Usage: python bench/serve_latency.py SOURCE_PROJECT WORK_FOLDER OFFER_ID AR_MSGID [--rounds N]

Copies SOURCE_PROJECT to WORK_FOLDER (replacing it), gives the copy a project theme whose
offer.html is the default theme's (so a template can be edited without touching sitegen's own),
starts `sitegen serve` on it, opens the offer's page in headless Chromium and, for each kind of
edit, writes a file and times until the open page has reloaded with the new text: from the start
of the write to the reloaded page's DOMContentLoaded (the browser's clock is this machine's).
After each edit it waits until the preview is idle again (its "rebuilt" line), as an editor who
reads the page before the next save. AR_MSGID is the German text of a message of
locales/ar/LC_MESSAGES/messages.po shown on the Arabic page of the offer (its title).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser.conftest import CHROMIUM_ARGS, find_chromium  # noqa: E402
from tests.preview_process import PreviewProcess, wait_for  # noqa: E402

# Wall-clock time (this machine's, like Python's time.time()) at each page's DOMContentLoaded;
# performance.timeOrigin drifts from the wall clock in a long-running browser.
MARK_SHOWN = "addEventListener('DOMContentLoaded', () => { window.__shown = Date.now(); });"
SHOWN = "window.__shown"


def prepare(source: Path, work: Path) -> None:
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(source, work, symlinks=True)
    theme = work / "themes" / "bench" / "templates"
    theme.mkdir(parents=True, exist_ok=True)  # bench/run.py's corpora have the theme already
    # The default theme of the sitegen that serves (PYTHONPATH may name another checkout).
    where = "from sitegen.theme import default_theme_dir; print(default_theme_dir())"
    default = Path(subprocess.run([sys.executable, "-c", where], capture_output=True, text=True, check=True,
                                  cwd="/").stdout.strip()) / "templates" / "offer.html"  # fmt: skip
    shutil.copy(default, theme / "offer.html")
    site = work / "content" / "site.yaml"
    if not re.search(r"^theme:", site.read_text(encoding="utf-8"), flags=re.M):
        site.write_text(site.read_text(encoding="utf-8").rstrip("\n") + "\ntheme: bench\n", encoding="utf-8")


def replaced(path: Path, pattern: str, new: str) -> str:
    """The text of ``path`` with the first match of the regular expression ``pattern`` (lines: re.M) replaced by ``new``.

    Made before the clock starts: an editor's save writes the file, it does not search 33 MB first.
    """
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(pattern, lambda _: new, text, count=1, flags=re.M)
    assert count, f"{pattern!r} not in {path}"
    return changed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("source", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("offer")
    parser.add_argument("ar_msgid")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", help="measure only the edit of this name (e.g. template)")
    args = parser.parse_args()
    prepare(args.source, args.work)
    work = args.work
    offer = work / "content" / "offers" / f"{args.offer}.md"
    po = work / "locales" / "ar" / "LC_MESSAGES" / "messages.po"
    template = work / "themes" / "bench" / "templates" / "offer.html"
    title = re.search(r"^title: (.*)$", offer.read_text(encoding="utf-8"), re.M)[1]  # type: ignore[index]
    po_text = po.read_text(encoding="utf-8")
    ar_title = re.search(rf'^msgid "{re.escape(args.ar_msgid)}"\nmsgstr "(.+)"$', po_text, re.M)[1]  # type: ignore[index]

    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    preview = PreviewProcess(work)
    results: dict[str, list[float]] = {}
    try:
        assert wait_for(lambda: "rebuilt" in preview.output or "error" in preview.output, 1800), preview.output
        assert "error" not in preview.output, preview.output
        print(f"first build: {time.monotonic() - started:.1f} s", flush=True)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.add_init_script(MARK_SHOWN)
            for n in range(1, args.rounds + 1):
                edits = [
                    ("offer body", "de", offer, lambda n=n: replaced(offer, r"\n---\n", f"\n---\nNeuer Absatz {n}.\n\n"),
                     f"Neuer Absatz {n}."),
                    ("offer title", "de", offer, lambda n=n: replaced(offer, r"^title: .*$", f"title: {title} ZT{n}"),
                     f"{title} ZT{n}"),
                    (".po message (ar)", "ar", po,
                     lambda n=n: replaced(po, rf'^msgid "{re.escape(args.ar_msgid)}"\nmsgstr ".*"$',
                                                 f'msgid "{args.ar_msgid}"\nmsgstr "{ar_title} ZA{n}"'),
                     f"{ar_title} ZA{n}"),
                    ("(title back, not measured)", "de", offer,
                     lambda: replaced(offer, r"^title: .*$", f"title: {title}"), title),
                    ("template", "de", template,
                     lambda n=n: replaced(template, "<h1>", f"<p>Vorlage {n}</p><h1>"), f"Vorlage {n}"),
                ]  # fmt: skip
                # The .po edit after the title is back: the German title is the message's msgid.
                edits.insert(3, edits.pop(2))
                if args.only:
                    edits = [edit for edit in edits if edit[0] == args.only]
                for name, lang, path, edit, expected in edits:
                    page.goto(f"{preview.origin}/{lang}/offers/{args.offer}/")
                    page.wait_for_load_state("load")
                    time.sleep(0.5)  # the event stream is open
                    lines = preview.output.count("rebuilt")
                    text = edit()
                    before = time.time()
                    path.write_text(text, encoding="utf-8")
                    end = time.monotonic() + 600
                    while time.monotonic() < end:
                        try:
                            if expected in page.locator("main").inner_text(timeout=1000):
                                break
                        except Exception:  # noqa: BLE001 - the page is reloading this moment
                            pass
                        time.sleep(0.02)
                    # main can show before the event. Not page.wait_for_function: its polling
                    # evaluates a string, which the site's Content-Security-Policy refuses.
                    while page.evaluate(SHOWN) is None:
                        time.sleep(0.01)
                    shown = page.evaluate(SHOWN) / 1000
                    if not name.startswith("("):
                        results.setdefault(name, []).append(shown - before)
                    assert wait_for(lambda: preview.output.count("rebuilt") > lines, 1800), preview.output
                    last = [line for line in preview.lines if "rebuilt" in line][-1].strip()
                    print(f"round {n}: {name}: page reloaded after {shown - before:.2f} s; {last}", flush=True)
                    time.sleep(1)
            browser.close()
    finally:
        preview.stop()
    for name, times in results.items():
        print(f"{name}: median {statistics.median(times):.2f} s (of {', '.join(f'{t:.2f}' for t in times)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
