#!/usr/bin/env python3
"""STYLE.md §1 layering: a directory of src/ may include only directories listed before it;
rules/ never includes probe/; only dns/, dnssec/ and crypto/ include ldns, OpenSSL, Botan, nettle, GMP or libsodium;
include/zonewarden/ (the public API) includes none of them."""
import pathlib
import re
import sys

ORDER = ["util", "dns", "crypto", "snapshot", "dnssec", "probe", "rules", "audit", "report", "history", "cli"]
THIRD_PARTY = ("ldns/", "openssl/", "botan/", "libzscanner/", "nettle/", "sodium", "gmp.h")
root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
include_re = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)
errors = []
for path in sorted((root / "src").rglob("*.[ch]pp")) + sorted((root / "include").rglob("*.hpp")):
    rel = path.relative_to(root)
    top = rel.parts[1] if rel.parts[0] == "src" else "include"
    for inc in include_re.findall(path.read_text()):
        head = inc.split("/")[0]
        if inc.startswith(THIRD_PARTY) and top not in ("dns", "dnssec", "crypto"):
            errors.append(f"{rel}: includes {inc}; only dns/, dnssec/ and crypto/ may")
        if top == "include":
            if head in ORDER:
                errors.append(f"{rel}: public header includes internal {inc}")
            continue
        if head in ORDER and ORDER.index(head) > ORDER.index(top):
            errors.append(f"{rel}: {top}/ includes {inc}, which is above it in the layering")
        if top == "rules" and head == "probe":
            errors.append(f"{rel}: rules/ must not include probe/")
for e in errors:
    print(e)
print(f"{0 if errors else 1} passed, {1 if errors else 0} failed")
sys.exit(1 if errors else 0)
