#!/usr/bin/python3
"""Proves the lab's planted faults are real. Run inside the lab:

    tests/lab/lab.py run -- python3 tests/lab/selftest.py [-v]

For every scenario in $ZW_LAB_SCENARIOS it checks, with dig:
  * the validating Unbound ($ZW_LAB_RESOLVER): `<zone> SOA +dnssec` gives the declared rcode and EDE
    (or NOERROR, with AD exactly when the zone is signed and has a DS, when `resolver` is null);
  * the parent (lab. servers): NS set, glue and DS presence as declared;
  * the zone-wide fault (`fault` in scenarios.json), on the wire of a healthy server: keys, RRSIG
    fields, TTLs, DS set, NSEC chain and NSEC3 parameters are what the fault says they are;
  * every server address: answers as its declared behaviour says (authoritative with the declared
    serial over UDP and TCP, REFUSED, SERVFAIL, no AA, ICMP refused, timeout, ...). The hostile
    servers are checked with raw sockets, since dig only reports that it got no usable answer.
Prints one line per scenario and `N passed, M failed`; exits 1 on any failure.
"""

import concurrent.futures
import json
import os
import re
import socket
import struct
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # keep tests/lab free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import labdns  # noqa: E402

TLD_SERVERS = ["127.53.0.3", "fd53::4"]
# Unbound 1.17 sometimes keeps re-asking the TC-only server for minutes before it settles on the
# healthy one (see README); its resolver check may time out without failing the scenario.
RESOLVER_MAY_HANG = {"tc-no-tcp"}
RESOLVER_ATTEMPTS = 3
RESOLVER_TIME = 8


def dig(*args, timeout=15):
    argv = ["dig", "+nocookie"] + list(args)
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"out": "", "rc": None, "status": None, "flags": set(), "ede": None, "answer": [], "authority": [],
                "additional": [], "argv": argv}
    out = p.stdout
    m = re.search(r"status: (\w+)", out)
    fl = re.search(r";; flags: ([a-z ]*);", out)
    ede = re.search(r"; EDE: (\d+)", out)
    sections, cur = {"ANSWER": [], "AUTHORITY": [], "ADDITIONAL": []}, None
    for line in out.splitlines():
        h = re.match(r";; (\w+) SECTION:", line)
        if h:
            cur = h.group(1) if h.group(1) in sections else None
            continue
        if not line.strip() or line.startswith(";"):
            if not line.strip():
                cur = None
            continue
        if cur:
            sections[cur].append(line.split())
    return {"out": out, "rc": p.returncode, "status": m.group(1) if m else None,
            "flags": set(fl.group(1).split()) if fl else set(), "ede": int(ede.group(1)) if ede else None,
            "answer": sections["ANSWER"], "authority": sections["AUTHORITY"], "additional": sections["ADDITIONAL"],
            "argv": argv}


def rrs(section, rtype, owner=None):
    return [r for r in section if len(r) > 4 and r[3] == rtype and (owner is None or r[0].lower() == owner)]


class Checker:
    def __init__(self, zone):
        self.zone, self.problems, self.checks, self.notes = zone, [], 0, []

    def expect(self, cond, msg):
        self.checks += 1
        if not cond:
            self.problems.append(msg)
        return cond


def check_resolver(c, sc, resolver):
    want = sc["resolver"]
    hang_ok = any(s["behaviour"] in RESOLVER_MAY_HANG for s in sc["servers"])
    # With a silent or hostile server among the NS, Unbound may first spend its whole query budget
    # on that server (it retries it several times); a client retry then gets the answer from the
    # healthy one. So "resolves" is checked with up to RESOLVER_ATTEMPTS queries.
    attempts = RESOLVER_ATTEMPTS if want is None else 1
    for attempt in range(attempts):
        r = dig("@" + resolver, sc["zone"], "SOA", "+dnssec", "+time=%d" % RESOLVER_TIME, "+tries=1", timeout=40)
        if r["status"] is not None:
            break
    if r["status"] is None and hang_ok:
        return  # tolerated, see RESOLVER_MAY_HANG
    if want is None:
        c.expect(r["status"] == "NOERROR", "resolver: status %s, want NOERROR" % r["status"])
        want_ad = sc["signed"] and sc["ds_in_parent"]
        c.expect(("ad" in r["flags"]) == want_ad, "resolver: AD %s, want %s" % ("ad" in r["flags"], want_ad))
    else:
        c.expect(r["status"] == want["rcode"], "resolver: status %s, want %s" % (r["status"], want["rcode"]))
        if want.get("ede") is not None:
            c.expect(r["ede"] == want["ede"], "resolver: EDE %s, want %s" % (r["ede"], want["ede"]))
    if attempt and r["status"] is not None:
        c.notes.append("resolver answered on attempt %d" % (attempt + 1))


