#!/usr/bin/env python3
"""The HTML report in a real browser.

usage: check_html.py ZONEWARDEN_EXE OUT_DIR [RESULT.json ...]

Renders saved results (by default tests/report/lab-audit.json, a real lab audit, and
tests/report/edge-audit.json: suppressed findings, an internal failure, zones without chain or
signatures, odd characters) with `zonewarden report RESULT.json --format html -o FILE`, then checks:
  - the file is self-contained (no script, no http(s) or protocol-relative src/href/url(), no
    @import) and accessible (lang, <title>, <h1>, table headers);
  - zone data is escaped: a copy of the result with markup planted in a finding message, its
    evidence, a server name, a note and a chain-of-trust zone name renders it as text;
  - headless Chromium (file:// URL, no network, fresh profile) loads it: the DOM holds a
    non-empty chain-of-trust <svg> and the timeline <svg>, every zone, and exactly as many
    findings as the JSON; the console stays silent (a canary page proves that console errors
    would be seen); a 1280x2000 screenshot and a PDF print are non-trivial.
Exits 77 (skipped) without Chromium. Prints "N passed, M failed".
"""
import copy
import html
import json
import os
import pathlib
import re
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[3]
CHROME_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars",
]
PLANT = '<script>alert("zw")</script><img src=x onerror=alert(1)>&amp;"\''

passed = 0
failed = 0


def check(ok: bool, what: str, detail: str = "") -> bool:
    global passed, failed
    if ok:
        passed += 1
        print(f"ok    {what}")
    else:
        failed += 1
        print(f"FAIL  {what}" + (f": {detail}" if detail else ""))
    return ok


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium(browser: str, page: pathlib.Path, *extra: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="zw-chromium-") as profile:
        args = [browser, *CHROME_FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                *extra, page.resolve().as_uri()]
        return subprocess.run(args, capture_output=True, text=True, timeout=180,
                              env={**os.environ, "TZ": "UTC", "LANG": "C.UTF-8"})


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def render(exe: str, source: pathlib.Path, target: pathlib.Path) -> tuple[bool, str]:
    target.unlink(missing_ok=True)
    run = subprocess.run([exe, "report", str(source), "--format", "html", "-o", str(target), "--fail-on", "never"],
                         capture_output=True, text=True, timeout=120)
    # Exit 2 after writing the report is the CLI's contract for an internal/* finding in the result.
    if run.returncode not in (0, 2) or not target.exists():
        return False, f"exit {run.returncode}: {run.stderr.strip()}"
    return True, ""


