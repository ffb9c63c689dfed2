#include "dns/zone_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "dns/ldns_handle.hpp"
#include "dns/zone_text_internal.hpp"
#include "util/text.hpp"

namespace zw::dns {

namespace {

using namespace detail;

// The trailing field of a type's RDATA that RFC presentation formats let whitespace split
// anywhere: Base64 or hex, from RDATA field `first` to the end of the record.
enum class Encoding : std::uint8_t { base64, hex };
struct SplitField {
  std::string_view type;
  std::uint16_t number;
  std::uint8_t first;
  Encoding encoding;
};

constexpr std::array k_split_fields{
    SplitField{"KEY", 25, 3, Encoding::base64},        // RFC 2535 §7.1
    SplitField{"SIG", 24, 8, Encoding::base64},        // RFC 2535 §7.2
    SplitField{"CERT", 37, 3, Encoding::base64},       // RFC 4398 §2.2
    SplitField{"DS", 43, 3, Encoding::hex},            // RFC 4034 §5.3
    SplitField{"SSHFP", 44, 2, Encoding::hex},         // RFC 4255 §3.2
    SplitField{"IPSECKEY", 45, 4, Encoding::base64},   // RFC 4025 §3.1
    SplitField{"RRSIG", 46, 8, Encoding::base64},      // RFC 4034 §3.2
    SplitField{"DNSKEY", 48, 3, Encoding::base64},     // RFC 4034 §2.2
    SplitField{"DHCID", 49, 0, Encoding::base64},      // RFC 4701 §3.6
    SplitField{"TLSA", 52, 3, Encoding::hex},          // RFC 6698 §2.2
    SplitField{"SMIMEA", 53, 3, Encoding::hex},        // RFC 8162 §2.2
    SplitField{"CDS", 59, 3, Encoding::hex},           // RFC 7344 §3.2
    SplitField{"CDNSKEY", 60, 3, Encoding::base64},    // RFC 7344 §3.2
    SplitField{"OPENPGPKEY", 61, 0, Encoding::base64}, // RFC 7929 §2.3
    SplitField{"ZONEMD", 63, 3, Encoding::hex},        // RFC 8976 §2.3
    SplitField{"TA", 32768, 3, Encoding::hex},
    SplitField{"DLV", 32769, 3, Encoding::hex}, // RFC 4431 §3
};

const SplitField* split_field(std::string_view type) {
  for (const SplitField& f : k_split_fields) {
    if (iequals(type, f.type)) {
      return &f;
    }
  }
  if (type.size() > 4 && iequals(type.substr(0, 4), "TYPE") && all_digits(type.substr(4))) {
    unsigned number = 0;
    const auto [end, ec] = std::from_chars(type.data() + 4, type.data() + type.size(), number);
    if (ec == std::errc() && end == type.data() + type.size()) {
      for (const SplitField& f : k_split_fields) {
        if (f.number == number) {
          return &f;
        }
      }
    }
  }
  return nullptr;
}

bool in_alphabet(std::string_view token, Encoding encoding) {
  return std::all_of(token.begin(), token.end(), [encoding](char c) {
    const auto u = static_cast<unsigned char>(c);
    return encoding == Encoding::hex ? std::isxdigit(u) != 0
                                     : (std::isalnum(u) != 0 || c == '+' || c == '/' || c == '=');
  });
}

struct Token {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool plain = true; // no quotes, no escapes
};

// One record of the text (RFC 1035 §5.1): from the start of a line to the newline that ends it
// outside parentheses (included), with its tokens.
struct Record {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool has_owner = false;
  bool too_long = false; // more tokens than any record has (an unclosed parenthesis): not kept
  std::vector<Token> tokens;
};

// More tokens than a record of 65,535 octets of RDATA can have in any presentation format.
constexpr std::size_t k_max_record_tokens = 70000;

Record scan_record(std::string_view in, std::size_t pos) {
  Record r;
  r.begin = pos;
  r.has_owner = pos < in.size() && !one_of(in[pos], " \t\r\n;(");
  int depth = 0;
  const std::size_t n = in.size();
  while (pos < n) {
    const char c = in[pos];
    if (c == '\n') {
      ++pos;
      if (depth == 0) {
        break;
      }
    } else if (c == ' ' || c == '\t' || c == '\r') {
      ++pos;
    } else if (c == ';') {
      const std::size_t eol = in.find('\n', pos);
      pos = eol == std::string_view::npos ? n : eol;
    } else if (c == '(') {
      ++depth;
      ++pos;
    } else if (c == ')') {
      depth = std::max(0, depth - 1);
      ++pos;
    } else {
      Token t{pos, pos, true};
      if (c == '"') {
        t.plain = false;
        ++pos;
        while (pos < n && in[pos] != '"') {
          pos += (in[pos] == '\\' && pos + 1 < n) ? 2 : 1;
        }
        pos = std::min(n, pos + 1);
      } else {
        while (pos < n && !one_of(in[pos], " \t\r\n;()\"")) {
          if (in[pos] == '\\') {
            t.plain = false;
            ++pos;
          }
          pos = std::min(n, pos + 1);
        }
      }
      t.end = pos;
      if (r.tokens.size() < k_max_record_tokens) {
        r.tokens.push_back(t);
      } else {
        r.too_long = true;
      }
    }
  }
  r.end = pos;
  return r;
}

// The tokens of `r` that form its split Base64/hex field, as [first, last) indexes into
// r.tokens, when there are at least two of them and joining them is safe; else nullopt.
std::string_view token_text(std::string_view in, const Record& r, std::size_t i) {
  return in.substr(r.tokens[i].begin, r.tokens[i].end - r.tokens[i].begin);
}

// The index of `r`'s type token (after the owner, TTL and class), or nullopt when it has none
// or is not kept whole (too_long).
std::optional<std::size_t> type_token(std::string_view in, const Record& r) {
  if (r.too_long) {
    return std::nullopt;
  }
  std::size_t i = r.has_owner ? 1 : 0;
  for (int skipped = 0;
       skipped < 2 && i < r.tokens.size() && (is_ttl(token_text(in, r, i)) || is_class(token_text(in, r, i)));
       ++skipped) {
    ++i;
  }
  return i < r.tokens.size() ? std::optional<std::size_t>(i) : std::nullopt;
}

std::optional<std::pair<std::size_t, std::size_t>> split_tokens(std::string_view in, const Record& r) {
  const auto text = [&](std::size_t i) { return token_text(in, r, i); };
  const std::optional<std::size_t> type = type_token(in, r);
  if (!type) {
    return std::nullopt;
  }
  const std::size_t i = *type;
  const std::size_t rdata = i + 1;
  std::size_t first = 0;
  Encoding encoding = Encoding::hex;
  if (rdata + 1 < r.tokens.size() && text(rdata) == "\\#") {
    first = rdata + 2; // RFC 3597 §5: \# length hex...
  } else if (const SplitField* f = split_field(text(i))) {
    first = rdata + f->first;
    encoding = f->encoding;
  } else {
    return std::nullopt;
  }
  if (first + 1 >= r.tokens.size()) {
    return std::nullopt;
  }
  for (std::size_t k = first; k < r.tokens.size(); ++k) {
    if (!r.tokens[k].plain || !in_alphabet(text(k), encoding)) {
      return std::nullopt;
    }
  }
  return std::pair{first, r.tokens.size()};
}

// The type mnemonics Knot's libzscanner (3.2) reads; TYPEnnn it reads for every type.
constexpr std::array<std::string_view, 48> k_scanner_types{
    "A",     "NS",     "CNAME", "SOA",      "PTR",        "HINFO", "MINFO",  "MX",    "TXT",   "RP",
    "AFSDB", "RT",     "KEY",   "AAAA",     "LOC",        "SRV",   "NAPTR",  "KX",    "CERT",  "DNAME",
    "APL",   "DS",     "SSHFP", "IPSECKEY", "RRSIG",      "NSEC",  "DNSKEY", "DHCID", "NSEC3", "NSEC3PARAM",
    "TLSA",  "SMIMEA", "CDS",   "CDNSKEY",  "OPENPGPKEY", "CSYNC", "ZONEMD", "SPF",   "NID",   "L32",
    "L64",   "LP",     "EUI48", "EUI64",    "URI",        "CAA",   "SVCB",   "HTTPS"};

bool scanner_reads(std::string_view type) {
  if (type.size() > 4 && iequals(type.substr(0, 4), "TYPE") && all_digits(type.substr(4))) {
    return true;
  }
  return std::any_of(k_scanner_types.begin(), k_scanner_types.end(),
                     [type](std::string_view known) { return iequals(type, known); });
}

// Types BIND reads that ldns 1.8 does not, whose RDATA has the format of a type ldns reads.
struct TypeAlias {
  std::string_view type;
  std::uint16_t number;
  std::string_view format; // the type ldns reads the RDATA as
};
constexpr std::array k_type_aliases{
    TypeAlias{"NINFO", 56, "TXT"},   // IANA registration: TXT's format
    TypeAlias{"RKEY", 57, "DNSKEY"}, // IANA registration: DNSKEY's format
    TypeAlias{"AVC", 258, "TXT"},    // IANA registration: TXT's format
    TypeAlias{"RESINFO", 261, "TXT"} // RFC 9606 §5.1: character-strings, as TXT
};

const TypeAlias* alias_of(std::string_view type) {
  const auto* it = std::find_if(k_type_aliases.begin(), k_type_aliases.end(),
                                [type](const TypeAlias& a) { return iequals(type, a.type); });
  return it == k_type_aliases.end() ? nullptr : it;
}

// `type` is a mnemonic ldns reads (ldns reads one it does not know as type 0 with no RDATA),
// or one of k_type_aliases.
bool ldns_knows(std::string_view type) {
  const std::string name(type);
  return alias_of(type) != nullptr || ldns_get_rr_type_by_name(name.c_str()) != 0;
}

// The RDATA of a record of type `type` (a mnemonic the scanner does not read but ldns does:
// MB, WKS, HIP, DLV, ..., or one of k_type_aliases) from its presentation tokens, in RFC 3597's generic form
// "TYPEnnn \# length hex", with relative names completed by `origin`; ldns encodes it. An
// Error with ldns's reason when it cannot read the RDATA.
Result<std::string> generic_form(std::string_view type, std::string_view rdata, const std::string& origin) {
  const TypeAlias* alias = alias_of(type);
  const std::string line = fmt::format(". 0 IN {} {}", alias != nullptr ? alias->format : type, rdata);
  const RdfHandle origin_rdf(ldns_dname_new_frm_str(origin.c_str()));
  if (!origin_rdf) {
    return fail(fmt::format("origin {} does not read", util::quote_input(origin)));
  }
  ldns_rr* raw = nullptr;
  const ldns_status status = ldns_rr_new_frm_str(&raw, line.c_str(), 0, origin_rdf.get(), nullptr);
  const RrHandle rr(raw);
  if (status != LDNS_STATUS_OK) {
    return fail(status_text(status));
  }
  const BufferHandle wire(ldns_buffer_new(512));
  if (!wire || ldns_rr_rdata2buffer_wire(wire.get(), rr.get()) != LDNS_STATUS_OK) {
    return fail("ldns cannot encode its RDATA");
  }
  const std::size_t length = ldns_buffer_position(wire.get());
  const unsigned number = alias != nullptr ? alias->number : static_cast<unsigned>(ldns_rr_get_type(rr.get()));
  std::string out = fmt::format("TYPE{} \\# {}", number, length);
  if (length > 0) {
    out += ' ';
    out += util::to_hex(std::span<const std::uint8_t>(ldns_buffer_begin(wire.get()), length));
  }
  return out;
}

// `name` (presentation format) is absolute: it ends in a dot that is not escaped.
bool is_absolute(std::string_view name) {
  if (name.empty() || name.back() != '.') {
    return false;
  }
  std::size_t backslashes = 0;
  for (std::size_t i = name.size() - 1; i > 0 && name[i - 1] == '\\'; --i) {
    ++backslashes;
  }
  return backslashes % 2 == 0;
}

// `name` made absolute against `origin` (absolute).
std::string absolute(std::string_view name, std::string_view origin) {
  if (name == "@") {
    return std::string(origin);
  }
  if (is_absolute(name)) {
    return std::string(name);
  }
  return origin == "." ? fmt::format("{}.", name) : fmt::format("{}.{}", name, origin);
}

// The end of the word of a directive line that starts at `i` (a quoted word included).
std::size_t word_end(std::string_view line, std::size_t i) {
  if (i < line.size() && line[i] == '"') {
    for (++i; i < line.size() && line[i] != '"'; ++i) {
      i += line[i] == '\\' ? 1 : 0;
    }
    return std::min(line.size(), i + 1);
  }
  while (i < line.size() && !one_of(line[i], " \t\r\n;")) {
    i += (line[i] == '\\' && i + 1 < line.size()) ? 2 : 1;
  }
  return std::min(line.size(), i);
}

std::size_t skip_blanks(std::string_view line, std::size_t i) {
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) {
    ++i;
  }
  return i;
}

class Rewriter {
public:
  Rewriter(std::string_view in, std::string_view display, std::string_view origin, const RewriteLimits& limits)
      : m_in(in), m_display(display), m_origin(origin), m_limits(limits) {}

