#!/usr/bin/env python3
"""bench/fleet: one `zonewarden audit` of a fleet of signed zones (issue #10), in a private
network namespace of its own (loopback only: nothing leaves this machine).

    sudo bench/fleet/fleet.py ZONEWARDEN [--zones N] [--fault-every K] [--rrl QPS] [--keep DIR]
                                [--wrap 'CMD ...'] [--peers N [--peer-timeout S]] [-- AUDIT OPTIONS]

The fleet: a signed root (NSD, 127.54.0.1), a signed TLD `fleet.` (NSD, 127.54.0.2) that
delegates N signed zones `zNNNNNN.fleet.` (ECDSA P-256, NSEC, one key each, DS at the TLD) served
by two shared NSD servers (ns1/ns2.hosting.fleet., 127.54.1.1 and .2), as a registrar or a
hosting provider runs them. Every NSD runs with its default response-rate limiting (NSD 4:
200 responses a second per /24 and response kind, slip 2), or `--rrl QPS`.

Every K-th zone carries one planted fault, in turn:
  lame     a third name server ns3.hosting.fleet. (127.54.1.3, nothing listens): delegation/lame-unreachable
  expired  every signature expired a day ago: dnssec/rrsig-expired
  ds       the TLD's DS has a wrong digest: dnssec/ds-no-matching-dnskey
The audit must find each planted fault (that rule, at warning or above, on that zone) and
nothing else at warning or above anywhere, with no internal/* finding and exit status 1.

Printed: zones, wall time, CPU, peak memory (from the kernel's rusage of the child), queries the
root and the TLD received (nftables counters: UDP datagrams and TCP connections), the findings
check, and what it means per zone. Nothing is kept unless --keep DIR; a later run with the
same DIR, --zones and --fault-every reuses the signed fleet kept there.

--peers N: then zonemaster-cli and dnsviz (probe, then grok), installed from Debian if missing,
each on a sample of N zones of the same fleet (spread across it; from N >= 6 on about half carry
a planted fault, every kind at least once), one zone per process, one after the other, each
killed after --peer-timeout seconds (120). In the same namespace, given the fleet's root
explicitly: zonemaster-cli --hints, dnsviz probe -x .:a.root.fleet.=127.54.0.1. Printed beside
zonewarden's run: zones per second, the whole fleet's time at the sample's pace, peak memory, queries at
the root and the TLD per zone, and whether each tool reported each sampled zone's planted fault.
Their raw outputs stay in DIR/peers (without --keep, in a /tmp/zw-fleet-peers-* of their own).
"""
import argparse
import json
import os
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

ROOT_ADDR, TLD_ADDR = "127.54.0.1", "127.54.0.2"
HOST_ADDRS = ["127.54.1.1", "127.54.1.2"]
DEAD_ADDR = "127.54.1.3"  # ns3 of the lame zones: nothing listens
FAULTS = [("lame", "delegation/lame-unreachable"), ("expired", "dnssec/rrsig-expired"),
          ("ds", "dnssec/ds-no-matching-dnskey")]
GNU_TIME = "/usr/bin/time"  # Debian's `time`: the peak RSS of what it runs (with_peak_rss)
TOOLS = [GNU_TIME, "nsd", "nft", "ip", "ldns-keygen", "ldns-signzone", "ldns-key2ds"]
PEERS = ["zonemaster-cli", "dnsviz"]


def fail(msg, status=2):
    print("fleet: " + msg, file=sys.stderr)
    sys.exit(status)


def in_private_netns():
    links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True).stdout.splitlines()
    return len(links) == 1 and ": lo:" in links[0]


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        fail(f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr.strip()[:300]}")
    return r


def stamp(offset_s):
    return time.strftime("%Y%m%d%H%M%S", time.gmtime(time.time() + offset_s))


def soa(zone):
    rname = "hostmaster." + (zone if zone != "." else "")
    return f"{zone} 300 IN SOA ns1.hosting.fleet. {rname} 1 7200 3600 1209600 300"


