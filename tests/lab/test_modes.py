#!/usr/bin/python3
"""The audit command's modes, end to end inside the lab:

    tests/lab/lab.py run -- python3 tests/lab/test_modes.py build/src/cli/zonewarden

- --zones-from, --save, then --restore: the replay gives exactly the same findings, offline;
- undelegated tests (--server NAME=ADDR, --ds FILE): a healthy zone is quiet, a wrong DS is
  dnssec/ds-no-matching-dnskey, a server without the zone is delegation/lame-refused;
- exit status follows --fail-on; text written to a file has no colour codes; /dev/null works;
- SIGINT and SIGTERM stop an audit at once and its report is still written, marked incomplete.
Prints PASS/FAIL per case and `N passed, M failed`.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

exe = sys.argv[1]
tmp = tempfile.mkdtemp()
scenarios = {s["zone"]: s for s in json.load(open(os.environ["ZW_LAB_SCENARIOS"]))}
hints = ["--hints", os.environ["ZW_LAB_HINTS"], "--trust-anchor", os.environ["ZW_LAB_ANCHOR"]]
results = []


def run(args, timeout=60):
    p = subprocess.run([exe] + args, capture_output=True, text=True, timeout=timeout)
    return p


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'PASS' if ok else 'FAIL'} {name}{'' if ok else ': ' + detail}")


def findings(path):
    doc = json.load(open(path))
    return sorted((f["rule"], z["zone"], f["severity"], f["owner"], f["type"], f["server"] or "")
                  for z in doc["zones"] for f in z["findings"])


def loud(path):
    return [f for f in findings(path) if f[2] in ("warning", "error")]


def dig_ds(zone):
    # The DS the lab's parent publishes, asked of the parent's server inside the lab.
    out = subprocess.run(["dig", "+short", "+norec", "@127.53.0.3", zone, "DS"], capture_output=True,
                         text=True, timeout=10).stdout.split("\n")
    return [f"{zone} 3600 IN DS {line}" for line in out if line.strip()]


def user_servers(zone):
    args = []
    for s in scenarios[zone]["servers"]:
        for a in s["addresses"]:
            args += ["--server", f"{s['name']}={a}"]
    return args


# 1. --zones-from + --save, then --restore offline.
zones_file = os.path.join(tmp, "zones.txt")
with open(zones_file, "w") as f:
    f.write("# lab zones\nhealthy-nsec.lab\nrrsig-expired.lab.   ; comment\n\nsoa-serial.lab\n")
snap, live, replay = (os.path.join(tmp, n) for n in ("snap.json", "live.json", "replay.json"))
p = run(["audit", "--zones-from", zones_file, *hints, "--save", snap, "--format", "json", "-o", live])
check("zones-from audit exits 1 (errors present)", p.returncode == 1, f"exit {p.returncode}: {p.stderr.strip()}")
p = run(["audit", "--restore", snap, "--format", "json", "-o", replay])
check("restore exits 1", p.returncode == 1, f"exit {p.returncode}: {p.stderr.strip()}")
check("restore gives the same findings", findings(live) == findings(replay))
check("three zones audited", len(json.load(open(live))["zones"]) == 3)

# 2. undelegated: healthy with the right DS, then a wrong DS, then a server without the zone.
zone = "healthy-nsec.lab."
ds_file = os.path.join(tmp, "right.ds")
with open(ds_file, "w") as f:
    f.write("\n".join(dig_ds(zone)) + "\n")
out = os.path.join(tmp, "undelegated.json")
p = run(["audit", zone, *user_servers(zone), "--ds", ds_file, "--format", "json", "-o", out])
check("undelegated healthy zone is quiet", p.returncode == 0 and not loud(out),
      f"exit {p.returncode} {p.stderr.strip()} {loud(out) if os.path.exists(out) else ''}")
wrong = os.path.join(tmp, "wrong.ds")
with open(wrong, "w") as f:
    f.write("\n".join(l.replace("healthy-nsec3.lab.", zone) for l in dig_ds("healthy-nsec3.lab.")) + "\n")
p = run(["audit", zone, *user_servers(zone), "--ds", wrong, "--format", "json", "-o", out])
rules = {f[0] for f in loud(out)}
check("undelegated wrong DS is ds-no-matching-dnskey", rules == {"dnssec/ds-no-matching-dnskey"}, str(rules))
other = scenarios["healthy-nsec3.lab."]["servers"][0]
p = run(["audit", zone, *user_servers(zone), "--server", f"{other['name']}={other['addresses'][0]}",
         "--format", "json", "-o", out])
rules = {f[0] for f in loud(out)}
check("undelegated server without the zone is lame-refused", "delegation/lame-refused" in rules and
      rules <= {"delegation/lame-refused"}, str(rules))

# 3. exit status and output files.
p = run(["audit", "soa-serial.lab.", *hints, "--fail-on", "warning", "--format", "json", "-o", "/dev/null"])
check("--fail-on warning exits 1 on a warning, /dev/null output", p.returncode == 1, f"exit {p.returncode}")
p = run(["audit", "soa-serial.lab.", *hints, "--fail-on", "never", "-o", os.path.join(tmp, "r.txt")])
text = open(os.path.join(tmp, "r.txt")).read()
check("--fail-on never exits 0; text file without colour", p.returncode == 0 and "\x1b[" not in text
      and "consistency/soa-serial" in text, f"exit {p.returncode}")
p = run(["audit", "healthy-nsec.lab.", *hints])
check("healthy zone exits 0", p.returncode == 0, f"exit {p.returncode}: {p.stdout[-300:]}")

# 4. SIGINT and SIGTERM: the audit stops at once, still writes its report, marked incomplete
#    (internal/audit-incomplete, exit 2); a report of an earlier run survives nowhere half-written.
#    lame-silent's ns2 drops every packet: with a 60 s timeout the audit would take 60 s or more.
for sig in (signal.SIGINT, signal.SIGTERM):
    out = os.path.join(tmp, f"interrupted-{sig.name}.json")
    proc = subprocess.Popen([exe, "audit", "lame-silent.lab.", "healthy-nsec.lab.", *hints, "--timeout", "60s",
                             "--deadline", "120s", "--format", "json", "-o", out],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    running = proc.poll() is None
    started = time.monotonic()
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=50)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
    took = time.monotonic() - started
    incomplete = []
    if os.path.exists(out):
        incomplete = [z["zone"] for z in json.load(open(out))["zones"]
                      for f in z["findings"] if f["rule"] == "internal/audit-incomplete" and sig.name in f["message"]]
    # Ending before the silent server's 60 s timeout could is what proves the stop (no tight clock).
    check(f"{sig.name} stops the audit before the silent server's timeout, exit 2, report marked incomplete",
          running and proc.returncode == 2 and took < 45 and "lame-silent.lab." in incomplete,
          f"running when signalled: {running}, exit {proc.returncode} after {took:.1f} s, incomplete: {incomplete}")

# 5. --deadline is a bound, never a clean result: lame-silent's ns2 is still awaited (5 s timeout)
#    when a 1.5 s deadline passes; healthy-nsec, done by then, is complete.
out = os.path.join(tmp, "deadline.json")
p = run(["audit", "lame-silent.lab.", "healthy-nsec.lab.", *hints, "--timeout", "5s", "--deadline", "1500ms",
         "--format", "json", "-o", out])
cut = sorted({z["zone"] for z in json.load(open(out))["zones"] for f in z["findings"]
              if f["rule"] == "internal/audit-incomplete" and "--deadline" in f["message"]}) if os.path.exists(out) else []
check("--deadline cuts an audit short: internal/audit-incomplete on that zone only, exit 2",
      p.returncode == 2 and cut == ["lame-silent.lab."], f"exit {p.returncode}, incomplete {cut}: {p.stderr[-300:]}")

failed = results.count(False)
print(f"{len(results) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
