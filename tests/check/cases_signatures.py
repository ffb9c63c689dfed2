"""Cases for the signature and DS rules that judge zone files and live audits alike, and the
healthy zones every rule must leave alone (one per signing algorithm and denial method)."""
from zonekit import case

O = "example.test."
DAY = 86400


# ---- healthy zones: no warning, no error, exit 0 -------------------------------------------------

@case("", "healthy")
def healthy_ecdsa_nsec(kit):
    return kit.check(kit.signed(O, algorithm="ECDSAP256SHA256"))


@case("", "healthy")
def healthy_ecdsa_nsec3(kit):
    return kit.check(kit.signed(O, algorithm="ECDSAP256SHA256", nsec3=("-", 0, False)))


@case("", "healthy")
def healthy_rsa2048_nsec3_optout(kit):
    return kit.check(kit.signed(O, algorithm="RSASHA256", bits=2048, nsec3=("-", 0, True)))


@case("", "healthy")
def healthy_ed25519(kit):
    return kit.check(kit.signed(O, algorithm="ED25519"))


@case("", "healthy")
def healthy_ecdsa384_with_ds(kit):
    z = kit.signed(O, algorithm="ECDSAP384SHA384")
    return kit.check(z, "--ds", str(kit.ds_file(z.keys[0])))


@case("", "healthy")
def healthy_unsigned(kit):
    return kit.check(kit.unsigned(O))


# ---- dnssec/rrsig-invalid ------------------------------------------------------------------------

@case("dnssec/rrsig-invalid", "fires", where=[("www.example.test.", "A")], severity="error")
def corrupted_www_a(kit):
    z = kit.signed(O)
    z.corrupt_signature("www.example.test.", "A")
    result = kit.check(z)
    # The evidence names the file and the line of the RRSIG that failed (issue #9).
    line = 1 + z.one("www.example.test.", "RRSIG", covered="A")
    [f] = result.findings("dnssec/rrsig-invalid")
    if not any(f"{O.rstrip('.')}.zone:{line}: RRSIG " in e for e in f.get("evidence", [])):
        raise AssertionError(f"no evidence at {O.rstrip('.')}.zone:{line}: {f.get('evidence')}")
    return result


@case("dnssec/rrsig-invalid", "fires", where=[("mail.example.test.", "A")], severity="error")
def rdata_changed_after_signing(kit):
    # The data changed after signing (an edit of the signed file): the signature no longer covers it.
    z = kit.signed(O, algorithm="RSASHA256")
    i = z.one("mail.example.test.", "A")
    z.edit_field(i, 4, "192.0.2.26")
    return kit.check(z)


@case("dnssec/rrsig-invalid", "quiet")
def uppercase_owner_is_still_valid(kit):
    # Owner and embedded names in other case: canonical form (RFC 4034 §6.2) must still verify.
    z = kit.signed(O)
    i = z.one("www.example.test.", "A")
    z.replace(i, z.lines[i].replace("www.example.test.", "WWW.Example.TEST.", 1))
    i = z.one("ftp.example.test.", "CNAME")
    z.replace(i, z.lines[i].replace("www.example.test.", "Www.EXAMPLE.test."))
    return kit.check(z)


# ---- time: expired, not yet valid, expiring soon --------------------------------------------------

@case("dnssec/rrsig-expired", "fires", where=[("example.test.", "SOA")], severity="error")
def all_expired(kit):
    return kit.check(kit.signed(O, start=kit.now - 40 * DAY, end=kit.now - DAY))


@case("dnssec/rrsig-expired", "quiet",
      # Valid for one more day: inside the default 3-day expiry window.
      also=[("dnssec/rrsig-expiring-soon", "example.test.", "SOA")])
def valid_until_tomorrow(kit):
    return kit.check(kit.signed(O, start=kit.now - DAY, end=kit.now + DAY))


@case("dnssec/rrsig-not-yet-valid", "fires", where=[("example.test.", "SOA")], severity="error")
def all_in_future(kit):
    return kit.check(kit.signed(O, start=kit.now + DAY, end=kit.now + 30 * DAY))


