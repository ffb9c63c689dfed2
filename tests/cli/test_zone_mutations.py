#!/usr/bin/env python3
"""Quick mutation test of the zone loader and `check` (issue #12): a few thousand seeded byte
mutations and truncations of small zone files, each run through `zonewarden check`. Every run
must end with exit status 0, 1 or 2 (never a signal, never a hang), and an exit 2 must say why
in exactly one line on stderr. Deterministic: the same seed gives the same files.

usage: test_zone_mutations.py ZONEWARDEN [SEED_ZONE...]   (ZW_MUTATIONS=N, ZW_MUTATION_SEED=S)"""
import concurrent.futures
import os
import random
import subprocess
import sys
import tempfile
import time

exe = sys.argv[1]
count = int(os.environ.get("ZW_MUTATIONS", "2000"))
seed = int(os.environ.get("ZW_MUTATION_SEED", "12"))
here = os.path.dirname(os.path.abspath(__file__))
seeds = sys.argv[2:] or [os.path.join(here, "..", "fixtures", "crypto", "alg13.zone")]

tmp = tempfile.mkdtemp(prefix="zw-mutations-")
# A zone written to exercise the directives and the multi-line syntax, next to the signed one.
with open(os.path.join(tmp, "part.inc"), "w") as f:
    f.write("extra  A 192.0.2.9\n")
directive_zone = (
    b"$ORIGIN example.\n$TTL 300\n"
    b"@ IN SOA ns1 hostmaster ( 2026010101 ; serial\n 7200 3600 1209600 300 )\n"
    b"@ NS ns1\n@ NS ns2.example.\nns1 A 192.0.2.1\nns2 3600 IN AAAA 2001:db8::2\n"
    b"txt TXT \"a \\\"quoted\\\" string\" \"second\"\n$INCLUDE part.inc\nsub NS ns.sub\nns.sub A 192.0.2.3\n"
    b"sub DS 12345 13 2 ( ABCDEF0123456789ABCDEF0123456789 ABCDEF0123456789ABCDEF0123456789 )\n"
    b"mail MX 10 ns1\n* A 192.0.2.4\nch CH TXT \"x\"\n"
)
corpus = [directive_zone] + [open(path, "rb").read() for path in seeds]

# Bytes that matter to a zone-file scanner; mutations favour them over random ones.
special = [b"\n", b" ", b"\t", b"(", b")", b";", b"$", b"\"", b"\\", b"\x00", b"\xff", b".", b"@", b"*",
           b"$INCLUDE part.inc\n", b"$ORIGIN .\n", b"$TTL 4294967296\n", b" CH ", b" CLASS65535 ", b" TYPE65535 ",
           b"\\# 65535 ", b"\\255", b"9" * 40, b"a" * 300]


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(7)
        pos = rng.randint(0, len(data))
        if op == 0 and data:  # truncate
            del data[pos:]
        elif op == 1 and pos < len(data):  # flip bits of one byte
            data[pos] ^= 1 << rng.randrange(8)
        elif op == 2:  # insert a special token
            data[pos:pos] = rng.choice(special)
        elif op == 3 and pos < len(data):  # delete a run
            del data[pos:pos + rng.randint(1, 16)]
        elif op == 4 and pos < len(data):  # replace a byte with a random one
            data[pos] = rng.randrange(256)
        elif op == 5 and data:  # duplicate a chunk elsewhere
            start = rng.randrange(len(data))
            chunk = data[start:start + rng.randint(1, 64)]
            data[pos:pos] = chunk
        elif op == 6 and data:  # cut the last newline: the scanner's final-block path
            if data.endswith(b"\n"):
                del data[-1]
    return bytes(data)


rng = random.Random(seed)
jobs = []
for i in range(count):
    base = corpus[i % len(corpus)]
    path = os.path.join(tmp, f"m{i:05d}.zone")
    with open(path, "wb") as f:
        f.write(mutate(rng, base))
    jobs.append(path)


def run(path):
    cmd = [exe, "check", path, "--now", "2030-01-01T00:00:00Z", "-j", "1", "--format", "json"]
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        return path, "hung (30 s)"
    if p.returncode < 0:
        return path, f"killed by signal {-p.returncode}"
    if p.returncode not in (0, 1, 2):
        return path, f"exit status {p.returncode}"
    lines = [l for l in p.stderr.decode(errors="replace").splitlines() if l.strip()]
    if p.returncode == 2 and len(lines) != 1:
        return path, f"exit 2 with {len(lines)} lines on stderr: {lines[:3]!r}"
    if any("internal error" in l for l in lines):
        return path, f"internal error: {lines!r}"
    return path, None


start = time.monotonic()
failures = []
with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
    for path, problem in pool.map(run, jobs):
        if problem:
            failures.append((path, problem))
elapsed = time.monotonic() - start
for path, problem in failures[:20]:
    print(f"FAIL {path}: {problem}")
print(f"{count} mutations (seed {seed}) in {elapsed:.1f} s: {count - len(failures)} passed, {len(failures)} failed")
if not failures:
    for path in jobs:
        os.unlink(path)
sys.exit(1 if failures else 0)
