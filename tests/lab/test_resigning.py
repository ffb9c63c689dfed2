#!/usr/bin/python3
"""Re-signing that stops, seen across nightly runs: rollover/resigning-stalled against real NSD and
a validating Unbound.

    tests/lab/test_resigning.py build/src/cli/zonewarden          (as root; not inside lab.py run)

Self-contained, like test_rollover.py: it re-executes itself in a private network and PID namespace
(`unshare --net --pid`, loopback only: it refuses to go on if any interface but `lo` exists there)
and builds with lab.py's helpers a small signed hierarchy of its own: root `.` and `lab.` on two NSD
instances at lab.py's infrastructure addresses, signed for -1 d .. +120 d so that they stay valid
at every simulated night, and two child zones on a third NSD, ECDSA P-256 (one key each, the
same all along), signed with dnssec-signzone for (night - 1 d) .. (night + 29 d) of their signing
night: a validity of 30 d, BIND's default. T0 is the start time rounded down to the hour; dN is
T0 + N days. Ten nights (NIGHTS) are simulated with `audit --now`: before each, the zones whose
signing night has come are re-signed (SOA serial: the signing night), NSD gets SIGHUP and the test
waits until every server address serves the new serials; then, with one history for all nights,

    zonewarden audit stall.lab. edits.lab. --history H.sqlite --format json --now @dN

  stall.lab.  a periodic signer that stops: signed d0, d22, d44, never again. Both refreshes are
              seen at a margin of 8 d one night before (d21, d43): at each the zone was re-signed
              with more than 8 - 1 = 7 d left; after d44 that floor is learned from 2 refreshes.
              Margins then: d65 8 d and d66 7 d (equal to the floor: quiet), d66.5 6.5 d (below
              the floor, above the 3-day expiry window: rollover/resigning-stalled), d70.5 2.5 d
              (inside the window: dnssec/rrsig-expiring-soon reports it instead).
  edits.lab.  re-signed after edits, always at a high margin: signed d0, d20, d42, never again.
              The runs before the re-signs saw margins of 19 d (d10) and 27 d (d22), more than
              half the validity: no refresh is learned, and its margin falls to 4.5 d (d66.5)
              without a finding. Without that half-validity condition the learning would count
              2 refreshes (floor 6 d) and fire at d66 (5 d): the zone tests the condition.

Checks per night and zone: the servers serve the planted SOA signature (inception, expiration);
the report has exactly the expected rollover/* rules (rule and severity) and
dnssec/rrsig-expiring-soon exactly when expected, and no error-severity finding; the zone's state
in the history (sqlite3 on H.sqlite: zones.state of the latest run) has the expected signed_until,
signed_until_since, validity, refreshes and refresh_floor. Per night: both zones audited, the
history holds one run more, rollover/resigning-stalled on no other zone. The expected values are
EXPECT, computed by hand from the schedule; a model of the rule (learn) applied to the schedule
must give EXPECT too, and give findings on edits.lab. without the half-validity condition and at
d70.5 without the expiry window (so each zone tests what it says it does).

After the ten runs, a copy of the history with edits.lab.'s latest state damaged: an audit of
edits.lab. is one line naming run and zone, exit 2, its report written, no run recorded on top; an
audit of stall.lab. alone does not read that state (a run reads its own zones' states) and runs
as usual.

Referee, after the ten runs, with the zones as last signed: Unbound (lab.py's configuration plus
`val-override-date:`) started three times, asked `stall.lab. SOA` (DO): without an override
(the real date: inception d43 is ahead, SERVFAIL EDE 8; so the next two answers depend on the
override), at d66.5 (NOERROR AD: nothing fails yet, the warning's impact, which the finding's
predicted RCODE must match) and at d75 (SERVFAIL EDE 7: expired at d73; d75 because Unbound allows
a skew of validity/10, at most 1 day). edits.lab.'s answers are printed (INFO).

Prints one line per check and `N passed, M failed`; exit 1 on any failure, 2 when the lab could
not be built, 77 (skipped) when not root or when unshare, ip, nsd, unbound, dig or the BIND
DNSSEC tools are missing. About 3 s.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep tests/lab free of __pycache__
sys.path.insert(0, HERE)
import lab  # noqa: E402
import labtest  # noqa: E402
from labtest import answer_text, dig, finish, wait_serials  # noqa: E402
from lab import DAY, LabError, keygen, run, unbound_conf, utc, write  # noqa: E402

TOOLS = ["unshare", "ip", "nsd", "unbound", "dig", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey"]
TOTAL_TIMEOUT = 120      # the whole test, namespace included
AUDIT_TIMEOUT = 60       # one zonewarden invocation
READY_TIMEOUT = 10       # servers answering after a start or a reload
RESOLVER = lab.RESOLVER[0]
CHILD_NET = 40           # child zone i (1-based) lives at 127.53.(40+i).J and fd53::(40+i):J
INFRA_DAYS = 120         # `.` and `lab.` are signed for -1 d .. +120 d
INCEPTION, EXPIRATION = -1, 29   # a child's signature, in days from its signing night
WINDOW = 3               # days: zonewarden's default expiry window (--expiry-window)

STALLED, SOON = "rollover/resigning-stalled", "dnssec/rrsig-expiring-soon"
ZONES = {"stall.lab.": (0, 22, 44), "edits.lab.": (0, 20, 42)}   # zone: its signing nights
NIGHTS = (0, 10, 21, 22, 43, 44, 65, 66, 66.5, 70.5)             # audited, in days after T0

# By hand, from ZONES: per night and zone, the state the history must hold after that night's run
# (signed_until, signed_until_since, refreshes, refresh_floor; days after T0, the floor in days;
# the validity is always 30 d) and the rules expected among rollover/* and rrsig-expiring-soon,
# all warnings. A refresh at night N (signed_until moved later since night P) has the sample
# (margin at P) - (N - P), counted when the margin at P was below 15 d (half the validity).
EXPECT = {
    # night: (stall.lab., edits.lab.)
    0: ((29, 0, 0, 0, ()), (29, 0, 0, 0, ())),
    10: ((29, 0, 0, 0, ()), (29, 0, 0, 0, ())),                  # margins 19, 19
    21: ((29, 0, 0, 0, ()), (49, 21, 0, 0, ())),                 # 8; edits re-signed d20, margin at d10 19 >= 15
    22: ((51, 22, 1, 7, ()), (49, 21, 0, 0, ())),                # stall: 8 (d21) - 1 = 7; edits 27
    43: ((51, 22, 1, 7, ()), (71, 43, 0, 0, ())),                # 8; edits re-signed d42, margin at d22 27 >= 15
    44: ((73, 44, 2, 7, ()), (71, 43, 0, 0, ())),                # stall: 8 (d43) - 1 = 7: floor 7, 2 refreshes
    65: ((73, 44, 2, 7, ()), (71, 43, 0, 0, ())),                # margins 8, 6
    66: ((73, 44, 2, 7, ()), (71, 43, 0, 0, ())),                # 7 (= the floor: quiet), 5
    66.5: ((73, 44, 2, 7, (STALLED,)), (71, 43, 0, 0, ())),      # 6.5 < 7 and > 3: fires; 4.5
    70.5: ((73, 44, 2, 7, (SOON,)), (71, 43, 0, 0, (SOON,))),    # 2.5, 0.5: inside the 3-day window
}
FIRING = 66.5
# Unbound's answer for `stall.lab. SOA` (DO) with val-override-date at these nights (None: none,
# the real date, about d0): (rcode, EDE or None, AD).
REFEREE = [(None, ("SERVFAIL", 8, False)), (FIRING, ("NOERROR", None, True)), (75, ("SERVFAIL", 7, False))]


def learn(signings, half=True, window=True):
    """The rule's criteria applied to a signing schedule (days): per night, (signed_until, since,
    refreshes, floor, fires). half: only a refresh seen below half the validity counts; window:
    quiet within the expiry window."""
    validity = EXPIRATION - INCEPTION
    out, prev = [], None
    for night in NIGHTS:
        until = max(s for s in signings if s <= night) + EXPIRATION
        since, refreshes, floor, fires = night, 0, 0, False
        if prev:
            p_night, p_until, p_since, refreshes, floor, _ = prev
            if until == p_until:
                since = p_since
                margin = until - night
                fires = refreshes >= 2 and margin < floor and (margin > WINDOW or not window)
            elif until > p_until:
                before = p_until - p_night
                lowest = before - (night - p_night)
                if (2 * before < validity or not half) and lowest > 0:
                    floor = lowest if refreshes == 0 else min(floor, lowest)
                    refreshes += 1
        prev = (night, until, since, refreshes, floor, fires)
        out.append(prev[1:])
    return out


# --------------------------------------------------------------------------------------------
# The hierarchy
# --------------------------------------------------------------------------------------------
class Child:
    def __init__(self, index, zone, workdir):
        self.zone, self.label, self.workdir = zone, zone.split(".")[0], workdir
        net = CHILD_NET + index
        self.addrs = {"ns1": ["127.53.%d.1" % net, "fd53::%d:1" % net],
                      "ns2": ["127.53.%d.2" % net, "fd53::%d:2" % net]}
        self.www = ("127.53.%d.200" % net, "fd53::%d:200" % net)
        self.file = os.path.join(workdir, "zones", zone + "zone")
        self.key, self.serial, self.signed = None, 0, None

    def make_key(self):
        self.key = keygen(os.path.join(self.workdir, "keys", self.label), self.zone, 13, True)

    def text(self, night):
        z = self.zone
        lines = ["$TTL 3600", "%s 3600 IN SOA ns1.%s hostmaster.%s %d 3600 600 1209600 3600" % (z, z, z, self.serial)]
        for ns, (v4, v6) in self.addrs.items():
            lines += ["%s 3600 IN NS %s.%s" % (z, ns, z),
                      "%s.%s 3600 IN A %s" % (ns, z, v4), "%s.%s 3600 IN AAAA %s" % (ns, z, v6)]
        lines += ["www.%s 3600 IN A %s" % (z, self.www[0]), "www.%s 3600 IN AAAA %s" % (z, self.www[1]),
                  '%s 3600 IN TXT "zonewarden re-signing scenario %s, signed d%g"' % (z, self.label, night)]
        return "\n".join(lines) + "\n" + lab.dnskey_text(self.key)

    def sign(self, t0, night):
        """Signs the zone on `night` (days after t0): serial and signature times from that night."""
        at = t0 + night * DAY
        self.serial, self.signed = int(at), night
        src = write(self.file + ".in", self.text(night))
        kdir = os.path.dirname(self.key)
        run(["dnssec-signzone", "-P", "-z", "-O", "full", "-j", "0", "-K", kdir,
             "-s", utc(at + INCEPTION * DAY), "-e", utc(at + EXPIRATION * DAY), "-o", self.zone, "-f", self.file,
             src, self.key + ".key"], cwd=kdir)

    def parent_records(self):
        # lab.build_infra's interface: delegation, glue and DS (TTL 3600) for the parent lab.
        z, lines = self.zone, []
        for ns, (v4, v6) in self.addrs.items():
            lines += ["%s 3600 IN NS %s.%s" % (z, ns, z),
                      "%s.%s 3600 IN A %s" % (ns, z, v4), "%s.%s 3600 IN AAAA %s" % (ns, z, v6)]
        return "\n".join(lines) + "\n" + lab.ds_text(self.key).replace(" IN DS ", " 3600 IN DS ")

    def all_addrs(self):
        return [a for pair in self.addrs.values() for a in pair]


def served_window(child):
    """(inception, expiration) of the RRSIGs over the apex SOA that ns1 of the child serves, as
    YYYYMMDDHHMMSS strings (a sorted list of distinct pairs)."""
    ans = dig("@" + child.addrs["ns1"][0], child.zone, "SOA", "+dnssec", "+norec", "+time=2", "+tries=2")["answer"]
    return sorted({(t[9], t[8]) for t in ans if len(t) > 10 and t[3] == "RRSIG" and t[4] == "SOA"})


# --------------------------------------------------------------------------------------------
# The test, inside the namespace
# --------------------------------------------------------------------------------------------
def audit(exe, zones, hints, anchor, history, out, now):
    argv = [exe, "audit", *zones, "--hints", hints, "--trust-anchor", anchor, "--history", history,
            "--format", "json", "--output", out, "--quiet", "--now", "@%d" % now]
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


def history_latest(path):
    """(number of runs, {zone: state} of the latest run) from the history file, read with sqlite3."""
    con = sqlite3.connect(path, timeout=10)
    try:
        runs = con.execute("SELECT count(*) FROM runs").fetchone()[0]
        rows = con.execute("SELECT zone, state FROM zones WHERE run_id = (SELECT max(id) FROM runs)").fetchall()
    finally:
        con.close()
    return runs, {z.lower().rstrip(".") + ".": json.loads(s) if s else None for z, s in rows}


def check_damaged(c, exe, hints, anchor, history, workdir, now):
    """A damaged zone state (what the rollover rules compare with) in a copy of the history: an
    audit of that zone is one line, exit 2, its report still written and no run recorded on top;
    an audit of another zone (a shard without it) does not read it and runs as usual."""
    damaged = os.path.join(workdir, "damaged.sqlite")
    shutil.copyfile(history, damaged)
    con = sqlite3.connect(damaged, timeout=10)
    try:
        with con:
            con.execute("UPDATE zones SET state = '{\"observed\": 1}' WHERE zone = 'edits.lab.' AND "
                        "run_id = (SELECT max(run_id) FROM zones WHERE zone = 'edits.lab.')")
    finally:
        con.close()

    def runs():
        con = sqlite3.connect(damaged, timeout=10)
        try:
            return con.execute("SELECT count(*) FROM runs").fetchone()[0]
        finally:
            con.close()

    for zone, damaged_zone in (("stall.lab.", False), ("edits.lab.", True)):
        before = runs()
        out = os.path.join(workdir, "damaged-%s.json" % zone.rstrip("."))
        argv = [exe, "audit", zone, "--hints", hints, "--trust-anchor", anchor, "--history", damaged,
                "--format", "json", "--output", out, "--quiet", "--now", "@%d" % now]
        p = subprocess.run(argv, capture_output=True, text=True, timeout=AUDIT_TIMEOUT)
        err = p.stderr.strip()
        what = "damaged state of edits.lab.: audit %s" % zone
        if damaged_zone:
            c.check(p.returncode == 2 and "\n" not in err and "zone edits.lab.: not a zone state" in err,
                    what + ": exit 2, one line naming the run and the zone", "exit %d: %r" % (p.returncode, err))
            c.check(runs() == before, what + ": no run recorded on top of it", "%d runs, were %d" % (runs(), before))
        else:
            c.check(p.returncode in (0, 1) and err == "", what + ": not read (another zone's), a normal run",
                    "exit %d: %r" % (p.returncode, err))
            c.check(runs() == before + 1, what + ": its run recorded", "%d runs, were %d" % (runs(), before))
        c.check(os.path.exists(out), what + ": the report written")


def describe(f):
    r = f.get("resolver") or {}
    pred = "%s%s" % (r.get("rcode"), " EDE %s" % r["ede"] if r.get("ede") is not None else "")
    return "%s (%s, predicts %s): %s" % (f["rule"], f["severity"], pred, f["message"])


def inner(exe, workdir):
    return labtest.run_inner(os.path.splitext(os.path.basename(__file__))[0], test, exe, workdir, (sqlite3.Error,))


def stop(sup, proc):
    """Stops one server this test started (its process group) and forgets it."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=lab.STOP_DEADLINE)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=1)
    sup.procs = [e for e in sup.procs if e[1] is not proc]


