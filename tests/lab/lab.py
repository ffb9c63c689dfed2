#!/usr/bin/python3
"""zonewarden integration-test lab: a signed DNS hierarchy with planted faults, in a private netns.

    lab.py run [--workdir DIR] [--keep] -- CMD [ARGS...]
    lab.py shell [--workdir DIR] [--keep]

Everything runs inside a fresh network namespace (`unshare --net`) that has only `lo`; no packet
can leave it. Keys and zones are generated and signed at start with times relative to now. CMD
runs with LAB_DIR, ZW_LAB_HINTS, ZW_LAB_ANCHOR, ZW_LAB_SCENARIOS, ZW_LAB_RESOLVER (Unbound),
ZW_LAB_RESOLVER_BIND and ZW_LAB_RESOLVER_KRESD in its environment; every server is stopped
afterwards and lab.py exits with CMD's status.
Exit 77: prerequisites missing (meson: skipped). Exit 2: the lab itself could not start.

The scenario table (SCENARIOS) is the one place to add a fault scenario: see README.md.
"""

import argparse
import base64
import hashlib
import concurrent.futures
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep tests/lab free of __pycache__
sys.path.insert(0, HERE)
import labdns  # noqa: E402

DAY = 86400
TOOLS = ["unshare", "ip", "nsd", "knotd", "named", "unbound", "kresd", "nft", "dnssec-keygen",
         "dnssec-signzone", "dnssec-dsfromkey", "dnssec-revoke", "ldns-signzone"]
READY_DEADLINE = float(os.environ.get("ZW_LAB_READY_TIMEOUT", "10"))  # seconds for every server to answer
STOP_DEADLINE = 3.0       # seconds between SIGTERM and SIGKILL
INNER_MARK = "_inner"

# --------------------------------------------------------------------------------------------
# Address plan (see README.md). Infrastructure in 127.53.0.0/24 and fd53::N; scenario number i
# (1-based position in SCENARIOS) owns 127.53.(10+i).0/24 and fd53::(10+i):0/112; its name
# server nsJ gets host J, an extra address of nsJ gets host 100+J.
# --------------------------------------------------------------------------------------------
ROOT_SERVERS = [("a.root-servers.lab.", "127.53.0.1", "fd53::1", "nsd-root"),
                ("b.root-servers.lab.", "127.53.0.2", "fd53::2", "knot-root")]
TLD_SERVERS = [("ns1.nic.lab.", "127.53.0.3", "fd53::3", "nsd-tld"),
               ("ns2.nic.lab.", "127.53.0.4", "fd53::4", "knot-tld")]
RESOLVER = ("127.53.0.250", "fd53::250")        # validating Unbound
RESOLVER_BIND = ("127.53.0.251", "fd53::251")   # validating BIND 9 (named, recursion yes)
RESOLVER_KRESD = ("127.53.0.252", "fd53::252")  # validating Knot Resolver (kresd)
# name, addresses: every validating resolver the lab runs; wait_ready waits for each.
RESOLVERS = [("unbound", RESOLVER), ("bind-resolver", RESOLVER_BIND), ("kresd", RESOLVER_KRESD)]


def scenario_addrs(i, host):
    return ["127.53.%d.%d" % (10 + i, host), "fd53::%d:%d" % (10 + i, host)]


# --------------------------------------------------------------------------------------------
# Scenario table. One row per child zone `<name>.lab.`; each row plants exactly one fault.
#   servers: NS(label, software, behaviour) -- software: nsd|knot|bind|relay|hostile|none
#   behaviour of one server address (SERVER_FAULTS) or a zone-wide fault (ZONE_FAULTS below).
#   alg: 8 | 13 | 15 | None (unsigned); keys: "csk" or "ksk+zsk"; denial: "nsec" | "nsec3".
#   resolver: what the validating Unbound answers for `<zone> SOA`, None when it resolves fine.
# --------------------------------------------------------------------------------------------
class NS:
    def __init__(self, label, software, behaviour="healthy"):
        self.label, self.software, self.behaviour = label, software, behaviour


class Scenario:
    def __init__(self, name, expect, servers, alg=13, keys="csk", denial="nsec", fault=None,
                 resolver=None, note="", bits=None, walk=None):
        self.name, self.zone = name, name + ".lab."
        self.expect, self.servers, self.alg, self.keys, self.denial = expect, servers, alg, keys, denial
        self.fault = fault or (None, {})
        self.resolver, self.note, self.bits = resolver, note, bits
        # Findings only `audit --walk` can see, as (rule, owner label, type); None: the same as expect.
        self.walk = walk


def servfail(ede):
    return {"rcode": "SERVFAIL", "ede": ede}


