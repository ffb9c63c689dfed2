#pragma once
// The one SQL interface the history store is written against, with two engines behind it: an
// SQLite file (the embedded default) and a PostgreSQL server (many shards writing to one shared
// history). The store's queries are plain SQL both engines run as written; parameters are `?1`,
// `?2`, ... (PostgreSQL's engine turns them into `$1`, `$2`, ...); no data is ever part of SQL
// text. Each engine creates and migrates its own schema (the same tables and columns).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "zonewarden/error.hpp"

namespace zw::history::db {

// A prepared statement. Bind, then next() runs it (on its first call) and steps through its
// rows; reset() makes it ready to be bound and run again.
class Query {
public:
  virtual ~Query() = default;
  Query() = default;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  virtual void bind(int index, std::int64_t value) = 0;
  virtual void bind(int index, const std::string& value) = 0;
  virtual void bind_null(int index) = 0;
  void bind_or_null(int index, const std::optional<std::string>& value) {
    if (value) {
      bind(index, *value);
    } else {
      bind_null(index);
    }
  }
  // true: a row is there to read; false: no more rows. An Error "NAME: reason" when the engine
  // refuses the statement or fails.
  virtual Result<bool> next() = 0;
  virtual void reset() = 0;
  virtual std::int64_t integer(int column) const = 0;
  virtual std::string text(int column) const = 0; // "" for NULL

  // Runs a statement that returns no rows (INSERT, DELETE) to its end.
  Result<void> run() {
    for (;;) {
      ZW_TRY_ASSIGN(const bool row, next());
      if (!row) {
        return {};
      }
    }
  }
};

class Database {
public:
  virtual ~Database() = default;
  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  virtual Result<std::unique_ptr<Query>> prepare(std::string_view sql) = 0;
  // The same for a query of many rows read once, start to end: the engine hands them over as
  // next() asks instead of holding the whole result (PostgreSQL's single-row mode; SQLite steps
  // anyway). No other statement may run on the database until next() has said false, or the
  // query is reset or destroyed.
  virtual Result<std::unique_ptr<Query>> prepare_streamed(std::string_view sql) = 0;
  // Runs statements with no parameters and no rows (schema, temporary tables), `;`-separated.
  virtual Result<void> exec(std::string_view sql) = 0;
  // A transaction that writes: SQLite takes the write lock at once (BEGIN IMMEDIATE), so two
  // writers queue instead of failing at their first write.
  virtual Result<void> begin_write() = 0;
  virtual Result<void> commit() = 0;
  virtual void rollback() noexcept = 0;
  // The history as messages name it: the file's path, or the server's URI without its password.
  virtual const std::string& name() const noexcept = 0;
};

// Rolls back unless committed: a failure anywhere leaves no part of the run behind.
class Transaction {
public:
  explicit Transaction(Database& db) : m_db(db) {}
  ~Transaction() {
    if (!m_done) {
      m_db.rollback();
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Result<void> commit() {
    ZW_TRY(m_db.commit());
    m_done = true;
    return {};
  }

private:
  Database& m_db;
  bool m_done = false;
};

// Rows of one table inserted many to a statement (`INSERT ... VALUES (...), (...), ...`): one
// round trip per batch instead of one per row, which is what a PostgreSQL server across a
// network costs most (SQLite gains a little too). Call flush() before reading what was inserted.
class BatchInsert {
public:
  using Value = std::variant<std::monostate, std::int64_t, std::string>; // monostate: NULL

  // `table_and_columns`: "findings (run_id, rule, ...)"; `columns`: how many; `tail`: after the
  // values ("ON CONFLICT DO NOTHING").
  BatchInsert(Database& db, std::string table_and_columns, int columns, std::string tail = {},
              int rows_per_statement = 100);
  // One row, `columns` values.
  Result<void> add(std::vector<Value> row);
  Result<void> flush();

private:
  Result<void> insert(std::size_t rows);
  std::string sql(std::size_t rows) const;

  Database& m_db;
  std::string m_into;
  std::string m_tail;
  std::size_t m_columns;
  std::size_t m_rows_per_statement;
  std::vector<Value> m_pending;  // rows waiting, flattened
  std::unique_ptr<Query> m_full; // the statement for a full batch, prepared once
};

// A `postgresql://` or `postgres://` connection URI rather than a file path.
bool is_postgres_uri(std::string_view spec) noexcept;

// The history file or server named by `spec`, its schema created (when `create`) or brought up
// to date. One-line Errors naming the history: missing, not a zonewarden history, written by a
// newer zonewarden, the server's refusal.
Result<std::unique_ptr<Database>> open(const std::string& spec, bool create);

// The engines (database.cpp chooses).
Result<std::unique_ptr<Database>> open_sqlite(const std::string& path, bool create);
Result<std::unique_ptr<Database>> open_postgres(const std::string& uri, bool create);

// `uri` with any password (user:PASSWORD@, password=PASSWORD) replaced by "***", for messages.
std::string redact_uri(std::string_view uri);

} // namespace zw::history::db
