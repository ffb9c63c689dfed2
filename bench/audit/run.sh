#!/usr/bin/env bash
# Audit benchmark: zonewarden vs zonemaster-cli and dnsviz on every zone of the loopback lab
# (tests/lab), all inside ONE lab run, so every DNS packet stays in the lab's network namespace.
#
#   sudo bench/audit/run.sh [BUILD_DIR]          (BUILD_DIR default: build)
#
# Env: BENCH_RUNS (zonewarden runs per measurement, default 5), BENCH_PEER_RUNS (passes of each
# peer over all zones, default 1, at most 3: a dnsviz pass takes minutes), BENCH_PEER_TIMEOUT
# (seconds allowed to one peer on one zone, default 300), BENCH_SKIP_PEERS=1 (zonewarden only).
# Exit 77 when not root or a tool is missing (installs zonemaster-cli and dnsviz from Debian when
# absent). Prints a table; nothing is written outside a temporary directory.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
py=/usr/bin/python3

skip() { echo "bench/audit: skipped: $*" >&2; exit 77; }

# ---------------------------------------------------------------------------------------------
# Inside the lab: measure and print.
# ---------------------------------------------------------------------------------------------
if [[ "${1:-}" == "--inside" ]]; then
  zw=$2
  runs=${BENCH_RUNS:-5}
  peer_runs=${BENCH_PEER_RUNS:-1}
  peer_timeout=${BENCH_PEER_TIMEOUT:-300}
  (( peer_runs > 3 )) && peer_runs=3

  # Network safety: the lab refuses to start otherwise; check again before any peer runs.
  links=$(ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort -u | tr '\n' ' ')
  if [[ "$links" != "lo " ]]; then
    echo "bench/audit: refusing: namespace has interfaces other than lo: $links" >&2
    exit 2
  fi
  : "${ZW_LAB_HINTS:?not inside the lab}" "${ZW_LAB_ANCHOR:?}" "${ZW_LAB_SCENARIOS:?}"

  work=$(mktemp -d /tmp/bench-audit.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  # Time a private copy: on a shared tree, a concurrent ninja may relink the binary mid-run.
  cp "$zw" "$work/zonewarden" && zw="$work/zonewarden"
  "$zw" --version >/dev/null 2>&1 || "$zw" --help >/dev/null || { echo "bench/audit: $zw does not run" >&2; exit 1; }
  mapfile -t zones < <("$py" -c 'import json,sys; [print(s["zone"]) for s in json.load(open(sys.argv[1]))]' \
                        "$ZW_LAB_SCENARIOS")
  healthy=healthy-nsec.lab.

  now() { echo "$EPOCHREALTIME"; }
  elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
  median() { tr ' ' '\n' | { grep . || true; } | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

  # zonewarden: one invocation per run. Exit 0/1 are fine (--fail-on never gives 0); 2+ is not.
  zw_time() {  # OUT ARGS... -> prints seconds
    local out=$1; shift
    local t0 t1 rc=0
    t0=$(now)
    "$zw" audit "$@" --hints "$ZW_LAB_HINTS" --trust-anchor "$ZW_LAB_ANCHOR" --format json \
      --output "$out" --fail-on never >/dev/null 2>"$out.err" || rc=$?
    t1=$(now)
    if (( rc > 1 )); then echo "bench/audit: zonewarden exited $rc:" >&2; cat "$out.err" >&2; exit 1; fi
    elapsed "$t0" "$t1"
  }
  zw_all=() zw_all1=() zw_all0=() zw_one=()
  echo "zonewarden: ${#zones[@]} zones, $runs runs each (defaults --timeout 2s --retries 1;" \
       "--timeout 1s; --retries 0; $healthy alone)" >&2
  for ((i = 1; i <= runs; i++)); do
    zw_all+=("$(zw_time "$work/zw-all.json" "${zones[@]}")")
    zw_all1+=("$(zw_time "$work/zw-all-1s.json" "${zones[@]}" --timeout 1s)")
    zw_all0+=("$(zw_time "$work/zw-all-r0.json" "${zones[@]}" --retries 0)")
    zw_one+=("$(zw_time "$work/zw-one.json" "$healthy")")
  done
  echo "  all zones, 2s: ${zw_all[*]}" >&2
  echo "  all zones, 1s: ${zw_all1[*]}" >&2
  echo "  all zones, 2s, retries 0: ${zw_all0[*]}" >&2
  echo "  $healthy: ${zw_one[*]}" >&2
  m_all=$(echo "${zw_all[*]}" | median)
  m_all1=$(echo "${zw_all1[*]}" | median)
  m_all0=$(echo "${zw_all0[*]}" | median)
  m_one=$(echo "${zw_one[*]}" | median)

  # Peers, zone by zone; one pass = the sum over all zones. Per-zone times of the last pass go to
  # $work/TOOL.times for the per-zone table.
  : >"$work/zm.times"; : >"$work/dv.times"
  zm_pass=() dv_pass=()
  if [[ "${BENCH_SKIP_PEERS:-0}" != 1 ]]; then
    # dnsviz: pin the root to the lab's servers (-x .:NAME=ADDR,...; IPv6 in brackets), analyse
    # through the explicit ancestor '.', so dnsviz uses no built-in root hints.
    xroot=$(awk '{ for (i = 2; i < NF; i++) {
                     if ($i == "A")    { printf "%s%s=%s", s, $1, $NF; s = "," }
                     if ($i == "AAAA") { printf "%s%s=[%s]", s, $1, $NF; s = "," } } }' "$ZW_LAB_HINTS")
    [[ -n "$xroot" ]] || { echo "bench/audit: no root addresses in $ZW_LAB_HINTS" >&2; exit 1; }
    # Debian 12: dnsviz 0.9.4 grok -t imports pygraphviz.release, gone from pygraphviz 1.7:
    # bench/dnsviz-shim/sitecustomize.py on PYTHONPATH (grok only) provides it.
    for ((p = 1; p <= peer_runs; p++)); do
      echo "zonemaster-cli: pass $p/$peer_runs, ${#zones[@]} zones one by one" >&2
      : >"$work/zm.times"
      for z in "${zones[@]}"; do
        t0=$(now)
        timeout "$peer_timeout" zonemaster-cli --hints "$ZW_LAB_HINTS" --json --no-progress "$z" \
          >"$work/zm-$z.json" 2>"$work/zm-$z.err" || echo "  zonemaster-cli $z: exit $?" >&2
        t1=$(now)
        echo "$z $(elapsed "$t0" "$t1")" >>"$work/zm.times"
      done
      zm_pass+=("$(awk '{ s += $2 } END { printf "%.3f", s }' "$work/zm.times")")
      echo "  pass $p: ${zm_pass[-1]} s" >&2

      echo "dnsviz: pass $p/$peer_runs, ${#zones[@]} zones one by one (probe -A | grok -t)" >&2
      : >"$work/dv.times"
      for z in "${zones[@]}"; do
        t0=$(now)
        { timeout "$peer_timeout" dnsviz probe -A -a . -x ".:$xroot" "$z" 2>"$work/dv-$z.err" |
            PYTHONPATH="$root/bench/dnsviz-shim" timeout "$peer_timeout" dnsviz grok -t "$ZW_LAB_ANCHOR" -l warning \
              >"$work/dv-$z.json" 2>>"$work/dv-$z.err"; } || echo "  dnsviz $z: exit $?" >&2
        t1=$(now)
        echo "$z $(elapsed "$t0" "$t1")" >>"$work/dv.times"
      done
      dv_pass+=("$(awk '{ s += $2 } END { printf "%.3f", s }' "$work/dv.times")")
      echo "  pass $p: ${dv_pass[-1]} s" >&2
    done
  fi
  m_zm=$(echo "${zm_pass[*]:-}" | median)
  m_dv=$(echo "${dv_pass[*]:-}" | median)

  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == 0) print "-"; else printf "%.1fx", a / b }'; }
  verdict() { awk -v v="$1" -v lim="$2" 'BEGIN { print (v + 0 < lim + 0) ? "MET" : "MISSED" }'; }
  n=${#zones[@]}
  echo
  echo "zonewarden audit benchmark, lab of $n zones, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  printf '%-44s %5s %14s %12s\n' "tool (what)" "runs" "median wall s" "vs zonewarden"
  printf '%-44s %5s %14s %12s\n' "--------------------------------------------" "-----" "--------------" "------------"
  printf '%-44s %5s %14s %12s\n' "zonewarden audit, $n zones, one invocation" "$runs" "$m_all" "1.0x"
  printf '%-44s %5s %14s %12s\n' "zonewarden same, --timeout 1s" "$runs" "$m_all1" "$(ratio "$m_all1" "$m_all")"
  printf '%-44s %5s %14s %12s\n' "zonewarden same, --retries 0" "$runs" "$m_all0" "$(ratio "$m_all0" "$m_all")"
  printf '%-44s %5s %14s %12s\n' "zonewarden audit $healthy alone" "$runs" "$m_one" "-"
  printf '%-44s %5s %14s %12s\n' "zonemaster-cli, zone by zone (sum)" "${#zm_pass[@]}" "$m_zm" "$(ratio "$m_zm" "$m_all")"
  printf '%-44s %5s %14s %12s\n' "dnsviz probe|grok, zone by zone (sum)" "${#dv_pass[@]}" "$m_dv" "$(ratio "$m_dv" "$m_all")"
  echo
  echo "targets:"
  echo "  whole lab in one invocation under 5 s:        $m_all s  $(verdict "$m_all" 5)   (zonemaster-cli zone by zone: $m_zm s)"
  echo "  healthy zone under 100 ms:                    $(awk -v v="$m_one" 'BEGIN { printf "%.0f", v * 1000 }') ms  $(verdict "$m_one" 0.1)"
  # With waits overlapped, the whole run costs about one silent wait: (1 + retries) x timeout on
  # top of the work, whatever the number of silent servers and zones.
  echo "  waits overlap, a silent server costs one timeout (x attempts = 1 + retries):"
  awk -v a="$m_all" -v b="$m_all1" -v c="$m_all0" 'BEGIN {
    printf "    --timeout 2s --retries 1: %.3f s; --timeout 1s: %.3f s (saves %.2f s = %.1f x 1 s);", a, b, a - b, a - b
    printf " --retries 0: %.3f s (saves %.2f s = %.1f x 2 s)\n", c, a - c, (a - c) / 2
    printf "    so the silent waits cost %.2f s of the %.3f s: about %.1f timeouts of 2 s, the rest (%.2f s) is work\n",
           2 * (a - b), a, (a - b), a - 2 * (a - b) }'
  echo
  "$py" "$here/report.py" "$ZW_LAB_SCENARIOS" "$work"
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# Outside: checks, installs, then one lab run.
# ---------------------------------------------------------------------------------------------
[[ $(id -u) == 0 ]] || skip "needs root (the lab and the peers' install): sudo $0"
[[ -x $py ]] || skip "$py missing"
for t in unshare ip nft; do command -v "$t" >/dev/null || skip "$t missing"; done
build=${1:-build}
[[ "$build" = /* ]] || build="$root/$build"
zw="$build/src/cli/zonewarden"
if [[ ! -x "$zw" ]]; then
  if [[ -f "$build/build.ninja" ]] && command -v ninja >/dev/null; then ninja -C "$build" >&2; fi
  [[ -x "$zw" ]] || skip "$zw missing (meson setup $build && ninja -C $build)"
fi
if [[ "${BENCH_SKIP_PEERS:-0}" != 1 ]] && ! { command -v zonemaster-cli && command -v dnsviz; } >/dev/null; then
  echo "bench/audit: installing zonemaster-cli and dnsviz from Debian" >&2
  { apt-get install -y zonemaster-cli dnsviz >/dev/null 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y zonemaster-cli dnsviz >/dev/null 2>&1; }; } ||
    skip "could not install zonemaster-cli dnsviz"
  { command -v zonemaster-cli && command -v dnsviz; } >/dev/null || skip "zonemaster-cli or dnsviz missing"
fi
cd "$root"
rc=0
"$py" tests/lab/lab.py run -- bash "$here/run.sh" --inside "$zw" || rc=$?
exit "$rc"