SCENARIOS = [
    Scenario("healthy-nsec", [], [NS("ns1", "nsd"), NS("ns2", "nsd")], note="signed, NSEC, NSD only"),
    Scenario("healthy-nsec3", [], [NS("ns1", "knot"), NS("ns2", "knot")], alg=15, denial="nsec3",
             note="signed Ed25519, NSEC3 iterations 0 no salt, Knot only"),
    Scenario("healthy-unsigned", [], [NS("ns1", "bind"), NS("ns2", "bind")], alg=None,
             note="unsigned, no DS in parent, BIND only"),
    Scenario("healthy-bind", [], [NS("ns1", "bind"), NS("ns2", "bind")], alg=8, keys="ksk+zsk",
             note="signed RSASHA256 2048 KSK+ZSK, served by BIND"),
    Scenario("healthy-mixed", [], [NS("ns1", "nsd"), NS("ns2", "knot"), NS("ns3", "bind")],
             note="same signed file on NSD, Knot and BIND"),
    Scenario("lame-unreachable", ["delegation/lame-unreachable"], [NS("ns1", "nsd"), NS("ns2", "none", "no-listener")],
             note="ns2 addresses: nothing listens (ICMP port unreachable)"),
    Scenario("lame-silent", ["delegation/lame-unreachable"], [NS("ns1", "knot"), NS("ns2", "none", "drop-all")],
             note="ns2 addresses: nftables drops every packet (timeout)"),
    Scenario("lame-refused", ["delegation/lame-refused"], [NS("ns1", "knot"), NS("ns2", "nsd", "no-zone")],
             alg=15, note="ns2 is an NSD that does not have the zone (REFUSED)"),
    Scenario("lame-servfail", ["delegation/lame-servfail"], [NS("ns1", "nsd"), NS("ns2", "bind", "broken-zone")],
             note="ns2 is a BIND whose copy of the zone fails to load (SERVFAIL)"),
    Scenario("lame-not-auth", ["delegation/lame-not-authoritative"], [NS("ns1", "knot"), NS("ns2", "relay", "clear-aa")],
             note="ns2 is a relay to ns1 that clears the AA bit"),
    Scenario("ns-mismatch", ["delegation/ns-mismatch"], [NS("ns1", "nsd"), NS("ns2", "knot"), NS("ns3", "bind")],
             fault=("ns-sets", {"parent": ["ns1", "ns2"], "child": ["ns1", "ns3"]}),
             note="parent NS {ns1, ns2}, child apex NS {ns1, ns3}; all three serve the zone"),
    Scenario("glue-mismatch", ["delegation/glue-mismatch"], [NS("ns1", "nsd"), NS("ns2", "knot")],
             fault=("glue-differs", {"ns": "ns1"}),
             note="parent glue A of ns1 differs from the child's A record; both addresses serve the zone"),
    Scenario("soa-serial", ["consistency/soa-serial"], [NS("ns1", "nsd"), NS("ns2", "nsd", "newer-serial")],
             note="ns2 serves a correctly signed copy with SOA serial + 1"),
    Scenario("rrsig-expired", ["dnssec/rrsig-expired"], [NS("ns1", "nsd"), NS("ns2", "knot")],
             fault=("sign-window", {"inception": -30 * DAY, "expiration": -2 * DAY}), resolver=servfail(7),
             note="every signature: inception -30d, expiration -2d"),
    Scenario("rrsig-not-yet-valid", ["dnssec/rrsig-not-yet-valid"], [NS("ns1", "nsd"), NS("ns2", "knot")],
             fault=("sign-window", {"inception": 4 * DAY, "expiration": 30 * DAY}), resolver=servfail(8),
             note="every signature: inception +4d, expiration +30d"),
    Scenario("rrsig-expiring-soon", ["dnssec/rrsig-expiring-soon"], [NS("ns1", "knot"), NS("ns2", "nsd")],
             alg=8, fault=("sign-window", {"inception": -10 * DAY, "expiration": 1 * DAY}),
             note="every signature: inception -10d, expiration +1d (inside a 3-day window)"),
    Scenario("rrsig-invalid", ["dnssec/rrsig-invalid"], [NS("ns1", "nsd"), NS("ns2", "knot")],
             fault=("corrupt-rrsig", {"type": "SOA"}), resolver=servfail(6),
             note="signature bytes of the apex SOA RRSIG corrupted (NSD and Knot, not BIND)"),
    Scenario("ds-no-match", ["dnssec/ds-no-matching-dnskey"], [NS("ns1", "nsd"), NS("ns2", "knot")],
             fault=("ds-other-key", {}), resolver=servfail(9),
             note="parent DS made from a key that is not in the child's DNSKEY set"),
    Scenario("ds-unsigned", ["dnssec/ds-but-unsigned"], [NS("ns1", "nsd"), NS("ns2", "knot")],
             fault=("serve-unsigned", {}), resolver=servfail(9),
             note="parent has a DS, the child is served unsigned"),
    Scenario("dnskey-not-ds-key", ["dnssec/dnskey-not-signed-by-ds-key"], [NS("ns1", "nsd"), NS("ns2", "knot")],
             keys="ksk+zsk", fault=("dnskey-zsk-only", {}), resolver=servfail(10),
             note="DS from the KSK; the DNSKEY RRset (KSK+ZSK) is signed by the ZSK only"),
    Scenario("tcp-unsupported", ["protocol/tcp-unsupported"], [NS("ns1", "nsd"), NS("ns2", "knot", "drop-tcp")],
             note="nftables drops TCP/53 to ns2's addresses; UDP works"),
    Scenario("hostile-garbage", ["delegation/lame-unreachable"], [NS("ns1", "nsd"), NS("ns2", "hostile", "garbage")],
             note="ns2 answers every UDP/TCP query with random bytes"),
    Scenario("hostile-wrong-id", ["delegation/lame-unreachable"], [NS("ns1", "knot"), NS("ns2", "hostile", "wrong-id")],
             note="ns2 answers with a wrong message ID and a wrong question"),
    Scenario("hostile-tc", ["protocol/tcp-unsupported", "protocol/edns-noncompliant"], [NS("ns1", "nsd"), NS("ns2", "hostile", "tc-no-tcp")],
             note="ns2: UDP always TC=1 with no answer and no OPT record; TCP accepted but never answered"),
    Scenario("private-addr", [], [NS("ns1", "knot"), NS("ns2", "bind")], alg=15,
             note="healthy; private addresses are normal in the lab (ns-address-not-public needs public hints)"),
    # One scenario per DNSSEC failure class (appended: rows are numbered by position).
    Scenario("zsk-missing", ["dnssec/rrsig-key-missing"], [NS("ns1", "nsd"), NS("ns2", "knot")],
             keys="ksk+zsk", fault=("zsk-unpublished", {}), resolver=servfail(9),
             note="data signed by a ZSK that the DNSKEY RRset does not hold; the KSK signs the DNSKEY RRset"),
    Scenario("rrsig-alg-mismatch", ["dnssec/rrsig-key-missing"], [NS("ns1", "nsd"), NS("ns2", "knot")],
             fault=("edit-rrsig", {"covered": "data", "field": "algorithm", "value": 8}), resolver=servfail(9),
             note="every RRSIG but DNSKEY's says algorithm 8; the zone has keys of algorithm 13 only"),
    Scenario("rrsig-wrong-signer", ["dnssec/rrsig-invalid"], [NS("ns1", "nsd"), NS("ns2", "knot")],
             fault=("edit-rrsig", {"covered": "SOA", "field": "signer", "value": "lab."}), resolver=servfail(9),
             note="signer name of the apex SOA RRSIG replaced by lab."),
    Scenario("not-zone-key", ["dnssec/rrsig-key-unusable"], [NS("ns1", "nsd"), NS("ns2", "knot")],
             keys="ksk+zsk", fault=("zsk-not-zone-key", {}), resolver=servfail(11),
             note="the data-signing key has flags 0 (Zone Key bit clear); the KSK (257, DS) signs the DNSKEY RRset"),
    Scenario("www-unsigned", ["dnssec/rrsig-missing"], [NS("ns1", "nsd"), NS("ns2", "knot")],
             fault=("drop-rrsig", {"owner": "www", "types": ["A", "AAAA"]}),
             note="RRSIGs over www A and www AAAA deleted after signing"),
    Scenario("ttl-above-original", ["dnssec/rrsig-ttl-mismatch"], [NS("ns1", "nsd"), NS("ns2", "knot")],
             fault=("raise-ttl", {"owner": "www", "type": "A", "ttl": 3600}),
             note="TTL of www A raised to 3600 after signing; its RRSIG says Original TTL 300"),
    Scenario("ds-stale", ["dnssec/ds-stale"], [NS("ns1", "nsd"), NS("ns2", "knot")],
             fault=("ds-extra", {"alg": 13}),
             note="parent DS: the current KSK's plus one of an old KSK (13) that the DNSKEY set no longer holds"),
    Scenario("ds-alg-unused", ["dnssec/ds-stale"], [NS("ns1", "nsd"), NS("ns2", "knot")],
             fault=("ds-extra", {"alg": 8}),
             note="parent DS: the correct one plus one of an RSASHA256 key (8); the zone is signed with 13 only"),
    # A live audit sees the chain only through its denial probes (no zone walk yet): the broken
    # proof is what it reports; `check` on the file reports dnssec/nsec-chain-broken.
    Scenario("nsec-gap", ["dnssec/denial-proof-invalid", "dnssec/nsec-chain-broken"],
             [NS("ns1", "nsd"), NS("ns2", "knot")], fault=("drop-nsec", {"owner": "www"}),
             note="the NSEC of www (and its RRSIG) deleted: names after www have no NXDOMAIN proof (NSD and Knot)"),
    Scenario("nsec3-iter-high", ["dnssec/nsec3-parameters"], [NS("ns1", "knot"), NS("ns2", "nsd")],
             denial="nsec3", fault=("nsec3-params", {"iterations": 200, "salt": "5a57"}),
             note="NSEC3 with 200 iterations and salt 5a57 (ldns-signzone: dnssec-signzone stops at 150)"),
    Scenario("dnskey-differs", ["consistency/dnskey-set"], [NS("ns1", "knot"), NS("ns2", "nsd", "extra-dnskey")],
             note="ns2 serves a copy whose DNSKEY set also holds a pre-published ZSK; both copies validate"),
    Scenario("alg-deprecated", ["dnssec/algorithm-deprecated"], [NS("ns1", "nsd"), NS("ns2", "knot")], alg=5,
             note="signed RSASHA1 (algorithm 5, 2048 bits): RFC 9904 says MUST NOT sign; resolvers still validate"),
    Scenario("rsa-1024", ["dnssec/key-size-weak"], [NS("ns1", "nsd"), NS("ns2", "knot")], alg=8, bits=1024,
             note="signed RSASHA256 with 1024-bit keys: below the 2048-bit minimum; resolvers validate"),
    Scenario("ksk-revoked", ["dnssec/key-revoked"], [NS("ns1", "nsd"), NS("ns2", "knot")], keys="ksk+zsk",
             fault=("revoked-ksk", {}),
             note="a second KSK, revoked (RFC 5011), published and signing the DNSKEY RRset beside the DS key"),
    Scenario("hostile-two-opt", ["protocol/malformed-response"], [NS("ns1", "knot"), NS("ns2", "hostile", "two-opt")],
             note="ns2 relays ns1's answers with a second, bogus OPT record appended (RFC 6891 §6.1.1: malformed)"),
    Scenario("hostile-opt-owner", ["protocol/malformed-response"],
             [NS("ns1", "nsd"), NS("ns2", "hostile", "opt-not-root")],
             note="ns2 relays ns1's answers with the OPT record's owner rewritten to z. (RFC 6891 §6.1.2)"),
    # Every NXDOMAIN proof needs the NSEC3 covering the wildcard at its closest encloser: with
    # that record gone, the denial probes all show the gap, whatever random name they ask.
    Scenario("nsec3-gap", ["dnssec/nsec3-chain-broken", "dnssec/denial-proof-invalid"],
             [NS("ns1", "nsd"), NS("ns2", "knot")], denial="nsec3", fault=("drop-nsec3-covering", {"label": "*"}),
             note="the NSEC3 covering the hash of *.<zone> (and its RRSIG) deleted after signing (NSD and Knot)"),
    Scenario("hostile-no-opt", ["protocol/edns-noncompliant"], [NS("ns1", "knot"), NS("ns2", "hostile", "no-opt")],
             note="ns2 relays ns1's answers with the OPT record stripped (RFC 6891 §6.1.1: MUST include one)"),
    Scenario("hostile-badvers", ["protocol/malformed-response"], [NS("ns1", "nsd"), NS("ns2", "hostile", "badvers")],
             note="ns2 relays ns1's answers with extended RCODE 1: BADVERS to an EDNS version 0 query"),
    Scenario("nsec3-resalted", ["consistency/nsec3param", "dnssec/nsec3-parameters"], [NS("ns1", "knot"), NS("ns2", "nsd", "resalted")],
             denial="nsec3",
             note="ns2 serves the same data signed with NSEC3 salt beef (nsec3-parameters: RFC 9276 says no salt), ns1 with no salt; both copies validate"),
    # A fault where neither the built-in probes nor --name www look: only `audit --walk` (which
    # follows the NSEC chain) finds it; `walk` is what that audit must report (test_walk.py).
    Scenario("walk-deep", [], [NS("ns1", "nsd"), NS("ns2", "knot"), NS("ns3", "bind")],
             fault=("deep-data", {"owner": "deep.sub", "type": "TXT"}),
             walk=[("dnssec/rrsig-invalid", "deep.sub", "TXT")],
             note="more names (MX, a TXT below an empty non-terminal, a wildcard, a secure and an insecure "
                  "delegation); the RRSIG over deep.sub TXT has flipped bytes"),
    # Response-rate limiting as NSD, Knot and BIND do it with slip 0: some UDP responses are
    # dropped while the rest are sent, TCP is never limited. Resolvers retry and get answers.
    Scenario("rate-limited", ["protocol/rate-limited"], [NS("ns1", "nsd"), NS("ns2", "hostile", "rrl-drop")],
             note="ns2 relays ns1's answers but drops every second UDP response (RRL, slip 0); TCP answers all"),
]

