// The root hints: the parser of named.root files, and IANA's built in (probe/named.root).

#include <algorithm>
#include <cctype>
#include <sstream>

#include <asio.hpp>
#include <fmt/format.h>

#include "dns/rr.hpp"
#include "probe/walker.hpp"

namespace zw::probe {

// IANA's named.root (probe/named.root), embedded at build time.
extern const std::string_view k_named_root;

const std::vector<std::pair<std::string, std::string>>& builtin_root_hints() {
  // Read by the parser of --hints files; the unit tests check that it reads (13 servers).
  static const std::vector<std::pair<std::string, std::string>> hints = [] {
    Result<std::vector<std::pair<std::string, std::string>>> parsed = parse_root_hints(k_named_root);
    return parsed ? std::move(*parsed) : std::vector<std::pair<std::string, std::string>>{};
  }();
  return hints;
}

Result<std::vector<std::pair<std::string, std::string>>> parse_root_hints(std::string_view named_root_text) {
  std::vector<std::string> ns_names;
  std::vector<std::pair<std::string, std::string>> addresses;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos <= named_root_text.size()) {
    const std::size_t end = std::min(named_root_text.find('\n', pos), named_root_text.size());
    std::string line(named_root_text.substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (const std::size_t semi = line.find(';'); semi != std::string::npos) {
      line.erase(semi);
    }
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string w; in >> w;) {
      words.push_back(w);
    }
    if (words.empty() || words[0].starts_with('$')) {
      continue;
    }
    // owner [ttl] [class] type rdata, ttl and class in either order (RFC 1035 §5.1).
    std::size_t i = 1;
    for (int k = 0; k < 2 && i < words.size(); ++k) {
      const std::string& w = words[i];
      const bool is_ttl = !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
      const bool is_class = w == "IN" || w == "in";
      if (is_ttl || is_class) {
        ++i;
      }
    }
    if (i + 2 != words.size()) {
      return fail(fmt::format("line {}: expected \"owner [ttl] [class] type rdata\"", line_no));
    }
    Result<std::string> owner = dns::normalize_name(words[0]);
    if (!owner) {
      return fail(fmt::format("line {}: {}", line_no, owner.error().message));
    }
    std::string type = words[i];
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const std::string& rdata = words[i + 1];
    if (type == "NS") {
      if (*owner != ".") {
        return fail(fmt::format("line {}: NS record for {}, root hints hold only the root's", line_no, *owner));
      }
      Result<std::string> target = dns::normalize_name(rdata);
      if (!target) {
        return fail(fmt::format("line {}: {}", line_no, target.error().message));
      }
      ns_names.push_back(*target);
    } else if (type == "A" || type == "AAAA") {
      std::error_code ec;
      const asio::ip::address address = asio::ip::make_address(rdata, ec);
      if (ec || (type == "A") != address.is_v4()) {
        return fail(fmt::format("line {}: {} is not an {} address", line_no, rdata, type == "A" ? "IPv4" : "IPv6"));
      }
      addresses.emplace_back(*owner, address.to_string());
    } else {
      return fail(fmt::format("line {}: unexpected type {} in root hints", line_no, words[i]));
    }
  }
  std::vector<std::pair<std::string, std::string>> hints;
  for (const auto& [name, address] : addresses) {
    if (ns_names.empty() || std::find(ns_names.begin(), ns_names.end(), name) != ns_names.end()) {
      hints.emplace_back(name, address);
    }
  }
  if (hints.empty()) {
    return fail("root hints: no address for any root server");
  }
  return hints;
}

} // namespace zw::probe
