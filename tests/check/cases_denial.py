"""Authenticated denial of existence: dnssec/nsec-chain-broken, dnssec/nsec-bitmap-mismatch,
dnssec/nsec3-chain-broken, dnssec/nsec3-parameters and dnssec/nsec-ttl, plus healthy NSEC and
NSEC3 zones that no rule may complain about.

Every case signs BASE_BODY (or a variant) at test start with real keys (dnssec-signzone makes
only correct chains) and plants one fault by editing the signed text. An edited record's RRSIG
no longer verifies, so dnssec/rrsig-invalid fires too in those cases; only the rule under test
is asserted.
"""
import base64
import hashlib

from zonekit import BASE_BODY, case

ORIGIN = "example.test."
NSEC3 = ("-", 0, False)
NSEC3_OPT_OUT = ("-", 0, True)

_B32 = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHIJKLMNOPQRSTUV")


def nsec3_hash(name: str, salt: str = "-", iterations: int = 0) -> str:
    """RFC 5155 §5 hash of `name`, base32hex in upper case as dnssec-signzone writes it."""
    wire = b"".join(bytes([len(l)]) + l.lower().encode() for l in name.rstrip(".").split(".")) + b"\0"
    s = b"" if salt == "-" else bytes.fromhex(salt)
    digest = hashlib.sha1(wire + s).digest()
    for _ in range(iterations):
        digest = hashlib.sha1(digest + s).digest()
    return base64.b32encode(digest).decode().translate(_B32)


def hashed_owner(name: str, salt: str = "-", iterations: int = 0) -> str:
    return nsec3_hash(name, salt, iterations) + "." + ORIGIN


def only_one(result, rule):
    """One root cause, one finding: `rule` reports exactly once."""
    found = result.findings(rule)
    if len(found) != 1:
        raise AssertionError(f"expected one {rule} finding, got {len(found)}: {result.summary()}")
    return result


def only_one_saying(result, rule, message):
    """only_one, and its finding's message is exactly `message`."""
    only_one(result, rule)
    got = result.findings(rule)[0]["message"]
    if got != message:
        raise AssertionError(f"{rule}: expected the message {message!r}, got {got!r}")
    return result


def must_not(result, rule):
    if result.findings(rule):
        raise AssertionError(f"{rule} also fired: {result.summary()}")
    return result


def drop_with_signature(z, owner, rtype):
    """Drops the (owner, rtype) records and the RRSIGs over them, as a careless edit would."""
    z.drop(owner, rtype)
    z.drop(owner, "RRSIG", covered=rtype)


def set_rdata(z, owner, rtype, rdata: str):
    """Replaces the RDATA of the one (owner, rtype) record."""
    i = z.one(owner, rtype)
    f = z.lines[i].split()
    z.replace(i, " ".join(f[:4]) + " " + rdata)


def rdata_of(z, owner, rtype) -> list[str]:
    return z.lines[z.one(owner, rtype)].split()[4:]


def nsec3_ring(z) -> list[str]:
    """Owner hashes of the NSEC3 records, sorted (upper case)."""
    return sorted(l.split()[0].split(".")[0].upper() for l in z.lines if l.split()[3] == "NSEC3")


# ---- dnssec/nsec-chain-broken -------------------------------------------------------------------

@case("dnssec/nsec-chain-broken", "fires", where=[("mail.example.test.", "NSEC")], severity="error")
def nsec_dropped(kit):
    # The NSEC of mail is gone; insecure's NSEC still points at mail, rightly. One finding.
    z = kit.signed(ORIGIN)
    drop_with_signature(z, "mail.example.test.", "NSEC")
    return only_one(kit.check(z), "dnssec/nsec-chain-broken")


def insecure_ds_file(kit):
    """A --ds file whose only DS has an unassigned digest type: RFC 4035 §5.2 makes the
    delegation insecure (validators that support no digest of the DS set treat the zone as
    unsigned)."""
    path = kit.fresh_path("insecure-ds.txt")
    path.write_text(f"{ORIGIN} 3600 IN DS 12345 13 200 {'ab' * 32}\n")
    return path


@case("dnssec/nsec-chain-broken", "fires", where=[("mail.example.test.", "NSEC")], severity="warning",
      # The --ds file's digest type is one no validator implements: the rule that says so.
      also=[("dnssec/ds-algorithm-missing", "example.test.", "DS")])
