"""Zone structure: the zone/* rules (SOA and apex NS, CNAME and other data, occluded data below
delegations and DNAMEs, glue, TTLs within an RRset, alias and address-less targets, out-of-zone
data, wildcard NS), plus a healthy unsigned and a healthy signed zone that no rule may complain
about.

Most faults are planted into the UNSIGNED body before signing, so the signed zone is otherwise
correct. dnssec-signzone refuses to load some of them (two SOAs, an SOA below the apex, CNAME
and other data, two CNAMEs, a wildcard NS: "fatal: failed loading zone"); those are added to the
signed text instead, where the DNSSEC rules may also complain about the unsigned addition. Only
the rule under test is asserted, except where a case checks that one fault gives one finding.
"""
from zonekit import BASE_BODY, case

ORIGIN = "example.test."


def without(body: str, *lines: str) -> str:
    """`body` with each of `lines` (exact text, without the newline) removed."""
    for line in lines:
        assert line + "\n" in body, line
        body = body.replace(line + "\n", "", 1)
    return body


def only_one(result, rule):
    """One root cause, one finding: `rule` reports exactly once."""
    found = result.findings(rule)
    if len(found) != 1:
        raise AssertionError(f"expected one {rule} finding, got {len(found)}: {result.summary()}")
    return result


def must_not(result, *rules):
    for rule in rules:
        if result.findings(rule):
            raise AssertionError(f"{rule} also fired: {result.summary()}")
    return result


# ---- healthy ------------------------------------------------------------------------------------

@case("", "healthy")
def healthy_unsigned(kit):
    return kit.check(kit.unsigned(ORIGIN))


@case("", "healthy")
def healthy_signed_structure(kit):
    return kit.check(kit.signed(ORIGIN))


# ---- zone/soa-count -----------------------------------------------------------------------------

@case("zone/soa-count", "fires", where=[("example.test.", "SOA")], severity="error",
      # The apex SOA RRset now holds two records; its RRSIG covers one (RFC 4034 §3.1.8.1).
      also=[("dnssec/rrsig-invalid", "example.test.", "SOA")])
def soa_twice_at_apex(kit):
    # dnssec-signzone refuses two SOAs ("multiple RRs of singleton type"): add it after signing.
    z = kit.signed(ORIGIN)
    z.add("example.test. 300 IN SOA ns1.example.test. hostmaster.example.test. 2026112702 7200 3600 1209600 300")
    # Its other TTL is part of the same fault, not a second one.
    return must_not(only_one(kit.check(z), "zone/soa-count"), "zone/ttl-mismatch")


@case("zone/soa-count", "fires", where=[("x.example.test.", "SOA")], severity="error",
      # No NS at x, so no cut: x.example.test. is a new authoritative name added after signing,
      # without an NSEC (RFC 4035 §2.3) and without an RRSIG (RFC 4035 §2.2).
      also=[("dnssec/nsec-chain-broken", "www.example.test.", "NSEC"),
            ("dnssec/rrsig-missing", "x.example.test.", "SOA")])
def soa_below_apex(kit):
    z = kit.signed(ORIGIN)
    z.add("x.example.test. 300 IN SOA ns1.example.test. hostmaster.example.test. 1 7200 3600 1209600 300")
    return only_one(kit.check(z), "zone/soa-count")


@case("zone/soa-count", "fires", where=[("example.test.", "SOA")], severity="error")
def soa_missing(kit):
    # No signer takes a zone without SOA; the loader takes the origin from the file name.
    body = without(BASE_BODY, "@        SOA   ns1 hostmaster 2026112701 7200 3600 1209600 300")
    return only_one(kit.check(kit.unsigned(ORIGIN, body)), "zone/soa-count")


@case("zone/soa-count", "quiet")
def soa_exact_duplicate(kit):
    # The same SOA twice is one record (RFC 2181 §5): merged on load, not a second SOA.
    z = kit.signed(ORIGIN)
    z.add(z.lines[z.one("example.test.", "SOA")])
    return kit.check(z)


# ---- zone/apex-ns-missing -----------------------------------------------------------------------

@case("zone/apex-ns-missing", "fires", where=[("example.test.", "NS")], severity="error")
def apex_without_ns(kit):
    body = without(BASE_BODY, "@        NS    ns1", "@        NS    ns2")
    return only_one(kit.check(kit.signed(ORIGIN, body)), "zone/apex-ns-missing")


@case("zone/apex-ns-missing", "quiet")
def apex_with_one_ns(kit):
    return kit.check(kit.signed(ORIGIN, without(BASE_BODY, "@        NS    ns2")))


# ---- zone/cname-and-other-data -----------------------------------------------------------------

@case("zone/cname-and-other-data", "fires", where=[("ftp.example.test.", "CNAME")], severity="error",
      # The TXT is added after signing: ftp's NSEC bitmap omits it (RFC 4035 §2.3) and it has
      # no RRSIG (RFC 4035 §2.2).
      also=[("dnssec/nsec-bitmap-mismatch", "ftp.example.test.", "NSEC"),
            ("dnssec/rrsig-missing", "ftp.example.test.", "TXT")])