def check_parent(c, sc):
    for tld in TLD_SERVERS:
        r = dig("@" + tld, sc["zone"], "NS", "+norec", "+time=2", "+tries=1")
        ns = sorted(x[4].lower() for x in rrs(r["authority"], "NS", sc["zone"]))
        c.expect(ns == sorted(sc["parent_ns"]), "parent %s: NS %s, want %s" % (tld, ns, sc["parent_ns"]))
        glue = sorted(x[4] for x in r["additional"] if len(x) > 4 and x[3] in ("A", "AAAA"))
        want = sorted(a for s in sc["servers"] for a in s["parent_addresses"])
        c.expect(glue == want, "parent %s: glue %s, want %s" % (tld, glue, want))
        r = dig("@" + tld, sc["zone"], "DS", "+norec", "+dnssec", "+time=2", "+tries=1")
        has_ds = bool(rrs(r["answer"], "DS", sc["zone"]))
        c.expect(has_ds == sc["ds_in_parent"], "parent %s: DS present %s, want %s" % (tld, has_ds, sc["ds_in_parent"]))


def check_auth(c, sc, srv, addr, tcp):
    args = ["@" + addr, sc["zone"], "SOA", "+norec", "+dnssec", "+time=2", "+tries=1"] + (["+tcp"] if tcp else [])
    r = dig(*args)
    where = "%s %s/%s" % (srv["name"], addr, "tcp" if tcp else "udp")
    if not c.expect(r["status"] == "NOERROR", "%s: status %s, want NOERROR" % (where, r["status"])):
        return None
    soa = rrs(r["answer"], "SOA", sc["zone"])
    c.expect(len(soa) == 1 and int(soa[0][6]) == srv["serial"],
             "%s: SOA serial %s, want %s" % (where, soa[0][6] if soa else None, srv["serial"]))
    sigs = rrs(r["answer"], "RRSIG", sc["zone"])
    c.expect(bool(sigs) == sc["signed"], "%s: RRSIG presence wrong" % where)
    if sigs and sc.get("rrsig_window"):
        w = sc["rrsig_window"]
        c.expect(sigs[0][8] == w["expiration"] and sigs[0][9] == w["inception"],
                 "%s: RRSIG SOA validity %s..%s, want %s..%s" % (where, sigs[0][9], sigs[0][8], w["inception"],
                                                              w["expiration"]))
    return r


def raw(addr, zone, tcp, qid=0x4242, timeout=2.0):
    try:
        return labdns.query(addr, zone, "SOA", tcp=tcp, timeout=timeout, qid=qid)
    except (OSError, socket.timeout) as e:
        return e


