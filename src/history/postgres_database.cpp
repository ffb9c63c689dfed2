// The PostgreSQL engine of the history (libpq): many shards, on many machines, write their runs to
// one shared history. The schema version lives in a table of its own (`zonewarden_meta`); a new
// schema is created under an advisory lock, so shards that start together create it once.

#include <libpq-fe.h>

#include <charconv>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "history/database.hpp"
#include "history/history_store.hpp"
#include "util/text.hpp"

namespace zw::history::db {

namespace {

// The key of the advisory lock under which a schema is created or migrated ("zwhist").
constexpr std::int64_t k_schema_lock = 0x7a7768697374;

// The schema version in a table of its own, then the tables.
std::string postgres_schema() {
  return "CREATE TABLE zonewarden_meta (schema_version integer NOT NULL);\n"
         "INSERT INTO zonewarden_meta VALUES (2);\n" +
         history_tables(k_postgres_dialect);
}

struct ClearResult {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using ResultHandle = std::unique_ptr<PGresult, ClearResult>;

struct FinishConn {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
using ConnHandle = std::unique_ptr<PGconn, FinishConn>;

// The first line of libpq's message, without the severity PostgreSQL puts in front of the
// server's words ("ERROR:  ", "FATAL:  "), which libpq may quote after its own.
std::string first_line(std::string_view view) {
  std::string text(view.substr(0, view.find('\n')));
  for (const std::string_view severity : {"ERROR:  ", "FATAL:  "}) {
    for (std::size_t at = text.find(severity); at != std::string::npos; at = text.find(severity, at)) {
      text.erase(at, severity.size());
    }
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

Error pg_error(const std::string& name, PGconn* conn, const PGresult* result) {
  std::string reason;
  if (result != nullptr) {
    if (const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY); primary != nullptr) {
      reason = first_line(primary);
    }
  }
  if (reason.empty() && conn != nullptr) {
    reason = first_line(PQerrorMessage(conn));
  }
  if (reason.empty()) {
    reason = "the server gave no reason";
  }
  return Error{fmt::format("{}: {}", name, util::quote_input(reason, 200))};
}

bool succeeded(const PGresult* r) {
  const ExecStatusType s = PQresultStatus(r);
  return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

// `?N` parameters as PostgreSQL's `$N` (outside quoted text), and how many there are.
std::pair<std::string, int> to_postgres(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  int count = 0;
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      quote = c == quote ? '\0' : quote;
      out += c;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c == '?' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      int n = 0;
      std::size_t j = i + 1;
      for (; j < sql.size() && sql[j] >= '0' && sql[j] <= '9'; ++j) {
        n = n * 10 + (sql[j] - '0');
      }
      count = std::max(count, n);
      out += '$';
      out.append(sql.substr(i + 1, j - i - 1));
      i = j - 1;
      continue;
    }
    out += c;
  }
  return {std::move(out), count};
}

class PostgresDatabase;

class PostgresQuery final : public Query {
public:
  PostgresQuery(const std::string& name, PGconn* conn, std::string statement, int parameters, bool streamed)
      : m_name(name), m_conn(conn), m_statement(std::move(statement)), m_values(static_cast<std::size_t>(parameters)),
        m_streamed(streamed) {}
  ~PostgresQuery() override {
    m_result.reset();
    drain();
    // Best effort: in a transaction that failed, the statement lives on until the connection ends.
    ResultHandle(PQexec(m_conn, fmt::format("DEALLOCATE {}", m_statement).c_str()));
  }
  PostgresQuery(const PostgresQuery&) = delete;
  PostgresQuery& operator=(const PostgresQuery&) = delete;

