#pragma once
// A Finding as DESIGN.md's JSON object, shared by the JSON reporter and the explain renderer.

#include <nlohmann/json.hpp>

#include "zonewarden/finding.hpp"

namespace zw::detail {

nlohmann::json finding_json(const Finding& f);

} // namespace zw::detail
