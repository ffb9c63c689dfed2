#!/usr/bin/env bash
# Zone-file check benchmark: `zonewarden check` against ldns-verify-zone, dnssec-verify and
# kzonecheck on the same signed zones, and against the crypto limit.
#   bench/check/run.sh [BUILD_DIR] [SET]        (default: build, default)
# SET: quick   one 10k-name zone, ECDSA P-256 + NSEC (a smoke run, ~1 min)
#      default four 100k-name zones: ECDSA P-256 + NSEC, ECDSA P-256 + NSEC3 (no salt, 0 extra
#              iterations, RFC 9276), RSASHA256-2048 + NSEC, Ed25519 + NSEC
#      full    default + a 1M-name ECDSA P-256 + NSEC zone
#      large   the 1M-name zone alone
# Each zone comes from bench/load/gen_zone.py (A, AAAA, MX, TXT, CNAME, delegations with glue and
# DS), is signed once by dnssec-signzone (KSK + ZSK, -O full: one RR per line, fixed validity
# 2025-01-01..2035-01-01) and cached in $ZW_BENCH_DIR (default /tmp/zw-bench-check) by size,
# algorithm and denial. Every tool then runs RUNS times (round-robin) under /usr/bin/time, and
# once on a copy with one broken RRSIG; report.py prints per zone: median wall and CPU time, peak
# RSS, ratios peer/ours, whether each exit status says "valid" on the healthy zone and "invalid"
# on the broken copy, the crypto limit (RRSIGs / (openssl speed verify/s x cores)) and the targets:
# faster than the fastest peer; within 1.1x of the crypto limit; peak memory no higher than the
# lightest peer that verifies every signature (accepts the healthy zone, rejects the broken one).
# Env: RUNS (default 3), CHECK_NOW (the --now given to zonewarden, and -t to ldns-verify-zone and
# kzonecheck; default 2030-01-01T00:00:00Z; dnssec-verify has no such option and uses the clock,
# which the signatures cover until 2035), CHECK_TIMEOUT (seconds per tool run, default 3600),
# ZW_BENCH_DIR, ZONEWARDEN (our binary; default BUILD_DIR/src/cli/zonewarden).
# Needs: root and unshare; bind9-utils (dnssec-keygen, dnssec-signzone; dnssec-verify is a peer),
# python3, time (/usr/bin/time); optional: ldnsutils (ldns-verify-zone), knot-dnssecutils
# (kzonecheck), openssl (the crypto limit). Missing peers, and zonewarden without `check`, are
# skipped with a message. Exit 77 when not root or unshare is missing, or a signing tool is.
# Network safety: no tool here needs the network, but some peers can resolve names; every tool
# runs in a private network namespace with no interface up, so no packet can leave.
if [[ -z ${ZW_BENCH_NETNS:-} ]]; then
  if [[ $(id -u) -ne 0 ]] || ! command -v unshare >/dev/null; then
    echo "bench/check: needs root and unshare (it runs in a private network namespace)" >&2
    exit 77
  fi
  exec env ZW_BENCH_NETNS=1 unshare --net -- "$0" "$@"
fi

