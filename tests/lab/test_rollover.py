#!/usr/bin/python3
"""Key rollovers seen across runs: the rollover/* rules against real NSD and a validating Unbound.

    tests/lab/test_rollover.py build/src/cli/zonewarden          (as root; not inside lab.py run)

Self-contained: it re-executes itself in a private network and PID namespace (`unshare --net
--pid`, loopback only: it refuses to go on if any interface but `lo` exists there), builds with
lab.py's helpers a small signed hierarchy of its own (root `.` and `lab.` on two NSD instances at
lab.py's infrastructure addresses, five child zones on a third NSD, one per rollover scenario,
all ECDSA P-256, signed with dnssec-signzone for -1 d .. +30 d around now) and a validating
Unbound (lab.py's configuration, its own hints and trust anchor). Then:

  1. asks Unbound `<zone> SOA` (DO) for every child, so that it caches DS and DNSKEY sets;
  2. run 1: `zonewarden audit ZONES --history H.sqlite --format json` (all five zones at once);
  3. re-signs the children (and re-signs `lab.` with the new DS sets), sends NSD SIGHUP and waits
     until every server address serves the new serials; checks on the wire that each zone serves
     exactly the planted DNSKEY set, signers and parent DS set (before run 1 too);
  4. waits until the short DNSKEY TTLs (2 s, 3 s) have run out and run 1 is 4.5 s old, then asks
     Unbound for `www.<zone> A`, which it has not cached: the referee's answer after the change;
  5. run 2 and, at once, run 3 with the same history; checks the history grew by one run each
     time and recorded the new DNSKEY and DS sets.

Scenarios (ROLLOVERS): zsk-swap (ZSK replaced at once, TTL 3600), zsk-prepub (new ZSK published
a run ahead), ksk-ds-swap (KSK and parent DS replaced at once; DS TTL 3600, DNSKEY TTL 3),
double-ds (both DS published a run ahead of the KSK swap), zsk-swap-late (as zsk-swap with TTLs
of 2 s and 4.5 s between the runs). Checks per zone: the served zones are as planted; the rules'
criteria (`criteria`, in Python), applied to what was served in the two runs, give the scenario's
expected rules (so the scenario tests what it says it does); run 1 has no rollover/* finding;
run 2 has exactly the expected rollover/* rules (rule and severity), and no rule id run 1 did not
have but those; an expected error predicts the RCODE and EDE Unbound gave; run 3 has no
rollover/* finding. Unbound's answers are asserted against what it was measured to answer
(REFEREE); the cached apex SOA and a second uncached name are printed (INFO), not compared.

Prints one line per check and `N passed, M failed`; exit 1 on any failure, 2 when the lab could
not be built, 77 (skipped) when not root or when unshare, ip, nsd, unbound, dig or the BIND
DNSSEC tools are missing. About 12 s.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep tests/lab free of __pycache__
sys.path.insert(0, HERE)
import lab  # noqa: E402
import labdns  # noqa: E402
import labtest  # noqa: E402
from labtest import answer_text, dig, finish, wait_serials  # noqa: E402
from lab import (DAY, LabError, key_tag_of, keygen, run,  # noqa: E402
                 unbound_conf, utc, write)

TOOLS = ["unshare", "ip", "nsd", "unbound", "dig", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey"]
TOTAL_TIMEOUT = 180      # the whole test, namespace included
AUDIT_TIMEOUT = 60       # one zonewarden invocation
READY_TIMEOUT = 10       # servers answering after a start or a reload
RUN_GAP = 4.5            # seconds from the end of run 1 to the start of run 2 (zsk-swap-late: TTL 2)
RESOLVER = lab.RESOLVER[0]
CHILD_NET = 30           # child zone i (1-based) lives at 127.53.(30+i).J and fd53::(30+i):J


class State:
    """One run's zone: the keys whose DNSKEY is published, the keys that sign (a KSK signs the
    DNSKEY RRset only, a ZSK everything else: dnssec-signzone -x) and the keys the parent has a DS of."""

    def __init__(self, publish, sign, ds):
        self.publish, self.sign, self.ds = publish, sign, ds


class Rollover:
    def __init__(self, label, ttl, dnskey_ttl, before, after, expect, note):
        self.label, self.zone = label, label + ".lab."
        self.ttl, self.dnskey_ttl = ttl, dnskey_ttl
        self.states = {"before": before, "after": after}
        self.expect = expect   # rollover/* rules run 2 must have: rule -> severity
        self.note = note


ROLLOVERS = [
    Rollover("zsk-swap", 3600, 3600,
             State(["KSK1", "ZSK1"], ["KSK1", "ZSK1"], ["KSK1"]),
             State(["KSK1", "ZSK2"], ["KSK1", "ZSK2"], ["KSK1"]),
             {"rollover/key-used-before-published": "error", "rollover/key-removed-too-soon": "warning"},
             "A: ZSK1 replaced by ZSK2 at once; TTLs 3600"),
    Rollover("zsk-prepub", 3600, 3600,
             State(["KSK1", "ZSK1", "ZSK2"], ["KSK1", "ZSK1"], ["KSK1"]),
             State(["KSK1", "ZSK1", "ZSK2"], ["KSK1", "ZSK2"], ["KSK1"]),
             {}, "B: ZSK2 published in run 1, signs in run 2; ZSK1 still published"),
    Rollover("ksk-ds-swap", 3600, 3,
             State(["KSK1", "ZSK1"], ["KSK1", "ZSK1"], ["KSK1"]),
             State(["KSK2", "ZSK1"], ["KSK2", "ZSK1"], ["KSK2"]),
             {"rollover/ds-change-too-soon": "error"},
             "C: KSK1 and its DS replaced by KSK2 and its DS at once; DS TTL 3600, DNSKEY TTL 3"),
    Rollover("double-ds", 3600, 3,
             State(["KSK1", "ZSK1"], ["KSK1", "ZSK1"], ["KSK1", "KSK2"]),
             State(["KSK2", "ZSK1"], ["KSK2", "ZSK1"], ["KSK1", "KSK2"]),
             {}, "D: DS of KSK1 and KSK2 in both runs; the DNSKEY RRset moves from KSK1 to KSK2"),
    Rollover("zsk-swap-late", 2, 2,
             State(["KSK1", "ZSK1"], ["KSK1", "ZSK1"], ["KSK1"]),
             State(["KSK1", "ZSK2"], ["KSK1", "ZSK2"], ["KSK1"]),
             {}, "E: as zsk-swap, TTLs 2, runs 4.5 s apart"),
]

# What Unbound answers for `www.<zone> A` (never asked before) after the change, with the DS and
# DNSKEY sets it cached before run 1: (rcode, EDE or None, AD). Measured here (Unbound 1.17.1,
# identical in 6 runs); the INFO lines print each answer with its EDE text. zsk-swap: "signatures
# from unknown keys"; ksk-ds-swap: "no keys have a DS with algorithm ECDSAP256SHA256 ... while
# building chain of trust" (a second uncached name of that zone then gets EDE 6, "key ... marked as
# invalid because of a previous validation failure"; zsk-swap's second name gets 9 again).
REFEREE = {
    "zsk-swap": ("SERVFAIL", 9, False),
    "zsk-prepub": ("NOERROR", None, True),
    "ksk-ds-swap": ("SERVFAIL", 9, False),
    "double-ds": ("NOERROR", None, True),
    "zsk-swap-late": ("NOERROR", None, True),
}


# --------------------------------------------------------------------------------------------
# The hierarchy
# --------------------------------------------------------------------------------------------
class Child:
    def __init__(self, index, ro, workdir):
        self.ro, self.zone, self.index, self.workdir = ro, ro.zone, index, workdir
        net = CHILD_NET + index
        self.addrs = {"ns1": ["127.53.%d.1" % net, "fd53::%d:1" % net],
                      "ns2": ["127.53.%d.2" % net, "fd53::%d:2" % net]}
        self.www = ("127.53.%d.200" % net, "fd53::%d:200" % net)
        self.keydir = os.path.join(workdir, "keys", ro.label)
        self.keys, self.tags = {}, {}
        self.state, self.serial = "before", 0
        self.file = os.path.join(workdir, "zones", self.zone + "zone")

    def make_keys(self):
        names = sorted({k for s in self.ro.states.values() for k in s.publish + s.sign + s.ds})
        for name in names:
            for attempt in range(5):  # distinct key tags, so that every check can name a key by its tag
                base = keygen(os.path.join(self.keydir, name, "try%d" % attempt), self.zone, 13,
                              name.startswith("KSK"))
                if key_tag_of(base) not in self.tags.values():
                    break
            self.keys[name], self.tags[name] = base, key_tag_of(base)

    def dnskey_rr(self, name):
        t = lab.dnskey_text(self.keys[name]).split()
        k = t.index("DNSKEY")
        return "%s %d IN DNSKEY %s\n" % (self.zone, self.ro.dnskey_ttl, " ".join(t[k + 1:]))

    def text(self):
        z, ttl, st = self.zone, self.ro.ttl, self.ro.states[self.state]
        lines = ["$TTL %d" % ttl,
                 "%s %d IN SOA ns1.%s hostmaster.%s %d 3600 600 1209600 %d" % (z, ttl, z, z, self.serial, ttl)]
        for ns, (v4, v6) in self.addrs.items():
            lines += ["%s %d IN NS %s.%s" % (z, ttl, ns, z),
                      "%s.%s %d IN A %s" % (ns, z, ttl, v4), "%s.%s %d IN AAAA %s" % (ns, z, ttl, v6)]
        lines += ["www.%s %d IN A %s" % (z, ttl, self.www[0]), "www.%s %d IN AAAA %s" % (z, ttl, self.www[1]),
                  '%s %d IN TXT "zonewarden rollover scenario %s, %s"' % (z, ttl, self.ro.label, self.state)]
        return "\n".join(lines) + "\n" + "".join(self.dnskey_rr(k) for k in st.publish)

    def sign(self, state, serial, now):
        """Signs the zone as `state`: only the signing keys' private keys are where the signer looks."""
        self.state, self.serial = state, serial
        st = self.ro.states[state]
        signdir = os.path.join(self.workdir, "sign", self.ro.label, state)
        os.makedirs(signdir, exist_ok=True)
        for k in st.sign:
            for suffix in (".key", ".private"):
                shutil.copy(self.keys[k] + suffix, signdir)
        src = write(self.file + ".in", self.text())
        run(["dnssec-signzone", "-P", "-x", "-O", "full", "-j", "0", "-K", signdir,
             "-s", utc(now - DAY), "-e", utc(now + 30 * DAY), "-o", self.zone, "-f", self.file, src]
            + [os.path.join(signdir, os.path.basename(self.keys[k])) + ".key" for k in st.sign], cwd=signdir)

    def parent_records(self):
        # lab.build_infra's interface: delegation, glue and DS (TTL 3600) for the parent lab.
        z, lines = self.zone, []
        for ns, (v4, v6) in self.addrs.items():
            lines += ["%s 3600 IN NS %s.%s" % (z, ns, z),
                      "%s.%s 3600 IN A %s" % (ns, z, v4), "%s.%s 3600 IN AAAA %s" % (ns, z, v6)]
        ds = "".join(lab.ds_text(self.keys[k]) for k in self.ro.states[self.state].ds)
        return "\n".join(lines) + "\n" + ds.replace(" IN DS ", " 3600 IN DS ")

    def all_addrs(self):
        return [a for pair in self.addrs.values() for a in pair]


