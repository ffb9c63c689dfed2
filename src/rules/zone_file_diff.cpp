#include "rules/zone_file_diff.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "dns/canonical_rdata.hpp"
#include "dns/rr.hpp"
#include "rules/observations.hpp"
#include "util/enum_names.hpp"

namespace zw::rules {

namespace {

using Key = std::pair<std::string, std::string>; // (owner, type)

// An RRset as compared: canonical RDATA -> presentation RDATA, and the TTL.
struct Records {
  std::map<dns::Bytes, std::string> rdata;
  std::optional<std::uint32_t> ttl;
};

struct Parsed {
  Key key;
  dns::Bytes canonical;
  std::string text;
  std::uint32_t ttl = 0;
};

std::optional<Parsed> parse(const std::string& text) {
  Result<dns::Rr> rr = dns::parse_rr(text);
  if (!rr) {
    return std::nullopt;
  }
  Parsed p;
  p.key = {dns::name_to_text(dns::lowercased(rr->owner)), dns::type_to_text(rr->type)};
  dns::canonical_rdata(rr->type, rr->rdata, p.canonical);
  p.text = rdata_text(text);
  p.ttl = rr->ttl;
  return p;
}

void add(Records& records, const Parsed& p) {
  records.rdata.emplace(p.canonical, p.text);
  if (!records.ttl) {
    records.ttl = p.ttl;
  }
}

bool below(const std::string& name, const std::string& ancestor) {
  return name != ancestor && dns::name_is_at_or_below(name, ancestor);
}

// How one server answered the question (owner, type) itself, from the exchange a resolver takes
// (find_exchange's choice, UDP unless it is truncated or unusable, then TCP): "NXDOMAIN",
// "NODATA", or "" when it was not asked or gave no authoritative answer (nothing can be said).
// Indexed once per server: a large file asks many questions of each.
class Denials {
public:
  explicit Denials(const ServerProbe& probe) {
    std::map<Key, std::pair<const Exchange*, const Exchange*>> chosen; // (udp, tcp)
    for (const Exchange& e : probe.exchanges) {
      auto& [udp, tcp] = chosen[{lower(e.qname), e.qtype}];
      const Exchange*& slot = e.transport == Transport::udp ? udp : tcp;
      if (slot == nullptr || (slot->outcome != Outcome::answered && e.outcome == Outcome::answered)) {
        slot = &e;
      }
    }
    const auto usable = [](const Exchange* e) {
      return e != nullptr && e->outcome == Outcome::answered && e->aa && !e->tc && (e->rcode == 0 || e->rcode == 3);
    };
    for (const auto& [key, pair] : chosen) {
      const Exchange* e = usable(pair.first) ? pair.first : pair.second;
      if (!usable(e)) {
        continue;
      }
      if (e->rcode == 3) {
        m_denials[key] = "NXDOMAIN";
      } else if (records_of(e->answer, key.first, key.second).empty()) {
        m_denials[key] = "NODATA";
      }
    }
  }
  std::string of(const Key& key) const {
    const auto it = m_denials.find(key);
    return it == m_denials.end() ? std::string() : it->second;
  }

private:
  static std::string lower(std::string name) {
    for (char& c : name) {
      c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return name;
  }
  std::map<Key, std::string> m_denials;
};

std::vector<std::string> only_in(const Records& a, const Records& b) {
  std::vector<std::string> out;
  for (const auto& [canonical, text] : a.rdata) {
    if (!b.rdata.contains(canonical)) {
      out.push_back(text);
    }
  }
  return out;
}

} // namespace

ZoneFileView zone_file_view(const dns::ZoneStore& store, const dns::ZoneLayout& layout, std::string path) {
  ZoneFileView view;
  view.path = std::move(path);
  view.zone = dns::name_to_text(store.origin());
  for (const dns::Bytes& cut : layout.delegations()) {
    view.delegations.push_back(dns::name_to_text(cut));
  }
  for (const dns::Bytes& dname : layout.dnames()) {
    view.dnames.push_back(dns::name_to_text(dname));
  }
  for (const dns::RrsetView rrset : store.rrsets()) {
    if (rrset.type() == dns::rrtype::rrsig) {
      continue;
    }
    const dns::NameRole role = layout.role_of(rrset.owner());
    const bool at_cut = role == dns::NameRole::delegation;
    if (role != dns::NameRole::apex && role != dns::NameRole::authoritative &&
        !(at_cut && (rrset.type() == dns::rrtype::ds || rrset.type() == dns::rrtype::nsec))) {
      continue;
    }
    FileRrset out;
    out.owner = dns::name_to_text(rrset.owner());
    out.type = dns::type_to_text(rrset.type());
    out.location = rrset.location().to_string();
    for (const dns::Rr& rr : rrset.materialize()) {
      out.records.push_back(dns::to_text(rr));
    }
    if (out.owner.starts_with("*.") && (view.wildcards.empty() || view.wildcards.back() != out.owner)) {
      view.wildcards.push_back(out.owner);
    }
    view.rrsets.push_back(std::move(out));
  }
  return view;
}

std::vector<std::pair<std::string, std::string>> zone_file_questions(const ZoneFileView& file) {
  const std::set<std::string> cuts(file.delegations.begin(), file.delegations.end());
  std::vector<std::pair<std::string, std::string>> out;
  for (const FileRrset& rrset : file.rrsets) {
    if (rrset.type == "NSEC" && cuts.contains(rrset.owner)) {
      continue;
    }
    out.emplace_back(rrset.owner, rrset.type);
  }
  return out;
}

using util::EnumName;

constexpr auto k_diff_kind_names =
    util::enum_names({EnumName(DiffKind::missing, "missing"), EnumName(DiffKind::different, "different"),
                      EnumName(DiffKind::extra, "extra")});

std::string_view to_string(DiffKind kind) noexcept {
  return k_diff_kind_names.text(kind);
}

std::vector<RrsetDifference> compare_zone_file(const ZoneFileView& file, const ZoneSnapshot& zone) {
  std::map<Key, Records> in_file;
  std::map<Key, std::string> where;
  std::set<std::string> file_owners;
  for (const FileRrset& rrset : file.rrsets) {
    for (const std::string& text : rrset.records) {
      if (const std::optional<Parsed> p = parse(text)) {
        add(in_file[p->key], *p);
        where[p->key] = rrset.location;
        file_owners.insert(p->key.first);
      }
    }
  }
  // Whether a name is the zone's own data, as far as extra RRsets go.
  const auto in_scope = [&](const Key& key) {
    const auto& [owner, type] = key;
    // The DS RRset at the apex is the parent's data (RFC 4035 §2.4), served by a server that
    // also serves the parent.
    if (type == "RRSIG" || !dns::name_is_at_or_below(owner, file.zone) || (owner == file.zone && type == "DS")) {
      return false;
    }
    for (const std::string& cut : file.delegations) {
      if (below(owner, cut) || (owner == cut && type != "DS" && type != "NSEC")) {
        return false; // a delegation's NS and glue are the child's, seen only in referrals
      }
    }
    for (const std::string& dname : file.dnames) {
      if (below(owner, dname)) {
        return false;
      }
    }
    if (!file_owners.contains(owner)) {
      // A name the file does not have may be a wildcard's synthesis (RFC 4592 §3.3.1).
      for (const std::string& wildcard : file.wildcards) {
        if (below(owner, wildcard.substr(2))) {
          return false;
        }
      }
    }
    return true;
  };

  // What each server served, from every authoritative answer it gave.
  std::map<std::string, std::map<Key, Records>> served;
  std::map<std::string, Denials> denials;
  for (const ServerProbe& probe : zone.servers) {
    denials.emplace(server_label(probe.name, probe.address), Denials(probe));
  }
  for_each_authoritative_section(zone, [&](const std::string& label, const std::vector<std::string>& section) {
    for (const std::string& text : section) {
      if (const std::optional<Parsed> p = parse(text); p && p->key.second != "RRSIG") {
        add(served[label][p->key], *p);
      }
    }
  });

  // (owner, type) -> server -> its difference; grouped below.
  std::map<Key, std::vector<std::pair<std::string, ServerDifference>>> found;
  std::map<Key, std::vector<std::string>> ttl_only;
  for (const auto& [key, records] : in_file) {
    for (const auto& [label, denied] : denials) {
      const auto& mine = served[label];
      const auto it = mine.find(key);
      ServerDifference d;
      d.file_ttl = records.ttl;
      if (it == mine.end()) {
        d.denial = denied.of(key);
        if (d.denial.empty()) {
          continue;
        }
        d.kind = DiffKind::missing;
        d.only_file = only_in(records, Records{});
      } else {
        d.kind = DiffKind::different;
        d.server_ttl = it->second.ttl;
        d.only_file = only_in(records, it->second);
        d.only_server = only_in(it->second, records);
        if (d.only_file.empty() && d.only_server.empty()) {
          if (d.file_ttl != d.server_ttl && d.server_ttl) {
            ttl_only[key].push_back(fmt::format("{}: {} (file {})", label, *d.server_ttl, d.file_ttl.value_or(0)));
          }
          continue;
        }
      }
      found[key].emplace_back(label, std::move(d));
    }
  }
  for (const auto& [label, mine] : served) {
    for (const auto& [key, records] : mine) {
      if (in_file.contains(key) || !in_scope(key)) {
        continue;
      }
      ServerDifference d;
      d.kind = DiffKind::extra;
      d.server_ttl = records.ttl;
      d.only_server = only_in(records, Records{});
      found[key].emplace_back(label, std::move(d));
    }
  }

  std::vector<RrsetDifference> out;
  for (auto& [key, per_server] : found) {
    RrsetDifference r;
    r.owner = key.first;
    r.type = key.second;
    if (const auto w = where.find(key); w != where.end()) {
      r.location = w->second;
    }
    if (const auto t = ttl_only.find(key); t != ttl_only.end()) {
      r.ttl_only = t->second;
    }
    // Servers that differ alike share one entry.
    for (auto& entry : per_server) {
      // Not a structured binding: clang before 16 cannot capture one in the lambda.
      ServerDifference& d = entry.second;
      const auto same = std::find_if(r.differences.begin(), r.differences.end(), [&](const ServerDifference& g) {
        return std::tie(g.kind, g.denial, g.only_file, g.only_server, g.server_ttl) ==
               std::tie(d.kind, d.denial, d.only_file, d.only_server, d.server_ttl);
      });
      if (same != r.differences.end()) {
        same->servers.push_back(entry.first);
      } else {
        d.servers = {entry.first};
        r.differences.push_back(std::move(d));
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

} // namespace zw::rules
