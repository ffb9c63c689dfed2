#pragma once
// Every finding of `check` points at its file and line (issue #9): what the rules did not say
// themselves, the engine adds from the zone store.

#include <vector>

#include "dns/zone_store.hpp"
#include "zonewarden/audit.hpp"
#include "zonewarden/finding.hpp"

namespace zw {

// Adds to each finding whose message and evidence name no line of the zone's files the line of
// the RRset it is located at (for a DS at the apex: the lines of check.ds_sources' records; else
// the DNSKEY RRset, the owner's first record or the apex SOA). internal/* and policy/* findings
// are left alone.
// Then sets each finding's Location::file and ::line (set_file_locations).
void point_at_file_lines(const dns::ZoneStore& store, const CheckOptions& check, std::vector<Finding>& findings);

// Sets Location::file and ::line of each finding that has none from the first `file:line` of its
// evidence that names one of the zone's files or the --ds files (SARIF's
// physicalLocation, the JSON report's "file" and "line").
void set_file_locations(const dns::ZoneStore& store, const CheckOptions& check, std::vector<Finding>& findings);

} // namespace zw
