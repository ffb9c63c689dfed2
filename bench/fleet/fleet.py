#!/usr/bin/env python3
"""bench/fleet: one `zonewarden audit` of a fleet of signed zones (issue #10), in a private
network namespace of its own (loopback only: nothing leaves this machine).

    sudo bench/fleet/fleet.py ZONEWARDEN [--zones N] [--fault-every K] [--rrl QPS] [--keep DIR]
                                [--wrap 'CMD ...'] [-- AUDIT OPTIONS]

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
"""
import argparse
import json
import os
import resource
import shlex
import shutil
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
TOOLS = ["nsd", "nft", "ip", "ldns-keygen", "ldns-signzone", "ldns-key2ds"]


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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("zonewarden")
    ap.add_argument("--zones", type=int, default=2000)
    ap.add_argument("--fault-every", type=int, default=100)
    ap.add_argument("--rrl", type=int, default=None, help="NSD rrl-ratelimit (default: NSD's own, 200)")
    ap.add_argument("--keep", default=None)
    ap.add_argument("--wrap", default="", help="a command line to run zonewarden under, e.g. "
                    "'heaptrack -o /tmp/zw.heap' (its figures then include the wrapper's)")
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
        cmd = [*shlex.split(a.wrap), exe, "audit", "--zones-from", os.path.join(work, "zones.txt"), "--hints", os.path.join(work, "hints"),
               "--trust-anchor", os.path.join(work, "anchor"), "--format", "json", "-o", out, *a.audit_args]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        status = subprocess.run(cmd, stderr=subprocess.PIPE, text=True)
        wall = time.monotonic() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        peak_mb = after.ru_maxrss / 1024  # the largest child so far: zonewarden, NSD and ldns run before it are smaller
        c = counters()
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
