#include "report/html_rule_docs.hpp"

#include <algorithm>

namespace zw::detail {

const RuleDoc* find_rule_doc(std::string_view id) noexcept {
  const std::span<const RuleDoc> docs = rule_docs();
  // The generator sorts pages by path, which is the id order.
  const auto it = std::lower_bound(docs.begin(), docs.end(), id,
                                   [](const RuleDoc& doc, std::string_view key) { return doc.id < key; });
  if (it != docs.end() && it->id == id) {
    return &*it;
  }
  // Fall back to a scan in case a locale sorted the pages differently from byte order.
  const auto found = std::find_if(docs.begin(), docs.end(), [id](const RuleDoc& doc) { return doc.id == id; });
  return found == docs.end() ? nullptr : &*found;
}

} // namespace zw::detail
