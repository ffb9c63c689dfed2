#!/usr/bin/env python3
"""Checks src/rules/rules.toml, the rule catalog, and turns it into C++ for the registry.

    gen_catalog.py CATALOG --sources          the rule sources, one "AREA/NAME.cpp" a line (meson)
    gen_catalog.py CATALOG --output FILE.cpp  the catalog: every RuleInfo and its RuleCode

Exit status 0, or 1 with one line "rules.toml: [ID] reason" per fault (the build stops there, so
a rule that the catalog and the source tree disagree about never builds).
"""
import argparse
import json
import pathlib
import re
import sys
import tomllib

SEVERITIES = ("notice", "warning", "error")
STABILITIES = ("stable", "preview")
RCODES = ("none", "noerror", "servfail", "nxdomain", "refused")
INPUTS = {"live": "live", "zone-file": "zone_file", "both": "both"}
REQUIRED = ("severity", "stability", "summary", "reference", "impact", "inputs", "since", "tags")
OPTIONAL = ("compliance", "overflow", "options")
ID = re.compile(r"^([a-z]+)/([a-z0-9]+(?:-[a-z0-9]+)*)$")
WORD = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
OPTION = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*\Z")


class CatalogError(Exception):
    """The catalog is not usable; the message says where and why."""


def ede_names(header):
    """The enumerators of zw::Ede, read from include/zonewarden/finding.hpp."""
    match = re.search(r"enum class Ede\b[^{]*\{(.*?)\};", header.read_text(), re.S)
    if not match:
        raise CatalogError(f"{header}: no `enum class Ede`")
    return set(re.findall(r"^\s*([a-z_0-9]+)\s*=", match.group(1), re.M))


def source_of(rule_id):
    area, name = ID.match(rule_id).groups()
    return area, name.replace("-", "_")


def check_rule(rule_id, entry, edes, rules_dir):
    """The faults of one entry, as messages."""
    faults = []
    if not ID.match(rule_id):
        return [f"the id must be AREA/kebab-name: {rule_id!r}"]
    area, snake = source_of(rule_id)
    if not (rules_dir / area / f"{snake}.cpp").is_file():
        faults.append(f"no source file src/rules/{area}/{snake}.cpp")
    for key in REQUIRED:
        if key not in entry:
            faults.append(f"`{key}` is missing")
    for key in entry:
        if key not in REQUIRED and key not in OPTIONAL:
            faults.append(f"unknown field `{key}`")
    if faults:
        return faults
    if entry["severity"] not in SEVERITIES:
        faults.append(f"severity must be one of {', '.join(SEVERITIES)}")
    if entry["stability"] not in STABILITIES:
        faults.append(f"stability must be one of {', '.join(STABILITIES)}")
    if entry["inputs"] not in INPUTS:
        faults.append(f"inputs must be one of {', '.join(INPUTS)}")
    for key in ("summary", "reference", "since"):
        if not isinstance(entry[key], str) or not entry[key] or "\n" in entry[key]:
            faults.append(f"`{key}` must be one non-empty line")
    impact = entry["impact"]
    if not isinstance(impact, dict) or set(impact) != {"rcode", "ede"}:
        faults.append("impact must be { rcode = ..., ede = ... }")
    else:
        if impact["rcode"] not in RCODES:
            faults.append(f"impact.rcode must be one of {', '.join(RCODES)}")
        if impact["ede"] not in edes:
            faults.append(f"impact.ede {impact['ede']!r} is not an enumerator of zw::Ede")
    for key in ("tags", "compliance"):
        values = entry.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) and WORD.match(v) for v in values):
            faults.append(f"`{key}` must be a list of lower-case words")
    options = entry.get("options", [])
    if not isinstance(options, list) or not all(isinstance(v, str) and OPTION.match(v) for v in options):
        faults.append("`options` must be a list of threshold names (snake_case: \"min_rsa_bits\")")
    if not entry["tags"]:
        faults.append("`tags` must name at least one subject")
    overflow = entry.get("overflow", {"what": "findings"})
    if (not isinstance(overflow, dict) or not set(overflow) <= {"what", "type", "list"} or "what" not in overflow
            or overflow.get("list", "locations") not in ("locations", "messages")):
        faults.append("overflow must be { what = ..., type = ..., list = \"locations\" | \"messages\" } "
                      "(type and list optional)")
    return faults


