"""Cases for the verdicts of the one validator that `check` and `audit` share
(src/dnssec/validator.hpp, src/rules/verdicts.hpp): dnssec/rrsig-key-missing,
dnssec/rrsig-key-unusable, the wrong-signer verdict of dnssec/rrsig-invalid, and dnssec/ds-stale.

Every zone is signed at test start with real keys (zonekit); the faults follow the lab's
scenarios (tests/lab/lab.py: zsk-missing, rrsig-alg-mismatch, rrsig-wrong-signer, not-zone-key,
ds-stale, ds-alg-unused). Expectations come from the rule pages (docs/rules/dnssec/*.md): a
signature fault on an RRset that has no other usable signature is an error, located at the most
telling RRset of its group (apex SOA, DNSKEY, NS, then the others); ds-stale is a warning at
the zone's DS.
"""
import pathlib

from zonekit import BASE_BODY, case

O = "example.test."
DAY = 86400


def ksk_zsk(kit, origin=O, algorithm="ECDSAP256SHA256"):
    return kit.key(origin, algorithm, ksk=True), kit.key(origin, algorithm, ksk=False)


def cat_ds(kit, *paths) -> pathlib.Path:
    """One --ds file holding the DS records of several dnssec-dsfromkey outputs."""
    out = kit.fresh_path("ds-set.txt")
    out.write_text("".join(p.read_text() for p in paths))
    return out


def drop_dnskey_signature(z, key):
    """Drops `key`'s RRSIG over the apex DNSKEY RRset: the KSK alone signs the key set, as
    signers that keep the KSK/ZSK split do (and as the lab's faults do)."""
    doomed = [i for i in z.records(z.origin, "RRSIG", "DNSKEY") if int(z.lines[i].split()[10]) == key.tag]
    if not doomed:
        raise KeyError(f"key {key.tag} does not sign the DNSKEY RRset")
    z.lines = [l for i, l in enumerate(z.lines) if i not in set(doomed)]


def set_rrsig_field(z, owner, covered, field_no, value):
    """Sets field `field_no` (5 algorithm, 10 key tag, 11 signer) of the one RRSIG over
    (owner, covered); with one RR per line: owner ttl class RRSIG covered alg labels ..."""
    found = z.records(owner, "RRSIG", covered)
    if len(found) != 1:
        raise AssertionError(f"expected one RRSIG {covered} at {owner}, got {len(found)}")
    z.edit_field(found[0], field_no, value)


def impact(result, rule, rcode, ede):
    """Every finding of `rule` gives the resolver impact of its rule page (rcode, EDE code)."""
    for f in result.findings(rule):
        got = (f.get("resolver") or {}).get("rcode"), (f.get("resolver") or {}).get("ede")
        if got != (rcode, ede):
            raise AssertionError(f"{rule} at {f.get('owner')} {f.get('type')}: resolver {got}, expected {(rcode, ede)}")
    return result


# ---- dnssec/rrsig-key-missing -------------------------------------------------------------------

@case("dnssec/rrsig-key-missing", "fires", where=[(O, "SOA")], severity="error")
def zsk_not_published(kit):
    # A botched ZSK rollover (lab scenario zsk-missing): the data is signed by a ZSK that the
    # DNSKEY RRset does not hold; the KSK (the DS key) alone signs the DNSKEY RRset, which
    # validates. Every data RRset is bogus (RFC 4035 §5.3.1): one finding for the one key, at
    # the apex SOA.
    ksk, zsk = ksk_zsk(kit)
    z = kit.signed(O, keys=[ksk, zsk], publish=[ksk])
    drop_dnskey_signature(z, zsk)
    return impact(kit.check(z, "--ds", str(kit.ds_file(ksk))), "dnssec/rrsig-key-missing", "SERVFAIL", 9)


@case("dnssec/rrsig-key-missing", "fires", where=[("www.example.test.", "A")], severity="error")
def rrsig_algorithm_field_altered(kit):
    # The algorithm field of the RRSIG over www A says 8 (RSASHA256); the zone has keys of
    # algorithm 13 only, so no DNSKEY has that key tag and algorithm. www A has no other RRSIG.
    z = kit.signed(O)
    set_rrsig_field(z, "www.example.test.", "A", 5, "8")
    return impact(kit.check(z), "dnssec/rrsig-key-missing", "SERVFAIL", 9)


@case("dnssec/rrsig-key-missing", "quiet")
def key_missing_healthy_ksk_zsk(kit):
    ksk, zsk = ksk_zsk(kit)
    return kit.check(kit.signed(O, keys=[ksk, zsk]), "--ds", str(kit.ds_file(ksk)))


