#!/usr/bin/env python3
"""Writes the handwritten and derived seeds of tests/fuzz/corpus/<target>/ (docs/fuzzing.md).

Run from anywhere: python3 tests/fuzz/make_seeds.py. It only writes the files it names
(seed-*), so crash reproducers and merged inputs beside them are kept. Derived seeds are cut
from the repository's own fixtures; DNS messages are assembled here byte by byte.
"""
import json
import pathlib
import re
import struct

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fuzz" / "corpus"


def write(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (d / ("seed-" + name)).write_bytes(data)


# ---- DNS wire messages ----------------------------------------------------------------------
def name(text):
    out = b""
    for label in [l for l in text.split(".") if l]:
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def header(id_=0x1234, flags=0x8400, qd=1, an=0, ns=0, ar=0):
    return struct.pack("!HHHHHH", id_, flags, qd, an, ns, ar)


def question(qname="example.com", qtype=6, qclass=1):
    return name(qname) + struct.pack("!HH", qtype, qclass)


def rr(owner, rtype, rdata, ttl=3600, rclass=1):
    o = owner if isinstance(owner, bytes) else name(owner)
    return o + struct.pack("!HHIH", rtype, rclass, ttl, len(rdata)) + rdata


def opt(options=b"", version=0, do=True, owner=b"\0", size=1232, ext_rcode=0):
    flags = 0x8000 if do else 0
    ttl = (ext_rcode << 24) | (version << 16) | flags
    return owner + struct.pack("!HHIH", 41, size, ttl, len(options)) + options


PTR_QNAME = b"\xc0\x0c"  # the question name at offset 12
SOA_RDATA = name("ns1.example.com") + name("hostmaster.example.com") + struct.pack("!IIIII", 2026112701, 7200, 3600, 1209600, 300)
RRSIG_SOA = struct.pack("!HBBIIIH", 6, 13, 2, 3600, 1798761600, 1796169600, 12345) + name("example.com") + bytes(range(64))
DNSKEY = struct.pack("!HBB", 257, 3, 13) + bytes(range(64))
DS = struct.pack("!HBB", 12345, 13, 2) + bytes(range(32))
NSEC = name("www.example.com") + bytes([0, 6, 0x62, 0x01, 0x80, 0x08, 0x00, 0x03])
NSEC3 = struct.pack("!BBHB", 1, 0, 0, 0) + bytes([20]) + bytes(range(20)) + bytes([0, 2, 0x60, 0x00])


def dns_seeds():
    q = question()
    yield "soa-answer", header(an=2, ar=1) + q + rr(PTR_QNAME, 6, SOA_RDATA) + rr(PTR_QNAME, 46, RRSIG_SOA) + opt()
    yield "soa-uncompressed", header(an=1) + q + rr("example.com", 6, SOA_RDATA)
    yield "referral-glue-ds", (header(flags=0x8000, ns=3, ar=3) + q + rr(PTR_QNAME, 2, name("ns1.example.com"))
                               + rr(PTR_QNAME, 43, DS) + rr(PTR_QNAME, 46, RRSIG_SOA)
                               + rr("ns1.example.com", 1, bytes([192, 0, 2, 1]))
                               + rr("ns1.example.com", 28, bytes(16)) + opt())
    yield "dnskey", header(an=2, ar=1) + question(qtype=48) + rr(PTR_QNAME, 48, DNSKEY) + rr(PTR_QNAME, 46, RRSIG_SOA) + opt()
    yield "nxdomain-nsec", (header(flags=0x8403, ns=3, ar=1) + question("nx.example.com", 1) + rr("example.com", 6, SOA_RDATA)
                            + rr("example.com", 47, NSEC) + rr("example.com", 46, RRSIG_SOA) + opt())
    yield "nxdomain-nsec3", (header(flags=0x8403, ns=2) + question("nx.example.com", 1)
                             + rr("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example.com", 50, NSEC3)
                             + rr("example.com", 51, bytes([1, 0, 0, 0, 0])))
    yield "truncated-tc", header(flags=0x8600) + q
    yield "servfail-ede", header(flags=0x8402, ar=1) + q + opt(struct.pack("!HHH", 15, 2, 6) + b"")
    yield "refused", header(flags=0x8005) + q
    yield "two-opt", header(ar=2) + q + opt() + opt()
    yield "opt-in-answer", header(an=1) + q + opt()
    yield "opt-not-root", header(ar=1) + q + opt(owner=name("x"))
    yield "opt-version1", header(ar=1) + q + opt(version=1, ext_rcode=1)
    yield "opt-overrun", header(ar=1) + q + opt(struct.pack("!HH", 10, 40) + b"abcd")
    yield "opt-cookie", header(ar=1) + q + opt(struct.pack("!HH", 10, 8) + b"12345678")
    yield "header-only", header(qd=0)
    yield "short", b"\x12\x34\x84"
    yield "counts-lie", header(an=5) + q
    yield "pointer-loop", header(an=1) + q + b"\xc0\x20" + b"\xc0\x1e" + struct.pack("!HHIH", 1, 1, 0, 4) + bytes(4)
    yield "pointer-forward", header(an=1) + q + b"\xc0\xff" + struct.pack("!HHIH", 1, 1, 0, 4) + bytes(4)
    yield "label-64", header(an=0) + bytes([64]) + b"a" * 64 + b"\0" + struct.pack("!HH", 6, 1)
    yield "rdlength-over", header(an=1) + q + PTR_QNAME + struct.pack("!HHIH", 1, 1, 0, 400) + bytes(4)
    yield "unknown-type", header(an=1) + q + rr(PTR_QNAME, 65280, b"\x00\x01binary\xff")
    yield "empty-rdata", header(an=3) + q + rr(PTR_QNAME, 1, b"") + rr(PTR_QNAME, 16, b"") + rr(PTR_QNAME, 46, b"")
    yield "txt-escapes", header(an=1) + q + rr(PTR_QNAME, 16, b"\x05a\"b\\c\x03\x00\x7f\xff")
    yield "odd-owner", header(an=1) + q + rr(b"\x04a.b\\\x03\x00 ;\x00", 1, bytes(4))
    yield "caa-srv-mx", (header(an=3) + q + rr(PTR_QNAME, 257, b"\x00\x05issueca.example")
                         + rr(PTR_QNAME, 33, struct.pack("!HHH", 1, 2, 53) + name("ns1.example.com"))
                         + rr(PTR_QNAME, 15, struct.pack("!H", 10) + PTR_QNAME))
    yield "class-ch", header(an=1) + question(qclass=3) + rr(PTR_QNAME, 16, b"\x03bind", rclass=3)
    yield "query", header(flags=0x0000, ar=1) + q + opt()


# ---- text inputs ----------------------------------------------------------------------------
def read(path):
    return (ROOT / path).read_bytes()


def main():
    for n, data in dns_seeds():
        write("dns_message", n, data)

    for path in ["zones/example.com.zone", "zones/example.org.zone", "tests/fixtures/zones/basic.zone",
                 "tests/fixtures/zones/canonical.zone", "tests/fixtures/zones/sigs.zone",
                 "tests/fixtures/zones/sub/hosts.inc"] + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests/fixtures/zones/bad").glob("*.zone")):
        write("zone_file", pathlib.Path(path).name.replace("/", "_"), read(path))
    zone_extra = {
        "generic.zone": "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 host 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\nx TYPE65280 \\# 3 abcdef\ny CLASS1 TYPE1 \\# 4 c0000201\n",
        "parens.zone": "@ 3600 IN SOA ns1.example.com. host.example.com. (\n 1 ; serial\n 2 3 4 5 )\n@ NS ns1.example.com.\n@ TXT \"a;b\" \"(c)\" \\040\n",
        "include.zone": "$ORIGIN example.com.\n@ SOA ns1 host 1 2 3 4 5\n$INCLUDE sub/hosts.inc\n$INCLUDE /dev/null\n",
        "ttl-units.zone": "$TTL 1w2d3h4m5s\n@ SOA ns1.example.com. h.example.com. 1 1h 1d 1w 1m\n",
        "escapes.zone": "$ORIGIN example.com.\n@ SOA ns1 host 1 2 3 4 5\n\\046dot\\.x A 192.0.2.1\n\\255\\000 AAAA ::1\n",
        "dnssec.zone": "example.com. 300 IN SOA ns1.example.com. h.example.com. 1 2 3 4 5\nexample.com. 300 IN DNSKEY 257 3 13 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==\nexample.com. 300 IN NSEC3PARAM 1 0 0 -\nexample.com. 300 IN NSEC www.example.com. SOA DNSKEY NSEC RRSIG\n",
    }
    for n, text in zone_extra.items():
        write("zone_file", n, text)

    for p in sorted((ROOT / "tests/fixtures/crypto").glob("*.ds"))[:6] + [ROOT / "zones/example.com.ds", ROOT / "zones/broken.example.ds"]:
        write("rr_file", p.name, p.read_bytes())
    rr_extra = {
        "anchor.txt": ". 3600 IN DS 20326 8 2 e06d44b80b8f1d39a95c0b0d7c65d08458e880409bbc683457104237c7f8ec8d\n. 172800 IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3\n",
        "directives.txt": "$ORIGIN example.\n$TTL 60\n@ DS ( 1 13 2\n 0000000000000000000000000000000000000000000000000000000000000000 ) ; c\nsub IN DS 2 13 4 00\n",
        "empty.txt": "; only a comment\n",
        "garbage.txt": "this is not a record\n",
        "crlf.txt": ". 3600 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\r\n",
    }
    for n, text in rr_extra.items():
        write("rr_file", n, text)

    rr_lines = ["www.example. 300 IN A 192.0.2.1", "example. 3600 IN SOA ns1.example. h.example. 1 2 3 4 5",
                "example. 300 IN DNSKEY 257 3 13 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==",
                "example. 300 IN RRSIG SOA 13 1 300 20261227000000 20261127000000 12345 example. AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==",
                "x.example. 300 IN NSEC3 1 1 10 aabb 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A RRSIG",
                "example. 300 IN TYPE65280 \\# 2 abcd", "example. 0 IN TXT \"a b\" c\\032d",
                "Example.COM", "a..b", "\\000.example.", "2001:DB8:0::1", "10.0.0.1", "::ffff:192.0.2.1",
                "TYPE65535", "AAAA", "example. 300 IN CAA 0 issue \"ca.example\"",
                "example. 300 IN DS 1 13 2 " + "00" * 32, "." + "a" * 63 + "." + "b" * 63 + "."]
    for i, line in enumerate(rr_lines):
        write("rr_text", "%02d" % i, line)

    hints = ".  3600000  NS  a.root-servers.net.\n.  3600000  NS  b.root-servers.net.\na.root-servers.net. 3600000 A 192.0.2.4\na.root-servers.net. 3600000 AAAA 2001:db8::2:30\nb.root-servers.net. 3600000 IN A 192.0.2.170\n"
    write("root_hints", "named-root", "; formerly NS.INTERNIC.NET\n$TTL 3600000\n" + hints)
    write("root_hints", "lab", ".  3600000  NS  ns.root.lab.\nns.root.lab.  3600000  A  127.53.0.1\nns.root.lab.  3600000  AAAA  fd53::1\n")
    write("root_hints", "bad-type", ". 1 IN MX 10 a.x.\n")
    write("root_hints", "no-ns", "a.x. A 192.0.2.1\n")
    write("root_hints", "parens", ". 3600000 IN NS ( a.x. )\na.x. 3600000 IN A 192.0.2.1 ; c\n")

    # Snapshots: one small fixture, and smaller cuts of it (one zone, one server, few exchanges).
    snap = json.loads(read("tests/fixtures/rules/delegation/not-delegated/fires-nonexistent-lab.snapshot.json"))
    write("snapshot_json", "fixture.json", json.dumps(snap, sort_keys=True))
    small = json.loads(json.dumps(snap))
    for z in small["zones"]:
        z["ancestors"] = z["ancestors"][:1]
        z["parent_views"] = z["parent_views"][:1]
        for s in z["servers"]:
            s["exchanges"] = s["exchanges"][:2]
        z["servers"] = z["servers"][:1]
    write("snapshot_json", "small.json", json.dumps(small, sort_keys=True))
    minimal = {"kind": "zonewarden-snapshot", "schema": 1, "tool_version": "0.1.0", "started_at": 0,
               "finished_at": 1, "public_root_hints": True, "trust_anchor": [], "zones": []}
    write("snapshot_json", "minimal.json", json.dumps(minimal))
    write("snapshot_json", "bad-schema.json", json.dumps(dict(minimal, schema=2)))
    write("snapshot_json", "not-object.json", "[1, 2, 3]")
    write("snapshot_json", "truncated.json", json.dumps(small)[:300])

    audit = json.loads(read("tests/report/lab-audit.json"))
    edge = read("tests/report/edge-audit.json")
    write("report_json", "edge.json", edge)
    cut = json.loads(json.dumps(audit))
    cut["zones"] = cut["zones"][:2]
    for z in cut["zones"]:
        z["findings"] = z.get("findings", [])[:3]
    write("report_json", "lab-cut.json", json.dumps(cut, sort_keys=True))
    write("report_json", "empty-zones.json", json.dumps(dict(cut, zones=[])))
    write("report_json", "wrong-types.json", json.dumps(dict(cut, schema="1", zones={})))
    write("report_json", "not-json.json", "{\"schema\": 1,")

    policies = {
        "strict": read("profiles/strict.toml"), "default": read("profiles/default.toml"),
        "docs": b"name = \"acme\"\n[rules]\nenable = [\"dnssec/*\", \"delegation/*\"]\ndisable = [\"delegation/ns-address-not-public\"]\n[severity]\n\"delegation/lame-*\" = \"error\"\n\"dnssec/rrsig-expiring-soon\" = \"notice\"\n[thresholds]\nexpiry_window = \"7d\"\nallowed_algorithms = [8, 13, 15]\nmin_rsa_bits = 2048\nmax_nsec3_iterations = 0\n",
        "unknown-key": b"[thresholds]\nexpiry = 1\n", "bad-syntax": b"[rules\nenable = \n",
    }
    for n, text in policies.items():
        write("policy", n + ".toml", b"\0" + text)
    yaml_policies = {
        "docs": "name: acme\nrules:\n  enable: [\"dnssec/*\", \"delegation/*\"]\n  disable:\n    - delegation/ns-address-not-public\nseverity:\n  \"delegation/lame-*\": error\n  dnssec/rrsig-expiring-soon: notice\nthresholds:\n  expiry_window: 7d\n  allowed_algorithms: [8, 13, 15]\n  min_rsa_bits: 2048\n",
        "anchors": "base: &b {min_rsa_bits: 1024}\nthresholds: *b\n",
        "dup-key": "name: a\nname: b\n", "tags": "name: !!str 1\nthresholds:\n  min_rsa_bits: !!int \"2048\"\n",
        "deep": "a: " + "[" * 40 + "]" * 40 + "\n",
    }
    for n, text in yaml_policies.items():
        write("policy", n + ".yaml", b"\1" + text.encode())

    waivers_toml = {
        "docs": "[[waiver]]\nrule = \"delegation/lame-*\"\nzone = \"example.com.\"\nserver = \"ns2.example.com.\"\nreason = \"ns2 is being retired, OPS-142\"\nexpires = \"2027-01-31\"\n\n[[waiver]]\nrule = \"dnssec/rrsig-expiring-soon\"\nowner = \"legacy.example.com.\"\ntype = \"A\"\nreason = \"signed by hand\"\nexpires = 2026-12-31T12:00:00Z\n",
        "offset": "[[waiver]]\nrule = \"dnssec/*\"\nreason = \"r\"\nexpires = 2026-12-31T12:00:00+14:00\n",
        "local-date": "[[waiver]]\nrule = \"dnssec/*\"\nreason = \"r\"\nexpires = 2026-12-31\n",
        "missing-reason": "[[waiver]]\nrule = \"dnssec/*\"\nexpires = \"2027-01-01\"\n",
    }
    for n, text in waivers_toml.items():
        write("waivers", n + ".toml", b"\0" + text.encode())
    waivers_yaml = {
        "docs": "waivers:\n  - rule: delegation/lame-*\n    zone: example.com.\n    server: ns2.example.com.\n    reason: ns2 is being retired, OPS-142\n    expires: 2027-01-31\n  - rule: dnssec/rrsig-expiring-soon\n    owner: legacy.example.com.\n    type: A\n    reason: signed by hand every Monday\n    expires: \"2026-12-31T12:00:00Z\"\n",
        "not-list": "waivers: 3\n", "null": "waivers:\n  - ~\n",
    }
    for n, text in waivers_yaml.items():
        write("waivers", n + ".yaml", b"\1" + text.encode())

    times = ["2026-11-27T12:00:00Z", "2026-11-27", "20261127120000", "@1796000000", "@253402300799",
             "@253402300800", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2024-02-29", "2026-02-29",
             "2026-11-27 12:00:00", "2026-11-27T24:00:00Z", "3d", "72h", "90m", "45s", "250ms", "0.5",
             "1.999999999999s", "36600d", "99999999999999999999", ".5m", "5x", ""]
    for i, t in enumerate(times):
        write("time", "%02d" % i, t)


if __name__ == "__main__":
    main()
