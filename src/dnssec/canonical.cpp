#include "dnssec/canonical.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>
#include <vector>

namespace zw::dnssec {

namespace {

constexpr std::size_t k_rrsig_fixed = 18; // RFC 4034 §3.1: the RDATA before the signer name
constexpr std::size_t k_max_name = 255;

std::uint8_t lower(std::uint8_t c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<std::uint8_t>(c + ('a' - 'A')) : c;
}

// End of the uncompressed wire name starting at `pos`, or nullopt when it runs past the end, is
// longer than 255 octets or uses a compression pointer or extended label type.
std::optional<std::size_t> name_end(std::span<const std::uint8_t> r, std::size_t pos) noexcept {
  const std::size_t start = pos;
  while (pos < r.size()) {
    const std::uint8_t len = r[pos];
    if (len == 0) {
      return pos - start + 1 <= k_max_name ? std::optional<std::size_t>(pos + 1) : std::nullopt;
    }
    if ((len & 0xC0) != 0) {
      return std::nullopt;
    }
    pos += 1 + len;
  }
  return std::nullopt;
}

// Lowercases the label octets of the valid name at [begin, end) of `r`.
void lowercase_name(std::span<std::uint8_t> r, std::size_t begin, std::size_t end) noexcept {
  std::size_t pos = begin;
  while (pos < end && r[pos] != 0) {
    const std::size_t len = r[pos];
    for (std::size_t i = pos + 1; i <= pos + len; ++i) {
      r[i] = lower(r[i]);
    }
    pos += 1 + len;
  }
}

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
    const std::optional<std::size_t> end = m_ok ? name_end(m_r, m_pos) : std::nullopt;
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
      lowercase_name(target, m_names[i].first, m_names[i].second);
    }
  }

private:
  std::span<const std::uint8_t> m_r;
  std::size_t m_pos = 0;
  bool m_ok = true;
  std::array<std::pair<std::size_t, std::size_t>, 2> m_names{};
  std::size_t m_count = 0;
};

// Types of RFC 4034 §6.2 item 3 (as corrected by RFC 6840 §5.1) that dns/rr.hpp does not name.
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

bool has_embedded_names(std::uint16_t t) noexcept {
  return std::find(k_types_with_names.begin(), k_types_with_names.end(), t) != k_types_with_names.end();
}

// Lowercases the names inside `rdata` of type `t` in place when the whole RDATA parses as that
// type; leaves it untouched otherwise (never reads past its end).
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

void put16(dns::Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xff));
}

void put32(dns::Bytes& out, std::uint32_t v) {
  put16(out, static_cast<std::uint16_t>(v >> 16));
  put16(out, static_cast<std::uint16_t>(v & 0xffff));
}

// Appends the lowercased owner; when the RRSIG has fewer labels than the owner, the wildcard
// owner the signer used, "*." + the rightmost `labels` labels (RFC 4035 §5.3.2).
void put_owner(dns::Bytes& out, std::span<const std::uint8_t> owner, unsigned labels) {
  const unsigned count = dns::label_count(owner);
  std::size_t pos = 0;
  if (labels < count) {
    for (unsigned i = 0; i < count - labels && pos < owner.size(); ++i) {
      pos += 1 + owner[pos];
    }
    pos = std::min(pos, owner.size());
    out.push_back(1);
    out.push_back('*');
  }
  const std::size_t begin = out.size();
  out.insert(out.end(), owner.begin() + static_cast<std::ptrdiff_t>(pos), owner.end());
  const std::span<std::uint8_t> written(out.data() + begin, out.size() - begin);
  if (const std::optional<std::size_t> end = name_end(written, 0)) {
    lowercase_name(written, 0, *end);
  }
}

// One RR's canonical RDATA: either the caller's RDATA itself (no names to lowercase) or a
// lowercased copy kept in `out` at `offset`.
struct Entry {
  const std::uint8_t* external = nullptr;
  std::size_t offset = 0;
  std::size_t length = 0;

  std::span<const std::uint8_t> view(const dns::Bytes& out) const noexcept {
    return {external != nullptr ? external : out.data() + offset, length};
  }
};

constexpr std::size_t k_inline_entries = 32;

} // namespace

void canonical_rdata(std::uint16_t type, std::span<const std::uint8_t> rdata, dns::Bytes& out) {
  out.assign(rdata.begin(), rdata.end());
  if (has_embedded_names(type)) {
    lowercase_embedded_names(type, out);
  }
}

