#!/usr/bin/env python3
"""Makes the pair of colliding test keys in tests/check/keys/ (run once; the output is committed).

    make_colliding_keys.py [--origin collide.test.] [--out tests/check/keys]

Generates ECDSAP256SHA256 zone-signing keys with dnssec-keygen, each in a fresh directory (the
tool refuses to create a key whose tag collides with one already in its directory), until two
different keys have the same key tag (RFC 4034 App. B). By the birthday bound over 65536 tags
that takes about 320 keys on average. Writes them to OUT/a/ and OUT/b/ (their file names are
the same: K<origin>+013+<tag>) and prints the tag.

The keys are for tests only: they sign throwaway zones under the reserved .test TLD
(RFC 6761 §6.2) and must never sign anything else.
"""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--origin", default="collide.test.")
    ap.add_argument("--out", default=str(HERE / "keys"))
    ap.add_argument("--max", type=int, default=5000, help="give up after this many keys")
    args = ap.parse_args()
    out = pathlib.Path(args.out)
    seen = {}
    with tempfile.TemporaryDirectory(prefix="zw-collide-") as tmp:
        for i in range(args.max):
            d = pathlib.Path(tmp) / f"k{i}"
            d.mkdir()
            name = subprocess.run(["dnssec-keygen", "-q", "-a", "ECDSAP256SHA256", "-K", str(d), args.origin],
                                  capture_output=True, text=True, check=True).stdout.strip()
            tag = int(re.search(r"\+(\d+)$", name).group(1))
            if tag in seen:
                first, second = seen[tag], d
                break
            seen[tag] = d
        else:
            sys.exit(f"no collision among {args.max} keys")
        for sub, src in (("a", first), ("b", second)):
            dst = out / sub
            if dst.exists():
                shutil.rmtree(dst)
            shutil.copytree(src, dst)
    print(f"key tag {tag}: {len(seen) + 1} keys generated; written to {out}/a and {out}/b")


if __name__ == "__main__":
    main()
