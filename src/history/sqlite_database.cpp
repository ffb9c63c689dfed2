// The SQLite engine of the history: one file, WAL so readers (a `history` command, a dashboard)
// never block the nightly writer, the schema version in `PRAGMA user_version`.

#include <sqlite3.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "history/database.hpp"
#include "history/history_store.hpp"
#include "util/text.hpp"

namespace zw::history::db {

namespace {

constexpr int k_busy_timeout_ms = 10000;

// The tables, then the schema version where SQLite keeps it.
std::string sqlite_schema() {
  return history_tables(k_sqlite_dialect) + "PRAGMA user_version = 2;\n";
}

// Version 1 -> 2: the zones' states for the rollover rules (RolloverState as JSON).
const char* const k_migrate_1_to_2 = R"(
ALTER TABLE zones ADD COLUMN state TEXT;
CREATE INDEX zones_zone ON zones(zone, run_id);
PRAGMA user_version = 2;
)";

// "FILE: reason": SQLite's own message, lower-cased first letter (STYLE.md §7).
Error db_error(const std::string& path, sqlite3* db, int rc) {
  std::string reason = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (rc == SQLITE_NOTADB || (db != nullptr && sqlite3_errcode(db) == SQLITE_NOTADB)) {
    reason = "not an SQLite database";
  }
  if (!reason.empty()) {
    reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
  }
  return Error{fmt::format("{}: {}", path, util::quote_input(reason, 200))};
}

struct CloseDb {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using DbHandle = std::unique_ptr<sqlite3, CloseDb>;

class SqliteQuery final : public Query {
public:
  SqliteQuery(const std::string& name, sqlite3* db, sqlite3_stmt* stmt) : m_name(name), m_db(db), m_stmt(stmt) {}
  ~SqliteQuery() override { sqlite3_finalize(m_stmt); }
  SqliteQuery(const SqliteQuery&) = delete;
  SqliteQuery& operator=(const SqliteQuery&) = delete;

  void bind(int index, std::int64_t value) override { sqlite3_bind_int64(m_stmt, index, value); }
  void bind(int index, const std::string& value) override {
    sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }
  void bind_null(int index) override { sqlite3_bind_null(m_stmt, index); }
  Result<bool> next() override {
    if (m_done) {
      return false;
    }
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
      return true;
    }
    if (rc == SQLITE_DONE) {
      m_done = true;
      return false;
    }
    return tl::unexpected<Error>(db_error(m_name, m_db, rc));
  }
  void reset() override {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    m_done = false;
  }
  std::int64_t integer(int column) const override { return sqlite3_column_int64(m_stmt, column); }
  std::string text(int column) const override {
    const unsigned char* p = sqlite3_column_text(m_stmt, column);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
  }

private:
  const std::string& m_name;
  sqlite3* m_db;
  sqlite3_stmt* m_stmt;
  bool m_done = false;
};

class SqliteDatabase final : public Database {
public:
  SqliteDatabase(std::string path, DbHandle db) : m_path(std::move(path)), m_db(std::move(db)) {}

