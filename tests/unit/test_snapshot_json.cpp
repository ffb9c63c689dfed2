#include <doctest/doctest.h>

#include "zonewarden/snapshot.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_snapshot_json {

using namespace zw;

namespace {

Snapshot sample() {
  Snapshot s;
  s.tool_version = "test";
  s.started_at = 1795780800;
  s.finished_at = 1795780801;
  s.public_root_hints = false;
  s.trust_anchor = {". 3600 IN DS 1 13 2 00"};
  ZoneSnapshot z;
  z.zone = "example.";
  z.parent = ".";
  Exchange e;
  e.qname = "example.";
  e.qtype = "SOA";
  e.transport = Transport::tcp;
  e.outcome = Outcome::answered;
  e.rcode = 0;
  e.aa = true;
  e.rtt_ms = 1.5;
  e.attempts = 1;
  e.answer = {"example.\t300\tIN\tSOA\tns.example. h.example. 1 2 3 4 5"};
  z.servers.push_back(ServerProbe{"ns.example.", "192.0.2.1", {e}});
  NameServer ns;
  ns.name = "ns.example.";
  ns.at_parent = true;
  ns.glue = {"192.0.2.1"};
  ns.addresses = {"192.0.2.1"};
  z.name_servers.push_back(ns);
  z.parent_views.push_back(ParentView{"a.root.", "192.0.2.53", e, e});
  z.ancestors.push_back(AncestorZone{".", "a.root./192.0.2.53", e, {}});
  z.expected_ds = std::vector<std::string>{"example. 3600 IN DS 1 13 2 00"};
  s.zones.push_back(z);
  return s;
}

// Why reading `snapshot`'s JSON with its first `from` replaced by `to` fails ("" if it does not).
std::string refusal(const Snapshot& snapshot, std::string_view from, std::string_view to) {
  std::string text = snapshot_to_json(snapshot);
  const auto pos = text.find(from);
  REQUIRE(pos != std::string::npos);
  text.replace(pos, from.size(), to);
  const auto read = snapshot_from_json(text);
  return read.has_value() ? "" : read.error().message;
}

} // namespace

TEST_CASE("snapshot::round trip") {
  const Snapshot s = sample();
  const auto back = snapshot_from_json(snapshot_to_json(s));
  REQUIRE(back.has_value());
  CHECK(snapshot_to_json(*back) == snapshot_to_json(s));
  REQUIRE(back->zones.size() == 1);
  CHECK(back->zones[0].servers[0].exchanges[0].transport == Transport::tcp);
  CHECK(back->zones[0].expected_ds.has_value());
  CHECK(back->public_root_hints == false);
}

TEST_CASE("snapshot::bad input is an error naming the member") {
  CHECK_FALSE(snapshot_from_json("").has_value());
  CHECK_FALSE(snapshot_from_json("[]").has_value());
  CHECK_FALSE(snapshot_from_json("{\"kind\": \"zonewarden-snapshot\"}").has_value());
  CHECK(refusal(sample(), "\"answered\"", "\"exploded\"").find("unknown outcome \"exploded\"") != std::string::npos);
  CHECK(refusal(sample(), "\"udp\"", "\"UDP\"").find("unknown transport \"UDP\"") != std::string::npos);
  std::string truncated = snapshot_to_json(sample());
  truncated.resize(truncated.size() / 2);
  CHECK_FALSE(snapshot_from_json(truncated).has_value());
}

TEST_CASE("snapshot::the --walk record survives a round trip and is absent without --walk") {
  Snapshot s = sample();
  CHECK(snapshot_to_json(s).find("nsec_walk") == std::string::npos); // older readers see no change
  s.zones[0].nsec_walk =
      NsecWalk{WalkStatus::incomplete, "--walk-limit 3 reached: stopped before c.example.", "ns.example./192.0.2.1", 3};
  const auto back = snapshot_from_json(snapshot_to_json(s));
  REQUIRE(back.has_value());
  REQUIRE(back->zones[0].nsec_walk.has_value());
  CHECK(back->zones[0].nsec_walk->status == WalkStatus::incomplete);
  CHECK(back->zones[0].nsec_walk->names == 3);
  CHECK(back->zones[0].nsec_walk->server == "ns.example./192.0.2.1");
  CHECK(snapshot_to_json(*back) == snapshot_to_json(s));

  CHECK(refusal(s, "\"incomplete\"", "\"halfway\"").find("unknown walk status \"halfway\"") != std::string::npos);
}