def build(workdir, children, state, now, keys):
    """Signs every child as `state`, then lab. (with the children's DS sets) and the root."""
    for c in children:
        c.sign(state, int(now), now)
    root_key, tld_key = keys
    anchor, hints = lab.build_infra(workdir, now, children, root_key, tld_key)
    return anchor, hints


def ask_resolver(name, qtype):
    return dig("@" + RESOLVER, name, qtype, "+dnssec", "+time=8", "+tries=1")


def served_state(child):
    """What ns1 of the child and ns1.nic.lab. serve: DNSKEY tags and TTL, the tags of the RRSIGs
    over the DNSKEY RRset and over www A, the DS tags and TTL at the parent."""
    ns = child.addrs["ns1"][0]
    dk = dig("@" + ns, child.zone, "DNSKEY", "+dnssec", "+norec", "+time=2", "+tries=2")["answer"]
    www = dig("@" + ns, "www." + child.zone, "A", "+dnssec", "+norec", "+time=2", "+tries=2")["answer"]
    ds = dig("@" + lab.TLD_SERVERS[0][1], child.zone, "DS", "+norec", "+time=2", "+tries=2")["answer"]
    keys = sorted(labdns.key_tag(t[4], t[5], t[6], " ".join(t[7:])) for t in dk if t[3] == "DNSKEY")
    return {"dnskey": keys, "dnskey_ttl": sorted({int(t[1]) for t in dk if t[3] == "DNSKEY"}),
            "dnskey_signers": sorted(int(t[10]) for t in dk if t[3] == "RRSIG"),
            "www_signers": sorted(int(t[10]) for t in www if t[3] == "RRSIG"),
            "www_ttl": sorted({int(t[1]) for t in www if t[3] == "A"}),
            "ds": sorted(int(t[4]) for t in ds if t[3] == "DS"),
            "ds_ttl": sorted({int(t[1]) for t in ds if t[3] == "DS"})}