def png_size(path: pathlib.Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return 0, 0
    return struct.unpack(">II", data[16:24])


def static_checks(text: str) -> None:
    check(text.lstrip().lower().startswith("<!doctype html>"), "doctype")
    check(re.search(r'<html[^>]*\blang="[a-z]', text) is not None, "<html lang>")
    check(re.search(r"<title>[^<]+</title>", text) is not None, "<title>")
    check("<h1" in text and "<th scope=" in text, "semantic headings and table headers")
    check(re.search(r"<script\b", text, re.I) is None, "no <script> element")
    external = re.findall(r"""(?:\b(?:src|href|xlink:href|action|poster|data)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//))"""
                          r"""|url\(\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//)|@import""", text, re.I)
    external = [e for e in external if "#" not in e and "data:" not in e.lower()]
    check(not external, "no external src/href/url()/@import references", ", ".join(sorted(set(external)))[:300])
    check(re.search(r"https?://(?!www\.w3\.org/2000/svg)", text) is None, "no http(s) URL besides the SVG namespace",
          ", ".join(sorted(set(re.findall(r"https?://[^\s\"'<>)]+", text))))[:300])
    check("@media print" in text and "break-before:page" in text.replace(" ", ""), "print CSS with page breaks")


def hostile_checks(exe: str, data: dict, work: pathlib.Path) -> None:
    """Plants markup in every kind of string the report shows and expects it back as text."""
    hostile = copy.deepcopy(data)
    zone = next(z for z in hostile["zones"] if z.get("findings") and z.get("chain_links") and z.get("servers"))
    finding = zone["findings"][0]
    finding["message"] = "planted message " + PLANT
    finding["evidence"] = list(finding.get("evidence", [])) + ["planted evidence " + PLANT]
    zone["servers"][0]["name"] = "ns-planted" + PLANT + "."
    zone["notes"] = list(zone.get("notes", [])) + ["planted note " + PLANT]
    zone["chain_links"][-1]["zone"] = "svg-planted" + PLANT + "."
    source = work / "hostile-audit.json"
    source.write_text(json.dumps(hostile), encoding="utf-8")
    target = work / "hostile.html"
    ok, why = render(exe, source, target)
    if not check(ok, "render the result with planted markup", why):
        return
    text = target.read_text(encoding="utf-8")
    check(re.search(r"<script\b", text, re.I) is None, "planted <script> is not an element")
    check(re.search(r"<img\b", text, re.I) is None, "planted <img onerror> is not an element")
    escaped = html.escape(PLANT, quote=True).replace("&#x27;", "&#39;")
    for label in ("planted message ", "planted evidence ", "planted note ", "ns-planted", "svg-planted"):
        check((label + escaped) in text, f"{label.strip()} shown escaped")
    # Inside the chain-of-trust <svg>: the zone name in <text>, <title>/<desc> and attributes.
    svgs = re.findall(r"<svg class=\"chain\".*?</svg>", text, re.S)
    planted_svg = [s for s in svgs if "svg-planted" in s]
    check(bool(planted_svg) and all("<script" not in s and "svg-planted<" not in s for s in planted_svg),
          "planted zone name escaped inside the SVG")
    # Every '<' left in the file starts markup we generate: a tag name or a comment/doctype.
    stray = re.findall(r"<(?![a-zA-Z/!])", text)
    check(not stray, "no stray '<' in the output", str(len(stray)))


def canary_check(browser: str, out_dir: pathlib.Path) -> None:
    """Proves that the console check below can fail: a page that logs an error must be seen."""
    canary = out_dir / "console-canary.html"
    canary.write_text('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>canary</title></head>'
                      '<body><script>console.error("zw-canary");</script></body></html>', encoding="utf-8")
    run = chromium(browser, canary, "--dump-dom")
    check(any("zw-canary" in line for line in console_lines(run.stderr)),
          "console errors are visible in Chromium's log (canary)", run.stderr[-500:])


def browser_checks(browser: str, page: pathlib.Path, data: dict, out_dir: pathlib.Path, pictures: bool) -> None:
    run = chromium(browser, page, "--dump-dom")
    dom = run.stdout
    if not check(run.returncode == 0 and "<html" in dom, "Chromium loads the report", run.stderr[-500:]):
        return
    page.with_suffix(".dom.html").write_text(dom, encoding="utf-8")
    noise = console_lines(run.stderr)
    check(not noise, "no console messages or uncaught errors", " | ".join(noise)[:500])

    chains = re.findall(r"<svg[^>]*class=\"chain\".*?</svg>", dom, re.S)
    check(bool(chains), "chain-of-trust SVGs present", "none")
    check(all(re.search(r"<rect\b", s) and re.search(r"<(?:line|path)\b", s) for s in chains),
          "every chain-of-trust SVG has boxes and arrows")
    with_links = sum(1 for z in data["zones"] if z.get("chain_links"))
    check(len(chains) == with_links, "one chain-of-trust SVG per zone with chain links", f"{len(chains)} != {with_links}")
    notes = len(re.findall(r"No chain of trust to draw", dom))
    check(notes == len(data["zones"]) - with_links, "a note instead of a diagram for zones without chain links",
          f"{notes} notes")
    timeline = re.search(r"<svg[^>]*class=\"timeline\".*?</svg>", dom, re.S)
    signed = sum(1 for z in data["zones"] if z.get("earliest_expiration"))
    bars = len(re.findall(r"class=\"bar\"", timeline.group(0))) if timeline else 0
    check(bars == signed and (timeline is not None) == (signed > 0), "timeline SVG with one bar per signed zone",
          f"{bars} bars for {signed} signed zones")
    missing = [z["zone"] for z in data["zones"] if html.escape(z["zone"], quote=False) not in dom]
    check(not missing, "every zone appears", ", ".join(missing))
    sections = len(re.findall(r"<section class=\"zone\"", dom))
    check(sections == len(data["zones"]), "one section per zone", f"{sections} != {len(data['zones'])}")
    expected = sum(len(z.get("findings", [])) for z in data["zones"])
    found = len(re.findall(r"<article class=\"finding\b", dom))
    check(found == expected, "finding count equals the JSON's", f"{found} != {expected}")
    suppressed = sum(1 for z in data["zones"] for f in z.get("findings", []) if f.get("suppressed"))
    shown = len(re.findall(r"<article class=\"finding [a-z]+ suppressed\"", dom))
    check(shown == suppressed, "suppressed findings shown and marked", f"{shown} != {suppressed}")
    if not pictures:
        return

    shot = out_dir / "report.png"
    shot.unlink(missing_ok=True)
    run = chromium(browser, page, f"--screenshot={shot}", "--window-size=1280,2000")
    width, height = png_size(shot) if shot.exists() else (0, 0)
    check(shot.exists() and shot.stat().st_size > 40_000 and (width, height) == (1280, 2000),
          f"screenshot {shot}", f"{shot.stat().st_size if shot.exists() else 0} bytes, {width}x{height}")
    check(not console_lines(run.stderr), "no console messages while taking the screenshot")

    pdf = out_dir / "report.pdf"
    pdf.unlink(missing_ok=True)
    run = chromium(browser, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes())) if pdf.exists() else 0
    check(pdf.exists() and pdf.stat().st_size > 20_000, f"PDF print {pdf}",
          f"{pdf.stat().st_size if pdf.exists() else 0} bytes")
    # Page breaks between zones: at least one page per zone (when the PDF's page objects are visible).
    check(pages == 0 or pages >= len(data["zones"]), "PDF has a page per zone", f"{pages} pages")


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    exe = sys.argv[1]
    out_dir = pathlib.Path(sys.argv[2]).resolve()
    sources = [pathlib.Path(a) for a in sys.argv[3:]] or [ROOT / "tests" / "report" / "lab-audit.json",
                                                          ROOT / "tests" / "report" / "edge-audit.json"]
    browser = find_chromium()
    if browser is None:
        print("check_html: chromium not installed (scripts/install-deps installs it); skipping")
        return 77
    out_dir.mkdir(parents=True, exist_ok=True)
    canary_check(browser, out_dir)
    for n, source in enumerate(sources):
        print(f"# {source}")
        data = json.loads(source.read_text(encoding="utf-8"))
        # The first result gives report.html, report.png and report.pdf; the others their own name.
        page = out_dir / ("report.html" if n == 0 else f"report-{source.stem}.html")
        ok, why = render(exe, source, page)
        if check(ok, f"render {source.name} to {page}", why):
            static_checks(page.read_text(encoding="utf-8"))
            browser_checks(browser, page, data, out_dir, pictures=n == 0)
        if n == 0:
            with tempfile.TemporaryDirectory(prefix="zw-html-") as work:
                hostile_checks(exe, data, pathlib.Path(work))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