def check_server(c, sc, srv):
    beh = srv["behaviour"]
    for addr in srv["addresses"]:
        where = "%s %s" % (srv["name"], addr)
        if beh in ("healthy", "newer-serial", "extra-dnskey", "resalted"):
            for tcp in (False, True):
                r = check_auth(c, sc, srv, addr, tcp)
                if r:
                    c.expect("aa" in r["flags"], "%s: no AA bit" % where)
            if beh == "extra-dnskey":
                check_extra_dnskey(c, sc, srv, addr)
            if beh == "resalted":
                p = rrs(auth(addr, sc["zone"], "NSEC3PARAM")["answer"], "NSEC3PARAM")
                c.expect(p and p[0][7].lower() == "beef", "%s: NSEC3PARAM %s, want salt beef" % (where, p and p[0][4:]))
        elif beh == "drop-tcp":
            r = check_auth(c, sc, srv, addr, False)
            if r:
                c.expect("aa" in r["flags"], "%s: no AA bit" % where)
            r = dig("@" + addr, sc["zone"], "SOA", "+norec", "+tcp", "+time=1", "+tries=1")
            c.expect(r["status"] is None and "timed out" in r["out"], "%s/tcp: want a TCP timeout" % where)
        elif beh == "clear-aa":
            for tcp in (False, True):
                r = check_auth(c, sc, srv, addr, tcp)
                if r:
                    c.expect("aa" not in r["flags"], "%s: AA bit set, want clear" % where)
        elif beh == "two-opt":
            # The relayed answer with fakens's bogus OPT RR appended (version 255, an overrunning
            # option); zonewarden's queries carry EDNS, so their answers hold two OPT records.
            bogus = bytes.fromhex("00" "0029" "0000" "ffff0000" "0004" "000a0064")
            for tcp in (False, True):
                reply = raw(addr, sc["zone"], tcp)
                ok = isinstance(reply, bytes) and reply.endswith(bogus)
                c.expect(ok, "%s/%s: want the relayed reply with the bogus OPT appended" % (where, "tcp" if tcp else "udp"))
        elif beh == "opt-not-root":
            # labdns queries carry EDNS: the relayed reply's OPT record must come back owned by
            # "z." (label 1 'z', root, then TYPE 41) instead of the root.
            for tcp in (False, True):
                reply = raw(addr, sc["zone"], tcp)
                ok = isinstance(reply, bytes) and b"\x01z\x00\x00\x29" in reply
                c.expect(ok, "%s/%s: want the OPT record owned by z." % (where, "tcp" if tcp else "udp"))
        elif beh == "no-opt":
            # The relayed answer, AA kept, without an OPT record although the query had one.
            for tcp in (False, True):
                reply = raw(addr, sc["zone"], tcp)
                ok = (isinstance(reply, bytes) and len(reply) > 12 and reply[2] & 0x04
                      and b"\x00\x00\x29" not in reply[12:])
                c.expect(ok, "%s/%s: want the relayed reply without OPT" % (where, "tcp" if tcp else "udp"))
        elif beh == "badvers":
            # The relayed answer whose OPT TTL starts with extended RCODE 1 (BADVERS with RCODE 0).
            for tcp in (False, True):
                reply = raw(addr, sc["zone"], tcp)
                at = reply.rfind(b"\x00\x00\x29") if isinstance(reply, bytes) else -1
                ok = at >= 12 and reply[3] & 0x0F == 0 and reply[at + 5] == 1
                c.expect(ok, "%s/%s: want extended RCODE 1 in the OPT" % (where, "tcp" if tcp else "udp"))
        elif beh == "no-listener":
            r = dig("@" + addr, sc["zone"], "SOA", "+norec", "+time=2", "+tries=1")
            c.expect("connection refused" in r["out"], "%s: want ICMP port unreachable (connection refused)" % where)
        elif beh == "drop-all":
            t0 = time.monotonic()
            r = dig("@" + addr, sc["zone"], "SOA", "+norec", "+time=1", "+tries=1")
            c.expect(r["status"] is None and "timed out" in r["out"] and time.monotonic() - t0 >= 0.9,
                     "%s: want a timeout" % where)
        elif beh in ("no-zone", "broken-zone"):
            want = "REFUSED" if beh == "no-zone" else "SERVFAIL"
            for tcp in (False, True):
                r = dig("@" + addr, sc["zone"], "SOA", "+norec", "+time=2", "+tries=1", *(["+tcp"] if tcp else []))
                c.expect(r["status"] == want and "aa" not in r["flags"],
                         "%s: status %s flags %s, want %s without AA" % (where, r["status"], r["flags"], want))
        elif beh == "garbage":
            for tcp in (False, True):
                reply = raw(addr, sc["zone"], tcp)
                ok = isinstance(reply, bytes) and len(reply) > 0
                if ok:
                    try:
                        h = labdns.parse_header(reply)
                        q = labdns.parse_question(reply)
                        ok = h["id"] != 0x4242 or not h["qr"] or not q or q[0] != sc["zone"]
                    except ValueError:
                        ok = True
                c.expect(ok, "%s/%s: want bytes that are no answer to the query" % (where, "tcp" if tcp else "udp"))
        elif beh == "wrong-id":
            for tcp in (False, True):
                reply = raw(addr, sc["zone"], tcp)
                ok = isinstance(reply, bytes)
                if ok:
                    h, q = labdns.parse_header(reply), labdns.parse_question(reply)
                    ok = h["qr"] and h["id"] != 0x4242 and q is not None and q[0] != sc["zone"]
                c.expect(ok, "%s/%s: want a reply with wrong id and question" % (where, "tcp" if tcp else "udp"))
        elif beh == "tc-no-tcp":
            reply = raw(addr, sc["zone"], False)
            ok = isinstance(reply, bytes)
            if ok:
                h, q = labdns.parse_header(reply), labdns.parse_question(reply)
                ok = h["id"] == 0x4242 and h["tc"] and h["ancount"] == 0 and q and q[0] == sc["zone"]
            c.expect(ok, "%s/udp: want TC=1 with an empty answer" % where)
            reply = raw(addr, sc["zone"], True, timeout=3.0)
            c.expect(not isinstance(reply, bytes) and not isinstance(reply, ConnectionRefusedError),
                     "%s/tcp: want an accepted connection and no answer, got %r" % (where, reply))
        elif beh == "rrl-drop":
            # Every second UDP query gets no response (the count is shared by every rrl-drop
            # socket, so of four in a row two or three are answered, one or two dropped); TCP
            # answers each, authoritatively.
            udp = [raw(addr, sc["zone"], False, qid=0x4242 + i, timeout=0.5) for i in range(4)]
            answered = sum(isinstance(r, bytes) for r in udp)
            c.expect(1 <= answered <= 3, "%s/udp: %d of 4 answered, want some but not all" % (where, answered))
            for i in range(2):
                reply = raw(addr, sc["zone"], True, qid=0x4300 + i)
                ok = isinstance(reply, bytes) and labdns.parse_header(reply)["id"] == 0x4300 + i and reply[2] & 0x04
                c.expect(ok, "%s/tcp: want every query answered with AA, got %r" % (where, reply))
        else:
            c.expect(False, "%s: unknown behaviour %s" % (where, beh))


