#pragma once
// The comparison behind consistency/zone-file (`audit --zone-file`): what each server address
// serves, RRset by RRset, against the zone file the operator says it should serve. Pure: it
// reads the file's RRsets and the recorded exchanges, nothing else.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dns/zone_layout.hpp"
#include "dns/zone_store.hpp"
#include "zonewarden/snapshot.hpp"

namespace zw::rules {

// One authoritative RRset of the zone file: the data a server of the zone answers with AA=1.
struct FileRrset {
  std::string owner;                // lowercased, absolute ("www.example.com.")
  std::string type;                 // mnemonic ("A", "TYPE65534")
  std::vector<std::string> records; // presentation format, one RR each
  std::string location;             // "zones/example.com.zone:12"
};

// What of the zone file the comparison needs.
struct ZoneFileView {
  std::string path;                     // the file, as given
  std::string zone;                     // apex, lowercased, absolute
  std::vector<FileRrset> rrsets;        // authoritative RRsets: apex and names above every cut; at a
                                        // cut only DS and NSEC; never glue, occluded data or RRSIG
  std::vector<std::string> delegations; // zone cuts below the apex: data below them is the child's
  std::vector<std::string> dnames;      // DNAME owners: data below them is occluded (RFC 6672 §2.4)
  std::vector<std::string> wildcards;   // owners "*.<name>": names below <name> may be synthesised
};

// The view of a loaded zone file: its authoritative RRsets as defined above, from `layout`.
ZoneFileView zone_file_view(const dns::ZoneStore& store, const dns::ZoneLayout& layout, std::string path);

// The (owner, type) questions that ask every server for the file's RRsets: every RRset of the
// view but NSEC at a cut (a referral answers it: only DS is asked there), in canonical order.
std::vector<std::pair<std::string, std::string>> zone_file_questions(const ZoneFileView& file);

enum class DiffKind : std::uint8_t {
  missing,   // the file has the RRset; the server answers NXDOMAIN or NODATA for it
  different, // both have it, with different RDATA
  extra,     // the server serves it authoritatively; the file does not have it
};

// One way one or more server addresses differ from the file for one RRset.
struct ServerDifference {
  std::vector<std::string> servers; // "name/address", sorted
  DiffKind kind = DiffKind::missing;
  std::string denial;                   // missing: "NXDOMAIN" or "NODATA"
  std::vector<std::string> only_file;   // RDATA (presentation) only in the file
  std::vector<std::string> only_server; // RDATA only on the server
  std::optional<std::uint32_t> file_ttl;
  std::optional<std::uint32_t> server_ttl;
};

// Every difference at one (owner, type).
struct RrsetDifference {
  std::string owner;
  std::string type;
  std::string location;                      // the file's RRset, "" for extra data
  std::vector<ServerDifference> differences; // one per group of servers that differ alike
  // Servers that serve exactly the file's RDATA but with another TTL: "name/address: 300 (file 3600)".
  std::vector<std::string> ttl_only;
};

// Compares `file` with the authoritative answers of `zone`'s servers (every exchange: the
// built-in probes, --name, --walk and --zone-file queries). An RRset is missing on a server only
// when that server was asked it and denied it; different when both have it; extra when a server
// served it, in the answer or authority section of an authoritative NOERROR or NXDOMAIN answer,
// at a name of the zone that the file does not have it at (not below a cut or DNAME, not a name
// a wildcard of the file may have synthesised). RRSIGs are not compared on their own. RDATA is
// compared in canonical form (RFC 4034 §6.2), TTLs only reported. Sorted by owner and type.
std::vector<RrsetDifference> compare_zone_file(const ZoneFileView& file, const ZoneSnapshot& zone);

std::string_view to_string(DiffKind kind) noexcept;

} // namespace zw::rules
