"""Cases for the key and algorithm rules: dnssec/algorithm-deprecated, dnssec/key-size-weak,
dnssec/key-tag-collision, dnssec/key-revoked, dnssec/algorithm-unsupported-here and
dnssec/ds-algorithm-missing. Every zone is signed at test start with real keys (zonekit); the
only keys not made at test start are the committed pair of colliding keys in keys/ (made once by
make_colliding_keys.py: finding a collision takes a few hundred key generations).
"""
import base64
import hashlib
import pathlib
import re

from zonekit import BASE_BODY, Key, case

HERE = pathlib.Path(__file__).resolve().parent


def cat_ds(kit, *paths) -> pathlib.Path:
    """One --ds file holding the DS records of several dnssec-dsfromkey outputs."""
    out = kit.fresh_path("ds-set.txt")
    out.write_text("".join(p.read_text() for p in paths))
    return out


def ds_of(kit, key: Key, origin: str) -> pathlib.Path:
    """A --ds file with the SHA-256 DS of `key`, computed here (RFC 4034 §5.1.4): dnssec-dsfromkey
    makes none for a revoked key."""
    line = next(l for l in pathlib.Path(f"{key.path}.key").read_text().splitlines() if l and not l.startswith(";"))
    f = line.split()
    i = f.index("DNSKEY")
    flags, protocol, algorithm = int(f[i + 1]), int(f[i + 2]), int(f[i + 3])
    rdata = flags.to_bytes(2, "big") + bytes([protocol, algorithm]) + base64.b64decode("".join(f[i + 4:]))
    owner = b"".join(bytes([len(l)]) + l.lower().encode() for l in origin.rstrip(".").split(".")) + b"\0"
    ac = sum(b if j & 1 else b << 8 for j, b in enumerate(rdata))
    tag = (ac + ((ac >> 16) & 0xFFFF)) & 0xFFFF
    path = kit.fresh_path("ds.txt")
    path.write_text(f"{origin} IN DS {tag} {algorithm} 2 {hashlib.sha256(owner + rdata).hexdigest().upper()}\n")
    return path


def profile(kit, text: str) -> pathlib.Path:
    path = kit.fresh_path("profile.toml")
    path.write_text(text)
    return path


def ksk_zsk(kit, origin, algorithm="ECDSAP256SHA256", bits=None, zsk_bits=None):
    return (kit.key(origin, algorithm, ksk=True, bits=bits),
            kit.key(origin, algorithm, ksk=False, bits=zsk_bits or bits))


# ---- dnssec/algorithm-deprecated ---------------------------------------------------------------

@case("dnssec/algorithm-deprecated", "fires", where=[("sha1.test.", "DNSKEY")], severity="warning")
def rsasha1_zone(kit):
    # RFC 9905 §5: "Use for DNSSEC Signing" of RSASHA1 is MUST NOT.
    return kit.check(kit.signed(origin="sha1.test.", algorithm="RSASHA1"))


@case("dnssec/algorithm-deprecated", "fires", where=[("nsec3sha1.test.", "DNSKEY")], severity="warning")
def nsec3rsasha1_zone(kit):
    return kit.check(kit.signed(origin="nsec3sha1.test.", algorithm="NSEC3RSASHA1", nsec3=("-", 0, False)))


@case("dnssec/algorithm-deprecated", "fires", where=[("sha512.test.", "DNSKEY")], severity="warning")
def rsasha512_zone(kit):
    # RFC 9904 Table 2 keeps RFC 8624's NOT RECOMMENDED for signing with RSASHA512.
    return kit.check(kit.signed(origin="sha512.test.", algorithm="RSASHA512", bits=2048))


@case("dnssec/algorithm-deprecated", "fires", where=[("example.test.", "DS")], severity="warning")
def sha1_ds_digest(kit):
    # RFC 9904 Table 3: SHA-1 is MUST NOT for "Use for DNSSEC Delegation".
    ksk, zsk = ksk_zsk(kit, "example.test.")
    zone = kit.signed(keys=[ksk, zsk])
    return kit.check(zone, "--ds", str(kit.ds_file(ksk, "SHA-1")))


@case("dnssec/algorithm-deprecated", "fires", where=[("example.test.", "DNSKEY")], severity="warning")
def ecdsa_not_in_policy(kit):
    # allowed_algorithms decides instead of the registry: ECDSA is fine by IANA, not by this policy.
    policy = profile(kit, 'name = "rsa-only"\n[thresholds]\nallowed_algorithms = [8]\n')
    return kit.check(kit.signed(), "--profile", str(policy))


