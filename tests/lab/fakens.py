#!/usr/bin/python3
"""Misbehaving name servers for the lab (python3 stdlib only). Run only inside the lab namespace.

    fakens.py CONFIG.json

CONFIG is a list of {"mode": MODE, "addresses": [...], "upstream": ADDR (relay only)}.
Modes, each answering on UDP and TCP port 53 of every listed address:
  relay      forwards every query to `upstream` (same transport) and clears the AA bit of the reply
  garbage    answers every query with random bytes (whose first two bytes never equal the query id)
  wrong-id   answers with a well-formed reply carrying a wrong message id and a wrong question
  tc-no-tcp  UDP: TC=1 and an empty answer; TCP: accepts connections, never answers
  two-opt    forwards to `upstream` like relay (AA kept) and appends a second OPT record (payload 0,
             extended RCODE 0xFF, EDNS version 255, an option whose length runs past the RDATA):
             a message RFC 6891 §6.1.1 makes malformed
  opt-not-root forwards to `upstream` and rewrites the owner of the reply's OPT record from the
             root to "z." (RFC 6891 §6.1.2: the OPT owner MUST be the root)
  no-opt     forwards to `upstream` (AA kept) and strips the OPT record from the reply, as a
             middlebox that drops EDNS does (RFC 6891 §6.1.1: a compliant responder MUST include one)
  badvers    forwards to `upstream` and sets the reply's extended RCODE to 1: RCODE 16 BADVERS in
             answer to an EDNS version 0 query, answer records kept
  rrl-drop   forwards to `upstream` (AA kept) but sends no response to every second UDP query, as
             response-rate limiting with slip 0 does past its rate; TCP answers every query
"""

import json
import os
import random
import signal
import socket
import struct
import sys
import threading
import time

sys.dont_write_bytecode = True  # keep tests/lab free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import labdns  # noqa: E402

UPSTREAM_TIMEOUT = 2.0
TCP_IDLE_TIMEOUT = 30.0
TC_TCP_HOLD = float(os.environ.get("ZW_LAB_TC_HOLD", "0.5"))  # hostile-tc: seconds a TCP connection is held unanswered


def clear_aa(reply):
    if len(reply) < 4:
        return reply
    return reply[:2] + bytes([reply[2] & ~0x04 & 0xFF]) + reply[3:]


def add_second_opt(reply):
    """Appends an OPT RR to the additional section: owner root, CLASS (payload) 0, TTL with
    extended RCODE 0xFF and version 255, RDATA of 4 octets holding an option header that
    claims 100 octets of data."""
    if len(reply) < 12:
        return reply
    arcount = struct.unpack("!H", reply[10:12])[0]
    opt = b"\x00" + struct.pack("!HHIH", 41, 0, 0xFFFF0000, 4) + struct.pack("!HH", 10, 100)
    return reply[:10] + struct.pack("!H", arcount + 1) + reply[12:] + opt


def opt_owner_not_root(reply):
    """Rewrites the OPT record of `reply` (the last RR of the additional section, as NSD and Knot
    place it) to have the owner "z." instead of the root: one label more, RDLENGTH unchanged."""
    at = reply.rfind(b"\x00\x00\x29")  # root owner, TYPE 41
    if at < 12:
        return reply
    return reply[:at] + b"\x01z\x00" + reply[at + 1:]


def find_opt(reply):
    """Offset of the reply's OPT record (root owner, TYPE 41: the last RR of the additional
    section, as NSD and Knot place it), or -1."""
    at = reply.rfind(b"\x00\x00\x29")
    return at if at >= 12 and at + 11 <= len(reply) else -1


def strip_opt(reply):
    """Removes the OPT record and decrements ARCOUNT."""
    at = find_opt(reply)
    if at < 0:
        return reply
    rdlength = struct.unpack("!H", reply[at + 9:at + 11])[0]
    arcount = struct.unpack("!H", reply[10:12])[0]
    return reply[:10] + struct.pack("!H", arcount - 1) + reply[12:at] + reply[at + 11 + rdlength:]


def set_badvers(reply):
    """Extended RCODE 1 in the OPT TTL (its first octet): with header RCODE 0, RCODE 16 BADVERS."""
    at = find_opt(reply)
    if at < 0:
        return reply
    return reply[:at + 5] + b"\x01" + reply[at + 6:]


def garbage_for(query):
    n = random.randint(12, 300)
    body = bytearray(os.urandom(n))
    if len(query) >= 2 and body[:2] == query[:2]:
        body[0] ^= 0xFF
    return bytes(body)


def wrong_id_for(query):
    h = labdns.parse_header(query)
    q = labdns.parse_question(query)
    qtype = q[1] if q else 6
    flags = 0x8000 | 0x0400  # QR, AA, NOERROR
    return (struct.pack("!HHHHHH", h["id"] ^ 0x5A5A, flags, 1, 0, 0, 0)
            + labdns.encode_name("wrong-question.invalid.") + struct.pack("!HH", qtype, 1))