# Behaviour of one server address: where it runs and what the lab does to it.
#   instance: "<software>-a" (shared instance), "<software>-b" (second copy with other content),
#   None (no server process); nft: packets to drop at that address; fake: fakens.py mode.
SERVER_FAULTS = {
    "healthy":      {"serve": "zone"},
    "no-listener":  {"serve": None},
    "drop-all":     {"serve": None, "nft": "all"},
    "drop-tcp":     {"serve": "zone", "nft": "tcp"},
    "no-zone":      {"serve": "nothing"},
    "broken-zone":  {"serve": "broken"},
    "newer-serial": {"serve": "newer-serial", "instance_suffix": "-b"},
    "extra-dnskey": {"serve": "extra-dnskey", "instance_suffix": "-b"},
    "resalted":     {"serve": "resalted", "instance_suffix": "-b"},
    "clear-aa":     {"fake": "relay"},
    "two-opt":      {"fake": "two-opt"},
    "opt-not-root": {"fake": "opt-not-root"},
    "no-opt":       {"fake": "no-opt"},
    "badvers":      {"fake": "badvers"},
    "garbage":      {"fake": "garbage"},
    "wrong-id":     {"fake": "wrong-id"},
    "tc-no-tcp":    {"fake": "tc-no-tcp"},
    "rrl-drop":     {"fake": "rrl-drop"},
}


# Zone-wide faults: each is a small function adjusting the ZoneBuild before it is built.
def fault_ns_sets(zb, parent, child):
    zb.parent_ns, zb.child_ns = parent, child


def fault_glue_differs(zb, ns):
    zb.child_addr_override[ns] = [zb.extra_addr(ns)[0], zb.addrs[ns][1]]


def fault_sign_window(zb, inception, expiration):
    zb.window = (inception, expiration)


def fault_corrupt_rrsig(zb, type):
    zb.post_sign.append(lambda text: corrupt_rrsig(text, zb.zone, type))


def fault_deep_data(zb, owner, type):
    # Names the built-in probes and --name www never ask: an MX, a TXT below an empty
    # non-terminal (sub. has no NSEC of its own), a wildcard, two delegations (one with a DS);
    # the RRSIG over `owner` `type` is then corrupted.
    z = zb.zone
    zb.extra_rrs += ["mail.%s 300 IN MX 10 www.%s" % (z, z),
                     'deep.sub.%s 300 IN TXT "below an empty non-terminal"' % z,
                     '*.wild.%s 300 IN TXT "wildcard"' % z,
                     "insecure.%s 300 IN NS ns1.%s" % (z, z),
                     "secure.%s 300 IN NS ns1.%s" % (z, z),
                     "secure.%s 300 IN DS 4711 13 2 %s" % (z, "5A" * 32)]
    name = "%s.%s" % (owner, z)
    zb.post_sign.append(lambda text: corrupt_rrsig(text, name, type))


def fault_ds_other_key(zb):
    zb.ds_key = "other"


def fault_serve_unsigned(zb):
    zb.serve_signed = False


def fault_dnskey_zsk_only(zb):
    zb.dnskey_signers = "zsk"


def fault_zsk_unpublished(zb):
    # dnssec-signzone signs with a key named on its command line even when the zone does not
    # publish it; the ZSK's signature over the DNSKEY RRset is dropped, so only the KSK signs it.
    zb.publish_zsk, zb.dnskey_signers = False, "ksk"


def fault_zsk_not_zone_key(zb):
    # The ZSK's .key file is edited to flags 0 before signing (dnssec-signzone accepts it and
    # signs with the key tag of the edited key); only the KSK signs the DNSKEY RRset.
    zb.zsk_flags, zb.dnskey_signers = 0, "ksk"


def fault_edit_rrsig(zb, covered, field, value):
    zb.post_sign.append(lambda text: edit_rrs(text, lambda t: rrsig_set(t, zb.zone, covered, field, value),
                                              "edit-rrsig %s %s" % (covered, field)))


def fault_drop_rrsig(zb, owner, types):
    name = "%s.%s" % (owner, zb.zone)
    zb.post_sign.append(lambda text: edit_rrs(
        text, lambda t: None if t[0].lower() == name and t[3] == "RRSIG" and t[4] in types else t,
        "drop-rrsig %s" % name))


def fault_raise_ttl(zb, owner, type, ttl):
    name = "%s.%s" % (owner, zb.zone)
    zb.post_sign.append(lambda text: edit_rrs(
        text, lambda t: [t[0], str(ttl)] + t[2:] if t[0].lower() == name and t[3] == type else t,
        "raise-ttl %s %s" % (name, type)))


def fault_ds_extra(zb, alg):
    zb.extra_ds_alg = alg


def fault_drop_nsec(zb, owner):
    name = "%s.%s" % (owner, zb.zone)
    zb.post_sign.append(lambda text: edit_rrs(
        text, lambda t: None if t[0].lower() == name and (t[3] == "NSEC" or t[3:5] == ["RRSIG", "NSEC"]) else t,
        "drop-nsec %s" % name))


def nsec3_hash(name, salt_hex, iterations):
    """RFC 5155 §5 IH(salt, name, iterations) in base32hex, lower case (for a zone file edit;
    the tools under test compute their own)."""
    wire = b"".join(bytes([len(l)]) + l.lower().encode() for l in name.rstrip(".").split(".")) + b"\0"
    salt = b"" if salt_hex in ("-", "") else bytes.fromhex(salt_hex)
    h = hashlib.sha1(wire + salt).digest()
    for _ in range(iterations):
        h = hashlib.sha1(h + salt).digest()
    std = base64.b32encode(h).decode()
    return std.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHIJKLMNOPQRSTUV")).lower()


def drop_nsec3_covering(text, zone, name, nsec3):
    """Drops the NSEC3 record (and its RRSIG) whose span covers the hash of `name`: the
    predecessor then points to a hash that has no NSEC3."""
    target = nsec3_hash(name, nsec3[1], nsec3[0])
    spans = []
    for line in text.splitlines():
        tok = line.split()
        if len(tok) > 8 and tok[3] == "NSEC3":
            spans.append((tok[0].split(".")[0].lower(), tok[8].lower()))
    victim = None
    for owner, nxt in spans:
        if (owner < target < nxt) or (nxt <= owner and (target > owner or target < nxt)):
            victim = owner + "." + zone
    if victim is None:
        raise LabError("drop-nsec3-covering %s: no NSEC3 covers hash %s" % (name, target))
    return edit_rrs(text, lambda t: None if t[0].lower() == victim and (t[3] == "NSEC3" or t[3:5] == ["RRSIG", "NSEC3"])
                    else t, "drop-nsec3-covering %s" % name)


def fault_drop_nsec3_covering(zb, label):
    name = "%s.%s" % (label, zb.zone)
    zb.post_sign.append(lambda text: drop_nsec3_covering(text, zb.zone, name, zb.nsec3))


def fault_nsec3_params(zb, iterations, salt):
    zb.nsec3 = (iterations, salt)


def fault_revoked_ksk(zb):
    zb.revoked_ksk = True


ZONE_FAULTS = {
    "revoked-ksk": fault_revoked_ksk,
    "ns-sets": fault_ns_sets,
    "glue-differs": fault_glue_differs,
    "sign-window": fault_sign_window,
    "corrupt-rrsig": fault_corrupt_rrsig,
    "deep-data": fault_deep_data,
    "ds-other-key": fault_ds_other_key,
    "serve-unsigned": fault_serve_unsigned,
    "dnskey-zsk-only": fault_dnskey_zsk_only,
    "zsk-unpublished": fault_zsk_unpublished,
    "zsk-not-zone-key": fault_zsk_not_zone_key,
    "edit-rrsig": fault_edit_rrsig,
    "drop-rrsig": fault_drop_rrsig,
    "raise-ttl": fault_raise_ttl,
    "ds-extra": fault_ds_extra,
    "drop-nsec": fault_drop_nsec,
    "drop-nsec3-covering": fault_drop_nsec3_covering,
    "nsec3-params": fault_nsec3_params,
}

# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


class LabError(Exception):
    pass


def log(msg):
    print("lab: " + msg, file=sys.stderr, flush=True)


def run(argv, cwd=None, timeout=60):
    p = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
    if p.returncode != 0:
        raise LabError("%s failed (%d): %s" % (" ".join(argv), p.returncode, (p.stderr or p.stdout).strip()[-500:]))
    return p.stdout


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