def planted_state(child, state):
    st, tags = child.ro.states[state], child.tags
    return {"dnskey": sorted(tags[k] for k in st.publish), "dnskey_ttl": [child.ro.dnskey_ttl],
            "dnskey_signers": sorted(tags[k] for k in st.sign if k.startswith("KSK")),
            "www_signers": sorted(tags[k] for k in st.sign if k.startswith("ZSK")), "www_ttl": [child.ro.ttl],
            "ds": sorted(tags[k] for k in st.ds), "ds_ttl": [3600]}


def criteria(prev, now, delta):
    """The rollover/* rules' criteria, applied here to what the servers served (served_state) in
    the two runs, delta seconds apart: the rules that should fire. Keys are named by key tag
    (distinct in this lab, all of algorithm 13); every data RRset is signed like www A."""
    fire = set()
    if (prev["ds"] != now["ds"] and delta < max(prev["ds_ttl"])
            and not any(t in prev["dnskey"] and t in now["dnskey_signers"] for t in prev["ds"])):
        fire.add("rollover/ds-change-too-soon")
    if not any(t in prev["dnskey"] for t in now["www_signers"]) and delta < max(prev["dnskey_ttl"]):
        fire.add("rollover/key-used-before-published")
    valid = [t for t in prev["www_signers"] if t in prev["dnskey"]]
    if len(valid) == 1 and valid[0] not in now["dnskey"] and delta < max(prev["www_ttl"]):
        fire.add("rollover/key-removed-too-soon")
    return frozenset(fire)


