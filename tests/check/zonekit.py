"""Zone-file fixtures for `zonewarden check`, made at test start with real keys and Debian's signer.

A case builds an unsigned zone (text), signs it with dnssec-signzone (BIND 9), then plants ONE
fault by editing the signed text (one RR per line thanks to `-O full`), and runs
`zonewarden check` on the result. Nothing here touches the network.

    kit = Kit(workdir, zonewarden_binary)
    z = kit.signed(origin="example.test.", body=BASE_BODY, algorithm="ECDSAP256SHA256", nsec3=None)
    z.corrupt_signature("www.example.test.", "A")
    result = kit.check(z)          # parsed JSON report; result.findings(rule) / result.exit_code

Keys are cached per (origin, algorithm, bits, role, index) inside the work directory so that the
many cases of one run share them; every signing run still happens at test start.
"""
from __future__ import annotations

import base64
import json
import os
import pathlib
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field

# A small realistic zone: apex with two in-zone name servers, A/AAAA/MX/TXT/CNAME, an empty
# non-terminal (b.c), a delegation with glue and DS, and a wildcard. Owner names are relative.
BASE_BODY = """\
$TTL 3600
@        SOA   ns1 hostmaster 2026112701 7200 3600 1209600 300
@        NS    ns1
@        NS    ns2
@        MX    10 mail
@        TXT   "v=spf1 -all"
ns1      A     192.0.2.1
ns1      AAAA  2001:db8::1
ns2      A     192.0.2.2
mail     A     192.0.2.25
www      A     192.0.2.80
www      AAAA  2001:db8::80
ftp      CNAME www
a.b.c    TXT   "deep name below an empty non-terminal"
*.wild   TXT   "wildcard"
sub      NS    ns.sub
sub      DS    12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
ns.sub   A     192.0.2.53
insecure NS    ns.insecure
ns.insecure A  192.0.2.54
"""

ALGORITHMS = {
    "RSASHA1": 5, "NSEC3RSASHA1": 7, "RSASHA256": 8, "RSASHA512": 10,
    "ECDSAP256SHA256": 13, "ECDSAP384SHA384": 14, "ED25519": 15, "ED448": 16,
}


def run(cmd, cwd=None, check=True, timeout=300):
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc


def utc(ts: int) -> str:
    return time.strftime("%Y%m%d%H%M%S", time.gmtime(ts))


def key_tag_of(dnskey_line: str) -> int:
    """RFC 4034 App. B key tag of a DNSKEY record in presentation form (algorithm 1 not handled)."""
    f = dnskey_line.split()
    i = f.index("DNSKEY")
    rdata = (int(f[i + 1]).to_bytes(2, "big") + bytes([int(f[i + 2]), int(f[i + 3])])
             + base64.b64decode("".join(f[i + 4:])))
    ac = sum(b if j & 1 else b << 8 for j, b in enumerate(rdata))
    return (ac + ((ac >> 16) & 0xFFFF)) & 0xFFFF


@dataclass
class Key:
    path: pathlib.Path   # K<origin>+<alg>+<tag> (without .key / .private)
    tag: int
    algorithm: int
    ksk: bool

    @property
    def dnskey_line(self) -> str:
        for line in pathlib.Path(str(self.path) + ".key").read_text().splitlines():
            if line and not line.startswith(";"):
                return line
        raise RuntimeError(f"no DNSKEY in {self.path}.key")


@dataclass
class Result:
    exit_code: int
    report: dict
    stderr: str
    path: pathlib.Path

    def all_findings(self):
        for zone in self.report.get("zones", []):
            yield from zone.get("findings", [])

    def findings(self, rule: str):
        return [f for f in self.all_findings() if f["rule"] == rule]

    def at_or_above(self, severity: str):
        order = {"notice": 0, "warning": 1, "error": 2}
        return [f for f in self.all_findings() if order[f["severity"]] >= order[severity]]

    def summary(self) -> str:
        return "; ".join(f"{f['rule']} {f['severity']} {f.get('owner','')} {f.get('type','')}: {f['message']}"
                         for f in self.all_findings()) or "(no findings)"