def utc(ts):
    return time.strftime("%Y%m%d%H%M%S", time.gmtime(ts))


ALG_ARGS = {5: ["-a", "RSASHA1", "-b", "2048"], 8: ["-a", "RSASHA256", "-b", "2048"], 13: ["-a", "ECDSAP256SHA256"],
            15: ["-a", "ED25519"]}


def keygen(keydir, zone, alg, ksk, bits=None):
    os.makedirs(keydir, exist_ok=True)
    args = list(ALG_ARGS[alg])
    if bits:
        args[args.index("-b") + 1] = str(bits)
    argv = ["dnssec-keygen", "-q", "-K", keydir] + args + (["-f", "KSK"] if ksk else []) + [zone]
    return os.path.join(keydir, run(argv).strip())


def dnskey_text(keybase):
    with open(keybase + ".key") as f:
        return "".join(l for l in f if l.strip() and not l.startswith(";"))


def ds_text(keybase):
    return run(["dnssec-dsfromkey", "-2", keybase + ".key"])


def key_tag_of(keybase):
    t = dnskey_text(keybase).split()
    k = t.index("DNSKEY")
    return labdns.key_tag(t[k + 1], t[k + 2], t[k + 3], " ".join(t[k + 4:]))


def edit_rrs(text, fn, what):
    """Post-signing edit of a zone file in `-O full` form (one RR per line: owner ttl class type
    rdata). `fn(tokens)` returns the tokens to write, or None to drop the record. Raises when
    nothing changed, so a fault never silently fails to be planted."""
    out, changed = [], 0
    for line in text.splitlines():
        tok = line.split()
        if len(tok) < 4 or line.startswith((";", "$")):
            out.append(line)
            continue
        new = fn(tok)
        if new != tok:
            changed += 1
        if new is not None:
            out.append(" ".join(new) if new != tok else line)
    if not changed:
        raise LabError("%s: no record changed" % what)
    return "\n".join(out) + "\n"


RRSIG_FIELDS = {"algorithm": 5, "signer": 11}


def rrsig_set(tok, zone, covered, field, value):
    """Sets `field` of an RRSIG over `covered`: a type at the apex, or "data" (every RRSIG but DNSKEY's)."""
    if tok[3] != "RRSIG":
        return tok
    if covered == "data" and tok[4] == "DNSKEY":
        return tok
    if covered != "data" and (tok[4] != covered or tok[0].lower() != zone):
        return tok
    k = RRSIG_FIELDS[field]
    return tok[:k] + [str(value)] + tok[k + 1:]


