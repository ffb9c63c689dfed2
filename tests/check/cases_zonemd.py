"""Zone-file cases of the zone/zonemd-* rules (RFC 8976 ZONEMD).

Every expected digest comes from an independent oracle, dnspython's RFC 8976 code
(zonemd_oracle.py), never from zonewarden. The RFC 8976 Appendix A zones are fixtures in
zonemd/, copied from the RFC. Signed cases sign with dnssec-signzone, put the oracle's digest
into the signed zone and sign again: dnssec-signzone keeps every valid signature and signs the
changed ZONEMD RRset only.
"""
import importlib.util
import pathlib
import shutil
import subprocess
import sys

from zonekit import case, run

HERE = pathlib.Path(__file__).resolve().parent
FIXTURES = HERE / "zonemd"
APEX = "example.test."


def _oracle_python():
    if importlib.util.find_spec("dns") is not None:
        return sys.executable
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and subprocess.run([candidate, "-c", "import dns.zone"], capture_output=True).returncode == 0:
            return candidate
    raise RuntimeError("no python3 with dnspython (Debian: apt-get install python3-dnspython)")


def oracle_digest(text: str, origin: str, hash_algorithm: int) -> str:
    proc = subprocess.run([_oracle_python(), str(HERE / "zonemd_oracle.py"), origin, str(hash_algorithm)],
                          input=text, capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        raise RuntimeError(f"zonemd oracle failed: {proc.stderr.strip()}")
    return proc.stdout.strip()


def flip(hex_digest: str) -> str:
    """The digest with its last octet changed."""
    return hex_digest[:-2] + ("00" if hex_digest[-2:] != "00" else "ff")


# A small clean zone (nothing for other rules to say when checked unsigned): apex, glue for an
# in-zone name server, a delegation with glue. ZONEMD records are added per case.
BODY = """\
$TTL 3600
@        SOA   ns1 hostmaster 2026120401 7200 3600 1209600 300
@        NS    ns1
@        NS    ns2
ns1      A     192.0.2.1
ns2      A     192.0.2.2
www      A     192.0.2.80
www      AAAA  2001:db8::80
Mail     MX    10 WWW
sub      NS    ns.sub
ns.sub   A     192.0.2.53
"""
SERIAL = 2026120401
ZEROS48 = "00" * 48


def unsigned(kit, zonemds, body=BODY, edit=None):
    """`body` with apex ZONEMD records: each of `zonemds` is (serial, scheme, hash, digest) where
    digest "sha384"/"sha512" means the oracle's digest of the zone. `edit(text)` changes the zone
    after the digest was computed (the planted fault)."""
    text = f"$ORIGIN {APEX}\n" + body
    digests = {}
    for hash_name, number in (("sha384", 1), ("sha512", 2)):
        if any(z[3] in (hash_name, "bad-" + hash_name) for z in zonemds):
            digests[hash_name] = oracle_digest(text, APEX, number)
    for serial, scheme, hash_algorithm, digest in zonemds:
        if digest in digests:
            digest = digests[digest]
        elif digest.startswith("bad-"):
            digest = flip(digests[digest[4:]])
        text += f"@ ZONEMD {serial} {scheme} {hash_algorithm} {digest}\n"
    if edit is not None:
        text = edit(text)
    path = kit.fresh_path("example.test.zone")
    path.write_text(text)
    return kit.check(path)


def signed_with_zonemd(kit, sign_zonemd=True, edit_signed=None, nsec3=None):
    """A signed zone whose apex ZONEMD holds the oracle's SHA-384 digest of the signed zone, its
    RRSIG made after the digest (RFC 8976 §3.2-§3.4)."""
    body = BODY + f"@ ZONEMD {SERIAL} 1 1 {ZEROS48}\n"
    z = kit.signed(origin=APEX, body=body, nsec3=nsec3)
    digest = oracle_digest("\n".join(z.lines) + "\n", APEX, 1)
    at = z.one(APEX, "ZONEMD")
    z.replace(at, " ".join(z.lines[at].split()[:7] + [digest]))  # the signer splits the digest in chunks
    first = z.write("presigned.zone")
    out = first.with_name("resigned.zone")
    run(["dnssec-signzone", "-q", "-P", "-O", "full", "-o", APEX, "-f", str(out), str(first)]
        + [str(k.path) for k in z.keys], cwd=first.parent)
    z.lines = [l for l in out.read_text().splitlines() if l.strip() and not l.lstrip().startswith(";")]
    if not sign_zonemd:
        z.drop(APEX, "RRSIG", "ZONEMD")
    if edit_signed is not None:
        edit_signed(z)
    return kit.check(z)


MISMATCH = "zone/zonemd-digest-mismatch"
SERIAL_RULE = "zone/zonemd-serial-mismatch"
DUPLICATE = "zone/zonemd-duplicate"
MALFORMED = "zone/zonemd-malformed"
UNVERIFIABLE = "zone/zonemd-unverifiable"
NOT_AT_APEX = "zone/zonemd-not-at-apex"


# ---- RFC 8976 Appendix A: the digests verify, nothing about ZONEMD is reported -----------------

def rfc_fixture(kit, name, origin):
    # A copy: the kit writes its JSON report next to the zone, never into the source tree.
    path = kit.fresh_path(name)
    shutil.copyfile(FIXTURES / name, path)
    return kit.check(path, "--origin", origin)


@case(MISMATCH, "quiet")
def rfc8976_a1_simple(kit):
    return rfc_fixture(kit, "rfc8976-a1-simple.zone", "example.")


# A.2 holds data outside the zone (excluded from the digest, as the RFC says), occluded data
# below a delegation (included), an MX RRset whose exchangers have no address, and a ZONEMD
# record below the apex, which the RFC gives no meaning (§2.1): each is its own, correct finding;
# none is about the apex digest.
@case(MISMATCH, "quiet", also=[("zone/out-of-zone-data", None, None), ("zone/occluded-data", None, None),
                               ("zone/target-no-address", "mail.example.", "MX"),
                               (NOT_AT_APEX, "non-apex.example.", "ZONEMD")])
def rfc8976_a2_complex(kit):
    return rfc_fixture(kit, "rfc8976-a2-complex.zone", "example.")


# A.3 as printed: SHA-384 and SHA-512 verify; the private-scheme record "241 1" has a 20-octet
# digest, which BIND 9.18 refuses to load (it checks hash 1's length whatever the scheme).
@case(MALFORMED, "fires", where=[("example.", "ZONEMD")], severity="error")
def rfc8976_a3_multiple(kit):
    return rfc_fixture(kit, "rfc8976-a3-multiple.zone", "example.")


# A.3 with the "241 1" digest padded to 48 octets (as dnspython's copy of the example has it):
# nothing to report.
@case(MALFORMED, "quiet")
def rfc8976_a3_multiple_padded(kit):
    text = (FIXTURES / "rfc8976-a3-multiple.zone").read_text().replace("05fc283e )", "05fc283e" + "aa" * 28 + " )")
    path = kit.fresh_path("a3-padded.zone")
    path.write_text(text)
    return kit.check(path, "--origin", "example.")


@case(MISMATCH, "quiet")
def rfc8976_a5_root_servers_net(kit):
    return rfc_fixture(kit, "rfc8976-a5-root-servers.net.zone", "root-servers.net.")


# A.4 (uri.arpa) is left out: it does not load (Base64 split inside a quantum; being fixed in
# the loader).

# ---- zone/zonemd-digest-mismatch ----------------------------------------------------------------

@case(MISMATCH, "fires", where=[(APEX, "ZONEMD")], severity="error")
def wrong_sha384_digest(kit):
    return unsigned(kit, [(SERIAL, 1, 1, "bad-sha384")])


@case(MISMATCH, "fires", where=[(APEX, "ZONEMD")], severity="error")
def all_zero_placeholder_digest(kit):
    return unsigned(kit, [(SERIAL, 1, 1, ZEROS48)])


@case(MISMATCH, "fires", where=[(APEX, "ZONEMD")], severity="error")
def glue_changed_after_digest(kit):
    return unsigned(kit, [(SERIAL, 1, 1, "sha384")],
                    edit=lambda t: t.replace("ns.sub   A     192.0.2.53", "ns.sub   A     192.0.2.54"))


@case(MISMATCH, "fires", where=[(APEX, "ZONEMD")], severity="error",
      also=[("zone/occluded-data", None, None)])
def occluded_data_changed_after_digest(kit):
    body = BODY + 'hidden.sub TXT "occluded"\n'
    return unsigned(kit, [(SERIAL, 1, 1, "sha384")], body=body,
                    edit=lambda t: t.replace('"occluded"', '"occluded, changed"'))


@case(MISMATCH, "quiet")
def case_of_names_is_canonicalised(kit):
    # Owners and the names inside MX RDATA are digested lowercased (RFC 4034 §6.2): changing
    # their case after the digest changes nothing.
    return unsigned(kit, [(SERIAL, 1, 1, "sha384")],
                    edit=lambda t: t.replace("Mail     MX    10 WWW", "MAIL     MX    10 www"))


@case(MISMATCH, "fires", where=[(APEX, "ZONEMD")], severity="error")
def record_added_after_digest(kit):
    return unsigned(kit, [(SERIAL, 1, 1, "sha384")], edit=lambda t: t + 'www TXT "new"\n')


# SHA-512 wrong, SHA-384 right: Knot DNS checks the SHA-512 record only and refuses the zone.
@case(MISMATCH, "fires", where=[(APEX, "ZONEMD")], severity="error")
def sha384_right_sha512_wrong(kit):
    return unsigned(kit, [(SERIAL, 1, 1, "sha384"), (SERIAL, 1, 2, "bad-sha512")])


# SHA-384 wrong, SHA-512 right: one verifying record suffices (RFC 8976 §4); Knot DNS and Unbound
# load the zone; a warning, since a verifier with SHA-384 only would not.
@case(MISMATCH, "fires", where=[(APEX, "ZONEMD")], severity="warning")
def sha384_wrong_sha512_right(kit):
    return unsigned(kit, [(SERIAL, 1, 1, "bad-sha384"), (SERIAL, 1, 2, "sha512")])


@case(MISMATCH, "quiet")
def sha512_right(kit):
    return unsigned(kit, [(SERIAL, 1, 2, "sha512")])


@case(MISMATCH, "quiet")
def sha384_and_sha512_right(kit):
    return unsigned(kit, [(SERIAL, 1, 1, "sha384"), (SERIAL, 1, 2, "sha512")])


# An RRset whose RRs have different TTLs: canonical form keeps each RR's TTL. The oracle here is
# ldns (ldns-signzone -Z -z 1:1 computes the record), which digests per RR as we do; dnspython
# digests the RRset's lowest TTL and would disagree.
@case(MISMATCH, "quiet", also=[("zone/ttl-mismatch", "www." + APEX, "A")])
def mixed_ttls_in_an_rrset_digested_per_rr(kit):
    body = BODY.replace("www      A     192.0.2.80", "www 600  A     192.0.2.80\nwww 300  A     192.0.2.81")
    unsigned_path = kit.fresh_path("unsigned.zone")
    unsigned_path.write_text(f"$ORIGIN {APEX}\n" + body + f"@ ZONEMD {SERIAL} 1 1 {ZEROS48}\n")
    out = unsigned_path.with_name("example.test.zone")
    run(["ldns-signzone", "-Z", "-z", "1:1", "-f", str(out), str(unsigned_path)], cwd=unsigned_path.parent)
    return kit.check(out, "--origin", APEX)


@case(MISMATCH, "quiet")
def no_zonemd_at_all(kit):
    return unsigned(kit, [])


@case(MISMATCH, "quiet")
def signed_zone_with_signed_zonemd(kit):
    return signed_with_zonemd(kit)


@case(MISMATCH, "quiet")
def nsec3_signed_zone_with_signed_zonemd(kit):
    return signed_with_zonemd(kit, nsec3=("-", 0, False))


@case(MISMATCH, "fires", where=[(APEX, "ZONEMD")], severity="error")
def signed_zone_glue_changed(kit):
    def edit(z):
        z.edit_field(z.one("ns.sub." + APEX, "A"), 4, "192.0.2.99")
    return signed_with_zonemd(kit, edit_signed=edit)


# ---- an unsigned ZONEMD RRset in a signed zone: dnssec/rrsig-missing already says it -----------

@case("dnssec/rrsig-missing", "fires", where=[(APEX, "ZONEMD")])
def signed_zone_zonemd_unsigned(kit):
    return signed_with_zonemd(kit, sign_zonemd=False)


# ---- zone/zonemd-serial-mismatch ----------------------------------------------------------------

@case(SERIAL_RULE, "fires", where=[(APEX, "ZONEMD")], severity="error")
def zonemd_serial_behind_soa(kit):
    return unsigned(kit, [(SERIAL - 1, 1, 1, "sha384")])


@case(SERIAL_RULE, "fires", where=[(APEX, "ZONEMD")], severity="error")
def soa_serial_raised_after_digest(kit):
    return unsigned(kit, [(SERIAL, 1, 1, "sha384")],
                    edit=lambda t: t.replace(f"hostmaster {SERIAL}", f"hostmaster {SERIAL + 1}"))


@case(SERIAL_RULE, "quiet")
def serial_matches(kit):
    return unsigned(kit, [(SERIAL, 1, 1, "sha384")])


# ---- zone/zonemd-duplicate -----------------------------------------------------------------------

@case(DUPLICATE, "fires", where=[(APEX, "ZONEMD")], severity="error")
def same_scheme_and_hash_twice(kit):
    return unsigned(kit, [(SERIAL, 1, 1, "sha384"), (SERIAL, 1, 1, "bad-sha384")])


# Repeated private pairs beside a SHA-384 record that verifies: Knot DNS still refuses the zone.
@case(DUPLICATE, "fires", where=[(APEX, "ZONEMD")], severity="error")
def private_pair_twice_beside_sha384(kit):
    return unsigned(kit, [(SERIAL, 1, 1, "sha384"), (SERIAL, 241, 1, "ab" * 48), (SERIAL, 241, 1, "cd" * 48)])


@case(DUPLICATE, "quiet")
def two_hashes_once_each(kit):
    return unsigned(kit, [(SERIAL, 1, 1, "sha384"), (SERIAL, 1, 2, "sha512")])


# ---- zone/zonemd-malformed -----------------------------------------------------------------------

@case(MALFORMED, "fires", where=[(APEX, "ZONEMD")], severity="error")
def digest_shorter_than_12_octets(kit):
    return unsigned(kit, [(SERIAL, 1, 1, "ab" * 10)])


@case(MALFORMED, "fires", where=[(APEX, "ZONEMD")], severity="error")
def sha384_digest_truncated(kit):
    return unsigned(kit, [(SERIAL, 1, 1, "ab" * 40)])


@case(MALFORMED, "quiet")
def private_hash_with_12_octets(kit):
    return unsigned(kit, [(SERIAL, 1, 1, "sha384"), (SERIAL, 1, 240, "ab" * 12)])


# ---- zone/zonemd-unverifiable --------------------------------------------------------------------

@case(UNVERIFIABLE, "fires", where=[(APEX, "ZONEMD")], severity="notice")
def private_scheme_only(kit):
    return unsigned(kit, [(SERIAL, 241, 1, "ab" * 48)])


@case(UNVERIFIABLE, "fires", where=[(APEX, "ZONEMD")], severity="notice")
def reserved_placeholder_only(kit):
    return unsigned(kit, [(SERIAL, 0, 0, "00" * 12)])


@case(UNVERIFIABLE, "fires", where=[(APEX, "ZONEMD")], severity="notice")
def private_hash_only(kit):
    return unsigned(kit, [(SERIAL, 1, 240, "ab" * 16)])


@case(UNVERIFIABLE, "quiet")
def private_scheme_beside_sha384(kit):
    return unsigned(kit, [(SERIAL, 1, 1, "sha384"), (SERIAL, 241, 1, "ab" * 48)])


# ---- zone/zonemd-not-at-apex ---------------------------------------------------------------------

@case(NOT_AT_APEX, "fires", where=[("www." + APEX, "ZONEMD")], severity="notice")
def zonemd_below_apex(kit):
    body = BODY + f"www ZONEMD {SERIAL} 1 1 {'ab' * 48}\n"
    return unsigned(kit, [(SERIAL, 1, 1, "sha384")], body=body)


@case(NOT_AT_APEX, "quiet")
def zonemd_at_apex_only(kit):
    return unsigned(kit, [(SERIAL, 1, 1, "sha384")])
