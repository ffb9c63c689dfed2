#!/usr/bin/env python3
"""Bad input gets a one-line reason on stderr and exit status 2, never a crash or a hang.
Runs inside a private network namespace (tests/netns-run.sh): none of these cases may reach
the network, and if one did, nothing could leave."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

exe = sys.argv[1]
tmp = tempfile.mkdtemp()
garbage = os.path.join(tmp, "garbage.json")
with open(garbage, "w") as f:
    f.write('{"kind": "zonewarden-snapshot", "schema": 1, "zones": [')
bad_hints = os.path.join(tmp, "bad.hints")
with open(bad_hints, "w") as f:
    f.write(".  3600000  NS  a.root.\na.root.  3600000  A  not-an-address\n")
hints = os.path.join(tmp, "lab.hints")
with open(hints, "w") as f:
    f.write(".  3600000  NS  a.root.lab.\na.root.lab.  3600000  A  127.53.0.1\n")
bad_anchor = os.path.join(tmp, "bad.anchor")
with open(bad_anchor, "w") as f:
    f.write("example. 3600 IN A 192.0.2.1\n")

# Zone files for `check`.
def zone(name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path

good_zone = zone("good.zone", "$ORIGIN example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n")
syntax_zone = zone("syntax.zone", "$ORIGIN example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.999\n")
class_zone = zone("class.zone", "$ORIGIN example.\n@ 300 CH SOA ns hm 1 2 3 4 5\n")
include_zone = zone("include.zone", "$ORIGIN example.\n$INCLUDE include.zone\n")
empty_zone = zone("empty.zone", "; nothing\n")
binary_zone = zone("binary.zone", "\x00\x01\x02 garbage \xff\n(((\n")
unbalanced_zone = zone("unbalanced.zone", "$ORIGIN example.\n@ 300 SOA ns hm ( 1 2 3 4 5\n")
ds_other = zone("other.ds", "other. 300 IN DS 12345 13 2 " + "AB" * 32 + "\n")
not_ds = zone("not.ds", "example. 300 IN DNSKEY 257 3 13 " + "A" * 88 + "\n")

cases = [
    ("check: no file", ["check"]),
    ("check: missing file", ["check", os.path.join(tmp, "missing.zone")]),
    ("check: a directory", ["check", tmp]),
    ("check: syntax error", ["check", syntax_zone]),
    ("check: class CH", ["check", class_zone]),
    ("check: $INCLUDE loop", ["check", include_zone]),
    ("check: no records", ["check", empty_zone]),
    ("check: binary garbage", ["check", binary_zone]),
    ("check: unbalanced parentheses", ["check", unbalanced_zone]),
    ("check: SOA not at --origin", ["check", good_zone, "--origin", "other."]),
    ("check: --ds missing", ["check", good_zone, "--ds", os.path.join(tmp, "none.ds")]),
    ("check: --ds for another zone", ["check", good_zone, "--ds", ds_other]),
    ("check: --ds with a DNSKEY", ["check", good_zone, "--ds", not_ds]),
    ("check: bad now", ["check", good_zone, "--now", "soon"]),
    ("check: bad jobs", ["check", good_zone, "-j", "-3"]),
    ("check: bad format", ["check", good_zone, "--format", "pdf"]),
    ("check: unwritable output", ["check", good_zone, "--output", os.path.join(tmp, "no", "such", "dir", "x.json")]),
    ("unknown flag", ["audit", "--bogus", "example."]),
    ("no command", []),
    ("no zone", ["audit", "--hints", hints]),
    ("not a domain name", ["audit", "exa mple..com", "--hints", hints]),
    ("unreadable hints", ["audit", "example.", "--hints", os.path.join(tmp, "missing.hints")]),
    ("malformed hints", ["audit", "example.", "--hints", bad_hints]),
    ("unreadable anchor", ["audit", "example.", "--hints", hints, "--trust-anchor", os.path.join(tmp, "nope")]),
    ("anchor with other records", ["audit", "example.", "--hints", hints, "--trust-anchor", bad_anchor]),
    ("bad timeout", ["audit", "example.", "--hints", hints, "--timeout", "soon"]),
    ("bad format", ["audit", "example.", "--hints", hints, "--format", "pdf"]),
    ("bad fail-on", ["audit", "example.", "--hints", hints, "--fail-on", "sometimes"]),
    ("bad server", ["audit", "example.", "--server", "ns1.example=not-an-ip"]),
    ("bad now", ["audit", "example.", "--hints", hints, "--now", "tomorrow"]),
    ("garbage snapshot", ["audit", "--restore", garbage]),
    ("missing snapshot", ["audit", "--restore", os.path.join(tmp, "none.json")]),
    ("unknown rule", ["rules", "no/such-rule"]),
    ("ds without servers", ["audit", "example.", "--hints", hints, "--ds", bad_anchor]),
    ("--max-in-flight 0", ["audit", "example.", "--hints", hints, "--max-in-flight", "0"], "--max-in-flight"),
    ("--max-in-flight too many", ["audit", "example.", "--hints", hints, "--max-in-flight", "100000"], "--max-in-flight"),
    ("--name not a domain name", ["audit", "example.", "--hints", hints, "--name", "www..example."], "--name"),
    ("--name empty", ["audit", "example.", "--hints", hints, "--name", ""], "--name"),
    ("--name without a name", ["audit", "example.", "--hints", hints, "--name", "/AAAA"], "--name"),
    ("--name empty type", ["audit", "example.", "--hints", hints, "--name", "www.example./"], "--name"),
    ("--name unknown type", ["audit", "example.", "--hints", hints, "--name", "www.example./BOGUS"], "--name"),
    ("--name type number too big", ["audit", "example.", "--hints", hints, "--name", "www.example./TYPE70000"], "--name"),
    ("--name type number zero", ["audit", "example.", "--hints", hints, "--name", "www.example./TYPE0"], "--name"),
    ("--name meta-type", ["audit", "example.", "--hints", hints, "--name", "www.example./AXFR"], "--name"),
    ("--name OPT", ["audit", "example.", "--hints", hints, "--name", "www.example./OPT"], "--name"),
    ("--name outside every zone", ["audit", "example.", "other.", "--hints", hints, "--name", "www.elsewhere."], "--name"),
    ("--name above the zone", ["audit", "sub.example.", "--hints", hints, "--name", "example./SOA"], "--name"),
    ("--name with --restore", ["audit", "--restore", garbage, "--name", "www.example."], "--name"),
    ("explain: no name", ["explain", "--hints", hints]),
    ("explain: not a domain name", ["explain", "www..example.", "--hints", hints], "www..example."),
    ("explain: unknown type", ["explain", "www.example.", "BOGUS", "--hints", hints], "BOGUS"),
    ("explain: type number too big", ["explain", "www.example.", "TYPE70000", "--hints", hints], "TYPE70000"),
    ("explain: meta-type", ["explain", "www.example.", "AXFR", "--hints", hints], "AXFR"),
    ("explain: too many arguments", ["explain", "www.example.", "A", "AAAA", "--hints", hints]),
    ("explain: bad format", ["explain", "www.example.", "--hints", hints, "--format", "sarif"], "--format"),
    ("explain: unreadable hints", ["explain", "www.example.", "--hints", os.path.join(tmp, "missing.hints")]),
    ("explain: anchor with other records", ["explain", "www.example.", "--hints", hints, "--trust-anchor", bad_anchor]),
    ("explain: bad timeout", ["explain", "www.example.", "--hints", hints, "--timeout", "soon"]),
    ("explain: bad server", ["explain", "www.example.", "--server", "ns1.example=not-an-ip"], "--server"),
    ("explain: bad now", ["explain", "www.example.", "--hints", hints, "--now", "tomorrow"]),
]

# ---- issue #12: hostile input ----------------------------------------------------------------
# A class mnemonic on the file's last, unterminated line: libzscanner unmaps the file before it
# parses that line, and the message used to be built from the unmapped text (SIGSEGV).
cases.append(("check: class CH on an unterminated last line",
              ["check", zone("lastline.zone", "$ORIGIN example.\n$TTL 300\n@ 300 CH SOA ns hm 1 2 3 4 5")]))

# $INCLUDE: nested too deep, and more of them than any zone needs (the 17th sequential one used
# to overflow libzscanner's stack: "stack smashing detected").
zone("leaf.inc", "www A 192.0.2.2\n")
for i in range(1, 20):
    zone(f"nest{i}.inc", f"$INCLUDE nest{i + 1}.inc\n" if i < 19 else "deep A 192.0.2.3\n")
nested_zone = zone("nested.zone", "$ORIGIN example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n$INCLUDE nest1.inc\n")
many_zone = zone("many.zone", "$ORIGIN example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n" +
                 "$INCLUDE leaf.inc\n" * 5000)
cases += [("check: $INCLUDE nested 19 deep", ["check", nested_zone]),
          ("check: 5000 $INCLUDE lines", ["check", many_zone])]

# Inputs that are not regular files: a directory, a FIFO, an endless device.
fifo = os.path.join(tmp, "fifo")
os.mkfifo(fifo)
fifo_yaml = os.path.join(tmp, "fifo.yaml")
os.mkfifo(fifo_yaml)
fifo_toml = os.path.join(tmp, "fifo.toml")
os.mkfifo(fifo_toml)
zero_include = zone("zero-include.zone", "$ORIGIN example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n$INCLUDE /dev/zero\n")
a_dir = os.path.join(tmp, "adir")
os.mkdir(a_dir)
cases += [
    ("check: --ds a directory", ["check", good_zone, "--ds", a_dir]),
    ("check: --ds a FIFO", ["check", good_zone, "--ds", fifo]),
    ("check: --ds /dev/zero", ["check", good_zone, "--ds", "/dev/zero"]),
    ("check: zone /dev/zero", ["check", "/dev/zero"]),
    ("check: zone a FIFO", ["check", fifo]),
    ("check: $INCLUDE /dev/zero", ["check", zero_include]),
    ("check: --profile a FIFO", ["check", good_zone, "--profile", fifo_yaml]),
    ("check: --waivers a FIFO", ["check", good_zone, "--waivers", fifo_toml]),
    ("check: --baseline a directory", ["check", good_zone, "--baseline", a_dir]),
    ("check: --baseline a FIFO", ["check", good_zone, "--baseline", fifo]),
    ("report: a FIFO", ["report", fifo]),
    ("report: /dev/zero", ["report", "/dev/zero"]),
    ("audit: --trust-anchor a directory", ["audit", "example.", "--hints", hints, "--trust-anchor", a_dir]),
    ("audit: --hints a directory", ["audit", "example.", "--hints", a_dir]),
    ("audit: --hints a FIFO", ["audit", "example.", "--hints", fifo]),
    ("audit: --ds a directory", ["audit", "example.", "--server", "ns1.example=192.0.2.1", "--ds", a_dir]),
    ("audit: --restore a FIFO", ["audit", "--restore", fifo]),
    ("audit: --zones-from a FIFO", ["audit", "--zones-from", fifo, "--hints", hints]),
]

# A 300-byte YAML profile that expands to billions of values through aliases.
laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
for prev, name in zip("abcdefgh", "bcdefghi"):
    laughs.append(f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
laughs_yaml = zone("laughs.yaml", "\n".join(laughs) + "\n")
deep_yaml = zone("deep.yaml", "rules: " + "[" * 500 + "]" * 500 + "\n")
cases += [("check: billion-laughs YAML profile", ["check", good_zone, "--profile", laughs_yaml], {"max_s": 3}),
          ("check: billion-laughs YAML waivers", ["check", good_zone, "--waivers", laughs_yaml], {"max_s": 3}),
          ("check: YAML nested 500 deep", ["check", good_zone, "--profile", deep_yaml], {"max_s": 3})]

# Strict times and durations.
cases += [
    ("check: --now 2026-02-31", ["check", good_zone, "--now", "2026-02-31"]),
    ("check: --now 2026-02-29", ["check", good_zone, "--now", "2026-02-29T00:00:00Z"]),
    ("check: --now 24:00", ["check", good_zone, "--now", "2026-01-01T24:00:00Z"]),
    ("check: --now @9223372036854775807", ["check", good_zone, "--now", "@9223372036854775807"]),
    ("check: --now @99999999999999999999", ["check", good_zone, "--now", "@99999999999999999999"]),
    ("check: --expiry-window overflow", ["check", good_zone, "--expiry-window", "9999999999999999999d"]),
    ("check: --expiry-window 1e400", ["check", good_zone, "--expiry-window", "1e400"]),
    ("audit: --timeout overflow", ["audit", "example.", "--hints", hints, "--timeout", "99999999999999999999999ms"]),
    ("audit: --deadline overflow", ["audit", "example.", "--hints", hints, "--deadline", "106751991167301d"]),
    ("audit: --deadline 1000 years", ["audit", "example.", "--hints", hints, "--deadline", "365000d"]),
]

# Numbers no double holds, in a saved report and in a baseline: the error names file and member.
saved = os.path.join(tmp, "saved.json")
subprocess.run([exe, "check", good_zone, "--format", "json", "-o", saved], capture_output=True, timeout=20)
with open(saved) as f:
    saved_text = f.read()
huge = zone("huge.json", saved_text.replace('"elapsed_s":', '"elapsed_s": 1e400, "x":', 1))
cases += [("report: 1e400", ["report", huge], {"stderr_has": [huge, "elapsed_s"]}),
          ("check: --baseline with 1e400", ["check", good_zone, "--baseline", huge], {"stderr_has": [huge, "elapsed_s"]})]

# A document whose "kind" is not a string (report tells snapshots from reports by it), and a zone
# that does not read in a report whose schema is not ours: the document's own member is named
# first (its zones are read as the parser goes, their errors held until the end).
odd_kind = zone("oddkind.json", '{"kind": 5, "zones": []}')
schema2 = zone("schema2.json", '{"tool": "zonewarden", "schema": 2, "zones": [{"x": 1}]}')
cases += [("report: kind not a string", ["report", odd_kind], {"stderr_has": [odd_kind, "tool: missing"]}),
          ("report: schema 2 with an odd zone", ["report", schema2], {"stderr_has": [schema2, "unsupported schema 2"]}),
          ("check: --baseline schema 2 with an odd zone", ["check", good_zone, "--baseline", schema2],
           {"stderr_has": [schema2, "version 2 is not supported"]})]

# Echoed input is capped: no error line quotes 100,000 characters back.
long_text = "x" * 100_000
cases += [
    ("check: --now very long", ["check", good_zone, "--now", long_text]),
    ("check: --format very long", ["check", good_zone, "--format", long_text]),
    ("rules: very long id", ["rules", long_text]),
    ("audit: very long name", ["audit", long_text, "--hints", hints]),
    ("audit: very long --server", ["audit", "example.", "--server", long_text]),
    ("unknown flag very long", ["check", good_zone, "--" + long_text]),
    ("check: --profile with a very long key", ["check", good_zone, "--profile",
                                               zone("longkey.yaml", "k" * 100_000 + ": 1\n")]),
    ("check: $INCLUDE of a very long name", ["check", zone("longinc.zone", "$ORIGIN example.\n$INCLUDE " + "n" * 60_000 + "\n")]),
]

# The output directory: when one of several reports cannot be written, none is replaced.
out_dir = os.path.join(tmp, "out")
os.mkdir(out_dir)
with open(os.path.join(out_dir, "check.json"), "w") as f:
    f.write("OLD\n")
os.mkdir(os.path.join(out_dir, "check.sarif"))  # the second format cannot be written
cases.append(("check: --output-dir, second file fails",
              ["check", good_zone, "--format", "json,sarif", "--output-dir", out_dir],
              {"file_unchanged": (os.path.join(out_dir, "check.json"), "OLD\n")}))

MAX_ERROR_LINE = 400
passed = failed = 0


def record(name, ok, detail):
    global passed, failed
    print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}")
    passed += ok
    failed += not ok


for case in cases:
    name, args = case[0], case[1]
    # A third element is either options or, for the older cases, strings the message must hold
    # (the option at fault, so the user knows which value to fix).
    opts = case[2] if len(case) > 2 and isinstance(case[2], dict) else {"stderr_has": list(case[2:])}
    start = time.monotonic()
    try:
        p = subprocess.run([exe] + args, capture_output=True, text=True, errors="replace", timeout=20)
    except subprocess.TimeoutExpired:
        record(name, False, "hung")
        continue
    took = time.monotonic() - start
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    ok = p.returncode == 2 and len(lines) == 1 and not p.stdout.strip()
    ok = ok and all(len(l) <= MAX_ERROR_LINE for l in lines)
    ok = ok and took <= opts.get("max_s", 20)
    ok = ok and all(needle in lines[0] for needle in opts.get("stderr_has", [])) if lines else ok
    if "file_unchanged" in opts:
        path, content = opts["file_unchanged"]
        with open(path) as f:
            ok = ok and f.read() == content
    shown = [l if len(l) <= 200 else l[:200] + f"... ({len(l)} chars)" for l in lines]
    record(name, ok, f"exit {p.returncode}, {took:.1f} s, stderr {shown!r}")

# Not errors: sequential $INCLUDEs (the 17th used to abort), and a leap day that exists.
for name, args in [("check: 18 sequential $INCLUDE lines", ["check", zone("seq.zone",
                       "$ORIGIN example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n" +
                       "$INCLUDE leaf.inc\n" * 18)]),
                   ("check: --now 2028-02-29", ["check", good_zone, "--now", "2028-02-29"])]:
    try:
        p = subprocess.run([exe] + args, capture_output=True, text=True, timeout=20)
        record(name, p.returncode in (0, 1) and not p.stderr.strip(), f"exit {p.returncode}, stderr {p.stderr.strip()!r}")
    except subprocess.TimeoutExpired:
        record(name, False, "hung")

# A full or closed standard output is an error, never a silent success.
for name, args in [("rules > /dev/full", ["rules"]),
                   ("check --format json > /dev/full", ["check", good_zone, "--format", "json"]),
                   ("check (text) > /dev/full", ["check", good_zone])]:
    with open("/dev/full", "w") as full:
        p = subprocess.run([exe] + args, stdout=full, stderr=subprocess.PIPE, text=True, timeout=20)
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    record(name, p.returncode == 2 and len(lines) == 1, f"exit {p.returncode}, stderr {lines!r}")
for name, args in [("rules >&-", ["rules"]), ("check --format json >&-", ["check", good_zone, "--format", "json"])]:
    p = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", exe] + args, stderr=subprocess.PIPE, text=True, timeout=20)
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    record(name, p.returncode == 2 and len(lines) == 1, f"exit {p.returncode}, stderr {lines!r}")

# A full disk (ENOSPC) while writing the second of two reports: the first keeps its old
# content. Needs a private mount namespace for a small tmpfs; skipped where there is none.
small = os.path.join(tmp, "small")
os.mkdir(small)
script = ('mount -t tmpfs -o size=64k tmpfs "$SMALL" || exit 77; printf OLD > "$SMALL/check.json"; '
          'head -c 40960 /dev/zero > "$SMALL/filler"; "$@"; status=$?; '
          'printf "\\n%s\\n" "$(cat "$SMALL/check.json")"; exit $status')
signed_zone = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "crypto", "alg13.zone")
enospc = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", exe, "check", signed_zone,
                         "--format", "json,html", "--output-dir", small],
                        capture_output=True, text=True, timeout=20, env={**os.environ, "SMALL": small})
if enospc.returncode == 77 or ("unshare" in enospc.stderr and "ermission" in enospc.stderr):
    print("SKIP check: --output-dir on a full disk: no private mount namespace")
else:
    lines = [l for l in enospc.stderr.splitlines() if l.strip()]
    record("check: --output-dir on a full disk", enospc.returncode == 2 and len(lines) == 1 and
           enospc.stdout.rstrip().endswith("\nOLD"), f"exit {enospc.returncode}, stderr {lines!r}")

print(f"{passed} passed, {failed} failed")
shutil.rmtree(tmp, ignore_errors=True)
sys.exit(1 if failed else 0)
