#include "dnssec/canonical.hpp"

#include "dns/canonical_rdata.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>
#include <vector>

namespace zw::dnssec {

namespace {

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
  if (const std::optional<std::size_t> end = dns::wire_name_end(written, 0)) {
    dns::lowercase_wire_name(written, 0, *end);
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
  const bool names = dns::has_embedded_names(rtype);
  for (std::size_t i = 0; i < count; ++i) {
    const std::span<const std::uint8_t> rdata = rdata_at(i);
    if (!names) {
      entries[i] = Entry{rdata.data(), 0, rdata.size()};
      continue;
    }
    const std::size_t offset = out.size();
    out.insert(out.end(), rdata.begin(), rdata.end());
    dns::lowercase_embedded_names(rtype, std::span<std::uint8_t>(out.data() + offset, rdata.size()));
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

// Lowercases the signer name that starts at dns::k_rrsig_fixed in the header at the start of `out`.
void lowercase_signer(dns::Bytes& out) noexcept {
  const std::span<std::uint8_t> header(out);
  if (const std::optional<std::size_t> end = dns::wire_name_end(header, dns::k_rrsig_fixed)) {
    dns::lowercase_wire_name(header, dns::k_rrsig_fixed, *end);
  }
}

} // namespace

void signed_data(const RrsigFields& sig, std::span<const dns::Rr> rrset, const dns::Rr& rrsig_rr, dns::Bytes& out) {
  out.clear();
  // RFC 4034 §3.1.8.1: RRSIG_RDATA without the signature, signer name in canonical form. The
  // octets are taken from the RRSIG as received, which is what the signer hashed.
  const std::size_t sig_prefix = dns::k_rrsig_fixed + sig.signer.size();
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
  const std::size_t sig_prefix = dns::k_rrsig_fixed + sig.signer.size();
  out.insert(out.end(), rrsig_rdata.begin(),
             rrsig_rdata.begin() + static_cast<std::ptrdiff_t>(std::min(sig_prefix, rrsig_rdata.size())));
  lowercase_signer(out);
  append_records(
      sig.labels, sig.original_ttl, rrset.owner(), rrset.type(), rrset.rclass(), rrset.size(),
      [&](std::size_t i) { return rrset.rdata(i); }, out);
}

} // namespace zw::dnssec