def auth(addr, name, rtype):
    return dig("@" + addr, name, rtype, "+norec", "+dnssec", "+time=2", "+tries=1")


def dnskeys(addr, zone):
    """({key tag: (flags, algorithm)}, [RRSIG DNSKEY tokens]) as `addr` serves them."""
    r = auth(addr, zone, "DNSKEY")
    keys = {labdns.key_tag(k[4], k[5], k[6], "".join(k[7:])): (int(k[4]), int(k[6]))
            for k in rrs(r["answer"], "DNSKEY", zone)}
    return keys, rrsigs(r, zone, "DNSKEY")


def rrsigs(r, owner, covered):
    """RRSIGs over `covered` at `owner` in the answer (dig tokens: 5 algorithm, 7 original TTL, 10 key tag, 11 signer)."""
    return [x for x in rrs(r["answer"], "RRSIG", owner) if x[4] == covered]


def healthy_addr(sc):
    for s in sc["servers"]:
        if s["behaviour"] == "healthy":
            return s["addresses"][0]
    return None


def canonical(name):
    return list(reversed(name.lower().rstrip(".").split(".")))


def covers(nsec, name):
    """True when the NSEC record (dig tokens) proves that `name` does not exist (RFC 4034 §6.1 order)."""
    owner, nxt, n = canonical(nsec[0]), canonical(nsec[4]), canonical(name)
    if owner < nxt:
        return owner < n < nxt
    return n > owner or n < nxt   # the last NSEC wraps to the apex


def check_extra_dnskey(c, sc, srv, addr):
    """A server with `extra-dnskey` serves one DNSKEY (flags 256) more than the healthy servers."""
    base = healthy_addr(sc)
    mine, _ = dnskeys(addr, sc["zone"])
    theirs, _ = dnskeys(base, sc["zone"])
    extra = set(mine) - set(theirs)
    c.expect(set(theirs) < set(mine) and len(extra) == 1 and all(mine[t][0] == 256 for t in extra),
             "%s %s: DNSKEY tags %s, want those of %s %s plus one ZSK"
             % (srv["name"], addr, sorted(mine), base, sorted(theirs)))


