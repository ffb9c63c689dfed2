// RolloverState <-> JSON for the history's zones.state column (docs/history.md has the shape).

#include "audit/rollover_json.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/json_cursor.hpp"
#include "util/json_fields.hpp"

namespace zw::audit {

namespace {

using nlohmann::json;
using util::JsonField;

using Key = RolloverState::Key;
constexpr std::tuple k_key_fields(JsonField("id", &Key::id), JsonField("key_tag", &Key::key_tag),
                                  JsonField("algorithm", &Key::algorithm), JsonField("flags", &Key::flags),
                                  JsonField("signs_dnskey", &Key::signs_dnskey),
                                  JsonField("sole_signer", &Key::sole_signer));

using Ds = RolloverState::Ds;
constexpr std::tuple k_ds_fields(JsonField("key_tag", &Ds::key_tag), JsonField("algorithm", &Ds::algorithm),
                                 JsonField("digest_type", &Ds::digest_type), JsonField("digest", &Ds::digest),
                                 JsonField("key", &Ds::key));

json optional_integer(const std::optional<std::int64_t>& v) {
  return v ? json(*v) : json(nullptr);
}

std::optional<std::int64_t> read_optional(const json& j, const char* key) {
  const json& v = j.at(key);
  return v.is_null() ? std::nullopt : std::optional<std::int64_t>(v.get<std::int64_t>());
}

} // namespace

std::string rollover_to_json(const RolloverState& state) {
  json keys = json::array();
  for (const Key& k : state.keys) {
    keys.push_back(util::fields_to_json<json>(k, k_key_fields));
  }
  json ds = json::array();
  for (const Ds& d : state.ds) {
    ds.push_back(util::fields_to_json<json>(d, k_ds_fields));
  }
  const json out = {{"observed", state.observed},
                    {"keys", std::move(keys)},
                    {"dnskey_ttl", state.dnskey_ttl},
                    {"ds_known", state.ds_known},
                    {"ds", std::move(ds)},
                    {"ds_ttl", state.ds_ttl},
                    {"max_data_ttl", state.max_data_ttl},
                    {"earliest_expiration", optional_integer(state.earliest_expiration)},
                    {"cds", state.cds},
                    {"cds_since", state.cds_since},
                    {"signed_until", optional_integer(state.signed_until)},
                    {"validity", state.validity},
                    {"signed_until_since", state.signed_until_since},
                    {"refresh_floor", state.refresh_floor},
                    {"refreshes", state.refreshes}};
  return out.dump();
}

Result<RolloverState> rollover_from_json(std::string_view text) {
  try {
    const json j = json::parse(text);
    RolloverState state;
    state.observed = j.at("observed").get<std::int64_t>();
    for (const util::JsonCursor& k : util::JsonCursor(j, "").member("keys").elements()) {
      state.keys.push_back(util::fields_from<Key>(k, k_key_fields));
    }
    state.dnskey_ttl = j.at("dnskey_ttl").get<std::uint32_t>();
    state.ds_known = j.at("ds_known").get<bool>();
    for (const util::JsonCursor& d : util::JsonCursor(j, "").member("ds").elements()) {
      state.ds.push_back(util::fields_from<Ds>(d, k_ds_fields));
    }
    state.ds_ttl = j.at("ds_ttl").get<std::uint32_t>();
    state.max_data_ttl = j.at("max_data_ttl").get<std::uint32_t>();
    state.earliest_expiration = read_optional(j, "earliest_expiration");
    state.cds = j.at("cds").get<std::vector<std::string>>();
    state.cds_since = j.at("cds_since").get<std::int64_t>();
    // Absent from the states of earlier versions: learning what re-signing looks like starts over.
    if (j.contains("signed_until")) {
      state.signed_until = read_optional(j, "signed_until");
      state.validity = j.at("validity").get<std::int64_t>();
      state.signed_until_since = j.at("signed_until_since").get<std::int64_t>();
      state.refresh_floor = j.at("refresh_floor").get<std::int64_t>();
      state.refreshes = j.at("refreshes").get<std::uint32_t>();
    }
    return state;
  } catch (const json::exception& e) {
    return fail(fmt::format("not a zone state: {}", e.what()));
  } catch (const util::JsonShapeError& e) {
    return fail(fmt::format("not a zone state: {}", e.message));
  }
}

} // namespace zw::audit
