#!/usr/bin/env python3
"""Writes an unsigned test zone of about N owner names (default 100000) to stdout: a mix of
hosts (A, AAAA), mail (MX), TXT, CNAME and delegations with glue and DS. Deterministic."""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
origin = sys.argv[2] if len(sys.argv) > 2 else "bench.example."
rng = random.Random(1)
out = sys.stdout
out.write(f"$ORIGIN {origin}\n$TTL 3600\n")
out.write("@ IN SOA ns1 hostmaster (\n  2024010101 ; serial\n  7200 3600 1209600 300 )\n")
out.write("  NS ns1\n  NS ns2\nns1 A 192.0.2.1\nns2 A 192.0.2.2\n@ MX 10 mail\nmail A 192.0.2.25\n")
names = 6
i = 0
while names < n:
    kind = rng.random()
    h = f"h{i}"
    a = f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"
    if kind < 0.45:
        out.write(f"{h} A {a}\n")
        if rng.random() < 0.5:
            out.write(f"{h} AAAA 2001:db8::{i & 0xffff:x}:{(i >> 16) & 0xffff:x}\n")
        names += 1
    elif kind < 0.55:
        out.write(f"{h} MX 10 mail\n{h} MX 20 mx2.{h}\n{h} A {a}\nmx2.{h} A {a}\n")
        names += 2
    elif kind < 0.70:
        out.write(f'{h} TXT "v=spf1 ip4:{a} -all"\n{h} TXT "id {rng.getrandbits(64):016x}"\n')
        names += 1
    elif kind < 0.85:
        out.write(f"{h} CNAME h{rng.randrange(max(i, 1))}\n")
        names += 1
    else:
        digest = "".join(f"{rng.getrandbits(8):02x}" for _ in range(32))
        out.write(f"{h} NS ns1.{h}\n{h} NS ns2.{h}\n{h} DS {rng.randrange(65536)} 13 2 {digest}\n"
                  f"ns1.{h} A {a}\nns2.{h} AAAA 2001:db8:1::{i & 0xffff:x}\n")
        names += 3
    i += 1
