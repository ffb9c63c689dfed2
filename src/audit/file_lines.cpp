// Every finding of `check` points at a line of the zone file (issue #9): see file_lines.hpp.
#include "audit/file_lines.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "dns/rr.hpp"

namespace zw {

// Every finding of `check` points at its file and line (issue #9). A finding whose message and
// evidence name no line of the zone's files gets the line of the RRset it is located at: for a
// DS at the apex, the lines of the --ds file's records for the zone (else the DNSKEY RRset they
// are matched against); when that RRset is not in the file, the owner's first record or the
// apex SOA. Our own findings (internal/*) and the policy's have no place in the file.
void point_at_file_lines(const dns::ZoneStore& store, const CheckOptions& check, std::vector<Finding>& findings) {
  const auto names_a_line = [&](const std::string& text) { // "file:12"
    return std::any_of(store.files().begin(), store.files().end(), [&](const std::string& file) {
      const std::string prefix = file + ":";
      for (std::size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at + 1)) {
        const std::size_t digit = at + prefix.size();
        if (digit < text.size() && text[digit] >= '0' && text[digit] <= '9') {
          return true;
        }
      }
      return false;
    });
  };
  const std::span<const std::uint8_t> apex = store.origin();
  for (Finding& f : findings) {
    if (f.rule.starts_with("internal/") || f.rule.starts_with("policy/") || names_a_line(f.message) ||
        std::any_of(f.evidence.begin(), f.evidence.end(), names_a_line)) {
      continue;
    }
    const Result<dns::Bytes> owner = dns::name_from_text(f.location.owner.empty() ? f.location.zone : f.location.owner);
    const std::uint16_t type = f.location.type.empty() ? 0 : dns::type_from_text(f.location.type);
    std::string line;
    if (owner) {
      const std::span<const std::uint8_t> wire(*owner);
      const bool apex_ds = type == dns::rrtype::ds && std::equal(wire.begin(), wire.end(), apex.begin(), apex.end());
      if (apex_ds) {
        // The --ds records of this zone: what the DS findings are about; those the finding
        // quotes when it quotes any (ds-stale names one record), else all of them.
        std::vector<std::string> lines;
        std::vector<std::string> quoted;
        for (std::size_t i = 0; i < check.ds_records.size() && i < check.ds_sources.size(); ++i) {
          const std::string& text = check.ds_records[i];
          const auto ds_owner = dns::name_from_text(text.substr(0, text.find_first_of(" \t")));
          if (!ds_owner || !std::equal(ds_owner->begin(), ds_owner->end(), apex.begin(), apex.end())) {
            continue;
          }
          lines.push_back(fmt::format("{}: {}", check.ds_sources[i], text));
          const auto quotes = [&](const std::string& e) { return e.find(text) != std::string::npos; };
          if (quotes(f.message) || std::any_of(f.evidence.begin(), f.evidence.end(), quotes)) {
            quoted.push_back(lines.back());
          }
        }
        const std::vector<std::string>& shown = quoted.empty() ? lines : quoted;
        f.evidence.insert(f.evidence.end(), shown.begin(), shown.end());
        if (!shown.empty()) {
          continue;
        }
      }
      if (const auto rrset = type != 0 ? store.find(wire, type) : std::nullopt) {
        line = fmt::format("{}: {} {}", rrset->location().to_string(), f.location.owner, f.location.type);
      } else if (const auto keys = apex_ds ? store.find(apex, dns::rrtype::dnskey) : std::nullopt) {
        line = fmt::format("{}: the DNSKEY RRset the DS records are matched against", keys->location().to_string());
      } else if (const auto name = store.find_name(wire); name && name->rr_count() > 0) {
        line = fmt::format("{}: {}, its first record", (*name->rrsets().begin()).location().to_string(),
                           dns::name_to_text(name->owner()));
      }
    }
    if (line.empty()) {
      if (const auto soa = store.find(apex, dns::rrtype::soa)) {
        line = fmt::format("{}: the zone's SOA", soa->location().to_string());
      } else if (!store.files().empty()) {
        line = fmt::format("{}: no record of this zone to point at", store.files().front());
      }
    }
    if (!line.empty()) {
      f.evidence.push_back(std::move(line));
    }
  }
  set_file_locations(store, check, findings);
}

namespace {

// The first "file:12" in `text` for one of `files` (longest first), at the start of the text
// or after a space or parenthesis, the number not followed by another digit.
std::optional<std::pair<std::string, std::uint32_t>> first_file_line(std::string_view text,
                                                                     const std::vector<std::string>& files) {
  std::optional<std::pair<std::size_t, std::pair<std::string, std::uint32_t>>> best; // by position
  for (const std::string& file : files) {
    if (file.empty()) {
      continue;
    }
    for (std::size_t at = text.find(file); at != std::string_view::npos; at = text.find(file, at + 1)) {
      if (best && at >= best->first) {
        break;
      }
      const bool starts = at == 0 || text[at - 1] == ' ' || text[at - 1] == '(';
      const std::size_t colon = at + file.size();
      if (!starts || colon + 1 >= text.size() || text[colon] != ':') {
        continue;
      }
      std::uint32_t line = 0;
      const char* first = text.data() + colon + 1;
      const char* last = text.data() + text.size();
      const auto [stop, ec] = std::from_chars(first, last, line);
      if (ec == std::errc() && stop != first && line > 0) {
        best = {at, {file, line}};
        break;
      }
    }
  }
  if (!best) {
    return std::nullopt;
  }
  return best->second;
}

} // namespace

void set_file_locations(const dns::ZoneStore& store, const CheckOptions& check, std::vector<Finding>& findings) {
  std::vector<std::string> files = store.files();
  for (const std::string& source : check.ds_sources) { // "ds.txt:3"
    if (const std::size_t colon = source.rfind(':'); colon != std::string::npos && colon > 0) {
      files.push_back(source.substr(0, colon));
    }
  }
  // Longest first: "a.zone.inc" must not be read as "a.zone" followed by ".inc:3".
  std::sort(files.begin(), files.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  files.erase(std::unique(files.begin(), files.end()), files.end());
  for (Finding& f : findings) {
    if (!f.location.file.empty()) {
      continue;
    }
    for (const std::string& text : f.evidence) {
      if (const auto at = first_file_line(text, files)) {
        f.location.file = at->first;
        f.location.line = at->second;
        break;
      }
    }
  }
}

} // namespace zw
