#pragma once
// Small RAII helpers over SQLite's C API for the history store: a prepared statement, a
// transaction that rolls back unless committed, and errors worded as ours (STYLE.md §7).

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

#include "zonewarden/error.hpp"

namespace zw::history::sqlite {

// A prepared statement, finalized with the object.
class Statement {
public:
  Statement(sqlite3* db, const char* sql) { m_rc = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr); }
  ~Statement() { sqlite3_finalize(m_stmt); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const noexcept { return m_rc == SQLITE_OK; }
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(m_stmt, i, v); }
  void bind(int i, const std::string& v) {
    sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind_or_null(int i, const std::optional<std::string>& v) {
    if (v) {
      bind(i, *v);
    } else {
      sqlite3_bind_null(m_stmt, i);
    }
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(m_stmt); }
  void reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(m_stmt, col); }
  std::string text(int col) const {
    const unsigned char* p = sqlite3_column_text(m_stmt, col);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
  }

private:
  sqlite3_stmt* m_stmt = nullptr;
  int m_rc = SQLITE_OK;
};

// Rolls back unless committed: a failure anywhere leaves no part of the run behind.
class Transaction {
public:
  explicit Transaction(sqlite3* db) : m_db(db) {}
  ~Transaction() {
    if (!m_done) {
      sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void committed() noexcept { m_done = true; }

private:
  sqlite3* m_db;
  bool m_done = false;
};

// "FILE: reason": SQLite's own message, lower-cased first letter (STYLE.md §7).
Error db_error(const std::string& path, sqlite3* db, int rc);

// Runs `sql` (no parameters: schema and transaction statements only).
Result<void> exec(const std::string& path, sqlite3* db, const char* sql);

} // namespace zw::history::sqlite
