#!/usr/bin/env bash
# Regenerates the bundled sample zones in zones/ that `scripts/main-job` checks. Signed with
# BIND's dnssec-signzone (bind9-utils) with a validity of ten years (2026-11-01 .. 2036-11-01)
# so the bundled data does not rot; the tests sign their own zones at test start instead.
#   zones/make-zones.sh        (rewrites zones/*.zone, zones/*.ds; needs dnssec-keygen/-signzone)
# Zones:
#   example.com.zone     healthy: ECDSA P-256 KSK+ZSK, NSEC3 (no salt, 0 iterations), DS in example.com.ds
#   example.org.zone     healthy: Ed25519 KSK+ZSK, NSEC
#   broken.example.zone  planted faults: a corrupted signature (www A), a removed NSEC (mail),
#                        TXT beside a CNAME (ftp), a delegation without its glue (sub),
#                        an RSA-1024 ZSK, a DS file naming a key the zone does not have
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=20261101000000
end=20361101000000

body() {  # $1 origin
  cat <<ZONE
\$ORIGIN $1
\$TTL 3600
@        SOA   ns1 hostmaster 2026112701 7200 3600 1209600 300
@        NS    ns1
@        NS    ns2
@        MX    10 mail
ns1      A     192.0.2.1
ns1      AAAA  2001:db8::1
ns2      A     192.0.2.2
mail     A     192.0.2.25
www      A     192.0.2.80
www      AAAA  2001:db8::80
ftp      CNAME www
a.b      TXT   "below an empty non-terminal"
sub      NS    ns.sub
ns.sub   A     192.0.2.53
ZONE
}

sign() {  # origin out keygen-args-ksk keygen-args-zsk signzone-args...
  local origin=$1 out=$2 ksk=$3 zsk=$4
  shift 4
  local d=$work/$origin
  mkdir -p "$d"
  body "$origin" > "$d/unsigned"
  dnssec-keygen -q -K "$d" $ksk -f KSK "$origin" >/dev/null
  dnssec-keygen -q -K "$d" $zsk "$origin" >/dev/null
  dnssec-signzone -q -P -S -K "$d" -d "$d" -O full -s $start -e $end -o "$origin" -f "$d/signed" "$@" "$d/unsigned" >/dev/null
  grep -v '^;' "$d/signed" > "$out"
  dnssec-dsfromkey -2 "$(ls "$d"/K*.key | while read -r k; do grep -q ' 257 ' "$k" && echo "$k"; done | head -1)" \
      > "${out%.zone}.ds"
}

sign example.com. "$here/example.com.zone" "-a ECDSAP256SHA256" "-a ECDSAP256SHA256" -3 - -H 0
sign example.org. "$here/example.org.zone" "-a ED25519" "-a ED25519"
rm -f "$here/example.org.ds"
sign broken.example. "$here/broken.example.zone" "-a RSASHA256 -b 2048" "-a RSASHA256 -b 1024"
# Planted faults, edited into the signed text.
python3 - "$here/broken.example.zone" <<'PY'
import base64, sys
path = sys.argv[1]
lines = open(path).read().splitlines()
out = []
for line in lines:
    f = line.split()
    if f[0] == "www.broken.example." and f[3] == "RRSIG" and f[4] == "A":
        sig = bytearray(base64.b64decode("".join(f[12:])))
        sig[10] ^= 0x40
        line = " ".join(f[:12] + [base64.b64encode(bytes(sig)).decode()])
    if f[0] == "mail.broken.example." and (f[3] == "NSEC" or f[3:5] == ["RRSIG", "NSEC"]):
        continue  # the NSEC of mail, and its signature: a hole in the chain
    if f[0] == "ns.sub.broken.example.":
        continue  # the glue of sub's in-bailiwick name server
    out.append(line)
    if f[0] == "ftp.broken.example." and f[3] == "CNAME":
        out.append('ftp.broken.example. 3600 IN TXT "data beside a CNAME"')
open(path, "w").write("\n".join(out) + "\n")
PY
# A DS for a key the zone does not publish (a KSK rolled without updating the parent).
dnssec-keygen -q -K "$work" -a RSASHA256 -b 2048 -f KSK broken.example. >/dev/null
dnssec-dsfromkey -2 "$(ls "$work"/Kbroken.example.*.key | head -1)" > "$here/broken.example.ds"
echo "wrote $(ls "$here"/*.zone | wc -l) zones to $here"
