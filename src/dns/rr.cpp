#include "dns/rr.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <string_view>

#include <fmt/format.h>

#include "dns/ldns_handle.hpp"
#include "util/recent_answers.hpp"
#include "util/text.hpp"

namespace zw::dns {

std::string status_text(ldns_status status) {
  std::string text = ldns_get_errorstr_by_id(status) ? ldns_get_errorstr_by_id(status) : "unknown ldns error";
  if (!text.empty()) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

void MallocFree::operator()(char* p) const noexcept {
  std::free(p);
} // NOLINT: ldns mallocs

namespace {

// The calling thread's print buffer. ldns grows it as a record needs (at most a message's
// 64 KiB); a print that fails leaves its status set for good, so the buffer is then dropped.
template <typename Print> std::string print_with_thread_buffer(Print&& print) {
  thread_local BufferHandle buffer;
  if (!buffer) {
    buffer.reset(ldns_buffer_new(1024));
    if (!buffer) {
      return {};
    }
  }
  ldns_buffer_clear(buffer.get());
  if (print(buffer.get()) != LDNS_STATUS_OK || ldns_buffer_status(buffer.get()) != LDNS_STATUS_OK) {
    buffer.reset();
    return {};
  }
  std::string_view text(reinterpret_cast<const char*>(ldns_buffer_begin(buffer.get())),
                        ldns_buffer_position(buffer.get()));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

} // namespace

std::string rr_to_text(const ldns_rr* rr, const ldns_output_format* format) {
  if (rr == nullptr) {
    return {};
  }
  return print_with_thread_buffer([&](ldns_buffer* out) { return ldns_rr2buffer_str_fmt(out, format, rr); });
}

std::string rdf_to_text(const ldns_rdf* rdf) {
  if (rdf == nullptr) {
    return {};
  }
  return print_with_thread_buffer([&](ldns_buffer* out) { return ldns_rdf2buffer_str(out, rdf); });
}

namespace {

// Splits a wire name into label spans (without the root label). Tolerates malformed input by
// stopping at the end of the buffer.
std::vector<std::span<const std::uint8_t>> labels_of(std::span<const std::uint8_t> wire) {
  std::vector<std::span<const std::uint8_t>> labels;
  std::size_t pos = 0;
  while (pos < wire.size()) {
    const std::size_t len = wire[pos];
    if (len == 0 || pos + 1 + len > wire.size()) {
      break;
    }
    labels.push_back(wire.subspan(pos + 1, len));
    pos += 1 + len;
  }
  return labels;
}

int compare_labels(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t ca = ascii_lower(a[i]);
    const std::uint8_t cb = ascii_lower(b[i]);
    if (ca != cb) {
      return ca < cb ? -1 : 1;
    }
  }
  if (a.size() == b.size()) {
    return 0;
  }
  return a.size() < b.size() ? -1 : 1;
}

// The start offsets of a wire name's labels (without the root label), on the stack: name
// comparisons run for every name of a zone and must not allocate. A name of 255 octets has at
// most 127 labels; longer malformed input stops at the capacity, like labels_of stops at the
// end of the buffer.
class LabelOffsets {
public:
  explicit LabelOffsets(std::span<const std::uint8_t> wire) noexcept : m_wire(wire) {
    std::size_t pos = 0;
    while (pos < wire.size() && m_count < m_offsets.size()) {
      const std::size_t len = wire[pos];
      if (len == 0 || pos + 1 + len > wire.size()) {
        break;
      }
      m_offsets[m_count++] = static_cast<std::uint16_t>(pos);
      pos += 1 + len;
    }
  }

  std::size_t size() const noexcept { return m_count; }
  // Label `i` counted from the right (0: the label next to the root).
  std::span<const std::uint8_t> from_right(std::size_t i) const noexcept {
    const std::size_t at = m_offsets[m_count - 1 - i];
    return m_wire.subspan(at + 1, m_wire[at]);
  }

private:
  std::span<const std::uint8_t> m_wire;
  std::array<std::uint16_t, 128> m_offsets{};
  std::size_t m_count = 0;
};

Result<Rr> parse_rr_uncached(std::string_view text);

} // namespace

Result<Rr> parse_rr(std::string_view text) {
  // Judging one zone of an audit reads the same lines again and again (on receipt, in the
  // DNSSEC analysis, in each rule that reads them), and ldns's text parser was the largest part
  // of it; parse_rr is a pure function of the text, so the lines read lately are kept.
  thread_local util::RecentAnswers<Rr> parsed(8192); // a few MB at most
  if (const Rr* known = parsed.find(text)) {
    return *known;
  }
  Result<Rr> rr = parse_rr_uncached(text);
  if (rr) {
    parsed.keep(std::string(text), *rr);
  }
  return rr;
}

namespace {

Result<Rr> parse_rr_uncached(std::string_view text) {
  // A record is one line, as ldns prints it (a line break in RDATA is printed \010). ldns
  // 1.8.3's tokenizer writes a byte past its 21-byte TTL buffer when a raw line break falls
  // inside parentheses ("a (\n" and a long token: heap overflow, found by fuzz_rr_text), and
  // snapshots (audit --restore) hand us record text from a file.
  if (text.find_first_of("\n\r") != std::string_view::npos) {
    return fail(fmt::format("{}: a line break inside a record", util::quote_input(text)));
  }
  const std::string line(text);
  ldns_rr* raw = nullptr;
  const ldns_status status = ldns_rr_new_frm_str(&raw, line.c_str(), 0, nullptr, nullptr);
  RrHandle rr(raw);
  if (status != LDNS_STATUS_OK || !rr) {
    return fail(fmt::format("{}: {}", util::quote_input(line), status_text(status)));
  }
  Rr out;
  const ldns_rdf* owner = ldns_rr_owner(rr.get());
  out.owner.assign(ldns_rdf_data(owner), ldns_rdf_data(owner) + ldns_rdf_size(owner));
  out.type = static_cast<std::uint16_t>(ldns_rr_get_type(rr.get()));
  out.rclass = static_cast<std::uint16_t>(ldns_rr_get_class(rr.get()));
  out.ttl = ldns_rr_ttl(rr.get());
  BufferHandle buffer(ldns_buffer_new(512));
  if (!buffer || ldns_rr_rdata2buffer_wire(buffer.get(), rr.get()) != LDNS_STATUS_OK) {
    return fail(fmt::format("{}: cannot encode rdata", util::quote_input(line)));
  }
  const std::uint8_t* begin = ldns_buffer_begin(buffer.get());
  out.rdata.assign(begin, begin + ldns_buffer_position(buffer.get()));
  return out;
}

} // namespace

std::string to_text(const Rr& rr) {
  Bytes wire = rr.owner;
  const auto put16 = [&wire](std::uint16_t v) {
    wire.push_back(static_cast<std::uint8_t>(v >> 8));
    wire.push_back(static_cast<std::uint8_t>(v & 0xff));
  };
  put16(rr.type);
  put16(rr.rclass);
  put16(static_cast<std::uint16_t>(rr.ttl >> 16));
  put16(static_cast<std::uint16_t>(rr.ttl & 0xffff));
  put16(static_cast<std::uint16_t>(rr.rdata.size()));
  wire.insert(wire.end(), rr.rdata.begin(), rr.rdata.end());
  ldns_rr* raw = nullptr;
  std::size_t pos = 0;
  if (ldns_wire2rr(&raw, wire.data(), wire.size(), &pos, LDNS_SECTION_ANSWER) != LDNS_STATUS_OK) {
    return fmt::format("{} {} (undecodable rdata)", name_to_text(rr.owner), type_to_text(rr.type));
  }
  RrHandle handle(raw);
  return rr_to_text(handle.get(), ldns_output_format_default);
}

std::string type_to_text(std::uint16_t type) {
  CString str(ldns_rr_type2str(static_cast<ldns_rr_type>(type)));
  return str ? std::string(str.get()) : fmt::format("TYPE{}", type);
}

std::uint16_t type_from_text(std::string_view text) noexcept {
  const std::string name(text);
  return static_cast<std::uint16_t>(ldns_get_rr_type_by_name(name.c_str()));
}

Result<Bytes> name_from_text(std::string_view text) {
  std::string name(text);
  if (name.empty()) {
    return fail("empty domain name");
  }
  if (name.back() != '.') {
    name.push_back('.');
  }
  ldns_rdf* raw = nullptr;
  const ldns_status status = ldns_str2rdf_dname(&raw, name.c_str());
  RdfHandle rdf(raw);
  if (status != LDNS_STATUS_OK || !rdf) {
    return fail(fmt::format("{}: not a domain name: {}", util::quote_input(text), status_text(status)));
  }
  return Bytes(ldns_rdf_data(rdf.get()), ldns_rdf_data(rdf.get()) + ldns_rdf_size(rdf.get()));
}

std::string name_to_text(std::span<const std::uint8_t> wire) {
  const auto labels = labels_of(wire);
  if (labels.empty()) {
    return ".";
  }
  std::string text;
  for (const auto label : labels) {
    for (const std::uint8_t c : label) {
      if (c == '.' || c == '\\' || c == '(' || c == ')' || c == ';' || c == '"' || c == '$' || c == '@') {
        text.push_back('\\');
        text.push_back(static_cast<char>(c));
      } else if (c <= 0x20 || c >= 0x7f) {
        text += fmt::format("\\{:03d}", c);
      } else {
        text.push_back(static_cast<char>(c));
      }
    }
    text.push_back('.');
  }
  return text;
}

Bytes lowercased(std::span<const std::uint8_t> wire) {
  Bytes out(wire.begin(), wire.end());
  std::size_t pos = 0;
  while (pos < out.size() && out[pos] != 0) {
    const std::size_t len = out[pos];
    for (std::size_t i = pos + 1; i <= pos + len && i < out.size(); ++i) {
      out[i] = ascii_lower(out[i]);
    }
    pos += 1 + len;
  }
  return out;
}

bool names_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) {
      return false;
    }
  }
  return true;
}

