#!/usr/bin/env python3
"""`zonewarden rules --format json` (issue #11): the same rules as the text listing, each with the
registry's fields, a page that exists, and for one rule its page's sections.

    test_rules_json.py ZONEWARDEN   (run from the source root)
"""
import json
import os
import subprocess
import sys

exe = sys.argv[1]
failures = []


def expect(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail!r}"))
    if not ok:
        failures.append(name)


def run(*args):
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=60)


listing = run("rules")
text_ids = [line.split()[0] for line in listing.stdout.splitlines()[1:] if line.strip()]
out = run("rules", "--format", "json")
expect("rules --format json exits 0", out.returncode == 0, out.stderr)
rules = json.loads(out.stdout)
expect("the same rules, in the same order, as the text listing", [r["id"] for r in rules] == text_ids,
       (len(rules), len(text_ids)))
severities = {"error", "warning", "notice"}
for r in rules:
    rid = r["id"]
    problems = []
    if r["severity"] not in severities:
        problems.append(f"severity {r['severity']}")
    if r["inputs"] not in ("live", "zone-file", "both"):
        problems.append(f"inputs {r['inputs']}")
    if r["stability"] not in ("stable", "preview"):
        problems.append(f"stability {r['stability']}")
    if not r["since"] or not r["summary"] or not r["reference"]:
        problems.append("empty since, summary or reference")
    if not r["tags"] or not all(isinstance(t, str) and t for t in r["tags"]):
        problems.append(f"tags {r['tags']}")
    if r["page"] != f"docs/rules/{rid}.md" or not os.path.isfile(r["page"]):
        problems.append(f"page {r['page']}")
    if "rcode" not in r["resolver"] or ("ede" in r["resolver"]) != ("ede_text" in r["resolver"]):
        problems.append(f"resolver {r['resolver']}")
    if "what" in r:
        problems.append("the listing carries page sections")
    if problems:
        expect(f"{rid}: registry fields", False, problems)
expect("every rule has its registry fields", not any(f.endswith("registry fields") for f in failures))

# Agrees with the text listing's severity and impact columns for every rule.
by_id = {r["id"]: r for r in rules}
for line in listing.stdout.splitlines()[1:]:
    cols = line.split()
    r = by_id.get(cols[0])
    if r is None or cols[1] != r["severity"] or cols[2] != r["resolver"]["rcode"]:
        expect(f"{cols[0]}: text and json agree", False, line)

one = run("rules", "--format", "json", "dnssec/rrsig-expired")
rule = json.loads(one.stdout)
expect("one rule: its page's sections", one.returncode == 0 and all(rule.get(k) for k in ("what", "why", "fix")),
       one.stdout[:200])
expect("one rule: the registry entry of the listing", {k: v for k, v in rule.items() if k not in ("what", "why", "fix")}
       == by_id["dnssec/rrsig-expired"])

# The profile thresholds each rule reads (docs/policy.md's table, written by hand): what a
# profile's [options."ID"] may set for it.
reads = {"dnssec/rrsig-expiring-soon": ["expiry_window"], "dnssec/rrsig-ttl-mismatch": ["expiry_window"],
         "dnssec/rrsig-validity-below-soa-expire": ["expiry_window"], "rollover/resigning-stalled": ["expiry_window"],
         "rollover/cds-not-acted-on": ["cds_patience"], "dnssec/algorithm-deprecated": ["allowed_algorithms"],
         "dnssec/key-size-weak": ["min_rsa_bits"], "dnssec/nsec3-parameters": ["max_nsec3_iterations"]}
for r in rules:
    if r.get("options") != reads.get(r["id"], []):
        expect(f"{r['id']}: options", False, r.get("options"))
expect("every rule lists the thresholds it reads", not any(f.endswith(": options") for f in failures))

bad = run("rules", "--format", "yaml")
expect("an unknown format: one line, exit 2", bad.returncode == 2 and bad.stderr.count("\n") == 1 and not bad.stdout,
       bad.stderr)
missing = run("rules", "--format", "json", "dnssec/no-such-rule")
expect("an unknown rule: one line, exit 2", missing.returncode == 2 and missing.stderr.count("\n") == 1, missing.stderr)

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
