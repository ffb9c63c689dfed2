#pragma once
// `audit --walk`: the pure parts of following a zone's NSEC chain (RFC 4034 §4.1.1: every NSEC
// names the next owner name of the zone in canonical order, the last one the apex). Reading
// NSEC records out of answers, deciding whether the walk goes on, and which RRsets to ask at
// each owner. The queries themselves are sent by the walker (prober.cpp).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "zonewarden/snapshot.hpp"

namespace zw::probe {

// One NSEC record (RFC 4034 §4.1).
struct NsecLink {
  std::string owner;              // normalised
  std::string next;               // the Next Domain Name field, normalised
  std::vector<std::string> types; // the Type Bit Maps field: upper-case mnemonics or TYPEnnn
};

// The NSEC record owned by `owner` (normalised) among the presentation-format RRs of `section`
// (one Exchange section); nullopt when there is none or it does not parse.
std::optional<NsecLink> find_nsec(const std::vector<std::string>& section, std::string_view owner);

// How a zone proves denials, as its servers' authoritative answers show it.
enum class ZoneDenial : std::uint8_t {
  nsec,          // NSEC records, or signed without any NSEC3 seen: the walk is tried
  nsec3,         // NSEC3 records or an NSEC3PARAM RRset and no NSEC record: hashed owner names
  unsigned_zone, // no DNSKEY and no RRSIG anywhere: no chain at all
};
ZoneDenial denial_of(const ZoneSnapshot& zone);

enum class WalkStep : std::uint8_t {
  next, // ask the next owner
  done, // the chain led back to the apex: the walk is complete
  stop, // the walk cannot go on; `reason` says why
};

struct WalkDecision {
  WalkStep step = WalkStep::stop;
  std::string reason; // one line, for the zone's notes; empty unless step is stop
};

// What the walk does after reading, at `owner`, an NSEC whose next owner is `next` (all names
// normalised, `apex` the zone), `seen` holding every owner walked so far (`owner` included),
// at most `limit` names per zone. Done when `next` is the apex; stop when `next` is outside the
// zone, not after `owner` in canonical order (RFC 4034 §6.1: the chain would loop), already
// seen, or when `limit` names were walked; else next. Never loops: the only way on is strictly
// forward in canonical order.
WalkDecision next_step(std::string_view apex, std::string_view owner, std::string_view next,
                       const std::set<std::string>& seen, std::uint64_t limit);

// At most this many types are asked at one owner: a bitmap can list thousands.
inline constexpr std::size_t k_max_walk_types = 64;

struct OwnerQueries {
  std::vector<std::string> qtypes; // to ask every server at the owner, in bitmap order
  std::size_t left_out = 0;        // types of the bitmap not asked because of k_max_walk_types
};

// The query types to ask at `link.owner` of zone `apex`: every type of the bitmap but RRSIG,
// NSEC and NSEC3 (the NSEC is asked on its own, RRSIGs come with their RRsets) and types no
// server answers (OPT and the meta-types 128-255, RFC 6895 §3.1). At a zone cut below the apex
// (NS in the bitmap) only DS: the NS RRset there is a referral, not authoritative data (RFC 4035
// §2.4), and the DS query answers with the DS RRset or the NSEC that proves there is none.
OwnerQueries owner_queries(std::string_view apex, const NsecLink& link);

// The first name after every name at or below `name` in canonical order: `name`'s first label
// with a zero octet appended ("sub.example." -> "sub\000.example."). Below a zone cut a server
// refers `name NSEC` to the child, but answers this name with NXDOMAIN and the cut's NSEC (the
// names below a cut are not in the parent's chain). nullopt for the root, or when the first
// label already has 63 octets or the name would exceed 255.
std::optional<std::string> name_after_subtree(std::string_view name);

} // namespace zw::probe