  Result<std::optional<RewrittenZoneText>> run() {
    std::size_t pos = 0;
    while (pos < m_in.size()) {
      if (m_in[pos] == '$') {
        std::size_t eol = m_in.find('\n', pos);
        eol = eol == std::string_view::npos ? m_in.size() : eol + 1;
        const std::string_view line = m_in.substr(pos, eol - pos);
        if (directive(line, "$GENERATE")) {
          ZW_TRY(generate(line));
        } else if (!(directive(line, "$ORIGIN") && origin(line)) && !(directive(line, "$INCLUDE") && include(line))) {
          copy(pos, eol);
        }
        pos = eol;
        continue;
      }
      const Record r = scan_record(m_in, pos);
      ZW_TRY_ASSIGN(const bool generic_written, generic(r));
      if (generic_written) {
        // written in RFC 3597 form (ldns joins split fields itself)
      } else if (const auto field = split_tokens(m_in, r)) {
        join(r, field->first, field->second);
      } else {
        copy(r.begin, r.end);
      }
      pos = r.end;
    }
    if (!m_changed) {
      return std::optional<RewrittenZoneText>();
    }
    if (!m_generated) {
      m_out.line_map.clear();
    }
    return std::optional<RewrittenZoneText>(std::move(m_out));
  }

private:
  static bool directive(std::string_view line, std::string_view name) {
    return line.size() > name.size() && iequals(line.substr(0, name.size()), name) &&
           (line[name.size()] == ' ' || line[name.size()] == '\t');
  }