  void bind(int index, std::int64_t value) override { slot(index) = std::to_string(value); }
  void bind(int index, const std::string& value) override { slot(index) = value; }
  void bind_null(int index) override { slot(index).reset(); }
  Result<bool> next() override {
    if (m_streamed) {
      return next_streamed();
    }
    if (!m_result) {
      const std::vector<const char*> v = values();
      m_result.reset(
          PQexecPrepared(m_conn, m_statement.c_str(), static_cast<int>(v.size()), v.data(), nullptr, nullptr, 0));
      if (!m_result || !succeeded(m_result.get())) {
        Error e = pg_error(m_name, m_conn, m_result.get());
        m_result.reset();
        return tl::unexpected<Error>(std::move(e));
      }
      m_row = -1;
    }
    ++m_row;
    return m_row < PQntuples(m_result.get());
  }
  void reset() override {
    m_result.reset();
    drain();
    m_started = false;
    for (std::optional<std::string>& v : m_values) {
      v.reset();
    }
  }
  std::int64_t integer(int column) const override {
    const char* value = PQgetvalue(m_result.get(), m_row, column);
    std::int64_t out = 0;
    std::from_chars(value, value + std::char_traits<char>::length(value), out);
    return out;
  }
  std::string text(int column) const override { return PQgetvalue(m_result.get(), m_row, column); }

private:
  std::vector<const char*> values() const {
    std::vector<const char*> out;
    out.reserve(m_values.size());
    for (const std::optional<std::string>& v : m_values) {
      out.push_back(v ? v->c_str() : nullptr);
    }
    return out;
  }

  // Single-row mode: each PGresult holds one row, then one without rows ends the query.
  Result<bool> next_streamed() {
    if (!m_started) {
      const std::vector<const char*> v = values();
      m_started = true;
      m_pending = PQsendQueryPrepared(m_conn, m_statement.c_str(), static_cast<int>(v.size()), v.data(), nullptr,
                                      nullptr, 0) == 1;
      if (!m_pending) {
        return tl::unexpected<Error>(pg_error(m_name, m_conn, nullptr));
      }
      PQsetSingleRowMode(m_conn); // if refused, the rows come in one result: still read right
    }
    if (m_result && m_row + 1 < PQntuples(m_result.get())) {
      ++m_row;
      return true;
    }
    m_result.reset();
    if (!m_pending) {
      return false;
    }
    m_result.reset(PQgetResult(m_conn));
    const ExecStatusType status = m_result ? PQresultStatus(m_result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_SINGLE_TUPLE || (status == PGRES_TUPLES_OK && PQntuples(m_result.get()) > 0)) {
      m_row = 0;
      return true;
    }
    Result<bool> out = false;
    if (!m_result || !succeeded(m_result.get())) {
      out = tl::unexpected<Error>(pg_error(m_name, m_conn, m_result.get()));
    }
    m_result.reset();
    drain();
    return out;
  }

  // Reads and drops what is left of a streamed query, so that the connection takes the next.
  void drain() noexcept {
    if (!m_pending) {
      return;
    }
    while (PGresult* r = PQgetResult(m_conn)) {
      PQclear(r);
    }
    m_pending = false;
  }

  std::optional<std::string>& slot(int index) {
    const auto i = static_cast<std::size_t>(index - 1);
    if (i >= m_values.size()) {
      m_values.resize(i + 1);
    }
    return m_values[i];
  }

  const std::string& m_name;
  PGconn* m_conn;
  std::string m_statement;
  std::vector<std::optional<std::string>> m_values;
  ResultHandle m_result;
  int m_row = -1;
  bool m_streamed = false;
  bool m_started = false; // streamed: sent
  bool m_pending = false; // streamed: results still to read from the connection
};

class PostgresDatabase final : public Database {
public:
  PostgresDatabase(std::string name, ConnHandle conn) : m_name(std::move(name)), m_conn(std::move(conn)) {}

  Result<std::unique_ptr<Query>> prepare(std::string_view sql) override { return prepare_as(sql, false); }
  Result<std::unique_ptr<Query>> prepare_streamed(std::string_view sql) override { return prepare_as(sql, true); }
  Result<void> exec(std::string_view sql) override {
    const ResultHandle r(PQexec(m_conn.get(), std::string(sql).c_str()));
    if (!r || !succeeded(r.get())) {
      return tl::unexpected<Error>(pg_error(m_name, m_conn.get(), r.get()));
    }
    return {};
  }
  Result<void> begin_write() override { return exec("BEGIN"); }
  Result<void> commit() override { return exec("COMMIT"); }
  void rollback() noexcept override { ResultHandle(PQexec(m_conn.get(), "ROLLBACK")); }
  const std::string& name() const noexcept override { return m_name; }

private:
  Result<std::unique_ptr<Query>> prepare_as(std::string_view sql, bool streamed) {
    auto [text, parameters] = to_postgres(sql);
    std::string statement = fmt::format("zw_{}", ++m_prepared);
    const ResultHandle r(PQprepare(m_conn.get(), statement.c_str(), text.c_str(), 0, nullptr));
    if (!r || !succeeded(r.get())) {
      return tl::unexpected<Error>(pg_error(m_name, m_conn.get(), r.get()));
    }
    return std::make_unique<PostgresQuery>(m_name, m_conn.get(), std::move(statement), parameters, streamed);
  }

