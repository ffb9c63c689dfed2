#!/usr/bin/python3
"""Shards merged give the same findings as one run. Run inside the lab:

    tests/lab/lab.py run -- python3 tests/lab/test_shards.py build/src/cli/zonewarden

Audits every scenario zone once in one invocation, then as three shards (`audit --shard K/3`,
one invocation each, JSON), merges the shards (`zonewarden report --merge`) and compares: the
shards are disjoint and cover every zone, each zone is in the shard FNV-1a says (computed here,
independently), and every zone has the same findings (rule, severity, server) in the merged
report as in the single run. Also checks that --merge refuses a shard given twice. Prints one
line per difference and `N passed, M failed`; exit 1 on a difference, 77 outside the lab.
"""

import json
import os
import subprocess
import sys
import tempfile

SKIP = 77
SHARDS = 3


def fnv1a_shard(zone, n):
    h = 14695981039346656037
    for c in zone.lower().encode():
        h ^= c
        h = (h * 1099511628211) % (1 << 64)
    return h % n


def audit(exe, zones, out, extra):
    argv = [exe, "audit", *zones, "--hints", os.environ["ZW_LAB_HINTS"], "--trust-anchor", os.environ["ZW_LAB_ANCHOR"],
            "--format", "json", "--output", out, "--quiet", *extra]
    p = subprocess.run(argv, capture_output=True, text=True, timeout=240)
    if p.returncode not in (0, 1):
        raise SystemExit(f"FAIL audit {' '.join(extra)} exited {p.returncode}: {p.stderr.strip()}")
    return json.load(open(out))


def findings(zone_result):
    # What a run says of a zone; messages carry times and counts, so they are left out.
    return sorted({(f["rule"], f["severity"], f.get("server") or "") for f in zone_result["findings"]})


def main():
    if len(sys.argv) < 2:
        print("usage: test_shards.py ZONEWARDEN", file=sys.stderr)
        return 2
    exe = os.path.abspath(sys.argv[1])
    if any(v not in os.environ for v in ("ZW_LAB_SCENARIOS", "ZW_LAB_HINTS", "ZW_LAB_ANCHOR")):
        print("test_shards: run me inside tests/lab/lab.py run -- ...")
        return SKIP
    zones = [s["zone"] for s in json.load(open(os.environ["ZW_LAB_SCENARIOS"]))]
    work = tempfile.mkdtemp(prefix="zw-shards-")
    failed = []
    whole = audit(exe, zones, os.path.join(work, "whole.json"), [])
    parts = []
    seen = {}
    for k in range(SHARDS):
        path = os.path.join(work, f"shard{k}.json")
        part = audit(exe, zones, path, ["--shard", f"{k}/{SHARDS}"])
        parts.append(path)
        for z in part["zones"]:
            if z["zone"] in seen:
                failed.append(f"{z['zone']}: in shard {seen[z['zone']]} and in shard {k}")
            seen[z["zone"]] = k
            if fnv1a_shard(z["zone"], SHARDS) != k:
                failed.append(f"{z['zone']}: in shard {k}, FNV-1a says {fnv1a_shard(z['zone'], SHARDS)}")
    missing = sorted(set(zones) - set(seen))
    if missing:
        failed.append(f"in no shard: {', '.join(missing)}")
    merged_path = os.path.join(work, "merged.json")
    p = subprocess.run([exe, "report", "--merge", *parts, "--format", "json", "--output", merged_path],
                       capture_output=True, text=True, timeout=60)
    if p.returncode not in (0, 1):
        print(f"FAIL report --merge exited {p.returncode}: {p.stderr.strip()}")
        print(f"0 passed, {len(zones)} failed")
        return 1
    merged = {z["zone"]: z for z in json.load(open(merged_path))["zones"]}
    single = {z["zone"]: z for z in whole["zones"]}
    passed = 0
    for zone in zones:
        a, b = single.get(zone), merged.get(zone)
        if a is None or b is None:
            failed.append(f"{zone}: missing from the {'single run' if a is None else 'merged report'}")
            continue
        if findings(a) != findings(b):
            failed.append(f"{zone}: one run {findings(a)} but merged shards {findings(b)}")
            continue
        passed += 1
    # A shard given twice is refused, naming the zone in both.
    p = subprocess.run([exe, "report", "--merge", parts[0], parts[0], "--format", "json"], capture_output=True,
                       text=True, timeout=60)
    if p.returncode != 2 or "is in both" not in p.stderr:
        failed.append(f"report --merge of one shard twice: exit {p.returncode}, {p.stderr.strip()!r}")
    for line in failed:
        print("FAIL", line)
    print(f"{passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