def nsec_dropped_insecure_delegation(kit):
    # nsec_dropped, checked with a --ds file that makes the delegation insecure: nobody validates
    # the zone, so the gap fails no resolver yet: a warning, not an error.
    z = kit.signed(ORIGIN)
    drop_with_signature(z, "mail.example.test.", "NSEC")
    result = only_one(kit.check(z, "--ds", str(insecure_ds_file(kit))), "dnssec/nsec-chain-broken")
    f = result.findings("dnssec/nsec-chain-broken")[0]
    if f["resolver"]["rcode"] != "NOERROR" or "insecure" not in " ".join(f["evidence"]):
        raise AssertionError(f"expected NOERROR and the reason in the evidence: {f}")
    return result


@case("dnssec/nsec-chain-broken", "fires", where=[("mail.example.test.", "NSEC")], severity="error",
      # The added A RRset is authoritative data without an RRSIG (RFC 4035 §2.2).
      also=[("dnssec/rrsig-missing", "new.example.test.", "A")])
def nsec_name_added_after_signing(kit):
    # new.example.test. falls between mail and ns1: mail's NSEC skips it. ONE finding about the
    # gap, not also "new has no NSEC".
    z = kit.signed(ORIGIN)
    z.add("new.example.test. 3600 IN A 192.0.2.99")
    return only_one(kit.check(z), "dnssec/nsec-chain-broken")


@case("dnssec/nsec-chain-broken", "fires", where=[("ns1.example.test.", "NSEC")], severity="error",
      # The RRSIG covers the old RDATA: the edited NSEC does not verify (RFC 4034 §3.1.8.1).
      also=[("dnssec/rrsig-invalid", "ns1.example.test.", "NSEC")])
def nsec_next_name_changed(kit):
    z = kit.signed(ORIGIN)
    set_rdata(z, "ns1.example.test.", "NSEC", "ns3.example.test. A AAAA RRSIG NSEC")
    return only_one(kit.check(z), "dnssec/nsec-chain-broken")


@case("dnssec/nsec-chain-broken", "fires", where=[("www.example.test.", "NSEC")], severity="error",
      # The RRSIG covers the old RDATA: the edited NSEC does not verify (RFC 4034 §3.1.8.1).
      also=[("dnssec/rrsig-invalid", "www.example.test.", "NSEC")])
def nsec_chain_not_closed(kit):
    z = kit.signed(ORIGIN)
    set_rdata(z, "www.example.test.", "NSEC", "ftp.example.test. A AAAA RRSIG NSEC")
    return only_one(kit.check(z), "dnssec/nsec-chain-broken")


@case("dnssec/nsec-chain-broken", "fires", where=[("ns.sub.example.test.", "NSEC")], severity="error",
      # An NSEC at a name that holds only glue (RFC 4035 §2.3: MUST NOT); both rule
      # pages claim it (nsec-chain-broken: "an NSEC where none belongs", occluded-data: "NSEC
      # records over glue", a warning).
      also=[("zone/occluded-data", "ns.sub.example.test.", "NSEC")])
def nsec_at_glue(kit):
    z = kit.signed(ORIGIN)
    z.add("ns.sub.example.test. 300 IN NSEC *.wild.example.test. A RRSIG NSEC")
    return only_one(kit.check(z), "dnssec/nsec-chain-broken")


@case("dnssec/nsec-chain-broken", "fires", where=[("example.test.", "NSEC")], severity="error")
def nsec_signed_without_denial(kit):
    z = kit.signed(ORIGIN)
    z.drop(rtype="NSEC")
    z.drop(rtype="RRSIG", covered="NSEC")
    return only_one(kit.check(z), "dnssec/nsec-chain-broken")