def load(catalog):
    """The catalog's entries in id order, checked."""
    try:
        with open(catalog, "rb") as stream:
            table = tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CatalogError(f"{catalog}: {error}") from error
    root = pathlib.Path(catalog).resolve().parent
    edes = ede_names(root.parent.parent / "include" / "zonewarden" / "finding.hpp")
    ids = list(table)
    faults = []
    if ids != sorted(ids):
        before, after = next((a, b) for a, b in zip(ids, ids[1:]) if b < a)
        faults.append(f"rules.toml: [{after}] is out of order, after [{before}]: the entries are sorted by id")
    for rule_id, entry in table.items():
        if not isinstance(entry, dict):
            faults.append(f"rules.toml: [{rule_id}] must be a table")
            continue
        faults += [f"rules.toml: [{rule_id}] {fault}" for fault in check_rule(rule_id, entry, edes, root)]
    if faults:
        raise CatalogError("\n".join(faults))
    return [(rule_id, table[rule_id]) for rule_id in sorted(ids)]


def literal(text):
    """A C++ string literal for `text` (UTF-8 kept as it is)."""
    return json.dumps(text, ensure_ascii=False)


def strings(values):
    return "{" + ", ".join(literal(v) for v in values) + "}"


def cpp(entries, catalog_name):
    """The generated translation unit."""
    lines = [
        f"// Generated by src/rules/gen_catalog.py from {catalog_name}: edit that file, not this one.",
        '#include "rules/catalog.hpp"',
        "",
    ]
    for rule_id, _ in entries:
        area, snake = source_of(rule_id)
        lines.append(f"namespace zw::rules::{area} {{ extern const RuleCode {snake}; }}")
    lines += ["", "namespace zw::rules {", "namespace {", ""]
    for index, (_, entry) in enumerate(entries):
        lines.append(f"constexpr std::string_view k_tags_{index}[] = {strings(entry['tags'])};")
        if entry.get("compliance"):
            lines.append(f"constexpr std::string_view k_compliance_{index}[] = {strings(entry['compliance'])};")
        if entry.get("options"):
            lines.append(f"constexpr std::string_view k_options_{index}[] = {strings(entry['options'])};")
    lines += ["", f"constexpr std::array<CatalogEntry, {len(entries)}> k_catalog{{{{"]
    for index, (rule_id, entry) in enumerate(entries):
        area, snake = source_of(rule_id)
        overflow = entry.get("overflow", {"what": "findings"})
        fields = [
            f".id = {literal(rule_id)}",
            f".severity = Severity::{entry['severity']}",
            f".stability = Stability::{entry['stability']}",
            f".summary = {literal(entry['summary'])}",
            f".reference = {literal(entry['reference'])}",
            f".impact = {{Rcode::{entry['impact']['rcode']}, Ede::{entry['impact']['ede']}}}",
            f".inputs = Inputs::{INPUTS[entry['inputs']]}",
            f".overflow = {{.what = {literal(overflow['what'])}, .type = {literal(overflow.get('type', ''))}, "
            f".list_messages = {'true' if overflow.get('list') == 'messages' else 'false'}}}",
            f".since = {literal(entry['since'])}",
            f".tags = k_tags_{index}",
        ]
        if entry.get("compliance"):
            fields.append(f".compliance = k_compliance_{index}")
        if entry.get("options"):
            fields.append(f".options = k_options_{index}")
        lines.append(f"    {{RuleInfo{{{', '.join(fields)}}}, &{area}::{snake}}},")
    lines += ["}};", "", "} // namespace", "",
              "std::span<const CatalogEntry> catalog() noexcept { return k_catalog; }", "",
              "} // namespace zw::rules", ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalog")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--sources", action="store_true")
    action.add_argument("--output")
    args = parser.parse_args()
    try:
        entries = load(args.catalog)
    except CatalogError as error:
        print(error, file=sys.stderr)
        return 1
    if args.sources:
        for rule_id, _ in entries:
            area, snake = source_of(rule_id)
            print(f"{area}/{snake}.cpp")
        return 0
    output = pathlib.Path(args.output)
    text = cpp(entries, pathlib.Path(args.catalog).name)
    temporary = output.with_name(output.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
