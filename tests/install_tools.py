#!/usr/bin/env python3
"""Install the tools sitegen's test suite needs, if they are missing.

Run as ``python tests/install_tools.py`` (the README's test command does). It is
idempotent and takes well under a second when everything is already present.

What it provides:

* Debian packages: ``chromium`` (the browser the browser tests drive through
  Playwright; Playwright's own browser download is never used),
  ``fonts-noto-core`` (so Arabic and the other scripts render, not tofu),
  a headless Java for the Nu HTML Checker (``default-jre-headless``, skipped
  when a Java 11 or newer is already on PATH) and ``gettext`` (``msgfmt``).
* npm packages ``vnu-jar`` (the Nu HTML Checker), ``axe-core`` and ``lighthouse``
  (run with Debian's Chromium by tests/browser/test_lighthouse.py), pinned in
  ``tests/browser/package.json`` and ``package-lock.json``, installed with
  ``npm ci`` into ``tests/browser/node_modules``.
* It only *checks* for the Python package ``playwright`` (that comes with
  ``pip install -e '.[test]'``).

When it is not root, has no apt-get, or an install fails, it prints the reason
and carries on: the tests that need the missing tool then skip with that reason.
With ``CI=true`` in the environment any missing tool makes it exit with status 1
(and the tests fail instead of skipping).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROWSER_DIR = ROOT / "tests" / "browser"
NODE_MODULES = BROWSER_DIR / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE = NODE_MODULES / "lighthouse" / "cli" / "index.js"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
MIN_JAVA = 11  # vnu.jar is compiled for Java 11

CI = os.environ.get("CI") == "true"


def say(msg: str) -> None:
    print(f"install_tools: {msg}", flush=True)


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, text=True, **kw)


# --------------------------------------------------------------------------- checks
# Each check returns None when the tool is usable, else a reason string.


def find_chromium() -> str | None:
    env = os.environ.get("SITEGEN_CHROMIUM")
    if env and os.access(env, os.X_OK):
        return env
    for cand in CHROMIUM_CANDIDATES:
        path = shutil.which(cand)
        if path:
            return path
    return None


def check_chromium() -> str | None:
    return None if find_chromium() else "chromium is not installed (/usr/bin/chromium not found)"


def check_fonts() -> str | None:
    if shutil.which("dpkg-query"):
        r = run(["dpkg-query", "-W", "-f=${Status}", "fonts-noto-core"],
                capture_output=True)
        if r.returncode == 0 and "install ok installed" in r.stdout:
            return None
        return "fonts-noto-core is not installed (Arabic text would not render)"
    if shutil.which("fc-list"):
        r = run(["fc-list", ":lang=ar", "family"], capture_output=True)
        if r.stdout.strip():
            return None
    return "no font with Arabic glyphs found (install fonts-noto-core)"


def java_major() -> int | None:
    java = shutil.which("java")
    if not java:
        return None
    try:
        r = run([java, "-version"], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', r.stderr + r.stdout)
    if not m:
        return None
    major = int(m.group(1))
    if major == 1 and m.group(2):  # "1.8.0" style
        major = int(m.group(2))
    return major


def check_java() -> str | None:
    major = java_major()
    if major is None:
        return "no Java runtime found (java is not on PATH); the Nu HTML Checker needs one"
    if major < MIN_JAVA:
        return f"Java {major} found, the Nu HTML Checker needs Java {MIN_JAVA} or newer"
    return None


def check_msgfmt() -> str | None:
    return None if shutil.which("msgfmt") else "msgfmt (GNU gettext) is not installed"


def check_npm_tools() -> str | None:
    """node_modules holds exactly the versions pinned in package-lock.json."""
    lock_path = BROWSER_DIR / "package-lock.json"
    try:
        lock = json.loads(lock_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return f"cannot read {lock_path}: {e}"
    for key, meta in lock.get("packages", {}).items():
        if not key.startswith("node_modules/"):
            continue
        pkg_json = BROWSER_DIR / key / "package.json"
        try:
            have = json.loads(pkg_json.read_text(encoding="utf-8")).get("version")
        except (OSError, ValueError):
            return f"npm package {key[len('node_modules/'):]} is not installed in {NODE_MODULES}"
        if have != meta.get("version"):
            return (f"npm package {key[len('node_modules/'):]} is {have}, "
                    f"package-lock.json pins {meta.get('version')}")
    for f in (VNU_JAR, AXE_JS, LIGHTHOUSE):
        if not f.is_file():
            return f"{f.relative_to(ROOT)} is missing"
    return None


def check_playwright() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return ("the Python package playwright is not installed "
                "(pip install -e '.[test]' installs it)")
    return None


# --------------------------------------------------------------------------- installs

APT_ITEMS = [
    # (name shown, check, Debian package)
    ("chromium", check_chromium, "chromium"),
    ("fonts-noto-core", check_fonts, "fonts-noto-core"),
    ("java", check_java, "default-jre-headless"),
    ("msgfmt", check_msgfmt, "gettext"),
]


def apt_prefix() -> tuple[list[str] | None, str]:
    """The command prefix to run apt-get as root, or None and the reason why not."""
    if not shutil.which("apt-get"):
        return None, "apt-get is not available (not a Debian/Ubuntu system)"
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return [], ""
    sudo = shutil.which("sudo")
    if sudo and run([sudo, "-n", "true"], capture_output=True).returncode == 0:
        return [sudo, "-n", "--preserve-env=DEBIAN_FRONTEND"], ""
    return None, "not running as root (and no password-less sudo), cannot apt-get install"


def apt_install(packages: list[str]) -> str | None:
    """Install Debian packages; returns None on success, else the reason."""
    prefix, why = apt_prefix()
    if prefix is None:
        return why
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    lock = ["-o", "DPkg::Lock::Timeout=600"]
    say("apt-get update")
    r = run(prefix + ["apt-get", *lock, "-q", "update"], env=env,
            stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        say(f"apt-get update exited {r.returncode}; trying the install anyway")
    say("apt-get install " + " ".join(packages))
    r = run(prefix + ["apt-get", *lock, "-q", "-y", "--no-install-recommends",
                      "install", *packages], env=env, stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        return f"apt-get install {' '.join(packages)} exited {r.returncode}"
    return None


def npm_ci() -> str | None:
    npm = shutil.which("npm")
    if not npm:
        # Debian's npm brings its own nodejs; only try when we may use apt.
        reason = apt_install(["nodejs", "npm"])
        npm = shutil.which("npm")
        if not npm:
            return f"npm is not installed and could not be installed ({reason})"
    say(f"npm ci in {BROWSER_DIR.relative_to(ROOT)}")
    # --ignore-scripts: vnu-jar's postinstall would try to download a Java
    # runtime from the internet; we use Debian's Java instead.
    r = run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund",
             "--loglevel=error"], cwd=BROWSER_DIR, stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        return f"npm ci exited {r.returncode}"
    return None


def main() -> int:
    start = time.monotonic()
    problems: dict[str, str] = {}

    # Debian packages: check everything first, install all that are missing in one go.
    missing = [(name, check, pkg) for name, check, pkg in APT_ITEMS if check()]
    if missing:
        pkgs = [pkg for _, _, pkg in missing]
        for name, check, pkg in missing:
            say(f"missing: {check()} -> will install Debian package {pkg}")
        failure = apt_install(pkgs)
        for name, check, pkg in missing:
            reason = check()
            if reason:
                problems[name] = reason + (f" ({failure})" if failure else "")

    reason = check_npm_tools()
    if reason:
        say(f"missing: {reason} -> npm ci")
        failure = npm_ci()
        reason = check_npm_tools()
        if reason:
            problems["npm tools"] = reason + (f" ({failure})" if failure else "")

    reason = check_playwright()
    if reason:
        problems["playwright"] = reason

    took = time.monotonic() - start
    if problems:
        for name, reason in problems.items():
            say(f"NOT AVAILABLE: {name}: {reason}")
        if CI:
            say(f"CI=true and {len(problems)} tool(s) missing: failing ({took:.1f}s)")
            return 1
        say(f"continuing; tests that need these tools will be skipped ({took:.1f}s)")
        return 0
    say(f"all test tools present: chromium ({find_chromium()}), fonts-noto-core, "
        f"java {java_major()}, msgfmt, vnu-jar, axe-core, lighthouse, playwright ({took:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
