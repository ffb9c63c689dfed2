#!/usr/bin/env python3
"""The independent ZONEMD oracle of the zonemd cases: dnspython's RFC 8976 implementation.

    zonemd_oracle.py ORIGIN HASH < zone text      prints the SIMPLE digest (hex) of the zone
    zonemd_oracle.py ORIGIN verify < zone text    exits 0 when dnspython verifies the zone

Run by cases_zonemd.py with an interpreter that has dnspython (Debian: python3-dnspython).
"""
import sys

import dns.zone


def main():
    origin, what = sys.argv[1], sys.argv[2]
    zone = dns.zone.from_text(sys.stdin.read(), origin=origin, relativize=False)
    if what == "verify":
        zone.verify_digest()
        return 0
    print(zone.compute_digest(int(what)).digest.hex())
    return 0


if __name__ == "__main__":
    sys.exit(main())
