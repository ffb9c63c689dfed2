#pragma once
// One zone of a result as the JSON report's `zones` element (DESIGN.md's contract), both ways:
// the JSON reporter and reader use it, and so does the spool of a live audit's judged zones.

#include <nlohmann/json.hpp>

#include "util/json_cursor.hpp"
#include "util/json_fields.hpp"
#include "zonewarden/audit.hpp"

namespace zw::detail {

// The members of a chain link's DS and DNSKEY entries, for the writer and the reader.
inline constexpr std::tuple k_chain_ds_fields(util::JsonField("key_tag", &ChainLink::Ds::key_tag),
                                              util::JsonField("algorithm", &ChainLink::Ds::algorithm),
                                              util::JsonField("digest_type", &ChainLink::Ds::digest_type),
                                              util::JsonField("matches_key", &ChainLink::Ds::matches_key));
inline constexpr std::tuple k_chain_key_fields(util::JsonField("key_tag", &ChainLink::Key::key_tag),
                                               util::JsonField("algorithm", &ChainLink::Key::algorithm),
                                               util::JsonField("flags", &ChainLink::Key::flags),
                                               util::JsonField("matched_by_ds", &ChainLink::Key::matched_by_ds),
                                               util::JsonField("signs_dnskey", &ChainLink::Key::signs_dnskey));

// json_report.cpp
nlohmann::json zone_json(const ZoneResult& z);
// json_reader.cpp: throws util::JsonShapeError naming the first member that does not read.
ZoneResult zone_from_json(const util::JsonCursor& c);

} // namespace zw::detail
