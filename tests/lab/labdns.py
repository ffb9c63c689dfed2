"""Minimal DNS wire helpers shared by the lab scripts (python3 stdlib only).

Only what the lab needs: build a query, read a header and the first question,
and send one query over UDP or TCP with a deadline. Not a general DNS library.
"""

import base64
import socket
import struct
import time

TYPES = {"A": 1, "NS": 2, "SOA": 6, "TXT": 16, "AAAA": 28, "DS": 43, "DNSKEY": 48}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED", 9: "NOTAUTH"}


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\x00"


def build_query(name, qtype="SOA", qid=0x1234, rd=False, edns=True, do=False):
    flags = 0x0100 if rd else 0
    ar = 1 if edns else 0
    msg = struct.pack("!HHHHHH", qid, flags, 1, 0, 0, ar)
    msg += encode_name(name) + struct.pack("!HH", TYPES.get(qtype, qtype) if isinstance(qtype, str) else qtype, 1)
    if edns:
        msg += b"\x00" + struct.pack("!HHIH", 41, 1232, 0x8000 if do else 0, 0)
    return msg


def decode_name(msg, off):
    """Returns (name, offset after the name in the original position). Follows compression."""
    labels, jumped, end, hops = [], False, off, 0
    while True:
        if off >= len(msg):
            raise ValueError("name runs past end of message")
        n = msg[off]
        if n & 0xC0 == 0xC0:
            if off + 1 >= len(msg):
                raise ValueError("truncated pointer")
            if not jumped:
                end = off + 2
            off = ((n & 0x3F) << 8) | msg[off + 1]
            jumped, hops = True, hops + 1
            if hops > 64:
                raise ValueError("compression loop")
            continue
        if n & 0xC0:
            raise ValueError("bad label type")
        off += 1
        if n == 0:
            break
        labels.append(msg[off:off + n].decode("ascii", "replace"))
        off += n
    if not jumped:
        end = off
    return (".".join(labels) + ".").lower() if labels else ".", end


def parse_header(msg):
    """Returns a dict with id, qr, aa, tc, rd, ra, rcode, counts; raises ValueError when too short."""
    if len(msg) < 12:
        raise ValueError("short message")
    qid, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", msg[:12])
    return {"id": qid, "qr": bool(flags & 0x8000), "opcode": (flags >> 11) & 0xF, "aa": bool(flags & 0x0400),
            "tc": bool(flags & 0x0200), "rd": bool(flags & 0x0100), "ra": bool(flags & 0x0080),
            "ad": bool(flags & 0x0020), "cd": bool(flags & 0x0010),
            "rcode": flags & 0xF, "qdcount": qd, "ancount": an, "nscount": ns, "arcount": ar}


def parse_question(msg):
    """Returns (qname, qtype, qclass, offset after question) of the first question, or None."""
    h = parse_header(msg)
    if h["qdcount"] < 1:
        return None
    name, off = decode_name(msg, 12)
    if off + 4 > len(msg):
        raise ValueError("truncated question")
    qtype, qclass = struct.unpack("!HH", msg[off:off + 4])
    return name, qtype, qclass, off + 4


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def query(addr, name, qtype="SOA", tcp=False, timeout=1.0, qid=None, rd=False, do=False, port=53):
    """Sends one query; returns the raw reply bytes, or raises OSError/socket.timeout. Every wait has a deadline."""
    qid = qid if qid is not None else (int(time.monotonic() * 1000) & 0xFFFF)
    msg = build_query(name, qtype, qid=qid, rd=rd, do=do)
    deadline = time.monotonic() + timeout
    with socket.socket(family_of(addr), socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        if tcp:
            s.connect((addr, port))
            s.sendall(struct.pack("!H", len(msg)) + msg)
            buf = b""
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise socket.timeout("tcp read deadline")
                s.settimeout(remaining)
                chunk = s.recv(65535)
                if not chunk:
                    raise ConnectionError("tcp connection closed before a full reply")
                buf += chunk
                if len(buf) >= 2 and len(buf) >= 2 + struct.unpack("!H", buf[:2])[0]:
                    return buf[2:2 + struct.unpack("!H", buf[:2])[0]]
        s.connect((addr, port))
        s.send(msg)
        return s.recv(65535)


def key_tag(flags, protocol, algorithm, key_b64):
    """RFC 4034 Appendix B key tag of a DNSKEY given in presentation form (base64 may hold spaces)."""
    rdata = struct.pack("!HBB", int(flags), int(protocol), int(algorithm)) + base64.b64decode("".join(key_b64.split()))
    acc = 0
    for i, b in enumerate(rdata):
        acc += b << 8 if i % 2 == 0 else b
    return (acc + (acc >> 16)) & 0xFFFF