def check_zone_fault(c, sc):
    """Proves the zone-wide fault on the wire of the zone's first healthy server."""
    f, z, addr = sc.get("fault"), sc["zone"], healthy_addr(sc)
    if not f or not addr:
        return
    name, www = f["name"], "www." + z
    keys, dnskey_sigs = dnskeys(addr, z)
    algs = {v[1] for v in keys.values()}
    soa_sigs = rrsigs(auth(addr, z, "SOA"), z, "SOA")
    if name == "zsk-unpublished":
        c.expect(keys and all(v[0] == 257 for v in keys.values()), "DNSKEY flags %s, want the KSK only" % keys)
        c.expect(soa_sigs and all(int(x[10]) not in keys for x in soa_sigs),
                 "SOA RRSIG key tag %s, want one not in DNSKEY %s" % ([x[10] for x in soa_sigs], sorted(keys)))
        c.expect(dnskey_sigs and all(int(x[10]) in keys for x in dnskey_sigs),
                 "RRSIG DNSKEY tags %s, want the KSK's only" % [x[10] for x in dnskey_sigs])
    elif name == "zsk-not-zone-key":
        c.expect(soa_sigs and all(keys.get(int(x[10]), (None,))[0] == 0 for x in soa_sigs),
                 "SOA RRSIG key tag %s, want the DNSKEY with flags 0 (%s)" % ([x[10] for x in soa_sigs], keys))
        c.expect(dnskey_sigs and all(keys.get(int(x[10]), (0,))[0] == 257 for x in dnskey_sigs),
                 "RRSIG DNSKEY tags %s, want the KSK's (257) only" % [x[10] for x in dnskey_sigs])
        r = dig("@" + TLD_SERVERS[0], z, "DS", "+norec", "+time=2", "+tries=1")
        ds = [int(x[4]) for x in rrs(r["answer"], "DS", z)]
        c.expect(ds and all(keys.get(t, (0,))[0] == 257 for t in ds), "DS tags %s, want the KSK's" % ds)
    elif name == "edit-rrsig":
        k, want = {"algorithm": 5, "signer": 11}[f["field"]], str(f["value"])
        c.expect(soa_sigs and all(x[k].lower() == want for x in soa_sigs),
                 "SOA RRSIG %s %s, want %s" % (f["field"], [x[k] for x in soa_sigs], want))
        if f["covered"] == "data":
            a_sigs = rrsigs(auth(addr, www, "A"), www, "A")
            c.expect(a_sigs and all(x[k].lower() == want for x in a_sigs),
                     "www A RRSIG %s %s, want %s" % (f["field"], [x[k] for x in a_sigs], want))
        if f["field"] == "algorithm":
            c.expect(keys and int(want) not in algs, "DNSKEY algorithms %s, want none of %s" % (algs, want))
            c.expect(dnskey_sigs and all(int(x[5]) in algs for x in dnskey_sigs), "RRSIG DNSKEY algorithm changed too")
        else:
            ns_sigs = rrsigs(auth(addr, z, "NS"), z, "NS")
            c.expect(ns_sigs and all(x[11].lower() == z for x in ns_sigs), "NS RRSIG signer changed too")
    elif name == "drop-rrsig":
        owner = "%s.%s" % (f["owner"], z)
        for t in f["types"]:
            r = auth(addr, owner, t)
            c.expect(rrs(r["answer"], t, owner) and not rrs(r["answer"], "RRSIG", owner),
                     "%s %s: want the records without RRSIG" % (owner, t))
        c.expect(bool(soa_sigs), "SOA RRSIG missing too")
    elif name == "raise-ttl":
        owner = "%s.%s" % (f["owner"], z)
        r = auth(addr, owner, f["type"])
        data, sigs = rrs(r["answer"], f["type"], owner), rrsigs(r, owner, f["type"])
        c.expect(data and sigs and all(int(x[1]) == f["ttl"] > int(sigs[0][7]) for x in data),
                 "%s %s: TTL %s, RRSIG Original TTL %s; want TTL %s above it"
                 % (owner, f["type"], [x[1] for x in data], [x[7] for x in sigs], f["ttl"]))
    elif name == "ds-extra":
        r = dig("@" + TLD_SERVERS[0], z, "DS", "+norec", "+time=2", "+tries=1")
        ds = [(int(x[4]), int(x[5])) for x in rrs(r["answer"], "DS", z)]
        matching = [d for d in ds if keys.get(d[0], (0, 0))[1] == d[1]]
        stale = [d for d in ds if d not in matching]
        c.expect(len(ds) == 2 and len(matching) == 1 and len(stale) == 1 and stale[0][1] == f["alg"],
                 "DS (tag, alg) %s, DNSKEY %s: want one matching DS and one of algorithm %s matching no key"
                 % (ds, keys, f["alg"]))
        if f["alg"] != sc["algorithm"]:
            c.expect(keys and f["alg"] not in algs, "DNSKEY algorithms %s, want none of %s" % (algs, f["alg"]))
    elif name == "drop-nsec":
        owner, nx = "%s.%s" % (f["owner"], z), "zw-nx-test." + z
        r = auth(addr, owner, "NSEC")
        c.expect(r["status"] == "NOERROR" and not rrs(r["answer"], "NSEC"), "%s still has an NSEC record" % owner)
        r = auth(addr, "ns1." + z, "NSEC")
        c.expect(bool(rrs(r["answer"], "NSEC")), "ns1.%s has no NSEC record either" % z)
        r = auth(addr, nx, "A")
        proof = rrs(r["authority"], "NSEC")
        c.expect(r["status"] == "NXDOMAIN" and not any(covers(x, nx) for x in proof),
                 "%s: status %s, NSEC %s; want NXDOMAIN with no NSEC covering the name"
                 % (nx, r["status"], [(x[0], x[4]) for x in proof]))
    elif name == "deep-data":
        # The RRSIG is there, and its bytes are bad: the validating Unbound refuses the RRset,
        # while the zone's other data below the apex validates.
        owner = "%s.%s" % (f["owner"], z)
        r = auth(addr, owner, f["type"])
        c.expect(rrs(r["answer"], f["type"], owner) and rrsigs(r, owner, f["type"]),
                 "%s %s: want the records with their RRSIG" % (owner, f["type"]))
        for qname, qtype, want in ((owner, f["type"], "SERVFAIL"), ("mail." + z, "MX", "NOERROR")):
            for _ in range(RESOLVER_ATTEMPTS):
                r = dig("@" + os.environ["ZW_LAB_RESOLVER"], qname, qtype, "+dnssec", "+time=%d" % RESOLVER_TIME,
                        "+tries=1", timeout=40)
                if r["status"] is not None:
                    break
            c.expect(r["status"] == want and (want == "SERVFAIL" or "ad" in r["flags"]),
                     "resolver: %s %s status %s flags %s, want %s" % (qname, qtype, r["status"], r["flags"], want))
    elif name == "nsec3-params":
        r = auth(addr, z, "NSEC3PARAM")
        p = rrs(r["answer"], "NSEC3PARAM", z)
        c.expect(p and int(p[0][6]) == f["iterations"] and p[0][7].lower() == f["salt"].lower(),
                 "NSEC3PARAM %s, want %s iterations, salt %s" % (p and p[0][4:], f["iterations"], f["salt"]))
        r = auth(addr, "zw-nx-test." + z, "A")
        n3 = rrs(r["authority"], "NSEC3")
        c.expect(r["status"] == "NXDOMAIN" and n3 and all(int(x[6]) == f["iterations"] for x in n3),
                 "NXDOMAIN proof: NSEC3 iterations %s, want %s" % ([x[6] for x in n3], f["iterations"]))