@case("dnssec/algorithm-deprecated", "quiet")
def rsasha256_with_sha256_and_sha384_ds(kit):
    ksk, zsk = ksk_zsk(kit, "rsa.test.", "RSASHA256")
    zone = kit.signed(origin="rsa.test.", keys=[ksk, zsk])
    return kit.check(zone, "--ds", str(cat_ds(kit, kit.ds_file(ksk, "SHA-256"), kit.ds_file(ksk, "SHA-384"))))


@case("dnssec/algorithm-deprecated", "quiet")
def rsasha1_allowed_by_policy(kit):
    # The near miss of the policy case: the profile lists the zone's algorithm, so even RSASHA1
    # passes (the policy decides instead of the registry).
    policy = profile(kit, 'name = "legacy"\n[thresholds]\nallowed_algorithms = [5, 8, 13]\n')
    return kit.check(kit.signed(origin="sha1.test.", algorithm="RSASHA1"), "--profile", str(policy))


@case("dnssec/algorithm-deprecated", "quiet")
def ecdsap384_zone(kit):
    # "Use for DNSSEC Signing" MAY: no finding.
    return kit.check(kit.signed(origin="p384.test.", algorithm="ECDSAP384SHA384"))


@case("dnssec/algorithm-deprecated", "quiet")
def ed448_zone(kit):
    return kit.check(kit.signed(origin="ed448.test.", algorithm="ED448"))


# ---- dnssec/key-size-weak ----------------------------------------------------------------------

@case("dnssec/key-size-weak", "fires", where=[("weak.test.", "DNSKEY")], severity="warning")
def rsa_1024_zsk(kit):
    ksk, zsk = ksk_zsk(kit, "weak.test.", "RSASHA256", bits=2048, zsk_bits=1024)
    return kit.check(kit.signed(origin="weak.test.", keys=[ksk, zsk]))


@case("dnssec/key-size-weak", "quiet")
def rsa_2048(kit):
    ksk, zsk = ksk_zsk(kit, "strong.test.", "RSASHA256", bits=2048)
    return kit.check(kit.signed(origin="strong.test.", keys=[ksk, zsk]))


@case("dnssec/key-size-weak", "quiet")
def rsa_1024_with_policy_minimum_1024(kit):
    ksk, zsk = ksk_zsk(kit, "weak.test.", "RSASHA256", bits=2048, zsk_bits=1024)
    policy = profile(kit, 'name = "lenient"\n[thresholds]\nmin_rsa_bits = 1024\n')
    return kit.check(kit.signed(origin="weak.test.", keys=[ksk, zsk]), "--profile", str(policy))


@case("dnssec/key-size-weak", "fires", where=[("strict.test.", "DNSKEY")], severity="warning")
def rsa_2048_with_rule_option_3072(kit):
    # The profile's [options."dnssec/key-size-weak"] sets the rule's own minimum (docs/policy.md):
    # both 2048-bit keys are below it, and its [thresholds] value (1024) is not what the rule reads.
    ksk, zsk = ksk_zsk(kit, "strict.test.", "RSASHA256", bits=2048)
    policy = profile(kit, 'name = "per-rule"\n[thresholds]\nmin_rsa_bits = 1024\n'
                          '[options."dnssec/key-size-weak"]\nmin_rsa_bits = 3072\n')
    return kit.check(kit.signed(origin="strict.test.", keys=[ksk, zsk]), "--profile", str(policy))


@case("dnssec/key-size-weak", "quiet")
def rsa_1024_with_rule_option_1024(kit):
    # The near miss: [thresholds] asks for 4096 bits, the rule's own option for 1024: the rule's wins.
    ksk, zsk = ksk_zsk(kit, "weak.test.", "RSASHA256", bits=2048, zsk_bits=1024)
    policy = profile(kit, 'name = "per-rule"\n[options."dnssec/key-size-weak"]\nmin_rsa_bits = 1024\n'
                          '[thresholds]\nmin_rsa_bits = 4096\n')
    return kit.check(kit.signed(origin="weak.test.", keys=[ksk, zsk]), "--profile", str(policy))


# ---- dnssec/key-tag-collision ------------------------------------------------------------------