class SignedZone:
    """A signed zone as lines, one RR per line (dnssec-signzone -O full), comments dropped."""

    def __init__(self, kit: "Kit", origin: str, text: str, keys: list[Key]):
        self.kit = kit
        self.origin = origin
        self.keys = keys
        self.lines = [l for l in text.splitlines() if l.strip() and not l.lstrip().startswith(";")]
        self.extra_args: list[str] = []

    # ---- reading
    @staticmethod
    def fields(line: str) -> list[str]:
        return line.split()

    def records(self, owner: str | None = None, rtype: str | None = None, covered: str | None = None):
        """Indices of lines matching owner (absolute, case-insensitive), type, and for RRSIG the
        covered type."""
        out = []
        for i, line in enumerate(self.lines):
            f = line.split()
            if owner is not None and f[0].lower() != owner.lower():
                continue
            if rtype is not None and f[3] != rtype:
                continue
            if covered is not None and (f[3] != "RRSIG" or f[4] != covered):
                continue
            out.append(i)
        return out

    def one(self, owner, rtype, covered=None) -> int:
        found = self.records(owner, rtype, covered)
        if not found:
            raise KeyError(f"no {rtype} {covered or ''} at {owner}")
        return found[0]

    # ---- planting faults
    def drop(self, owner=None, rtype=None, covered=None) -> int:
        idx = set(self.records(owner, rtype, covered))
        if not idx:
            raise KeyError(f"nothing to drop: {owner} {rtype} {covered}")
        self.lines = [l for i, l in enumerate(self.lines) if i not in idx]
        return len(idx)

    def add(self, line: str):
        self.lines.append(line)

    def replace(self, index: int, line: str):
        self.lines[index] = line

    def edit_field(self, index: int, field_no: int, value: str):
        f = self.lines[index].split()
        f[field_no] = value
        self.lines[index] = " ".join(f)

    def corrupt_signature(self, owner: str, covered: str, key_tag: int | None = None):
        """Flips bits in the middle of the signature of the RRSIG over (owner, covered)."""
        for i in self.records(owner, "RRSIG", covered):
            f = self.lines[i].split()
            if key_tag is not None and int(f[10]) != key_tag:
                continue
            sig = bytearray(base64.b64decode("".join(f[12:])))
            sig[len(sig) // 2] ^= 0x5A
            self.lines[i] = " ".join(f[:12] + [base64.b64encode(bytes(sig)).decode()])
            return
        raise KeyError(f"no RRSIG {covered} at {owner} (key {key_tag})")

    def write(self, name: str | None = None) -> pathlib.Path:
        path = self.kit.fresh_path(name or (self.origin.rstrip(".") + ".zone"))
        path.write_text("\n".join(self.lines) + "\n")
        return path


class Kit:
    def __init__(self, workdir: pathlib.Path, zonewarden: str):
        self.work = pathlib.Path(workdir)
        self.work.mkdir(parents=True, exist_ok=True)
        self.zonewarden = zonewarden
        self.keydir = self.work / "keys"
        self.keydir.mkdir(exist_ok=True)
        self._counter = 0
        self._lock = threading.RLock()
        self.now = int(time.time())

    def fresh_path(self, name: str) -> pathlib.Path:
        with self._lock:
            self._counter += 1
            d = self.work / f"case{self._counter:03d}"
        d.mkdir(parents=True, exist_ok=True)
        return d / name

    # ---- keys
    def key(self, origin: str, algorithm: str = "ECDSAP256SHA256", ksk: bool = False, bits: int | None = None,
            index: int = 0, flags: list[str] | None = None) -> Key:
        """A key for `origin`, generated once per (origin, algorithm, bits, role, index, flags)."""
        label = f"{origin}|{algorithm}|{bits}|{ksk}|{index}|{flags}"
        d = self.keydir / re.sub(r"[^A-Za-z0-9]+", "_", label)
        with self._lock:
            return self._key_locked(d, origin, algorithm, ksk, bits, flags)

    def _key_locked(self, d, origin, algorithm, ksk, bits, flags) -> Key:
        if not d.exists():
            d.mkdir()
            cmd = ["dnssec-keygen", "-q", "-a", algorithm, "-K", str(d)]
            if bits:
                cmd += ["-b", str(bits)]
            if ksk:
                cmd += ["-f", "KSK"]
            cmd += flags or []
            cmd.append(origin)
            run(cmd)
        private = sorted(d.glob("K*.private"))
        if len(private) != 1:
            raise RuntimeError(f"expected one key in {d}")
        stem = private[0].with_suffix("")
        m = re.search(r"\+(\d+)\+(\d+)$", stem.name)
        return Key(stem, int(m.group(2)), int(m.group(1)), ksk)

    def revoke(self, key: Key) -> Key:
        """A copy of `key` with the REVOKE bit set (dnssec-revoke); its tag changes (+128)."""
        d = key.path.parent.with_name(key.path.parent.name + "_revoked")
        with self._lock:
            return self._revoke_locked(key, d)

    def _revoke_locked(self, key: Key, d) -> Key:
        if not d.exists():
            shutil.copytree(key.path.parent, d)
            run(["dnssec-revoke", "-K", str(d), str(d / key.path.name)])
            for old in (d / (key.path.name + ".key"), d / (key.path.name + ".private")):
                old.unlink(missing_ok=True)
        stem = sorted(d.glob("K*.private"))[0].with_suffix("")
        m = re.search(r"\+(\d+)\+(\d+)$", stem.name)
        return Key(stem, int(m.group(2)), int(m.group(1)), key.ksk)

    def with_flags(self, key: Key, flags: int) -> Key:
        """A copy of `key` whose .key file says `flags` instead (as a hand edit would), e.g. 0: no
        Zone Key flag. dnssec-signzone signs with it under the key tag of the edited key."""
        d = key.path.parent.with_name(key.path.parent.name + f"_flags{flags}")
        with self._lock:
            if not d.exists():
                shutil.copytree(key.path.parent, d)
                k = d / (key.path.name + ".key")
                text = k.read_text()
                edited = re.sub(r"(\sDNSKEY\s+)\d+(\s)", rf"\g<1>{flags}\g<2>", text, count=1)
                if edited == text and f" DNSKEY {flags} " not in text:
                    raise RuntimeError(f"no DNSKEY flags in {k}")
                k.write_text(edited)
        stem = d / key.path.name
        copy = Key(stem, 0, key.algorithm, key.ksk)
        copy.tag = key_tag_of(copy.dnskey_line)
        return copy

    # ---- signing
    def signed(self, origin: str = "example.test.", body: str = BASE_BODY, algorithm: str = "ECDSAP256SHA256",
               keys: list[Key] | None = None, nsec3: tuple[str, int, bool] | None = None,
               start: int | None = None, end: int | None = None, extra: list[str] | None = None,
               bits: int | None = None, publish: list[Key] | None = None) -> SignedZone:
        """Signs `body` for `origin` with a KSK and a ZSK of `algorithm` (or exactly `keys`).
        nsec3 = (salt or "-", iterations, opt_out). start/end are unix times (default: now-1h,
        now+30d, as BIND does). `publish`: the keys whose DNSKEY goes into the zone (default: all
        of `keys`); dnssec-signzone also signs with a key it does not publish."""
        if keys is None:
            keys = [self.key(origin, algorithm, ksk=True, bits=bits), self.key(origin, algorithm, ksk=False, bits=bits)]
        if publish is None:
            publish = keys
        case = self.fresh_path("unsigned.zone").parent
        unsigned = case / "unsigned.zone"
        text = f"$ORIGIN {origin}\n" + body
        for k in publish:
            text += f"$INCLUDE {k.path}.key\n"
        unsigned.write_text(text)
        out = case / "signed.zone"
        cmd = ["dnssec-signzone", "-q", "-P", "-O", "full", "-o", origin, "-f", str(out)]
        if start is not None:
            cmd += ["-s", utc(start)]
        if end is not None:
            cmd += ["-e", utc(end)]
        if nsec3 is not None:
            salt, iterations, opt_out = nsec3
            cmd += ["-3", salt, "-H", str(iterations)] + (["-A"] if opt_out else [])
        cmd += extra or []
        cmd += ["-K", str(case), str(unsigned)] + [str(k.path) for k in keys]
        run(cmd, cwd=case)
        return SignedZone(self, origin, out.read_text(), keys)

    def unsigned(self, origin: str = "example.test.", body: str = BASE_BODY) -> pathlib.Path:
        path = self.fresh_path(origin.rstrip(".") + ".zone")
        path.write_text(f"$ORIGIN {origin}\n" + body)
        return path

    def ds_file(self, key: Key, digest: str = "SHA-256") -> pathlib.Path:
        """A dsset-style file with the DS of `key` (dnssec-dsfromkey)."""
        proc = run(["dnssec-dsfromkey", "-a", digest, str(key.path) + ".key"])
        path = self.fresh_path("ds.txt")
        path.write_text(proc.stdout)
        return path

    # ---- checking
    def check(self, zone, *args: str, now: int | None = None) -> Result:
        path = zone.write() if isinstance(zone, SignedZone) else pathlib.Path(zone)
        out = path.with_suffix(".json")
        cmd = [self.zonewarden, "check", str(path), "--format", "json", "--output", str(out)]
        if now is not None:
            cmd += ["--now", f"@{now}"]
        cmd += list(args)
        proc = run(cmd, check=False, timeout=120)
        if proc.returncode not in (0, 1):
            raise RuntimeError(f"{' '.join(cmd)}: exit {proc.returncode}: {proc.stderr.strip()}")
        return Result(proc.returncode, json.loads(out.read_text()), proc.stderr, path)


# ---- the case registry -------------------------------------------------------------------------

@dataclass
class Case:
    rule: str            # rule id under test ("" for kind == "healthy")
    kind: str            # "fires", "quiet" or "healthy"
    name: str
    fn: object           # fn(kit) -> Result
    where: list = field(default_factory=list)   # [(owner, type)] the rule must name (fires)
    severity: str | None = None                  # required severity of those findings (fires)
    also: list = field(default_factory=list)    # [(rule, owner, type)] other rules' findings that must be there


CASES: list[Case] = []


def case(rule: str, kind: str, where=None, severity: str | None = None, also=None):
    """Registers fn(kit) -> Result as a case. `fires`: the rule reports, at each (owner, type) of
    `where` (and with `severity` when given). `quiet`: the rule reports nothing. `healthy`
    (rule ""): no warning and no error from any rule.

    In `fires` and `quiet` cases no OTHER rule may report anything (notices included) but the
    findings listed in `also` as (rule, owner, type), each of which must be there; owner or type
    None matches any. A fault has one root cause: list a second finding only when the RFCs make
    it a second, correct finding, with a comment saying why."""
    assert kind in ("fires", "quiet", "healthy")
    also = list(also or [])
    assert kind != "healthy" or not also
    for a in also:
        assert len(a) == 3 and a[0] != rule, f"also entry {a!r}: (other rule, owner, type)"

    def register(fn):
        CASES.append(Case(rule, kind, fn.__name__, fn, list(where or []), severity, also))
        return fn
    return register


def finding_matches(f: dict, rule: str, owner: str | None, rtype: str | None) -> bool:
    return (f["rule"] == rule and (owner is None or f.get("owner", "").lower() == owner.lower())
            and (rtype is None or f.get("type", "") == rtype))
