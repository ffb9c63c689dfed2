#!/usr/bin/env bash
# Loader benchmark: zonewarden's zone loader against ldns, BIND and Knot on one signed zone.
#   bench/load/run.sh [BUILD_DIR] [NAMES]       (default: build, 100000)
# Generates a zone of NAMES owner names (A, AAAA, MX, TXT, CNAME, delegations with glue and
# DS), signs it once with dnssec-signzone (ECDSA P-256, NSEC; cached in $ZW_BENCH_DIR, default
# /tmp/zw-bench-load), then runs each tool 3 times under /usr/bin/time and prints the medians of
# wall time and peak RSS, and their ratios to ours. Env: BENCH_LOAD (our driver; default
# BUILD_DIR/bench/bench_load), RUNS (default 3).
# Needs: bind9-utils (dnssec-keygen, dnssec-signzone, named-checkzone), ldnsutils
# (ldns-read-zone), knot-dnssecutils (kzonecheck), time (/usr/bin/time). Missing peers are skipped.
# Network safety: some peers resolve names (named-checkzone's post-load checks do); every tool
# runs in a private network namespace with no interface up, so no packet can leave.
if [[ -z ${ZW_BENCH_NETNS:-} ]]; then
  if [[ $(id -u) -ne 0 ]] || ! command -v unshare >/dev/null; then
    echo "bench/load: needs root and unshare (it runs in a private network namespace)" >&2
    exit 77
  fi
  exec env ZW_BENCH_NETNS=1 unshare --net -- "$0" "$@"
fi

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
names=${2:-100000}
runs=${RUNS:-3}
driver=${BENCH_LOAD:-$build/bench/bench_load}
work=${ZW_BENCH_DIR:-/tmp/zw-bench-load}
origin=bench.example.

[[ -x $driver ]] || { echo "run.sh: no driver at $driver (ninja -C $build bench/bench_load)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "run.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
for tool in dnssec-keygen dnssec-signzone; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool missing (bind9-utils)" >&2; exit 2; }
done

mkdir -p "$work"
zone=$work/$names.zone
signed=$work/$names.zone.signed
if [[ ! -s $signed ]]; then
  echo "generating $names names and signing (once; cached in $work)..." >&2
  python3 "$here/gen_zone.py" "$names" "$origin" > "$zone"
  rm -f "$work"/K"$origin"*
  (cd "$work" && dnssec-keygen -q -a ECDSAP256SHA256 -f KSK -K . "$origin" >/dev/null &&
   dnssec-keygen -q -a ECDSAP256SHA256 -K . "$origin" >/dev/null &&
   dnssec-signzone -q -S -K . -n "$(nproc)" -o "$origin" -f "$signed" "$zone" >/dev/null)
fi
echo "zone: $signed ($(du -h "$signed" | cut -f1), $(wc -l < "$signed") lines)" >&2

# name|command...   (stdout of each tool goes to /dev/null)
declare -a cases=("zonewarden|$driver $signed $origin")
command -v ldns-read-zone >/dev/null && cases+=("ldns-read-zone|ldns-read-zone $signed")
command -v named-checkzone >/dev/null && cases+=("named-checkzone -i none|named-checkzone -q -i none $origin $signed")
if command -v kzonecheck >/dev/null; then
  cases+=("kzonecheck -d off|kzonecheck -d off -o $origin $signed")
  cases+=("kzonecheck (verifies)|kzonecheck -o $origin $signed")
fi

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-22s %9s %11s %9s %9s  %s\n' tool wall_s peak_rss_MB x_wall x_rss status
ours_t= ; ours_m=
for c in "${cases[@]}"; do
  label=${c%%|*}; cmd=${c#*|}
  times=(); mems=(); status=ok
  for ((i = 0; i < runs; i++)); do
    if ! /usr/bin/time -f '%e %M' -o "$work/time.out" $cmd >/dev/null 2>"$work/stderr.out"; then
      status="exit $(tail -n1 "$work/time.out" | grep -o '[0-9]*$' || echo '?')"
    fi
    read -r t m < <(grep -E '^[0-9.]+ [0-9]+$' "$work/time.out")
    times+=("$t"); mems+=("$m")
  done
  t=$(printf '%s\n' "${times[@]}" | median)
  m=$(printf '%s\n' "${mems[@]}" | median)
  mb=$(awk -v m="$m" 'BEGIN {printf "%.1f", m / 1024}')
  if [[ -z $ours_t ]]; then ours_t=$t; ours_m=$m; fi
  xt=$(awk -v a="$t" -v b="$ours_t" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
  xm=$(awk -v a="$m" -v b="$ours_m" 'BEGIN {printf "%.2f", a / b}')
  printf '%-22s %9s %11s %9s %9s  %s\n' "$label" "$t" "$mb" "$xt" "$xm" "$status"
  [[ $label == zonewarden ]] && sed 's/^/    /' "$work/stderr.out" >&2
done
echo "medians of $runs runs; x_* = tool / zonewarden" >&2
echo "ldns-read-zone also prints the zone (to /dev/null); named-checkzone runs with -i none because" \
     "its default post-load checks resolve delegation glue over the network; kzonecheck runs" \
     "semantic checks, and without '-d off' also verifies every signature" >&2
