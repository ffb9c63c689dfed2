#pragma once
// What the history's source files share and nobody else needs: how a stored finding is read.

#include <string>
#include <string_view>

#include "history/history_store.hpp"

namespace zw::history::internal {

// The findings table's columns in the order stored_finding reads them, each prefixed with
// `table.` when `table` is not empty ("f.run_id, f.fingerprint, ...").
std::string finding_columns(std::string_view table);

// The finding in the first twelve columns of the current row of `s` (finding_columns' order).
StoredFinding stored_finding(const db::Query& s);

} // namespace zw::history::internal