unsigned label_count(std::span<const std::uint8_t> wire) noexcept {
  unsigned count = 0;
  std::size_t pos = 0;
  while (pos < wire.size() && wire[pos] != 0) {
    ++count;
    pos += 1 + wire[pos];
  }
  return count;
}

bool is_subdomain(std::span<const std::uint8_t> name, std::span<const std::uint8_t> ancestor) noexcept {
  const LabelOffsets a(name);
  const LabelOffsets b(ancestor);
  if (b.size() > a.size()) {
    return false;
  }
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (compare_labels(a.from_right(i), b.from_right(i)) != 0) {
      return false;
    }
  }
  return true;
}

int canonical_compare(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept {
  const LabelOffsets la(a);
  const LabelOffsets lb(b);
  const std::size_t n = std::min(la.size(), lb.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (const int c = compare_labels(la.from_right(i), lb.from_right(i)); c != 0) {
      return c;
    }
  }
  if (la.size() == lb.size()) {
    return 0;
  }
  return la.size() < lb.size() ? -1 : 1;
}

Result<std::string> normalize_name(std::string_view text) {
  if (text.empty()) {
    return fail("empty domain name");
  }
  if (text == ".") {
    return std::string(".");
  }
  std::string name;
  name.reserve(text.size() + 1);
  std::size_t label = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (label == 0) {
        return fail(fmt::format("{}: not a domain name: empty label", util::quote_input(text)));
      }
      label = 0;
      name.push_back('.');
      continue;
    }
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '*';
    if (!ok) {
      return fail(fmt::format("{}: not a domain name: character '{}'", util::quote_input(text),
                              util::quote_input(std::string_view(&c, 1))));
    }
    if (++label > 63) {
      return fail(fmt::format("{}: not a domain name: label longer than 63 octets", util::quote_input(text)));
    }
    name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (name.back() != '.') {
    name.push_back('.');
  }
  if (name.size() > 254) {
    return fail(fmt::format("{}: not a domain name: longer than 255 octets", util::quote_input(text)));
  }
  return name;
}