@case("dnssec/nsec-chain-broken", "fires", where=[("example.test.", "NSEC")], severity="error")
def nsec_many_missing_capped(kit):
    # 100 more names, then every NSEC but the apex's dropped: 50 findings and ONE that counts
    # the rest, never a silent cut.
    body = BASE_BODY + "".join(f"h{i:03d} A 192.0.2.{i % 250 + 1}\n" for i in range(100))
    z = kit.signed(ORIGIN, body=body)
    apex = z.lines[z.one(ORIGIN, "NSEC")]
    z.drop(rtype="NSEC")
    z.add(apex)
    result = kit.check(z)
    found = result.findings("dnssec/nsec-chain-broken")
    summary = [f for f in found if "more NSEC chain faults" in f["message"]]
    if len(found) != 51 or len(summary) != 1 or "59 more" not in summary[0]["message"]:
        raise AssertionError(f"expected 50 findings and one summary of 59 more: {len(found)}: {result.summary()[:600]}")
    return result


@case("dnssec/nsec-chain-broken", "quiet",
      # ns2.sub is below the cut but no NS record names it, so it is not glue (RFC 9499 §7):
      # occluded data (zone/occluded-data, a notice). The NSEC chain rightly skips it.
      also=[("zone/occluded-data", "ns2.sub.example.test.", "A")])
def nsec_glue_added(kit):
    # Near miss: glue added below a delegation after signing needs no NSEC.
    z = kit.signed(ORIGIN)
    z.add("ns2.sub.example.test. 3600 IN A 192.0.2.55")
    return kit.check(z)


@case("dnssec/nsec-chain-broken", "quiet")
def nsec_in_nsec3_zone(kit):
    return kit.check(kit.signed(ORIGIN, nsec3=NSEC3))


@case("dnssec/nsec-chain-broken", "quiet")
def nsec_unsigned_zone(kit):
    return kit.check(kit.unsigned(ORIGIN))


# ---- dnssec/nsec-bitmap-mismatch ----------------------------------------------------------------

@case("dnssec/nsec-bitmap-mismatch", "fires", where=[("www.example.test.", "NSEC")], severity="error",
      # The RRSIG covers the old bitmap: the edited NSEC does not verify.
      also=[("dnssec/rrsig-invalid", "www.example.test.", "NSEC")])
def bitmap_type_removed(kit):
    z = kit.signed(ORIGIN)
    set_rdata(z, "www.example.test.", "NSEC", "example.test. A RRSIG NSEC")  # AAAA left out
    return only_one(kit.check(z), "dnssec/nsec-bitmap-mismatch")


@case("dnssec/nsec-bitmap-mismatch", "fires", where=[("mail.example.test.", "NSEC")], severity="error",
      # The RRSIG covers the old bitmap: the edited NSEC does not verify.
      also=[("dnssec/rrsig-invalid", "mail.example.test.", "NSEC")])
def bitmap_type_added(kit):
    z = kit.signed(ORIGIN)
    set_rdata(z, "mail.example.test.", "NSEC", "ns1.example.test. A MX RRSIG NSEC")
    return only_one(kit.check(z), "dnssec/nsec-bitmap-mismatch")


@case("dnssec/nsec-bitmap-mismatch", "fires", where=[("www.example.test.", "NSEC")], severity="error")
def bitmap_record_deleted(kit):
    # The realistic fault: the AAAA of www deleted from the signed file, the NSEC not updated.
    z = kit.signed(ORIGIN)
    drop_with_signature(z, "www.example.test.", "AAAA")
    return only_one(kit.check(z), "dnssec/nsec-bitmap-mismatch")


@case("dnssec/nsec-bitmap-mismatch", "fires", where=[("sub.example.test.", "NSEC")], severity="error",
      # The RRSIG covers the old bitmap; and no NS record names sub.example.test., so its A record
      # is not glue but occluded data beside the delegation NS (RFC 1034 §4.2.1, RFC 9499 §7).
      also=[("dnssec/rrsig-invalid", "sub.example.test.", "NSEC"), ("zone/occluded-data", "sub.example.test.", "A")])
def bitmap_glue_listed_at_delegation(kit):
    z = kit.signed(ORIGIN)
    z.add("sub.example.test. 3600 IN A 192.0.2.56")
    set_rdata(z, "sub.example.test.", "NSEC", "*.wild.example.test. A NS DS RRSIG NSEC")
    return only_one(kit.check(z), "dnssec/nsec-bitmap-mismatch")


@case("dnssec/nsec-bitmap-mismatch", "fires", where=[(hashed_owner("www.example.test."), "NSEC3")], severity="error",
      # The RRSIG covers the old bitmap: the edited NSEC3 does not verify.
      also=[("dnssec/rrsig-invalid", hashed_owner("www.example.test."), "NSEC3")])
