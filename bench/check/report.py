#!/usr/bin/env python3
"""Measuring and reporting for bench/check/run.sh (standard library only).

    report.py corrupt SIGNED OUT
        Writes SIGNED with one RRSIG broken: the middle RRSIG over an A RRset gets one base64
        character of its signature changed. SIGNED must be in dnssec-signzone -O full format (one
        RR per line). Prints the owner name of the broken RRSIG.

    report.py measure --title T --zone FILE --bad FILE --rrsigs N --openssl ALG --runs R
                      --work DIR --results FILE [--timeout S] -- "LABEL|COMMAND {zone}" ...
        Runs every command R times, round-robin (run 1 of every tool, then run 2, ...), each under
        /usr/bin/time -f '%e %U %S %M', with {zone} replaced by FILE; then once on the broken
        copy (--bad; skipped when empty). The first command is ours (label starting with
        "zonewarden"), when present. Prints one table (median wall, median CPU = user + sys,
        median peak RSS, ratios peer/ours, the verdict of each tool's exit status on the healthy
        zone and on the broken copy), the crypto limit (RRSIGs / (openssl speed verify/s x cores))
        and the three targets; with --read-floor, the read + crypto limit too; appends one JSON line
        to --results.

    report.py summary RESULTS
        One line per zone and target, over every zone measured in this run.

Exit status convention of the tools: 0 = the zone verifies; anything else = it does not (for
zonewarden check: 1 findings at/above error, 2 could not run). A tool killed by --timeout is
reported as "timeout".
"""
import argparse
import json
import os
import re
import shlex
import signal
import statistics
import subprocess
import sys
import time

TIME_FORMAT = "%e %U %S %M"
# Issue #9: our median wall time within this factor of the crypto limit.
CRYPTO_TARGET = 1.1
OURS_PREFIX = "zonewarden"