def cname_beside_txt(kit):
    # dnssec-signzone refuses "CNAME and other data": add the TXT after signing.
    z = kit.signed(ORIGIN)
    z.add('ftp.example.test. 3600 IN TXT "files"')
    return only_one(kit.check(z), "zone/cname-and-other-data")


@case("zone/cname-and-other-data", "fires", where=[("ftp.example.test.", "CNAME")], severity="error",
      # The CNAME RRset now holds two records; its RRSIG covers one (RFC 4034 §3.1.8.1).
      also=[("dnssec/rrsig-invalid", "ftp.example.test.", "CNAME")])
def two_cnames(kit):
    z = kit.signed(ORIGIN)
    z.add("ftp.example.test. 3600 IN CNAME mail.example.test.")
    return only_one(kit.check(z), "zone/cname-and-other-data")


@case("zone/cname-and-other-data", "fires", where=[("example.test.", "CNAME")], severity="error")
def cname_at_apex(kit):
    return kit.check(kit.unsigned(ORIGIN, BASE_BODY + "@ CNAME www\n"))


@case("zone/cname-and-other-data", "quiet")
def cname_with_rrsig_and_nsec(kit):
    # A signed alias has its RRSIG and NSEC beside the CNAME (RFC 4035 §2.5); an NSEC3 zone has
    # no NSEC there at all.
    must_not(kit.check(kit.signed(ORIGIN, nsec3=("-", 0, False))), "zone/cname-and-other-data")
    return kit.check(kit.signed(ORIGIN))


# ---- zone/data-below-dname ----------------------------------------------------------------------

@case("zone/data-below-dname", "fires", where=[("x.d.example.test.", "A")], severity="error")
def record_below_dname(kit):
    body = BASE_BODY + "d DNAME example.net.\nx.d A 192.0.2.9\nx.d TXT \"below\"\n"
    return only_one(kit.check(kit.signed(ORIGIN, body)), "zone/data-below-dname")


@case("zone/data-below-dname", "quiet")
def dname_with_data_beside(kit):
    # The DNAME owner itself may hold other data; only names below it are occluded.
    return kit.check(kit.signed(ORIGIN, BASE_BODY + "d DNAME example.net.\nd TXT \"redirected\"\n"))


# ---- zone/occluded-data -------------------------------------------------------------------------

@case("zone/occluded-data", "fires", where=[("www.sub.example.test.", "A")], severity="notice")
def address_below_delegation(kit):
    # Meant for the child zone, written into the parent: no NS names www.sub, so it is no glue.
    r = kit.check(kit.signed(ORIGIN, BASE_BODY + "www.sub A 192.0.2.80\n"))
    return only_one(r, "zone/occluded-data")


@case("zone/occluded-data", "fires", where=[("sub.example.test.", "TXT")], severity="warning")
def txt_beside_delegation(kit):
    return only_one(kit.check(kit.signed(ORIGIN, BASE_BODY + "sub TXT \"child data\"\n")), "zone/occluded-data")


@case("zone/occluded-data", "fires", where=[("ns.sub.example.test.", "RRSIG")], severity="warning")
def signed_glue(kit):
    # A signer that ignored the cut: an RRSIG over the glue A record (a copy of www's, re-owned).
    z = kit.signed(ORIGIN)
    sig = z.lines[z.one("www.example.test.", "RRSIG", covered="A")].split()
    z.add(" ".join(["ns.sub.example.test."] + sig[1:]))
    return only_one(kit.check(z), "zone/occluded-data")


@case("zone/occluded-data", "quiet")
def sibling_glue(kit):
    # ns2.sub is below sub but named by the delegation "other": sibling glue (RFC 9471 §2.2).
    body = BASE_BODY + "other NS ns2.sub\nns2.sub A 192.0.2.77\n"
    return must_not(kit.check(kit.signed(ORIGIN, body)), "zone/glue-missing")


# ---- zone/glue-missing --------------------------------------------------------------------------

@case("zone/glue-missing", "fires", where=[("sub.example.test.", "NS")], severity="error")
def delegation_without_glue(kit):
    body = without(BASE_BODY, "ns.sub   A     192.0.2.53")
    return only_one(kit.check(kit.signed(ORIGIN, body)), "zone/glue-missing")


@case("zone/glue-missing", "fires", where=[("sub.example.test.", "NS")], severity="warning")
def delegation_one_glue_of_two_missing(kit):
    # ns.sub still has its glue: resolvers reach sub through it, with less redundancy.
    return only_one(kit.check(kit.signed(ORIGIN, BASE_BODY + "sub NS ns2.sub\n")), "zone/glue-missing")


@case("zone/glue-missing", "fires", where=[("example.test.", "NS")], severity="error")
def apex_name_server_without_address(kit):
    body = without(BASE_BODY, "ns2      A     192.0.2.2")
    return only_one(kit.check(kit.signed(ORIGIN, body)), "zone/glue-missing")