  // Tracks `$ORIGIN name`; a relative name is made absolute. False: the line was not written.
  bool origin(std::string_view line) {
    const std::size_t begin = skip_blanks(line, 7);
    const std::size_t end = word_end(line, begin);
    if (begin == end || line[begin] == '"') {
      return false;
    }
    const std::string_view name = line.substr(begin, end - begin);
    m_origin = absolute(name, m_origin);
    if (is_absolute(name)) {
      return false;
    }
    emit_directive(line, begin, end, m_origin);
    return true;
  }

  // `$INCLUDE file name` with a relative name: the name made absolute. False: not written.
  bool include(std::string_view line) {
    const std::size_t file_end = word_end(line, skip_blanks(line, 8));
    const std::size_t begin = skip_blanks(line, file_end);
    const std::size_t end = word_end(line, begin);
    if (begin == end || line[begin] == '"' || is_absolute(line.substr(begin, end - begin))) {
      return false;
    }
    emit_directive(line, begin, end, absolute(line.substr(begin, end - begin), m_origin));
    return true;
  }

  // `line` with [begin, end) replaced by `word`.
  void emit_directive(std::string_view line, std::size_t begin, std::size_t end, std::string_view word) {
    m_out.text.append(line.substr(0, begin));
    m_out.text.append(word);
    m_out.text.append(line.substr(end));
    count_lines(line);
    m_changed = true;
  }

