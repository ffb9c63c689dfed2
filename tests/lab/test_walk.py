#!/usr/bin/python3
"""`zonewarden audit --walk` against the lab. Run inside the lab:

    tests/lab/lab.py run -- python3 tests/lab/test_walk.py build/src/cli/zonewarden

The expectations are written by hand from the zones lab.py builds, never recorded from
zonewarden's output:

- every scenario with a `walk` list (walk-deep.lab.): its fault lies at a name that neither the
  built-in probes nor `--name www` ask. Without --walk the audit has no warning or error for it;
  with --walk exactly the `walk` findings (rule, owner, type) are warnings or errors, nothing
  else, and the walk is complete over the NSEC chain's owner names, counted by hand below;
- healthy-nsec.lab.: the walk is complete over its 4 names and adds no finding of any severity;
- nsec-gap.lab. (the NSEC of www deleted): the walk stops, incomplete, at www (its server gives
  no NSEC there), and the loud findings are still the planted fault's;
- lame-silent.lab. (one server drops everything): the walk is complete over its 4 names on the
  server that answers, and the only loud finding is still the zone's planted fault;
- healthy-nsec3.lab. and healthy-unsigned.lab.: the walk is skipped (hashed names, no chain),
  no NSEC query is sent there, and nothing is loud;
- --walk-limit 2: the walk is incomplete after 2 names, and that alone fails nothing (exit 0);
- a --deadline that passes during the walk of lame-silent.lab.: the walk is said incomplete;
- --save then --restore replays the walked audit: the same findings and notes;
- --walk with --restore, and --walk-limit out of range or without --walk, are bad arguments (exit 2).

The walk's status is read from the snapshot (`zones[].nsec_walk`) and from the zone's notes,
which start with "walk complete", "walk incomplete" or "walk skipped" (docs/audit.md).
Prints one PASS/FAIL line per check and `N passed, M failed`; exit 1 on any failure, 77 outside
the lab.
"""

import json
import os
import subprocess
import sys
import tempfile

SKIP = 77
LOUD = ("warning", "error")
# Owner names of each zone's NSEC chain, in canonical order (RFC 4034 §6.1), from lab.py's zone
# text: ZoneBuild.text (SOA, NS, ns1..nsN A/AAAA, www A/AAAA, TXT at the apex) plus, for
# walk-deep, fault_deep_data's records (sub. and wild. are empty non-terminals: no NSEC).
CHAIN = {
    "healthy-nsec.lab.": ["", "ns1", "ns2", "www"],
    "lame-silent.lab.": ["", "ns1", "ns2", "www"],
    "walk-deep.lab.": ["", "insecure", "mail", "ns1", "ns2", "ns3", "secure", "deep.sub", "*.wild", "www"],
}

results = []


def check(ok, what, detail=""):
    results.append(bool(ok))
    print("%s %s%s" % ("PASS" if ok else "FAIL", what, "" if ok else ": " + detail), flush=True)


def audit(exe, zones, extra, out_dir, tag):
    """Runs one audit; returns (exit status, report by zone, snapshot by zone or None)."""
    report = os.path.join(out_dir, tag + ".json")
    snap = os.path.join(out_dir, tag + ".snapshot.json")
    argv = [exe, "audit"] + zones + ["--hints", os.environ["ZW_LAB_HINTS"], "--trust-anchor",
                                     os.environ["ZW_LAB_ANCHOR"], "--format", "json", "--output", report,
                                     "--save", snap] + extra
    p = subprocess.run(argv, capture_output=True, text=True, timeout=200)
    if p.returncode not in (0, 1):
        print("  %s exited %d: %s" % (" ".join(argv), p.returncode, p.stderr.strip()[-500:]))
        return p.returncode, {}, {}
    with open(report) as f:
        by_zone = {z["zone"]: z for z in json.load(f)["zones"]}
    with open(snap) as f:
        snaps = {z["zone"]: z for z in json.load(f)["zones"]}
    return p.returncode, by_zone, snaps


def loud(zone_result):
    return sorted({(f["rule"], f.get("owner") or "", f.get("type") or "") for f in zone_result.get("findings", [])
                   if f["severity"] in LOUD})