def bitmap_nsec3_type_removed(kit):
    z = kit.signed(ORIGIN, nsec3=NSEC3)
    owner = hashed_owner("www.example.test.")
    rdata = rdata_of(z, owner, "NSEC3")
    set_rdata(z, owner, "NSEC3", " ".join(t for t in rdata if t != "AAAA"))
    result = only_one(kit.check(z), "dnssec/nsec-bitmap-mismatch")
    if "NSEC3" not in result.findings("dnssec/nsec-bitmap-mismatch")[0]["message"]:
        raise AssertionError(f"the message does not say NSEC3: {result.summary()}")
    return result


@case("dnssec/nsec-bitmap-mismatch", "quiet",
      # No NS record names sub.example.test., so its A record is not glue but occluded data
      # beside the delegation NS (RFC 1034 §4.2.1, RFC 9499 §7): zone/occluded-data, a notice.
      also=[("zone/occluded-data", "sub.example.test.", "A")])
def bitmap_glue_at_delegation_not_listed(kit):
    # Near miss: an address at the delegation owner is glue, and its NSEC rightly omits it.
    z = kit.signed(ORIGIN)
    z.add("sub.example.test. 3600 IN A 192.0.2.56")
    return kit.check(z)


@case("dnssec/nsec-bitmap-mismatch", "quiet")
def bitmap_nsec3_opt_out(kit):
    # Empty non-terminals (empty bitmaps) and a secure delegation (NS DS RRSIG) under Opt-Out.
    return kit.check(kit.signed(ORIGIN, nsec3=NSEC3_OPT_OUT))


@case("dnssec/nsec-chain-broken", "fires", where=[("mail.example.test.", "NSEC")], severity="warning",
      # The stray NSEC was added after signing: an authoritative RRset without an RRSIG (RFC 4035
      # §2.2), which a validator asking for it gets as bogus.
      also=[("dnssec/rrsig-missing", "mail.example.test.", "NSEC")])
def nsec_leftover_in_nsec3_zone(kit):
    # An NSEC3 zone (NSEC3PARAM at the apex, no apex NSEC) with one stray NSEC record, as a
    # half-done switch from NSEC leaves it (RFC 5155 §10.4 ends with one chain): one finding, a
    # warning. Servers deny from the NSEC3 chain and Unbound validates every answer of such a zone
    # (BIND 9.18 and NSD 4.6 serving it, the stray NSEC signed; measured 2026-12-06).
    z = kit.signed(ORIGIN, nsec3=NSEC3)
    z.add("mail.example.test. 300 IN NSEC ns1.example.test. A RRSIG NSEC")  # RFC 9077 TTL
    return only_one_saying(kit.check(z), "dnssec/nsec-chain-broken",
                           "1 NSEC record in a zone whose denial of existence uses NSEC3 (NSEC3PARAM at the "
                           "apex): a partial NSEC chain left over")


# ---- dnssec/nsec3-chain-broken ------------------------------------------------------------------

@case("dnssec/nsec3-chain-broken", "fires", where=[(hashed_owner("www.example.test."), "NSEC3")],
      severity="warning",
      # The stray NSEC3 was added after signing: an authoritative RRset without an RRSIG (RFC 4035
      # §2.2).
      also=[("dnssec/rrsig-missing", hashed_owner("www.example.test."), "NSEC3")])
def nsec3_leftover_in_nsec_zone(kit):
    # An NSEC zone (NSEC at the apex, no NSEC3PARAM) with one stray NSEC3 record: a leftover
    # partial chain, one finding, a warning (measured as above: every answer secure).
    z = kit.signed(ORIGIN)
    nxt = nsec3_hash("mail.example.test.")
    z.add(f"{hashed_owner('www.example.test.')} 300 IN NSEC3 1 0 0 - {nxt} A RRSIG")
    return only_one_saying(kit.check(z), "dnssec/nsec3-chain-broken",
                           "1 NSEC3 record in a zone whose denial of existence uses NSEC (no NSEC3PARAM, NSEC at "
                           "the apex): a partial NSEC3 chain left over")


