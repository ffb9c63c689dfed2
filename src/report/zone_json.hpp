#pragma once
// One zone of a result as the JSON report's `zones` element (DESIGN.md's contract), both ways:
// the JSON reporter and reader use it, and so does the spool of a live audit's judged zones.

#include <nlohmann/json.hpp>

#include "util/json_cursor.hpp"
#include "zonewarden/audit.hpp"

namespace zw::detail {

// json_report.cpp
nlohmann::json zone_json(const ZoneResult& z);
// json_reader.cpp: throws util::JsonShapeError naming the first member that does not read.
ZoneResult zone_from_json(const util::JsonCursor& c);

} // namespace zw::detail