class Signer:
    """One ECDSA P-256 key per zone (a CSK), zones signed by ldns-signzone."""

    def __init__(self, work):
        self.work = work

    def sign(self, zone, records, expired=False):
        d = os.path.join(self.work, "keys", zone.rstrip(".") or "root")
        os.makedirs(d, exist_ok=True)
        key = run(["ldns-keygen", "-a", "ECDSAP256SHA256", "-k", zone], cwd=d).stdout.strip()
        path = os.path.join(d, "zone")
        with open(path, "w") as f:
            f.write("\n".join(records) + "\n")
        # Valid from a day ago for a month, or (expired) for the day that ended an hour ago.
        inception, expiration = (stamp(-2 * 86400), stamp(-3600)) if expired else (stamp(-86400), stamp(30 * 86400))
        run(["ldns-signzone", "-i", inception, "-e", expiration, "-o", zone, "-f", path + ".signed", path,
             os.path.join(d, key)])
        ds = run(["ldns-key2ds", "-n", "-2", os.path.join(d, key + ".key")]).stdout.strip()
        with open(os.path.join(d, key + ".key")) as f:
            dnskey = f.read().strip()
        return path + ".signed", ds, dnskey


def plant(i, every):
    if every <= 0 or i % every != every - 1:
        return None
    return FAULTS[(i // every) % len(FAULTS)]


def build(work, n, every):
    signer = Signer(work)
    zones = [f"z{i:06d}.fleet." for i in range(n)]
    faults = {z: plant(i, every) for i, z in enumerate(zones)}

    def child(z):
        fault = faults[z]
        ns = ["ns1.hosting.fleet.", "ns2.hosting.fleet."] + (["ns3.hosting.fleet."] if fault and fault[0] == "lame" else [])
        records = [soa(z)] + [f"{z} 300 IN NS {h}" for h in ns] + [f"www.{z} 300 IN A 192.0.2.1"]
        path, ds, _ = signer.sign(z, records, expired=bool(fault and fault[0] == "expired"))
        if fault and fault[0] == "ds":
            head, digest = ds.rsplit(None, 1)
            ds = head + " " + ("0" if digest[0] != "0" else "1") + digest[1:]
        return z, path, ds, ns

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        children = list(pool.map(child, zones))
    hosting = "hosting.fleet."
    hosting_path, hosting_ds, _ = signer.sign(hosting, [soa(hosting), f"{hosting} 300 IN NS ns1.hosting.fleet.",
                                                        f"{hosting} 300 IN NS ns2.hosting.fleet.",
                                                        f"ns1.{hosting} 300 IN A {HOST_ADDRS[0]}",
                                                        f"ns2.{hosting} 300 IN A {HOST_ADDRS[1]}",
                                                        f"ns3.{hosting} 300 IN A {DEAD_ADDR}"])
    tld = [soa("fleet."), "fleet. 300 IN NS ns.tld.fleet.", f"ns.tld.fleet. 300 IN A {TLD_ADDR}",
           "hosting.fleet. 300 IN NS ns1.hosting.fleet.", "hosting.fleet. 300 IN NS ns2.hosting.fleet.",
           f"ns1.hosting.fleet. 300 IN A {HOST_ADDRS[0]}", f"ns2.hosting.fleet. 300 IN A {HOST_ADDRS[1]}",
           hosting_ds]
    for z, _, ds, ns in children:
        tld += [f"{z} 300 IN NS {h}" for h in ns] + [ds]
    tld_path, tld_ds, _ = signer.sign("fleet.", tld)
    root = [soa("."), ". 300 IN NS a.root.fleet.", "fleet. 300 IN NS ns.tld.fleet.",
            f"ns.tld.fleet. 300 IN A {TLD_ADDR}", f"a.root.fleet. 300 IN A {ROOT_ADDR}", tld_ds]
    root_path, root_ds, _ = signer.sign(".", root)
    with open(os.path.join(work, "hints"), "w") as f:
        f.write(f". 3600000 NS a.root.fleet.\na.root.fleet. 3600000 A {ROOT_ADDR}\n")
    with open(os.path.join(work, "anchor"), "w") as f:
        f.write(root_ds + "\n")
    with open(os.path.join(work, "zones.txt"), "w") as f:
        f.write("\n".join(zones) + "\n")
    servers = {"root": ([ROOT_ADDR], {".": root_path}), "tld": ([TLD_ADDR], {"fleet.": tld_path}),
               "host": (HOST_ADDRS, {**{z: p for z, p, _, _ in children}, hosting: hosting_path})}
    return zones, faults, servers


def start_nsd(work, name, addrs, zones, rrl):
    d = os.path.join(work, "nsd-" + name)
    os.makedirs(d, exist_ok=True)
    conf = ["server:", "  server-count: 1", "  port: 53", '  username: ""', '  chroot: ""', "  verbosity: 0",
            '  database: ""', f'  zonelistfile: "{d}/zone.list"', f'  xfrdfile: "{d}/xfrd.state"',
            f'  xfrdir: "{d}"', f'  pidfile: "{d}/nsd.pid"', f'  logfile: "{d}/nsd.log"', "  tcp-count: 200"]
    conf += [f"  ip-address: {a}" for a in addrs]
    if rrl is not None:
        conf += [f"  rrl-ratelimit: {rrl}"]
    conf += ["remote-control:", "  control-enable: no"]
    for z, path in zones.items():
        conf += ["zone:", f'  name: "{z}"', f'  zonefile: "{path}"']
    path = os.path.join(d, "nsd.conf")
    with open(path, "w") as f:
        f.write("\n".join(conf) + "\n")
    return subprocess.Popen(["nsd", "-d", "-c", path], stdout=subprocess.DEVNULL, stderr=open(os.path.join(d, "err"), "w"))


def wait_ready(addr, zone, deadline_s=120):
    import socket
    import struct
    q = struct.pack("!HHHHHH", 0x4242, 0, 1, 0, 0, 0)
    q += b"".join(bytes([len(p)]) + p.encode() for p in zone.rstrip(".").split(".") if p) + b"\0" + struct.pack("!HH", 6, 1)
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(0.5)
            try:
                s.sendto(q, (addr, 53))
                r = s.recv(4096)
                if len(r) > 3 and r[3] & 0x0F == 0 and r[2] & 0x04:
                    return
            except OSError:
                pass
        time.sleep(0.2)
    fail(f"{addr} does not answer {zone} SOA authoritatively")


NFT = """table inet fleet {
  chain input {
    type filter hook input priority 0;
    ip daddr %s udp dport 53 counter comment "root-udp"
    ip daddr %s tcp dport 53 tcp flags syn counter comment "root-tcp"
    ip daddr %s udp dport 53 counter comment "tld-udp"
    ip daddr %s tcp dport 53 tcp flags syn counter comment "tld-tcp"
  }
}
""" % (ROOT_ADDR, ROOT_ADDR, TLD_ADDR, TLD_ADDR)


def counters():
    out = run(["nft", "-j", "list", "table", "inet", "fleet"]).stdout
    got = {}
    for item in json.loads(out)["nftables"]:
        rule = item.get("rule")
        if rule:
            packets = next((e["counter"]["packets"] for e in rule["expr"] if "counter" in e), 0)
            got[rule.get("comment", "?")] = packets
    return got


def install_peers(timeout_s=900):
    """zonemaster-cli and dnsviz from Debian when missing, with no service allowed to start while
    installing (a policy-rc.d that says no, removed again if it was ours). True when both are there."""
    if all(shutil.which(t) for t in PEERS):
        return True
    print("fleet: installing zonemaster-cli and dnsviz from Debian", file=sys.stderr)
    policy, ours = "/usr/sbin/policy-rc.d", not os.path.exists("/usr/sbin/policy-rc.d")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", *PEERS]
    try:
        if ours:
            with open(policy, "w") as f:
                f.write("#!/bin/sh\nexit 101\n")
            os.chmod(policy, 0o755)
        for cmd in (install, ["apt-get", "update"], install):
            try:
                r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout_s)
            except subprocess.TimeoutExpired:
                print(f"fleet: {' '.join(cmd)}: no end after {timeout_s} s", file=sys.stderr)
                return False
            if r.returncode == 0 and cmd is install:
                break
    finally:
        if ours and os.path.exists(policy):
            os.remove(policy)
    return all(shutil.which(t) for t in PEERS)


# --- peers: zonemaster-cli and dnsviz on a sample of the fleet (--peers N) ----------------------

# The peers' own words for each planted fault, at warning level or above (the bar zonewarden is
# held to), chosen by what their documentation says the code means, not by what they printed here.
# "found": a code that names the fault; "unclear": only codes that follow from it but also from
# other faults (e.g. "no valid signature over the DNSKEY RRset" for expired signatures); "not
# found": neither.
ZM_LOUD = {"WARNING", "ERROR", "CRITICAL"}
ZM_NOISE = {"NAMESERVER_IP_PRIVATE_NETWORK", "NAMESERVER_IP_WITHOUT_REVERSE"}  # every fleet address is 127.54/16
ZM_FAULT = {
    "lame": ({"CN01_NO_RESPONSE_UDP", "CN02_NO_RESPONSE_TCP", "CN01_NO_RESPONSE_NS_QUERY_UDP",
              "CN01_NO_RESPONSE_SOA_QUERY_UDP", "CN02_NO_RESPONSE_NS_QUERY_TCP", "CN02_NO_RESPONSE_SOA_QUERY_TCP",
              "N11_NO_RESPONSE"}, set()),
    "expired": ({"RRSIG_EXPIRED", "DS08_DNSKEY_RRSIG_EXPIRED", "DS09_SOA_RRSIG_EXPIRED"},
                {"DS02_RRSIG_NOT_VALID_BY_DNSKEY", "DS02_NO_VALID_DNSKEY_FOR_ANY_DS", "DS02_DNSKEY_NOT_SIGNED_BY_ANY_DS",
                 "DS08_RRSIG_NOT_VALID_BY_DNSKEY", "DS09_RRSIG_NOT_VALID_BY_DNSKEY"}),
    "ds": ({"DS02_NO_MATCH_DS_DNSKEY", "DS02_NO_DNSKEY_FOR_DS"},
           {"DS02_NO_VALID_DNSKEY_FOR_ANY_DS", "DS02_DNSKEY_NOT_SIGNED_BY_ANY_DS"}),
}
DV_NOISE = {"NS_NAME_PRIVATE_IP", "GLUE_PRIVATE_IP"}
DV_FAULT = {
    "lame": ({"SERVER_UNRESPONSIVE_UDP", "SERVER_UNRESPONSIVE_TCP", "NETWORK_ERROR", "TIMEOUT"}, set()),
    "expired": ({"EXPIRATION_IN_PAST"}, {"NO_SEP", "MISSING_SEP_FOR_ALG", "SIGNATURE_INVALID"}),
    "ds": ({"DIGEST_INVALID"}, {"NO_SEP", "MISSING_SEP_FOR_ALG"}),
}
# Debian 12: dnsviz 0.9.4 grok imports pygraphviz.release, gone from pygraphviz 1.7: the shim that
# bench/audit uses too, on PYTHONPATH for grok only.
DNSVIZ_SHIM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dnsviz-shim")


def spread(items, k):
    """k items of the list, evenly spaced from its first to its last (deterministic)."""
    k = min(k, len(items))
    if k <= 0:
        return []
    if k == 1:
        return [items[len(items) // 2]]
    return [items[round(i * (len(items) - 1) / (k - 1))] for i in range(k)]


def sample(zones, faults, n):
    """n zones spread across the fleet. From n >= 6 on, about half of them carry a planted fault,
    as many of each kind (at least one each); the rest are spread across the zones without one."""
    picked = []
    kinds = [kind for kind, _ in FAULTS]
    if n >= 2 * len(kinds):
        per_kind = max(1, n // (2 * len(kinds)))
        for kind in kinds:
            picked += spread([z for z in zones if faults[z] and faults[z][0] == kind], per_kind)
        rest = [z for z in zones if not faults[z]]
    else:
        rest = zones
    taken = set(picked)
    picked += spread([z for z in rest if z not in taken], n - len(picked))
    order = {z: i for i, z in enumerate(zones)}
    return sorted(set(picked), key=order.get)


# The kernel's peak RSS of a process (ru_maxrss) survives exec, and a child that Python starts
# (vfork or fork, then exec) begins with Python's own high-water mark: after signing 100,000
# zones that is hundreds of megabytes, reported as the program's (it was, until 2026-12-06:
# session 15's "348 MB at 100,000 zones" was this script's memory). GNU time forks the program
# from a small process of its own and writes its peak RSS (KB) to a file: that is the figure.


def with_peak_rss(cmd, path):
    """cmd run under GNU time, which writes its peak RSS in KB to path."""
    return [GNU_TIME, "-f", "%M", "-o", path, *cmd]


def peak_rss_mb(path):
    """What with_peak_rss wrote: the program's peak RSS in MB (None when it was killed first)."""
    try:
        with open(path, encoding="utf-8") as f:
            return int(f.read().split()[-1]) / 1024
    except (OSError, ValueError, IndexError):
        return None


def timed(cmd, out, err, timeout_s, env=None):
    """Runs cmd in a session of its own (stdout to file out, stderr to err) for at most timeout_s:
    (wall s, exit status or None when it was killed at the deadline, peak RSS MB of it and the
    children it waited for)."""
    t0 = time.monotonic()
    rss_path = out + ".rss"
    with open(out, "wb") as o, open(err, "ab") as e:
        p = subprocess.Popen(with_peak_rss(cmd, rss_path), stdin=subprocess.DEVNULL, stdout=o, stderr=e, env=env,
                             start_new_session=True)
    killed = False
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - t0 >= timeout_s:
            os.killpg(p.pid, signal.SIGKILL)  # its own process group: only what this call started
            pid, status, ru = os.wait4(p.pid, 0)
            killed = True
            break
        time.sleep(0.02)
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keeps Popen from waiting again
    rss = peak_rss_mb(rss_path)
    return wall, None if killed else p.returncode, rss if rss is not None else ru.ru_maxrss / 1024


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def zm_codes(path):
    """zonemaster-cli --json: the tags at WARNING or above, minus the fleet's address noise."""
    messages = load_json(path)
    if not isinstance(messages, list):
        return None
    return sorted({m.get("tag") for m in messages if isinstance(m, dict) and m.get("level") in ZM_LOUD} - ZM_NOISE)


def dv_codes(path, zone):
    """dnsviz grok -l warning: the error and warning codes under the zone's own key (its servers,
    responses, delegation), not its ancestors', minus the fleet's address noise."""
    grok = load_json(path)
    if not isinstance(grok, dict):
        return None
    found = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("errors", "warnings") and isinstance(value, list):
                    found.update(v["code"] for v in value if isinstance(v, dict) and v.get("code"))
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(grok.get(zone, {}))
    return sorted(found - DV_NOISE)


def verdict(codes, fault, table):
    """found / unclear / not found for a planted fault, from the codes a tool gave for the zone."""
    if codes is None:
        return "no result"
    named, follows = table[fault]
    if named & set(codes):
        return "found"
    return "unclear" if follows & set(codes) else "not found"


def run_zonemaster(zone, d, hints, timeout_s):
    out = os.path.join(d, f"zm-{zone}json")
    wall, status, rss = timed(["zonemaster-cli", "--hints", hints, "--json", "--no-progress", zone], out,
                              os.path.join(d, f"zm-{zone}err"), timeout_s)
    return {"wall": wall, "status": status, "rss_mb": rss, "codes": zm_codes(out) if status is not None else None}


def run_dnsviz(zone, d, anchor, timeout_s):
    """dnsviz probe (authoritative, the ancestry through '.', '.' pinned to the fleet's root
    server), then grok (the fleet's root key as its trust anchor, warning and up), each with the
    time left of timeout_s."""
    probe, out, err = (os.path.join(d, f"dv-{zone}{x}") for x in ("probe.json", "json", "err"))
    open(err, "w").close()
    wall, status, rss = timed(["dnsviz", "probe", "-A", "-a", ".", "-x", f".:a.root.fleet.={ROOT_ADDR}", zone],
                              probe, err, timeout_s)
    got = {"wall": wall, "probe_wall": wall, "status": status, "rss_mb": rss, "codes": None}
    if status is None or status != 0:
        return got
    env = {**os.environ, "PYTHONPATH": DNSVIZ_SHIM}
    wall, status, rss = timed(["dnsviz", "grok", "-t", anchor, "-l", "warning", "-r", probe], out, err,
                              max(1.0, timeout_s - got["wall"]), env=env)
    got.update(wall=got["wall"] + wall, status=status, rss_mb=max(rss, got["rss_mb"]),
               codes=dv_codes(out, zone) if status is not None else None)
    return got


def queries(tool, *args):
    """tool(*args), with the queries the root and the TLD received meanwhile (nftables counters)."""
    before = counters()
    got = tool(*args)
    after = counters()
    for server in ("root", "tld"):
        got[server + "_queries"] = sum(after.get(f"{server}-{p}", 0) - before.get(f"{server}-{p}", 0) for p in ("udp", "tcp"))
    return got


def root_dnskey(work):
    """The root's DNSKEY (dnsviz grok takes DNSKEY records as trust anchors, not the DS)."""
    d = os.path.join(work, "keys", "root")
    keys = [f for f in sorted(os.listdir(d)) if f.endswith(".key")]
    if len(keys) != 1:
        fail(f"{d}: want one root key, found {len(keys)}")
    with open(os.path.join(d, keys[0])) as f:
        return f.read().strip()


def hours(seconds):
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min" if seconds < 7200 else f"{seconds / 3600:.1f} h"


def run_peers(work, kept, zones, faults, n, timeout_s):
    """Each peer on each zone of the sample, one zone per process, one after the other. Their
    outputs go to WORK/peers when the fleet is kept, else to a directory of their own that stays."""
    if not in_private_netns():  # checked once more: nothing of the peers may leave this namespace
        fail("refusing to run the peers outside a loopback-only network namespace")
    if kept:
        d = os.path.join(work, "peers")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    else:
        d = tempfile.mkdtemp(prefix="zw-fleet-peers-")
    anchor = os.path.join(d, "root-dnskey")
    with open(anchor, "w") as f:
        f.write(root_dnskey(work) + "\n")
    picked = sample(zones, faults, n)
    results = {"zonemaster-cli": {}, "dnsviz": {}}
    for i, z in enumerate(picked):
        kind = faults[z][0] if faults[z] else "-"
        zm = results["zonemaster-cli"][z] = queries(run_zonemaster, z, d, os.path.join(work, "hints"), timeout_s)
        dv = results["dnsviz"][z] = queries(run_dnsviz, z, d, anchor, timeout_s)
        print(f"fleet: peers {i + 1}/{len(picked)} {z} ({kind}): zonemaster-cli {zm['wall']:.1f} s, "
              f"dnsviz {dv['wall']:.1f} s", file=sys.stderr)
    with open(os.path.join(d, "peers.json"), "w") as f:
        json.dump({"sample": picked, "faults": {z: faults[z] for z in picked}, "timeout_s": timeout_s,
                   "results": results}, f, indent=1)
    return picked, results, d


def report_peers(zones, faults, picked, results, zw, timeout_s, d):
    """The summary block: zonewarden's run beside each peer's sample, and the planted faults each
    reported. zw: wall, peak RSS, found (zone -> rules at warning+). False when a peer gave no
    result on any zone (it could not run here)."""
    n = len(zones)
    kinds = [kind for kind, _ in FAULTS]
    count = {k: sum(1 for z in zones if faults[z] and faults[z][0] == k) for k in kinds}
    count["-"] = n - sum(count.values())
    in_sample = {k: sum(1 for z in picked if (faults[z][0] if faults[z] else "-") == k) for k in kinds}
    print(f"peers on a sample of {len(picked)} of the {n} zones (" +
          ", ".join(f"{in_sample[k]} {k}" for k in kinds) + f", {len(picked) - sum(in_sample.values())} without a fault); "
          f"one zone per process, one after the other, timeout {timeout_s:g} s")
    print(f"  {'tool':<15} {'zones':>6} {'timeouts':>8} {'median s':>9} {'total s':>8} {'zones/s':>8} "
          f"{'peak RSS':>9} {'root q/zone':>11} {'TLD q/zone':>10}   {n:,} zones        10,000 zones")
    print(f"  {'zonewarden':<15} {n:>6} {'-':>8} {'-':>9} {zw['wall']:>8.2f} {n / zw['wall']:>8.1f} "
          f"{zw['rss_mb']:>6.0f} MB {zw['root_queries'] / n:>11.3f} {zw['tld_queries'] / n:>10.2f}   "
          f"{hours(zw['wall']) + ' (run)':<16} ~{hours(zw['wall'] * 10000 / n)}")
    ok = True
    for tool, table in (("zonemaster-cli", ZM_FAULT), ("dnsviz", DV_FAULT)):
        got = results[tool]
        walls = [got[z]["wall"] for z in picked]
        timeouts = sum(1 for z in picked if got[z]["status"] is None)
        ok = ok and any(got[z]["codes"] is not None for z in picked)
        # The whole fleet at the sample's mean per kind of zone (faulty zones are over-represented
        # in the sample and do not cost what a healthy one does).
        per_kind = {}
        for z in picked:
            per_kind.setdefault(faults[z][0] if faults[z] else "-", []).append(got[z]["wall"])
        mean = statistics.mean(walls)
        fleet_s = sum(c * (statistics.mean(per_kind[k]) if k in per_kind else mean) for k, c in count.items())
        rss = max(got[z]["rss_mb"] for z in picked)
        root_q, tld_q = (statistics.mean(got[z][s + "_queries"] for z in picked) for s in ("root", "tld"))
        print(f"  {tool:<15} {len(picked):>6} {timeouts:>8} {statistics.median(walls):>9.2f} {sum(walls):>8.1f} "
              f"{len(picked) / sum(walls):>8.2f} {rss:>6.0f} MB {root_q:>11.1f} {tld_q:>10.1f}   "
              f"~{hours(fleet_s):<15} ~{hours(fleet_s * 10000 / n)}")
    print("  (peers' fleet times: the sample's mean wall per kind of zone times that kind's count in the fleet,\n"
          "   one zone after the other; a timeout counts as its timeout, so that is then a lower bound;\n"
          "   zones/s and median: of the sample, where faulty zones are over-represented;\n"
          "   q/zone: UDP queries and TCP connections the root / the TLD received per zone)")
    print("  planted faults reported, at warning or above (found / unclear / not found / no result):")
    zw_line = {k: [0, 0] for k in kinds}
    for z in picked:
        if faults[z]:
            zw_line[faults[z][0]][0] += faults[z][1] in zw["found"].get(z, set())
            zw_line[faults[z][0]][1] += 1
    print(f"    {'zonewarden':<15} " + "  ".join(f"{k} {f} of {t}" for k, (f, t) in zw_line.items() if t))
    for tool, table in (("zonemaster-cli", ZM_FAULT), ("dnsviz", DV_FAULT)):
        got = results[tool]
        line = []
        for k in kinds:
            v = [verdict(got[z]["codes"], k, table) for z in picked if faults[z] and faults[z][0] == k]
            if v:
                line.append(f"{k} {v.count('found')}/{v.count('unclear')}/{v.count('not found')}/{v.count('no result')}")
        print(f"    {tool:<15} " + "  ".join(line))
    print("  per zone (wall s; codes at warning+; not counted, on every zone as all fleet addresses are "
          "127.54/16:\n   " + ", ".join(sorted(ZM_NOISE)) + " (zonemaster-cli), " + ", ".join(sorted(DV_NOISE)) + " (dnsviz))")
    for z in picked:
        kind = faults[z][0] if faults[z] else "-"
        print(f"    {z} {kind}")
        for tool, table in (("zonemaster-cli", ZM_FAULT), ("dnsviz", DV_FAULT)):
            r = results[tool][z]
            what = "TIMEOUT" if r["status"] is None else verdict(r["codes"], kind, table) if kind != "-" else ""
            codes = "(no output)" if r["codes"] is None else ",".join(r["codes"]) or "nothing"
            codes = codes if len(codes) <= 150 else codes[:147] + "..."
            print(f"      {tool:<15} {r['wall']:6.1f} s  {what + ': ' if what else ''}{codes}")
    print(f"  raw outputs: {d}")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("zonewarden")
    ap.add_argument("--zones", type=int, default=2000)
    ap.add_argument("--fault-every", type=int, default=100)
    ap.add_argument("--rrl", type=int, default=None, help="NSD rrl-ratelimit (default: NSD's own, 200)")
    ap.add_argument("--keep", default=None)
    ap.add_argument("--wrap", default="", help="a command line to run zonewarden under, e.g. "
                    "'heaptrack -o /tmp/zw.heap' (its figures then include the wrapper's)")
    ap.add_argument("--peers", type=int, default=0, metavar="N",
                    help="then time zonemaster-cli and dnsviz on a sample of N zones of the fleet (default 0: not)")
    ap.add_argument("--peer-timeout", type=float, default=120, metavar="S",
                    help="seconds allowed to one peer on one zone (default 120)")
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    a = ap.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    a.audit_args = extra
    exe = os.path.abspath(a.zonewarden)
    if os.geteuid() != 0:
        fail("needs root (a private network namespace and NSD on its addresses)", 77)
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        fail("missing: " + ", ".join(missing), 77)
    if a.peers > 0 and not in_private_netns() and not install_peers():  # apt needs the network: before unshare
        fail("--peers: zonemaster-cli or dnsviz missing and not installable (apt-get install zonemaster-cli dnsviz)", 77)
    if a.peers > 0 and not all(shutil.which(t) for t in PEERS):
        fail("--peers: zonemaster-cli or dnsviz missing", 77)
    if not in_private_netns():
        if os.environ.get("FLEET_IN_NETNS"):
            fail("unshare -n did not give a namespace with loopback only")
        os.environ["FLEET_IN_NETNS"] = "1"
        os.execvp("unshare", ["unshare", "-n", sys.executable, os.path.abspath(__file__), *sys.argv[1:]])
    run(["ip", "link", "set", "lo", "up"])
    work = a.keep or tempfile.mkdtemp(prefix="zw-fleet-")
    os.makedirs(work, exist_ok=True)
    procs = []
    try:
        t0 = time.monotonic()
        # --keep DIR keeps the signed fleet: a later run with the same DIR, --zones and
        # --fault-every serves it again instead of signing it anew (signatures last a month).
        saved = os.path.join(work, "fleet.json")
        params = {"zones": a.zones, "fault_every": a.fault_every}
        reused = None
        if a.keep and os.path.exists(saved):
            with open(saved) as f:
                reused = json.load(f)
            if reused.get("params") != params or time.time() - reused.get("signed_at", 0) > 20 * 86400:
                reused = None
        if reused:
            zones, servers = reused["zones"], reused["servers"]
            faults = {z: tuple(f) if f else None for z, f in reused["faults"].items()}
            print(f"fleet: {len(zones)} signed zones reused from {work}", file=sys.stderr)
        else:
            zones, faults, servers = build(work, a.zones, a.fault_every)
            print(f"fleet: {len(zones)} signed zones built in {time.monotonic() - t0:.1f} s ({work})", file=sys.stderr)
            if a.keep:
                with open(saved, "w") as f:
                    json.dump({"params": params, "signed_at": time.time(), "zones": zones, "faults": faults,
                               "servers": servers}, f)
        for name, (addrs, zs) in servers.items():
            procs.append(start_nsd(work, name, addrs, zs, a.rrl))
        wait_ready(ROOT_ADDR, ".")
        wait_ready(TLD_ADDR, "fleet.")
        for addr in HOST_ADDRS:
            wait_ready(addr, zones[-1])
        subprocess.run(["nft", "-f", "-"], input=NFT, text=True, check=True)
        out = os.path.join(work, "audit.json")
        rss_path = os.path.join(work, "audit.rss")
        cmd = [*shlex.split(a.wrap), exe, "audit", "--zones-from", os.path.join(work, "zones.txt"), "--hints", os.path.join(work, "hints"),
               "--trust-anchor", os.path.join(work, "anchor"), "--format", "json", "-o", out, *a.audit_args]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        status = subprocess.run(with_peak_rss(cmd, rss_path), stderr=subprocess.PIPE, text=True)
        wall = time.monotonic() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        peak_mb = peak_rss_mb(rss_path) or 0.0
        c = counters()
        zw_queries = {"root_queries": c.get("root-udp", 0) + c.get("root-tcp", 0),
                      "tld_queries": c.get("tld-udp", 0) + c.get("tld-tcp", 0)}
        result = json.load(open(out))
        found = {z["zone"]: z["findings"] for z in result["zones"]}
        planted = missed = 0
        false_findings, internal = [], []
        for z in zones:
            fault = faults[z]
            serious = {(f["rule"], f["severity"]) for f in found.get(z, []) if f["severity"] in ("error", "warning")}
            rules = {r for r, _ in serious}
            internal += [f"{z} {f['rule']}" for f in found.get(z, []) if f["rule"].startswith("internal/")]
            if fault:
                planted += 1
                if fault[1] not in rules:
                    missed += 1
                    print(f"MISSED {z} {fault[0]}: want {fault[1]}, got {sorted(rules)}")
                rules.discard(fault[1])
            false_findings += [f"{z} {r}" for r in sorted(rules) if not r.startswith("internal/")]
        print(f"zonewarden audit of {len(zones)} signed zones, {planted} planted faults; NSD RRL "
              f"{a.rrl if a.rrl is not None else 'default (200/s)'}; {os.cpu_count()} cores, load "
              f"{open('/proc/loadavg').read().split()[0]}")
        print(f"  exit status {status.returncode}, wall {wall:.2f} s, CPU {cpu:.2f} s, peak RSS {peak_mb:.0f} MB "
              f"({peak_mb * 1024 / len(zones):.0f} KB per zone)")
        print(f"  root received {c.get('root-udp', 0)} UDP queries and {c.get('root-tcp', 0)} TCP connections; "
              f"the TLD {c.get('tld-udp', 0)} and {c.get('tld-tcp', 0)}")
        print(f"  planted faults found: {planted - missed} of {planted}; false findings (warning+): "
              f"{len(false_findings)}; internal/*: {len(internal)}")
        for line in (false_findings + internal)[:20]:
            print("    " + line)
        if status.stderr.strip():
            print("  stderr: " + status.stderr.strip().splitlines()[-1][:300])
        ok = status.returncode == (1 if planted else 0) and not missed and not false_findings and not internal
        print("fleet: " + ("PASS" if ok else "FAIL"))
        if a.peers > 0:
            picked, results, d = run_peers(work, bool(a.keep), zones, faults, a.peers, a.peer_timeout)
            loud = {z: {f["rule"] for f in fs if f["severity"] in ("error", "warning")} for z, fs in found.items()}
            if not report_peers(zones, faults, picked, results, {"wall": wall, "rss_mb": peak_mb, "found": loud, **zw_queries},
                                a.peer_timeout, d):
                fail("a peer gave no result on any zone of the sample (see " + d + ")")
        return 0 if ok else 1
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
