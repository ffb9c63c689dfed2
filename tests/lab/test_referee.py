#!/usr/bin/python3
"""The lab's validating Unbound as referee of zonewarden's resolver predictions. Run inside a
fresh lab (Unbound's cache must not have seen the scenario zones yet):

    tests/lab/lab.py run -- python3 tests/lab/test_referee.py build/src/cli/zonewarden
                                                              [--output OUT.json] [--timeout SECONDS]

For every scenario of $ZW_LAB_SCENARIOS it asks Unbound ($ZW_LAB_RESOLVER, `ede: yes`), in this
order, `<zone> SOA`, `www.<zone> A`, `zw-nx-test.<zone> A` (a name that does not exist) and
`<zone> NULL` (apex NODATA), and records RCODE and EDE. The SOA goes first: Unbound's EDE for a
later query can come from its cache of an earlier failure (EDE 6 "marked as invalid because of a
previous validation failure") instead of the root cause. Meanwhile it runs zonewarden ONCE:

    ZONEWARDEN audit Z1 Z2 ... --hints $ZW_LAB_HINTS --trust-anchor $ZW_LAB_ANCHOR
               --name www.Z1 --name zw-nx-test.Z1/A ... --format json --output OUT.json

(a binary that rejects --name is run again without it, and the output says so; the audit's own
denial probes ask the apex NULL). Then it compares, per zone, a finding's `resolver` prediction
with what Unbound answered:

  * `<zone> SOA`, against the findings at the apex (owner the zone or null, type SOA, DNSKEY, DS
    or null). SERVFAIL: one of them with severity "error" must predict rcode SERVFAIL and
    Unbound's EDE (when the apex has no error finding, the zone's first error finding is taken).
    Any other answer: none of them may predict SERVFAIL. A SERVFAIL that no error finding
    predicts passes only when a lame-server finding (delegation/lame-*, a warning) explains it
    and the resolver answers the same question when asked again (two more tries, 2 s apart):
    server selection that tried the lame server first can fail a query now and then.
  * `www.<zone> A`, `zw-nx-test.<zone> A` and `<zone> NULL`, the same way against the findings
    about that name and type (type null too; for the non-existent name and the NODATA type these
    are the denial findings: the proof of that answer). A SERVFAIL here while the SOA failed too
    is the apex failure seen again, already compared.

The same is done for the lab's BIND and Knot Resolver (ZW_LAB_RESOLVER_BIND, _KRESD) against the
same observations replayed with `--restore SNAPSHOT --resolver-model bind|knot-resolver`
(docs/resolvers.md). The expectations are the resolvers' live answers, never zonewarden's
output. Prints one line per comparison and `N passed, M failed`.
Exit 0 all passed, 1 any failed (zonewarden failing or timing out fails every comparison),
77 when the lab is not there (not run inside lab.py, or its resolver does not answer).
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # keep tests/lab free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from selftest import RESOLVER_ATTEMPTS, RESOLVER_MAY_HANG, RESOLVER_TIME, dig  # noqa: E402

APEX_TYPES = (None, "", "SOA", "DNSKEY", "DS")
OTHER_RESOLVERS = [("bind", "ZW_LAB_RESOLVER_BIND"), ("kresd", "ZW_LAB_RESOLVER_KRESD")]
MODEL_OF = {"bind": "bind", "kresd": "knot-resolver"}  # zonewarden audit --resolver-model
SKIP = 77


def norm(name):
    n = (name or "").strip().lower()
    return n if n.endswith(".") else n + "."


def queries(zone):
    """(label, qname, qtype) in the order they are asked; the SOA first (see the docstring)."""
    return [("SOA", zone, "SOA"), ("www A", "www." + zone, "A"),
            ("nx A", "zw-nx-test." + zone, "A"), ("apex NULL", zone, "TYPE10")]


def ask(resolver, qname, qtype, attempts):
    """Unbound's answer as {"rcode", "ede", "ad", "attempt"}; rcode None when it never answered.
    Retried only when there is no answer at all, as selftest does."""
    for attempt in range(1, attempts + 1):
        r = dig("@" + resolver, qname, qtype, "+dnssec", "+time=%d" % RESOLVER_TIME, "+tries=1", timeout=40)
        if r["status"] is not None:
            return {"rcode": r["status"], "ede": r["ede"], "ad": "ad" in r["flags"], "attempt": attempt}
    return {"rcode": None, "ede": None, "ad": False, "attempt": attempts}


def ask_zone(resolver, sc):
    return [(label, qname, qtype, ask(resolver, qname, qtype, RESOLVER_ATTEMPTS))
            for label, qname, qtype in queries(sc["zone"])]


def show_answer(a):
    if a["rcode"] is None:
        return "no answer"
    s = a["rcode"] + (" EDE %d" % a["ede"] if a["ede"] is not None else "") + (" AD" if a["ad"] else "")
    return s + (" (attempt %d)" % a["attempt"] if a["attempt"] > 1 else "")


def prediction(f):
    r = f.get("resolver") or {}
    return r.get("rcode"), r.get("ede")


def show_finding(f):
    rcode, ede = prediction(f)
    return "%s(%s) at %s %s predicts %s%s" % (f.get("rule"), f.get("severity"), f.get("owner"), f.get("type"),
                                              rcode, "" if ede is None else " EDE %s" % ede)


def about_apex(f, zone):
    return norm(f.get("owner") or zone) == zone and f.get("type") in APEX_TYPES


def about_name(f, name, qtype):
    return norm(f.get("owner") or "") == name and f.get("type") in (None, "", qtype, qtype.replace("TYPE10", "NULL"))


def compare(answer, concerned, findings):
    """Returns (ok, reason): does zonewarden's prediction agree with Unbound's `answer`?"""
    if answer["rcode"] == "SERVFAIL":
        errors = [f for f in concerned if f.get("severity") == "error"]
        if not errors:
            errors = [f for f in findings if f.get("severity") == "error"][:1]
        if not errors:
            return False, "no error finding"
        for f in errors:
            if prediction(f) == ("SERVFAIL", answer["ede"]):
                return True, show_finding(f)
        return False, "; ".join(show_finding(f) for f in errors)
    wrong = [f for f in concerned if prediction(f)[0] == "SERVFAIL"]
    if wrong:
        return False, "; ".join(show_finding(f) for f in wrong)
    return True, "no finding predicts SERVFAIL"


# A lame server (one that refuses, fails, is silent or is not authoritative) can make a resolver
# fail a query now and then: its server selection tried the lame one and ran out of budget
# before the healthy one answered. The zone's fault is then the lame server, a warning, not an
# error: resolvers answer when asked again.
LAME_RULES = ("delegation/lame-refused", "delegation/lame-servfail", "delegation/lame-unreachable",
              "delegation/lame-not-authoritative")


def transient(address, qname, qtype, concerned, findings, reason):
    """A SERVFAIL that no error finding predicts is accepted only as the passing failure a lame
    server explains: a lame-* finding exists, and the resolver answers when asked again."""
    lame = [f for f in findings if f.get("rule") in LAME_RULES]
    if not lame:
        return False, reason
    for attempt in (2, 3):
        time.sleep(2)
        again = ask(address, qname, qtype, 1)
        if again["rcode"] not in (None, "SERVFAIL"):
            ok, why = compare(again, concerned, findings)
            if ok:
                return True, "SERVFAIL once, %s on attempt %d: transient, explained by %s (%s)" % (
                    again["rcode"], attempt, show_finding(lame[0]), why)
            return False, why
    return False, reason + " (SERVFAIL again on two more attempts)"


def run_zonewarden(argv, timeout):
    """Returns (CompletedProcess or None, error text)."""
    try:
        return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout), ""
    except FileNotFoundError:
        return None, "binary not found: " + argv[0]
    except PermissionError:
        return None, "binary not executable: " + argv[0]
    except subprocess.TimeoutExpired:
        return None, "timed out after %.0f s" % timeout


def audit(binary, scenarios, out, timeout, snapshot=None):
    """Runs zonewarden once over every scenario zone (saving the snapshot to `snapshot` when
    given); returns ({zone: findings}, error text, notes)."""
    zones = [sc["zone"] for sc in scenarios]
    base = [binary, "audit"] + zones + ["--hints", os.environ["ZW_LAB_HINTS"],
                                        "--trust-anchor", os.environ["ZW_LAB_ANCHOR"]]
    names = [a for z in zones for a in ("--name", "www." + z, "--name", "zw-nx-test.%s/A" % z)]
    tail = ["--format", "json", "--output", out] + (["--save", snapshot] if snapshot else [])
    notes = []
    p, err = run_zonewarden(base + names + tail, timeout)
    return read_report(p, err, out, notes, base + tail, timeout)


def replay(binary, snapshot, model, out, timeout):
    """The same audit replayed from its snapshot with --resolver-model `model`."""
    p, err = run_zonewarden([binary, "audit", "--restore", snapshot, "--resolver-model", model,
                             "--format", "json", "--output", out], timeout)
    return read_report(p, err, out, [], None, timeout)


def read_report(p, err, out, notes, retry_argv, timeout):
    if retry_argv and p is not None and p.returncode == 2 and "--name" in (p.stderr or ""):
        said = (p.stderr or "").strip().splitlines()[-1]
        notes.append("this zonewarden rejects --name (%s); ran without it" % said[:said.find("--name") + 6])
        p, err = run_zonewarden(retry_argv, timeout)
    if p is None:
        return None, err, notes
    if p.returncode not in (0, 1):
        return None, "exit status %d: %s" % (p.returncode, (p.stderr or "").strip()[-2000:]), notes
    try:
        with open(out) as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        return None, "cannot read %s: %s" % (out, e), notes
    if not isinstance(report, dict) or not isinstance(report.get("zones"), list):
        return None, "%s has no \"zones\" list" % out, notes
    by_zone = {}
    for entry in report["zones"]:
        if isinstance(entry, dict) and isinstance(entry.get("zone"), str) and isinstance(entry.get("findings"), list):
            by_zone[norm(entry["zone"])] = [f for f in entry["findings"] if isinstance(f, dict)]
    return by_zone, "", notes


def lab_ready(test, zonewarden):
    """(resolver, scenarios, binary path) when the lab and its resolver are there; else prints why
    `test` is skipped and returns None."""
    need = ("ZW_LAB_SCENARIOS", "ZW_LAB_HINTS", "ZW_LAB_ANCHOR", "ZW_LAB_RESOLVER")
    missing = [v for v in need if v not in os.environ]
    if missing:
        print("%s: skipped: %s not set; run me with tests/lab/lab.py run -- python3 %s ZONEWARDEN"
              % (test, ", ".join(missing), sys.argv[0]))
        return None
    resolver = os.environ["ZW_LAB_RESOLVER"]
    if ask(resolver, ".", "SOA", 2)["rcode"] != "NOERROR":
        print("%s: skipped: the lab's resolver %s does not resolve '. SOA'" % (test, resolver))
        return None
    with open(os.environ["ZW_LAB_SCENARIOS"]) as f:
        scenarios = json.load(f)
    binary = os.path.abspath(zonewarden) if os.sep in zonewarden else zonewarden
    return resolver, scenarios, binary


def main():
    ap = argparse.ArgumentParser(description="Unbound as referee of zonewarden's resolver predictions")
    ap.add_argument("zonewarden", help="path of the zonewarden binary")
    ap.add_argument("--output", metavar="OUT.json", help="the JSON report (default: a temporary file)")
    ap.add_argument("--timeout", type=float, default=200.0,
                    help="seconds before zonewarden is killed (default 200, inside meson's 300)")
    args = ap.parse_args()

    ready = lab_ready("test_referee", args.zonewarden)
    if ready is None:
        return SKIP
    resolver, scenarios, binary = ready
    out = os.path.abspath(args.output) if args.output else os.path.join(
        tempfile.mkdtemp(prefix="zw-referee-", dir=os.environ.get("LAB_DIR")), "audit.json")
    if os.path.exists(out):
        os.remove(out)

    # zonewarden asks the servers directly, never a resolver: all run at once.
    others = [(n, os.environ[v]) for n, v in OTHER_RESOLVERS if os.environ.get(v)]
    snapshot = out + ".snapshot.json"
    with concurrent.futures.ThreadPoolExecutor(max_workers=7 + 4 * len(others)) as pool:
        zw = pool.submit(audit, binary, scenarios, out, args.timeout, snapshot)
        more = {n: pool.map(lambda sc, a=a: ask_zone(a, sc), scenarios) for n, a in others}
        answers = list(pool.map(lambda sc: ask_zone(resolver, sc), scenarios))
        more = {n: list(m) for n, m in more.items()}
        by_zone, err, notes = zw.result()
    for n in notes:
        print("note: " + n)
    # The same observations judged for BIND and Knot Resolver (--resolver-model), held to their
    # live answers the same way as Unbound's.
    by_model = {}
    for n, _ in others:
        if by_zone is not None and os.path.exists(snapshot):
            by_model[n] = replay(binary, snapshot, MODEL_OF[n], "%s.%s.json" % (out, n), args.timeout)

    addresses = dict([("unbound", resolver)] + others)
    passed = failed = 0
    for k, (sc, asked) in enumerate(zip(scenarios, answers)):
        zone = norm(sc["zone"])
        hang_ok = any(s["behaviour"] in RESOLVER_MAY_HANG for s in sc["servers"])
        rounds = [("unbound", asked, by_zone.get(zone) if by_zone is not None else None,
                   err or "zone missing from the JSON output")]
        for n, _ in others:
            rounds.append((n, more[n][k], (by_model.get(n, (None,))[0] or {}).get(zone),
                           "zonewarden --resolver-model %s gave no result for the zone" % MODEL_OF[n]))
        for resolver_name, answers_of_zone, findings, missing in rounds:
            soa = answers_of_zone[0][3]
            for i, (label, qname, qtype, a) in enumerate(answers_of_zone):
                where = "%s %s: %s %s" % (qname, qtype.replace("TYPE10", "NULL"), resolver_name, show_answer(a))
                if a["rcode"] is None:
                    if hang_ok:
                        print("SKIP %s (tolerated: a server that never answers over TCP)" % where)
                        continue
                    failed += 1
                    print("FAIL %s: the resolver did not answer" % where)
                    continue
                if label != "SOA" and a["rcode"] == "SERVFAIL" and soa["rcode"] == "SERVFAIL":
                    print("SKIP %s (the apex failure again, compared at the SOA)" % where)
                    continue
                if findings is None:
                    failed += 1
                    print("FAIL %s: %s" % (where, missing))
                    continue
                if label == "SOA":
                    concerned = [f for f in findings if about_apex(f, zone)]
                else:
                    concerned = [f for f in findings if about_name(f, norm(qname), qtype)]
                ok, reason = compare(a, concerned, findings)
                if not ok and a["rcode"] == "SERVFAIL":
                    ok, reason = transient(addresses[resolver_name], qname, qtype, concerned, findings, reason)
                passed, failed = passed + ok, failed + (not ok)
                print("%s %s: %s" % ("PASS" if ok else "FAIL", where, reason))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
