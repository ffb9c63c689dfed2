#!/usr/bin/env python3
"""Validates zonewarden's SARIF against the OASIS SARIF 2.1.0 schema (Draft-07 validator).

Usage: check_sarif.py RENDER_FIXTURE SCHEMA RESULT.json...
RENDER_FIXTURE renders each saved RESULT.json as SARIF; every output must validate, carry one
result per finding, and point each ruleIndex at its ruleId.
"""

import json
import subprocess
import sys
import urllib.parse

try:
    import jsonschema
except ImportError:
    print("check_sarif: python3-jsonschema is missing (scripts/install-deps installs it)", file=sys.stderr)
    sys.exit(77)  # meson: skipped


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    driver, schema_path, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    passed = failed = 0

    def check(ok: bool, what: str) -> None:
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL: {what}")

    for path in inputs:
        rendered = subprocess.run([driver, "sarif", path], capture_output=True, check=False)
        check(rendered.returncode == 0, f"{path}: render_fixture exit {rendered.returncode}: {rendered.stderr!r}")
        if rendered.returncode != 0:
            continue
        doc = json.loads(rendered.stdout)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:20]:
            print(f"  {path}: /{'/'.join(str(p) for p in e.absolute_path)}: {e.message}")
        check(not errors, f"{path}: {len(errors)} schema violation(s)")

        with open(path, encoding="utf-8") as f:
            source = json.load(f)
        findings = [fi for z in source["zones"] for fi in z["findings"]]
        run = doc["runs"][0]
        results = run["results"]
        check(len(results) == len(findings), f"{path}: {len(results)} results for {len(findings)} findings")
        rules = run["tool"]["driver"]["rules"]
        ids = [r["id"] for r in rules]
        check(len(ids) == len(set(ids)), f"{path}: duplicate rule descriptors")
        for i, r in enumerate(results):
            if "ruleIndex" in r:
                check(rules[r["ruleIndex"]]["id"] == r["ruleId"], f"{path}: results[{i}].ruleIndex points elsewhere")
            else:
                check(r["ruleId"] not in ids, f"{path}: results[{i}] ({r['ruleId']}) lacks ruleIndex")
            check(bool(r["locations"]) and "physicalLocation" in r["locations"][0],
                  f"{path}: results[{i}] has no physicalLocation")
        # "format": "uri" (absolute, RFC 3986) is only enforced by jsonschema with the optional
        # rfc3987 module, which Debian 12 does not install with it: check the URIs we write here.
        uris = [run["tool"]["driver"]["informationUri"]] + [r["helpUri"] for r in rules]
        uris += [loc["physicalLocation"]["artifactLocation"]["uri"] for r in results for loc in r["locations"]]
        for uri in uris:
            parsed = urllib.parse.urlsplit(uri)
            check(bool(parsed.scheme) and " " not in uri and (parsed.scheme != "https" or bool(parsed.netloc)),
                  f"{path}: {uri!r} is not an absolute URI")
        suppressed = [fi for fi in findings if fi.get("suppressed")]
        check(sum(1 for r in results if r.get("suppressions")) == len(suppressed),
              f"{path}: suppressions do not match suppressed findings")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