  // Copies m_in[begin, end) and maps its lines.
  void copy(std::size_t begin, std::size_t end) {
    const std::string_view part = m_in.substr(begin, end - begin);
    m_out.text.append(part);
    count_lines(part);
  }

  void count_lines(std::string_view part) {
    for (std::size_t nl = part.find('\n'); nl != std::string_view::npos; nl = part.find('\n', nl + 1)) {
      m_out.line_map.push_back(m_line++);
    }
  }

  // The record with tokens [first, last) joined into one, their separators after it.
  void join(const Record& r, std::size_t first, std::size_t last) {
    const std::size_t out_begin = m_out.text.size();
    m_out.text.append(m_in.substr(r.begin, r.tokens[first].begin - r.begin));
    for (std::size_t k = first; k < last; ++k) {
      m_out.text.append(m_in.substr(r.tokens[k].begin, r.tokens[k].end - r.tokens[k].begin));
    }
    for (std::size_t k = first; k + 1 < last; ++k) {
      m_out.text.append(m_in.substr(r.tokens[k].end, r.tokens[k + 1].begin - r.tokens[k].end));
    }
    m_out.text.append(m_in.substr(r.tokens[last - 1].end, r.end - r.tokens[last - 1].end));
    count_lines(std::string_view(m_out.text).substr(out_begin));
    m_changed = true;
  }