def tc_for(query):
    h = labdns.parse_header(query)
    q = labdns.parse_question(query)
    question = query[12:q[3]] if q else b""
    flags = 0x8000 | 0x0400 | 0x0200 | (0x0100 if h["rd"] else 0)  # QR AA TC (+RD copied)
    return struct.pack("!HHHHHH", h["id"], flags, 1 if q else 0, 0, 0, 0) + question


def forward(upstream, query, tcp):
    with socket.socket(labdns.family_of(upstream), socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM) as s:
        s.settimeout(UPSTREAM_TIMEOUT)
        s.connect((upstream, 53))
        if not tcp:
            s.send(query)
            return s.recv(65535)
        s.sendall(struct.pack("!H", len(query)) + query)
        return read_tcp_message(s)


def read_exact(conn, n):
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def read_tcp_message(conn):
    head = read_exact(conn, 2)
    if head is None:
        return None
    return read_exact(conn, struct.unpack("!H", head)[0])


RRL_LOCK = threading.Lock()
RRL_COUNT = [0]  # UDP queries seen by every rrl-drop socket together


def answer(spec, query, tcp):
    mode = spec["mode"]
    if mode == "relay":
        return clear_aa(forward(spec["upstream"], query, tcp))
    if mode == "two-opt":
        return add_second_opt(forward(spec["upstream"], query, tcp))
    if mode == "opt-not-root":
        return opt_owner_not_root(forward(spec["upstream"], query, tcp))
    if mode == "no-opt":
        return strip_opt(forward(spec["upstream"], query, tcp))
    if mode == "badvers":
        return set_badvers(forward(spec["upstream"], query, tcp))
    if mode == "garbage":
        return garbage_for(query)
    if mode == "wrong-id":
        return wrong_id_for(query)
    if mode == "tc-no-tcp":
        return None if tcp else tc_for(query)
    if mode == "rrl-drop":
        # Response-rate limiting with slip 0: every second UDP response is not sent; TCP is
        # never limited. The answers themselves are ns1's, AA bit included.
        if tcp:
            return forward(spec["upstream"], query, tcp)
        with RRL_LOCK:
            RRL_COUNT[0] += 1
            drop = RRL_COUNT[0] % 2 == 0
        return None if drop else forward(spec["upstream"], query, tcp)
    raise ValueError("unknown mode " + mode)


def log(msg):
    print("fakens: " + msg, file=sys.stderr, flush=True)


def serve_udp(spec, sock):
    while True:
        try:
            query, peer = sock.recvfrom(65535)
        except OSError:
            return
        try:
            reply = answer(spec, query, tcp=False)
            if reply is not None:
                sock.sendto(reply, peer)
        except Exception as e:  # one bad query must not stop the server
            log("%s udp %s: %s" % (spec["mode"], peer, e))


def serve_tcp_conn(spec, conn):
    with conn:
        conn.settimeout(TCP_IDLE_TIMEOUT)
        try:
            if spec["mode"] == "tc-no-tcp":
                # Accept, read whatever comes, never answer; hold until the client gives up.
                # Closing after a short hold (not 30 s) keeps Unbound's fallback to the healthy server
                # within seconds; a long hang made Unbound retry this server for over a minute.
                deadline = time.monotonic() + TC_TCP_HOLD
                while time.monotonic() < deadline:
                    conn.settimeout(max(0.01, deadline - time.monotonic()))
                    try:
                        if not conn.recv(4096):
                            return
                    except socket.timeout:
                        return
                return
            while True:
                query = read_tcp_message(conn)
                if query is None:
                    return
                reply = answer(spec, query, tcp=True)
                if reply is None:
                    return
                conn.sendall(struct.pack("!H", len(reply)) + reply)
        except Exception as e:
            log("%s tcp: %s" % (spec["mode"], e))


def serve_tcp(spec, sock):
    while True:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        threading.Thread(target=serve_tcp_conn, args=(spec, conn), daemon=True).start()


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        specs = json.load(f)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    threads = []
    for spec in specs:
        for addr in spec["addresses"]:
            fam = labdns.family_of(addr)
            u = socket.socket(fam, socket.SOCK_DGRAM)
            u.bind((addr, 53))
            t = socket.socket(fam, socket.SOCK_STREAM)
            t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            t.bind((addr, 53))
            t.listen(16)
            threads.append(threading.Thread(target=serve_udp, args=(spec, u), daemon=True))
            threads.append(threading.Thread(target=serve_tcp, args=(spec, t), daemon=True))
    for t in threads:
        t.start()
    log("serving %d addresses" % (len(threads) // 2))
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    sys.exit(main())