def every(zone_result):
    return sorted({(f["rule"], f["severity"], f.get("owner") or "", f.get("type") or "", f.get("server") or "")
                   for f in zone_result.get("findings", [])})


def walk_notes(zone_result):
    return [n for n in zone_result.get("notes", []) if n.startswith("walk ")]


def asked(snapshot_zone, qtype):
    return sorted({(e["qname"], s["address"]) for s in snapshot_zone.get("servers", []) for e in s["exchanges"]
                   if e["qtype"] == qtype})


def main():
    if len(sys.argv) < 2:
        print("usage: test_walk.py ZONEWARDEN", file=sys.stderr)
        return 2
    exe = os.path.abspath(sys.argv[1])
    if any(v not in os.environ for v in ("ZW_LAB_SCENARIOS", "ZW_LAB_HINTS", "ZW_LAB_ANCHOR")):
        print("test_walk: run me inside tests/lab/lab.py run -- ...")
        return SKIP
    scenarios = {s["zone"]: s for s in json.load(open(os.environ["ZW_LAB_SCENARIOS"]))}
    deep = [z for z, s in scenarios.items() if s.get("walk")]
    check(deep, "the lab has a scenario whose fault only --walk finds", "no scenario with a walk list")
    zones = deep + ["healthy-nsec.lab.", "healthy-nsec3.lab.", "healthy-unsigned.lab.", "lame-silent.lab.",
                    "nsec-gap.lab."]
    work = tempfile.mkdtemp(prefix="zw-walk-")

    _, plain, _ = audit(exe, zones, [], work, "plain")
    status, walked, snaps = audit(exe, zones, ["--walk"], work, "walk")
    check(status in (0, 1) and walked, "audit --walk ran", "exit status %d" % status)
    if not walked:
        print("%d passed, %d failed" % (results.count(True), results.count(False)))
        return 1

    for zone in deep:
        want = sorted((w["rule"], w["owner"], w["type"]) for w in scenarios[zone]["walk"])
        check(not loud(plain.get(zone, {})), "%s: without --walk nothing is loud" % zone, str(loud(plain.get(zone, {}))))
        check(loud(walked.get(zone, {})) == want, "%s: with --walk exactly %s" % (zone, want),
              "got %s" % loud(walked.get(zone, {})))
    for zone, owners in CHAIN.items():
        w = snaps.get(zone, {}).get("nsec_walk") or {}
        check(w.get("status") == "complete" and w.get("names") == len(owners),
              "%s: walk complete over %d names" % (zone, len(owners)), "nsec_walk %s" % w)
        notes = walk_notes(walked.get(zone, {}))
        check(len(notes) == 1 and notes[0].startswith("walk complete"), "%s: one note says the walk is complete" % zone,
              str(notes))
        # Every owner's NSEC was asked of every server address the zone has.
        addresses = {s["address"] for s in snaps[zone]["servers"]}
        names = {("%s.%s" % (o, zone)) if o else zone for o in owners}
        got = {(q, a) for q, a in asked(snaps[zone], "NSEC")}
        missing = sorted((n, a) for n in names for a in addresses if (n, a) not in got)
        check(not missing, "%s: every owner's NSEC asked of all %d addresses" % (zone, len(addresses)),
              "not asked: %s" % missing[:5])
    for zone in zones:
        if zone not in deep:
            want = sorted(set(scenarios[zone]["expect"]))
            got = sorted({r for r, _, _ in loud(walked.get(zone, {}))})
            check(got == want, "%s: with --walk the loud rules are the planted fault's, %s" % (zone, want), str(got))
    check(every(walked.get("healthy-nsec.lab.", {})) == every(plain.get("healthy-nsec.lab.", {})),
          "healthy-nsec.lab.: --walk adds no finding", "plain %s, walked %s"
          % (every(plain.get("healthy-nsec.lab.", {})), every(walked.get("healthy-nsec.lab.", {}))))
    # nsec-gap: apex -> ns1 -> ns2 -> www, and www has no NSEC: 4 names, stopped there.
    w = snaps.get("nsec-gap.lab.", {}).get("nsec_walk") or {}
    check(w.get("status") == "incomplete" and w.get("names") == 4 and "www.nsec-gap.lab." in w.get("reason", ""),
          "nsec-gap.lab.: walk incomplete at www after 4 names", "nsec_walk %s" % w)
    notes = walk_notes(walked.get("nsec-gap.lab.", {}))
    check(len(notes) == 1 and notes[0].startswith("walk incomplete"), "nsec-gap.lab.: one note says so", str(notes))
    for zone in ("healthy-nsec3.lab.", "healthy-unsigned.lab."):
        w = snaps.get(zone, {}).get("nsec_walk") or {}
        check(w.get("status") == "skipped" and w.get("reason"), "%s: walk skipped with a reason" % zone, "nsec_walk %s" % w)
        notes = walk_notes(walked.get(zone, {}))
        check(len(notes) == 1 and notes[0].startswith("walk skipped"), "%s: one note says the walk is skipped" % zone,
              str(notes))
        check(not asked(snaps.get(zone, {}), "NSEC"), "%s: no NSEC query sent" % zone, str(asked(snaps[zone], "NSEC")))
        check(not loud(walked.get(zone, {})), "%s: nothing loud" % zone, str(loud(walked.get(zone, {}))))

    # --save / --restore: the walked exchanges and the walk's record are part of the snapshot.
    report = os.path.join(work, "restored.json")
    p = subprocess.run([exe, "audit", "--restore", os.path.join(work, "walk.snapshot.json"), "--format", "json",
                        "--output", report], capture_output=True, text=True, timeout=120)
    restored = {z["zone"]: z for z in json.load(open(report))["zones"]} if p.returncode in (0, 1) else {}
    for zone in zones:
        check(restored and every(restored.get(zone, {})) == every(walked.get(zone, {})) and
              restored.get(zone, {}).get("notes") == walked.get(zone, {}).get("notes"),
              "%s: --restore gives the same findings and notes" % zone,
              "exit %d %s" % (p.returncode, p.stderr.strip()))

    # A limit the user chose: said, never failed.
    status, limited, lsnaps = audit(exe, ["healthy-nsec.lab."], ["--walk", "--walk-limit", "2"], work, "limit")
    w = lsnaps.get("healthy-nsec.lab.", {}).get("nsec_walk") or {}
    check(status == 0, "--walk-limit 2: exit status 0", "exit status %d" % status)
    check(w.get("status") == "incomplete" and w.get("names") == 2 and "--walk-limit" in w.get("reason", ""),
          "--walk-limit 2: walk incomplete after 2 names", "nsec_walk %s" % w)
    notes = walk_notes(limited.get("healthy-nsec.lab.", {}))
    check(len(notes) == 1 and notes[0].startswith("walk incomplete"), "--walk-limit 2: one note says so", str(notes))
    check(not loud(limited.get("healthy-nsec.lab.", {})), "--walk-limit 2: nothing loud",
          str(loud(limited.get("healthy-nsec.lab.", {}))))

    # The deadline: the silent server's answers are still awaited when it passes.
    status, late, dsnaps = audit(exe, ["lame-silent.lab."], ["--walk", "--deadline", "2500ms"], work, "deadline")
    w = dsnaps.get("lame-silent.lab.", {}).get("nsec_walk") or {}
    check(status in (0, 1) and w.get("status") == "incomplete" and w.get("reason"),
          "--deadline during the walk: walk incomplete with a reason", "exit %d, nsec_walk %s" % (status, w))
    notes = walk_notes(late.get("lame-silent.lab.", {}))
    check(len(notes) == 1 and notes[0].startswith("walk incomplete"), "--deadline during the walk: one note says so",
          str(notes))

    for bad in (["--restore", os.path.join(work, "walk.snapshot.json"), "--walk"],
                ["healthy-nsec.lab.", "--walk", "--walk-limit", "0"],
                ["healthy-nsec.lab.", "--walk-limit", "5"]):
        p = subprocess.run([exe, "audit"] + bad, capture_output=True, text=True, timeout=60)
        check(p.returncode == 2 and p.stderr.count("\n") == 1, "bad arguments %s: exit 2, one line" % bad,
              "exit %d: %s" % (p.returncode, p.stderr.strip()))

    print("%d passed, %d failed" % (results.count(True), results.count(False)))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
