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

# Zone files for `check`.
def zone(name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path

good_zone = zone("good.zone", "$ORIGIN example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n")
syntax_zone = zone("syntax.zone", "$ORIGIN example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.999\n")
class_zone = zone("class.zone", "$ORIGIN example.\n@ 300 CH SOA ns hm 1 2 3 4 5\n")
include_zone = zone("include.zone", "$ORIGIN example.\n$INCLUDE include.zone\n")
empty_zone = zone("empty.zone", "; nothing\n")
binary_zone = zone("binary.zone", "\x00\x01\x02 garbage \xff\n(((\n")
unbalanced_zone = zone("unbalanced.zone", "$ORIGIN example.\n@ 300 SOA ns hm ( 1 2 3 4 5\n")
ds_other = zone("other.ds", "other. 300 IN DS 12345 13 2 " + "AB" * 32 + "\n")
not_ds = zone("not.ds", "example. 300 IN DNSKEY 257 3 13 " + "A" * 88 + "\n")

cases = [
    ("check: no file", ["check"]),
    ("check: missing file", ["check", os.path.join(tmp, "missing.zone")]),
    ("check: a directory", ["check", tmp]),
    ("check: syntax error", ["check", syntax_zone]),
    ("check: class CH", ["check", class_zone]),
    ("check: $INCLUDE loop", ["check", include_zone]),
    ("check: no records", ["check", empty_zone]),
    ("check: binary garbage", ["check", binary_zone]),
    ("check: unbalanced parentheses", ["check", unbalanced_zone]),
    ("check: SOA not at --origin", ["check", good_zone, "--origin", "other."]),
    ("check: --ds missing", ["check", good_zone, "--ds", os.path.join(tmp, "none.ds")]),
    ("check: --ds for another zone", ["check", good_zone, "--ds", ds_other]),
    ("check: --ds with a DNSKEY", ["check", good_zone, "--ds", not_ds]),
    ("check: bad now", ["check", good_zone, "--now", "soon"]),
    ("check: bad jobs", ["check", good_zone, "-j", "-3"]),
    ("check: bad format", ["check", good_zone, "--format", "pdf"]),
    ("check: unwritable output", ["check", good_zone, "--output", os.path.join(tmp, "no", "such", "dir", "x.json")]),
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
    ("--name not a domain name", ["audit", "example.", "--hints", hints, "--name", "www..example."], "--name"),
    ("--name empty", ["audit", "example.", "--hints", hints, "--name", ""], "--name"),
    ("--name without a name", ["audit", "example.", "--hints", hints, "--name", "/AAAA"], "--name"),
    ("--name empty type", ["audit", "example.", "--hints", hints, "--name", "www.example./"], "--name"),
    ("--name unknown type", ["audit", "example.", "--hints", hints, "--name", "www.example./BOGUS"], "--name"),
    ("--name type number too big", ["audit", "example.", "--hints", hints, "--name", "www.example./TYPE70000"], "--name"),
    ("--name type number zero", ["audit", "example.", "--hints", hints, "--name", "www.example./TYPE0"], "--name"),
    ("--name meta-type", ["audit", "example.", "--hints", hints, "--name", "www.example./AXFR"], "--name"),
    ("--name OPT", ["audit", "example.", "--hints", hints, "--name", "www.example./OPT"], "--name"),
    ("--name outside every zone", ["audit", "example.", "other.", "--hints", hints, "--name", "www.elsewhere."], "--name"),
    ("--name above the zone", ["audit", "sub.example.", "--hints", hints, "--name", "example./SOA"], "--name"),
    ("--name with --restore", ["audit", "--restore", garbage, "--name", "www.example."], "--name"),
    ("explain: no name", ["explain", "--hints", hints]),
    ("explain: not a domain name", ["explain", "www..example.", "--hints", hints], "www..example."),
    ("explain: unknown type", ["explain", "www.example.", "BOGUS", "--hints", hints], "BOGUS"),
    ("explain: type number too big", ["explain", "www.example.", "TYPE70000", "--hints", hints], "TYPE70000"),
    ("explain: meta-type", ["explain", "www.example.", "AXFR", "--hints", hints], "AXFR"),
    ("explain: too many arguments", ["explain", "www.example.", "A", "AAAA", "--hints", hints]),
    ("explain: bad format", ["explain", "www.example.", "--hints", hints, "--format", "sarif"], "--format"),
    ("explain: unreadable hints", ["explain", "www.example.", "--hints", os.path.join(tmp, "missing.hints")]),
    ("explain: anchor with other records", ["explain", "www.example.", "--hints", hints, "--trust-anchor", bad_anchor]),
    ("explain: bad timeout", ["explain", "www.example.", "--hints", hints, "--timeout", "soon"]),
    ("explain: bad server", ["explain", "www.example.", "--server", "ns1.example=not-an-ip"], "--server"),
    ("explain: bad now", ["explain", "www.example.", "--hints", hints, "--now", "tomorrow"]),
]
passed = failed = 0
for name, args, *context in cases:
    try:
        p = subprocess.run([exe] + args, capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        print(f"FAIL {name}: hung")
        failed += 1
        continue
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    ok = p.returncode == 2 and len(lines) == 1 and not p.stdout.strip()
    # The message names the option at fault, so the user knows which value to fix.
    ok = ok and all(c in lines[0] for c in context)
    print(f"{'PASS' if ok else 'FAIL'} {name}: exit {p.returncode}, stderr {lines!r}")
    passed += ok
    failed += not ok
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
