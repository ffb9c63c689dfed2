#!/usr/bin/python3
"""What each of the lab's three validating resolvers answers, per scenario. Run in a fresh lab:

    tests/lab/lab.py run -- python3 tests/lab/resolvers.py [--json OUT.json] [--markdown]

For every scenario of $ZW_LAB_SCENARIOS it asks Unbound ($ZW_LAB_RESOLVER), BIND
($ZW_LAB_RESOLVER_BIND) and Knot Resolver ($ZW_LAB_RESOLVER_KRESD), each in this order, `<zone>
SOA`, `www.<zone> A`, `zw-nx-test.<zone> A` and `<zone> TYPE10` (apex NODATA), with `dig
+dnssec`, and records RCODE, every EDE (code and EXTRA-TEXT) and the AD bit. The SOA goes first:
a resolver's EDE for a later query can come from its cache of an earlier failure. Zones and
resolvers are asked in parallel, the four queries of one zone at one resolver one after another.
A query with no answer is asked again (3 attempts, as selftest does). --reverse asks the SOA last
(to see what a resolver answers when the first query meeting a failure is not the SOA). Prints one line per zone
and resolver (or a markdown table with --markdown); exit 0, 77 outside the lab.
This is a measurement, not a test: nothing is compared (docs/resolvers.md holds the results).
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # keep tests/lab free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from selftest import RESOLVER_ATTEMPTS, RESOLVER_TIME  # noqa: E402

RESOLVER_VARS = [("unbound", "ZW_LAB_RESOLVER"), ("bind", "ZW_LAB_RESOLVER_BIND"), ("kresd", "ZW_LAB_RESOLVER_KRESD")]
SKIP = 77


def queries(zone):
    """(label, qname, qtype) in the order they are asked; the SOA first."""
    return [("SOA", zone, "SOA"), ("www A", "www." + zone, "A"),
            ("nx A", "zw-nx-test." + zone, "A"), ("apex NULL", zone, "TYPE10")]


def dig_answer(resolver, qname, qtype):
    """{"rcode", "ede": [[code, text], ...], "ad"}; rcode None when dig got no answer."""
    argv = ["dig", "+nocookie", "+dnssec", "+time=%d" % RESOLVER_TIME, "+tries=1", "@" + resolver, qname, qtype]
    try:
        out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=40).stdout
    except subprocess.TimeoutExpired:
        out = ""
    m = re.search(r"status: (\w+)", out)
    fl = re.search(r";; flags: ([a-z ]*);", out)
    ede = [[int(c), t or ""] for c, t in re.findall(r"^; EDE: (\d+)(?: \([^)]*\))?(?:: \((.*)\))?$", out, re.M)]
    return {"rcode": m.group(1) if m else None, "ede": ede, "ad": bool(fl) and "ad" in fl.group(1).split()}


def ask(resolver, qname, qtype):
    for attempt in range(1, RESOLVER_ATTEMPTS + 1):
        a = dig_answer(resolver, qname, qtype)
        if a["rcode"] is not None:
            break
    a["attempt"] = attempt
    return a


def ask_zone(resolver, zone, reverse=False):
    qs = queries(zone)
    return {label: ask(resolver, qname, qtype) for label, qname, qtype in (qs[::-1] if reverse else qs)}


def short(a, text=False):
    """`SERVFAIL EDE 7`, `NOERROR AD`, `no answer`; with text the EXTRA-TEXT in quotes too."""
    if a["rcode"] is None:
        return "no answer"
    s = a["rcode"]
    for code, t in a["ede"]:
        s += " EDE %d" % code + (' "%s"' % t if text and t else "")
    s += " AD" if a["ad"] else ""
    return s + (" (attempt %d)" % a["attempt"] if a["attempt"] > 1 else "")


def main():
    ap = argparse.ArgumentParser(description="measure the lab's three validating resolvers per scenario")
    ap.add_argument("--json", metavar="OUT.json", help="write every answer here")
    ap.add_argument("--markdown", action="store_true", help="print a markdown table (one row per zone and resolver)")
    ap.add_argument("--reverse", action="store_true",
                    help="ask the four queries in the reverse order (the SOA last), to see the cache's effect on EDE")
    args = ap.parse_args()
    missing = [v for _, v in RESOLVER_VARS + [("", "ZW_LAB_SCENARIOS")] if v not in os.environ]
    if missing:
        print("resolvers: skipped: %s not set; run me with tests/lab/lab.py run -- python3 %s"
              % (", ".join(missing), sys.argv[0]))
        return SKIP
    with open(os.environ["ZW_LAB_SCENARIOS"]) as f:
        zones = [sc["zone"] for sc in json.load(f)]
    jobs = [(z, name, os.environ[var]) for z in zones for name, var in RESOLVER_VARS]
    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(lambda j: ask_zone(j[2], j[0], args.reverse), jobs))
    result = {}
    for (z, name, _), a in zip(jobs, answers):
        result.setdefault(z, {})[name] = a
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
    labels = [label for label, _, _ in queries(".")]
    if args.markdown:
        print("| zone | resolver | `<zone> SOA` | `www A` | `zw-nx-test A` | `<zone> NULL` |")
        print("|---|---|---|---|---|---|")
    for z in zones:
        for name, _ in RESOLVER_VARS:
            cells = [short(result[z][name][label]) for label in labels]
            if args.markdown:
                print("| %s | %s | %s |" % (z, name, " | ".join(cells)))
            else:
                print("%-26s %-8s %s" % (z, name, " | ".join(cells)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