@case("dnssec/rrsig-key-missing", "quiet")
def key_missing_unused_published_key(kit):
    # Near miss: a third key is published (a pre-published ZSK, RFC 6781 §4.1.1.1) and signs
    # nothing. A published key without signatures is no fault; only signatures naming an
    # absent key are.
    ksk, zsk = ksk_zsk(kit)
    standby = kit.key(O, ksk=False, index=1)
    z = kit.signed(O, body=BASE_BODY + f"$INCLUDE {standby.path}.key\n", keys=[ksk, zsk])
    if not z.records(O, "DNSKEY") or len(z.records(O, "DNSKEY")) != 3:
        raise AssertionError("expected three DNSKEYs")
    if any(int(z.lines[i].split()[10]) == standby.tag for i in z.records(rtype="RRSIG")):
        raise AssertionError("the standby key signs")
    return kit.check(z, "--ds", str(kit.ds_file(ksk)))


# ---- dnssec/rrsig-key-unusable ------------------------------------------------------------------

@case("dnssec/rrsig-key-unusable", "fires", where=[(O, "SOA")], severity="error")
def zsk_without_zone_key_flag(kit):
    # Lab scenario not-zone-key: the ZSK's .key file edited to flags 0 before signing; the key
    # is published and signs every data RRset, but a key without the Zone Key flag MUST NOT be
    # used to verify RRSIGs (RFC 4034 §2.1.1): every data RRset is bogus. The KSK alone signs
    # the DNSKEY RRset.
    ksk, zsk = ksk_zsk(kit)
    flags0 = kit.with_flags(zsk, 0)
    z = kit.signed(O, keys=[ksk, flags0])
    if not any(l.split()[4] == "0" for l in (z.lines[i] for i in z.records(O, "DNSKEY"))):
        raise AssertionError("no DNSKEY with flags 0 published")
    drop_dnskey_signature(z, flags0)
    return impact(kit.check(z, "--ds", str(kit.ds_file(ksk))), "dnssec/rrsig-key-unusable", "SERVFAIL", 11)


@case("dnssec/rrsig-key-unusable", "quiet")
def zsk_flags_256_through_the_same_edit(kit):
    # Near miss: the same path (a copy of the ZSK, .key file rewritten, signed, the ZSK's RRSIG
    # over the DNSKEY RRset dropped) with flags 256: a proper zone key.
    ksk, zsk = ksk_zsk(kit)
    flags256 = kit.with_flags(zsk, 256)
    assert flags256.tag == zsk.tag
    z = kit.signed(O, keys=[ksk, flags256])
    drop_dnskey_signature(z, flags256)
    return kit.check(z, "--ds", str(kit.ds_file(ksk)))


@case("dnssec/rrsig-key-unusable", "quiet")
def non_zone_key_published_signs_nothing(kit):
    # Near miss: a flags-0 key in the apex DNSKEY RRset that signs nothing ("some other type of
    # DNS public key", RFC 4034 §2.1.1): no signature depends on it.
    ksk, zsk = ksk_zsk(kit)
    other = kit.with_flags(kit.key(O, ksk=False, index=2), 0)
    z = kit.signed(O, body=BASE_BODY + f"$INCLUDE {other.path}.key\n", keys=[ksk, zsk])
    if any(int(z.lines[i].split()[10]) == other.tag for i in z.records(rtype="RRSIG")):
        raise AssertionError("the flags-0 key signs")
    return kit.check(z, "--ds", str(kit.ds_file(ksk)))


# ---- dnssec/rrsig-invalid: the signer name -------------------------------------------------------

@case("dnssec/rrsig-invalid", "fires", where=[("www.example.test.", "A")], severity="error")
def rrsig_signer_is_the_parent(kit):
    # Lab scenario rrsig-wrong-signer: the signer field of the RRSIG over www A replaced by the
    # parent's name. RFC 4035 §5.3.1: the Signer's Name MUST be the name of the zone that
    # contains the RRset. The rule page of rrsig-key-missing sends this one to rrsig-invalid.
    z = kit.signed(O)
    set_rrsig_field(z, "www.example.test.", "A", 11, "test.")
    # Unbound looks for the key in the signer's zone and finds none: EDE 9 (verdicts.hpp).
    return impact(kit.check(z), "dnssec/rrsig-invalid", "SERVFAIL", 9)


@case("dnssec/rrsig-invalid", "fires", where=[("www.example.test.", "A")], severity="error")
def rrsig_signer_unrelated_zone(kit):
    z = kit.signed(O)
    set_rrsig_field(z, "www.example.test.", "A", 11, "example.net.")
    return impact(kit.check(z), "dnssec/rrsig-invalid", "SERVFAIL", 9)


# ---- dnssec/ds-stale ----------------------------------------------------------------------------

