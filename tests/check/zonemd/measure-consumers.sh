#!/bin/sh
# measure-consumers.sh ZONEFILE ORIGIN: what knotd (zonemd-verify: on), unbound (zonemd-check: yes),
# nsd, named-checkzone, kzonecheck and ldns-verify-zone do with a zone file's ZONEMD. This is how
# the zone/zonemd-* pages measured their "Criterion" (Debian 12). Not run by the tests; the
# servers start inside `unshare -rn` and listen on loopback only.
zf=$(readlink -f "$1"); origin="$2"
d=$(mktemp -d /tmp/zw-zonemd-measure.XXXX); trap 'rm -rf "$d"' EXIT; cp "$zf" $d/z.zone
cat > $d/knot.conf <<K
server:
    rundir: $d
    listen: 127.0.0.1@5300
database:
    storage: $d/kdb
template:
  - id: default
    storage: $d
    zonemd-verify: on
zone:
  - domain: $origin
    file: $d/z.zone
log:
  - target: stderr
    any: info
K
cat > $d/unbound.conf <<U
server:
    directory: "$d"
    chroot: ""
    username: ""
    pidfile: "$d/unbound.pid"
    interface: 127.0.0.1@5301
    use-syslog: no
    logfile: ""
    verbosity: 1
    do-daemonize: no
auth-zone:
    name: "$origin"
    zonefile: "$d/z.zone"
    for-upstream: no
    for-downstream: yes
    zonemd-check: yes
remote-control:
    control-enable: no
U
cat > $d/nsd.conf <<N
server:
    ip-address: 127.0.0.1@5302
    zonesdir: "$d"
    database: ""
    pidfile: "$d/nsd.pid"
    xfrdfile: "$d/xfrd.state"
    zonelistfile: "$d/zone.list"
    username: ""
    logfile: "$d/nsd.log"
    verbosity: 2
zone:
    name: "$origin"
    zonefile: "$d/z.zone"
N
unshare -rn sh -c "
ip link set lo up 2>/dev/null
knotd -c $d/knot.conf > $d/knot.log 2>&1 & kp=\$!
unbound -d -c $d/unbound.conf > $d/unbound.log 2>&1 & up=\$!
nsd -d -c $d/nsd.conf > $d/nsd.out 2>&1 & np=\$!
sleep 2
echo '--- dig knot'; dig +norec +time=1 +tries=1 @127.0.0.1 -p 5300 $origin SOA | grep -E 'status|^$origin' | head -3
echo '--- dig unbound'; dig +time=1 +tries=1 @127.0.0.1 -p 5301 $origin SOA | grep -E 'status|^$origin' | head -3
echo '--- dig nsd'; dig +norec +time=1 +tries=1 @127.0.0.1 -p 5302 $origin SOA | grep -E 'status|^$origin' | head -3
kill \$kp \$up \$np; wait
"
echo '--- knot log'; grep -iE 'zonemd|fail|error|loaded' $d/knot.log | grep -v 'loaded configuration' | head -5
echo '--- unbound log'; grep -iE 'zonemd|fail|error' $d/unbound.log | head -5
echo '--- nsd log'; grep -iE 'zonemd|fail|error|read' $d/nsd.log $d/nsd.out | head -5
echo '--- named-checkzone'; named-checkzone -q $origin $d/z.zone; echo "exit $?"
echo '--- kzonecheck'; kzonecheck -o $origin $d/z.zone 2>&1 | head -3; echo "exit $?"
echo '--- ldns-verify-zone -Z'; ldns-verify-zone -Z $d/z.zone 2>&1 | head -3
