#include "audit/state_spool.hpp"

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "audit/rollover_json.hpp"

namespace zw::audit {

Result<std::unique_ptr<StateSpool>> StateSpool::create() {
  ZW_TRY_ASSIGN(std::unique_ptr<util::SpoolFile> file, util::SpoolFile::create());
  return std::unique_ptr<StateSpool>(new StateSpool(std::move(file)));
}

Result<void> StateSpool::add(const std::string& zone, std::string_view state) {
  ZW_TRY(rollover_from_json(state)); // a damaged state is found now, before the walk
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(state.data());
  ZW_TRY_ASSIGN(const util::SpoolFile::Extent where, m_file->append(std::span(bytes, state.size())));
  m_where.insert_or_assign(zone, where);
  return {};
}

std::optional<RolloverState> StateSpool::find(const std::string& zone) const {
  const auto found = m_where.find(zone);
  if (found == m_where.end()) {
    return std::nullopt;
  }
  const Result<std::vector<std::uint8_t>> bytes = m_file->read(found->second);
  if (!bytes) {
    throw ZoneSourceError(fmt::format("the earlier run's states: {}", bytes.error().message));
  }
  Result<RolloverState> state =
      rollover_from_json(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
  if (!state) { // it read when it was added: the file changed under us
    throw ZoneSourceError(fmt::format("the earlier run's state of {}: {}", zone, state.error().message));
  }
  return std::move(*state);
}

} // namespace zw::audit