set -euo pipefail
shopt -s inherit_errexit

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-build}
[[ $build = /* ]] || build=$root/$build
set_name=${2:-default}
runs=${RUNS:-3}
now=${CHECK_NOW:-2030-01-01T00:00:00Z}
timeout=${CHECK_TIMEOUT:-3600}
work=${ZW_BENCH_DIR:-/tmp/zw-bench-check}
zw=${ZONEWARDEN:-$build/src/cli/zonewarden}
[[ $zw = /* ]] || zw=$PWD/$zw
origin=bench.example.
inception=20250101000000
expiration=20350101000000
py=$(command -v /usr/bin/python3 || command -v python3 || true)

skip() { echo "bench/check: skipped: $*" >&2; exit 77; }

# Belt and braces: only lo may exist in this namespace (/proc/net/dev is per network namespace).
ifaces=$(awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' /proc/net/dev | tr '\n' ' ')
[[ $ifaces == "lo " ]] || { echo "bench/check: refusing: interfaces other than lo: $ifaces" >&2; exit 2; }

case $set_name in
  quick)   zones=(10000:ecdsa:nsec) ;;
  default) zones=(100000:ecdsa:nsec 100000:ecdsa:nsec3 100000:rsa:nsec 100000:ed25519:nsec) ;;
  full)    zones=(100000:ecdsa:nsec 100000:ecdsa:nsec3 100000:rsa:nsec 100000:ed25519:nsec
                  1000000:ecdsa:nsec) ;;
  large)   zones=(1000000:ecdsa:nsec) ;;
  *) echo "bench/check: unknown SET '$set_name' (quick, default, full, large)" >&2; exit 2 ;;
esac
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench/check: RUNS must be a positive integer" >&2; exit 2; }
[[ -n $py ]] || skip "python3 missing"
[[ -x /usr/bin/time ]] || skip "/usr/bin/time missing (apt-get install time)"
for tool in dnssec-keygen dnssec-signzone; do
  command -v "$tool" >/dev/null || skip "$tool missing (apt-get install bind9-utils)"
done
mkdir -p "$work"
work=$(cd "$work" && pwd)
cd "$work"   # nothing below writes into the caller's directory

# Ours: a private copy, so that a concurrent ninja cannot relink it mid-run.
ours=
if [[ ! -x $zw ]]; then
  echo "bench/check: zonewarden skipped: no executable at $zw (meson setup $build && ninja -C $build)" >&2
elif ! "$zw" check --help 2>&1 | grep -Eq '^Usage: .*zonewarden check( |$)'; then
  echo "bench/check: zonewarden skipped: $zw has no 'check' command yet" >&2
else
  cp "$zw" "$work/zonewarden" && ours=$work/zonewarden
fi
# The read floor (bench/check/bench_read.cpp), when built: a private copy too.
read_floor=
if [[ -x $build/bench/bench_read ]]; then
  cp "$build/bench/bench_read" "$work/bench_read" && read_floor="$work/bench_read {zone} $origin 3"
else
  echo "bench/check: no read floor: $build/bench/bench_read not built" >&2
fi
compact=$(date -u -d "$now" +%Y%m%d%H%M%S) || { echo "bench/check: bad CHECK_NOW '$now'" >&2; exit 2; }

# name|command ({zone} is the signed file); ours first.
declare -a cases=()
[[ -n $ours ]] && cases+=("zonewarden check|$ours check {zone} --now $now --format json --output /dev/null")
if command -v ldns-verify-zone >/dev/null; then cases+=("ldns-verify-zone|ldns-verify-zone -t $compact {zone}")
else echo "bench/check: ldns-verify-zone skipped (apt-get install ldnsutils)" >&2; fi
if command -v dnssec-verify >/dev/null; then cases+=("dnssec-verify|dnssec-verify -o $origin {zone}")
else echo "bench/check: dnssec-verify skipped (apt-get install bind9-utils)" >&2; fi
if command -v kzonecheck >/dev/null; then cases+=("kzonecheck -d on|kzonecheck -d on -t $compact -o $origin {zone}")
else echo "bench/check: kzonecheck skipped (apt-get install knot-dnssecutils)" >&2; fi
(( ${#cases[@]} > 0 )) || skip "no tool to measure"
command -v openssl >/dev/null || echo "bench/check: openssl missing: no crypto limit" >&2

# sign NAMES ALG DENIAL -> prints the signed file (cached; written under a temporary name first).
sign() {
  local names=$1 alg=$2 denial=$3
  local zone=$work/$names.zone signed=$work/$names-$alg-$denial.signed keys=$work/keys-$names-$alg-$denial
  if [[ ! -s $signed ]]; then
    if [[ ! -s $zone ]]; then
      "$py" "$root/bench/load/gen_zone.py" "$names" "$origin" >"$zone.tmp" && mv "$zone.tmp" "$zone"
    fi
    local -a keygen nsec3=()
    case $alg in
      ecdsa)   keygen=(-a ECDSAP256SHA256) ;;
      rsa)     keygen=(-a RSASHA256 -b 2048) ;;
      ed25519) keygen=(-a ED25519) ;;
    esac
    [[ $denial == nsec3 ]] && nsec3=(-3 - -H 0)
    rm -rf "$keys" && mkdir -p "$keys"
    echo "signing $names names, $alg, $denial (once; cached in $work)..." >&2
    local t0=$EPOCHREALTIME
    # In the key directory: dnssec-signzone also writes dsset-ORIGIN into the current directory.
    # -P: no post-signing verification (that is dnssec-verify's run below).
    (cd "$keys" &&
     dnssec-keygen -q "${keygen[@]}" -f KSK -K . "$origin" >/dev/null &&
     dnssec-keygen -q "${keygen[@]}" -K . "$origin" >/dev/null &&
     dnssec-signzone -q -P -S -K . -d . -n "$(nproc)" -O full "${nsec3[@]}" -s "$inception" \
       -e "$expiration" -o "$origin" -f "$signed.tmp" "$zone" >/dev/null)
    awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f\n", b - a }' >"$signed.sign-seconds"
    mv "$signed.tmp" "$signed"
    rm -f "$signed.rrsigs" "$signed.bad"
    echo "  signed in $(cat "$signed.sign-seconds") s" >&2
  fi
  [[ -s $signed.rrsigs ]] || awk '$4 == "RRSIG"' "$signed" | wc -l >"$signed.rrsigs"
  [[ -s $signed.bad ]] || "$py" "$here/report.py" corrupt "$signed" "$signed.bad" >"$signed.bad-owner"
  echo "$signed"
}

results=$work/results-$$.jsonl
: >"$results"
trap 'rm -f "$results"' EXIT
echo "bench/check: set $set_name, ${#zones[@]} zone(s), $runs runs, --now $now, $(nproc) cores" >&2
for z in "${zones[@]}"; do
  IFS=: read -r names alg denial <<<"$z"
  signed=$(sign "$names" "$alg" "$denial")
  case $alg in
    ecdsa)   ossl=ecdsap256 title_alg="ECDSA P-256" ;;
    rsa)     ossl=rsa2048 title_alg="RSASHA256-2048" ;;
    ed25519) ossl=ed25519 title_alg="Ed25519" ;;
  esac
  echo "measuring $signed (broken copy: RRSIG over A at $(cat "$signed.bad-owner"))" >&2
  "$py" "$here/report.py" measure --title "$names names, $title_alg, ${denial^^}" --zone "$signed" \
    --bad "$signed.bad" --rrsigs "$(cat "$signed.rrsigs")" --openssl "$ossl" --runs "$runs" \
    --work "$work/out" --results "$results" --timeout "$timeout" --read-floor "$read_floor" -- "${cases[@]}"
done
"$py" "$here/report.py" summary "$results"
echo "tool output of the last run: $work/out/; signing times: $work/*.sign-seconds" >&2