# --------------------------------------------------------------------------------------------
# The test, inside the namespace
# --------------------------------------------------------------------------------------------
def audit(exe, zones, hints, anchor, history, out, save=None):
    argv = [exe, "audit", *zones, "--hints", hints, "--trust-anchor", anchor, "--history", history,
            "--format", "json", "--output", out, "--quiet"] + (["--save", save] if save else [])
    t0 = time.time()
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=AUDIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, "timed out after %d s" % AUDIT_TIMEOUT, t0, time.time()
    t1 = time.time()
    if p.returncode not in (0, 1):
        return None, "exit %d: %s" % (p.returncode, p.stderr.strip()[-400:]), t0, t1
    try:
        with open(out) as f:
            return {z["zone"]: z for z in json.load(f)["zones"]}, "exit %d" % p.returncode, t0, t1
    except (OSError, ValueError, KeyError, TypeError) as e:
        return None, "exit %d, unreadable report: %s" % (p.returncode, e), t0, t1


def history_json(exe, history, *action):
    p = subprocess.run([exe, "history", history, *action, "--format", "json"], capture_output=True, text=True,
                       timeout=30)
    if p.returncode != 0:
        return None
    try:
        return json.loads(p.stdout)
    except ValueError:
        return None


def rules(zone_result, prefix=""):
    return {f["rule"] for f in zone_result["findings"] if f["rule"].startswith(prefix)}