@case("dnssec/rrsig-not-yet-valid", "quiet")
def inception_an_hour_ago(kit):
    return kit.check(kit.signed(O, start=kit.now - 3600, end=kit.now + 30 * DAY))


@case("dnssec/rrsig-expiring-soon", "fires", where=[("example.test.", "SOA")], severity="warning")
def expiring_in_two_days(kit):
    return kit.check(kit.signed(O, start=kit.now - DAY, end=kit.now + 2 * DAY))


@case("dnssec/rrsig-expiring-soon", "quiet",
      # Outside the 1-day window, 2 days of validity is still below the 14-day SOA EXPIRE: one
      # finding per key (its rule page), the ZSK's at the apex SOA, the KSK's at the DNSKEY RRset;
      # type None because zonewarden folds the DNSKEY RRset into the ZSK's finding when the ZSK
      # has the smaller key tag (cases_sigcover.validity_below_soa_expire_per_key_zsk_tag_smaller).
      also=[("dnssec/rrsig-validity-below-soa-expire", "example.test.", None)])
def expiring_in_two_days_window_one_day(kit):
    return kit.check(kit.signed(O, start=kit.now - DAY, end=kit.now + 2 * DAY), "--expiry-window", "1d")


@case("dnssec/rrsig-expired", "fires", where=[("example.test.", "SOA")], severity="error")
def pinned_now_after_expiry(kit):
    # The same zone judged at a pinned --now after its signatures end.
    return kit.check(kit.signed(O, start=kit.now - DAY, end=kit.now + 10 * DAY), now=kit.now + 11 * DAY)


# ---- DS rules with --ds ----------------------------------------------------------------------------

@case("dnssec/ds-no-matching-dnskey", "fires", where=[("example.test.", "DS")], severity="error")
def ds_for_another_key(kit):
    z = kit.signed(O)
    other = kit.key(O, "ECDSAP256SHA256", ksk=True, index=7)
    return kit.check(z, "--ds", str(kit.ds_file(other)))


@case("dnssec/ds-no-matching-dnskey", "quiet")
def ds_for_the_ksk(kit):
    z = kit.signed(O)
    return kit.check(z, "--ds", str(kit.ds_file(z.keys[0])))


@case("dnssec/ds-but-unsigned", "fires", where=[("example.test.", "DNSKEY")], severity="error")
def ds_for_unsigned_zone(kit):
    key = kit.key(O, "ECDSAP256SHA256", ksk=True)
    return kit.check(kit.unsigned(O), "--ds", str(kit.ds_file(key)))


@case("dnssec/ds-but-unsigned", "quiet")
def unsigned_zone_without_ds(kit):
    return kit.check(kit.unsigned(O))


@case("dnssec/dnskey-not-signed-by-ds-key", "fires", where=[("example.test.", "DNSKEY")], severity="error")
def ksk_signature_dropped(kit):
    z = kit.signed(O)
    ksk = z.keys[0]
    z.lines = [l for l in z.lines
               if not (l.split()[3] == "RRSIG" and l.split()[4] == "DNSKEY" and int(l.split()[10]) == ksk.tag)]
    return kit.check(z, "--ds", str(kit.ds_file(ksk)))


@case("dnssec/dnskey-not-signed-by-ds-key", "fires", where=[("example.test.", "DNSKEY")])
def ksk_signature_dropped_no_ds(kit):
    # Without --ds the SEP key stands in for the key the DS will name.
    z = kit.signed(O)
    ksk = z.keys[0]
    z.lines = [l for l in z.lines
               if not (l.split()[3] == "RRSIG" and l.split()[4] == "DNSKEY" and int(l.split()[10]) == ksk.tag)]
    return kit.check(z)


@case("dnssec/dnskey-not-signed-by-ds-key", "quiet")
def zsk_signature_dropped(kit):
    # The KSK still signs the DNSKEY RRset: nothing breaks.
    z = kit.signed(O)
    zsk = z.keys[1]
    z.lines = [l for l in z.lines
               if not (l.split()[3] == "RRSIG" and l.split()[4] == "DNSKEY" and int(l.split()[10]) == zsk.tag)]
    return kit.check(z, "--ds", str(kit.ds_file(z.keys[0])))
