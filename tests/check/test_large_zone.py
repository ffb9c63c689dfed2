#!/usr/bin/env python3
"""A 100k-name zone, signed at test start (ECDSA P-256, NSEC), with ONE corrupted signature deep
inside: `zonewarden check` must find exactly that one, named by owner and type, and nothing else.

    test_large_zone.py ZONEWARDEN [NAMES]     (NAMES: default $ZW_LARGE_ZONE_NAMES, else 100000)

The zone comes from bench/load/gen_zone.py (A, AAAA, MX, TXT, CNAME, delegations with glue and DS).
Prints "N passed, M failed". No network: it only signs and reads files.
"""
import base64
import json
import os
import pathlib
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
ORIGIN = "large.test."


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=900, **kw)


def main():
    zonewarden = sys.argv[1]
    names = int(sys.argv[2]) if len(sys.argv) > 2 else int(os.environ.get("ZW_LARGE_ZONE_NAMES", "100000"))
    work = pathlib.Path(tempfile.mkdtemp(prefix="zw-large-"))
    failures = []
    try:
        unsigned = work / "large.zone"
        with unsigned.open("w") as out:
            subprocess.run([sys.executable, str(ROOT / "bench/load/gen_zone.py"), str(names), ORIGIN], stdout=out,
                           check=True, timeout=300)
        run(["dnssec-keygen", "-q", "-a", "ECDSAP256SHA256", "-f", "KSK", "-K", str(work), ORIGIN])
        run(["dnssec-keygen", "-q", "-a", "ECDSAP256SHA256", "-K", str(work), ORIGIN])
        signed = work / "large.signed"
        started = time.monotonic()
        run(["dnssec-signzone", "-q", "-S", "-K", str(work), "-n", str(os.cpu_count() or 1), "-O", "full",
             "-o", ORIGIN, "-f", str(signed), str(unsigned)], cwd=work)
        print(f"signed {names} names in {time.monotonic() - started:.1f} s", file=sys.stderr)

        lines = signed.read_text().splitlines()
        # A signature over ordinary data, about three quarters into the file.
        rng = random.Random(names)
        candidates = [i for i, l in enumerate(lines)
                      if not l.startswith(";") and l.split()[3:5] in (["RRSIG", "A"], ["RRSIG", "TXT"], ["RRSIG", "MX"])]
        target = candidates[int(len(candidates) * 0.73) + rng.randrange(100)]
        f = lines[target].split()
        owner, covered = f[0], f[4]
        sig = bytearray(base64.b64decode("".join(f[12:])))
        sig[len(sig) // 3] ^= 0x01  # one bit
        lines[target] = " ".join(f[:12] + [base64.b64encode(bytes(sig)).decode()])
        bad = work / "large.bad"
        bad.write_text("\n".join(lines) + "\n")

        report = work / "report.json"
        started = time.monotonic()
        proc = subprocess.run([zonewarden, "check", str(bad), "--format", "json", "--output", str(report)],
                              capture_output=True, text=True, timeout=900)
        print(f"checked in {time.monotonic() - started:.1f} s", file=sys.stderr)
        if proc.returncode != 1:
            failures.append(f"exit {proc.returncode}, expected 1: {proc.stderr.strip()}")
        findings = json.loads(report.read_text())["zones"][0]["findings"] if report.exists() else []
        serious = [x for x in findings if x["severity"] in ("warning", "error")]
        want = [x for x in serious if x["rule"] == "dnssec/rrsig-invalid" and x["owner"] == owner.lower()
                and x["type"] == covered]
        if len(want) != 1:
            failures.append(f"expected one dnssec/rrsig-invalid at {owner} {covered}, got: "
                            + "; ".join(f"{x['rule']} {x['owner']} {x['type']}" for x in serious))
        if len(serious) != 1:
            failures.append(f"expected exactly one warning/error, got {len(serious)}: "
                            + "; ".join(f"{x['rule']} {x['owner']} {x['type']}: {x['message']}" for x in serious[:5]))

        # The same zone unmodified is clean.
        proc = subprocess.run([zonewarden, "check", str(signed), "--format", "json", "--output", str(report)],
                              capture_output=True, text=True, timeout=900)
        clean = [x for x in json.loads(report.read_text())["zones"][0]["findings"]
                 if x["severity"] in ("warning", "error")]
        if proc.returncode != 0 or clean:
            failures.append(f"healthy large zone: exit {proc.returncode}, findings: "
                            + "; ".join(f"{x['rule']} {x['owner']} {x['type']}" for x in clean[:5]))

        # SIGINT while verifying on one thread: the report is still written, marked incomplete
        # (internal/audit-incomplete counts the names left unverified), and the run exits 2.
        interrupted = work / "interrupted.json"
        proc = subprocess.Popen([zonewarden, "check", str(signed), "-j", "1", "--format", "json", "--output",
                                 str(interrupted)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        running = proc.poll() is None
        proc.send_signal(signal.SIGINT)
        started = time.monotonic()
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
        took = time.monotonic() - started
        marked = []
        if interrupted.exists():
            marked = [x["message"] for x in json.loads(interrupted.read_text())["zones"][0]["findings"]
                      if x["rule"] == "internal/audit-incomplete"]
        if not running:
            failures.append("check -j 1 of the large zone ended within 1 s: cannot test SIGINT (zone too small?)")
        elif (proc.returncode != 2 or len(marked) != 1 or "SIGINT" not in marked[0]
              or " 0 of " in marked[0]):  # the names left unverified prove the stop, not a clock
            failures.append(f"SIGINT: exit {proc.returncode} after {took:.1f} s, incomplete findings {marked}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL", f)
    print(f"{0 if failures else 1} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