def corrupt_rrsig(text, owner, covered):
    """Flips bytes in the signature field of the RRSIG at `owner` (the apex, or another name) that covers `covered`."""
    out, done = [], False
    for line in text.splitlines():
        tok = line.split()
        if (not done and len(tok) > 13 and tok[0].lower() == owner and "RRSIG" in tok[:5]
                and tok[tok.index("RRSIG") + 1] == covered):
            k = tok.index("RRSIG")
            sig = bytearray(base64.b64decode("".join(tok[k + 9:])))
            for j in range(len(sig) // 3, len(sig) // 3 + 8):
                sig[j] ^= 0xA5
            line = " ".join(tok[:k + 9] + [base64.b64encode(bytes(sig)).decode()])
            done = True
        out.append(line)
    if not done:
        raise LabError("corrupt-rrsig: no RRSIG %s at %s" % (covered, owner))
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# Zone building
# --------------------------------------------------------------------------------------------
class ZoneBuild:
    """Everything needed to produce one child zone, its parent-side records and its servers."""

    def __init__(self, index, sc, now, workdir):
        self.sc, self.zone, self.now, self.workdir = sc, sc.zone, now, workdir
        self.index = index
        self.addrs = {ns.label: scenario_addrs(index, int(ns.label[2:])) for ns in sc.servers}
        labels = [ns.label for ns in sc.servers]
        self.parent_ns, self.child_ns = list(labels), list(labels)
        self.child_addr_override = {}
        self.window = (-1 * DAY, 30 * DAY)
        self.post_sign = []
        self.extra_rrs = []               # more records of the zone, signed with the rest
        self.ds_key = "signing" if sc.alg else None
        self.serve_signed = bool(sc.alg)
        self.revoked_ksk = None
        self.dnskey_signers = "normal"   # "zsk": ZSK alone; "ksk": the ZSK's signature is dropped
        self.publish_zsk, self.zsk_flags = True, 256
        self.extra_ds_alg = None          # a DS of a key (this algorithm) that the zone does not have
        self.nsec3 = (0, "-")             # iterations, salt
        self.serial = int(now)
        name, params = sc.fault
        if name:
            ZONE_FAULTS[name](self, **params)
        self.keydir = os.path.join(workdir, "keys", sc.name)
        self.files = {}        # variant -> zone file path
        self.ds = ""           # DS records for the parent

    def extra_addr(self, label):
        return scenario_addrs(self.index, 100 + int(label[2:]))

    def fqdn(self, label):
        return "%s.%s" % (label, self.zone)

    def child_addrs(self, label):
        return self.child_addr_override.get(label, self.addrs[label])

    def text(self, serial):
        z = self.zone
        lines = ["$TTL 300",
                 "%s 300 IN SOA %s hostmaster.%s %d 3600 600 1209600 300" % (z, self.fqdn(self.child_ns[0]), z, serial)]
        lines += ["%s 300 IN NS %s" % (z, self.fqdn(l)) for l in self.child_ns]
        for ns in self.sc.servers:
            v4, v6 = self.child_addrs(ns.label)
            lines += ["%s 300 IN A %s" % (self.fqdn(ns.label), v4), "%s 300 IN AAAA %s" % (self.fqdn(ns.label), v6)]
        lines += ["www.%s 300 IN A 127.53.%d.200" % (z, 10 + self.index),
                  "www.%s 300 IN AAAA fd53::%d:200" % (z, 10 + self.index),
                  '%s 300 IN TXT "zonewarden lab scenario %s"' % (z, self.sc.name)]
        lines += self.extra_rrs
        return "\n".join(lines) + "\n"

    def make_keys(self):
        if not self.sc.alg:
            return
        alg = self.sc.alg
        bits = self.sc.bits
        if self.sc.keys == "ksk+zsk":
            self.ksk = keygen(self.keydir, self.zone, alg, True, bits)
            self.zsk = keygen(self.keydir, self.zone, alg, False, bits)
        else:
            self.ksk = self.zsk = keygen(self.keydir, self.zone, alg, True, bits)
        if self.revoked_ksk:
            # A second KSK, revoked with dnssec-revoke (RFC 5011 §2.1: it still signs the DNSKEY
            # RRset to publish its revocation); published and given to the signer.
            before = keygen(os.path.join(self.keydir, "revoked"), self.zone, alg, True, bits)
            run(["dnssec-revoke", "-r", "-K", os.path.dirname(before), before + ".key"])
            revoked = [f[:-4] for f in os.listdir(os.path.dirname(before)) if f.endswith(".key")]
            if len(revoked) != 1:
                raise LabError("%s: dnssec-revoke left %s" % (self.zone, revoked))
            for suffix in (".key", ".private"):  # beside the other keys, where the signer looks
                shutil.move(os.path.join(os.path.dirname(before), revoked[0] + suffix), self.keydir)
            self.revoked_ksk = os.path.join(self.keydir, revoked[0])
        self.other = keygen(os.path.join(self.keydir, "unused"), self.zone, alg, True) if self.ds_key == "other" else None
        if self.extra_ds_alg:
            self.extra_ds = keygen(os.path.join(self.keydir, "old"), self.zone, self.extra_ds_alg, True)
        if self.zsk_flags != 256:
            with open(self.zsk + ".key") as f:
                text = f.read()
            if " DNSKEY 256 " not in text:
                raise LabError("%s: no flags 256 in %s.key" % (self.zone, self.zsk))
            with open(self.zsk + ".key", "w") as f:
                f.write(text.replace(" DNSKEY 256 ", " DNSKEY %d " % self.zsk_flags))
        if "extra-dnskey" in {ns.behaviour for ns in self.sc.servers}:
            # A pre-published key (no private key where the signer looks) in one server's copy only.
            self.standby = keygen(os.path.join(self.keydir, "standby"), self.zone, alg, False)

    def sign(self, serial, out, extra_dnskeys=(), nsec3=None):
        plain = self.text(serial) + "".join(dnskey_text(k) for k in extra_dnskeys)
        nsec3 = nsec3 or self.nsec3
        if not self.serve_signed:
            return write(out, plain)
        sc = self.sc
        if self.dnskey_signers == "zsk":
            # Only the ZSK's private key is given to the signer; the KSK is published as a plain
            # DNSKEY record, so the DNSKEY RRset carries no signature by the DS key.
            plain += dnskey_text(self.ksk) + dnskey_text(self.zsk)
            signkeys, extra = [self.zsk], []
            keydir = os.path.join(self.keydir, "zsk-only")
            os.makedirs(keydir, exist_ok=True)
            for suffix in (".key", ".private"):
                shutil.copy(self.zsk + suffix, keydir)
        else:
            keys = [self.ksk] if self.ksk == self.zsk else [self.ksk, self.zsk]
            plain += "".join(dnskey_text(k) for k in keys if self.publish_zsk or k != self.zsk)
            signkeys, keydir = keys, self.keydir
            if self.revoked_ksk:
                plain += dnskey_text(self.revoked_ksk)
                signkeys = keys + [self.revoked_ksk]
            extra = ["-z"] if self.ksk == self.zsk else []
        src = write(out + ".in", plain)
        inc, exp = self.window
        if sc.denial == "nsec3" and nsec3[0] > 150:
            # dnssec-signzone refuses more than 150 iterations; ldns-signzone does not.
            iterations, salt = nsec3
            run(["ldns-signzone", "-n", "-t", str(iterations), "-s", salt, "-i", utc(self.now + inc),
                 "-e", utc(self.now + exp), "-o", self.zone, "-f", out, src] + signkeys, cwd=keydir)
            return self.post_edit(out)
        argv = ["dnssec-signzone", "-P", "-O", "full", "-j", "0", "-K", keydir,
                "-s", utc(self.now + inc), "-e", utc(self.now + exp), "-o", self.zone, "-f", out] + extra
        if sc.denial == "nsec3":
            argv += ["-3", nsec3[1], "-H", str(nsec3[0])]
        argv += [src] + [os.path.join(keydir, os.path.basename(k)) + ".key" for k in signkeys]
        run(argv, cwd=keydir)
        return self.post_edit(out)

    def post_edit(self, out):
        with open(out) as f:
            text = f.read()
        if self.dnskey_signers == "ksk" and self.ksk != self.zsk:
            tag = str(key_tag_of(self.zsk))
            text = edit_rrs(text, lambda t: None if t[3:5] == ["RRSIG", "DNSKEY"] and t[10] == tag else t,
                            "%s: drop the ZSK's RRSIG DNSKEY" % self.zone)
        for fn in self.post_sign:
            text = fn(text)
        return write(out, text)

    def build(self):
        self.make_keys()
        zdir = os.path.join(self.workdir, "zones")
        self.files["zone"] = self.sign(self.serial, os.path.join(zdir, self.zone + "zone"))
        behaviours = {ns.behaviour for ns in self.sc.servers}
        if "newer-serial" in behaviours:
            self.files["newer-serial"] = self.sign(self.serial + 1, os.path.join(zdir, self.zone + "newer-serial.zone"))
        if "extra-dnskey" in behaviours:
            self.files["extra-dnskey"] = self.sign(self.serial, os.path.join(zdir, self.zone + "extra-dnskey.zone"),
                                                   extra_dnskeys=[self.standby])
        if "resalted" in behaviours:
            # The same data signed with another NSEC3 salt: a copy the signer re-salted that one
            # server has not transferred yet (or has, ahead of the others).
            self.files["resalted"] = self.sign(self.serial, os.path.join(zdir, self.zone + "resalted.zone"),
                                               nsec3=(self.nsec3[0], "beef"))
        if "broken-zone" in behaviours:
            # A syntax error: BIND refuses to load the zone and answers SERVFAIL for it.
            self.files["broken"] = write(os.path.join(zdir, self.zone + "broken.zone"),
                                         self.text(self.serial) + "this line is not a resource record !!!\n")
        if self.ds_key == "signing":
            self.ds = ds_text(self.ksk)
        elif self.ds_key == "other":
            self.ds = ds_text(self.other)
        if self.extra_ds_alg:
            self.ds += ds_text(self.extra_ds)

    def parent_records(self):
        lines = ["%s 300 IN NS %s" % (self.zone, self.fqdn(l)) for l in self.parent_ns]
        for l in self.parent_ns:
            v4, v6 = self.addrs[l]
            lines += ["%s 300 IN A %s" % (self.fqdn(l), v4), "%s 300 IN AAAA %s" % (self.fqdn(l), v6)]
        return "\n".join(lines) + "\n" + self.ds

    def all_addrs(self, label):
        return list(dict.fromkeys(self.addrs[label] + self.child_addrs(label)))


def infra_keys(workdir):
    kdir = os.path.join(workdir, "keys")
    # The root uses RSASHA256 like the real one; lab. ECDSA P-256.
    return keygen(os.path.join(kdir, "root"), ".", 8, True), keygen(os.path.join(kdir, "lab"), "lab.", 13, True)


def build_infra(workdir, now, children, root_key, tld_key, valid_days=30):
    """Signs lab. (with every child's delegation) and the root for -1 d .. +valid_days d around
    `now`; returns (anchor text, hints text)."""
    zdir = os.path.join(workdir, "zones")
    lines = ["$TTL 3600", "lab. 3600 IN SOA ns1.nic.lab. hostmaster.nic.lab. %d 3600 600 1209600 300" % int(now)]
    lines += ["lab. 3600 IN NS %s" % n for n, _, _, _ in TLD_SERVERS]
    for n, v4, v6, _ in TLD_SERVERS + ROOT_SERVERS:
        lines += ["%s 3600 IN A %s" % (n, v4), "%s 3600 IN AAAA %s" % (n, v6)]
    text = "\n".join(lines) + "\n" + "".join(zb.parent_records() for zb in children) + dnskey_text(tld_key)
    src = write(os.path.join(zdir, "lab.zone.in"), text)
    run(["dnssec-signzone", "-P", "-O", "full", "-j", "0", "-z", "-K", os.path.dirname(tld_key),
         "-s", utc(now - DAY), "-e", utc(now + valid_days * DAY), "-o", "lab.", "-f", os.path.join(zdir, "lab.zone"),
         src, tld_key + ".key"], cwd=os.path.dirname(tld_key))
    # root
    lines = ["$TTL 86400", ". 86400 IN SOA a.root-servers.lab. hostmaster.nic.lab. %d 1800 900 604800 86400" % int(now)]
    lines += [". 518400 IN NS %s" % n for n, _, _, _ in ROOT_SERVERS]
    lines += ["lab. 172800 IN NS %s" % n for n, _, _, _ in TLD_SERVERS]
    for n, v4, v6, _ in ROOT_SERVERS + TLD_SERVERS:
        lines += ["%s 172800 IN A %s" % (n, v4), "%s 172800 IN AAAA %s" % (n, v6)]
    text = "\n".join(lines) + "\n" + ds_text(tld_key).replace(" IN DS", " 86400 IN DS") + dnskey_text(root_key)
    src = write(os.path.join(zdir, "root.zone.in"), text)
    run(["dnssec-signzone", "-P", "-O", "full", "-j", "0", "-z", "-K", os.path.dirname(root_key),
         "-s", utc(now - DAY), "-e", utc(now + valid_days * DAY), "-o", ".", "-f", os.path.join(zdir, "root.zone"),
         src, root_key + ".key"], cwd=os.path.dirname(root_key))
    anchor = ds_text(root_key) + dnskey_text(root_key)
    hints = ".  3600000  NS  %s\n" % ROOT_SERVERS[0][0] + ".  3600000  NS  %s\n" % ROOT_SERVERS[1][0]
    for n, v4, v6, _ in ROOT_SERVERS:
        hints += "%s  3600000  A  %s\n%s  3600000  AAAA  %s\n" % (n, v4, n, v6)
    return anchor, hints


# --------------------------------------------------------------------------------------------
# Server instances
# --------------------------------------------------------------------------------------------
class Instance:
    def __init__(self, name, software):
        self.name, self.software = name, software
        self.addrs, self.zones = [], {}   # zones: name -> file

    def add_addrs(self, addrs):
        for a in addrs:
            if a not in self.addrs:
                self.addrs.append(a)


def nsd_conf(inst, d):
    s = ["server:", "  server-count: 1", "  port: 53", '  username: ""', '  chroot: ""', "  verbosity: 1",
         '  database: ""', "  zonelistfile: \"%s/zone.list\"" % d, "  xfrdfile: \"%s/xfrd.state\"" % d,
         "  xfrdir: \"%s\"" % d, "  pidfile: \"%s/nsd.pid\"" % d, "  logfile: \"%s/nsd.log\"" % d,
         "  zonesdir: \"%s\"" % d, "  hide-version: yes", "  refuse-any: no", "  tcp-count: 50"]
    s += ["  ip-address: %s" % a for a in inst.addrs]
    s += ["remote-control:", "  control-enable: no"]
    for z, f in inst.zones.items():
        s += ["zone:", "  name: \"%s\"" % z, "  zonefile: \"%s\"" % f]
    return "\n".join(s) + "\n"


def knot_conf(inst, d):
    s = ["server:", "  rundir: \"%s\"" % d, "  udp-workers: 1", "  tcp-workers: 2", "  background-workers: 1",
         "  listen: [ %s ]" % ", ".join('"%s@53"' % a for a in inst.addrs),
         "database:", "  storage: \"%s/db\"" % d,
         "control:", "  listen: \"%s/knot.sock\"" % d,
         "log:", "  - target: \"%s/knot.log\"" % d, "    any: info",
         # Response-rate limiting, as NSD has it by default (rrl-ratelimit 200): Knot's mod-rrl at
         # the same rate, its default slip (every limited response goes out truncated).
         "mod-rrl:", "  - id: default", "    rate-limit: 200",
         "template:", "  - id: default", "    global-module: mod-rrl/default", "    storage: \"%s\"" % d,
         "    dnssec-signing: off",
         "    zonefile-sync: -1", "    zonefile-load: whole", "    journal-content: none", "    semantic-checks: off"]
    if inst.zones:
        s += ["zone:"]
        for z, f in inst.zones.items():
            s += ["  - domain: \"%s\"" % z, "    file: \"%s\"" % f]
    return "\n".join(s) + "\n"


def bind_conf(inst, d):
    v4 = [a for a in inst.addrs if ":" not in a]
    v6 = [a for a in inst.addrs if ":" in a]
    s = ["options {", '  directory "%s";' % d, '  pid-file "%s/named.pid";' % d,
         '  session-keyfile "%s/session.key";' % d, '  managed-keys-directory "%s";' % d,
         "  listen-on port 53 { %s };" % " ".join(a + ";" for a in v4) if v4 else "  listen-on { none; };",
         "  listen-on-v6 port 53 { %s };" % " ".join(a + ";" for a in v6) if v6 else "  listen-on-v6 { none; };",
         "  recursion no;", "  dnssec-validation no;", "  notify no;", "  allow-transfer { none; };",
         "  automatic-interface-scan no;", '  version "lab";', "};",
         "controls { };",
         "logging {", '  channel f { file "%s/named.log"; severity info; print-time yes; };' % d,
         "  category default { f; };", "  category lame-servers { null; };", "};"]
    for z, f in inst.zones.items():
        s += ['zone "%s" { type primary; file "%s"; };' % (z, f)]
    return "\n".join(s) + "\n"


def unbound_conf(d, hints, anchor):
    s = ["server:", "  verbosity: %s" % os.environ.get("ZW_LAB_UNBOUND_VERBOSITY", "1"), "  num-threads: 1", "  port: 53",
         "  interface: %s" % RESOLVER[0], "  interface: %s" % RESOLVER[1],
         "  do-ip4: yes", "  do-ip6: yes", "  do-udp: yes", "  do-tcp: yes",
         "  access-control: 127.0.0.0/8 allow", "  access-control: ::1/128 allow", "  access-control: fd53::/64 allow",
         '  username: ""', '  chroot: ""', '  directory: "%s"' % d, '  pidfile: "%s/unbound.pid"' % d,
         '  logfile: "%s/unbound.log"' % d, "  use-syslog: no", "  log-time-ascii: yes",
         '  root-hints: "%s"' % hints, '  trust-anchor-file: "%s"' % anchor,
         "  do-not-query-localhost: no", "  ede: yes", "  val-log-level: 2",
         '  module-config: "validator iterator"', "  harden-dnssec-stripped: yes",
         "  minimal-responses: no", "  prefetch: no", "  so-reuseport: no",
         "remote-control:", "  control-enable: no"]
    return "\n".join(s) + "\n"


def bind_resolver_conf(d, hints, anchor):
    """A validating BIND 9 resolver: the lab's root hints, the root DS as a static trust anchor
    (not the built-in key: dnssec-validation yes, not auto)."""
    tas = []
    with open(anchor) as f:
        for t in (line.split() for line in f):
            if "DS" in t:  # owner [ttl] [class] DS tag alg digest-type digest...
                i = t.index("DS")
                tas.append('  . static-ds %s "%s";' % (" ".join(t[i + 1:i + 4]), "".join(t[i + 4:])))
    s = ["options {", '  directory "%s";' % d, '  pid-file "%s/named.pid";' % d,
         '  session-keyfile "%s/session.key";' % d, '  managed-keys-directory "%s";' % d,
         "  listen-on port 53 { %s; };" % RESOLVER_BIND[0], "  listen-on-v6 port 53 { %s; };" % RESOLVER_BIND[1],
         "  recursion yes;", "  allow-query { any; };", "  allow-recursion { any; };",
         "  allow-query-cache { any; };", "  dnssec-validation yes;", "  notify no;",
         "  allow-transfer { none; };", "  automatic-interface-scan no;", "  max-cache-size 64m;",
         "  prefetch 0;", '  version "lab";', "};",
         "controls { };",
         "trust-anchors {"] + tas + ["};",
         'zone "." { type hint; file "%s"; };' % hints,
         "logging {", '  channel f { file "%s/named.log"; severity info; print-time yes; };' % d,
         "  category default { f; };", "  category lame-servers { f; };", "  category dnssec { f; };",
         "  category resolver { f; };", "};"]
    return "\n".join(s) + "\n"


def kresd_conf(d, hints, anchor):
    """A validating Knot Resolver 5: the lab's root hints and trust anchor (the packaged root key
    is removed), its own cache, and ALLOW_LOCAL: kresd otherwise skips name server addresses in
    127.0.0.0/8, which is where the lab's servers are."""
    s = ["net.listen('%s', 53, { kind = 'dns' })" % RESOLVER_KRESD[0],
         "net.listen('%s', 53, { kind = 'dns' })" % RESOLVER_KRESD[1],
         "modules.load('hints > iterate')",
         "hints.root_file('%s')" % hints,
         "trust_anchors.remove('.')",
         "trust_anchors.add_file('%s', true)" % anchor,
         "cache.open(64 * MB, 'lmdb://%s/cache')" % d,
         "policy.add(policy.all(policy.FLAGS('ALLOW_LOCAL')))"]
    return "\n".join(s) + "\n"


def server_argv(inst, conf):
    return {"nsd": ["nsd", "-d", "-c", conf],
            "knot": ["knotd", "-c", conf],
            "bind": ["named", "-f", "-n", "1", "-c", conf],
            "unbound": ["unbound", "-d", "-c", conf],
            "fake": [sys.executable, os.path.join(HERE, "fakens.py"), conf]}[inst.software]


# --------------------------------------------------------------------------------------------
# Process supervision: every server in its own process group, killed on any exit path.
# --------------------------------------------------------------------------------------------
_libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1


def _child_setup():
    os.setpgid(0, 0)
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


class Supervisor:
    def __init__(self):
        self.procs = []   # (name, Popen, logpath)

    def start(self, name, argv, logpath):
        with open(logpath, "ab") as out:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                 preexec_fn=_child_setup, close_fds=True)
        self.procs.append((name, p, logpath))
        return p

    def check_alive(self):
        for name, p, logpath in self.procs:
            if p.poll() is not None:
                raise LabError("%s exited early with status %s; log %s:\n%s" % (name, p.returncode, logpath, tail(logpath)))

    def stop_all(self):
        for _, p, _ in self.procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + STOP_DEADLINE
        for _, p, _ in self.procs:
            try:
                p.wait(timeout=max(0.01, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for _, p, _ in self.procs:
            try:
                os.killpg(p.pid, signal.SIGKILL)  # also reaps any forked helper in the group
            except ProcessLookupError:
                pass
            try:
                p.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
        self.procs = []


def tail(path, n=15):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return "(no log)"


# --------------------------------------------------------------------------------------------
# Lab assembly (inside the namespace)
# --------------------------------------------------------------------------------------------
def check_isolated():
    names = sorted(n for _, n in socket.if_nameindex())
    if names != ["lo"]:
        log("refusing to run: network interfaces other than lo exist here: %s" % ", ".join(names))
        sys.exit(2)


def setup_network(addrs, nft_rules, workdir):
    run(["ip", "link", "set", "lo", "up"])
    batch = "".join("addr add %s/128 dev lo nodad\n" % a for a in addrs if ":" in a)
    batch += "".join("addr add %s/32 dev lo\n" % a for a in addrs if ":" not in a)
    p = subprocess.run(["ip", "-batch", "-"], input=batch, text=True, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=30)
    if p.returncode != 0:
        raise LabError("ip -batch failed: " + p.stderr.strip()[-500:])
    check_isolated()
    rules = ["table inet zwlab {", "  chain input {", "    type filter hook input priority 0; policy accept;"]
    rules += ["    " + r for r in nft_rules] + ["  }", "}"]
    run(["nft", "-f", write(os.path.join(workdir, "lab.nft"), "\n".join(rules) + "\n")])


def assemble(workdir):
    """Builds keys, zones and server configurations. Returns (instances, nft, scenarios, probes, env)."""
    now = time.time()
    children = [ZoneBuild(i + 1, sc, now, workdir) for i, sc in enumerate(SCENARIOS)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        infra = pool.submit(infra_keys, workdir)  # RSA keygen is the slowest step: start it first
        for f in [pool.submit(zb.build) for zb in children]:
            f.result()
        root_key, tld_key = infra.result()
    anchor, hints = build_infra(workdir, now, children, root_key, tld_key)
    hints_path = write(os.path.join(workdir, "root.hints"), hints)
    anchor_path = write(os.path.join(workdir, "root.anchor"), anchor)

    instances, nft, fakes, probes, scen_json = {}, [], [], [], []

    def inst(name, software):
        if name not in instances:
            instances[name] = Instance(name, software)
        return instances[name]

    zdir = os.path.join(workdir, "zones")
    for name, v4, v6, iname in ROOT_SERVERS:
        i = inst(iname, iname.split("-")[0])
        i.add_addrs([v4, v6])
        i.zones["."] = os.path.join(zdir, "root.zone")
        probes += [(v4, ".", "auth"), (v6, ".", "auth")]
    for name, v4, v6, iname in TLD_SERVERS:
        i = inst(iname, iname.split("-")[0])
        i.add_addrs([v4, v6])
        i.zones["lab."] = os.path.join(zdir, "lab.zone")
        probes += [(v4, "lab.", "auth"), (v6, "lab.", "auth")]

    for zb in children:
        sc = zb.sc
        servers = []
        healthy_addr = None
        for ns in sc.servers:
            beh = SERVER_FAULTS[ns.behaviour]
            addrs = zb.all_addrs(ns.label)
            serve = beh.get("serve")
            if serve:
                i = inst(ns.software + beh.get("instance_suffix", "-a"), ns.software)
                i.add_addrs(addrs)
                if serve == "nothing":
                    probes += [(a, zb.zone, "REFUSED") for a in addrs]
                else:
                    if sc.zone in i.zones and i.zones[sc.zone] != zb.files[serve]:
                        raise LabError("%s: instance %s would serve two copies" % (sc.zone, i.name))
                    i.zones[sc.zone] = zb.files[serve]
                    probes += [(a, zb.zone, "SERVFAIL" if serve == "broken" else "auth") for a in addrs]
                    if serve == "zone" and healthy_addr is None:
                        healthy_addr = addrs[0]
            if beh.get("nft") == "all":
                nft += ["%s daddr %s drop" % ("ip6" if ":" in a else "ip", a) for a in addrs]
            elif beh.get("nft") == "tcp":
                nft += ["%s daddr %s tcp dport 53 drop" % ("ip6" if ":" in a else "ip", a) for a in addrs]
            if beh.get("fake"):
                fakes.append({"mode": beh["fake"], "addresses": addrs, "zone": zb.zone})
                probes += [(a, zb.zone, "any") for a in addrs]
            servers.append({"name": zb.fqdn(ns.label), "addresses": addrs, "software": ns.software,
                            "behaviour": ns.behaviour,
                            "parent_addresses": zb.addrs[ns.label] if ns.label in zb.parent_ns else [],
                            "child_addresses": zb.child_addrs(ns.label) if ns.label in zb.child_ns else [],
                            "serial": zb.serial + (1 if ns.behaviour == "newer-serial" else 0)})
        for f in fakes:
            if f["zone"] == zb.zone and f["mode"] in ("relay", "two-opt", "opt-not-root", "no-opt", "badvers", "rrl-drop"):
                if not healthy_addr:
                    raise LabError("%s: a relay needs a healthy server to forward to" % zb.zone)
                f["upstream"] = healthy_addr
        # Every instance must refuse zones it merely lists addresses for: check no overlap.
        for ns in sc.servers:
            if SERVER_FAULTS[ns.behaviour].get("serve") == "nothing":
                if sc.zone in instances[ns.software + "-a"].zones:
                    raise LabError("%s: %s-a must not serve the zone it refuses" % (sc.zone, ns.software))
        walk = [{"rule": r, "owner": "%s.%s" % (o, sc.zone), "type": t} for r, o, t in sc.walk] if sc.walk else None
        scen_json.append({"zone": sc.zone, "expect": sc.expect, "walk": walk, "resolver": sc.resolver, "servers": servers,
                          "note": sc.note, "fault": dict(sc.fault[1], name=sc.fault[0]) if sc.fault[0] else None,
                          "signed": zb.serve_signed, "ds_in_parent": bool(zb.ds),
                          "algorithm": sc.alg, "denial": sc.denial if zb.serve_signed else None,
                          "rrsig_window": {"inception": utc(zb.now + zb.window[0]),
                                           "expiration": utc(zb.now + zb.window[1])} if zb.serve_signed else None,
                          "parent_ns": [zb.fqdn(l) for l in zb.parent_ns],
                          "child_ns": [zb.fqdn(l) for l in zb.child_ns]})

    if fakes:
        fi = inst("fake", "fake")
        fi.fakes = fakes
        for f in fakes:
            fi.add_addrs(f["addresses"])
    all_addrs = [a for i in instances.values() for a in i.addrs]
    all_addrs += [a for zb in children for ns in zb.sc.servers for a in zb.all_addrs(ns.label)]
    all_addrs += [a for _, addrs in RESOLVERS for a in addrs]
    scen_path = write(os.path.join(workdir, "scenarios.json"), json.dumps(scen_json, indent=2) + "\n")
    env = {"LAB_DIR": workdir, "ZW_LAB_HINTS": hints_path, "ZW_LAB_ANCHOR": anchor_path,
           "ZW_LAB_SCENARIOS": scen_path, "ZW_LAB_RESOLVER": RESOLVER[0], "ZW_LAB_RESOLVER6": RESOLVER[1],
           "ZW_LAB_RESOLVER_BIND": RESOLVER_BIND[0], "ZW_LAB_RESOLVER_BIND6": RESOLVER_BIND[1],
           "ZW_LAB_RESOLVER_KRESD": RESOLVER_KRESD[0], "ZW_LAB_RESOLVER_KRESD6": RESOLVER_KRESD[1]}
    return instances, nft, list(dict.fromkeys(all_addrs)), probes, env


def start_servers(sup, workdir, instances, env):
    for inst in instances.values():
        d = os.path.join(workdir, "srv", inst.name)
        os.makedirs(os.path.join(d, "db"), exist_ok=True)
        if inst.software == "fake":
            conf = write(os.path.join(d, "fakens.json"), json.dumps(inst.fakes, indent=2))
        else:
            conf = write(os.path.join(d, inst.software + ".conf"),
                         {"nsd": nsd_conf, "knot": knot_conf, "bind": bind_conf}[inst.software](inst, d))
        sup.start(inst.name, server_argv(inst, conf), os.path.join(d, "stdout.log"))
    d = os.path.join(workdir, "srv", "unbound")
    conf = write(os.path.join(d, "unbound.conf"), unbound_conf(d, env["ZW_LAB_HINTS"], env["ZW_LAB_ANCHOR"]))
    sup.start("unbound", ["unbound", "-d", "-c", conf], os.path.join(d, "stdout.log"))
    d = os.path.join(workdir, "srv", "bind-resolver")
    os.makedirs(d, exist_ok=True)
    conf = write(os.path.join(d, "named.conf"), bind_resolver_conf(d, env["ZW_LAB_HINTS"], env["ZW_LAB_ANCHOR"]))
    sup.start("bind-resolver", ["named", "-f", "-n", "1", "-c", conf], os.path.join(d, "stdout.log"))
    d = os.path.join(workdir, "srv", "kresd")
    os.makedirs(d, exist_ok=True)
    conf = write(os.path.join(d, "kresd.conf"), kresd_conf(d, env["ZW_LAB_HINTS"], env["ZW_LAB_ANCHOR"]))
    sup.start("kresd", ["kresd", "-n", "-c", conf, d], os.path.join(d, "stdout.log"))


def probe_ok(addr, zone, want):
    try:
        reply = labdns.query(addr, zone, "SOA", timeout=0.25)
    except (OSError, ValueError):
        return False
    if want == "any":
        return True
    try:
        h = labdns.parse_header(reply)
    except ValueError:
        return False
    if want == "auth":
        return h["rcode"] == 0 and h["aa"] and h["ancount"] > 0
    return labdns.RCODES.get(h["rcode"]) == want


def wait_ready(sup, probes, deadline):
    pending = list(dict.fromkeys(probes))
    while pending:
        sup.check_alive()
        pending = [p for p in pending if not probe_ok(*p)]
        if not pending:
            break
        if time.monotonic() > deadline:
            raise LabError("servers not ready in time: " + ", ".join("%s %s (%s)" % p for p in pending[:10]))
        time.sleep(0.05)
    # The resolvers: each must resolve the root SOA through the lab hierarchy, validated (AD).
    pending = list(RESOLVERS)
    while pending:
        sup.check_alive()
        pending = [r for r in pending if not resolver_ok(r[1][0])]
        if not pending:
            return
        if time.monotonic() > deadline:
            raise LabError("%s did not resolve '. SOA' validated in time" % ", ".join(n for n, _ in pending))
        time.sleep(0.05)


def resolver_ok(addr):
    try:
        h = labdns.parse_header(labdns.query(addr, ".", "SOA", rd=True, do=True, timeout=1.0))
    except (OSError, ValueError):
        return False
    return h["rcode"] == 0 and h["ancount"] > 0 and h["ad"]


class Interrupted(Exception):
    def __init__(self, signum):
        self.signum = signum


def inner_main(args):
    check_isolated()  # before anything else: only lo may exist
    t0 = time.monotonic()
    workdir = args.workdir
    sup = Supervisor()
    state = {"child": None, "stop": None}
    status = 2

    def on_signal(signum, _frame):
        child = state["child"]
        if child is None:
            raise Interrupted(signum)   # still setting up: abort and clean up
        if signum == signal.SIGINT:
            return                      # CMD shares our terminal and decides itself what Ctrl-C means
        if state["stop"] is None:
            state["stop"] = signum
            try:
                child.send_signal(signum)
            except ProcessLookupError:
                pass

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)
    try:
        instances, nft, addrs, probes, env = assemble(workdir)
        t1 = time.monotonic()
        setup_network(addrs, nft, workdir)
        start_servers(sup, workdir, instances, env)
        wait_ready(sup, probes, time.monotonic() + READY_DEADLINE)
        log("ready in %.1f s (keys and zones %.1f s, servers %.1f s): %d zones, %d server processes, workdir %s"
            % (time.monotonic() - t0, t1 - t0, time.monotonic() - t1, len(SCENARIOS) + 2, len(sup.procs), workdir))
        write(os.path.join(workdir, "lab.env"), "".join("%s=%s\n" % kv for kv in env.items()))
        cmd = args.cmd or [os.environ.get("SHELL") or "/bin/bash"]
        # CMD keeps our process group, so the terminal's Ctrl-C reaches it directly.
        state["child"] = subprocess.Popen(cmd, env=dict(os.environ, **env))
        while True:
            try:
                status = state["child"].wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                pass
            if state["stop"] is not None:
                # Asked to stop: CMD got the signal; give it a bounded time, then kill it.
                try:
                    status = state["child"].wait(timeout=STOP_DEADLINE)
                except subprocess.TimeoutExpired:
                    state["child"].kill()
                    status = state["child"].wait()
                break
        if status < 0:
            status = 128 - status
    except Interrupted as e:
        log("interrupted by signal %d" % e.signum)
        status = 128 + e.signum
    except (LabError, OSError, subprocess.SubprocessError) as e:
        log("error: %s" % e)
        status = 2
    finally:
        for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        child = state["child"]
        if child is not None and child.poll() is None:
            child.kill()
            child.wait()
        sup.stop_all()
    # Leaving PID 1 of the lab's PID namespace makes the kernel kill anything still in it.
    return status


# --------------------------------------------------------------------------------------------
# Host side: prerequisites, then re-exec inside the namespace
# --------------------------------------------------------------------------------------------
def skip(msg):
    print("lab: skipped: " + msg, file=sys.stderr, flush=True)
    sys.exit(77)


def outer_main(args, mode):
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        skip("missing tools: " + ", ".join(missing))
    userns = []
    if os.geteuid() != 0:
        probe = subprocess.run(["unshare", "--user", "--map-root-user", "--net", "true"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if probe.returncode != 0:
            skip("not root and unprivileged user namespaces are unavailable")
        userns = ["--user", "--map-root-user"]
    cleanup = False
    if args.workdir:
        workdir = os.path.abspath(args.workdir)
        os.makedirs(workdir, exist_ok=True)
        if os.listdir(workdir):
            print("lab: --workdir %s is not empty" % workdir, file=sys.stderr)
            sys.exit(2)
    else:
        workdir = tempfile.mkdtemp(prefix="zw-lab-")
        cleanup = not args.keep
    cmd = args.cmd if mode == "run" else []
    argv = (["unshare"] + userns + ["--net", "--pid", "--fork", "--mount-proc", "--kill-child=SIGTERM", "--",
             sys.executable, os.path.abspath(__file__), INNER_MARK, "--workdir", workdir, "--"] + cmd)

    def unshare_setup():
        # unshare ignores the terminal's Ctrl-C (the lab inside gets it and cleans up first) and
        # dies with us; its --kill-child then sends SIGTERM to the lab.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    p = subprocess.Popen(argv, preexec_fn=unshare_setup)
    inner = {"pid": None}

    def find_inner():
        if inner["pid"] is None:
            try:
                with open("/proc/%d/task/%d/children" % (p.pid, p.pid)) as f:
                    kids = f.read().split()
                inner["pid"] = int(kids[0]) if kids else None
            except OSError:
                pass
        return inner["pid"]

    def on_signal(signum, _frame):
        if signum == signal.SIGINT:
            return  # the lab in the same process group got it too
        target = find_inner() or p.pid
        try:
            os.kill(target, signal.SIGTERM)
        except ProcessLookupError:
            pass

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)
    deadline = time.monotonic() + 5
    while find_inner() is None and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    status = p.wait()
    # unshare normally outlives the lab; if it was killed, wait (bounded) for the lab to finish
    # its cleanup before removing the workdir under it.
    deadline = time.monotonic() + 2 * STOP_DEADLINE + 2
    while inner["pid"] and time.monotonic() < deadline:
        try:
            os.kill(inner["pid"], 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    if cleanup:
        shutil.rmtree(workdir, ignore_errors=True)
    elif args.keep or args.workdir:
        log("workdir kept: %s" % workdir)
    return status if status >= 0 else 128 - status


SELF_INNER = "_inner"


def self_contained_main(argv, script, tools, total_timeout, inner):
    """The host side of a self-contained lab test (test_rollover.py, test_resigning.py): checks
    its one argument (zonewarden) and what the test needs (root, `tools`, a working
    `unshare --net --pid`), then runs `script` again inside a private network and PID namespace as
    `script _inner ZONEWARDEN WORKDIR`, where the script's main calls `inner(exe, workdir)`.
    Waits `total_timeout` seconds at most; removes the workdir unless ZW_<NAME>_KEEP=1 (NAME from
    test_NAME.py). Returns the exit status: the test's, 77 skipped, 2 on a usage error."""
    name = os.path.splitext(os.path.basename(script))[0]          # test_rollover
    if argv and argv[0] == SELF_INNER:
        return inner(argv[1], argv[2])
    if len(argv) != 1:
        print("usage: %s.py ZONEWARDEN" % name, file=sys.stderr)
        return 2
    exe = os.path.abspath(argv[0])
    if not os.access(exe, os.X_OK):
        print("%s: %s is not an executable" % (name, exe), file=sys.stderr)
        return 2

    def skip(why):
        print("%s: skipped: %s" % (name, why), flush=True)
        return 77

    if os.geteuid() != 0:
        return skip("not root (the test needs a network namespace of its own)")
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        return skip("missing tools: " + ", ".join(missing))
    probe = subprocess.run(["unshare", "--net", "--pid", "--fork", "--mount-proc", "true"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=30)
    if probe.returncode != 0:
        return skip("unshare --net --pid does not work here")
    short = name[len("test_"):] if name.startswith("test_") else name
    workdir = tempfile.mkdtemp(prefix="zw-%s-" % short)
    keep = os.environ.get("ZW_%s_KEEP" % short.upper()) == "1"
    argv = ["unshare", "--net", "--pid", "--fork", "--mount-proc", "--kill-child=SIGTERM", "--",
            sys.executable, os.path.abspath(script), SELF_INNER, exe, workdir]

    def unshare_setup():
        signal.signal(signal.SIGINT, signal.SIG_IGN)   # the test inside gets the terminal's Ctrl-C
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(signum)

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the test inside, which cleans up and ends
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)
    p = subprocess.Popen(argv, preexec_fn=unshare_setup)
    try:
        status = p.wait(timeout=total_timeout)
    except (subprocess.TimeoutExpired, KeyboardInterrupt) as e:
        for s in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        try:
            with open("/proc/%d/task/%d/children" % (p.pid, p.pid)) as f:
                kids = [int(k) for k in f.read().split()]
        except OSError:
            kids = []
        # SIGKILL to unshare; its --kill-child sends the test SIGTERM, which stops every server.
        p.kill()
        p.wait()
        deadline = time.monotonic() + 2 * STOP_DEADLINE + 2
        while kids and time.monotonic() < deadline and os.path.exists("/proc/%d" % kids[0]):
            time.sleep(0.05)
        if isinstance(e, subprocess.TimeoutExpired):
            print("FAIL %s: no result within %d s" % (name, total_timeout), flush=True)
            status = 1
        else:
            status = -e.args[0]
    if keep:
        print("%s: workdir kept: %s" % (name, workdir), file=sys.stderr)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return status if status >= 0 else 128 - status


def main(argv):
    if argv and argv[0] == INNER_MARK:
        ap = argparse.ArgumentParser(prog="lab.py " + INNER_MARK)
        ap.add_argument("--workdir", required=True)
        ap.add_argument("cmd", nargs=argparse.REMAINDER)
        a = ap.parse_args(argv[1:])
        if a.cmd and a.cmd[0] == "--":
            a.cmd = a.cmd[1:]
        return inner_main(a)
    ap = argparse.ArgumentParser(prog="lab.py", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    for m in ("run", "shell"):
        p = sub.add_parser(m)
        p.add_argument("--workdir", help="use DIR (created, must be empty; never deleted)")
        p.add_argument("--keep", action="store_true", help="keep the temporary workdir")
        if m == "run":
            p.add_argument("cmd", nargs=argparse.REMAINDER, help="-- CMD [ARGS...]")
    a = ap.parse_args(argv)
    if a.mode == "run":
        if a.cmd and a.cmd[0] == "--":
            a.cmd = a.cmd[1:]
        if not a.cmd:
            ap.error("run needs -- CMD [ARGS...]")
    return outer_main(a, a.mode)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
