#!/bin/sh
# Runs "$@" inside a new network namespace with only loopback up. Exit 77 (meson: skipped)
# when the namespace cannot be made (not root, no unshare or ip).
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null 2>&1 || ! command -v ip >/dev/null 2>&1; then
  echo "netns-run: needs root, unshare and ip: skipped" >&2
  exit 77
fi
exec unshare --net sh -c 'ip link set lo up || exit 77; exec "$@"' netns-run "$@"