# ---------------------------------------------------------------------------------------------
# corrupt
# ---------------------------------------------------------------------------------------------
def corrupt(signed, out):
    candidates = []
    with open(signed, encoding="ascii") as f:
        for number, line in enumerate(f):
            fields = line.split()
            if len(fields) > 12 and fields[3] == "RRSIG" and fields[4] == "A":
                candidates.append(number)
    if not candidates:
        sys.exit(f"report.py: no RRSIG over an A RRset in {signed} (not -O full format?)")
    target = candidates[len(candidates) // 2]
    owner = None
    tmp = out + ".tmp"
    with open(signed, encoding="ascii") as f, open(tmp, "w", encoding="ascii") as o:
        for number, line in enumerate(f):
            if number == target:
                fields = line.split()
                owner = fields[0]
                sig = fields[-1]  # the last base64 chunk of the signature; never its padding
                i = len(sig) // 2
                fields[-1] = sig[:i] + ("B" if sig[i] != "B" else "C") + sig[i + 1:]
                line = "\t".join(fields) + "\n"
            o.write(line)
    os.replace(tmp, out)
    print(owner)


# ---------------------------------------------------------------------------------------------
# measure
# ---------------------------------------------------------------------------------------------
def openssl_verify_rate(alg, elapsed=True):
    """Verify operations per second on one core: per wall second (openssl speed -seconds 1
    -elapsed ALG), or per CPU second (without -elapsed: what a core does when it gets to run)."""
    pattern = {"ecdsap256": r"ecdsa \(nistp256\)", "rsa2048": r"^rsa 2048 bits",
               "ed25519": r"EdDSA \(Ed25519\)"}[alg]
    try:
        out = subprocess.run(["openssl", "speed", "-seconds", "1"] + (["-elapsed"] if elapsed else []) + [alg],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"report.py: openssl speed {alg} failed: {e}", file=sys.stderr)
        return None
    for line in out.splitlines():
        if re.search(pattern, line.strip()):
            return float(line.split()[-1])
    print(f"report.py: no verify/s line for {alg} in openssl speed output", file=sys.stderr)
    return None


def run_once(argv, prefix, timeout):
    """-> dict(rc, wall, cpu, rss_kb) or dict(rc=None) on timeout."""
    time_file = prefix + ".time"
    with open(prefix + ".out", "wb") as out, open(prefix + ".err", "wb") as err:
        proc = subprocess.Popen(["/usr/bin/time", "-f", TIME_FORMAT, "-o", time_file] + argv,
                                stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return {"rc": None}
    with open(time_file, encoding="utf-8") as f:
        lines = [l for l in f.read().splitlines() if re.fullmatch(r"[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+", l)]
    if not lines:
        return {"rc": rc, "wall": float("nan"), "cpu": float("nan"), "rss_kb": float("nan")}
    wall, user, sys_, rss = lines[-1].split()
    return {"rc": rc, "wall": float(wall), "cpu": float(user) + float(sys_), "rss_kb": int(rss)}


def verdict_healthy(rcs):
    if any(rc is None for rc in rcs):
        return "timeout"
    bad = sorted({rc for rc in rcs if rc != 0})
    if not bad:
        return "valid"
    return "REJECTS (exit %s)" % ",".join(map(str, bad))


def verdict_bad(rc):
    if rc == "skipped":
        return "-"
    if rc is None:
        return "timeout"
    return "detects" if rc != 0 else "MISSES"


def fmt(value, spec):
    return "-" if value is None or value != value else format(value, spec)


def ratio(a, b):
    if a is None or b is None or a != a or b != b or b == 0:
        return None
    return a / b


def measure(args):
    cases = []
    for spec in args.cases:
        label, _, cmd = spec.partition("|")
        cases.append((label, shlex.split(cmd)))
    cores = os.cpu_count() or 1
    os.makedirs(args.work, exist_ok=True)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", args.title).strip("-")

    # Warm the page cache so that the first tool of the first run does not pay for the disk.
    with open(args.zone, "rb") as f:
        while f.read(1 << 24):
            pass

    rate_before = openssl_verify_rate(args.openssl)
    load = open("/proc/loadavg").read().split()[:3]
    started = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime())

    samples = {label: [] for label, _ in cases}
    for run in range(args.runs):
        for label, argv in cases:
            prefix = os.path.join(args.work, "%s.%s" % (slug, re.sub(r"[^A-Za-z0-9]+", "-", label)))
            argv = [a.replace("{zone}", args.zone) for a in argv]
            s = run_once(argv, prefix, args.timeout)
            samples[label].append(s)
            shown = "timeout" if s["rc"] is None else "%.2f s, exit %d" % (s["wall"], s["rc"])
            print("  run %d/%d %-24s %s" % (run + 1, args.runs, label, shown), file=sys.stderr)
            if s["rc"] not in (0, None) and run == 0:
                with open(prefix + ".err", errors="replace") as f:
                    head = f.read(600).strip()
                if head:
                    print("    " + head.replace("\n", "\n    "), file=sys.stderr)

    # openssl speed is as noisy as the tools on a shared machine: measure again after the runs
    # and keep the faster of the two, i.e. the tighter (smaller) crypto limit.
    rate_after = openssl_verify_rate(args.openssl)
    rate = max([r for r in (rate_before, rate_after) if r], default=None)
    cpu_rate = openssl_verify_rate(args.openssl, elapsed=False)

    bad_rc = {}
    for label, argv in cases:
        if not args.bad:
            bad_rc[label] = "skipped"
            continue
        prefix = os.path.join(args.work, "%s.%s.bad" % (slug, re.sub(r"[^A-Za-z0-9]+", "-", label)))
        argv = [a.replace("{zone}", args.bad) for a in argv]
        bad_rc[label] = run_once(argv, prefix, args.timeout)["rc"]
        print("  broken copy %-24s %s" % (label, verdict_bad(bad_rc[label])), file=sys.stderr)

    rows = []
    for label, _ in cases:
        ok = [s for s in samples[label] if s["rc"] is not None]
        med = lambda k: statistics.median([s[k] for s in ok]) if ok else None
        rows.append({"tool": label, "runs": len(ok), "wall": med("wall"), "cpu": med("cpu"),
                     "rss_mb": (med("rss_kb") / 1024) if ok else None,
                     "walls": [s.get("wall") for s in samples[label]],
                     "healthy": verdict_healthy([s["rc"] for s in samples[label]]),
                     "bad": verdict_bad(bad_rc[label])})
    ours = rows[0] if rows and rows[0]["tool"].startswith(OURS_PREFIX) else None

    size_mb = os.path.getsize(args.zone) / 1e6
    print()
    print("== %s: %s (%.0f MB, %d RRSIGs)" % (args.title, args.zone, size_mb, args.rrsigs))
    print("   %s, %d cores, load %s, medians of %d runs; x = peer / zonewarden" %
          (started, cores, " ".join(load), args.runs))
    header = "%-24s %8s %8s %8s %7s %7s %7s  %-18s %s" % (
        "tool", "wall_s", "cpu_s", "peak_MB", "x_wall", "x_cpu", "x_mem", "healthy zone", "one bad RRSIG")
    print(header)
    print("-" * len(header))
    for r in rows:
        xw = ratio(r["wall"], ours["wall"]) if ours else None
        xc = ratio(r["cpu"], ours["cpu"]) if ours else None
        xm = ratio(r["rss_mb"], ours["rss_mb"]) if ours else None
        print("%-24s %8s %8s %8s %7s %7s %7s  %-18s %s" % (
            r["tool"], fmt(r["wall"], ".2f"), fmt(r["cpu"], ".2f"), fmt(r["rss_mb"], ".1f"),
            fmt(xw, ".2f"), fmt(xc, ".2f"), fmt(xm, ".2f"), r["healthy"], r["bad"]))
    if ours is None:
        print("%-24s %8s   (zonewarden check not available: see the message above)" % ("zonewarden check", "-"))

    limit = args.rrsigs / (rate * cores) if rate else None
    print("crypto limit: %d RRSIGs / (%s verify/s x %d cores) = %s s   (openssl speed %s: %s before,"
          " %s after the runs; the faster is used)" % (
              args.rrsigs, fmt(rate, ".0f"), cores, fmt(limit, ".2f"), args.openssl,
              fmt(rate_before, ".0f"), fmt(rate_after, ".0f")))

    floor = args.rrsigs / cpu_rate if cpu_rate else None
    print("crypto CPU floor: %d RRSIGs / %s verify per CPU second = %s CPU s   (openssl speed %s without"
          " -elapsed; robust to other load: compare with cpu_s)" % (
              args.rrsigs, fmt(cpu_rate, ".0f"), fmt(floor, ".2f"), args.openssl))

    # The physical limit of a tool that must read the file as well: the crypto limit plus
    # libzscanner tokenising the file (the fastest reader in Debian), spread over every core.
    read_cpu = read_floor(args.read_floor, args.zone) if args.read_floor else None
    read_limit = limit + read_cpu / cores if read_cpu is not None and limit else None
    if read_limit:
        print("read + crypto limit: %.2f s crypto limit + %.2f CPU s reading the file (bench_read: libzscanner,"
              " records discarded) / %d cores = %.2f s" % (limit, read_cpu, cores, read_limit))

    peers = [r for r in rows if r is not ours]
    accepting = [r for r in peers if r["healthy"] == "valid" and r["wall"] is not None]
    full = [r for r in accepting if r["bad"] == "detects" and r["rss_mb"] is not None]
    fastest = min(accepting, key=lambda r: r["wall"]) if accepting else None
    lightest = min(full, key=lambda r: r["rss_mb"]) if full else None
    ours_ok = ours is not None and ours["healthy"] == "valid" and ours["wall"] is not None

    def met(flag):
        return "MET" if flag else "MISSED"

    targets = {}
    if not ours_ok:
        why = "zonewarden check not available" if ours is None else "zonewarden check: " + ours["healthy"]
        print("targets: n/a (%s)" % why)
    else:
        if fastest:
            targets["faster"] = ours["wall"] < fastest["wall"]
            print("target faster than the fastest peer:   %s  ours %.2f s, %s %.2f s (%.2fx)" % (
                met(targets["faster"]), ours["wall"], fastest["tool"], fastest["wall"],
                fastest["wall"] / ours["wall"] if ours["wall"] else float("inf")))
        else:
            print("target faster than the fastest peer:   n/a (no peer accepted the zone)")
        if limit:
            targets["crypto"] = ours["wall"] <= CRYPTO_TARGET * limit
            print("target within %.1fx of the crypto limit: %s  ours %.2f s = %.2fx the limit (%.2f s)%s%s" % (
                CRYPTO_TARGET, met(targets["crypto"]), ours["wall"], ours["wall"] / limit, limit,
                "; CPU %.2f s = %.2fx the CPU floor" % (ours["cpu"], ours["cpu"] / floor) if floor else "",
                "; %.2fx the read + crypto limit" % (ours["wall"] / read_limit) if read_limit else ""))
        if lightest:
            targets["memory"] = ours["rss_mb"] <= lightest["rss_mb"]
            print("target memory <= lightest full verifier: %s  ours %.1f MB, %s %.1f MB" % (
                met(targets["memory"]), ours["rss_mb"], lightest["tool"], lightest["rss_mb"]))
        else:
            print("target memory <= lightest full verifier: n/a (no peer accepted the zone and detected the bad RRSIG)")
    if any(r["healthy"] != "valid" for r in rows):
        print("note: a tool marked REJECTS exited non-zero on this healthy zone; its output is in %s" % args.work)
    if any(r["bad"] == "MISSES" for r in rows):
        print("note: a tool marked MISSES exited 0 on the copy with one broken RRSIG")

    record = {"title": args.title, "zone": args.zone, "rrsigs": args.rrsigs, "verify_per_s": rate,
              "verify_per_s_before_after": [rate_before, rate_after], "cores": cores, "crypto_limit_s": limit, "verify_per_cpu_s": cpu_rate, "crypto_cpu_floor_s": floor, "read_cpu_s": read_cpu, "read_crypto_limit_s": read_limit, "load": load, "started": started,
              "runs": args.runs, "rows": rows, "targets": targets,
              "fastest_peer": fastest["tool"] if fastest else None,
              "lightest_full_verifier": lightest["tool"] if lightest else None}
    with open(args.results, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")


def read_floor(command, zone):
    """CPU seconds of the read-floor command (bench_read) on `zone`, or None when it fails."""
    argv = [a.replace("{zone}", zone) for a in shlex.split(command)]
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=True).stdout
    except (OSError, subprocess.SubprocessError) as e:
        print("read floor: %s failed: %s" % (argv[0], e), file=sys.stderr)
        return None
    m = re.search(r"cpu_s ([0-9.]+)", out)
    return float(m.group(1)) if m else None


# ---------------------------------------------------------------------------------------------
# summary
# ---------------------------------------------------------------------------------------------
def summary(path):
    try:
        with open(path, encoding="utf-8") as f:
            records = [json.loads(line) for line in f if line.strip()]
    except OSError:
        records = []
    if not records:
        return
    print()
    print("== summary (targets per zone; MET/MISSED, n/a when zonewarden check did not run)")
    for rec in records:
        t = rec["targets"]
        cell = lambda k: ("MET" if t[k] else "MISSED") if k in t else "n/a"
        print("%-34s faster %-6s  crypto-%.1fx %-6s  memory %-6s" % (
            rec["title"], cell("faster"), CRYPTO_TARGET, cell("crypto"), cell("memory")))


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "corrupt" and len(sys.argv) == 4:
        corrupt(sys.argv[2], sys.argv[3])
        return
    if len(sys.argv) == 3 and sys.argv[1] == "summary":
        summary(sys.argv[2])
        return
    if len(sys.argv) >= 2 and sys.argv[1] == "measure":
        p = argparse.ArgumentParser(prog="report.py measure")
        p.add_argument("--title", required=True)
        p.add_argument("--zone", required=True)
        p.add_argument("--bad", default="")
        p.add_argument("--rrsigs", type=int, required=True)
        p.add_argument("--openssl", required=True, choices=["ecdsap256", "rsa2048", "ed25519"])
        p.add_argument("--runs", type=int, default=3)
        p.add_argument("--work", required=True)
        p.add_argument("--results", required=True)
        p.add_argument("--timeout", type=float, default=3600)
        p.add_argument("--read-floor", default="",
                       help="command printing 'records N cpu_s S' for {zone} (bench_read): the read floor")
        p.add_argument("cases", nargs="+")
        measure(p.parse_args(sys.argv[2:]))
        return
    sys.exit(__doc__)


if __name__ == "__main__":
    main()