@case("dnssec/nsec3-chain-broken", "fires", where=[("www.example.test.", "NSEC3")], severity="error")
def nsec3_dropped(kit):
    z = kit.signed(ORIGIN, nsec3=NSEC3)
    drop_with_signature(z, hashed_owner("www.example.test."), "NSEC3")
    return only_one(kit.check(z), "dnssec/nsec3-chain-broken")


def _name_added(kit):
    z = kit.signed(ORIGIN, nsec3=NSEC3)
    z.add("new.example.test. 3600 IN A 192.0.2.99")
    return z


def _cover_of(z, name):
    """The NSEC3 owner whose span covers the hash of `name`."""
    h = nsec3_hash(name)
    ring = nsec3_ring(z)
    before = [x for x in ring if x < h]
    return (before[-1] if before else ring[-1]) + "." + ORIGIN


@case("dnssec/nsec3-chain-broken", "fires", severity="error",
      # The added A RRset is authoritative data without an RRSIG (RFC 4035 §2.2).
      also=[("dnssec/rrsig-missing", "new.example.test.", "A")])
def nsec3_name_added_after_signing(kit):
    # The NSEC3 whose span covers hash(new) skips it: ONE finding there, not also "no NSEC3".
    z = _name_added(kit)
    result = only_one(kit.check(z), "dnssec/nsec3-chain-broken")
    f = result.findings("dnssec/nsec3-chain-broken")[0]
    if f["owner"].lower() != _cover_of(z, "new.example.test.").lower() or f["type"] != "NSEC3":
        raise AssertionError(f"expected the finding at {_cover_of(z, 'new.example.test.')}: {result.summary()}")
    return result


@case("dnssec/nsec3-chain-broken", "fires", where=[(hashed_owner("mail.example.test."), "NSEC3")], severity="error",
      # The RRSIG covers the old next hash: the edited NSEC3 does not verify.
      also=[("dnssec/rrsig-invalid", hashed_owner("mail.example.test."), "NSEC3")])
def nsec3_next_hash_changed(kit):
    z = kit.signed(ORIGIN, nsec3=NSEC3)
    owner = hashed_owner("mail.example.test.")
    rdata = rdata_of(z, owner, "NSEC3")
    rdata[4] = "0" * 32  # a hash of no name
    set_rdata(z, owner, "NSEC3", " ".join(rdata))
    return only_one(kit.check(z), "dnssec/nsec3-chain-broken")


@case("dnssec/nsec3-chain-broken", "fires", where=[(hashed_owner("gone.example.test."), "NSEC3")], severity="error",
      # The copy is made without an RRSIG: an unsigned authoritative NSEC3 RRset (RFC 4035 §2.2).
      also=[("dnssec/rrsig-missing", hashed_owner("gone.example.test."), "NSEC3")])
def nsec3_stray(kit):
    # An NSEC3 left from a removed name (a copy of www's under the hash of gone.example.test.).
    z = kit.signed(ORIGIN, nsec3=NSEC3)
    www = z.lines[z.one(hashed_owner("www.example.test."), "NSEC3")].split()
    z.add(" ".join([hashed_owner("gone.example.test.")] + www[1:]))
    return only_one(kit.check(z), "dnssec/nsec3-chain-broken")


@case("dnssec/nsec3-chain-broken", "fires", severity="error",
      # Every NSEC3 had its Flags field edited after signing: their RRSIGs no longer verify (one
      # finding for the one signing key).
      also=[("dnssec/rrsig-invalid", None, "NSEC3")])
def nsec3_insecure_delegation_without_opt_out(kit):
    # Signed with Opt-Out (insecure has no NSEC3), then the Opt-Out flags cleared: the NSEC3
    # covering insecure's hash now denies the delegation. One finding, at that NSEC3.
    z = kit.signed(ORIGIN, nsec3=NSEC3_OPT_OUT)
    for i in z.records(rtype="NSEC3"):
        z.edit_field(i, 5, "0")
    result = only_one(kit.check(z), "dnssec/nsec3-chain-broken")
    f = result.findings("dnssec/nsec3-chain-broken")[0]
    if f["owner"].lower() != _cover_of(z, "insecure.example.test.").lower() or "insecure.example.test." not in f["message"]:
        raise AssertionError(f"expected the finding at {_cover_of(z, 'insecure.example.test.')}: {result.summary()}")
    return result


