#pragma once
// The data an RRSIG signs (RFC 4034 §3.1.8.1, canonical form §6.2 as corrected by RFC 6840 §5.1,
// canonical RR order §6.3, wildcard owners RFC 4035 §5.3.2).

#include <span>

#include "dns/rr.hpp"
#include "dns/zone_store.hpp"
#include "dnssec/rrsig.hpp"

namespace zw::dnssec {

// Replaces `out` with the signed data of `rrsig_rr` (whose parsed fields are `sig`) over
// `rrset`, the RRs of one owner, class and type:
//   RRSIG RDATA up to and without the signature, signer name lowercased;
//   then for each RR in canonical RDATA order, exact duplicates once:
//   owner | type | class | original TTL | RDLENGTH | canonical RDATA.
// The owner is lowercased; when `sig.labels` is below its label count it becomes the wildcard
// "*." + its rightmost `sig.labels` labels. Names inside the RDATA are lowercased as
// dns/canonical_rdata.hpp says; RDATA that does not parse as its type is copied unchanged. The class, type and owner of
// the first RR are used for all. `out` keeps its capacity: no allocation when it is large enough and the RRset has at
// most 32 RRs.
void signed_data(const RrsigFields& sig, std::span<const dns::Rr> rrset, const dns::Rr& rrsig_rr, dns::Bytes& out);

// The same over an RRset of a zone store (already lowercased owner, canonical RDATA order) with
// the RRSIG given as parsed views into `rrsig_rdata`: the zone-file hot path, which allocates
// nothing once `out` is large enough and the RRset has at most 32 RRs.
void signed_data(const RrsigView& sig, const dns::RrsetView& rrset, std::span<const std::uint8_t> rrsig_rdata,
                 dns::Bytes& out);

} // namespace zw::dnssec