  std::string m_name;
  ConnHandle m_conn;
  std::uint64_t m_prepared = 0;
};

void ignore_notice(void* /*arg*/, const char* /*message*/) {}

// Creates the schema of a new history under the advisory lock, or checks the one there.
Result<void> create_schema(Database& db, bool create) {
  ZW_TRY(db.begin_write());
  Transaction tx(db);
  ZW_TRY(db.exec(fmt::format("SELECT pg_advisory_xact_lock({})", k_schema_lock)));
  ZW_TRY_ASSIGN(const std::unique_ptr<Query> tables,
                db.prepare("SELECT to_regclass('zonewarden_meta') IS NOT NULL, "
                           "to_regclass('runs') IS NOT NULL OR to_regclass('zones') IS NOT NULL OR "
                           "to_regclass('findings') IS NOT NULL"));
  ZW_TRY(tables->next());
  const bool meta = tables->text(0) == "t";
  const bool ours_by_name = tables->text(1) == "t";
  if (!meta) {
    if (ours_by_name) {
      return fail(fmt::format("{}: a table named runs, zones or findings is there, but this is not a zonewarden "
                              "history (no zonewarden_meta table)",
                              db.name()));
    }
    if (!create) {
      return fail(fmt::format("{}: no zonewarden history in this database", db.name()));
    }
    ZW_TRY(db.exec(postgres_schema()));
    return tx.commit();
  }
  ZW_TRY_ASSIGN(const std::unique_ptr<Query> version, db.prepare("SELECT max(schema_version) FROM zonewarden_meta"));
  ZW_TRY(version->next());
  const std::int64_t v = version->integer(0);
  if (v > k_schema_version) {
    return fail(fmt::format("{}: history schema version {} is newer than this zonewarden's ({}): upgrade zonewarden",
                            db.name(), v, k_schema_version));
  }
  if (v < k_schema_version) {
    // Version 2 is the first this engine wrote: anything older is not ours.
    return fail(fmt::format("{}: history schema version {} is unknown to this zonewarden", db.name(), v));
  }
  return tx.commit();
}

} // namespace

Result<std::unique_ptr<Database>> open_postgres(const std::string& uri, bool create) {
  const std::string name = redact_uri(uri);
  // Every wait has a deadline: the connection (10 s), a server that stops answering (keepalives,
  // 60 s of unacknowledged data), and, unless the URI sets them, each statement and lock wait.
  // Settings in the URI come after these and override them.
  const char* const keywords[] = {"connect_timeout",
                                  "keepalives_idle",
                                  "keepalives_interval",
                                  "keepalives_count",
                                  "tcp_user_timeout",
                                  "application_name",
                                  "dbname",
                                  nullptr};
  const char* const values[] = {"10", "30", "10", "3", "60000", "zonewarden", uri.c_str(), nullptr};
  ConnHandle conn(PQconnectdbParams(keywords, values, 1));
  if (!conn) {
    return fail(fmt::format("{}: out of memory for a connection", name));
  }
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return tl::unexpected<Error>(pg_error(name, conn.get(), nullptr));
  }
  PQsetNoticeProcessor(conn.get(), ignore_notice, nullptr); // "already exists, skipping" and the like
  auto db = std::make_unique<PostgresDatabase>(name, std::move(conn));
  ZW_TRY(db->exec(
      "SELECT set_config('statement_timeout', '900s', false) "
      "WHERE current_setting('statement_timeout') IN ('0', '0ms');"
      "SELECT set_config('lock_timeout', '120s', false) WHERE current_setting('lock_timeout') IN ('0', '0ms')"));
  ZW_TRY(create_schema(*db, create));
  return std::unique_ptr<Database>(std::move(db));
}

} // namespace zw::history::db
