"""What sitegen trusts on disk: no symbolic links followed, only its own output folders replaced,
no hang when a worker dies, and the same bytes whatever the machine's settings."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitegen.clock import build_date
from sitegen.output import DELETE_IN_BACKGROUND_FROM, MARKER, MARKER_TEXT, swap_into_place

from .badinput import problems, run, snapshot
from .conftest import CONTACT, OFFER, SITE_YAML, write_tree

REPO = Path(__file__).resolve().parent.parent
LINK_ADVICE = "is a symbolic link; sitegen never follows links: replace it with the {} itself"


def link_error(path: str, what: str = "file") -> str:
    return f"{path}: {LINK_ADVICE.format(what)}"


def assert_links_rejected(
    capsys: pytest.CaptureFixture[str], root: Path, links: dict[str, Path], expected: list[str], command: str = "build"
) -> None:
    """Like badinput.assert_rejected, for symbolic links: ``{link path: target}`` made after a good build."""
    site = root / "_site"
    code, _, err = run(capsys, "build", str(root), "--no-search")
    assert code == 0, err
    before = snapshot(site)
    for rel, target in links.items():
        link = root / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)
        elif link.exists():
            link.unlink()
        link.symlink_to(target)
    code, _, err = run(capsys, command, str(root))
    assert "Traceback" not in err
    assert code == 1, err
    assert [line for line in problems(err) if not line.startswith("warning: ")] == expected, err
    assert snapshot(site) == before


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project that a link could publish (think /proc/self/environ)."""
    return write_tree(tmp_path / "outside", {"secret.txt": "CI_TOKEN=hunter2\n", "offer.md": OFFER}) / "secret.txt"


# --- 1. symbolic links -----------------------------------------------------------------------
def test_linked_offer_is_refused(project: Path, secret: Path, capsys: pytest.CaptureFixture[str]) -> None:
    links = {"content/offers/kurs.md": secret.parent / "offer.md"}
    assert_links_rejected(capsys, project, links, [link_error("content/offers/kurs.md")])


