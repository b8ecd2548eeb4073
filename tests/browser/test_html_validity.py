"""Every HTML page of the built site is valid HTML (Nu HTML Checker, vnu.jar)."""

from __future__ import annotations

import json
import subprocess

import pytest

pytestmark = pytest.mark.browser


def test_nu_html_checker_finds_no_errors(built_site, vnu_jar):
    site_dir = built_site.dir
    html_files = sorted(site_dir.rglob("*.html"))
    assert html_files, f"the built site {site_dir} has no HTML files"

    # One JVM for the whole site.
    cmd = [*vnu_jar, "--format", "json", "--skip-non-html", str(site_dir)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=900,
                       stdin=subprocess.DEVNULL)
    try:
        report = json.loads(r.stderr or r.stdout)
    except ValueError:
        pytest.fail(f"vnu.jar exited {r.returncode} without a JSON report:\n"
                    f"{r.stdout[-3000:]}\n{r.stderr[-3000:]}", pytrace=False)

    def where(msg: dict) -> str:
        url = msg.get("url", "")
        path = url[len("file:"):] if url.startswith("file:") else url
        try:
            from pathlib import Path
            path = str(Path(path).resolve().relative_to(site_dir))
        except ValueError:
            pass
        line = msg.get("lastLine", msg.get("firstLine", "?"))
        col = msg.get("firstColumn", msg.get("lastColumn", "?"))
        return f"{path}:{line}:{col}"

    errors, warnings = [], []
    for msg in report.get("messages", []):
        text = f"{where(msg)}: {msg.get('message', '').strip()}"
        extract = (msg.get("extract") or "").replace("\n", "⏎")
        if extract:
            text += f"\n    {extract}"
        if msg.get("type") in ("error", "non-document-error"):
            errors.append(text)
        elif msg.get("subType") == "warning":
            warnings.append(text)

    if warnings:
        print(f"Nu HTML Checker warnings ({len(warnings)}):")
        print("\n".join(warnings[:100]))
    assert not errors, (
        f"Nu HTML Checker found {len(errors)} error(s) in {len(html_files)} HTML files:\n"
        + "\n".join(errors[:300])
        + (f"\n... and {len(errors) - 300} more" if len(errors) > 300 else ""))
