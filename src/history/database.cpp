#include "history/database.hpp"

#include <fmt/format.h>

namespace zw::history::db {

std::string history_tables(const SqlDialect& d) {
  return fmt::format(R"(
CREATE TABLE runs (
  {run_id},
  started {big} NOT NULL,
  finished {big} NOT NULL,
  generated {big} NOT NULL,
  version {text} NOT NULL,
  command {text} NOT NULL,
  profile {text} NOT NULL,
  exit_status {int} NOT NULL
);
CREATE TABLE zones (
  run_id {big} NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  zone {text} NOT NULL,
  chain {text} NOT NULL,
  soa_serials {text},
  dnskeys {text},
  ds {text},
  state {text},
  PRIMARY KEY (run_id, zone)
);
CREATE INDEX zones_zone ON zones(zone, run_id);
CREATE TABLE findings ({row}
  run_id {big} NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  fingerprint {text} NOT NULL,
  rule {text} NOT NULL,
  severity {text} NOT NULL,
  zone {text} NOT NULL,
  server {text} NOT NULL,
  owner {text} NOT NULL,
  type {text} NOT NULL,
  file {text} NOT NULL,
  line {big} NOT NULL,
  message {text} NOT NULL,
  suppressed {text} NOT NULL
);
CREATE INDEX findings_run ON findings(run_id);
CREATE INDEX findings_zone ON findings(zone, run_id);
)",
                     fmt::arg("run_id", d.run_id), fmt::arg("big", d.big_integer), fmt::arg("int", d.integer),
                     fmt::arg("text", d.text),
                     fmt::arg("row", d.finding_row.empty() ? std::string() : fmt::format("\n  {},", d.finding_row)));
}

BatchInsert::BatchInsert(Database& db, std::string table_and_columns, int columns, std::string tail,
                         int rows_per_statement)
    : m_db(db), m_into(std::move(table_and_columns)), m_tail(std::move(tail)),
      m_columns(static_cast<std::size_t>(columns)), m_rows_per_statement(static_cast<std::size_t>(rows_per_statement)) {
  m_pending.reserve(m_columns * m_rows_per_statement);
}

std::string BatchInsert::sql(std::size_t rows) const {
  std::string out = fmt::format("INSERT INTO {} VALUES ", m_into);
  std::size_t parameter = 1;
  for (std::size_t r = 0; r < rows; ++r) {
    out += r == 0 ? "(" : ", (";
    for (std::size_t c = 0; c < m_columns; ++c) {
      out += c == 0 ? "?" : ", ?";
      out += std::to_string(parameter++);
    }
    out += ')';
  }
  if (!m_tail.empty()) {
    out += ' ';
    out += m_tail;
  }
  return out;
}

Result<void> BatchInsert::add(std::vector<Value> row) {
  if (row.size() != m_columns) {
    return fail(fmt::format("{}: internal error: {} values for the {} columns of {}", m_db.name(), row.size(),
                            m_columns, m_into));
  }
  for (Value& v : row) {
    m_pending.push_back(std::move(v));
  }
  if (m_pending.size() >= m_columns * m_rows_per_statement) {
    return insert(m_rows_per_statement);
  }
  return {};
}

Result<void> BatchInsert::flush() {
  return m_pending.empty() ? Result<void>{} : insert(m_pending.size() / m_columns);
}

Result<void> BatchInsert::insert(std::size_t rows) {
  std::unique_ptr<Query> partial;
  Query* query = nullptr;
  if (rows == m_rows_per_statement) {
    if (!m_full) {
      ZW_TRY_ASSIGN(m_full, m_db.prepare(sql(rows)));
    }
    query = m_full.get();
  } else {
    ZW_TRY_ASSIGN(partial, m_db.prepare(sql(rows)));
    query = partial.get();
  }
  query->reset();
  int parameter = 1;
  for (const Value& v : m_pending) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
      query->bind(parameter, *i);
    } else if (const auto* t = std::get_if<std::string>(&v)) {
      query->bind(parameter, *t);
    } else {
      query->bind_null(parameter);
    }
    ++parameter;
  }
  m_pending.clear();
  return query->run();
}

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
