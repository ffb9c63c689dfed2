#include "history/sqlite.hpp"

#include <cctype>

#include <fmt/format.h>

#include "util/text.hpp"

namespace zw::history::sqlite {

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

Result<void> exec(const std::string& path, sqlite3* db, const char* sql) {
  if (const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr); rc != SQLITE_OK) {
    return tl::unexpected<Error>(db_error(path, db, rc));
  }
  return {};
}

} // namespace zw::history::sqlite