def check_model(c):
    """The scenario tests what it says: the rule's criteria on the schedule give EXPECT, and each
    zone depends on the condition it is there for."""
    for i, zone in enumerate(ZONES):
        got = learn(ZONES[zone])
        want = [EXPECT[n][i][:4] + (STALLED in EXPECT[n][i][4],) for n in NIGHTS]
        c.check(got == want, "%s: the rule's criteria on the signing schedule give the expected states and findings"
                % zone, "criteria %s, expected %s" % (got, want))
    naive = [n for n, s in zip(NIGHTS, learn(ZONES["edits.lab."], half=False)) if s[4]]
    c.check(bool(naive), "edits.lab.: counting refreshes at any margin would fire (nights %s)" % naive,
            "it would not fire either")
    naive = [n for n, s in zip(NIGHTS, learn(ZONES["stall.lab."], window=False)) if s[4]]
    c.check(naive == [FIRING, NIGHTS[-1]], "stall.lab.: without the expiry window the rule would fire at d%g too"
            % NIGHTS[-1], "it would fire at %s" % naive)


def check_night(c, night, report, children):
    """One night's report: per zone, the expected rollover/* and expiring-soon findings, no error."""
    tag = "d%g" % night
    for i, ch in enumerate(children):
        z = report[ch.zone]
        want = EXPECT[night][i][4]
        found = [f for f in z["findings"] if f["rule"].startswith("rollover/")]
        for f in found:
            c.info("%s %s: %s" % (tag, ch.zone, describe(f)))
        got = sorted((f["rule"], f["severity"]) for f in found)
        exp = sorted((r, "warning") for r in want if r.startswith("rollover/"))
        c.check(got == exp, "%s %s: rollover/* findings are %s" % (tag, ch.zone, exp or "none"), "got %s" % got)
        soon = sorted({f["severity"] for f in z["findings"] if f["rule"] == SOON})
        c.check(soon == (["warning"] if SOON in want else []), "%s %s: %s %s" % (
            tag, ch.zone, SOON, "(warning)" if SOON in want else "absent"), "severities %s" % soon)
        errors = sorted({f["rule"] for f in z["findings"] if f["severity"] == "error"})
        c.check(not errors, "%s %s: no error-severity finding" % (tag, ch.zone), "errors: %s" % errors)
    where = sorted("%s (in %s's result)" % (f.get("zone"), zr) for zr, z in report.items()
                   for f in z["findings"] if f["rule"] == STALLED)
    firing = [ch.zone for i, ch in enumerate(children) if STALLED in EXPECT[night][i][4]]
    c.check(where == ["%s (in %s's result)" % (z, z) for z in firing],
            "%s: %s %s" % (tag, STALLED, "on %s only" % ", ".join(firing) if firing else "on no zone"),
            "found on %s" % where)


