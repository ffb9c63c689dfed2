#!/usr/bin/env python3
"""Records the snapshot fixtures of the online rules from the lab (STYLE.md §5, ZW_RECORD).

    tests/lab/lab.py run -- python3 tests/lab/record_fixtures.py build/src/cli/zonewarden

Audits every lab zone in one invocation with --save, then, for every rule id a scenario
expects, writes tests/fixtures/rules/<id>/fires-<zone>.snapshot.json (that zone only) with a
sibling .expect listing "OWNER TYPE" of the findings the rule reports there, and
quiet-<zone>.snapshot.json from a healthy zone with an empty .expect. Review the .expect
files before committing: they are the rule's contract from then on. The fixtures pin "now" to
the snapshot's own time, so they never go stale.

delegation/ns-address-not-public cannot fire in the lab (private addresses are normal with the
lab's own hints); its fires fixture is the healthy zone's snapshot marked as walked from the
public root hints, which is exactly the condition the rule tests.
"""
import json
import os
import subprocess
import sys
import tempfile

exe = sys.argv[1]
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "rules")
scenarios = json.load(open(os.environ["ZW_LAB_SCENARIOS"]))
# Names that are not zones: a name the parent denies, and a name inside a zone (no cut).
NOT_DELEGATED = ["nonexistent.lab.", "www.healthy-nsec.lab."]
zones = [s["zone"] for s in scenarios] + NOT_DELEGATED
tmp = tempfile.mkdtemp()
snap_path = os.path.join(tmp, "snap.json")
out_path = os.path.join(tmp, "out.json")
status = subprocess.run([exe, "audit", *zones, "--hints", os.environ["ZW_LAB_HINTS"],
                         "--trust-anchor", os.environ["ZW_LAB_ANCHOR"], "--save", snap_path,
                         "--format", "json", "--output", out_path]).returncode
if status not in (0, 1):
    sys.exit(f"record_fixtures: zonewarden exited {status}")
snapshot = json.load(open(snap_path))
result = json.load(open(out_path))
findings = {z["zone"]: z["findings"] for z in result["zones"]}
by_zone = {z["zone"]: z for z in snapshot["zones"]}


def write(rule, kind, zone, snap, expect_lines, note=""):
    d = os.path.join(root, rule)
    os.makedirs(d, exist_ok=True)
    base = os.path.join(d, f"{kind}-{zone.rstrip('.').replace('.', '-')}")
    with open(base + ".snapshot.json", "w") as f:
        json.dump(snap, f, indent=1)
        f.write("\n")
    with open(base + ".expect", "w") as f:
        f.write(f"# {rule} on {zone}, recorded from the lab by tests/lab/record_fixtures.py\n")
        if note:
            f.write(f"# {note}\n")
        for line in sorted(set(expect_lines)):
            f.write(line + "\n")
    print("wrote", base)


def single(zone, **changes):
    s = dict(snapshot)
    s["zones"] = [by_zone[zone]]
    s.update(changes)
    return s


healthy = next(s["zone"] for s in scenarios if not s["expect"] and s["zone"].startswith("healthy-nsec."))
rules = sorted({r for s in scenarios for r in s["expect"]})
for rule in rules:
    for sc in scenarios:
        if rule in sc["expect"]:
            lines = [f"{f['owner']} {f['type']}" for f in findings[sc["zone"]] if f["rule"] == rule]
            write(rule, "fires", sc["zone"], single(sc["zone"]), lines)
    write(rule, "quiet", healthy, single(healthy), [])

for zone in NOT_DELEGATED:
    lines = [f"{f['owner']} {f['type']}" for f in findings[zone] if f["rule"] == "delegation/not-delegated"]
    write("delegation/not-delegated", "fires", zone, single(zone), lines)
write("delegation/not-delegated", "quiet", healthy, single(healthy), [])

rule = "delegation/ns-address-not-public"
marked = single(healthy, public_root_hints=True)
lines = []
for ns in by_zone[healthy]["name_servers"]:
    for a in ns["addresses"]:
        lines.append(f"{ns['name']} {'AAAA' if ':' in a else 'A'}")
write(rule, "fires", healthy, marked, lines, "snapshot marked as walked from the public root hints")
write(rule, "quiet", healthy, single(healthy), [])
