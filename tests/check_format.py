#!/usr/bin/env python3
"""Every C++ source of the tree is formatted as .clang-format says (clang-format 14, Debian 12's):
src/, include/, tests/ and bench/. Prints the files that are not, with the command that fixes
them, and exits 1; exits 77 (skipped) when clang-format 14 is not installed, since another
version formats differently.

    tests/check_format.py [ROOT]
    clang-format-14 -i $(git ls-files '*.cpp' '*.hpp')     # the fix
"""
import pathlib
import shutil
import subprocess
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
tool = shutil.which("clang-format-14")
if tool is None:
    plain = shutil.which("clang-format")
    version = subprocess.run([plain, "--version"], capture_output=True, text=True).stdout if plain else ""
    if "version 14." not in version:
        print("check_format: skipped: clang-format 14 not installed (apt-get install clang-format)")
        sys.exit(77)
    tool = plain

files = sorted(str(p) for top in ("src", "include", "tests", "bench") for p in (root / top).rglob("*")
               if p.suffix in (".cpp", ".hpp") and "corpus" not in p.parts)
if not files:
    print(f"check_format: no C++ sources under {root}", file=sys.stderr)
    sys.exit(1)
bad = []
for start in range(0, len(files), 50):
    batch = files[start:start + 50]
    proc = subprocess.run([tool, "--dry-run", "-Werror", *batch], capture_output=True, text=True)
    if proc.returncode != 0:
        bad += [f for f in batch if f + ":" in proc.stderr]
if bad:
    print(f"check_format: {len(bad)} of {len(files)} files differ from .clang-format:", file=sys.stderr)
    for f in bad:
        print(f"  {f}", file=sys.stderr)
    print(f"fix: {tool} -i FILE...", file=sys.stderr)
    sys.exit(1)
print(f"check_format: {len(files)} files formatted")
