#pragma once
// The earlier run's states of a fleet's zones (what the rollover rules compare with), on file:
// each state's JSON text in a util::SpoolFile, and in memory only each zone's name and where its
// state is (about 100 bytes a zone, against 500 for the state itself).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "util/spool_file.hpp"
#include "zonewarden/audit.hpp"
#include "zonewarden/error.hpp"

namespace zw::audit {

class StateSpool final : public PreviousStates {
public:
  // An Error "DIR: reason" when no temporary file can be made (keep the states in a map then).
  static Result<std::unique_ptr<StateSpool>> create();

  // Keeps the state of `zone` (lower case, final dot), the history's JSON text of it; an Error
  // when the text is not a state or cannot be written. A zone added again takes the later one.
  Result<void> add(const std::string& zone, std::string_view state);
  [[nodiscard]] std::size_t size() const noexcept { return m_where.size(); }

  // Throws ZoneSourceError when the file cannot be read back (an I/O error).
  [[nodiscard]] std::optional<RolloverState> find(const std::string& zone) const override;

private:
  explicit StateSpool(std::unique_ptr<util::SpoolFile> file) : m_file(std::move(file)) {}
  std::unique_ptr<util::SpoolFile> m_file;
  std::unordered_map<std::string, util::SpoolFile::Extent> m_where; // filled before the judging starts
};

} // namespace zw::audit