def test_linked_static_file_of_a_theme_is_refused(project: Path, secret: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(project, {"content/site.yaml": SITE_YAML + "theme: eigen\n", "themes/eigen/static/eigen.css": "p {}\n"})
    links = {"themes/eigen/static/env.txt": Path("/proc/self/environ")}
    assert_links_rejected(capsys, project, links, [link_error("themes/eigen/static/env.txt")])


def test_linked_template_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(project, {"content/site.yaml": SITE_YAML + "theme: eigen\n", "themes/eigen/templates/.keep": ""})
    target = REPO / "themes/default/templates/404.html"
    links = {"themes/eigen/templates/404.html": target}
    assert_links_rejected(capsys, project, links, [link_error("themes/eigen/templates/404.html")])


def test_linked_folders_and_site_yaml_are_refused_all_at_once(
    project: Path, secret: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(project, {"themes/eigen/static/a.css": "p {}\n"})
    links = {
        "content/pages": secret.parent,
        "content/site.yaml": project / "content/site.yaml.real",
        "locales": secret.parent,
        "themes/eigen/static/deep/er/x.css": secret,
    }
    (project / "content/site.yaml.real").write_text(SITE_YAML, encoding="utf-8")
    expected = [
        link_error("content/pages", "folder"),
        link_error("content/site.yaml"),
        link_error("locales", "folder"),
        link_error("themes/eigen/static/deep/er/x.css"),
    ]
    assert_links_rejected(capsys, project, links, expected)


def test_linked_catalogue_is_refused_by_every_command(
    project: Path, secret: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = "locales/en/LC_MESSAGES/messages.po"
    for command in ("build", "check", "status", "extract", "update"):
        links = {po: secret}
        assert_links_rejected(capsys, project, links, [link_error(po)], command)
        (project / po).unlink()


def test_dot_named_links_are_ignored_not_followed(project: Path, secret: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Emacs's lock files are links that point nowhere; a dot-named link is never read.
    write_tree(project, {"content/site.yaml": SITE_YAML + "theme: eigen\n", "themes/eigen/static/a.css": "p {}\n"})
    (project / "content/offers/.#deutsch-muetter.md").symlink_to("anna@host.1234:1700000000")
    (project / "themes/eigen/static/.env").symlink_to(secret)
    (project / "themes/eigen/static/.hidden").mkdir()
    (project / "themes/eigen/static/.hidden/env.txt").symlink_to(secret)
    code, _, err = run(capsys, "build", str(project), "--no-search")
    assert code == 0, err
    site = project / "_site"
    assert (site / "static/a.css").is_file()
    assert not (site / "static/.env").exists() and not (site / "static/.hidden").exists()
    assert not any("hunter2" in p.read_text(errors="replace") for p in site.rglob("*") if p.is_file())


def test_dot_named_template_is_not_loaded(project: Path, secret: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(project, {"content/site.yaml": SITE_YAML + "theme: eigen\n",
                         "themes/eigen/templates/404.html": '{% include ".secret.html" %}\n'})  # fmt: skip
    (project / "themes/eigen/templates/.secret.html").symlink_to(secret)
    code, _, err = run(capsys, "build", str(project), "--no-search")
    assert code == 1 and "Traceback" not in err
    assert "hunter2" not in err and "template names may not start with '.'" in err
    assert not (project / "_site").exists()


def test_theme_name_must_not_be_a_path(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(project, {"content/site.yaml": SITE_YAML + "theme: ../../elsewhere\n"})
    code, _, err = run(capsys, "build", str(project), "--no-search")
    assert code == 1
    assert [line for line in problems(err) if not line.startswith("warning: ")] == ["content/site.yaml: theme '../../elsewhere' must be the name of a folder in themes/, not a path"]


# --- 2. the output folder ----------------------------------------------------------------------
def test_marker_is_written_and_identical_across_builds(project: Path, tmp_path: Path) -> None:
    from sitegen.pipeline import build_site

    build_site(project, search=False)
    first = (project / "_site" / MARKER).read_bytes()
    build_site(project, search=False)
    assert (project / "_site" / MARKER).read_bytes() == first == MARKER_TEXT


@pytest.mark.parametrize("out", [".", "content", "content/new", "locales/de", "themes/eigen/static", ".git", ".."])
def test_output_may_not_be_or_hold_the_project_or_lie_in_its_sources(
    project: Path, out: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(project, {".git/HEAD": "ref: refs/heads/main\n", "locales/de/.keep": "", "themes/eigen/static/a.css": ""})
    before = snapshot(project)
    monkeypatch.chdir(project)
    code, _, err = run(capsys, "build", ".", "-o", out, "--no-search")
    assert code == 2 and "Traceback" not in err
    reason = {
        ".": ". is the project folder; choose a folder of its own, e.g. _site",
        "..": ".. contains the project folder; choose a folder of its own, e.g. _site",
    }.get(out)
    if reason is None:
        top = out.split("/")[0]
        reason = f"{out} lies in the project's {top}/; choose a folder outside it, e.g. _site"
    assert err.strip() == f"sitegen build: {reason}"
    assert snapshot(project) == before


def test_output_that_is_a_file_or_a_foreign_folder_is_refused(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path, {"notes.txt": "keep me\n", "photos/cat.jpg": "meow", "wrong/.sitegen-site": "not the marker\n"})
    (tmp_path / "link").symlink_to(tmp_path / "photos")
    before = snapshot(tmp_path)
    cases = {
        "notes.txt": "is a file, not a folder; choose a folder",
        "photos": f"is not empty and was not written by sitegen (it has no {MARKER} file); choose a new or empty folder",
        "wrong": f"is not empty and was not written by sitegen (it has no {MARKER} file); choose a new or empty folder",
        "link": "is a symbolic link; give the folder itself",
    }
    for name, reason in cases.items():
        out = tmp_path / name
        code, _, err = run(capsys, "build", str(project), "-o", str(out), "--no-search")
        assert (code, err.strip()) == (2, f"sitegen build: {out} {reason}")
    assert snapshot(tmp_path) == before


def test_site_of_an_older_sitegen_is_kept_with_advice(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(project, {"_site/index.html": "", "_site/404.html": "", "_site/sitemap.xml": "", "_site/de/index.html": ""})
    code, _, err = run(capsys, "build", str(project), "--no-search")
    assert code == 2
    assert err.strip() == (f"sitegen build: {project / '_site'} holds a site from an older sitegen without the "
                           f"{MARKER} file; delete the folder once, later builds replace it")  # fmt: skip
    assert (project / "_site/de/index.html").exists()
    shutil.rmtree(project / "_site")
    assert run(capsys, "build", str(project), "--no-search")[0] == 0


def test_empty_missing_and_earlier_outputs_are_replaced(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    for out in (tmp_path / "empty", tmp_path / "new/deep/site", tmp_path / "empty"):
        code, _, err = run(capsys, "build", str(project), "-o", str(out), "--no-search")
        assert code == 0, err
        assert (out / MARKER).read_bytes() == MARKER_TEXT and (out / "de/index.html").is_file()


def test_stale_staging_folders_of_dead_builds_are_removed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
        dead_pid = int(dead.stdout)
        leftovers = {
            f"._site.new-{dead_pid}": False,  # a killed build's new site: removed
            f"._site.old-{dead_pid}": False,  # a killed build's old site, mid-swap: removed
            f"._site.new-{alive.pid}": True,  # a build still running: kept
            "._other.new-1": True,  # another output's: none of this build's business
        }
        for name in leftovers:
            write_tree(project, {f"{name}/de/index.html": "old"})
        assert run(capsys, "build", str(project), "--no-search")[0] == 0
        assert {name: (project / name).exists() for name in leftovers} == leftovers
    finally:
        alive.kill()
        alive.wait()


# --- 3. workers that die -------------------------------------------------------------------------
def run_script(script: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a Python script in a fresh process; a hang fails the test instead of stalling the suite."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script), *args], capture_output=True, text=True,
                          timeout=60, cwd=REPO, env=env or {**os.environ, "PYTHONPATH": str(REPO)})  # fmt: skip


@pytest.mark.parametrize(
    ("death", "how"),
    [("os.kill(os.getpid(), signal.SIGKILL)", "killed by signal 9, SIGKILL"), ("os._exit(3)", "exited with code 3 without a result")],
)
def test_fork_map_reports_a_worker_that_dies(death: str, how: str) -> None:
    done = run_script(f"""
        import os, signal
        from sitegen.parallel import WorkerStopped, fork_map

        def work(share):
            if share == [2]:
                {death}
            return sum(share)

        try:
            fork_map(work, [[0], [1], [2], [3]])
        except WorkerStopped as exc:
            print(exc)
    """)
    assert done.stdout.strip() == f"a worker process stopped unexpectedly ({how})", done.stderr


BUILD_WITH_DYING_WORKER = """
    import os, signal, sys
    from pathlib import Path
    import sitegen.render.stage as stage
    from sitegen.cli import main
    from sitegen.render.renderer import Renderer

    parent = os.getpid()
    render = Renderer.page

    def render_or_die(self, page):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        return render(self, page)

    stage.PARALLEL_FROM, stage.cpu_count, Renderer.page = 1, lambda: 2, render_or_die
    raise SystemExit(main(["build", sys.argv[1], "--no-search"]))
"""


def test_build_fails_cleanly_when_a_render_worker_is_killed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "build", str(project), "--no-search")[0] == 0
    before = snapshot(project)
    done = run_script(BUILD_WITH_DYING_WORKER, str(project))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "sitegen: a worker process stopped unexpectedly (killed by signal 9, SIGKILL); nothing was written"
    )
    assert snapshot(project) == before  # previous site untouched, staging folder removed


BUILD_KILLED_BEFORE_SWAP = """
    import sys, time
    import sitegen.pipeline as pipeline
    from sitegen.cli import main

    def pause(new, out, files=0):
        print("staged", flush=True)
        time.sleep(60)

    pipeline.swap_into_place = pause
    main(["build", sys.argv[1], "--no-search"])
"""


def test_killed_build_leaves_previous_site_and_next_build_cleans_up(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "build", str(project), "--no-search")[0] == 0
    before = snapshot(project / "_site")
    write_tree(project, {"content/pages/neu.md": "---\ntitle: Neu\n---\nNeu hier.\n"})
    build = subprocess.Popen([sys.executable, "-c", textwrap.dedent(BUILD_KILLED_BEFORE_SWAP), str(project)],
                             stdout=subprocess.PIPE, text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})  # fmt: skip
    try:
        assert build.stdout is not None and build.stdout.readline() == "staged\n"
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=60)
    staged = project / f"._site.new-{build.pid}"
    assert (staged / "de/neu/index.html").is_file()  # the killed build got this far
    assert snapshot(project / "_site") == before
    assert run(capsys, "build", str(project), "--no-search")[0] == 0
    assert not staged.exists() and (project / "_site/de/neu/index.html").is_file()


def test_a_big_old_site_goes_after_the_swap_in_a_process_of_its_own(tmp_path: Path) -> None:
    out, new = tmp_path / "_site", tmp_path / "._site.new-1"
    for folder, text in ((out, "alt"), (new, "neu")):
        write_tree(folder, {"de/index.html": text, "de/x/index.html": text})
        (folder / MARKER).write_bytes(MARKER_TEXT)
    swap_into_place(new, out, files=DELETE_IN_BACKGROUND_FROM)
    assert (out / "de/x/index.html").read_text() == "neu" and not new.exists()
    for _ in range(200):  # the old site is named after the process deleting it, until it is gone
        if [p.name for p in tmp_path.iterdir()] == ["_site"]:
            break
        time.sleep(0.05)
    assert [p.name for p in tmp_path.iterdir()] == ["_site"]


# --- 4. the same bytes on any machine --------------------------------------------------------
@pytest.mark.parametrize(("zone", "today"), [("Europe/Berlin", dt.date(2026, 11, 1)), ("America/New_York", dt.date(2026, 10, 31))])
def test_today_is_the_date_in_the_sites_time_zone(
    project: Path, zone: str, today: dt.date, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 11, 1, 0, 30, tzinfo=dt.timezone.utc).timestamp())))
    assert build_date(zone) == today
    site_yaml = SITE_YAML.replace("timezone: Europe/Berlin", f"timezone: {zone}")
    write_tree(project, {"content/site.yaml": site_yaml,
                         "content/offers/bis-oktober.md": OFFER.replace("cost: free", "cost: free\nvalid_until: 2026-10-31")})  # fmt: skip
    code, _, err = run(capsys, "build", str(project), "--no-search")
    assert code == 0, err
    expired = "warning: content/offers/bis-oktober.md:1: expired on 2026-10-31; left out of the site" in err
    assert expired == (today > dt.date(2026, 10, 31))
    assert (project / "_site/de/offers/bis-oktober/index.html").exists() == (not expired)


def reproducible_project(root: Path, zone: str, today: dt.date, course_dates: bool) -> Path:
    """A small project whose output depends on "today": one offer expires the day before."""
    day = dt.timedelta(days=1)
    write_tree(root, {
        "content/site.yaml": SITE_YAML.replace("timezone: Europe/Berlin", f"timezone: {zone}"),
        "content/offers/deutsch-muetter.md": OFFER.replace("cost: free", f"cost: free\nvalid_until: {today.isoformat()}"),
        "content/offers/gestern.md": OFFER.replace("cost: free", f"cost: free\nvalid_until: {(today - day).isoformat()}"),
        "content/contacts/anna.yaml": CONTACT,
        "content/pages/ueber-uns.md": "---\ntitle: Über uns\n---\nWir sind ein Verein.\n",
    })  # fmt: skip
    if course_dates:  # a calendar file is stamped with the build time: only fixed by SOURCE_DATE_EPOCH
        write_tree(root, {"content/offers/kurs.md": OFFER.replace("cost: free", 'cost: free\ndates: [{start: "2026-12-01T18:00"}]')})
    return root


def build_in_subprocess(root: Path, out: Path | None, **env: str) -> None:
    environ = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "TZ", "LANG", "LC_ALL", "PYTHONHASHSEED")}
    command = [sys.executable, "-m", "sitegen", "build", str(root), "--no-search", *(["-o", str(out)] if out else [])]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=root.parent,
                          env={**environ, "PYTHONPATH": str(REPO), **env})  # fmt: skip
    assert done.returncode == 0, done.stderr


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("epoch", ["1793491200", None], ids=["SOURCE_DATE_EPOCH", "today"])
def test_same_bytes_whatever_hash_seed_time_zone_locale_checkout_and_output(tmp_path: Path, epoch: str | None) -> None:
    # Pago Pago (UTC-11) and Kiritimati (UTC+14) never share a date: a build that took the
    # machine's date instead of the site's would expire the offer valid until the site's today.
    zone = "Pacific/Pago_Pago"
    now = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    today = now.astimezone(ZoneInfo(zone)).date()
    one = reproducible_project(tmp_path / "checkout-one/proj", zone, today, course_dates=bool(epoch))
    two = shutil.copytree(one, tmp_path / "somewhere/else/entirely/site-project")
    same = {"SOURCE_DATE_EPOCH": epoch} if epoch else {}
    build_in_subprocess(one, None, PYTHONHASHSEED="1", TZ="UTC", LC_ALL="C", LANG="C", **same)
    build_in_subprocess(two, tmp_path / "out/two", PYTHONHASHSEED="2", TZ="Pacific/Kiritimati", LC_ALL="C.UTF-8", LANG="tr_TR.UTF-8", **same)
    first, second = tree_bytes(one / "_site"), tree_bytes(tmp_path / "out/two")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert "de/offers/deutsch-muetter/index.html" in first and "de/offers/gestern/index.html" not in first
