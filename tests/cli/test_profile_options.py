#!/usr/bin/env python3
"""A profile's thresholds reach the rules: [thresholds] for every rule that reads one, and
[options."ID"] for one rule alone (docs/policy.md), with --expiry-window over both. Run on a lab
snapshot re-judged by `report` (whose rules once ignored every threshold of the profile but the
expiry window), so no network is needed.

The snapshot (tests/fixtures/rules/dnssec/key-size-weak/fires-rsa-1024-lab) holds one RSA key,
a 1024-bit KSK, and signatures that end 30 days after it was taken: the expectations below follow
from those two facts and docs/policy.md, not from zonewarden's output.

    test_profile_options.py ZONEWARDEN   (run from the source root)
"""
import json
import pathlib
import subprocess
import sys
import tempfile

exe = sys.argv[1]
SNAPSHOT = "tests/fixtures/rules/dnssec/key-size-weak/fires-rsa-1024-lab.snapshot.json"
failures = []
header = {}  # the JSON report's header members of the latest judge() (expiry_window_s)


def expect(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail!r}"))
    if not ok:
        failures.append(name)


def judge(folder, profile=None, *args, refused=False):
    """The findings of `report SNAPSHOT` under `profile` (TOML text), by rule: [messages]. A run
    that does not judge (exit 2) is a failure of its own unless `refused` is expected."""
    command = [exe, "report", SNAPSHOT, "--format", "json", *args]
    if profile is not None:
        path = pathlib.Path(folder) / f"profile-{len(list(pathlib.Path(folder).iterdir()))}.toml"
        path.write_text(profile)
        command += ["--profile", str(path)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=60)
    if run.returncode not in (0, 1):
        if not refused:
            expect(f"report judges the snapshot ({' '.join(command[2:])})", False, run.stderr)
        return run.returncode, run.stderr, {}
    found = {}
    doc = json.loads(run.stdout)
    header.clear()
    header.update({k: v for k, v in doc.items() if k != "zones"})
    for zone in doc["zones"]:
        for f in zone["findings"]:
            found.setdefault(f["rule"], []).append(f["message"])
    return run.returncode, run.stderr, found


with tempfile.TemporaryDirectory() as folder:
    _, _, found = judge(folder)
    weak = found.get("dnssec/key-size-weak", [])
    expect("default profile: the 1024-bit key is below 2048 bits",
           len(weak) == 1 and "below the minimum of 2048 bits" in weak[0], weak)
    expect("default profile: signatures 30 days from their end are outside the 3-day window",
           "dnssec/rrsig-expiring-soon" not in found, found.get("dnssec/rrsig-expiring-soon"))
    expect("the report records the 3-day window", header.get("expiry_window_s") == 3 * 86400, header)

    _, _, found = judge(folder, "[thresholds]\nmin_rsa_bits = 4096\n")
    weak = found.get("dnssec/key-size-weak", [])
    expect("[thresholds] reaches the rule", len(weak) == 1 and "below the minimum of 4096 bits" in weak[0], weak)

    _, _, found = judge(folder, '[options."dnssec/key-size-weak"]\nmin_rsa_bits = 1024\n'
                                "[thresholds]\nmin_rsa_bits = 4096\n")
    expect("[options.\"ID\"] wins over [thresholds] for its rule", "dnssec/key-size-weak" not in found,
           found.get("dnssec/key-size-weak"))

    _, _, found = judge(folder, '[options."dnssec/rrsig-expiring-soon"]\nexpiry_window = "3650d"\n')
    soon = found.get("dnssec/rrsig-expiring-soon", [])
    expect("a rule's own expiry window", bool(soon) and all("window 3650d" in m for m in soon), soon)
    expect("the report records rrsig-expiring-soon's own window", header.get("expiry_window_s") == 3650 * 86400,
           header)
    weak = found.get("dnssec/key-size-weak", [])
    expect("another rule's option leaves this one alone",
           len(weak) == 1 and "below the minimum of 2048 bits" in weak[0], weak)

    _, _, found = judge(folder, '[options."dnssec/rrsig-expiring-soon"]\nexpiry_window = "3650d"\n',
                        "--expiry-window", "1s")
    expect("--expiry-window wins over the rule's own window", "dnssec/rrsig-expiring-soon" not in found,
           found.get("dnssec/rrsig-expiring-soon"))
    expect("the report records --expiry-window", header.get("expiry_window_s") == 1, header)

    # The HTML report shades the window the rule judged with, and says which.
    html = subprocess.run([exe, "report", SNAPSHOT, "--format", "html", "--expiry-window", "12h"],
                          capture_output=True, text=True, timeout=60)
    expect("html: the timeline's window is the run's (12 h)",
           html.returncode in (0, 1) and "<title>warning window (12 h)</title>" in html.stdout
           and "hatched warning window (12 h," in html.stdout and "default 3 d" not in html.stdout,
           (html.returncode, html.stderr))

    code, stderr, _ = judge(folder, '[options."dnssec/key-size-weak"]\nexpiry_window = "3d"\n', refused=True)
    expect("a threshold the rule does not read: one line, exit 2",
           code == 2 and stderr.count("\n") == 1
           and 'key options."dnssec/key-size-weak".expiry_window: dnssec/key-size-weak has no option expiry_window '
               "(its options: min_rsa_bits)" in stderr, (code, stderr))
    code, stderr, _ = judge(folder, '[options."dnssec/*"]\nmin_rsa_bits = 3072\n', refused=True)
    expect("a glob: one line, exit 2", code == 2 and stderr.count("\n") == 1 and "glob" in stderr, (code, stderr))

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
