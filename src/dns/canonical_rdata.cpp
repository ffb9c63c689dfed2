#include "dns/canonical_rdata.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace zw::dns {

std::optional<std::size_t> wire_name_end(std::span<const std::uint8_t> r, std::size_t pos) noexcept {
  const std::size_t length = pos < r.size() ? wire_name_length(r.subspan(pos)) : 0;
  return length == 0 ? std::nullopt : std::optional<std::size_t>(pos + length);
}

// Lowercases the label octets of the valid name at [begin, end) of `r`.
void lowercase_wire_name(std::span<std::uint8_t> r, std::size_t begin, std::size_t end) noexcept {
  std::size_t pos = begin;
  while (pos < end && r[pos] != 0) {
    const std::size_t len = r[pos];
    for (std::size_t i = pos + 1; i <= pos + len; ++i) {
      r[i] = ascii_lower(r[i]);
    }
    pos += 1 + len;
  }
}

namespace {

// Walks an RDATA field by field, recording where the names are; `ok` drops on any overrun.
class Layout {
public:
  explicit Layout(std::span<const std::uint8_t> r) noexcept : m_r(r) {}
  Layout& skip(std::size_t n) noexcept {
    if (m_ok && m_r.size() - m_pos >= n) {
      m_pos += n;
    } else {
      m_ok = false;
    }
    return *this;
  }
  Layout& name() noexcept {
    const std::optional<std::size_t> end = m_ok ? wire_name_end(m_r, m_pos) : std::nullopt;
    if (!end || m_count == m_names.size()) {
      m_ok = false;
      return *this;
    }
    m_names[m_count++] = {m_pos, *end};
    m_pos = *end;
    return *this;
  }
  Layout& character_string() noexcept {
    if (!m_ok || m_pos >= m_r.size()) {
      m_ok = false;
      return *this;
    }
    return skip(1 + static_cast<std::size_t>(m_r[m_pos]));
  }
  Layout& rest() noexcept {
    m_pos = m_r.size();
    return *this;
  }
  bool complete() const noexcept { return m_ok && m_pos == m_r.size(); }
  std::size_t position() const noexcept { return m_pos; }
  void lowercase(std::span<std::uint8_t> target) const noexcept {
    for (std::size_t i = 0; i < m_count; ++i) {
      lowercase_wire_name(target, m_names[i].first, m_names[i].second);
    }
  }

private:
  std::span<const std::uint8_t> m_r;
  std::size_t m_pos = 0;
  bool m_ok = true;
  std::array<std::pair<std::size_t, std::size_t>, 2> m_names{};
  std::size_t m_count = 0;
};

// Types of RFC 4034 §6.2 item 3 (as corrected by RFC 6840 §5.1).
namespace type {
constexpr std::uint16_t ns = 2, md = 3, mf = 4, cname = 5, soa = 6, mb = 7, mg = 8, mr = 9, ptr = 12, minfo = 14,
                        mx = 15, rp = 17, afsdb = 18, rt = 21, sig = 24, px = 26, nxt = 30, srv = 33, naptr = 35,
                        kx = 36, a6 = 38, dname = 39, rrsig = 46;
}

// The types whose RDATA names are lowercased: the list of RFC 4034 §6.2 item 3 without NSEC and
// HINFO, which RFC 6840 §5.1 removed.
constexpr std::array<std::uint16_t, 23> k_types_with_names{
    type::ns,  type::md,    type::mf,    type::cname, type::soa,   type::mb,    type::mg,   type::mr,
    type::ptr, type::minfo, type::mx,    type::rp,    type::afsdb, type::rt,    type::sig,  type::px,
    type::nxt, type::srv,   type::naptr, type::kx,    type::a6,    type::dname, type::rrsig};

} // namespace

bool has_embedded_names(std::uint16_t t) noexcept {
  return std::find(k_types_with_names.begin(), k_types_with_names.end(), t) != k_types_with_names.end();
}

void lowercase_embedded_names(std::uint16_t t, std::span<std::uint8_t> rdata) noexcept {
  Layout layout(rdata);
  switch (t) {
  // A single name: RFC 1035 §3.3, RFC 6672.
  case type::ns:
  case type::md:
  case type::mf:
  case type::cname:
  case type::mb:
  case type::mg:
  case type::mr:
  case type::ptr:
  case type::dname: layout.name(); break;
  // MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM.
  case type::soa: layout.name().name().skip(20); break;
  case type::minfo:
  case type::rp: layout.name().name(); break;
  // A 16-bit preference, then a name.
  case type::mx:
  case type::afsdb:
  case type::rt:
  case type::kx: layout.skip(2).name(); break;
  // RFC 2163: preference, MAP822, MAPX400.
  case type::px: layout.skip(2).name().name(); break;
  // RFC 2782: priority, weight, port, target.
  case type::srv: layout.skip(6).name(); break;
  // RFC 3403: order, preference, flags, services, regexp, replacement.
  case type::naptr: layout.skip(4).character_string().character_string().character_string().name(); break;
  // The signer name after the fixed fields; the signature follows.
  case type::sig:
  case type::rrsig: layout.skip(k_rrsig_fixed).name().rest(); break;
  // RFC 2535 §5.2: next domain name, then the type bitmap.
  case type::nxt: layout.name().rest(); break;
  // RFC 2874 §3.1.1: prefix length, address suffix, prefix name when the length is not zero.
  case type::a6: {
    if (rdata.empty() || rdata[0] > 128) {
      return;
    }
    const std::size_t prefix = rdata[0];
    layout.skip(1 + (128 - prefix + 7) / 8);
    if (prefix > 0) {
      layout.name();
    }
    break;
  }
  default: return;
  }
  if (layout.complete()) {
    layout.lowercase(rdata);
  }
}

void canonical_rdata(std::uint16_t type, std::span<const std::uint8_t> rdata, Bytes& out) {
  out.assign(rdata.begin(), rdata.end());
  if (has_embedded_names(type)) {
    lowercase_embedded_names(type, out);
  }
}

} // namespace zw::dns
