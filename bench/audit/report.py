#!/usr/bin/python3
"""Per-zone table for bench/audit/run.sh: time of each peer on each zone (last pass) and what each
tool reported, next to the fault the lab planted.

    report.py SCENARIOS.json WORKDIR

WORKDIR holds zw-all.json (zonewarden's report), zm.times / dv.times ("ZONE SECONDS" lines) and
zm-ZONE.json (zonemaster-cli --json) / dv-ZONE.json (dnsviz grok -l warning) per zone.
Lab noise is left out: zonemaster-cli's private-address and missing-reverse findings, dnsviz's
private-address codes (every lab server is on 127.53/16 or fd53::/16), and anything below
warning. Standard library only.
"""
import json
import os
import sys

ZM_NOISE = {"NAMESERVER_IP_PRIVATE_NETWORK", "NAMESERVER_IP_WITHOUT_REVERSE"}
ZM_LOUD = {"WARNING", "ERROR", "CRITICAL"}
DV_NOISE = {"NS_NAME_PRIVATE_IP", "GLUE_PRIVATE_IP"}
ZW_LOUD = {"warning", "error"}


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def times(path):
    out = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                zone, _, sec = line.strip().partition(" ")
                out[zone] = float(sec)
    except (OSError, ValueError):
        pass
    return out


def zw_rules(report):
    out = {}
    for entry in (report or {}).get("zones", []):
        out[entry.get("zone")] = sorted({f.get("rule") for f in entry.get("findings", [])
                                         if f.get("severity") in ZW_LOUD})
    return out


def zm_tags(messages):
    if not isinstance(messages, list):
        return None
    return sorted({m.get("tag") for m in messages
                   if m.get("level") in ZM_LOUD and m.get("tag") not in ZM_NOISE})


def dv_codes(grok, zone):
    """Error and warning codes under the zone's own key of grok's output (not its ancestors')."""
    if not isinstance(grok, dict):
        return None
    found = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("errors", "warnings", "error", "warning") and isinstance(value, list):
                    found.update(v.get("code") for v in value if isinstance(v, dict) and v.get("code"))
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(grok.get(zone, {}))
    return sorted(found - DV_NOISE)


def short(items, width):
    if items is None:
        return "(no output)"
    text = ",".join(items) if items else "-"
    return text if len(text) <= width else text[:width - 3] + "..."


def main():
    scenarios = load(sys.argv[1]) or []
    work = sys.argv[2]
    zw = zw_rules(load(os.path.join(work, "zw-all.json")))
    zm_t = times(os.path.join(work, "zm.times"))
    dv_t = times(os.path.join(work, "dv.times"))
    peers = bool(zm_t or dv_t)
    print("per zone: planted fault (lab's expected rule), zonewarden's warning/error rules (all-zones run),"
          + (" peers' time (last pass) and warning+ codes minus lab noise" if peers else ""))
    for s in scenarios:
        zone = s["zone"]
        expect = ",".join(s.get("expect") or []) or "-"
        line = "%-26s expect %-36s zw %s" % (zone, expect, short(zw.get(zone), 60))
        print(line)
        if peers:
            zm = zm_tags(load(os.path.join(work, "zm-%s.json" % zone)))
            dv = dv_codes(load(os.path.join(work, "dv-%s.json" % zone)), zone)
            print("%-26s   zonemaster-cli %6.2f s  %s" % ("", zm_t.get(zone, float("nan")), short(zm, 100)))
            print("%-26s   dnsviz         %6.2f s  %s" % ("", dv_t.get(zone, float("nan")), short(dv, 100)))


if __name__ == "__main__":
    main()