def check_history(c, t0, night, history, n_runs, children):
    runs, states = history_latest(history)
    c.check(runs == n_runs, "d%g: the history holds %d run%s" % (night, n_runs, "s" if n_runs > 1 else ""),
            "it holds %d" % runs)
    for i, ch in enumerate(children):
        until, since, refreshes, floor, _ = EXPECT[night][i]
        want = {"observed": int(t0 + night * DAY), "signed_until": int(t0 + until * DAY),
                "validity": (EXPIRATION - INCEPTION) * DAY, "signed_until_since": int(t0 + since * DAY),
                "refreshes": refreshes, "refresh_floor": floor * DAY}
        st = states.get(ch.zone) or {}
        got = {k: st.get(k, 0 if k in ("refreshes", "refresh_floor") else None) for k in want}
        c.check(got == want, "d%g %s: history state signed_until d%g since d%g, %d refreshes, floor %g d"
                % (night, ch.zone, until, since, refreshes, floor), "history %s" % in_days(got, t0))


def in_days(state, t0):
    """A state's times as days after t0 and its durations in days, for a failure's detail."""
    out = {}
    for k, v in state.items():
        if isinstance(v, (int, float)) and k in ("observed", "signed_until", "signed_until_since"):
            v = "d%g" % ((v - t0) / DAY)
        elif isinstance(v, (int, float)) and k in ("validity", "refresh_floor"):
            v = "%g d" % (v / DAY)
        out[k] = v
    return out


