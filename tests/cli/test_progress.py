#!/usr/bin/env python3
"""`check`'s progress line (issue #9) and `audit`'s (issue #10): drawn on standard error only
when it is a terminal, never with --quiet, never into a pipe, and erased before the process
ends, so the report and any error start on a clean line. ZW_PROGRESS_DELAY_MS=0 draws it at once
(the default waits a second, so quick runs print nothing).

    test_progress.py ZONEWARDEN ZONE_FILE          check
    test_progress.py ZONEWARDEN --audit            audit, inside a private network namespace
                                                   (netns-run.sh): it sends DNS to 127.0.0.1
"""
import os
import pty
import subprocess
import sys
import tempfile

exe, zone = sys.argv[1], sys.argv[2]
out_dir = tempfile.mkdtemp(prefix="zw-progress-")
env = dict(os.environ, ZW_PROGRESS_DELAY_MS="0")
failures = []


def on_terminal(*args):
    """Runs zonewarden with standard error (and in and out) on a pseudo-terminal; returns what
    the terminal received and the exit status."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(exe, [exe, *args], env)
    received = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        received += chunk
    _, status = os.waitpid(pid, 0)
    return received.decode("utf-8", "replace"), os.waitstatus_to_exitcode(status)


def expect(name, ok, detail):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail!r}"))
    if not ok:
        failures.append(name)


report = os.path.join(out_dir, "r.json")

if zone == "--audit":
    # Three zones whose one server (nothing listens on 127.0.0.1:53 here) refuses every query:
    # quick, but the line is drawn once at once and must count the zones.
    audit = ["audit", "a.example", "b.example", "c.example", "--server", "ns.example=127.0.0.1", "--timeout",
             "300ms", "--deadline", "20s", "--format", "json", "-o", report]
    text, code = on_terminal(*audit)
    expect("audit: a terminal gets the progress line", "\rzonewarden audit: " in text and " of 3 zones done (" in text,
           text)
    expect("audit: the line is erased at the end", text.endswith("\r\x1b[K"), text[-60:])
    expect("audit: the report is still written", code in (0, 1) and os.path.getsize(report) > 0, code)
    text, code = on_terminal(*audit, "--quiet")
    expect("audit --quiet: no progress line", "\r" not in text and code in (0, 1), text)
    piped = subprocess.run([exe, *audit], env=env, capture_output=True, text=True, timeout=120)
    expect("audit, standard error not a terminal: no progress line",
           "\r" not in piped.stderr and piped.returncode in (0, 1), piped.stderr)
    print(f"{len(failures)} failed")
    sys.exit(1 if failures else 0)

text, code = on_terminal("check", zone, "--format", "json", "-o", report)
prefix = f"\rzonewarden check: {zone}: "
# Drawn at once, then every 250 ms: a small zone may be done while it still says "loading".
expect("a terminal gets the progress line",
       prefix in text and (" names verified (" in text or ": loading (" in text), text)
expect("the line is erased at the end", text.endswith("\r\x1b[K"), text[-40:])
expect("the report is still written", code in (0, 1) and os.path.getsize(report) > 0, code)

text, code = on_terminal("check", zone, "--quiet", "--format", "json", "-o", report)
expect("--quiet: no progress line", "\r" not in text and code in (0, 1), text)

piped = subprocess.run([exe, "check", zone, "--format", "json", "-o", report], env=env,
                       capture_output=True, text=True, timeout=120)
expect("standard error not a terminal: no progress line", "\r" not in piped.stderr and piped.returncode in (0, 1),
       piped.stderr)

# A failed load: the line (drawn while loading) is erased before the one-line error.
broken = os.path.join(out_dir, "broken.zone")
with open(broken, "w") as f:
    f.write("$ORIGIN example.\n@ 300 SOA ns hm 1 2 3 4 5\nns A 192.0.2.999\n")
text, code = on_terminal("check", broken)
error = text.rsplit("\x1b[K", 1)[-1].strip()
expect("an error after the line starts on a clean line", code == 2 and error.startswith("zonewarden:") and
       "\r" not in error, text)

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
