#pragma once
// A zone's RolloverState as one JSON object: the history's zones.state column, and a live audit's
// spooled zones (report::ZoneSpool).

#include <string>
#include <string_view>

#include "zonewarden/audit.hpp"
#include "zonewarden/error.hpp"

namespace zw::audit {

std::string rollover_to_json(const RolloverState& state);
// The state back; an Error naming what is wrong when `text` is not such an object.
Result<RolloverState> rollover_from_json(std::string_view text);

} // namespace zw::audit
