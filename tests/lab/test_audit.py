#!/usr/bin/python3
"""End-to-end test of `zonewarden audit` against the lab. Run inside the lab:

    tests/lab/lab.py run -- python3 tests/lab/test_audit.py build/zonewarden [--save SNAP.json]
                                                           [--output OUT.json] [--timeout SECONDS]

Runs ONE invocation over every scenario zone of $ZW_LAB_SCENARIOS:
    ZONEWARDEN audit Z1 Z2 ... --hints $ZW_LAB_HINTS --trust-anchor $ZW_LAB_ANCHOR
               --format json --output OUT.json [--save SNAP.json]
and asserts, per scenario: every expected rule id appears among the zone's findings (any severity),
and no other finding has severity "warning" or "error" (healthy zones: none at all at those levels).
Prints one PASS/FAIL line per scenario and a final line `N passed, M failed`; exits 1 on any failure.
Exit status 0 or 1 of zonewarden is accepted (1 means "findings at or above --fail-on"); 2, a crash,
a timeout or unreadable JSON fails every scenario.
"""

import argparse
import json
import os
import subprocess
import sys

LOUD = ("warning", "error")


def norm(zone):
    z = zone.strip().lower()
    return z if z.endswith(".") else z + "."


def fail_all(scenarios, reason):
    print("zonewarden run failed: " + reason)
    for sc in scenarios:
        print("FAIL %s: no result (%s)" % (sc["zone"], reason.splitlines()[0] if reason else "error"))
    print("0 passed, %d failed" % len(scenarios))
    return 1


def judge(sc, entry):
    """Returns None when the scenario passes, else a one-line description of the difference."""
    if entry is None:
        return "zone missing from the JSON output"
    findings = entry.get("findings")
    if not isinstance(findings, list):
        return "zone entry has no findings list"
    rules = [f.get("rule") for f in findings if isinstance(f, dict)]
    expected = set(sc["expect"])
    missing = sorted(r for r in expected if r not in rules)
    unexpected = sorted({"%s(%s)" % (f.get("rule"), f.get("severity")) for f in findings
                         if isinstance(f, dict) and f.get("severity") in LOUD and f.get("rule") not in expected})
    if not missing and not unexpected:
        return None
    parts = []
    if missing:
        parts.append("missing: " + ", ".join(missing))
    if unexpected:
        parts.append("unexpected: " + ", ".join(unexpected))
    return "; ".join(parts)


def main():
    ap = argparse.ArgumentParser(description="zonewarden audit against the lab scenarios")
    ap.add_argument("zonewarden", help="path of the zonewarden binary")
    ap.add_argument("--save", metavar="SNAP.json", help="passed through as --save SNAP.json")
    ap.add_argument("--output", metavar="OUT.json", help="where the JSON report goes (default: $LAB_DIR/audit.json)")
    ap.add_argument("--timeout", type=float, default=240.0,
                    help="seconds before zonewarden is killed (default 240, inside meson's 300)")
    args = ap.parse_args()

    need = ("ZW_LAB_SCENARIOS", "ZW_LAB_HINTS", "ZW_LAB_ANCHOR")
    if any(v not in os.environ for v in need):
        print("test_audit: %s not set; run me with tests/lab/lab.py run -- python3 %s ZONEWARDEN"
              % (", ".join(v for v in need if v not in os.environ), sys.argv[0]))
        return 2
    with open(os.environ["ZW_LAB_SCENARIOS"]) as f:
        scenarios = json.load(f)
    binary = os.path.abspath(args.zonewarden) if os.sep in args.zonewarden else args.zonewarden
    out = os.path.abspath(args.output or os.path.join(os.environ.get("LAB_DIR", "."), "audit.json"))
    if os.path.exists(out):
        os.remove(out)
    argv = [binary, "audit"] + [sc["zone"] for sc in scenarios] + [
        "--hints", os.environ["ZW_LAB_HINTS"], "--trust-anchor", os.environ["ZW_LAB_ANCHOR"],
        "--format", "json", "--output", out]
    # Every zone's www name too: the faults below the apex (www-unsigned, ttl-above-original).
    for sc in scenarios:
        argv += ["--name", "www." + sc["zone"]]
    if args.save:
        argv += ["--save", os.path.abspath(args.save)]
    print("running: " + " ".join(argv), flush=True)
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=args.timeout)
    except FileNotFoundError:
        return fail_all(scenarios, "binary not found: " + binary)
    except PermissionError:
        return fail_all(scenarios, "binary not executable: " + binary)
    except subprocess.TimeoutExpired:
        return fail_all(scenarios, "timed out after %.0f s" % args.timeout)
    if p.returncode not in (0, 1):
        return fail_all(scenarios, "exit status %d: %s" % (p.returncode, (p.stderr or "").strip()[-2000:]))
    try:
        with open(out) as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        return fail_all(scenarios, "cannot read %s: %s" % (out, e))
    if not isinstance(report, dict) or not isinstance(report.get("zones"), list):
        return fail_all(scenarios, "%s has no \"zones\" list" % out)

    by_zone = {}
    for entry in report["zones"]:
        if isinstance(entry, dict) and isinstance(entry.get("zone"), str):
            by_zone[norm(entry["zone"])] = entry
    passed = failed = 0
    for sc in scenarios:
        diff = judge(sc, by_zone.get(norm(sc["zone"])))
        expect = ", ".join(sc["expect"]) or "quiet"
        if diff is None:
            passed += 1
            print("PASS %s [%s]" % (sc["zone"], expect))
        else:
            failed += 1
            print("FAIL %s [%s]: %s" % (sc["zone"], expect, diff))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
