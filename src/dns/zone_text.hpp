#pragma once
// Master-file text that BIND and ldns read but Knot's libzscanner (3.2) does not, rewritten
// into text it reads with the same records (zone_loader.cpp uses it when the scanner refuses
// a file for one of these reasons):
//
// - Base64 and hex fields split by whitespace where the scanner does not allow it. RFC 4034
//   (§2.2, §3.2, §5.3) and the other types below allow whitespace anywhere in them; the
//   scanner only between whole Base64 quanta (4 characters) and whole hex octets. The tokens
//   of the field are joined, and what separated them (blanks, newlines, comments,
//   parentheses) is moved after the joined token, so every line keeps its number.
// - BIND's $GENERATE directive, expanded as BIND does (range start-stop[/step]; `$`,
//   `${offset[,width[,base]]}` with base d, o, x, X, n, N; `$$` for a literal `$`); the
//   generated records are new lines, and `line_map` says which line of the file each came
//   from.
// - A relative name in $ORIGIN or in $INCLUDE's origin (RFC 1035 §5.1 lets any domain name
//   there be relative to the current origin), made absolute.
// - A record of a type the scanner does not know but ldns does (MB, WKS, HIP, DLV, ...), or
//   that BIND reads in another type's format (NINFO, AVC, RESINFO as TXT; RKEY as DNSKEY): its
//   RDATA encoded by ldns and written in RFC 3597's generic form (TYPEnnn \# length hex); the
//   lines the record spanned follow as blank lines. A type none of them knows is an error
//   naming it.
// - CRLF line ends (a file written on Windows): the CRs go.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zonewarden/error.hpp"

namespace zw::dns {

struct RewrittenZoneText {
  std::string text;
  // line_map[n - 1] is the line of the original text that line n of `text` comes from; empty
  // when they are the same (no $GENERATE).
  std::vector<std::uint32_t> line_map;
};

struct RewriteLimits {
  // The rewritten text may not grow past this (a $GENERATE range is otherwise unbounded).
  std::uint64_t max_bytes = std::uint64_t{4} << 30;
  // Records $GENERATE may create in one file: 2^24, the PTR records of a whole /8 (BIND sets no
  // limit; a range up to 2^31 is legal there).
  std::uint64_t max_generated = std::uint64_t{1} << 24;
};

// The rewritten `text`, whose origin at the start is `origin` (absolute, presentation
// format), or nullopt when nothing needed rewriting. Errors are about a $GENERATE line that
// cannot be expanded or a record of a type the scanner does not read that ldns cannot read
// either; their message starts with `display:line: `.
Result<std::optional<RewrittenZoneText>> rewrite_zone_text(std::string_view text, std::string_view display,
                                                           std::string_view origin, const RewriteLimits& limits = {});

} // namespace zw::dns