bool name_is_at_or_below(std::string_view name, std::string_view ancestor) noexcept {
  if (ancestor == ".") {
    return true;
  }
  if (name.size() < ancestor.size()) {
    return false;
  }
  const std::string_view tail = name.substr(name.size() - ancestor.size());
  if (tail.size() != ancestor.size() ||
      !std::equal(tail.begin(), tail.end(), ancestor.begin(), ancestor.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
      })) {
    return false;
  }
  return name.size() == ancestor.size() || name[name.size() - ancestor.size() - 1] == '.';
}

std::string parent_name(std::string_view name) {
  if (name == "." || name.empty()) {
    return ".";
  }
  const std::size_t dot = name.find('.');
  if (dot == std::string_view::npos || dot + 1 >= name.size()) {
    return ".";
  }
  return std::string(name.substr(dot + 1));
}

std::size_t wire_name_length(std::span<const std::uint8_t> data) noexcept {
  std::size_t pos = 0;
  while (pos < data.size()) {
    const std::uint8_t len = data[pos];
    if (len == 0) {
      return pos + 1 <= 255 ? pos + 1 : 0;
    }
    // A label over 63 octets (or a compression pointer), or one that already puts the name
    // past 255 octets with its root label.
    if (len > 63 || pos + 1 + len > 254) {
      return 0;
    }
    pos += 1 + len;
  }
  return 0;
}

} // namespace zw::dns