@case("zone/glue-missing", "quiet")
def glue_ipv6_only(kit):
    body = without(BASE_BODY, "ns.sub   A     192.0.2.53") + "ns.sub AAAA 2001:db8::53\n"
    return kit.check(kit.signed(ORIGIN, body))


# ---- zone/ttl-mismatch --------------------------------------------------------------------------

@case("zone/ttl-mismatch", "fires", where=[("example.test.", "NS")], severity="warning")
def ns_records_with_two_ttls(kit):
    # dnssec-signzone evens TTLs out on load, so edit the signed text. The RRSIG still verifies:
    # validators rebuild the RRset with the RRSIG's Original TTL.
    z = kit.signed(ORIGIN)
    i = next(i for i in z.records("example.test.", "NS") if z.lines[i].split()[4] == "ns2.example.test.")
    z.edit_field(i, 1, "300")
    return only_one(kit.check(z), "zone/ttl-mismatch")


@case("zone/ttl-mismatch", "quiet")
def rrsigs_and_nsec_with_their_own_ttls(kit):
    # Every owner of a signed zone has RRSIGs with the TTLs of the RRsets they cover, and an NSEC
    # with the SOA MINIMUM (300) beside data at 3600: none of that is one RRset.
    return kit.check(kit.signed(ORIGIN, BASE_BODY + "www 600 TXT \"own TTL\"\n"))


# ---- zone/target-cname --------------------------------------------------------------------------

@case("zone/target-cname", "fires", where=[("example.test.", "MX")], severity="warning")
def mx_to_alias(kit):
    return only_one(kit.check(kit.signed(ORIGIN, BASE_BODY + "@ MX 20 ftp\n")), "zone/target-cname")


@case("zone/target-cname", "fires", where=[("example.test.", "NS")], severity="error")
def apex_ns_to_alias(kit):
    # BIND refuses to load this zone ("is a CNAME (illegal)"): an error, not a warning.
    return kit.check(kit.signed(ORIGIN, BASE_BODY + "@ NS ftp\n"))


@case("zone/target-cname", "fires", where=[("_sip._tcp.example.test.", "SRV")], severity="warning")
def srv_to_alias(kit):
    return kit.check(kit.signed(ORIGIN, BASE_BODY + "_sip._tcp SRV 0 0 5060 ftp\n"))


@case("zone/target-cname", "quiet")
def mx_to_canonical_name(kit):
    return kit.check(kit.signed(ORIGIN, BASE_BODY + "@ MX 20 www\n_sip._tcp SRV 0 0 5060 www\n"))


# ---- zone/target-no-address ---------------------------------------------------------------------

@case("zone/target-no-address", "fires", where=[("example.test.", "MX")], severity="warning")
def mx_typo(kit):
    return only_one(kit.check(kit.signed(ORIGIN, BASE_BODY + "@ MX 20 mial\n")), "zone/target-no-address")


@case("zone/target-no-address", "quiet")
def null_mx_and_child_targets(kit):
    # A null MX (RFC 7505) names no host; mx.sub lives in the child zone, which holds its address.
    return kit.check(kit.signed(ORIGIN, BASE_BODY + "nomail MX 0 .\n@ MX 20 mx.sub\n"))


# ---- zone/out-of-zone-data ----------------------------------------------------------------------

@case("zone/out-of-zone-data", "fires", where=[("mail.example.", "A")], severity="error")
def absolute_name_missing_a_label(kit):
    # dnssec-signzone drops out-of-zone data, so it is added to the signed text.
    z = kit.signed(ORIGIN)
    z.add("mail.example. 3600 IN A 192.0.2.25")
    return only_one(kit.check(z), "zone/out-of-zone-data")


@case("zone/out-of-zone-data", "quiet")
def absolute_names_inside_the_zone(kit):
    return kit.check(kit.signed(ORIGIN, BASE_BODY + "host.example.test. A 192.0.2.30\n"))


# ---- zone/wildcard-ns ---------------------------------------------------------------------------

@case("zone/wildcard-ns", "fires", where=[("*.customers.example.test.", "NS")], severity="error",
      # Added after signing: a delegation point needs an NSEC (RFC 4035 §2.3), and the NSEC of
      # a.b.c skips *.customers, the next name in canonical order (RFC 4034 §6.1).
      also=[("dnssec/nsec-chain-broken", "a.b.c.example.test.", "NSEC")])
def wildcard_delegation(kit):
    # dnssec-signzone refuses it ("invalid NS owner name (wildcard)"): add it after signing.
    z = kit.signed(ORIGIN)
    z.add("*.customers.example.test. 3600 IN NS ns1.example.test.")
    return only_one(kit.check(z), "zone/wildcard-ns")


@case("zone/wildcard-ns", "quiet")
def wildcard_with_mx(kit):
    return kit.check(kit.signed(ORIGIN, BASE_BODY + "*.wild MX 10 mail\ncustomers NS ns1\n"))
