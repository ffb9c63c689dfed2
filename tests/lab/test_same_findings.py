#!/usr/bin/python3
"""One validator for both commands: the same zone, served and in a file, gives the same DNSSEC
findings. Run inside the lab:

    tests/lab/lab.py run -- python3 tests/lab/test_same_findings.py build/src/cli/zonewarden

For every scenario zone it runs `zonewarden audit` (all zones at once, with --name www.<zone>
and --walk) and `zonewarden check <the signed file the servers serve> --ds <the DS the parent serves>`, and
compares, per zone, the ids of the findings of the rules that read both inputs (INPUTS "both" in
`zonewarden rules`) in area dnssec/. Where one server serves another copy of the zone
(newer-serial, extra-dnskey, resalted), every copy is checked and the audit, which sees them all,
is compared with the union of their findings. The file is the zone exactly as the lab's servers serve it,
so any difference is a disagreement between the two paths (every scenario plants its fault in
data the audit asks for: the apex, the DS, www, asked with --name, and with --walk every RRset
of an NSEC zone, such as walk-deep's). Prints one line per zone and
`N passed, M failed`; exit 1 on a difference, 77 outside the lab.
"""

import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

SKIP = 77
# Server behaviours that serve another copy of the zone, zones/<zone><behaviour>.zone (lab.py).
OTHER_COPIES = ("newer-serial", "extra-dnskey", "resalted")
TLD_SERVER = "127.53.0.3"   # ns1.nic.lab. (NSD): the parent of every scenario zone


def rules_reading_both(exe):
    out = subprocess.run([exe, "rules"], capture_output=True, text=True, check=True).stdout.splitlines()
    col = out[0].index("INPUTS")  # the RESOLVER column has spaces: cut by the header's position
    return {line.split()[0] for line in out[1:]
            if line[col:].split()[:1] == ["both"] and line.startswith("dnssec/")}


def ds_of(zone):
    p = subprocess.run(["dig", "+noall", "+answer", "+norec", "+time=2", "+tries=2", "@" + TLD_SERVER, zone, "DS"],
                       capture_output=True, text=True, timeout=20)
    return [l for l in p.stdout.splitlines() if l.strip() and "\tDS\t" in l.replace(" ", "\t")]


def findings_of(zone_result, rules):
    return sorted({f["rule"] for f in zone_result.get("findings", []) if f["rule"] in rules})


def main():
    if len(sys.argv) < 2:
        print("usage: test_same_findings.py ZONEWARDEN", file=sys.stderr)
        return 2
    exe = os.path.abspath(sys.argv[1])
    need = ["ZW_LAB_SCENARIOS", "ZW_LAB_HINTS", "ZW_LAB_ANCHOR", "LAB_DIR"]
    if any(v not in os.environ for v in need):
        print("test_same_findings: run me inside tests/lab/lab.py run -- ...")
        return SKIP
    scenarios = json.load(open(os.environ["ZW_LAB_SCENARIOS"]))
    rules = rules_reading_both(exe)
    work = tempfile.mkdtemp(prefix="zw-same-")
    audit_out = os.path.join(work, "audit.json")
    argv = [exe, "audit"] + [s["zone"] for s in scenarios] + [
        "--hints", os.environ["ZW_LAB_HINTS"], "--trust-anchor", os.environ["ZW_LAB_ANCHOR"],
        "--format", "json", "--output", audit_out, "--walk"]
    for s in scenarios:
        argv += ["--name", "www." + s["zone"]]
    p = subprocess.run(argv, capture_output=True, text=True, timeout=240)
    if p.returncode not in (0, 1):
        print(f"FAIL audit exited {p.returncode}: {p.stderr.strip()}")
        print(f"0 passed, {len(scenarios)} failed")
        return 1
    live = {z["zone"]: z for z in json.load(open(audit_out))["zones"]}

    def check(s):
        zone = s["zone"]
        copies = [zone + "zone"] + sorted({zone + b["behaviour"] + ".zone" for b in s["servers"]
                                           if b["behaviour"] in OTHER_COPIES})
        ds = ds_of(zone)
        ds_args = []
        if ds:
            ds_file = os.path.join(work, zone + "ds")
            with open(ds_file, "w") as f:
                f.write("\n".join(ds) + "\n")
            ds_args = ["--ds", ds_file]
        findings = []
        for copy in copies:
            out = os.path.join(work, copy + ".json")
            args = [exe, "check", os.path.join(os.environ["LAB_DIR"], "zones", copy), "--origin", zone,
                    "--format", "json", "--output", out] + ds_args
            r = subprocess.run(args, capture_output=True, text=True, timeout=120)
            if r.returncode not in (0, 1):
                return s, None, f"check {copy} exited {r.returncode}: {r.stderr.strip()}"
            with open(out) as f:
                findings += json.load(f)["zones"][0].get("findings", [])
        return s, {"findings": findings}, ""

    passed, failed = 0, 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        for s, from_file, error in pool.map(check, scenarios):
            zone = s["zone"]
            if from_file is None:
                print(f"FAIL {zone}: {error}")
                failed += 1
                continue
            got_live = findings_of(live.get(zone, {}), rules)
            got_file = findings_of(from_file, rules)
            if got_live == got_file:
                print(f"PASS {zone}: {', '.join(got_live) or 'no dnssec finding'} from both")
                passed += 1
            else:
                print(f"FAIL {zone}: audit {got_live or '[]'} but check {got_file or '[]'}")
                failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
