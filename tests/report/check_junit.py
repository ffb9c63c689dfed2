#!/usr/bin/env python3
"""Checks zonewarden's JUnit XML: well-formed, the expected structure, and counts that add up.

Usage: check_junit.py RENDER_FIXTURE RESULT.json...
Each saved RESULT.json is rendered with every --fail-on threshold.
"""

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

SEVERITIES = ["notice", "warning", "error"]


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    driver, inputs = sys.argv[1], sys.argv[2:]
    passed = failed = 0

    def check(ok: bool, what: str) -> None:
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL: {what}")

    for path in inputs:
        with open(path, encoding="utf-8") as f:
            source = json.load(f)
        for fail_on in SEVERITIES:
            where = f"{path} (fail on {fail_on})"
            rendered = subprocess.run([driver, "junit", path, fail_on], capture_output=True, check=False)
            check(rendered.returncode == 0, f"{where}: render_fixture exit {rendered.returncode}: {rendered.stderr!r}")
            if rendered.returncode != 0:
                continue
            try:
                root = ET.fromstring(rendered.stdout)
            except ET.ParseError as e:
                check(False, f"{where}: not well-formed XML: {e}")
                continue
            check(root.tag == "testsuites", f"{where}: root is <{root.tag}>")
            suites = root.findall("testsuite")
            check([s.get("name") for s in suites] == [z["zone"] for z in source["zones"]],
                  f"{where}: one <testsuite> per zone, in order")

            threshold = SEVERITIES.index(fail_on)
            total_tests = total_failures = 0
            for suite, zone in zip(suites, source["zones"]):
                cases = suite.findall("testcase")
                failures = suite.findall("testcase/failure")
                check(int(suite.get("tests")) == len(cases), f"{where}: {zone['zone']}: tests != testcases")
                check(int(suite.get("failures")) == len(failures), f"{where}: {zone['zone']}: failures != <failure>s")
                check(suite.get("errors") == "0" and suite.get("skipped") == "0", f"{where}: errors/skipped not 0")
                names = [c.get("name") for c in cases]
                check(all(r in names for r in source["rules_run"]), f"{where}: a rule that ran has no testcase")
                check(all(c.get("classname") == zone["zone"] for c in cases), f"{where}: classname is not the zone")
                check(all(c.get("name") in names for c in cases), f"{where}: testcase without a name")
                for c in cases:
                    check(len(c.findall("system-out")) <= 1, f"{where}: several <system-out> in {c.get('name')}")
                for fi in zone["findings"]:
                    check(fi["rule"] in names, f"{where}: finding of {fi['rule']} has no testcase")
                counts = failing = shown = 0
                for fi in zone["findings"]:
                    counts += 1
                    if not fi.get("suppressed") and SEVERITIES.index(fi["severity"]) >= threshold:
                        failing += 1
                shown = len(failures)
                for out in suite.findall("testcase/system-out"):
                    shown += sum(1 for line in (out.text or "").splitlines()
                                 if any(line.startswith(f"[{s}] ") for s in SEVERITIES))
                check(len(failures) == failing, f"{where}: {zone['zone']}: {len(failures)} failures, want {failing}")
                check(shown == counts, f"{where}: {zone['zone']}: {shown} findings shown, want {counts}")
                for fe in failures:
                    check(fe.get("type") in SEVERITIES and fe.get("message"), f"{where}: <failure> lacks type/message")
                total_tests += len(cases)
                total_failures += len(failures)
            check(int(root.get("tests")) == total_tests, f"{where}: testsuites tests={root.get('tests')}, want {total_tests}")
            check(int(root.get("failures")) == total_failures,
                  f"{where}: testsuites failures={root.get('failures')}, want {total_failures}")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
