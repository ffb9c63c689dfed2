#!/usr/bin/python3
"""`zonewarden explain` against the lab's validating Unbound. Run inside a fresh lab (Unbound's
cache must not have seen the scenario zones yet):

    tests/lab/lab.py run -- python3 tests/lab/test_explain.py build/src/cli/zonewarden [--jobs N]

For every scenario of $ZW_LAB_SCENARIOS it first asks Unbound ($ZW_LAB_RESOLVER, `ede: yes`),
each question once and in this order, `<zone> SOA`, `www.<zone> A`, `zw-nx-test.<zone> A` (a
name that does not exist) and `<zone> NULL` (apex NODATA) (the SOA first: Unbound's EDE for a
later query can come from its cache of an earlier failure, see test_referee.py). Then
it runs, for each of those questions (a pool of --jobs workers, default 4):

    ZONEWARDEN explain NAME TYPE --hints $ZW_LAB_HINTS --trust-anchor $ZW_LAB_ANCHOR --format json

and holds explain's answer to Unbound's: for SERVFAIL, `rcode` and `ede` must both match; for
any other answer, `rcode` must. One allowance, for Unbound's cache: a later question's SERVFAIL
with EDE 6 after the zone's SOA failed with another EDE is that failure seen again ("marked as
invalid because of a previous validation failure"); explain must then give the SOA's EDE, the
root cause. The expectations are Unbound's live answers, never zonewarden's
output. Prints one line per comparison (with the rules explain names) and `N passed, M failed`.
Exit 0 all passed, 1 any failed, 77 when the lab is not there. ZW_EXPLAIN_EVERY=N asks only
every N-th scenario (the sanitizer run's sample).
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # keep tests/lab free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from selftest import RESOLVER_MAY_HANG  # noqa: E402
from test_referee import SKIP, ask, lab_ready, norm, show_answer  # noqa: E402
from selftest import RESOLVER_ATTEMPTS  # noqa: E402


def questions(zone):
    """(qname, qtype) in the order Unbound is asked."""
    return [(zone, "SOA"), ("www." + zone, "A"), ("zw-nx-test." + zone, "A"), (zone, "TYPE10")]


def explain(binary, qname, qtype, timeout):
    """explain's JSON answer as a dict, or {"error": text}."""
    argv = [binary, "explain", qname, qtype, "--hints", os.environ["ZW_LAB_HINTS"],
            "--trust-anchor", os.environ["ZW_LAB_ANCHOR"], "--format", "json"]
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
    except FileNotFoundError:
        return {"error": "binary not found: " + binary}
    except subprocess.TimeoutExpired:
        return {"error": "timed out after %.0f s" % timeout}
    if p.returncode not in (0, 1, 2):
        return {"error": "exit status %d: %s" % (p.returncode, p.stderr.strip()[-500:])}
    try:
        out = json.loads(p.stdout)
    except ValueError:
        return {"error": "exit status %d, no JSON: %s" % (p.returncode, p.stderr.strip()[-500:])}
    if not isinstance(out, dict) or "rcode" not in out or "ede" not in out:
        return {"error": "no rcode/ede in the output"}
    expected_exit = {"NOERROR": 0, "NXDOMAIN": 0, "SERVFAIL": 1}.get(out["rcode"], 2)
    if p.returncode != expected_exit:
        return {"error": "exit status %d with rcode %s (expected %d)" % (p.returncode, out["rcode"], expected_exit)}
    return out


def show_explain(out):
    if "error" in out:
        return "error: " + out["error"]
    s = "%s%s (%s)" % (out["rcode"], "" if out["ede"] is None else " EDE %d" % out["ede"], out.get("status"))
    return s + (" rules " + ",".join(out["rules"]) if out.get("rules") else "")


def agree(answer, out):
    if "error" in out:
        return False
    if answer["rcode"] == "SERVFAIL":
        return out["rcode"] == "SERVFAIL" and out["ede"] == answer["ede"]
    return out["rcode"] == answer["rcode"]


def main():
    ap = argparse.ArgumentParser(description="zonewarden explain against the lab's Unbound")
    ap.add_argument("zonewarden", help="path of the zonewarden binary")
    ap.add_argument("--jobs", type=int, default=4, help="explains run at once (default 4)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds before one explain is killed")
    args = ap.parse_args()

    ready = lab_ready("test_explain", args.zonewarden)
    if ready is None:
        return SKIP
    resolver, scenarios, binary = ready
    # ZW_EXPLAIN_EVERY=N (the sanitizer run: 2): every N-th scenario only, in the lab's order, so
    # that each kind of question still meets both healthy and broken zones.
    every = int(os.environ.get("ZW_EXPLAIN_EVERY", "1") or 1)
    if every > 1:
        scenarios = scenarios[::every]
        print(f"ZW_EXPLAIN_EVERY={every}: {len(scenarios)} scenarios of every {every}")

    # Unbound first, each question once, the SOA of a zone before its www.
    with concurrent.futures.ThreadPoolExecutor(max_workers=7) as pool:
        answers = list(pool.map(
            lambda sc: [ask(resolver, q, t, RESOLVER_ATTEMPTS) for q, t in questions(norm(sc["zone"]))], scenarios))
    jobs = [(sc, q, t, a) for sc, asked in zip(scenarios, answers)
            for (q, t), a in zip(questions(norm(sc["zone"])), asked)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outs = list(pool.map(lambda j: explain(binary, j[1], j[2], args.timeout), jobs))

    passed = failed = 0
    for (sc, qname, qtype, a), out in zip(jobs, outs):
        where = "%s %s: unbound %s, explain %s" % (qname, qtype.replace("TYPE10", "NULL"), show_answer(a),
                                                    show_explain(out))
        if a["rcode"] is None:
            if any(s["behaviour"] in RESOLVER_MAY_HANG for s in sc["servers"]):
                print("SKIP %s (tolerated: a server that never answers over TCP)" % where)
                continue
            failed += 1
            print("FAIL %s: the resolver did not answer" % where)
            continue
        ok = agree(a, out)
        note = ""
        soa = answers[scenarios.index(sc)][0]
        if (not ok and qtype != "SOA" and a["rcode"] == "SERVFAIL" and a["ede"] == 6 and soa["rcode"] == "SERVFAIL"
                and soa["ede"] != 6 and agree(soa, out)):
            # Unbound marks the zone's key invalid after the SOA failed and answers later questions
            # with EDE 6 "because of a previous validation failure" (checked: asked first, the www
            # question gets the SOA's EDE). explain names the root cause, as for the SOA.
            ok = True
            note = " (Unbound's EDE 6 is its cached failure of the SOA, EDE %d)" % soa["ede"]
        passed, failed = passed + ok, failed + (not ok)
        print("%s %s%s" % ("PASS" if ok else "FAIL", where, note))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
