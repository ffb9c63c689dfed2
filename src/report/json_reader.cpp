// Reads back what render_json wrote (`zonewarden report SAVED.json`). Every member is validated
// and the first offending one is named by its path (`zones[3].findings[0].resolver.ede: wrong
// type`): a hand-edited or truncated file is an Error, never a crash. Reading then rendering is
// exact: render_json(read_result_json(render_json(r))) == render_json(r).

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/zone_json.hpp"
#include "util/files.hpp"
#include "util/json_cursor.hpp"
#include "util/json_text.hpp"
#include "util/text.hpp"
#include "util/time.hpp"
#include "zonewarden/report.hpp"

namespace zw {

namespace {

// The longest run or round trip a report may state: a year. More is not a report zonewarden
// wrote, and would overflow the renderers' time arithmetic (a run's start in SARIF).
constexpr double k_max_seconds = 366.0 * 86400.0;

using nlohmann::json;

using Cursor = util::JsonCursor;
using ShapeError = util::JsonShapeError;

ChainLink chain_link_from(const Cursor& c) {
  ChainLink link;
  link.zone = c.member("zone").string();
  link.status = c.member("status").string();
  for (const Cursor& d : c.member("ds").elements()) {
    link.ds.push_back(util::fields_from<ChainLink::Ds>(d, detail::k_chain_ds_fields));
  }
  for (const Cursor& k : c.member("keys").elements()) {
    link.keys.push_back(util::fields_from<ChainLink::Key>(k, detail::k_chain_key_fields));
  }
  return link;
}

ServerRow server_from(const Cursor& c) {
  ServerRow s;
  s.name = c.member("name").string();
  s.address = c.member("address").string();
  if (const Cursor serial = c.member("soa_serial"); !serial.is_null()) {
    s.soa_serial = static_cast<std::uint32_t>(serial.integer(0, std::numeric_limits<std::uint32_t>::max()));
  }
  s.authoritative = c.member("authoritative").boolean();
  s.rcode = c.member("rcode").string_or_null();
  if (const Cursor rtt = c.member("rtt_ms"); !rtt.is_null()) {
    s.rtt_ms = rtt.number(0.0, k_max_seconds * 1000.0);
  }
  s.udp = c.member("udp").string();
  s.tcp = c.member("tcp").string();
  return s;
}

Finding finding_from(const Cursor& c) {
  Finding f;
  f.rule = c.member("rule").string();
  const Cursor severity = c.member("severity");
  const std::optional<Severity> s = severity_from_string(severity.string());
  if (!s) {
    severity.fail_here(
        fmt::format("unknown severity \"{}\" (use error, warning, notice)", util::quote_input(severity.string())));
  }
  f.severity = *s;
  f.location.zone = c.member("zone").string();
  f.location.server = c.member("server").string_or_null();
  f.location.owner = c.member("owner").string();
  f.location.type = c.member("type").string();
  if (c.has("file")) {
    f.location.file = c.member("file").string();
    f.location.line = static_cast<std::uint32_t>(c.member("line").integer(1, 0xffffffff));
  }
  f.message = c.member("message").string();
  f.servers = c.member("servers").strings();
  f.evidence = c.member("evidence").strings();
  // Results saved before suppressions existed have no member; they suppressed nothing.
  if (c.has("suppressed")) {
    f.suppressed = c.member("suppressed").string_or_null();
  }
  const Cursor resolver = c.member("resolver");
  const Cursor rcode = resolver.member("rcode");
  const std::optional<Rcode> r = rcode_from_string(rcode.string());
  if (!r) {
    rcode.fail_here(fmt::format("unknown rcode \"{}\"", util::quote_input(rcode.string())));
  }
  f.resolver.rcode = *r;
  if (const Cursor ede = resolver.member("ede"); !ede.is_null()) {
    // RFC 8914 §5.2: a 16-bit INFO-CODE; the enum's storage holds the assigned range and more.
    f.resolver.ede = static_cast<Ede>(ede.integer(0, std::numeric_limits<std::int16_t>::max()));
  }
  // `ede_text` is derived from `ede`: checked for shape, not stored.
  if (const Cursor text = resolver.member("ede_text"); !text.is_null()) {
    (void)text.string();
  }
  return f;
}

AuditResult result_from(const Cursor& root) {
  if (!root.value().is_object()) {
    root.fail_here("expected a JSON object (a result written by --format json)");
  }
  AuditResult r;
  r.tool = root.member("tool").string();
  const Cursor schema = root.member("schema");
  if (schema.integer(0, std::numeric_limits<std::int64_t>::max()) != 1) {
    schema.fail_here(fmt::format("unsupported schema {} (this version reads schema 1)", schema.value().dump()));
  }
  r.version = root.member("version").string();
  r.command = root.member("command").string();
  r.generated = root.member("generated").time();
  r.now = root.member("now").time();
  r.elapsed_s = root.member("elapsed_s").number(0.0, k_max_seconds);
  // `summary` is derived from the findings and recomputed on output: checked for shape only.
  const Cursor summary = root.member("summary");
  for (const char* key : {"error", "warning", "notice"}) {
    (void)summary.member(key).integer(0, std::numeric_limits<std::int64_t>::max());
  }
  r.policy = root.member("policy").string();
  r.rules_run = root.member("rules_run").strings();
  if (root.has("expiry_window_s")) { // absent in reports written before it was recorded
    r.expiry_window_s = root.member("expiry_window_s").integer(0, std::numeric_limits<std::int64_t>::max());
  }
  for (const Cursor& z : root.member("zones").elements()) {
    r.zones.push_back(detail::zone_from_json(z));
  }
  return r;
}

} // namespace

ZoneResult detail::zone_from_json(const util::JsonCursor& c) {
  ZoneResult z;
  z.zone = c.member("zone").string();
  z.chain = c.member("chain").string();
  for (const Cursor& link : c.member("chain_links").elements()) {
    z.chain_links.push_back(chain_link_from(link));
  }
  for (const Cursor& s : c.member("servers").elements()) {
    z.servers.push_back(server_from(s));
  }
  for (const Cursor& f : c.member("findings").elements()) {
    z.findings.push_back(finding_from(f));
  }
  z.notes = c.member("notes").strings();
  if (const Cursor earliest = c.member("earliest_expiration"); !earliest.is_null()) {
    z.earliest_expiration = earliest.time();
  }
  return z;
}

namespace {

// The document's members, then its zones, each handed to `each_zone` as soon as the parser has
// it (its tree dropped). The first zone that does not read is reported after the document's own
// members have been checked (an unsupported schema says so, not what its zones look like).
template <typename Input>
Result<AuditResult> read_result(Input& text, const std::function<void(ZoneResult&&)>& each_zone) {
  std::optional<std::string> zone_error;
  // Parse errors, and numbers no double holds (1e400), come back naming the byte or member.
  ZW_TRY_ASSIGN(const json doc,
                util::read_json_elements(
                    text, "zones", [&](const Cursor& zone) { each_zone(detail::zone_from_json(zone)); }, zone_error));
  try {
    AuditResult r = result_from(Cursor(doc, "")); // its "zones" is left empty by the parse
    if (zone_error) {
      return fail(*zone_error);
    }
    return r;
  } catch (const ShapeError& e) {
    return fail(e.message);
  }
}

} // namespace

Result<AuditResult> read_result_json(const std::string& text) {
  // Each zone is read as soon as the parser has it, and its tree dropped: a large report is never
  // held whole as a tree.
  std::vector<ZoneResult> zones;
  const std::string_view view = text;
  ZW_TRY_ASSIGN(AuditResult r, read_result(view, [&zones](ZoneResult&& z) { zones.push_back(std::move(z)); }));
  r.zones = std::move(zones);
  return r;
}

Result<AuditResult> read_result_file(const std::string& path, const std::function<void(ZoneResult&&)>& each_zone) {
  ZW_TRY_ASSIGN(std::ifstream in, util::open_input_file(path, util::k_max_report_bytes));
  auto result = read_result(in, each_zone);
  if (!result) {
    return fail(fmt::format("{}: {}", path, result.error().message));
  }
  return result;
}

} // namespace zw