  // A record of a type the scanner does not read but ldns does, written in RFC 3597's generic
  // form: owner, TTL and class as they were, then the lines the record spanned as blank lines,
  // so that every later line keeps its number. False: not such a record; nothing written. An
  // Error "display:line: TYPE record: reason" when ldns refuses its RDATA.
  Result<bool> generic(const Record& r) {
    const std::optional<std::size_t> type = type_token(m_in, r);
    if (!type || scanner_reads(token_text(m_in, r, *type))) {
      return false;
    }
    const std::string_view type_text = token_text(m_in, r, *type);
    if (!ldns_knows(type_text)) {
      return fail(fmt::format("{}:{}: unsupported record type {}: neither libzscanner nor ldns reads it; write it "
                              "as TYPEnnn \\# LENGTH HEX (RFC 3597 §5)",
                              m_display, m_line, util::quote_input(type_text)));
    }
    std::string rdata;
    for (std::size_t k = *type + 1; k < r.tokens.size(); ++k) {
      rdata += ' ';
      rdata += token_text(m_in, r, k);
    }
    // A quoted string or an escape may hold a raw line break, which ldns 1.8's parser
    // mishandles (docs/fuzzing.md: it wrote past a buffer); a record of these types never needs one.
    if (rdata.find_first_of("\r\n") != std::string::npos) {
      return fail(fmt::format("{}:{}: {} record: a line break inside a quoted string or after a backslash", m_display,
                              m_line, util::quote_input(type_text)));
    }
    const Result<std::string> encoded = generic_form(type_text, rdata, m_origin);
    if (!encoded) {
      return fail(fmt::format("{}:{}: {} record: {}", m_display, m_line, util::quote_input(type_text),
                              encoded.error().message));
    }
    const std::size_t out_begin = m_out.text.size();
    if (!r.has_owner) {
      m_out.text += ' ';
    }
    for (std::size_t k = 0; k < *type; ++k) {
      m_out.text.append(token_text(m_in, r, k));
      m_out.text += ' ';
    }
    m_out.text += *encoded;
    const std::string_view original = m_in.substr(r.begin, r.end - r.begin);
    const auto lines = static_cast<std::size_t>(std::count(original.begin(), original.end(), '\n'));
    m_out.text.append(std::max<std::size_t>(lines, 1), '\n');
    count_lines(std::string_view(m_out.text).substr(out_begin));
    m_changed = true;
    return true;
  }

