// dnssec::check_zonemd against the RFC 8976 Appendix A zones (tests/check/zonemd/, copied from the
// RFC): the digests the RFC publishes are the oracle.
#include <doctest/doctest.h>

#include <string>

#include "dns/zone_layout.hpp"
#include "dns/zone_loader.hpp"
#include "dnssec/zonemd.hpp"
#include "util/text.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_dnssec_zonemd {

namespace {

zw::dnssec::ZonemdCheck check_file(const std::string& name, const std::string& origin) {
  zw::dns::LoadOptions options;
  options.origin = origin;
  const zw::Result<zw::dns::ZoneStore> store = zw::dns::load_zone_file("tests/check/zonemd/" + name, options);
  REQUIRE(store.has_value());
  const zw::dns::ZoneLayout layout = zw::dns::ZoneLayout::compute(*store);
  return zw::dnssec::check_zonemd(*store, layout.roles());
}

} // namespace

TEST_CASE("dnssec::check_zonemd RFC 8976 A.1") {
  const zw::dnssec::ZonemdCheck c = check_file("rfc8976-a1-simple.zone", "example.");
  REQUIRE(c.records.size() == 1);
  CHECK(c.records[0].status == zw::dnssec::ZonemdStatus::verified);
  CHECK(zw::util::to_hex(c.records[0].computed) ==
        "c68090d90a7aed716bc459f9340e3d7c1370d4d24b7e2fc3a1ddc0b9a87153b9a9713b3c9ae5cc27777f98b8e730044c");
  CHECK(c.verified());
}

TEST_CASE("dnssec::check_zonemd RFC 8976 A.2: occluded, duplicate, out-of-zone and non-apex data") {
  const zw::dnssec::ZonemdCheck c = check_file("rfc8976-a2-complex.zone", "example.");
  REQUIRE(c.records.size() == 1);
  CHECK(c.records[0].status == zw::dnssec::ZonemdStatus::verified);
}

TEST_CASE("dnssec::check_zonemd RFC 8976 A.3: SHA-384 and SHA-512 verify, private ones do not") {
  const zw::dnssec::ZonemdCheck c = check_file("rfc8976-a3-multiple.zone", "example.");
  REQUIRE(c.records.size() == 4);
  int verified = 0;
  for (const zw::dnssec::ZonemdRecord& r : c.records) {
    if (r.scheme == 1 && (r.hash == 1 || r.hash == 2)) {
      CHECK(r.status == zw::dnssec::ZonemdStatus::verified);
      ++verified;
    } else if (r.hash == 240) {
      CHECK(r.status == zw::dnssec::ZonemdStatus::unsupported_hash);
    } else {
      // "241 1" with 20 octets: hash 1 makes 48 (BIND refuses the zone for it).
      CHECK(r.status == zw::dnssec::ZonemdStatus::malformed);
    }
  }
  CHECK(verified == 2);
}

TEST_CASE("dnssec::check_zonemd RFC 8976 A.5: root-servers.net, SOA twice") {
  const zw::dnssec::ZonemdCheck c = check_file("rfc8976-a5-root-servers.net.zone", "root-servers.net.");
  REQUIRE(c.records.size() == 1);
  CHECK(c.records[0].status == zw::dnssec::ZonemdStatus::verified);
  CHECK(c.soa_serial == 2018091100U);
}

} // namespace zw_test_dnssec_zonemd
