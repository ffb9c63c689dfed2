#!/usr/bin/env python3
"""Bad input gets a one-line reason on stderr and exit status 2, never a crash or a hang.
Runs inside a private network namespace (tests/netns-run.sh): none of these cases may reach
the network, and if one did, nothing could leave."""
import os
import subprocess
import sys
import tempfile

exe = sys.argv[1]
tmp = tempfile.mkdtemp()
garbage = os.path.join(tmp, "garbage.json")
with open(garbage, "w") as f:
    f.write('{"kind": "zonewarden-snapshot", "schema": 1, "zones": [')
bad_hints = os.path.join(tmp, "bad.hints")
with open(bad_hints, "w") as f:
    f.write(".  3600000  NS  a.root.\na.root.  3600000  A  not-an-address\n")
hints = os.path.join(tmp, "lab.hints")
with open(hints, "w") as f:
    f.write(".  3600000  NS  a.root.lab.\na.root.lab.  3600000  A  127.53.0.1\n")
bad_anchor = os.path.join(tmp, "bad.anchor")
with open(bad_anchor, "w") as f:
    f.write("example. 3600 IN A 192.0.2.1\n")

cases = [
    ("unknown flag", ["audit", "--bogus", "example."]),
    ("no command", []),
    ("no zone", ["audit", "--hints", hints]),
    ("not a domain name", ["audit", "exa mple..com", "--hints", hints]),
    ("unreadable hints", ["audit", "example.", "--hints", os.path.join(tmp, "missing.hints")]),
    ("malformed hints", ["audit", "example.", "--hints", bad_hints]),
    ("unreadable anchor", ["audit", "example.", "--hints", hints, "--trust-anchor", os.path.join(tmp, "nope")]),
    ("anchor with other records", ["audit", "example.", "--hints", hints, "--trust-anchor", bad_anchor]),
    ("bad timeout", ["audit", "example.", "--hints", hints, "--timeout", "soon"]),
    ("bad format", ["audit", "example.", "--hints", hints, "--format", "pdf"]),
    ("bad fail-on", ["audit", "example.", "--hints", hints, "--fail-on", "sometimes"]),
    ("bad server", ["audit", "example.", "--server", "ns1.example=not-an-ip"]),
    ("bad now", ["audit", "example.", "--hints", hints, "--now", "tomorrow"]),
    ("garbage snapshot", ["audit", "--restore", garbage]),
    ("missing snapshot", ["audit", "--restore", os.path.join(tmp, "none.json")]),
    ("unknown rule", ["rules", "no/such-rule"]),
    ("ds without servers", ["audit", "example.", "--hints", hints, "--ds", bad_anchor]),
]
passed = failed = 0
for name, args in cases:
    try:
        p = subprocess.run([exe] + args, capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        print(f"FAIL {name}: hung")
        failed += 1
        continue
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    ok = p.returncode == 2 and len(lines) == 1 and not p.stdout.strip()
    print(f"{'PASS' if ok else 'FAIL'} {name}: exit {p.returncode}, stderr {lines!r}")
    passed += ok
    failed += not ok
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