def colliding_keys():
    """The committed pair: two different ECDSA ZSKs of collide.test. with the same key tag."""
    out = []
    for sub in ("a", "b"):
        private = sorted((HERE / "keys" / sub).glob("K*.private"))
        assert len(private) == 1, f"expected one key in keys/{sub} (run make_colliding_keys.py)"
        stem = private[0].with_suffix("")
        m = re.search(r"\+(\d+)\+(\d+)$", stem.name)
        out.append(Key(stem, int(m.group(2)), int(m.group(1)), False))
    texts = [pathlib.Path(f"{k.path}.key").read_text() for k in out]
    assert out[0].tag == out[1].tag and texts[0] != texts[1]
    return out


@case("dnssec/key-tag-collision", "fires", where=[("collide.test.", "DNSKEY")], severity="warning")
def two_zsks_same_tag(kit):
    a, b = colliding_keys()
    ksk = kit.key("collide.test.", ksk=True)
    # Key b is published (pre-published for a rollover, say) and key a signs.
    body = BASE_BODY + f"$INCLUDE {b.path}.key\n"
    return kit.check(kit.signed(origin="collide.test.", body=body, keys=[ksk, a]))


@case("dnssec/key-tag-collision", "quiet")
def one_of_the_pair(kit):
    a, _ = colliding_keys()
    ksk = kit.key("collide.test.", ksk=True)
    return kit.check(kit.signed(origin="collide.test.", keys=[ksk, a]))


# ---- dnssec/key-revoked ------------------------------------------------------------------------

def rollover_keys(kit, origin):
    """Two KSKs and a ZSK, as in an RFC 5011 KSK rollover."""
    return (kit.key(origin, ksk=True, index=0), kit.key(origin, ksk=True, index=1), kit.key(origin, ksk=False))


@case("dnssec/key-revoked", "fires", where=[("revoke.test.", "DNSKEY")], severity="warning")
def revoked_old_ksk_during_rollover(kit):
    old, new, zsk = rollover_keys(kit, "revoke.test.")
    # The revoked key still signs the DNSKEY RRset (RFC 5011 §2.1 wants that); the new KSK too.
    return kit.check(kit.signed(origin="revoke.test.", keys=[kit.revoke(old), new, zsk]))


@case("dnssec/key-revoked", "fires", where=[("revoke.test.", "DNSKEY")], severity="error")
def revoked_ksk_is_the_only_dnskey_signer(kit):
    old, _, zsk = rollover_keys(kit, "revoke.test.")
    revoked = kit.revoke(old)
    zone = kit.signed(origin="revoke.test.", keys=[revoked, zsk])
    # dnssec-signzone also signs the DNSKEY RRset with the ZSK (even with -x, when the only KSK is
    # revoked). Signers that keep the KSK/ZSK split (BIND's dnssec-policy, Knot) would not: drop
    # the ZSK's signature there, so that only the revoked key signs the DNSKEY RRset.
    keep = [i for i in zone.records("revoke.test.", "RRSIG", "DNSKEY") if int(zone.lines[i].split()[10]) == revoked.tag]
    assert keep, "the revoked key does not sign the DNSKEY RRset"
    drop = set(zone.records("revoke.test.", "RRSIG", "DNSKEY")) - set(keep)
    zone.lines = [l for i, l in enumerate(zone.lines) if i not in drop]
    return kit.check(zone)


@case("dnssec/key-revoked", "fires", where=[("revoke.test.", "DNSKEY")], severity="error")
def ds_matches_only_the_revoked_key(kit):
    old, new, zsk = rollover_keys(kit, "revoke.test.")
    revoked = kit.revoke(old)
    zone = kit.signed(origin="revoke.test.", keys=[revoked, new, zsk])
    return kit.check(zone, "--ds", str(ds_of(kit, revoked, "revoke.test.")))


@case("dnssec/key-revoked", "quiet")
def rollover_before_revocation(kit):
    old, new, zsk = rollover_keys(kit, "revoke.test.")
    zone = kit.signed(origin="revoke.test.", keys=[old, new, zsk])
    return kit.check(zone, "--ds", str(cat_ds(kit, kit.ds_file(old), kit.ds_file(new))))


# ---- dnssec/algorithm-unsupported-here ---------------------------------------------------------

