// What rollover/resigning-stalled learns of a zone's re-signing from run to run
// (dnssec::carry_resigning) and how the history keeps it (audit::rollover_to_json/from_json).
// Expected values are worked out by hand from the schedules below (docs/rules/rollover/
// resigning-stalled.md gives the rule): times in days from an arbitrary origin.

#include <doctest/doctest.h>

#include <optional>
#include <vector>

#include "audit/rollover_json.hpp"
#include "dnssec/rollover_state.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_rollover_state {

namespace {

constexpr std::int64_t k_day = 86400;
constexpr std::int64_t k_origin = 1'800'000'000;

// One night of a zone: the run's time, and the signatures it served (signed until `until`, made
// for `validity` days); nullopt `until` when nothing of the zone validated.
struct Night {
  double at = 0;
  std::optional<double> until;
  double validity = 30;
};

std::int64_t seconds(double days) {
  return k_origin + static_cast<std::int64_t>(days * static_cast<double>(k_day));
}

// The states of the nights, each carried from the one before.
std::vector<zw::RolloverState> run(const std::vector<Night>& nights) {
  std::vector<zw::RolloverState> out;
  for (const Night& n : nights) {
    zw::RolloverState s;
    s.observed = seconds(n.at);
    if (n.until) {
      s.signed_until = seconds(*n.until);
      s.validity = static_cast<std::int64_t>(n.validity * static_cast<double>(k_day));
    }
    zw::dnssec::carry_resigning(s, out.empty() ? nullptr : &out.back());
    out.push_back(s);
  }
  return out;
}

} // namespace

TEST_CASE("rollover::resigning: a periodic signer's refreshes set the floor") {
  // Signed for 30 days, refreshed when 7.5 days are left (BIND's default schedule), audited on
  // the nights shown. Refreshes between nights 22 and 23 and between 45 and 46: the margin the
  // night before was 8 days each time, the nights a day apart: floor 8 - 1 = 7 days.
  const auto s = run({{0, 30}, {10, 30}, {22, 30}, {23, 53}, {45, 53}, {46, 76}, {68, 76}, {69.5, 76}});
  CHECK(s[0].refreshes == 0);
  CHECK(s[0].signed_until_since == seconds(0));
  CHECK(s[2].refreshes == 0); // shrinking, but never refreshed yet
  CHECK(s[2].signed_until_since == seconds(0));
  CHECK(s[3].refreshes == 1);
  CHECK(s[3].refresh_floor == 7 * k_day);
  CHECK(s[3].signed_until_since == seconds(23));
  CHECK(s[5].refreshes == 2);
  CHECK(s[5].refresh_floor == 7 * k_day);
  CHECK(s[7].refreshes == 2);
  CHECK(s[7].refresh_floor == 7 * k_day);
  CHECK(s[7].signed_until_since == seconds(46));
}

TEST_CASE("rollover::resigning: a re-sign with more than half the validity left is not a refresh") {
  // Re-signed after edits every three days while 27 days are left: the signer's own schedule is
  // never seen, so nothing is learned.
  const auto s = run({{0, 30}, {3, 33}, {6, 36}, {9, 39}, {30, 39}, {33, 39}});
  CHECK(s.back().refreshes == 0);
  CHECK(s.back().refresh_floor == 0);
  CHECK(s.back().signed_until_since == seconds(9));
}

TEST_CASE("rollover::resigning: an early re-sign does not raise the floor") {
  // Forced by hand while 12 days were left (night 18 -> 19: floor 12 - 1 = 11), then on schedule
  // while 8 were (night 41 -> 42: 7): the floor is the lowest, 7 days.
  const auto s = run({{0, 30}, {18, 30}, {19, 49}, {41, 49}, {42, 71}});
  CHECK(s[2].refreshes == 1);
  CHECK(s[2].refresh_floor == 11 * k_day);
  CHECK(s[4].refreshes == 2);
  CHECK(s[4].refresh_floor == 7 * k_day);
}

TEST_CASE("rollover::resigning: runs further apart than the margin teach nothing") {
  // The night before the refresh 8 days were left, and the next run came 9 days later: the
  // signer may have re-signed at any margin up to 8 days; no lower bound, no refresh counted.
  const auto s = run({{0, 30}, {22, 30}, {31, 60}});
  CHECK(s.back().refreshes == 0);
  CHECK(s.back().refresh_floor == 0);
}

TEST_CASE("rollover::resigning: another validity period starts the learning over") {
  const auto s = run({{0, 30}, {22, 30}, {23, 53}, {45, 53}, {46, 76}, {47, 61, 14}, {58, 61, 14}});
  CHECK(s[4].refreshes == 2);
  CHECK(s[5].refreshes == 0); // 30 -> 14 days: another policy
  CHECK(s[5].refresh_floor == 0);
  CHECK(s[6].refreshes == 0);
  // A jitter of the validity (30 -> 27 days) is the same policy.
  const auto j = run({{0, 30}, {22, 30}, {23, 50, 27}});
  CHECK(j.back().refreshes == 1);
  CHECK(j.back().refresh_floor == 7 * k_day);
}

TEST_CASE("rollover::resigning: a night without signatures keeps what was learned") {
  // Night 46: nothing of the zone validated (or answered); the floor stays, and the night after
  // does not count as a refresh (there is no margin of the night before to learn from).
  const auto s = run({{0, 30}, {22, 30}, {23, 53}, {45, 53}, {46, std::nullopt}, {47, 76}});
  CHECK(s[4].refreshes == 1);
  CHECK(s[4].refresh_floor == 7 * k_day);
  CHECK(s[5].refreshes == 1);
  CHECK(s[5].signed_until_since == seconds(47));
}

TEST_CASE("rollover::resigning: a replay older than the history learns nothing") {
  const auto s = run({{0, 30}, {22, 30}, {23, 53}, {10, 30}});
  CHECK(s[3].refreshes == 1);
  CHECK(s[3].refresh_floor == 7 * k_day);
  CHECK(s[3].signed_until_since == seconds(10));
}

TEST_CASE("rollover::resigning: the history keeps the learned fields, and reads older states") {
  const auto s = run({{0, 30}, {22, 30}, {23, 53}, {24, 53}});
  const auto back = zw::audit::rollover_from_json(zw::audit::rollover_to_json(s.back()));
  REQUIRE(back.has_value());
  CHECK(back->signed_until == s.back().signed_until);
  CHECK(back->validity == 30 * k_day);
  CHECK(back->signed_until_since == seconds(23));
  CHECK(back->refresh_floor == 7 * k_day);
  CHECK(back->refreshes == 1);
  // A state recorded before these fields existed: nothing learned, nothing refused.
  const auto old = zw::audit::rollover_from_json(
      R"({"observed": 1800000000, "keys": [], "dnskey_ttl": 3600, "ds_known": true, "ds": [], "ds_ttl": 3600,
          "max_data_ttl": 3600, "earliest_expiration": 1802592000, "cds": [], "cds_since": 1800000000})");
  REQUIRE(old.has_value());
  CHECK_FALSE(old->signed_until.has_value());
  CHECK(old->refreshes == 0);
  CHECK(old->refresh_floor == 0);
  // A damaged one is refused with a reason.
  CHECK_FALSE(zw::audit::rollover_from_json(
                  R"({"observed": 1, "keys": [], "dnskey_ttl": 1, "ds_known": true, "ds": [], "ds_ttl": 1,
                      "max_data_ttl": 1, "earliest_expiration": null, "cds": [], "cds_since": 1,
                      "signed_until": 5, "validity": "long"})")
                  .has_value());
}

} // namespace zw_test_rollover_state