def check_child_ns(c, sc):
    healthy = [s for s in sc["servers"]
               if s["behaviour"] in ("healthy", "newer-serial", "drop-tcp", "extra-dnskey", "resalted")]
    if not healthy:
        return
    addr = healthy[0]["addresses"][0]
    r = dig("@" + addr, sc["zone"], "NS", "+norec", "+time=2", "+tries=1")
    ns = sorted(x[4].lower() for x in rrs(r["answer"], "NS", sc["zone"]))
    c.expect(ns == sorted(sc["child_ns"]), "child NS %s, want %s" % (ns, sc["child_ns"]))
    for s in sc["servers"]:
        got = []
        for t in ("A", "AAAA"):
            r = dig("@" + addr, s["name"], t, "+norec", "+time=2", "+tries=1")
            got += [x[4] for x in rrs(r["answer"], t, s["name"])]
        c.expect(sorted(got) == sorted(s["child_addresses"] or got),
                 "child addresses of %s: %s, want %s" % (s["name"], got, s["child_addresses"]))


def check_scenario(sc, resolver):
    c = Checker(sc["zone"])
    try:
        check_resolver(c, sc, resolver)
        check_parent(c, sc)
        check_child_ns(c, sc)
        check_zone_fault(c, sc)
        for srv in sc["servers"]:
            check_server(c, sc, srv)
    except Exception as e:  # a crash in a check is a failure, not a traceback for all
        c.expect(False, "selftest error: %r" % e)
    return c


def main():
    verbose = "-v" in sys.argv[1:]
    for var in ("ZW_LAB_SCENARIOS", "ZW_LAB_RESOLVER"):
        if var not in os.environ:
            print("selftest: %s not set; run me with tests/lab/lab.py run -- python3 %s" % (var, sys.argv[0]))
            return 2
    with open(os.environ["ZW_LAB_SCENARIOS"]) as f:
        scenarios = json.load(f)
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda sc: check_scenario(sc, os.environ["ZW_LAB_RESOLVER"]), scenarios))
    passed = failed = 0
    for c in results:
        if c.problems:
            failed += 1
            print("FAIL %s (%d checks): %s" % (c.zone, c.checks, "; ".join(c.problems)))
        else:
            passed += 1
            print("PASS %s (%d checks)%s" % (c.zone, c.checks, "".join("; note: " + n for n in c.notes)))
    if verbose:
        print("selftest took %.1f s" % (time.monotonic() - t0))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