def rollover_findings(zone_result):
    return [f for f in zone_result["findings"] if f["rule"].startswith("rollover/")]


def describe(f):
    r = f.get("resolver") or {}
    pred = "%s%s" % (r.get("rcode"), " EDE %s" % r["ede"] if r.get("ede") is not None else "")
    return "%s (%s, predicts %s): %s" % (f["rule"], f["severity"], pred, f["message"])


def inner(exe, workdir):
    return labtest.run_inner(os.path.splitext(os.path.basename(__file__))[0], test, exe, workdir, ())


def test(exe, workdir, sup, c, t_start):
    now = time.time()
    children = [Child(i + 1, ro, workdir) for i, ro in enumerate(ROLLOVERS)]
    keys = (keygen(os.path.join(workdir, "keys", "root"), ".", 13, True),
            keygen(os.path.join(workdir, "keys", "lab"), "lab.", 13, True))
    for ch in children:
        ch.make_keys()
    anchor_text, hints_text = build(workdir, children, "before", now, keys)
    hints = write(os.path.join(workdir, "root.hints"), hints_text)
    anchor = write(os.path.join(workdir, "root.anchor"), anchor_text)
    # Three NSD instances (root, lab., the children) and Unbound, on loopback addresses.
    insts, procs = labtest.start_nsds(sup, workdir, children)
    nsd_pids = [p.pid for p in procs.values()]
    d = os.path.join(workdir, "srv", "unbound")
    conf = write(os.path.join(d, "unbound.conf"), unbound_conf(d, hints, anchor))
    sup.start("unbound", ["unbound", "-d", "-c", conf], os.path.join(d, "stdout.log"))

    def serials():
        return labtest.serving(insts, children, int(now))

    wait_serials(sup, serials(), time.monotonic() + READY_TIMEOUT)
    deadline = time.monotonic() + READY_TIMEOUT
    while not lab.resolver_ok(RESOLVER):
        sup.check_alive()
        if time.monotonic() > deadline:
            raise LabError("Unbound did not resolve '. SOA' validated in time")
        time.sleep(0.05)
    c.info("lab ready in %.1f s: %d zones, %d server processes, workdir %s"
           % (time.monotonic() - t_start, len(children) + 2, len(sup.procs), workdir))
    for ch in children:
        c.info("%s %s" % (ch.zone, ch.ro.note))

    served = {ch.zone: {} for ch in children}
    for ch in children:
        got, want = served_state(ch), planted_state(ch, "before")
        served[ch.zone]["before"] = got
        c.check(got == want, "%s before: served DNSKEY, signers and parent DS as planted" % ch.zone,
                "served %s, planted %s" % (got, want))

    # 1. Unbound caches each zone's DS and DNSKEY sets (validated).
    for ch in children:
        r = ask_resolver(ch.zone, "SOA")
        c.check(r["status"] == "NOERROR" and "ad" in r["flags"], "%s before: Unbound %s SOA is NOERROR AD"
                % (ch.zone, ch.zone), answer_text(r))
    t_primed = time.monotonic()

    # 2. Run 1.
    history = os.path.join(workdir, "history.sqlite")
    zones = [ch.zone for ch in children]
    run1, how, r1_start, r1_end = audit(exe, zones, hints, anchor, history, os.path.join(workdir, "run1.json"))
    c.info("run 1: %s in %.1f s" % (how, r1_end - r1_start))
    if not c.check(run1 is not None and all(z in run1 for z in zones), "run 1 audited every zone", how):
        return finish(c, t_start)
    for ch in children:
        ro_found = rollover_findings(run1[ch.zone])
        c.check(not ro_found, "%s run 1: no rollover/* finding (no previous run)" % ch.zone,
                "; ".join(describe(f) for f in ro_found))
        c.info("%s run 1 rules: %s" % (ch.zone, ", ".join(sorted(rules(run1[ch.zone]))) or "none"))
    h = history_json(exe, history, "runs")
    c.check(h is not None and len(h["runs"]) == 1, "history after run 1 holds 1 run",
            "got %s" % (None if h is None else len(h["runs"])))

    # 3. The change: children re-signed as "after", lab. re-signed with the new DS sets, NSD reloaded.
    now = max(time.time(), now + 1)
    build(workdir, children, "after", now, keys)
    for pid in nsd_pids:
        os.kill(pid, signal.SIGHUP)
    t_change = time.monotonic()
    wait_serials(sup, serials(), time.monotonic() + READY_TIMEOUT)
    c.info("zones re-signed and NSD reloaded (SIGHUP) in %.2f s" % (time.monotonic() - t_change))
    for ch in children:
        got, want = served_state(ch), planted_state(ch, "after")
        served[ch.zone]["after"] = got
        c.check(got == want, "%s after: served DNSKEY, signers and parent DS as planted" % ch.zone,
                "served %s, planted %s" % (got, want))

    # 4. Referee: the short DNSKEY TTLs (3 s, 2 s) run out; then uncached data of every zone.
    short = max(ch.ro.dnskey_ttl for ch in children if ch.ro.dnskey_ttl < 60)
    wait = max(t_primed + short + 1 - time.monotonic(), r1_end + RUN_GAP - time.time(), 0)
    time.sleep(wait)
    for ch in children:
        r = ask_resolver("www." + ch.zone, "A")
        want = REFEREE[ch.ro.label]
        got = (r["status"], r["ede"], "ad" in r["flags"])
        c.check(got == want, "%s after: Unbound www.%s A (uncached) is %s" % (
            ch.zone, ch.zone, "%s%s%s" % (want[0], " AD" if want[2] else "", " EDE %d" % want[1] if want[1] else "")),
            answer_text(r))
        c.info("%s after: Unbound www A: %s" % (ch.zone, answer_text(r)))
    for ch in children:
        # Not compared: the cached apex SOA (signed before the change; what key-removed-too-soon is
        # about), then more uncached data (its EDE may come from the cache of the failure above).
        c.info("%s after: Unbound %s SOA (cached before run 1): %s" % (ch.zone, ch.zone,
                                                                     answer_text(ask_resolver(ch.zone, "SOA"))))
        c.info("%s after: Unbound %s TXT (uncached, asked second): %s" % (ch.zone, ch.zone,
                                                                         answer_text(ask_resolver(ch.zone, "TXT"))))

    # 5. Run 2, then run 3 at once.
    # ZW_ROLLOVER_SAVE=DIR (recording rule fixtures, tests/fixtures/rules/rollover/README.md): run 2
    # also saves its snapshot there, and the history as run 1 left it is copied there first.
    record = os.environ.get("ZW_ROLLOVER_SAVE")
    if record:
        shutil.copyfile(history, os.path.join(record, "history-run1.sqlite"))
    run2, how, r2_start, r2_end = audit(exe, zones, hints, anchor, history, os.path.join(workdir, "run2.json"),
                                        os.path.join(record, "run2.snapshot.json") if record else None)
    c.info("run 2: %s in %.1f s, %.1f s after run 1 ended" % (how, r2_end - r2_start, r2_start - r1_end))
    run3, how3, r3_start, r3_end = audit(exe, zones, hints, anchor, history, os.path.join(workdir, "run3.json"))
    c.info("run 3: %s in %.1f s" % (how3, r3_end - r3_start))
    # The scenarios themselves: the criteria, applied to what was served, say what run 2 must find,
    # whichever of the runs' start and end times the rules take for delta.
    for ch in children:
        fired = {criteria(served[ch.zone]["before"], served[ch.zone]["after"], d)
                 for d in (r2_start - r1_end, r2_end - r1_start)}
        c.check(fired == {frozenset(ch.ro.expect)}, "%s: the criteria on the served zones give %s"
                % (ch.zone, sorted(ch.ro.expect) or "no rollover/* finding"),
                "they give %s" % [sorted(f) for f in fired])
    if c.check(run2 is not None and all(z in run2 for z in zones), "run 2 audited every zone", how):
        for ch in children:
            judge_run2(c, ch.ro, run1[ch.zone], run2[ch.zone])
    h = history_json(exe, history, "runs")
    c.check(h is not None and len(h["runs"]) == 3, "history after run 3 holds 3 runs",
            "got %s" % (None if h is None else len(h["runs"])))
    for ch in children:
        hz = history_json(exe, history, "zone", ch.zone)
        latest = (hz or {}).get("latest") or {}
        want = planted_state(ch, "after")
        got = {"dnskey": sorted(k["key_tag"] for k in latest.get("dnskeys") or []),
               "ds": sorted(k["key_tag"] for k in latest.get("ds") or [])}
        c.check(got == {"dnskey": want["dnskey"], "ds": want["ds"]},
                "%s: history's latest run has the new DNSKEY and DS sets" % ch.zone,
                "history %s, served %s" % (got, {"dnskey": want["dnskey"], "ds": want["ds"]}))
    if c.check(run3 is not None and all(z in run3 for z in zones), "run 3 audited every zone", how3):
        for ch in children:
            judge_run3(c, ch.ro, run3[ch.zone])
    return finish(c, t_start)