namespace {

// Appends owner | type | class | original TTL | RDLENGTH | canonical RDATA for each of the
// `count` RRs (RDATA `rdata_at(i)`) in canonical order, duplicates once, after the RRSIG header
// already in `out` (RFC 4034 §3.1.8.1, §6.2, §6.3).
template <typename RdataAt>
void append_records(unsigned labels, std::uint32_t original_ttl, std::span<const std::uint8_t> owner,
                    std::uint16_t rtype, std::uint16_t rclass, std::size_t count, RdataAt rdata_at, dns::Bytes& out) {
  if (count == 0) {
    return;
  }
  const std::size_t header_end = out.size();

  // The part every RR shares (§6.2): owner, type, class, original TTL (§3.1.8.1 item 3).
  put_owner(out, owner, labels);
  put16(out, rtype);
  put16(out, rclass);
  put32(out, original_ttl);
  const std::size_t prefix_end = out.size();

  // Canonical RDATA of every RR; lowercased copies go after the prefix.
  std::array<Entry, k_inline_entries> inline_entries;
  std::vector<Entry> heap_entries;
  std::span<Entry> entries(inline_entries.data(), std::min(count, k_inline_entries));
  if (count > k_inline_entries) {
    heap_entries.resize(count);
    entries = heap_entries;
  }
  const bool names = has_embedded_names(rtype);
  for (std::size_t i = 0; i < count; ++i) {
    const std::span<const std::uint8_t> rdata = rdata_at(i);
    if (!names) {
      entries[i] = Entry{rdata.data(), 0, rdata.size()};
      continue;
    }
    const std::size_t offset = out.size();
    out.insert(out.end(), rdata.begin(), rdata.end());
    lowercase_embedded_names(rtype, std::span<std::uint8_t>(out.data() + offset, rdata.size()));
    entries[i] = Entry{nullptr, offset, rdata.size()};
  }

  // §6.3: canonical RR order is the order of canonical RDATA as left-justified octet strings;
  // §3.1.8.1 / RFC 2181 §5: an RRset holds no duplicates, so identical RRs are signed once.
  const auto less = [&out](const Entry& a, const Entry& b) {
    const std::span<const std::uint8_t> x = a.view(out);
    const std::span<const std::uint8_t> y = b.view(out);
    return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end());
  };
  std::sort(entries.begin(), entries.end(), less);

  const std::size_t records_begin = out.size();
  const std::size_t prefix_length = prefix_end - header_end;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0 && !less(entries[i - 1], entries[i])) {
      continue; // sorted, so not less means equal
    }
    const std::size_t at = out.size();
    out.resize(at + prefix_length + 2 + entries[i].length);
    std::copy_n(out.begin() + static_cast<std::ptrdiff_t>(header_end), prefix_length,
                out.begin() + static_cast<std::ptrdiff_t>(at));
    out[at + prefix_length] = static_cast<std::uint8_t>(entries[i].length >> 8);
    out[at + prefix_length + 1] = static_cast<std::uint8_t>(entries[i].length & 0xff);
    const std::span<const std::uint8_t> rdata = entries[i].view(out);
    std::copy(rdata.begin(), rdata.end(), out.begin() + static_cast<std::ptrdiff_t>(at + prefix_length + 2));
  }
  // Drop the shared prefix and the lowercased copies that sat between header and records.
  out.erase(out.begin() + static_cast<std::ptrdiff_t>(header_end),
            out.begin() + static_cast<std::ptrdiff_t>(records_begin));
}

// Lowercases the signer name that starts at k_rrsig_fixed in the header at the start of `out`.
void lowercase_signer(dns::Bytes& out) noexcept {
  const std::span<std::uint8_t> header(out);
  if (const std::optional<std::size_t> end = name_end(header, k_rrsig_fixed)) {
    lowercase_name(header, k_rrsig_fixed, *end);
  }
}

} // namespace

void signed_data(const RrsigFields& sig, std::span<const dns::Rr> rrset, const dns::Rr& rrsig_rr, dns::Bytes& out) {
  out.clear();
  // RFC 4034 §3.1.8.1: RRSIG_RDATA without the signature, signer name in canonical form. The
  // octets are taken from the RRSIG as received, which is what the signer hashed.
  const std::size_t sig_prefix = k_rrsig_fixed + sig.signer.size();
  if (rrsig_rr.rdata.size() >= sig_prefix) {
    out.insert(out.end(), rrsig_rr.rdata.begin(), rrsig_rr.rdata.begin() + static_cast<std::ptrdiff_t>(sig_prefix));
  } else {
    put16(out, sig.type_covered);
    out.push_back(sig.algorithm);
    out.push_back(sig.labels);
    put32(out, sig.original_ttl);
    put32(out, sig.expiration);
    put32(out, sig.inception);
    put16(out, sig.key_tag);
    out.insert(out.end(), sig.signer.begin(), sig.signer.end());
  }
  lowercase_signer(out);
  if (rrset.empty()) {
    return;
  }
  const dns::Rr& first = rrset.front();
  append_records(
      sig.labels, sig.original_ttl, first.owner, first.type, first.rclass, rrset.size(),
      [&](std::size_t i) { return std::span<const std::uint8_t>(rrset[i].rdata); }, out);
}

void signed_data(const RrsigView& sig, const dns::RrsetView& rrset, std::span<const std::uint8_t> rrsig_rdata,
                 dns::Bytes& out) {
  out.clear();
  const std::size_t sig_prefix = k_rrsig_fixed + sig.signer.size();
  out.insert(out.end(), rrsig_rdata.begin(),
             rrsig_rdata.begin() + static_cast<std::ptrdiff_t>(std::min(sig_prefix, rrsig_rdata.size())));
  lowercase_signer(out);
  append_records(
      sig.labels, sig.original_ttl, rrset.owner(), rrset.type(), rrset.rclass(), rrset.size(),
      [&](std::size_t i) { return rrset.rdata(i); }, out);
}

} // namespace zw::dnssec