@case("dnssec/nsec3-chain-broken", "quiet")
def nsec3_opt_out_omits_insecure_delegation(kit):
    # Near miss: under Opt-Out the insecure delegation has no NSEC3, rightly.
    return kit.check(kit.signed(ORIGIN, nsec3=NSEC3_OPT_OUT))


@case("dnssec/nsec3-chain-broken", "quiet",
      # Salt and 10 iterations go against RFC 9276 §3.1: nsec3-parameters' warning, as intended.
      also=[("dnssec/nsec3-parameters", "example.test.", "NSEC3PARAM")])
def nsec3_salted_chain(kit):
    # A salted, iterated chain is complete: only nsec3-parameters has something to say.
    return kit.check(kit.signed(ORIGIN, nsec3=("AABBCCDD", 10, False)))


@case("dnssec/nsec3-chain-broken", "quiet")
def nsec3_in_nsec_zone(kit):
    return kit.check(kit.signed(ORIGIN))


# ---- dnssec/nsec3-parameters --------------------------------------------------------------------

@case("dnssec/nsec3-parameters", "fires", where=[("example.test.", "NSEC3PARAM")], severity="warning")
def nsec3_salt_and_iterations(kit):
    result = only_one(kit.check(kit.signed(ORIGIN, nsec3=("AABBCCDD", 10, False))), "dnssec/nsec3-parameters")
    return must_not(result, "dnssec/nsec3-chain-broken")


@case("dnssec/nsec3-parameters", "fires", where=[("example.test.", "NSEC3PARAM")], severity="error")
def nsec3param_removed(kit):
    z = kit.signed(ORIGIN, nsec3=NSEC3)
    drop_with_signature(z, ORIGIN, "NSEC3PARAM")
    result = must_not(only_one(kit.check(z), "dnssec/nsec3-parameters"), "dnssec/nsec3-chain-broken")
    return must_not(result, "dnssec/nsec-bitmap-mismatch")  # the apex NSEC3 still lists NSEC3PARAM


@case("dnssec/nsec3-parameters", "fires", where=[("example.test.", "NSEC3PARAM")], severity="error",
      # The RRSIG covers the old NSEC3PARAM: the edited one does not verify.
      also=[("dnssec/rrsig-invalid", "example.test.", "NSEC3PARAM")])
def nsec3param_other_salt(kit):
    z = kit.signed(ORIGIN, nsec3=NSEC3)
    set_rdata(z, ORIGIN, "NSEC3PARAM", "1 0 0 0102")
    return must_not(only_one(kit.check(z), "dnssec/nsec3-parameters"), "dnssec/nsec3-chain-broken")


@case("dnssec/nsec3-parameters", "fires", severity="notice")
def nsec3_opt_out_without_insecure_delegations(kit):
    body = "\n".join(l for l in BASE_BODY.splitlines() if "insecure" not in l) + "\n"
    return kit.check(kit.signed(ORIGIN, body=body, nsec3=NSEC3_OPT_OUT))


@case("dnssec/nsec3-parameters", "quiet")
def nsec3_parameters_rfc9276(kit):
    # Near miss: 0 iterations, no salt.
    return kit.check(kit.signed(ORIGIN, nsec3=NSEC3))


@case("dnssec/nsec3-parameters", "quiet")
def nsec3_parameters_opt_out_with_insecure_delegation(kit):
    return kit.check(kit.signed(ORIGIN, nsec3=NSEC3_OPT_OUT))


@case("dnssec/nsec3-parameters", "quiet")
def nsec3_parameters_iterations_within_policy(kit):
    # 10 iterations, no salt, with a profile that allows 10.
    z = kit.signed(ORIGIN, nsec3=("-", 10, False))
    profile = kit.fresh_path("profile.toml")
    profile.write_text("[thresholds]\nmax_nsec3_iterations = 10\n")
    return kit.check(z, "--profile", str(profile))


# ---- dnssec/nsec-ttl (RFC 9077 §3: NSEC/NSEC3 TTL = min(SOA TTL, SOA MINIMUM)) ------------------