def private_dnskey(origin: str, flags: int) -> tuple[str, int]:
    """A PRIVATEDNS (253) DNSKEY: the key field starts with the algorithm's domain name
    (RFC 4034 App. A.1.1), then opaque key material. Returns the RR line and its key tag."""
    name = b"".join(bytes([len(label)]) + label.encode() for label in "alg.private.test".split(".")) + b"\0"
    key = name + bytes(range(1, 65))
    rdata = flags.to_bytes(2, "big") + bytes([3, 253]) + key
    ac = sum(b if i & 1 else b << 8 for i, b in enumerate(rdata))
    tag = (ac + ((ac >> 16) & 0xFFFF)) & 0xFFFF
    return f"{origin} 3600 IN DNSKEY {flags} 3 253 {base64.b64encode(key).decode()}", tag


@case("dnssec/algorithm-unsupported-here", "fires", where=[("private.test.", "DNSKEY")], severity="warning",
      # The apex publishes an algorithm-253 zone key that signs www A only: RFC 4035 §2.2 wants an
      # RRSIG of each apex algorithm over every RRset (no --ds: an error).
      also=[("dnssec/algorithm-coverage", "private.test.", "SOA")])
def private_algorithm_zone_key(kit):
    line, tag = private_dnskey("private.test.", 256)
    zone = kit.signed(origin="private.test.", body=BASE_BODY + line + "\n")
    # Plus a signature by that key: a copy of the RRSIG over www A, with algorithm and key tag
    # of the private key. This build cannot check it; it must not be called invalid.
    i = zone.one("www.private.test.", "RRSIG", "A")
    f = zone.lines[i].split()
    f[5], f[10] = "253", str(tag)
    zone.add(" ".join(f))
    return kit.check(zone)


@case("dnssec/algorithm-unsupported-here", "quiet")
def private_algorithm_non_zone_key(kit):
    # The same key without the Zone Key flag cannot sign zone data (RFC 4034 §2.1.1).
    line, _ = private_dnskey("private.test.", 0)
    return kit.check(kit.signed(origin="private.test.", body=BASE_BODY + line + "\n"))


# ---- dnssec/ds-algorithm-missing ---------------------------------------------------------------

def double_signed(kit, origin="double.test."):
    ecdsa = ksk_zsk(kit, origin)
    rsa = ksk_zsk(kit, origin, "RSASHA256", bits=2048)
    return kit.signed(origin=origin, keys=[*ecdsa, *rsa]), ecdsa[0], rsa[0]


@case("dnssec/ds-algorithm-missing", "fires", where=[("double.test.", "DNSKEY")], severity="warning")
def rsa_signs_but_ds_only_for_ecdsa(kit):
    zone, ecdsa_ksk, _ = double_signed(kit)
    return kit.check(zone, "--ds", str(kit.ds_file(ecdsa_ksk)))


@case("dnssec/ds-algorithm-missing", "fires", where=[("double.test.", "DS")], severity="warning")
def ds_set_only_gost_digest(kit):
    zone, ecdsa_ksk, _ = double_signed(kit)
    ds = kit.fresh_path("gost-ds.txt")
    ds.write_text(f"double.test. IN DS {ecdsa_ksk.tag} 13 3 {'AB' * 32}\n")
    return kit.check(zone, "--ds", str(ds))


@case("dnssec/algorithm-deprecated", "quiet",
      # A DS set of GOST digests only is insecure to validators without GOST (RFC 4035 §5.2).
      also=[("dnssec/ds-algorithm-missing", "double.test.", "DS")])
def gost_only_ds_set(kit):
    # The GOST digest is MUST NOT for delegation, but a set of nothing else is reported once, by
    # dnssec/ds-algorithm-missing (the zone is insecure to validators without GOST).
    return ds_set_only_gost_digest(kit)


@case("dnssec/ds-algorithm-missing", "quiet")
def ds_for_both_algorithms(kit):
    zone, ecdsa_ksk, rsa_ksk = double_signed(kit)
    return kit.check(zone, "--ds", str(cat_ds(kit, kit.ds_file(ecdsa_ksk), kit.ds_file(rsa_ksk))))


@case("dnssec/ds-algorithm-missing", "quiet")
def double_signed_without_ds(kit):
    zone, _, _ = double_signed(kit)
    return kit.check(zone)


# ---- healthy zones: no warning from any rule ---------------------------------------------------

@case("", "healthy")
def healthy_rsasha256_2048_with_ds(kit):
    ksk, zsk = ksk_zsk(kit, "healthy-rsa.test.", "RSASHA256", bits=2048)
    zone = kit.signed(origin="healthy-rsa.test.", keys=[ksk, zsk])
    return kit.check(zone, "--ds", str(kit.ds_file(ksk)))
