// JSON Lines reporter: one finding per line, nothing else, so that `grep`, `jq -c` and log
// shippers can stream it. Keys keep a fixed order (ordered_json), unlike the sorted JSON report.

#include <nlohmann/json.hpp>

#include "report/finding_json.hpp"
#include "zonewarden/report.hpp"

namespace zw {

std::string render_jsonl(const AuditResult& result) {
  using nlohmann::ordered_json;
  std::string out;
  for (const ZoneResult& z : zones_of(result)) {
    for (const Finding& f : z.findings) {
      ordered_json line = detail::finding_identity<ordered_json>(f);
      line["resolver"] = detail::resolver_json<ordered_json>(f.resolver, false);
      line["suppressed"] = detail::null_if_empty<ordered_json>(f.suppressed);
      // dump() escapes control characters, so a line never contains a raw newline; bytes that
      // are not UTF-8 (servers send anything) become U+FFFD rather than an exception.
      out += line.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
      out += '\n';
    }
  }
  return out;
}

} // namespace zw
