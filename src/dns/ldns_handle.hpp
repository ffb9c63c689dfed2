#pragma once
// RAII for ldns objects (STYLE.md §6). The choice between `_free` and `_deep_free` is made
// once, here, never at a call site. Accessors (ldns_pkt_answer, ldns_rr_owner, ...) return
// borrowed pointers that are never wrapped.

#include <memory>
#include <string>

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

// Frees a C string that ldns allocated with malloc.
struct MallocFree {
  void operator()(char* p) const noexcept;
};
using CString = std::unique_ptr<char, MallocFree>;

} // namespace zw::dns