def judge_run2(c, ro, z1, z2):
    """Run 2 of one zone (z1, z2: its results in runs 1 and 2) against the scenario's expectation."""
    zone = ro.zone
    found = rollover_findings(z2)
    for f in found:
        c.info("%s run 2: %s" % (zone, describe(f)))
    got = {(f["rule"], f["severity"]) for f in found}
    for rule, sev in sorted(ro.expect.items()):
        c.check((rule, sev) in got, "%s run 2: %s (%s)" % (zone, rule, sev),
                "rollover findings: %s" % (sorted(got) or "none"))
    extra = sorted(r for r in rules(z2, "rollover/") if r not in ro.expect)
    c.check(not extra, "%s run 2: no rollover/* finding but %s" % (zone, sorted(ro.expect) or "none"),
            "also %s" % extra)
    new = sorted(rules(z2) - rules(z1) - set(ro.expect))
    c.check(not new, "%s run 2: no other rule id that run 1 did not have" % zone, "new: %s" % new)
    # An expected error predicts what Unbound answered after the change.
    rcode, ede, _ad = REFEREE[ro.label]
    for rule, sev in sorted(ro.expect.items()):
        if sev == "error" and rcode == "SERVFAIL":
            preds = [(f.get("resolver") or {}) for f in found if f["rule"] == rule]
            c.check(any(p.get("rcode") == rcode and p.get("ede") == ede for p in preds),
                    "%s run 2: %s predicts %s EDE %s (Unbound's answer)" % (zone, rule, rcode, ede),
                    "predicts %s" % ([(p.get("rcode"), p.get("ede")) for p in preds] or "nothing"))


def judge_run3(c, ro, z3):
    """Run 3 of one zone: served as in run 2, which is now prev: no rollover/* finding."""
    found = rollover_findings(z3)
    if ro.label == "zsk-swap":
        kubp = [f for f in found if f["rule"] == "rollover/key-used-before-published"]
        c.check(not kubp, "%s run 3 (served as in run 2): no rollover/key-used-before-published" % ro.zone,
                "; ".join(describe(f) for f in kubp))
    c.check(not found, "%s run 3 (served as in run 2): no rollover/* finding" % ro.zone,
            "; ".join(describe(f) for f in found))


# --------------------------------------------------------------------------------------------
# Host side
# --------------------------------------------------------------------------------------------
def main(argv):
    return lab.self_contained_main(argv, __file__, TOOLS, TOTAL_TIMEOUT, inner)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
