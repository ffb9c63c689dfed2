#!/usr/bin/env python3
"""Runs every zone-file case of tests/check/cases_*.py against `zonewarden check`.

    run_cases.py ZONEWARDEN [-k SUBSTRING] [--keep DIR]

Each case signs its zone at test start (dnssec-signzone, real keys), plants one fault and checks
what the rule under test reports (see zonekit.case). Also checks coverage: every rule that reads
zone files (`zonewarden rules`, INPUTS column) has at least one `fires` and one `quiet` case.
Prints one line per failure and "N passed, M failed".
"""
import argparse
import concurrent.futures
import importlib
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import traceback

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import zonekit  # noqa: E402


def zone_file_rules(zonewarden):
    out = subprocess.run([zonewarden, "rules"], capture_output=True, text=True, check=True).stdout.splitlines()
    col = out[0].index("INPUTS")  # the RESOLVER column has spaces ("SERVFAIL EDE 7"): cut by position
    rules = []
    for line in out[1:]:
        if line[col:].split()[:1] in (["zone-file"], ["both"]):
            rules.append(line.split()[0])
    return rules


def evaluate(kit, c):
    result = c.fn(kit)
    problems = []
    if c.kind == "healthy":
        bad = result.at_or_above("warning")
        if bad:
            problems.append("healthy zone has warnings/errors: " + "; ".join(
                f"{f['rule']} {f['severity']} {f.get('owner','')} {f.get('type','')}: {f['message']}" for f in bad))
        if result.exit_code != 0:
            problems.append(f"exit {result.exit_code}, expected 0")
    elif c.kind == "quiet":
        if result.findings(c.rule):
            problems.append(f"{c.rule} fired: {result.summary()}")
    else:
        found = result.findings(c.rule)
        if not found:
            problems.append(f"{c.rule} did not fire; got: {result.summary()}")
        for owner, rtype in c.where:
            match = [f for f in found if f.get("owner", "").lower() == owner.lower() and f.get("type", "") == rtype]
            if not match:
                problems.append(f"{c.rule}: no finding at {owner} {rtype}; got: {result.summary()}")
            elif c.severity and not any(f["severity"] == c.severity for f in match):
                problems.append(f"{c.rule} at {owner} {rtype}: severity {match[0]['severity']}, expected {c.severity}")
        if not c.where and c.severity and not any(f["severity"] == c.severity for f in found):
            problems.append(f"{c.rule}: severity {found[0]['severity'] if found else '-'}, expected {c.severity}")
        if c.severity == "error" and result.exit_code != 1:
            problems.append(f"exit {result.exit_code}, expected 1 for an error")
    if c.kind in ("fires", "quiet"):
        problems += others(c, result)
    problems += without_file_line(result)
    return problems


# "example.test.zone:23", "zone.ds:1": a file name with an extension, a colon, a line number.
FILE_LINE = re.compile(r"[\w./-]*[A-Za-z][\w./-]*\.[A-Za-z]+:\d+")


def without_file_line(result):
    """Every finding of `check` about the zone points at its file and line (issue #9), in its
    message or evidence; only our own (internal/*) and the policy's findings have none."""
    problems = []
    for f in result.all_findings():
        if f["rule"].startswith(("internal/", "policy/")):
            continue
        texts = [f.get("message", "")] + list(f.get("evidence", []))
        if not any(FILE_LINE.search(t) for t in texts):
            problems.append(f"{f['rule']} at {f.get('owner', '')} {f.get('type', '')} names no file:line: "
                            f"{json.dumps(texts, ensure_ascii=False)}")
        # ... and says it as data too (JSON "file" and "line", SARIF's physicalLocation): a line
        # its evidence names.
        elif not f.get("file") or not isinstance(f.get("line"), int) or f["line"] < 1 or not any(
                re.search(rf"(^|[ (]){re.escape(f['file'])}:{f['line']}(\D|$)", t) for t in f.get("evidence", [])):
            problems.append(f"{f['rule']} at {f.get('owner', '')} {f.get('type', '')}: \"file\"/\"line\" "
                            f"{f.get('file')!r}/{f.get('line')!r} not one of its evidence lines")
    return problems


def others(c, result):
    """Every finding of a rule other than c.rule must be declared in c.also (each declared one
    must be there): one planted fault, one root cause, no finding nobody expected."""
    problems = []
    for f in result.all_findings():
        if f["rule"] == c.rule or any(zonekit.finding_matches(f, *a) for a in c.also):
            continue
        shown = {k: f[k] for k in ("rule", "severity", "owner", "type", "message", "evidence") if k in f}
        problems.append(f"unexpected {f['rule']} {f['severity']}: {json.dumps(shown, ensure_ascii=False)}")
    for a in c.also:
        if not any(zonekit.finding_matches(f, *a) for f in result.all_findings()):
            problems.append(f"also {a[0]} at {a[1]} {a[2]} did not fire; got: {result.summary()}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("zonewarden")
    ap.add_argument("-k", default="", help="only cases whose rule or name contains this")
    ap.add_argument("--keep", help="work directory to keep (default: a temporary one)")
    args = ap.parse_args()
    for module in sorted(HERE.glob("cases_*.py")):
        importlib.import_module(module.stem)
    cases = [c for c in zonekit.CASES if args.k in c.rule or args.k in c.name]
    work = pathlib.Path(args.keep) if args.keep else pathlib.Path(tempfile.mkdtemp(prefix="zw-check-"))
    kit = zonekit.Kit(work, args.zonewarden)
    failures = []

    if not args.k:
        for rule in zone_file_rules(args.zonewarden):
            kinds = {c.kind for c in zonekit.CASES if c.rule == rule}
            for kind in ("fires", "quiet"):
                if kind not in kinds:
                    failures.append(f"coverage: {rule} has no '{kind}' case")

    def one(c):
        try:
            return c, evaluate(kit, c)
        except Exception as e:  # a broken case is a failure, never a pass
            return c, [f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}"]

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(one, cases))
    passed = 0
    for c, problems in results:
        label = f"{c.kind} {c.rule or '-'} {c.name}"
        if problems:
            for p in problems:
                failures.append(f"{label}: {p}")
        else:
            passed += 1
    for f in failures:
        print("FAIL", f)
    print(f"{passed} passed, {len(failures)} failed")
    if not args.keep and not failures:
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