  Result<std::unique_ptr<Query>> prepare_streamed(std::string_view sql) override { return prepare(sql); }
  Result<std::unique_ptr<Query>> prepare(std::string_view sql) override {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(m_db.get(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
      return tl::unexpected<Error>(db_error(m_path, m_db.get(), rc));
    }
    return std::make_unique<SqliteQuery>(m_path, m_db.get(), stmt);
  }
  Result<void> exec(std::string_view sql) override {
    const std::string text(sql); // sqlite3_exec wants a terminated string
    if (const int rc = sqlite3_exec(m_db.get(), text.c_str(), nullptr, nullptr, nullptr); rc != SQLITE_OK) {
      return tl::unexpected<Error>(db_error(m_path, m_db.get(), rc));
    }
    return {};
  }
  Result<void> begin_write() override { return exec("BEGIN IMMEDIATE"); }
  Result<void> commit() override { return exec("COMMIT"); }
  void rollback() noexcept override { sqlite3_exec(m_db.get(), "ROLLBACK", nullptr, nullptr, nullptr); }
  const std::string& name() const noexcept override { return m_path; }

private:
  std::string m_path;
  DbHandle m_db;
};

struct SchemaState {
  int version = 0;          // PRAGMA user_version
  std::int64_t objects = 0; // tables, indexes, ... of any kind
};

// Both numbers from one statement, so from one read transaction: read apart, another process
// could create the schema between them (version 0, then its tables: "not a zonewarden history").
Result<SchemaState> schema_state(Database& db) {
  ZW_TRY_ASSIGN(
      const std::unique_ptr<Query> s,
      db.prepare("SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master)"));
  ZW_TRY_ASSIGN(const bool row, s->next());
  if (!row) {
    return fail(fmt::format("{}: the schema version cannot be read", db.name()));
  }
  return SchemaState{static_cast<int>(s->integer(0)), s->integer(1)};
}

// Switches a new history to WAL. The switch reads the file, then needs it to itself; when two
// processes create the history at once, SQLite answers one of them SQLITE_BUSY at once instead
// of letting both wait on each other (its busy handler does not run there), so the switch is
// tried again until the busy timeout. On a file another process already switched it is a no-op.
Result<void> use_wal(const std::string& path, sqlite3* db) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(k_busy_timeout_ms);
  for (;;) {
    sqlite3_stmt* stmt = nullptr;
    if (const int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &stmt, nullptr); rc != SQLITE_OK) {
      return tl::unexpected<Error>(db_error(path, db, rc));
    }
    const int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc == SQLITE_ROW) {
      return {}; // the mode in force: "wal", or the old one where the file system cannot have WAL
    }
    if (rc != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) {
      return tl::unexpected<Error>(db_error(path, db, rc));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Result<void> check_schema(const std::string& path, const SchemaState& state, bool create) {
  if (state.version > k_schema_version) {
    return fail(fmt::format("{}: history schema version {} is newer than this zonewarden's ({}): upgrade zonewarden",
                            path, state.version, k_schema_version));
  }
  if (state.version == 0 && state.objects > 0) {
    return fail(fmt::format("{}: an SQLite database, but not a zonewarden history", path));
  }
  if (state.version == 0 && !create) {
    return fail(fmt::format("{}: an empty SQLite database, not a zonewarden history", path));
  }
  return {};
}

// Creates the schema of a new history, or brings one of an older schema to k_schema_version, in
// one transaction under the write lock; the state is read again there, as another process may
// have done it meanwhile.
Result<void> create_or_migrate(Database& db, bool create) {
  ZW_TRY(db.begin_write());
  Transaction tx(db);
  ZW_TRY_ASSIGN(const SchemaState state, schema_state(db));
  ZW_TRY(check_schema(db.name(), state, create));
  if (state.version == 0) {
    ZW_TRY(db.exec(sqlite_schema()));
  } else if (state.version == 1) {
    ZW_TRY(db.exec(k_migrate_1_to_2));
  }
  return tx.commit();
}

} // namespace

Result<std::unique_ptr<Database>> open_sqlite(const std::string& path, bool create) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (!exists && !create) {
    return fail(fmt::format("{}: no such file", path));
  }
  if (exists && !std::filesystem::is_regular_file(path, ec)) {
    return fail(fmt::format("{}: not a regular file", path));
  }
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  DbHandle handle(raw);
  if (rc != SQLITE_OK) {
    return tl::unexpected<Error>(db_error(path, raw, rc));
  }
  sqlite3* const conn = handle.get();
  sqlite3_busy_timeout(conn, k_busy_timeout_ms);
  sqlite3_extended_result_codes(conn, 0);
  auto db = std::make_unique<SqliteDatabase>(path, std::move(handle));
  // The first read of the file: a file that is not SQLite fails here (SQLITE_NOTADB).
  ZW_TRY_ASSIGN(const SchemaState state, schema_state(*db));
  ZW_TRY(check_schema(path, state, create));
  ZW_TRY(db->exec("PRAGMA foreign_keys = ON"));
  if (state.version == 0) {
    ZW_TRY(use_wal(path, conn));
  }
  if (state.version < k_schema_version) {
    ZW_TRY(create_or_migrate(*db, create));
  }
  return std::unique_ptr<Database>(std::move(db));
}

} // namespace zw::history::db
