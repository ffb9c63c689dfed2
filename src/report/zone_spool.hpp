#pragma once
// A live audit's judged zones, kept in an unnamed temporary file as they are judged and read back
// one at a time for the reports and the history (AuditResult::spooled): the run's memory then
// follows the zones in flight, not the fleet (issue #10). Each zone is stored as the JSON
// report's element (CBOR-encoded) with its rollover state, so reading it back is exact.

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "util/spool_file.hpp"
#include "zonewarden/audit.hpp"

namespace zw::report {

class ZoneSpool final : public ZoneResultSource {
public:
  // A spool for `zones` zones in an unnamed file in $TMPDIR (else /tmp), removed by the system
  // when closed, whatever ends the process. When no such file can be made the zones are kept in
  // memory, as without a spool, and in_memory_reason() says why.
  static std::shared_ptr<ZoneSpool> create(std::size_t zones);
  // Why the zones are kept in memory ("/tmp: Read-only file system"); empty when on file.
  [[nodiscard]] const std::string& in_memory_reason() const noexcept { return m_in_memory_reason; }
  ~ZoneSpool() override = default;
  ZoneSpool(const ZoneSpool&) = delete;
  ZoneSpool& operator=(const ZoneSpool&) = delete;

  // Stores the zone at `index` (each once), from any thread; an index at or past size() grows
  // the spool to it. A zone that cannot be written (a full disk) is kept in memory instead: the
  // run loses nothing, only that saving.
  void put(std::size_t index, ZoneResult zone);
  // Whether `index` was stored.
  [[nodiscard]] bool has(std::size_t index) const;

  [[nodiscard]] std::size_t size() const override;
  [[nodiscard]] ZoneResult load(std::size_t index) const override;

private:
  ZoneSpool(std::unique_ptr<util::SpoolFile> file, std::size_t zones, std::string in_memory_reason)
      : m_file(std::move(file)), m_slots(zones), m_in_memory_reason(std::move(in_memory_reason)) {}

  struct Slot {
    util::SpoolFile::Extent where;
    bool stored = false;
  };
  std::unique_ptr<util::SpoolFile> m_file; // null: every zone in memory
  mutable std::mutex m_mutex;
  std::vector<Slot> m_slots;
  std::map<std::size_t, ZoneResult> m_in_memory; // zones whose write failed, or every zone without a file
  std::string m_in_memory_reason;
};

// Another source's zones in the order `order` gives (each an index into it; empty: its own
// order), each passed through `change` as it is read: a saved result's zones graded as they are
// read back, the shards' zones of `report --merge` in canonical order.
class DerivedZones final : public ZoneResultSource {
public:
  DerivedZones(std::shared_ptr<const ZoneResultSource> from, std::vector<std::size_t> order,
               std::function<void(ZoneResult&)> change)
      : m_from(std::move(from)), m_order(std::move(order)), m_change(std::move(change)) {}
  [[nodiscard]] std::size_t size() const override { return m_order.empty() ? m_from->size() : m_order.size(); }
  [[nodiscard]] ZoneResult load(std::size_t index) const override;

private:
  std::shared_ptr<const ZoneResultSource> m_from;
  std::vector<std::size_t> m_order;
  std::function<void(ZoneResult&)> m_change; // may be empty
};

} // namespace zw::report