def with_soa(soa_ttl: int, minimum: int) -> str:
    """BASE_BODY with the SOA's own TTL and its MINIMUM field set."""
    old = "@        SOA   ns1 hostmaster 2026112701 7200 3600 1209600 300\n"
    assert old in BASE_BODY
    return BASE_BODY.replace(old, f"@ {soa_ttl} SOA ns1 hostmaster 2026112701 7200 3600 1209600 {minimum}\n")


def denial_from(kit, soa_ttl: int, minimum: int, nsec3=None):
    """The zone signed with BASE_BODY's SOA (TTL 3600, MINIMUM 300), but its NSEC or NSEC3
    records and their RRSIGs taken from the same zone signed with the same keys under another
    SOA: dnssec-signzone gives them that SOA's min(TTL, MINIMUM), each signature stays valid and
    its Original TTL matches, as an older signer that used another TTL would have written them."""
    keys = [kit.key(ORIGIN, ksk=True), kit.key(ORIGIN)]
    z = kit.signed(ORIGIN, keys=keys, nsec3=nsec3)
    other = kit.signed(ORIGIN, with_soa(soa_ttl, minimum), keys=keys, nsec3=nsec3)
    rtype = "NSEC" if nsec3 is None else "NSEC3"
    z.drop(rtype=rtype)
    z.drop(rtype="RRSIG", covered=rtype)
    for i in other.records(rtype=rtype) + other.records(rtype="RRSIG", covered=rtype):
        z.add(other.lines[i])
    return z


@case("dnssec/nsec-ttl", "fires", where=[("example.test.", "NSEC")], severity="warning")
def nsec_ttl_longer_than_negative_ttl(kit):
    # An older signer's habit: the SOA MINIMUM of a previous setting (86400), not min(3600, 300).
    return only_one(kit.check(denial_from(kit, 86400, 86400)), "dnssec/nsec-ttl")


@case("dnssec/nsec-ttl", "fires", where=[("example.test.", "NSEC3")], severity="notice")
def nsec3_ttl_shorter_than_negative_ttl(kit):
    return only_one(kit.check(denial_from(kit, 60, 60, nsec3=NSEC3)), "dnssec/nsec-ttl")


@case("dnssec/nsec-ttl", "fires", where=[("example.test.", "NSEC")], severity="warning",
      # The stray NSEC is a leftover partial chain (nsec_leftover_in_nsec3_zone above) and has no
      # RRSIG: two more findings of their own.
      also=[("dnssec/nsec-chain-broken", "mail.example.test.", "NSEC"),
            ("dnssec/rrsig-missing", "mail.example.test.", "NSEC")])
def nsec_ttl_of_a_leftover_nsec_in_nsec3_zone(kit):
    # The NSEC3 records have the right TTL (300); one stray NSEC has 3600. The finding is about
    # that NSEC, and counts the records of both kinds it checked.
    z = kit.signed(ORIGIN, nsec3=NSEC3)
    z.add("mail.example.test. 3600 IN NSEC ns1.example.test. A RRSIG NSEC")
    result = only_one(kit.check(z), "dnssec/nsec-ttl")
    f = result.findings("dnssec/nsec-ttl")[0]
    if not f["message"].startswith("1 of ") or " NSEC and NSEC3 records have a TTL other than 300" not in f["message"]:
        raise AssertionError(f"expected one of the NSEC and NSEC3 records: {f['message']}")
    return result


@case("dnssec/nsec-ttl", "quiet")
def nsec_ttl_from_soa_ttl_below_minimum(kit):
    # SOA TTL 200 below MINIMUM 300: RFC 9077 takes the SOA TTL (dnssec-signzone 9.18 does); a
    # checker that compared with MINIMUM alone would complain.
    return kit.check(kit.signed(ORIGIN, with_soa(200, 300)))


# ---- healthy zones: no rule may warn -------------------------------------------------------------

@case("", "healthy")
def healthy_nsec_zone(kit):
    return kit.check(kit.signed(ORIGIN))


@case("", "healthy")
def healthy_nsec3_zone(kit):
    return kit.check(kit.signed(ORIGIN, nsec3=NSEC3))


@case("", "healthy")
def healthy_nsec3_opt_out_zone(kit):
    return kit.check(kit.signed(ORIGIN, nsec3=NSEC3_OPT_OUT))
