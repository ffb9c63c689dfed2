#pragma once
// A Finding as DESIGN.md's JSON object, shared by the JSON reporter and the explain renderer.

#include <string>

#include <nlohmann/json.hpp>

#include "zonewarden/finding.hpp"

namespace zw::detail {

nlohmann::json finding_json(const Finding& f);

// A nullable string member: null when `text` is empty. `Json` is nlohmann::json or ordered_json.
template <typename Json> Json null_if_empty(const std::string& text) {
  return text.empty() ? Json(nullptr) : Json(text);
}

// The members that say which finding it is, in DESIGN.md's order (JSON Lines keeps it): rule,
// severity, zone, server (null for none), owner, type, message.
template <typename Json> Json finding_identity(const Finding& f) {
  return Json{{"rule", f.rule},
              {"severity", to_string(f.severity)},
              {"zone", f.location.zone},
              {"server", null_if_empty<Json>(f.location.server)},
              {"owner", f.location.owner},
              {"type", f.location.type},
              {"message", f.message}};
}

// {"rcode": "SERVFAIL", "ede": 6} (null when none), with "ede_text" too when `with_text`.
template <typename Json> Json resolver_json(const ResolverImpact& impact, bool with_text) {
  Json out{{"rcode", to_string(impact.rcode)},
           {"ede", impact.ede == Ede::none ? Json(nullptr) : Json(static_cast<int>(impact.ede))}};
  if (with_text) {
    out["ede_text"] = impact.ede == Ede::none ? Json(nullptr) : Json(ede_text(impact.ede));
  }
  return out;
}

} // namespace zw::detail
