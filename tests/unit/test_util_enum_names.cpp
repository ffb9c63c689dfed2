#include <doctest/doctest.h>

#include "util/enum_names.hpp"
#include "zonewarden/finding.hpp"
#include "zonewarden/snapshot.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_util_enum_names {

using zw::util::EnumName;

enum class Colour : unsigned char { red, green, blue };

constexpr auto k_colours = zw::util::enum_names(
    {EnumName(Colour::red, "red"), EnumName(Colour::green, "green"), EnumName(Colour::blue, "blue")});

TEST_CASE("util::EnumNames reads one table both ways") {
  static_assert(k_colours.text(Colour::green) == "green"); // usable at compile time
  for (const EnumName<Colour>& row : k_colours) {
    CHECK(k_colours.value(row.text) == row.value);
    CHECK(k_colours.text(row.value) == row.text);
  }
  CHECK_FALSE(k_colours.value("Green").has_value()); // names are case-sensitive
  CHECK_FALSE(k_colours.value("").has_value());
  CHECK(k_colours.text(static_cast<Colour>(7)) == "unknown");
  CHECK(k_colours.text(static_cast<Colour>(7), "") == "");
}

TEST_CASE("the names the JSON contract and reports use") {
  // RCODE mnemonics (RFC 1035 §4.1.1, RFC 2136): Rcode::none has no answer to grade and is
  // written NOERROR; NOERROR reads back as noerror.
  CHECK(zw::to_string(zw::Rcode::none) == "NOERROR");
  CHECK(zw::rcode_from_string("NOERROR") == zw::Rcode::noerror);
  CHECK(zw::rcode_from_string("SERVFAIL") == zw::Rcode::servfail);
  CHECK_FALSE(zw::rcode_from_string("servfail").has_value());
  // RFC 8914 §5.2 and RFC 9276 §3.2: the purpose texts; a code without one (15) has none.
  CHECK(zw::ede_text(zw::Ede::dnssec_bogus) == "DNSSEC Bogus");
  CHECK(zw::ede_text(zw::Ede::unsupported_nsec3_iterations) == "Unsupported NSEC3 Iterations Value");
  CHECK(zw::ede_text(static_cast<zw::Ede>(15)) == "");
  CHECK(zw::ede_text(zw::Ede::none) == "");
  CHECK(zw::severity_from_string("warning") == zw::Severity::warning);
  CHECK_FALSE(zw::severity_from_string("fatal").has_value());
  CHECK(zw::resolver_model_from_string("knot-resolver") == zw::ResolverModel::knot_resolver);
  CHECK(zw::to_string(zw::Outcome::network_error) == "network-error");
  CHECK(zw::to_string(zw::WalkStatus::incomplete) == "incomplete");
  CHECK(zw::to_string(zw::Transport::tcp) == "tcp");
}

} // namespace zw_test_util_enum_names
