// zones_of(): a result's zones, held in memory or read back from where a live audit spooled them.

#include "zonewarden/audit.hpp"

namespace zw {

const ZoneResult& ZoneResults::iterator::operator*() const {
  if (m_source == nullptr) {
    return (*m_memory)[m_index];
  }
  if (!m_loaded) {
    m_loaded = std::make_shared<const ZoneResult>(m_source->load(m_index));
  }
  return *m_loaded;
}

} // namespace zw
