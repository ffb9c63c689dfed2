#!/usr/bin/python3
"""The run history on a real PostgreSQL server: what SQLite's history does, PostgreSQL's does too.

    tests/lab/test_history_postgres.py ZONEWARDEN HISTORY_TESTS      (as root)

Self-contained: it re-executes itself in a private network and PID namespace (`unshare --net
--pid`, loopback only: it refuses to go on if any interface but `lo` exists there), creates a
cluster with Debian's PostgreSQL (`initdb` and the server as the `postgres` user: the server
refuses to run as root; trust authentication for the role `zw`, on 127.0.0.1 only, fsync off), starts it and waits
until it accepts connections. Then:

  1. HISTORY_TESTS (tests/unit/test_history_store.cpp) with ZW_TEST_POSTGRES set: its
     [PostgreSQL] cases (the same store cases as on SQLite, and PostgreSQL's own refusals) must
     all run and pass, none skipped;
  2. tests/cli/test_history.py ZONEWARDEN --postgres: the whole CLI history test (runs, zone, diff,
     HTML trends, baselines from a run, refusals, a write that fails half-way, four writers at once
     on a database none of them found, prune), each history a database of its own;
  3. the connection's faults, each one line and exit status 2, never a password: a port nothing
     listens on; a database that does not exist; a server that accepts the connection and then
     says nothing (SIGSTOP): zonewarden gives up by its own connect timeout (10 s), not never.

Prints one line per check and `N passed, M failed`; exit 1 on any failure, 2 when the server could
not be started, 77 (skipped) when not root or when unshare, ip, the postgres user or PostgreSQL's server
binaries are missing. About 20 s.
"""

import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77
INNER = "_inner"
TOTAL_TIMEOUT = 240   # the whole test, namespace included
READY_TIMEOUT = 30    # the server accepting connections after its start
PORT = 5432
SERVER = f"postgresql://zw@127.0.0.1:{PORT}"
HERE = os.path.dirname(os.path.abspath(__file__))
CLI_TEST = os.path.join(HERE, "..", "cli", "test_history.py")

results = []
# The server refuses to run as root: initdb and postgres run as Debian's `postgres` user.
AS_POSTGRES = {"user": "postgres", "group": "postgres", "extra_groups": []}


def check(cond, what):
    results.append(bool(cond))
    print(("ok   " if cond else "FAIL ") + what, flush=True)


def pg_bin():
    """The newest PostgreSQL server's bin directory (Debian: /usr/lib/postgresql/VERSION/bin)."""
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"),
                  key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    return os.path.dirname(dirs[-1]) if dirs else None


def only_loopback():
    links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True).stdout.splitlines()
    return all(line.split(":")[1].strip().split("@")[0] == "lo" for line in links)


def start_server(bindir, work):
    data = os.path.join(work, "data")
    subprocess.run(["chown", "postgres:", work], check=True)
    os.chmod(work, 0o700)
    init = subprocess.run([os.path.join(bindir, "initdb"), "-D", data, "-A", "trust", "-U", "zw", "--no-sync",
                           "-E", "UTF8", "--locale", "C"], capture_output=True, text=True, timeout=120, **AS_POSTGRES)
    if init.returncode != 0:
        raise RuntimeError("initdb: " + (init.stderr.strip().splitlines() or ["failed"])[-1])
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([os.path.join(bindir, "postgres"), "-D", data, "-h", "127.0.0.1", "-p", str(PORT),
                               "-k", work, "-c", "fsync=off", "-c", "synchronous_commit=off",
                               "-c", "full_page_writes=off"], stdout=log, stderr=subprocess.STDOUT, **AS_POSTGRES)
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("postgres ended at its start: see " + log.name)
        ready = subprocess.run([os.path.join(bindir, "pg_isready"), "-h", "127.0.0.1", "-p", str(PORT), "-q"])
        if ready.returncode == 0:
            return server
        time.sleep(0.2)
    raise RuntimeError(f"postgres did not accept connections within {READY_TIMEOUT} s")