@case("dnssec/ds-stale", "fires", where=[(O, "DS")], severity="warning")
def ds_of_an_old_ksk_beside_the_right_one(kit):
    # Lab scenario ds-stale: the KSK's DS plus the DS of a KSK (algorithm 13) the zone does not
    # publish (left from a rollover). The chain works through the first (RFC 4035 §5.2).
    ksk, zsk = ksk_zsk(kit)
    old = kit.key(O, ksk=True, index=7)
    z = kit.signed(O, keys=[ksk, zsk])
    ds = cat_ds(kit, kit.ds_file(ksk), kit.ds_file(old))
    result = impact(kit.check(z, "--ds", str(ds)), "dnssec/ds-stale", "NOERROR", None)
    # The evidence points at the stale record's line of the --ds file, and only at it (issue #9).
    stale_line = 1 + [i for i, l in enumerate(ds.read_text().splitlines()) if f" {old.tag} " in l][0]
    [f] = result.findings("dnssec/ds-stale")
    lines = [e for e in f.get("evidence", []) if e.startswith(f"{ds}:")]
    if len(lines) != 1 or not lines[0].startswith(f"{ds}:{stale_line}: "):
        raise AssertionError(f"expected evidence at {ds}:{stale_line}: {f.get('evidence')}")
    return result


@case("dnssec/ds-stale", "fires", where=[(O, "DS")], severity="warning")
def ds_of_an_algorithm_the_zone_does_not_use(kit):
    # Lab scenario ds-alg-unused: plus a DS of an RSASHA256 (8) key; the zone signs with 13 only.
    ksk, zsk = ksk_zsk(kit)
    rsa = kit.key(O, "RSASHA256", ksk=True, bits=2048)
    z = kit.signed(O, keys=[ksk, zsk])
    return impact(kit.check(z, "--ds", str(cat_ds(kit, kit.ds_file(ksk), kit.ds_file(rsa)))),
                  "dnssec/ds-stale", "NOERROR", None)


@case("dnssec/ds-stale", "quiet")
def ds_only_the_right_one(kit):
    ksk, zsk = ksk_zsk(kit)
    return kit.check(kit.signed(O, keys=[ksk, zsk]), "--ds", str(kit.ds_file(ksk)))


@case("dnssec/ds-stale", "quiet")
def ds_same_key_two_digests(kit):
    # Near miss: two DS records, SHA-256 (2) and SHA-384 (4), of the same KSK: both match it.
    ksk, zsk = ksk_zsk(kit)
    ds = cat_ds(kit, kit.ds_file(ksk, "SHA-256"), kit.ds_file(ksk, "SHA-384"))
    return kit.check(kit.signed(O, keys=[ksk, zsk]), "--ds", str(ds))


# ---- --resolver-model: what each resolver answers (docs/resolvers.md, measured in the lab) -------

@case("dnssec/rrsig-expired", "fires", where=[(O, "SOA")], severity="error")
def expired_within_unbound_skew(kit):
    # Expired 2 hours ago after 30 days of validity: Unbound tolerates a tenth of the validity,
    # at most one day (val-sig-skew-max), so it still validates: predicted NOERROR. BIND and Knot
    # Resolver tolerate nothing: it is an error all the same.
    z = kit.signed(O, start=kit.now - 30 * DAY, end=kit.now - 2 * 3600)
    return impact(kit.check(z), "dnssec/rrsig-expired", "NOERROR", None)


@case("dnssec/rrsig-expired", "fires", where=[(O, "SOA")], severity="error")
def expired_within_unbound_skew_for_bind(kit):
    # The same zone judged for BIND 9.18: SERVFAIL, and BIND sends no EDE.
    z = kit.signed(O, start=kit.now - 30 * DAY, end=kit.now - 2 * 3600)
    return impact(kit.check(z, "--resolver-model", "bind"), "dnssec/rrsig-expired", "SERVFAIL", None)


@case("dnssec/rrsig-expired", "fires", where=[(O, "SOA")], severity="error")
def expired_beyond_unbound_skew(kit):
    # Expired 2 days ago: beyond Unbound's one-day tolerance, EDE 7 (lab scenario rrsig-expired).
    z = kit.signed(O, start=kit.now - 30 * DAY, end=kit.now - 2 * DAY)
    return impact(kit.check(z), "dnssec/rrsig-expired", "SERVFAIL", 7)


@case("dnssec/rrsig-key-missing", "fires", where=[(O, "SOA")], severity="error")
def zsk_not_published_for_knot_resolver(kit):
    # Knot Resolver 5.6 answers EDE 6 (DNSSEC Bogus) where Unbound answers EDE 9 (lab: zsk-missing).
    ksk, zsk = ksk_zsk(kit)
    z = kit.signed(O, keys=[ksk, zsk], publish=[ksk])
    drop_dnskey_signature(z, zsk)
    return impact(kit.check(z, "--ds", str(kit.ds_file(ksk)), "--resolver-model", "knot-resolver"),
                  "dnssec/rrsig-key-missing", "SERVFAIL", 6)
