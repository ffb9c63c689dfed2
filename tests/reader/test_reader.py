#!/usr/bin/env python3
"""The zone loader reads the file forms real zone files use exactly as ldns and BIND do.

    test_reader.py ZONE_DUMP ZONEWARDEN

For each fixture in this directory, the records zonewarden's loader reads (zone_dump: owner,
TTL, type, canonical RDATA in RFC 3597 form) must be the records the oracle reads, no more and
no fewer: `ldns-read-zone -z -U NULL` for the forms both readers accept, BIND's
named-checkzone (its dump then read by ldns for the same form) for the forms only BIND
accepts ($GENERATE, the class before the TTL, relative $INCLUDE origins, the TTL of records
that state none before any $TTL); types libzscanner does not read (MB, WKS, HIP, DLV, ...)
against ldns. Names are compared
in wire form, so escaping styles do not matter. Then the files that must fail give a one-line
`file:line:` reason and exit 2, and a finding after a $GENERATE names the right line.

Exit 77 (skipped) when ldns-read-zone or named-checkzone is missing.
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# fixture, origin, oracle
CASES = [
    ("forms.zone", "forms.example.", "ldns"),
    ("split-base64-signed.zone", "example.", "ldns"),
    ("bind-forms.zone", "bind.example.", "bind"),
    ("include.zone", "inc.example.", "bind"),
    ("obsolete-types.zone", "obsolete.example.", "ldns"),
    ("ttl-inherit.zone", "ttl.example.", "bind"),
    ("ttl-soa-minimum.zone", "minttl.example.", "bind"),
]


def name_to_wire(text):
    """Presentation-format absolute name -> lower-cased wire labels (RFC 1035 §5.1 escapes)."""
    labels, label, i = [], bytearray(), 0
    if text == ".":
        return b"\x00"
    while i < len(text):
        c = text[i]
        if c == "\\":
            if text[i + 1:i + 4].isdigit() and len(text[i + 1:i + 4]) == 3:
                label.append(int(text[i + 1:i + 4]))
                i += 4
            else:
                label += text[i + 1].encode()
                i += 2
            continue
        if c == ".":
            labels.append(bytes(label))
            label = bytearray()
        else:
            label += c.encode()
        i += 1
    if label:
        raise ValueError(f"not absolute: {text}")
    return b"".join(bytes([len(l)]) + l.lower() for l in labels) + b"\x00"


def records(lines):
    """Lines `owner TTL IN TYPEn \\# len hex` -> set of (owner wire, ttl, type, rdata hex)."""
    out = set()
    for line in lines:
        if not line.strip() or line.startswith(";"):
            continue
        f = line.split()
        m = re.fullmatch(r"TYPE(\d+)", f[3])
        # ldns names NULL (10) even in RFC 3597 form: it has no other presentation format.
        rtype = 10 if f[3] == "NULL" else int(m.group(1)) if m else None
        assert f[2] == "IN" and rtype is not None and f[4] == "\\#", f"unexpected line: {line}"
        out.add((name_to_wire(f[0]), int(f[1]), rtype, "".join(f[6:]).lower()))
    return out


def ldns_records(path):
    r = subprocess.run(["ldns-read-zone", "-z", "-U", "NULL", path], capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError(f"ldns-read-zone {path}: {r.stdout}{r.stderr}")
    return records(r.stdout.splitlines())


def bind_records(path, origin, tmp):
    dump = os.path.join(tmp, "bind-dump.zone")
    # -i none: load only, as a server does (BIND's integrity checks are our rules' business).
    r = subprocess.run(["named-checkzone", "-i", "none", "-D", "-o", dump, origin, path], capture_output=True,
                       text=True, cwd=os.path.dirname(path))
    if r.returncode != 0:
        raise AssertionError(f"named-checkzone {path}: {r.stdout}{r.stderr}")
    # BIND prints an IPSECKEY's key in words that ldns does not join back; join them.
    fixed = []
    for line in open(dump):
        f = line.split()
        if len(f) > 9 and f[3] == "IPSECKEY":
            line = "\t".join(f[:8] + ["".join(f[8:])]) + "\n"
        fixed.append(line)
    with open(dump, "w") as out:
        out.writelines(fixed)
    return ldns_records(dump)


def ours(zone_dump, path, origin):
    r = subprocess.run([zone_dump, path, origin], capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError(f"zone_dump {path}: {r.stderr.strip()}")
    return records(r.stdout.splitlines())


def show(rec):
    owner, ttl, rtype, rdata = rec
    return f"{owner.hex()} {ttl} TYPE{rtype} {rdata}"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    zone_dump, zonewarden = sys.argv[1:]
    for tool in ("ldns-read-zone", "named-checkzone"):
        if shutil.which(tool) is None:
            print(f"SKIP: {tool} not installed (scripts/install-deps)")
            sys.exit(77)
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for fixture, origin, oracle in CASES:
            path = os.path.join(HERE, fixture)
            try:
                mine = ours(zone_dump, path, origin)
                theirs = ldns_records(path) if oracle == "ldns" else bind_records(path, origin, tmp)
            except AssertionError as e:
                failures.append(f"{fixture}: {e}")
                continue
            if mine != theirs:
                lines = [f"{fixture}: the loader and {oracle} read different records"]
                lines += [f"  only ours:   {show(r)}" for r in sorted(mine - theirs)]
                lines += [f"  only {oracle}: {show(r)}" for r in sorted(theirs - mine)]
                failures.append("\n".join(lines))
            else:
                print(f"ok   {fixture}: {len(mine)} records, the same as {oracle}")

        # A file with CRLF line ends (written on Windows): BIND and ldns read it, libzscanner
        # refuses it; the loader reads the records of the same file with LF line ends.
        crlf = os.path.join(tmp, "forms-crlf.zone")
        with open(os.path.join(HERE, "forms.zone"), "rb") as src, open(crlf, "wb") as dst:
            dst.write(src.read().replace(b"\n", b"\r\n"))
        try:
            if ours(zone_dump, crlf, "forms.example.") != ldns_records(os.path.join(HERE, "forms.zone")):
                failures.append("forms.zone with CRLF line ends: other records than with LF")
            else:
                print("ok   forms.zone with CRLF line ends: the same records")
        except AssertionError as e:
            failures.append(f"forms.zone with CRLF line ends: {e}")

        # Types BIND reads and ldns does not, whose RDATA has the format of a type ldns reads
        # (NINFO, AVC and RFC 9606's RESINFO: TXT's character-strings; RKEY: DNSKEY's fields):
        # the RDATA written by hand here from those formats.
        key = "AQPSKmynfzW4kyBv015MUG2DeIQ3"
        expected = {
            (name_to_wire("ninfo.alias.example."), 300, 56, "05" + b"hello".hex() + "05" + b"world".hex()),
            (name_to_wire("avc.alias.example."), 300, 258, "11" + b"app-name:WOLFGANG".hex()),
            (name_to_wire("resinfo.alias.example."), 300, 261, "08" + b"qnamemin".hex() + "06" + b"exterr".hex()),
            (name_to_wire("rkey.alias.example."), 300, 57, "0000" + "03" + "05" + base64.b64decode(key).hex()),
        }
        alias_zone = os.path.join(tmp, "alias.example.zone")
        with open(alias_zone, "w") as f:
            f.write("$ORIGIN alias.example.\n$TTL 300\n@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\n"
                    "ns A 192.0.2.1\nninfo NINFO \"hello\" world\navc AVC \"app-name:WOLFGANG\"\n"
                    f"resinfo RESINFO qnamemin exterr\nrkey RKEY 0 3 5 ( {key[:10]}\n {key[10:]} )\n")
        try:
            mine = {r for r in ours(zone_dump, alias_zone, "alias.example.") if r[2] in (56, 57, 258, 261)}
            if mine != expected:
                failures.append(f"NINFO/RKEY/AVC/RESINFO: read {sorted(map(show, mine))}, expected "
                                f"{sorted(map(show, expected))}")
            else:
                print("ok   NINFO, RKEY, AVC and RESINFO read as their RDATA formats say")
        except AssertionError as e:
            failures.append(f"NINFO/RKEY/AVC/RESINFO: {e}")

        # The signed fixture's signatures cover the joined Base64: every one must verify.
        r = subprocess.run([zonewarden, "check", "--format", "json", "--now", "2026-12-01",
                            os.path.join(HERE, "split-base64-signed.zone")], capture_output=True, text=True)
        doc = json.loads(r.stdout) if r.stdout.startswith("{") else {}
        findings = [f for z in doc.get("zones", []) for f in z.get("findings", [])]
        if r.returncode != 0 or findings:
            failures.append(f"split-base64-signed.zone: check exit {r.returncode}, findings "
                            f"{[f.get('rule') for f in findings]}: {r.stderr.strip()}")
        else:
            print("ok   split-base64-signed.zone: check verifies every signature over the joined fields")

        # Lines after a $GENERATE, a joined multi-line record and a multi-line record rewritten in
        # RFC 3597 form keep their numbers.
        rewritten = {
            "$GENERATE and a joined record": "$GENERATE 1-40 h$ 300 IN A 192.0.2.$\n"                      # 5
                                             "t 300 IN TLSA 3 1 1 ( 0 123456789abcdef0123456789abcdef\n"   # 6
                                             "  0123456789abcdef0123456789abcdef )\n",                     # 7
            "an MB record in RFC 3597 form": "m 300 IN MB ( mail\n"                                        # 5
                                             "  ; a comment inside the record\n"                           # 6
                                             "  ) \n",                                                     # 7
        }
        for what, middle in rewritten.items():
            lines_zone = os.path.join(tmp, "lines.example.zone")
            with open(lines_zone, "w") as f:
                f.write("$ORIGIN lines.example.\n"                                   # 1
                        "@ 300 IN SOA ns hostmaster 1 3600 600 86400 300\n"          # 2
                        "@ 300 IN NS ns\n"                                           # 3
                        "ns 300 IN A 192.0.2.1\n" + middle +                         # 4
                        "x 300 IN CNAME ns\n"                                        # 8
                        "x 300 IN TXT \"other data\"\n")                             # 9
            r = subprocess.run([zonewarden, "check", "--format", "json", lines_zone], capture_output=True, text=True)
            text = r.stdout
            if r.returncode != 1 or "lines.example.zone:8" not in text or "lines.example.zone:9" not in text:
                failures.append(f"lines after {what}: exit {r.returncode}, expected zone/cname-and-other-data at "
                                f"lines 8 and 9: {text[:600]}{r.stderr.strip()}")
            else:
                print(f"ok   a finding after {what} names lines 8 and 9")

        # What no reader accepts gets a one-line reason at the right line and exit 2.
        bad = {
            "$GENERATE 5-1 h$ A 192.0.2.$\n": ":4: $GENERATE: invalid range",
            "$GENERATE 1-2 h${0,3,q} A 192.0.2.$\n": ":4: $GENERATE: invalid ${0,3,q}",
            "$GENERATE 1-2 h$ A 192.0.2.$ extra\n": ":4: $GENERATE: text after the rdata",
            "k 300 IN DNSKEY 257 3 13 ( AwEAA\n  b!cd )\n": ":4: invalid Base64 character",
            "d 300 IN DS 1 13 2 ( 0a0b\n  0c0 )\n": ":4:",
            # AMTRELAY (RFC 8777): BIND reads it, neither libzscanner 3.2 nor ldns 1.8 does (nor is its
            # format another type's).
            "a 300 IN AMTRELAY 0 0 3 relay.example.\n": ":4: unsupported record type AMTRELAY: neither libzscanner "
                                                        "nor ldns reads it",
            # A type only ldns reads, with its RDATA missing: ldns's reason.
            "m 300 IN MB\n": ":4: MB record: syntax error",
            # A raw line break inside a quoted string is not handed to ldns (docs/fuzzing.md).
            "x 300 IN X25 \"3110\n61700956\"\n": ":4: X25 record: a line break inside a quoted string",
        }
        for tail, expected in bad.items():
            path = os.path.join(tmp, "bad.example.zone")
            with open(path, "w") as f:
                f.write("$ORIGIN bad.example.\n@ 300 IN SOA ns hm 1 2 3 4 5\n@ 300 IN NS ns\n" + tail)
            r = subprocess.run([zonewarden, "check", path], capture_output=True, text=True)
            err = r.stderr.strip()
            if r.returncode != 2 or expected not in err or "\n" in err:
                failures.append(f"{tail.strip()!r}: exit {r.returncode}, stderr {err!r}, expected {expected!r}")
            else:
                print(f"ok   refused: {err}")

    for f in failures:
        print(f"FAIL {f}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