def referee(c, sup, workdir, hints, anchor, t0, override, want, children):
    """Unbound with val-override-date (None: the real date) asked `stall.lab. SOA`; edits.lab. printed."""
    tag = "real date" if override is None else "d%g" % override
    d = os.path.join(workdir, "srv", "unbound-" + tag.replace(" ", "-"))
    text = unbound_conf(d, hints, anchor)
    if override is not None:
        text = text.replace("server:\n", "server:\n  val-override-date: \"%s\"\n" % utc(t0 + override * DAY), 1)
    os.makedirs(d, exist_ok=True)
    conf = write(os.path.join(d, "unbound.conf"), text)
    proc = sup.start("unbound-" + tag, ["unbound", "-d", "-c", conf], os.path.join(d, "stdout.log"))
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while not lab.resolver_ok(RESOLVER):
            sup.check_alive()
            if time.monotonic() > deadline:
                raise LabError("Unbound (%s) did not resolve '. SOA' validated in time" % tag)
            time.sleep(0.05)
        answers = {}
        for ch in children:
            answers[ch.zone] = dig("@" + RESOLVER, ch.zone, "SOA", "+dnssec", "+time=8", "+tries=1")
        r = answers["stall.lab."]
        got = (r["status"], r["ede"], "ad" in r["flags"])
        c.check(got == want, "Unbound at %s: stall.lab. SOA is %s%s%s" % (
            tag, want[0], " AD" if want[2] else "", " EDE %d" % want[1] if want[1] else ""), answer_text(r))
        for ch in children:
            c.info("Unbound at %s: %s SOA: %s" % (tag, ch.zone, answer_text(answers[ch.zone])))
        return r
    finally:
        stop(sup, proc)


