#pragma once
// RAII for ldns objects (STYLE.md §6). The choice between `_free` and `_deep_free` is made
// once, here, never at a call site. Accessors (ldns_pkt_answer, ldns_rr_owner, ...) return
// borrowed pointers that are never wrapped.

#include <memory>
#include <string>

// First: <ldns/common.h> defines the macros `bool`, `false` and `true` unless stdbool.h has said
// they exist, and a standard header read after them in the same unity translation unit breaks
// (<optional>'s `bool(x) <=> false`).
#include <stdbool.h> // NOLINT(modernize-deprecated-headers)

#include <ldns/ldns.h>

namespace zw::dns {

template <auto FreeFn> struct CFree {
  template <typename T> void operator()(T* p) const noexcept { FreeFn(p); }
};

using PktHandle = std::unique_ptr<ldns_pkt, CFree<ldns_pkt_free>>;
using RrHandle = std::unique_ptr<ldns_rr, CFree<ldns_rr_free>>;
using RrListHandle = std::unique_ptr<ldns_rr_list, CFree<ldns_rr_list_deep_free>>; // owns its RRs
using RrListShell = std::unique_ptr<ldns_rr_list, CFree<ldns_rr_list_free>>;       // RRs owned elsewhere
using RdfHandle = std::unique_ptr<ldns_rdf, CFree<ldns_rdf_deep_free>>;
using BufferHandle = std::unique_ptr<ldns_buffer, CFree<ldns_buffer_free>>;

// ldns's own text for a status code, lower-cased first letter, for one-line error messages.
std::string status_text(ldns_status status);

// ldns's presentation form of one record (a zone-file line, without the final newline and
// blanks) or of one field, printed into a buffer the calling thread reuses: ldns_rr2str and
// ldns_rdf2str allocate a fresh 64 KiB buffer (LDNS_MAX_PACKETLEN) for every call, then shrink it,
// which across the millions of records an audit prints was both allocation volume and heap
// fragmentation. Empty when ldns cannot print it (as those return NULL).
std::string rr_to_text(const ldns_rr* rr, const ldns_output_format* format);
std::string rdf_to_text(const ldns_rdf* rdf);

// Frees a C string that ldns allocated with malloc.
struct MallocFree {
  void operator()(char* p) const noexcept;
};
using CString = std::unique_ptr<char, MallocFree>;

} // namespace zw::dns