def zw(exe, *args, timeout=60):
    p = subprocess.run([exe, *args], capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def one_line(status, err, what, needle):
    check(status == 2, f"{what}: exit status {status}, expected 2")
    check(err.count("\n") == 1 and err.startswith("zonewarden: ") and needle in err,
          f"{what}: one line with {needle!r}: {err.strip()!r}")
    check("s3cret" not in err, f"{what}: no password in the message")


def inner(exe, history_tests, work):
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    if not only_loopback():
        print("test_history_postgres: the namespace has more than loopback: refusing to go on")
        return 2
    bindir = pg_bin()
    try:
        server = start_server(bindir, work)
    except (RuntimeError, subprocess.SubprocessError, OSError) as e:
        print(f"test_history_postgres: the server could not be started: {e}")
        return 2
    try:
        env = dict(os.environ, ZW_TEST_POSTGRES=SERVER)
        # 1. the store's cases on PostgreSQL: all of them run, none skipped.
        t0 = time.monotonic()
        p = subprocess.run([history_tests, "--test-case=*PostgreSQL*"], env=env,
                           capture_output=True, text=True, timeout=120)
        summary = [line for line in p.stdout.splitlines() if line.startswith("[doctest] test cases:")]
        fields = summary[0].replace("|", " ").split() if summary else []
        ran = int(fields[4]) if len(fields) > 4 and fields[4].isdigit() else 0
        # (doctest counts the cases the filter left out as skipped: what matters is that the five
        # [PostgreSQL] cases ran, which they do not when ZW_TEST_POSTGRES is not seen)
        check(p.returncode == 0 and summary and " 0 failed" in summary[0] and ran >= 5,
              f"history_tests [PostgreSQL]: {summary[0] if summary else p.stdout[-400:]} "
              f"({time.monotonic() - t0:.1f} s)")
        if p.returncode != 0:
            print(p.stdout[-3000:])
        # 2. the CLI's history test on PostgreSQL.
        t0 = time.monotonic()
        p = subprocess.run([sys.executable, CLI_TEST, exe, "--postgres", SERVER], capture_output=True, text=True,
                           timeout=180)
        check(p.returncode == 0, f"test_history.py --postgres: {p.stdout.strip().splitlines()[-1:]} "
                                 f"({time.monotonic() - t0:.1f} s)")
        if p.returncode != 0:
            print(p.stdout[-3000:] + p.stderr[-2000:])
        # 3. the connection's faults.
        status, _, err = zw(exe, "history", f"postgresql://zw:s3cret@127.0.0.1:{PORT + 1}/zw", "runs")
        one_line(status, err, "nothing listening", "Connection refused")
        status, _, err = zw(exe, "history", f"postgresql://zw:s3cret@127.0.0.1:{PORT}/nosuchdb", "runs")
        one_line(status, err, "no such database", 'database "nosuchdb" does not exist')
        check("postgresql://zw:***@127.0.0.1" in err, f"no such database: the URI named, its password hidden: {err!r}")
        v1 = os.path.join(work, "v1.zone")
        with open(v1, "w") as f:
            f.write("$ORIGIN example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n")
        report = os.path.join(work, "r.json")
        server.send_signal(signal.SIGSTOP)
        try:
            t0 = time.monotonic()
            status, _, err = zw(exe, "check", v1, "-q", "--history", f"postgresql://zw:s3cret@127.0.0.1:{PORT}/zw",
                                "--format", "json", "-o", report, timeout=60)
            took = time.monotonic() - t0
        finally:
            server.send_signal(signal.SIGCONT)
        one_line(status, err, "a server that says nothing", "timeout")
        check(9 <= took <= 30, f"a server that says nothing: given up after {took:.1f} s (connect timeout 10 s)")
        check(os.path.exists(report), "a server that says nothing: the report is still written")
    finally:
        server.send_signal(signal.SIGINT)  # PostgreSQL's fast shutdown
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    failed = results.count(False)
    print(f"{results.count(True)} passed, {failed} failed")
    return 1 if failed else 0


def main(argv):
    if argv and argv[0] == INNER:
        return inner(argv[1], argv[2], argv[3])
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    exe, history_tests = (os.path.abspath(a) for a in argv)
    if os.geteuid() != 0:
        print("test_history_postgres: needs root (a private namespace, the server as user postgres): skipped")
        return SKIP
    missing = [t for t in ("unshare", "ip") if shutil.which(t) is None]
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        missing.append("the postgres user")
    if pg_bin() is None:
        missing.append("PostgreSQL's server (Debian: postgresql)")
    if missing:
        print("test_history_postgres: missing " + ", ".join(missing) + ": skipped")
        return SKIP
    probe = subprocess.run(["unshare", "--net", "--pid", "--fork", "--mount-proc", "true"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=30)
    if probe.returncode != 0:
        print("test_history_postgres: unshare --net --pid does not work here: skipped")
        return SKIP
    work = tempfile.mkdtemp(prefix="zw-pg-")
    argv = ["unshare", "--net", "--pid", "--fork", "--mount-proc", "--kill-child=SIGKILL", "--",
            sys.executable, os.path.abspath(__file__), INNER, exe, history_tests, work]
    p = subprocess.Popen(argv)
    try:
        status = p.wait(timeout=TOTAL_TIMEOUT)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        print(f"FAIL test_history_postgres: no result within {TOTAL_TIMEOUT} s")
        status = 1
    shutil.rmtree(work, ignore_errors=True)
    return status if status >= 0 else 128 - status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
