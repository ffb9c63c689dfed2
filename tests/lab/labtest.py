"""What the self-contained lab tests (test_rollover.py, test_resigning.py) share inside their
namespace: waiting for servers to serve a serial, asking with dig, counting checks, and the
inner side of lab.self_contained_main (signals, cleanup, exit status)."""

import os
import re
import signal
import subprocess
import sys
import time
import traceback

import lab
import labdns
from lab import Instance, LabError, Supervisor, nsd_conf, run, write


def serial_of(reply):
    """SOA serial of the first answer record of an authoritative answer, or None."""
    h = labdns.parse_header(reply)
    if h["ancount"] < 1 or h["rcode"] != 0 or not h["aa"]:
        return None
    _, off = labdns.decode_name(reply, 12)
    off += 4
    _, off = labdns.decode_name(reply, off)
    rtype = int.from_bytes(reply[off:off + 2], "big")
    if rtype != 6:
        return None
    off += 10
    _, off = labdns.decode_name(reply, off)
    _, off = labdns.decode_name(reply, off)
    return int.from_bytes(reply[off:off + 4], "big")


def wait_serials(sup, want, deadline):
    """want: (address, zone, serial). Waits until every address serves that serial authoritatively."""
    pending = list(want)
    while pending:
        sup.check_alive()
        left = []
        for addr, zone, serial in pending:
            try:
                if serial_of(labdns.query(addr, zone, "SOA", timeout=0.25)) != serial:
                    left.append((addr, zone, serial))
            except (OSError, ValueError):
                left.append((addr, zone, serial))
        pending = left
        if not pending:
            return
        if time.monotonic() > deadline:
            raise LabError("not serving the expected serial in time: " +
                           ", ".join("%s %s %d" % p for p in pending[:6]))
        time.sleep(0.05)


def dig(*args, timeout=20):
    argv = ["dig", "+nocookie"] + list(args)
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": None, "flags": set(), "ede": None, "ede_text": "", "answer": [], "out": ""}
    out = p.stdout
    m = re.search(r"status: (\w+)", out)
    fl = re.search(r";; flags: ([a-z ]*);", out)
    ede = re.search(r"; EDE: (\d+)(.*)", out)
    answer, cur = [], False
    for line in out.splitlines():
        if line.startswith(";; ANSWER SECTION:"):
            cur = True
        elif not line.strip() or line.startswith(";"):
            cur = False if not line.strip() else cur
        elif cur:
            answer.append(line.split())
    return {"status": m.group(1) if m else None, "flags": set(fl.group(1).split()) if fl else set(),
            "ede": int(ede.group(1)) if ede else None, "ede_text": ede.group(2).strip(": ") if ede else "",
            "answer": answer, "out": out}


def answer_text(r):
    if r["status"] is None:
        return "no answer"
    return r["status"] + (" AD" if "ad" in r["flags"] else "") + (
        " EDE %d %s" % (r["ede"], r["ede_text"]) if r["ede"] is not None else "")


class Checks:
    def __init__(self):
        self.passed, self.failed = 0, 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print("%s %s%s" % ("PASS" if ok else "FAIL", what, (": " + detail) if detail and not ok else ""), flush=True)
        return ok

    @staticmethod
    def info(what):
        print("INFO " + what, flush=True)


def finish(c, t_start):
    c.info("%.1f s in the namespace" % (time.monotonic() - t_start))
    print("%d passed, %d failed" % (c.passed, c.failed), flush=True)
    return 1 if c.failed else 0


def start_nsds(sup, workdir, children):
    """The hierarchy's servers on loopback: root `.` and `lab.` (workdir/zones/root.zone, lab.zone,
    at lab.py's infrastructure addresses) and every child (`zone`, `file`, `all_addrs()`) on a
    third NSD; the addresses of those and of lab.py's resolver are added to `lo`, and the
    namespace is checked to have no other interface. Returns ({name: Instance}, {name: process})."""
    zdir = os.path.join(workdir, "zones")
    insts = {"nsd-root": Instance("nsd-root", "nsd"), "nsd-tld": Instance("nsd-tld", "nsd"),
             "nsd-child": Instance("nsd-child", "nsd")}
    for _, v4, v6, _i in lab.ROOT_SERVERS:
        insts["nsd-root"].add_addrs([v4, v6])
    insts["nsd-root"].zones["."] = os.path.join(zdir, "root.zone")
    for _, v4, v6, _i in lab.TLD_SERVERS:
        insts["nsd-tld"].add_addrs([v4, v6])
    insts["nsd-tld"].zones["lab."] = os.path.join(zdir, "lab.zone")
    for ch in children:
        insts["nsd-child"].add_addrs(ch.all_addrs())
        insts["nsd-child"].zones[ch.zone] = ch.file
    addrs = [a for i in insts.values() for a in i.addrs] + list(lab.RESOLVER)
    run(["ip", "link", "set", "lo", "up"])
    batch = "".join("addr add %s/%s dev lo%s\n" % (a, "128" if ":" in a else "32", " nodad" if ":" in a else "")
                    for a in addrs)
    p = subprocess.run(["ip", "-batch", "-"], input=batch, text=True, capture_output=True, timeout=30)
    if p.returncode != 0:
        raise LabError("ip -batch: " + p.stderr.strip()[-300:])
    lab.check_isolated()
    procs = {}
    for inst in insts.values():
        d = os.path.join(workdir, "srv", inst.name)
        os.makedirs(d, exist_ok=True)
        conf = write(os.path.join(d, "nsd.conf"), nsd_conf(inst, d))
        procs[inst.name] = sup.start(inst.name, ["nsd", "-d", "-c", conf], os.path.join(d, "stdout.log"))
    return insts, procs


def serving(insts, children, infra_serial):
    """(address, zone, serial) of every server start_nsds started: what wait_serials waits for."""
    want = [(a, ".", infra_serial) for a in insts["nsd-root"].addrs]
    want += [(a, "lab.", infra_serial) for a in insts["nsd-tld"].addrs]
    want += [(a, ch.zone, ch.serial) for ch in children for a in ch.all_addrs()]
    return want


def run_inner(name, test, exe, workdir, errors=()):
    """Runs `test(exe, workdir, sup, checks, t_start)` inside the namespace with a Supervisor whose
    servers are stopped whatever happens. A lab that could not be built (LabError, OSError, a
    subprocess error, or one of `errors`) is exit 2; SIGTERM/SIGHUP/SIGINT stop it (130); a bug of
    the test itself is a FAIL line and exit 1."""
    lab.check_isolated()
    t_start = time.monotonic()
    sup = Supervisor()

    def on_term(signum, _frame):
        raise KeyboardInterrupt("signal %d" % signum)

    for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(s, on_term)
    c = Checks()
    try:
        return test(exe, workdir, sup, c, t_start)
    except (LabError, OSError, subprocess.SubprocessError) + tuple(errors) as e:
        print("FAIL lab: %s" % e, flush=True)
        print("%d passed, %d failed" % (c.passed, c.failed + 1))
        return 2
    except KeyboardInterrupt as e:
        print("%s: interrupted (%s)" % (name, e), file=sys.stderr)
        return 130
    except Exception:  # a bug of the test: say so in its own terms, then stop the servers
        traceback.print_exc()
        print("FAIL %s: internal error (traceback above)" % name, flush=True)
        print("%d passed, %d failed" % (c.passed, c.failed + 1))
        return 1
    finally:
        for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(s, signal.SIG_IGN)  # a second signal must not cut the cleanup short
        sup.stop_all()