def test(exe, workdir, sup, c, t_start):
    t0 = int(time.time()) // 3600 * 3600
    children = [Child(i + 1, zone, workdir) for i, zone in enumerate(ZONES)]
    keys = (keygen(os.path.join(workdir, "keys", "root"), ".", 13, True),
            keygen(os.path.join(workdir, "keys", "lab"), "lab.", 13, True))
    for ch in children:
        ch.make_key()
        ch.sign(t0, 0)
    anchor_text, hints_text = lab.build_infra(workdir, t0, children, *keys, valid_days=INFRA_DAYS)
    hints = write(os.path.join(workdir, "root.hints"), hints_text)
    anchor = write(os.path.join(workdir, "root.anchor"), anchor_text)
    # Three NSD instances (root, lab., the children) on loopback addresses; Unbound comes later.
    insts, procs = labtest.start_nsds(sup, workdir, children)
    child_nsd = procs["nsd-child"]

    def serials():
        return labtest.serving(insts, children, t0)

    wait_serials(sup, serials(), time.monotonic() + READY_TIMEOUT)
    c.info("lab ready in %.1f s: T0 %s, zones %s, workdir %s"
           % (time.monotonic() - t_start, utc(t0), ", ".join(ZONES), workdir))
    check_model(c)

    history = os.path.join(workdir, "history.sqlite")
    stalled, recorded = [], 0
    for night in NIGHTS:
        tag = "d%g" % night
        due = [ch for ch in children if max(s for s in ZONES[ch.zone] if s <= night) != ch.signed]
        if due:
            for ch in due:
                ch.sign(t0, max(s for s in ZONES[ch.zone] if s <= night))
            os.kill(child_nsd.pid, signal.SIGHUP)
            wait_serials(sup, serials(), time.monotonic() + READY_TIMEOUT)
            c.info("%s: re-signed %s (NSD reloaded)" % (tag, ", ".join("%s at d%g" % (ch.zone, ch.signed)
                                                                       for ch in due)))
        for ch in children:
            at = t0 + ch.signed * DAY
            want = [(utc(at + INCEPTION * DAY), utc(at + EXPIRATION * DAY))]
            got = served_window(ch)
            c.check(got == want, "%s %s: ns1 serves the SOA signed d%g (inception, expiration %s)"
                    % (tag, ch.zone, ch.signed, want[0]), "served %s" % got)
        now = int(t0 + night * DAY)
        report, how, a0, a1 = audit(exe, list(ZONES), hints, anchor, history,
                                    os.path.join(workdir, "run-%s.json" % tag), now)
        if not c.check(report is not None and all(z in report for z in ZONES), "%s: audit --now %s audited both zones"
                       % (tag, utc(now)), how):
            continue
        recorded += 1
        c.info("%s: %s in %.1f s; rules %s" % (tag, how, a1 - a0, "; ".join(
            "%s %s" % (z, ", ".join(sorted({f["rule"] for f in r["findings"]})) or "none") for z, r in report.items())))
        check_night(c, night, report, children)
        check_history(c, t0, night, history, recorded, children)
        if night == FIRING:
            stalled = [f for f in report["stall.lab."]["findings"] if f["rule"] == STALLED]

    check_damaged(c, exe, hints, anchor, history, workdir, int(t0 + NIGHTS[-1] * DAY))

    # Referee: what a validating resolver answers at the firing night and after the expiry.
    answers = {}
    for override, want in REFEREE:
        answers[override] = referee(c, sup, workdir, hints, anchor, t0, override, want, children)
    r = answers[FIRING]
    preds = [(f.get("resolver") or {}) for f in stalled]
    c.check(bool(preds) and all(p.get("rcode") == r["status"] == "NOERROR" and p.get("ede") is None for p in preds),
            "d%g: %s predicts NOERROR, Unbound's answer at that date (%s)" % (FIRING, STALLED, answer_text(r)),
            "predicts %s" % ([(p.get("rcode"), p.get("ede")) for p in preds] or "nothing: no finding"))
    return finish(c, t_start)


# --------------------------------------------------------------------------------------------
# Host side
# --------------------------------------------------------------------------------------------
def main(argv):
    return lab.self_contained_main(argv, __file__, TOOLS, TOTAL_TIMEOUT, inner)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
