#pragma once
// What a rule's code is: the functions of its file that the engine calls. A rule file defines
// one RuleCode named after the rule, in its area's namespace (dnssec/key-revoked:
// `extern const RuleCode key_revoked{.check = &check_key_revoked};` in zw::rules::dnssec), and
// the catalog generated from rules.toml points at it. Each function is handed the rule's
// catalog entry, whose severity and impact are the findings' default grade.

#include "zonewarden/rule.hpp"

namespace zw {
struct ZoneFileInput;
} // namespace zw

namespace zw::rules {

struct RuleCode {
  using Check = void (*)(const RuleContext& ctx, FindingSink& sink, const RuleInfo& info);
  using FileCheck = void (*)(const RuleContext& ctx, const ZoneFileInput& file, FindingSink& sink,
                             const RuleInfo& info);

  // Runs on whatever the context holds: a live audit's observations or a zone file's analysis
  // (the catalog's `inputs` say which).
  Check check = nullptr;
  // Runs when the context holds a loaded zone file (`check`), handed the file.
  FileCheck file = nullptr;
  // Runs in a live audit (no zone file), beside `check`.
  Check live = nullptr;
};

} // namespace zw::rules
