"""The command line: parse arguments, call one stage function, print problems, return an exit code."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from . import __version__
from .errors import BuildError, Problem
from .output import MARKER
from .parallel import WorkerStopped

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
# The commands that stop before writing anything when the input has errors; `update` may have
# written the catalogues of other languages, and the rest never write.
STOP_BEFORE_WRITING = ("build", "extract")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen",
        description="Build a multilingual static site from German content and gettext catalogues.",
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--version", action="version", version=f"sitegen {__version__}")
        if name != "init":
            sub.add_argument("dir", nargs="?", default=".", type=Path, help="the project folder (default: .)")
        return sub

    build = command("build", "Build the site into DIR/_site (or -o OUT).")
    build.add_argument("-o", "--output", type=Path, metavar="OUT",
                       help="where the site goes (default: DIR/_site). OUT is replaced as a whole, so it must be "
                            f"missing, empty or a site an earlier build wrote (it holds {MARKER}); never the project "
                            "folder or a folder in content/, locales/ or themes/. Otherwise nothing is written and "
                            "the exit code is 2")  # fmt: skip
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--clean", action="store_true", help="ignore caches and build everything anew")
    build.add_argument("--no-search", action="store_true", help="leave out the search index")
    serve = command("serve", "Build, serve on localhost and rebuild on every change.")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this computer only); this computer's "
                            "network address lets a phone on the same network see the preview, and everyone "
                            "else on it too")  # fmt: skip
    serve.add_argument("--poll", action="store_true",
                       help="look for changed files every 0.1 s instead of being told by the system: for a "
                            "project on a network drive or in a shared folder of a virtual machine, where saves "
                            "are otherwise not noticed")  # fmt: skip
    command("extract", "Write locales/messages.pot from content, site.yaml and the project's theme.")
    update = command("update", "Create or update each language's .po catalogue from messages.pot.")
    update.add_argument("-l", "--lang", action="append", help="only this language (may be repeated)")
    update.add_argument("--minor", action="store_true",
                        help="the German edits since the last update are minor (typo fixes): keep their "
                             "translations published instead of marking them fuzzy")  # fmt: skip
    command("check", "Check content and catalogues without writing the site.")
    status = command("status", "Show translation coverage per language.")
    status.add_argument("--entries", action="store_true", help="per entry and language")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    init = command("init", "Start a new project with an example offer, contact and page, and the pages a German "
                           "site needs: Impressum, Datenschutz, Barrierefreiheit.")  # fmt: skip
    init.add_argument("dir", type=Path, help="the new project folder")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 for --help
        return int(exc.code or 0)
    try:
        return int(_COMMANDS[args.command](args))
    except BuildError as exc:
        _print_problems(exc.warnings, "warning: ")
        _print_problems(exc.errors, "")
        print(f"sitegen: {count(len(exc.errors), 'error')}{_nothing_written(args.command)}", file=sys.stderr)
        return EXIT_INPUT
    except WorkerStopped as exc:
        print(f"sitegen: {exc}{_nothing_written(args.command)}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130


def count(number: int, noun: str, plural: str = "") -> str:
    """``1 error``, ``2 errors``; ``count(n, "entry", "entries")``."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _nothing_written(command: str) -> str:
    return "; nothing was written" if command in STOP_BEFORE_WRITING else ""


def _print_problems(problems: list[Problem] | tuple[Problem, ...], prefix: str) -> None:
    for problem in problems:
        print(f"{prefix}{problem}", file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from .output import UnsafeOutput
    from .pipeline import build_site
    from .progress import BuildProgress

    started = time.perf_counter()
    progress = BuildProgress()
    try:
        result = build_site(args.dir, args.output, strict=args.strict, search=not args.no_search, clean=args.clean,
                            progress=progress)  # fmt: skip
    except UnsafeOutput as exc:
        print(f"sitegen build: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        progress.finish()  # the bar's line ends before any problem is printed
    _print_problems(result.warnings, "warning: ")
    took = time.perf_counter() - started
    print(f"built {count(result.pages, 'page')} ({count(result.files, 'file')}) into {result.out} in {took:.2f} s", file=sys.stderr)
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(args.dir, args.host, args.port, poll=args.poll)


def _extract(args: argparse.Namespace) -> int:
    from .extract import extract_project

    result = extract_project(args.dir)
    _print_problems(result.warnings, "warning: ")
    print(f"{'wrote' if result.changed else 'unchanged:'} locales/messages.pot", file=sys.stderr)
    return EXIT_OK


def _update(args: argparse.Namespace) -> int:
    from .extract import UnknownLanguages, update_project

    try:
        result = update_project(args.dir, args.lang or (), minor=args.minor)
    except UnknownLanguages as exc:
        print(f"sitegen update: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.minor:
        from .review import summarize

        for line in summarize(list(result.edits)) or ["no changed text found: nothing to carry over"]:
            print(line, file=sys.stderr)
    for lang in result.languages:
        print(f"{'updated' if lang in result.written else 'unchanged:'} locales/{lang}/LC_MESSAGES/messages.po", file=sys.stderr)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .pipeline import load_project

    project = load_project(args.dir, mode="check")
    _print_problems(project.report.warnings, "warning: ")
    entries = len(project.content.entries())
    print(f"ok: {count(entries, 'entry', 'entries')} in {count(len(project.languages), 'language')}", file=sys.stderr)
    return EXIT_OK


def _status(args: argparse.Namespace) -> int:
    from .pipeline import load_project
    from .status import coverage, format_table

    project = load_project(args.dir)
    _print_problems(project.report.warnings, "warning: ")
    report = coverage(project)
    if args.json:
        print(json.dumps(report.as_json(entries=args.entries), ensure_ascii=False, indent=2))
    else:
        print(format_table(report, entries=args.entries))
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from .starter import LEGAL_PAGES, create_project

    if args.dir.exists() and any(args.dir.iterdir()):
        print(f"sitegen init: {args.dir} is not empty; choose a new folder", file=sys.stderr)
        return EXIT_USAGE
    create_project(args.dir)
    pages = ", ".join(f"content/pages/{page}.md" for page in LEGAL_PAGES)
    print(f"created {args.dir}: edit content/, fill in everything marked [... eintragen] in {pages}, "
          f"then run 'sitegen serve {args.dir}'", file=sys.stderr)  # fmt: skip
    return EXIT_OK


_COMMANDS = {
    "build": _build,
    "serve": _serve,
    "extract": _extract,
    "update": _update,
    "check": _check,
    "status": _status,
    "init": _init,
}
