#pragma once
// The names the prober invents below an audited zone's apex, shared by the prober (which asks
// them) and the readers of a Snapshot (which find them among a server's exchanges). Plain text
// functions of what the Snapshot records, so `audit --restore` finds the same names.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zw::snapshot {

// The query type of the NODATA denial probes (RFC 1035 §3.3.10 NULL): no zone publishes it, so
// the apex and a name server name answer NOERROR with an empty answer and a denial proof.
inline constexpr std::string_view k_nodata_probe_qtype = "NULL";
// The query type of the NXDOMAIN denial probe.
inline constexpr std::string_view k_nxdomain_probe_qtype = "A";

// The label of the NXDOMAIN denial probe of `zone` (normalised, "example.com.") in the run that
// began at `started_at` (Snapshot::started_at): "zw-" and 12 lower-case hex digits of an FNV-1a
// hash of both, so it looks random, is the same for every server of the zone in one run, and
// differs between zones and runs.
std::string denial_probe_label(std::string_view zone, std::int64_t started_at);

// "<denial_probe_label>.<zone>", or nullopt when that name would exceed 255 octets.
std::optional<std::string> denial_probe_name(std::string_view zone, std::int64_t started_at);

} // namespace zw::snapshot
