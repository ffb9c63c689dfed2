#!/usr/bin/python3
"""`zonewarden audit --zone-file` against the lab. Run inside the lab:

    tests/lab/lab.py run -- python3 tests/lab/test_zone_file.py build/src/cli/zonewarden

The expectations are written by hand from the zones lab.py builds (ZoneBuild.text: SOA, NS,
nsJ A/AAAA, www A/AAAA and a TXT at the apex), never recorded from zonewarden's output:

- healthy-nsec.lab. (signed) and healthy-unsigned.lab., each compared with the very file its
  servers serve ($LAB_DIR/zones/<zone>zone): no consistency/zone-file finding and no finding
  that the audit without --zone-file does not have;
- healthy-unsigned.lab. compared with an edited copy of that file (unsigned, so the file's own
  validation has nothing to say): a TXT added at new. (missing on every server, NXDOMAIN), the
  AAAA of www removed (extra: the servers serve it, --name www asks it), the apex TXT changed
  and the SOA serial raised by one (different): exactly those four findings, on every server
  address, and the SOA one says that the file's serial is newer;
- soa-serial.lab. (ns2 serves a copy with serial + 1) compared with the main file: exactly one
  finding, at the apex SOA, naming both addresses of ns2 and nothing else; the file's serial
  is the older;
- healthy-nsec.lab. compared with a copy of its signed file whose apex TXT was changed without
  signing it again: the TXT differs on every server (consistency/zone-file), and the file's own
  validation reports the now invalid signature (dnssec/rrsig-invalid, "in the zone file");
  nothing else is a warning or an error;
- rrsig-expired.lab. compared with the very file its servers serve: the expired signatures are
  found live and in the file, and reported once each (the live finding, with the file's
  location added as evidence): the same findings as without --zone-file;
- --save then --restore replays the comparison: the same findings and notes;
- --zone-file with --restore, a missing file, a malformed file, a file of another zone, FILE
  with several zones, an unknown ZONE=, and --zone-file-limit without --zone-file: exit 2, one
  line on stderr;
- --zone-file-limit 3: a note says that the limit was reached; exit status 0.

Prints one PASS/FAIL line per check and `N passed, M failed`; exit 1 on any failure, 77 outside
the lab.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

from test_walk import audit  # one audit with --save: (exit status, report by zone, snapshot by zone)

SKIP = 77
RULE = "consistency/zone-file"

results = []


def check(ok, what, detail=""):
    results.append(bool(ok))
    print("%s %s%s" % ("PASS" if ok else "FAIL", what, "" if ok else ": " + detail), flush=True)


def every(zone_result):
    return sorted({(f["rule"], f["severity"], f.get("owner") or "", f.get("type") or "")
                   for f in zone_result.get("findings", [])})


def ours(zone_result):
    return sorted((f.get("owner") or "", f.get("type") or "") for f in zone_result.get("findings", [])
                  if f["rule"] == RULE)


def finding(zone_result, owner, rtype):
    for f in zone_result.get("findings", []):
        if f["rule"] == RULE and f.get("owner") == owner and f.get("type") == rtype:
            return f
    return {}


def main():
    if len(sys.argv) < 2:
        print("usage: test_zone_file.py ZONEWARDEN", file=sys.stderr)
        return 2
    exe = os.path.abspath(sys.argv[1])
    if any(v not in os.environ for v in ("ZW_LAB_SCENARIOS", "ZW_LAB_HINTS", "ZW_LAB_ANCHOR", "LAB_DIR")):
        print("test_zone_file: run me inside tests/lab/lab.py run -- ...")
        return SKIP
    zdir = os.path.join(os.environ["LAB_DIR"], "zones")
    work = tempfile.mkdtemp(prefix="zw-zone-file-")

    # The very files the servers serve: nothing new.
    for zone in ("healthy-nsec.lab.", "healthy-unsigned.lab."):
        path = os.path.join(zdir, zone + "zone")
        _, plain, _ = audit(exe, [zone], [], work, zone + "plain")
        status, same, _ = audit(exe, [zone], ["--zone-file", path], work, zone + "same")
        check(status in (0, 1) and same, "%s: audit --zone-file ran" % zone, "exit %d" % status)
        check(not ours(same.get(zone, {})), "%s: the served file: no %s finding" % (zone, RULE),
              str(ours(same.get(zone, {}))))
        check(every(same.get(zone, {})) == every(plain.get(zone, {})), "%s: the served file adds no finding" % zone,
              "plain %s, with the file %s" % (every(plain.get(zone, {})), every(same.get(zone, {}))))
        notes = [n for n in same.get(zone, {}).get("notes", []) if n.startswith("zone file")]
        check(any("asked of every server" in n for n in notes), "%s: a note says what was asked" % zone, str(notes))

    # An edited copy of healthy-unsigned's file.
    zone = "healthy-unsigned.lab."
    with open(os.path.join(zdir, zone + "zone")) as f:
        text = f.read()
    serial = None
    lines = []
    for line in text.splitlines():
        t = line.split()
        if len(t) >= 7 and t[3] == "SOA" and serial is None:
            serial = int(t[6])
            t[6] = str(serial + 1)
            line = " ".join(t)
        elif len(t) >= 4 and t[0] == "www." + zone and t[3] == "AAAA":
            continue
        elif len(t) >= 4 and t[0] == zone and t[3] == "TXT":
            line = '%s 300 IN TXT "edited by hand"' % zone
        lines.append(line)
    lines.append('new.%s 300 IN TXT "added by hand"' % zone)
    edited = os.path.join(work, "edited.zone")
    with open(edited, "w") as f:
        f.write("\n".join(lines) + "\n")
    check(serial is not None, "the unsigned file has an SOA", text[:200])
    status, diff, _ = audit(exe, [zone], ["--zone-file", edited, "--name", "www." + zone], work, "edited")
    want = sorted([(zone, "SOA"), (zone, "TXT"), ("new." + zone, "TXT"), ("www." + zone, "AAAA")])
    check(ours(diff.get(zone, {})) == want, "edited file: exactly %s" % want, "got %s" % ours(diff.get(zone, {})))
    others = sorted({(r, s, o, t) for r, s, o, t in every(diff.get(zone, {})) if r != RULE})
    _, plain, _ = audit(exe, [zone], ["--name", "www." + zone], work, "edited-plain")
    check(others == every(plain.get(zone, {})), "edited file: no other new finding",
          "%s vs %s" % (others, every(plain.get(zone, {}))))
    addresses = len(diff.get(zone, {}).get("servers", []))
    for (owner, rtype), kind in ((("new." + zone, "TXT"), "missing"), (("www." + zone, "AAAA"), "extra"),
                                 ((zone, "TXT"), "different"), ((zone, "SOA"), "different")):
        f = finding(diff.get(zone, {}), owner, rtype)
        check(f.get("severity") == "warning" and kind in f.get("message", "") and
              len(f.get("servers", [])) == addresses and addresses == 4,
              "edited file: %s %s is %s on all 4 addresses, a warning" % (owner, rtype, kind), str(f))
        check(f.get("resolver", {}).get("rcode") == "NOERROR", "edited file: %s %s: NOERROR" % (owner, rtype), str(f))
    f = finding(diff.get(zone, {}), "new." + zone, "TXT")
    check("NXDOMAIN" in f.get("message", ""), "edited file: the added name is NXDOMAIN on the servers", str(f))
    f = finding(diff.get(zone, {}), zone, "SOA")
    check(any("serial" in e and "newer" in e and str(serial + 1) in e for e in f.get("evidence", [])),
          "edited file: the SOA finding says the file's serial is newer", str(f.get("evidence")))
    f = finding(diff.get(zone, {}), zone, "TXT")
    check(any("edited by hand" in e for e in f.get("evidence", [])) and
          any("zonewarden lab scenario" in e for e in f.get("evidence", [])),
          "edited file: the TXT finding shows both records", str(f.get("evidence")))

    # A signed file edited without signing it again: both the comparison and the validation see it.
    zone = "healthy-nsec.lab."
    with open(os.path.join(zdir, zone + "zone")) as f:
        lines = []
        for line in f.read().splitlines():
            t = line.split()
            if len(t) >= 4 and t[0] == zone and t[3] == "TXT":
                line = '%s 300 IN TXT "edited, not signed again"' % zone
            lines.append(line)
    unsigned_edit = os.path.join(work, "healthy-nsec-edited.zone")
    with open(unsigned_edit, "w") as f:
        f.write("\n".join(lines) + "\n")
    status, signed, _ = audit(exe, [zone], ["--zone-file", unsigned_edit], work, "signed-edit")
    loud = sorted({(f["rule"], f.get("owner"), f.get("type")) for f in signed.get(zone, {}).get("findings", [])
                   if f["severity"] in ("warning", "error")})
    want = sorted([(RULE, zone, "TXT"), ("dnssec/rrsig-invalid", zone, "TXT")])
    check(loud == want, "signed file edited: exactly %s" % want, "got %s" % (loud))
    bad_sig = [f for f in signed.get(zone, {}).get("findings", []) if f["rule"] == "dnssec/rrsig-invalid"]
    check(bad_sig and all("in the zone file" in f["message"] and
                          any(e.startswith("zone file: ") and ":" in e[11:] for e in f.get("evidence", []))
                          for f in bad_sig),
          "signed file edited: the invalid signature is the file's, located at file:line", str(bad_sig))

    # A live fault that the file has too: reported once, the live finding with the file's location.
    zone = "rrsig-expired.lab."
    _, plain, _ = audit(exe, [zone], [], work, "expired-plain")
    status, both, _ = audit(exe, [zone], ["--zone-file", os.path.join(zdir, zone + "zone")], work, "expired")
    check(every(both.get(zone, {})) == every(plain.get(zone, {})) and
          any(f["rule"] == "dnssec/rrsig-expired" for f in plain.get(zone, {}).get("findings", [])),
          "rrsig-expired.lab.: the file's expired signatures add no finding",
          "plain %s, with the file %s" % (every(plain.get(zone, {})), every(both.get(zone, {}))))
    expired = [f for f in both.get(zone, {}).get("findings", []) if f["rule"] == "dnssec/rrsig-expired"]
    check(expired and all("in the zone file" not in f["message"] for f in expired) and
          any(any(e.startswith("also in the zone file: ") for e in f.get("evidence", [])) for f in expired),
          "rrsig-expired.lab.: the live finding carries the file's location", str(expired[:1]))

    # --restore replays the comparison.
    zone = "healthy-unsigned.lab."
    report = os.path.join(work, "restored.json")
    p = subprocess.run([exe, "audit", "--restore", os.path.join(work, "edited.snapshot.json"), "--format", "json",
                        "--output", report], capture_output=True, text=True, timeout=120)
    restored = {z["zone"]: z for z in json.load(open(report))["zones"]} if p.returncode in (0, 1) else {}
    check(restored and every(restored.get(zone, {})) == every(diff.get(zone, {})) and
          restored.get(zone, {}).get("notes") == diff.get(zone, {}).get("notes"),
          "edited file: --restore gives the same findings and notes", "exit %d %s" % (p.returncode, p.stderr.strip()))

    # soa-serial: ns2 serves serial + 1; the main file is the older copy.
    zone = "soa-serial.lab."
    status, soa, _ = audit(exe, [zone], ["--zone-file", "%s=%s" % (zone, os.path.join(zdir, zone + "zone"))],
                             work, "soa-serial")
    check(ours(soa.get(zone, {})) == [(zone, "SOA")], "soa-serial.lab.: exactly one finding, the apex SOA",
          "got %s" % ours(soa.get(zone, {})))
    f = finding(soa.get(zone, {}), zone, "SOA")
    servers = f.get("servers", [])
    check(len(servers) == 2 and all(s.startswith("ns2." + zone + "/") for s in servers),
          "soa-serial.lab.: the finding names both addresses of ns2, and only them", str(servers))
    check(any("older" in e for e in f.get("evidence", [])), "soa-serial.lab.: the file's serial is the older",
          str(f.get("evidence")))

    # The limit: said in a note, never a failure.
    zone = "healthy-unsigned.lab."
    status, limited, _ = audit(exe, [zone], ["--zone-file", os.path.join(zdir, zone + "zone"),
                                               "--zone-file-limit", "3"], work, "limit")
    notes = limited.get(zone, {}).get("notes", [])
    check(status == 0 and any("--zone-file-limit" in n for n in notes), "--zone-file-limit 3: exit 0, said in a note",
          "exit %d, notes %s" % (status, notes))

    malformed = os.path.join(work, "malformed.zone")
    with open(malformed, "w") as f:
        f.write("$TTL 300\nhealthy-unsigned.lab. IN SOA ns1 host 1 2 3 4 5\nthis is not a record !!!\n")
    other = os.path.join(zdir, "healthy-nsec.lab.zone")
    for bad in (["--restore", os.path.join(work, "edited.snapshot.json"), "--zone-file", edited],
                [zone, "--zone-file", os.path.join(work, "no-such.zone")],
                [zone, "--zone-file", malformed],
                [zone, "--zone-file", other],
                [zone, "healthy-nsec.lab.", "--zone-file", edited],
                [zone, "--zone-file", "nowhere.lab.=" + edited],
                [zone, "--zone-file-limit", "5"]):
        p = subprocess.run([exe, "audit"] + bad + ["--hints", os.environ["ZW_LAB_HINTS"]], capture_output=True,
                           text=True, timeout=60)
        check(p.returncode == 2 and p.stderr.count("\n") == 1, "bad arguments %s: exit 2, one line" % bad[1:],
              "exit %d: %s" % (p.returncode, p.stderr.strip()))
    p = subprocess.run([exe, "audit", zone, "--zone-file", malformed, "--hints", os.environ["ZW_LAB_HINTS"]],
                       capture_output=True, text=True, timeout=60)
    check(re.search(r"malformed\.zone:3:", p.stderr), "a malformed file: file:line in the error", p.stderr.strip())

    print("%d passed, %d failed" % (results.count(True), results.count(False)))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