TEST_CASE("snapshot::the --zone-file copy survives a round trip and is absent without --zone-file") {
  Snapshot s = sample();
  CHECK(snapshot_to_json(s).find("zone_file") == std::string::npos); // older readers see no change
  s.zones[0].zone_file = ZoneFileCopy{
      "example.zone",
      {"example.zone", "inc/keys.zone"},
      {{"example. 300 IN SOA ns.example. h.example. 1 2 3 4 5", 0, 2}, {"example. 300 IN DNSKEY 257 3 13 AAAA", 1, 7}},
      2,
      1};
  const auto back = snapshot_from_json(snapshot_to_json(s));
  REQUIRE(back.has_value());
  REQUIRE(back->zones[0].zone_file.has_value());
  const ZoneFileCopy& copy = *back->zones[0].zone_file;
  CHECK(copy.path == "example.zone");
  CHECK(copy.files.size() == 2);
  REQUIRE(copy.records.size() == 2);
  CHECK(copy.records[1].file == 1);
  CHECK(copy.records[1].line == 7);
  CHECK(copy.rrsets == 2);
  CHECK(copy.asked == 1);
  CHECK(snapshot_to_json(*back) == snapshot_to_json(s));

  std::string text = snapshot_to_json(s);
  const auto pos = text.find("\"file\": 1");
  REQUIRE(pos != std::string::npos);
  text.replace(pos, 9, "\"file\": 5");
  const auto bad = snapshot_from_json(text);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message.find("zone_file") != std::string::npos);
}

TEST_CASE("snapshot::a question not asked survives a round trip; older snapshots say it with timeout") {
  Snapshot s = sample();
  Exchange cut;
  cut.qname = "example.";
  cut.qtype = "DNSKEY";
  cut.detail = "the bound --max-queries-per-zone (3) was reached";
  CHECK(cut.outcome == Outcome::not_asked); // an exchange that never happened is not a timeout
  s.zones[0].servers[0].exchanges.push_back(cut);
  const std::string text = snapshot_to_json(s);
  CHECK(text.find("\"not-asked\"") != std::string::npos);
  const auto back = snapshot_from_json(text);
  REQUIRE(back.has_value());
  CHECK(back->zones[0].servers[0].exchanges.back().outcome == Outcome::not_asked);
  CHECK(back->zones[0].servers[0].exchanges.back().detail == cut.detail);

  // Saved before Outcome::not_asked: the deadline's "not sent" was a timeout with this detail.
  Snapshot old = sample();
  Exchange unsent = cut;
  unsent.outcome = Outcome::timeout;
  unsent.detail = std::string(k_not_sent_by_deadline);
  Exchange silent = cut;
  silent.outcome = Outcome::timeout;
  silent.detail = "no response within 2000 ms (2 transmission(s))";
  old.zones[0].servers[0].exchanges.push_back(unsent);
  old.zones[0].servers[0].exchanges.push_back(silent);
  const auto read = snapshot_from_json(snapshot_to_json(old));
  REQUIRE(read.has_value());
  const std::vector<Exchange>& got = read->zones[0].servers[0].exchanges;
  CHECK(got[got.size() - 2].outcome == Outcome::not_asked);
  CHECK(got.back().outcome == Outcome::timeout); // a real timeout stays one
}

TEST_CASE("snapshot::schema 2 is written; schema 1 is read; a newer schema is refused, naming both") {
  const std::string text = snapshot_to_json(sample());
  CHECK(text.find("\"schema\": 2") != std::string::npos);
  std::string old = text;
  old.replace(old.find("\"schema\": 2"), 11, "\"schema\": 1");
  CHECK(snapshot_from_json(old).has_value());
  std::string newer = text;
  newer.replace(newer.find("\"schema\": 2"), 11, "\"schema\": 3");
  const auto refused = snapshot_from_json(newer);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message.find("snapshot schema 3 is not supported (this build reads 1 to 2)") !=
        std::string::npos);
}

} // namespace zw_test_snapshot_json
