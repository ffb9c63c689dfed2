#include "history/database.hpp"

#include <fmt/format.h>

namespace zw::history::db {

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
