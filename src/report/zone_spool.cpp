#include "report/zone_spool.hpp"

#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "audit/rollover_json.hpp"
#include "report/zone_json.hpp"
#include "util/json_cursor.hpp"

namespace zw::report {

namespace {
using nlohmann::json;
} // namespace

std::shared_ptr<ZoneSpool> ZoneSpool::create(std::size_t zones) {
  auto file = util::SpoolFile::create();
  std::string reason = file ? std::string() : file.error().message;
  return std::shared_ptr<ZoneSpool>(new ZoneSpool(file ? std::move(*file) : nullptr, zones, std::move(reason)));
}

void ZoneSpool::put(std::size_t index, ZoneResult zone) {
  std::optional<util::SpoolFile::Extent> where;
  if (m_file) {
    json doc = detail::zone_json(zone);
    if (zone.rollover) {
      doc["rollover"] = audit::rollover_to_json(*zone.rollover);
    }
    if (auto appended = m_file->append(json::to_cbor(doc))) {
      where = *appended;
    }
  }
  const std::lock_guard lock(m_mutex);
  if (index >= m_slots.size()) {
    m_slots.resize(index + 1);
  }
  Slot& slot = m_slots[index];
  slot.stored = true;
  if (where) {
    slot.where = *where;
  } else {
    m_in_memory.emplace(index, std::move(zone));
  }
}

bool ZoneSpool::has(std::size_t index) const {
  const std::lock_guard lock(m_mutex);
  return index < m_slots.size() && m_slots[index].stored;
}

std::size_t ZoneSpool::size() const {
  const std::lock_guard lock(m_mutex);
  return m_slots.size();
}

ZoneResult ZoneSpool::load(std::size_t index) const {
  Slot slot;
  {
    const std::lock_guard lock(m_mutex);
    slot = m_slots.at(index);
    if (!slot.stored) {
      throw ZoneSourceError(fmt::format("internal error: zone {} of the run was never stored", index));
    }
    if (const auto kept = m_in_memory.find(index); kept != m_in_memory.end()) {
      return kept->second;
    }
  }
  const Result<std::vector<std::uint8_t>> bytes = m_file->read(slot.where);
  if (!bytes) {
    throw ZoneSourceError(fmt::format("the judged zones' {}", bytes.error().message));
  }
  try {
    const json doc = json::from_cbor(*bytes);
    ZoneResult zone = detail::zone_from_json(util::JsonCursor(doc, fmt::format("spooled zone {}", index)));
    if (const auto rollover = doc.find("rollover"); rollover != doc.end()) {
      auto state = audit::rollover_from_json(rollover->get<std::string>());
      if (!state) {
        throw ZoneSourceError(fmt::format("spooled zone {}: {}", index, state.error().message));
      }
      zone.rollover = std::move(*state);
    }
    return zone;
  } catch (const json::exception& e) {
    throw ZoneSourceError(fmt::format("spooled zone {}: {}", index, e.what()));
  } catch (const util::JsonShapeError& e) {
    throw ZoneSourceError(e.message);
  }
}

ZoneResult DerivedZones::load(std::size_t index) const {
  ZoneResult zone = m_from->load(m_order.empty() ? index : m_order.at(index));
  if (m_change) {
    m_change(zone);
  }
  return zone;
}

} // namespace zw::report
