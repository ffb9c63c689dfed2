#include "history/database.hpp"

namespace zw::history::db {

bool is_postgres_uri(std::string_view spec) noexcept {
  return spec.starts_with("postgresql://") || spec.starts_with("postgres://");
}

Result<std::unique_ptr<Database>> open(const std::string& spec, bool create) {
  return is_postgres_uri(spec) ? open_postgres(spec, create) : open_sqlite(spec, create);
}

std::string redact_uri(std::string_view uri) {
  std::string out(uri);
  // postgresql://user:PASSWORD@host/...: the userinfo ends at the last '@' before the path.
  const std::size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const std::size_t start = scheme + 3;
    const std::size_t path = out.find_first_of("/?", start);
    const std::size_t at = out.rfind('@', path == std::string::npos ? std::string::npos : path);
    if (at != std::string::npos && at >= start) {
      const std::size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) {
        out.replace(colon + 1, at - colon - 1, "***");
      }
    }
  }
  // ...?password=PASSWORD&...
  for (std::size_t pos = out.find("password="); pos != std::string::npos; pos = out.find("password=", pos + 1)) {
    if (pos > 0 && out[pos - 1] != '?' && out[pos - 1] != '&') {
      continue;
    }
    const std::size_t value = pos + 9;
    const std::size_t end = std::min(out.find('&', value), out.size());
    out.replace(value, end - value, "***");
  }
  return out;
}

} // namespace zw::history::db