  Result<void> generate(std::string_view line) {
    const std::uint32_t at = m_line;
    const auto error = [&](const std::string& why) {
      return fail(fmt::format("{}:{}: $GENERATE: {}", m_display, at, why));
    };
    Result<std::vector<std::string>> words = directive_words(line);
    if (!words) {
      return error(words.error().message);
    }
    // $GENERATE range lhs [ttl] [class] type rhs
    const std::vector<std::string>& w = *words;
    if (w.size() < 5) {
      return error("expected: range owner [ttl] [class] type rdata");
    }
    const Result<GenerateRange> range = parse_range(w[1]);
    if (!range) {
      return error(range.error().message);
    }
    std::size_t i = 3;
    std::string middle; // ttl, class and type, as written
    for (int skipped = 0; skipped < 2 && i + 2 < w.size() && (is_ttl(w[i]) || is_class(w[i])); ++skipped) {
      middle += w[i++] + ' ';
    }
    if (i + 2 != w.size()) {
      return error(i + 2 < w.size() ? "text after the rdata (quote an rdata with spaces)"
                                    : "expected: range owner [ttl] [class] type rdata");
    }
    middle += w[i] + ' ';
    const std::string& rhs = w[i + 1];
    for (std::uint64_t v = range->start; v <= range->stop; v += range->step) {
      Result<std::string> owner = substitute(w[2], static_cast<std::int64_t>(v));
      if (!owner) {
        return error(owner.error().message);
      }
      Result<std::string> rdata = substitute(rhs, static_cast<std::int64_t>(v));
      if (!rdata) {
        return error(rdata.error().message);
      }
      m_out.text += *owner;
      m_out.text += ' ';
      m_out.text += middle;
      m_out.text += *rdata;
      m_out.text += '\n';
      m_out.line_map.push_back(at);
      if (++m_generated_records > m_limits.max_generated) {
        return error(fmt::format("more than {} records generated in one file", m_limits.max_generated));
      }
      if (m_out.text.size() > m_limits.max_bytes) {
        return error(fmt::format("expands past the {} byte limit of a zone", m_limits.max_bytes));
      }
    }
    // The directive's own line: a blank line keeps the line count of what follows.
    m_out.text += '\n';
    m_out.line_map.push_back(at);
    ++m_line;
    m_changed = true;
    m_generated = true;
    return {};
  }

  std::string_view m_in;
  std::string_view m_display;
  std::string m_origin;
  const RewriteLimits& m_limits;
  RewrittenZoneText m_out;
  std::uint32_t m_line = 1;
  bool m_changed = false;
  bool m_generated = false;
  std::uint64_t m_generated_records = 0;
};

} // namespace

Result<std::optional<RewrittenZoneText>> rewrite_zone_text(std::string_view text, std::string_view display,
                                                           std::string_view origin, const RewriteLimits& limits) {
  if (text.find("\r\n") == std::string_view::npos) {
    return Rewriter(text, display, origin, limits).run();
  }
  // CRLF line ends (a file written on Windows): BIND and ldns read them, the scanner refuses
  // them. The CR of each CRLF goes; lines keep their numbers.
  std::string lf_text;
  lf_text.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r' || i + 1 == text.size() || text[i + 1] != '\n') {
      lf_text += text[i];
    }
  }
  ZW_TRY_ASSIGN(std::optional<RewrittenZoneText> rewritten, Rewriter(lf_text, display, origin, limits).run());
  if (rewritten) {
    return rewritten;
  }
  return std::optional<RewrittenZoneText>(RewrittenZoneText{std::move(lf_text), {}});
}

} // namespace zw::dns
