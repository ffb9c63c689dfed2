// `zonewarden explain NAME [TYPE]`: why a name fails (or resolves) at a validating resolver.
// No second resolver: the walker finds the zone that holds NAME (probe::find_zone), the normal
// audit of that zone asks its servers NAME/TYPE (audit_walk with a name query, run_audit_rules),
// and the answer is read off the audit: the chain of trust from its chain links, the verdict
// from the findings' predicted resolver impact. A CNAME or DNAME into another zone is followed
// (at most k_max_links) and that zone is audited too.

#include "cli/explain_command.hpp"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <set>

#include <unistd.h>

#include <fmt/format.h>

#include "cli/common.hpp"
#include "dns/packet.hpp"
#include "dns/rr.hpp"
#include "dnssec/zone_analysis.hpp"
#include "probe/walker.hpp"
#include "rules/verdicts.hpp"
#include "util/files.hpp"
#include "util/time.hpp"
#include "zonewarden/explain.hpp"

namespace zw::cli {

namespace {

// RFC 1034 §3.6.2 and RFC 6672 §2: resolvers bound CNAME/DNAME chains; Unbound follows 8.
constexpr int k_max_links = 8;

struct ExplainArgs {
  std::string name;
  std::string type = "A";
  NetworkArgs network;
  std::string now;
  std::string format = "text";
  std::string output;

  // The subcommand, and its line in --help.
  static constexpr std::string_view k_command = "explain";
  static constexpr std::string_view k_about = "Why does NAME fail (or resolve) at a validating resolver?";
};

// The audit of the zone that holds one name of the CNAME chain.
struct Leg {
  std::string qname;
  std::string qtype;
  probe::ZoneOfName where;
  Snapshot snapshot;
  ZoneResult result;
  dnssec::ZoneDnssec analysis;
};

// What the zone's servers answered to qname/qtype (the first authoritative answer).
struct Answer {
  const Exchange* exchange = nullptr;
  std::vector<std::string> servers; // every server that answered authoritatively
  std::string next;                 // CNAME/DNAME target to follow, normalised
  std::string alias_type;           // "CNAME" or "DNAME" when `next` is set
  std::string alias_owner;
  bool has_data = false; // records of qtype at qname
};

Answer read_answer(const ZoneSnapshot& zone, const std::string& qname, const std::string& qtype) {
  Answer out;
  for (const ServerProbe& server : zone.servers) {
    for (const Exchange& e : server.exchanges) {
      if (e.qname != qname || e.qtype != qtype || e.outcome != Outcome::answered || !e.aa || e.tc ||
          (e.rcode != 0 && e.rcode != 3)) {
        continue;
      }
      const std::string id = fmt::format("{}/{}", server.name, server.address);
      if (std::find(out.servers.begin(), out.servers.end(), id) == out.servers.end()) {
        out.servers.push_back(id);
      }
      if (out.exchange == nullptr) {
        out.exchange = &e;
      }
    }
  }
  if (out.exchange == nullptr) {
    return out;
  }
  for (const std::string& line : out.exchange->answer) {
    const std::optional<dns::SectionRr> rr = dns::split_section_rr(line);
    if (!rr) {
      continue;
    }
    if (rr->owner == qname && rr->type == qtype) {
      out.has_data = true;
    }
    if (qtype != "CNAME" && rr->owner == qname && rr->type == "CNAME" && !rr->rdata.empty() && out.next.empty()) {
      out.next = dns::normalize_name(rr->first_rdata_word()).value_or("");
      out.alias_type = "CNAME";
      out.alias_owner = rr->owner;
    }
    // RFC 6672 §2.2: the DNAME's owner is replaced by its target in qname.
    if (qtype != "DNAME" && rr->type == "DNAME" && rr->owner != qname && dns::name_is_at_or_below(qname, rr->owner) &&
        !rr->rdata.empty() && out.next.empty()) {
      const std::string target = dns::normalize_name(rr->first_rdata_word()).value_or("");
      const std::string prefix = qname.substr(0, qname.size() - rr->owner.size());
      if (!target.empty()) {
        out.next = dns::normalize_name(prefix + (target == "." ? "" : target)).value_or("");
        out.alias_type = "DNAME";
        out.alias_owner = rr->owner;
      }
    }
  }
  if (out.has_data) {
    out.next.clear();
  }
  return out;
}

bool is_servfail_error(const Finding& f) {
  return f.severity == Severity::error && f.resolver.rcode == Rcode::servfail;
}

// The finding that makes the zone's own link (DS -> DNSKEY, or the zone as a whole) fail.
const Finding* zone_link_finding(const ZoneResult& r) {
  const auto at_apex = [&r](const Finding& f) { return f.location.owner.empty() || f.location.owner == r.zone; };
  for (const Finding& f : r.findings) {
    if (is_servfail_error(f) &&
        (rules::is_key_set_rule(f.rule) || (at_apex(f) && (f.location.type == "DNSKEY" || f.location.type == "DS")))) {
      return &f;
    }
  }
  for (const Finding& f : r.findings) {
    if (is_servfail_error(f) && at_apex(f) && f.location.type.empty()) {
      return &f;
    }
  }
  return nullptr;
}

// The finding about the RRset qname/qtype (or the alias at qname, or the denial of qname).
const Finding* rrset_finding(const ZoneResult& r, const std::string& qname, const std::string& qtype,
                             const std::string& alias_owner, const std::string& alias_type) {
  for (const Finding& f : r.findings) {
    if (!is_servfail_error(f)) {
      continue;
    }
    const bool here = f.location.owner == qname &&
                      (f.location.type == qtype || f.location.type.empty() || f.rule == "dnssec/denial-proof-invalid");
    const bool alias = !alias_type.empty() && f.location.owner == alias_owner && f.location.type == alias_type;
    if (here || alias) {
      return &f;
    }
  }
  return nullptr;
}

std::string status_of(const Finding& f) {
  return f.rule.starts_with("dnssec/") ? "bogus" : "indeterminate";
}

std::string zone_reason(const ChainLink& link, const std::string& parent, bool is_root) {
  std::vector<std::string> matched;
  for (const ChainLink::Ds& d : link.ds) {
    if (d.matches_key) {
      matched.push_back(fmt::format("{}/{}", d.key_tag, static_cast<int>(d.algorithm)));
    }
  }
  std::vector<std::string> signing;
  for (const ChainLink::Key& k : link.keys) {
    if (k.matched_by_ds && k.signs_dnskey) {
      signing.push_back(std::to_string(k.key_tag));
    }
  }
  const std::string from = is_root ? std::string("the trust anchor") : fmt::format("the DS at {}", parent);
  if (link.status == "secure") {
    return fmt::format("{} ({}) matches DNSKEY {}, which signs the DNSKEY RRset", from,
                       matched.empty() ? "-" : fmt::format("{}", fmt::join(matched, ", ")),
                       signing.empty() ? "-" : fmt::format("{}", fmt::join(signing, ", ")));
  }
  if (link.status == "insecure") {
    return link.ds.empty() ? fmt::format("no DS at {}: an unsigned delegation (RFC 4035 §5.2)", parent)
                           : "insecure: every DS uses an algorithm or digest a resolver does not support";
  }
  if (link.status == "bogus") {
    if (link.ds.empty()) {
      return "bogus";
    }
    return matched.empty()
               ? fmt::format("no DNSKEY matches {}", from)
               : fmt::format("{} matches a DNSKEY, but no valid signature by it over the DNSKEY RRset", from);
  }
  return "the chain of trust could not be checked";
}

std::vector<std::string> zone_servers(const Leg& leg, const std::string& zone) {
  std::vector<std::string> out;
  if (zone == leg.result.zone) {
    for (const ServerRow& row : leg.result.servers) {
      out.push_back(fmt::format("{}/{}", row.name, row.address));
    }
    return out;
  }
  for (const AncestorZone& a : leg.snapshot.zones.front().ancestors) {
    if (a.zone == zone && !a.server.empty()) {
      out.push_back(a.server);
    }
  }
  return out;
}

// The zone's DNSKEY RRset validates, and a key that a DS names signs it.
bool dnskey_secure(const dnssec::ZoneDnssec& d) {
  const bool entry = std::any_of(d.keys.begin(), d.keys.end(),
                                 [](const dnssec::KeyRecord& k) { return k.matched_by_ds && k.signs_dnskey; });
  const bool valid = std::any_of(d.rrsets.begin(), d.rrsets.end(), [&d](const dnssec::SignedRrset& r) {
    return r.zone == d.zone && r.owner == d.zone && r.type == "DNSKEY" && r.security == dnssec::ChainStatus::secure;
  });
  return entry && valid;
}

struct Decided {
  std::optional<Finding> finding; // a copy: the leg's audit it comes from is gone by the end
  std::size_t link = 0;           // index in Explanation::chain
};

void add_finding(Explanation& e, const Finding& f) {
  if (std::find(e.rules.begin(), e.rules.end(), f.rule) == e.rules.end()) {
    e.rules.push_back(f.rule);
  }
  e.findings.push_back(f);
}

Result<Leg> audit_leg(const std::string& qname, const std::string& qtype, const probe::ProbeOptions& base,
                      const std::vector<std::string>& anchor, const std::optional<std::int64_t>& now) {
  Leg leg;
  leg.qname = qname;
  leg.qtype = qtype;
  ZW_TRY_ASSIGN(leg.where, probe::find_zone(qname, qtype, base));
  probe::ProbeOptions options = base;
  options.name_queries = {probe::NameQuery{.zone = leg.where.zone, .qname = qname, .qtype = qtype}};
  ZW_TRY_ASSIGN(leg.snapshot, probe::audit_walk({leg.where.zone}, options));
  leg.snapshot.trust_anchor = anchor;
  leg.snapshot.tool_version = ZW_VERSION;
  leg.snapshot.public_root_hints = options.public_hints && options.servers.empty();
  EngineOptions engine;
  engine.now = now.value_or(leg.snapshot.started_at);
  AuditResult audited = run_audit_rules(leg.snapshot, engine);
  if (audited.zones.size() != 1) {
    return fail(fmt::format("{}: the audit returned no result", leg.where.zone));
  }
  leg.result = std::move(audited.zones.front());
  leg.analysis = dnssec::analyse_zone(leg.snapshot.zones.front(), anchor, engine.now);
  return leg;
}

Result<Explanation> explain(const ExplainArgs& args) {
  // plan_name_queries checks NAME and TYPE exactly as `audit --name` does ("." holds every name).
  auto planned = probe::plan_name_queries({"."}, {fmt::format("{}/{}", args.name, args.type)});
  if (!planned) {
    // Its messages name `--name NAME/TYPE`; here NAME and TYPE are arguments.
    const std::string& message = planned.error().message;
    return fail(fmt::format("explain {}", message.starts_with("--name ") ? message.substr(7) : message));
  }
  if (planned->size() != 1) {
    return fail(fmt::format("explain {} {}: expected one name and one type", args.name, args.type));
  }
  ZW_TRY_ASSIGN(const std::optional<std::int64_t> now, parse_now(args.now));
  ZW_TRY_ASSIGN(const probe::ProbeOptions options, probe_options(args.network));
  ZW_TRY_ASSIGN(const std::vector<std::string> anchor, load_trust_anchor(args.network.trust_anchor));

  Explanation e;
  e.name = planned->front().qname;
  e.type = planned->front().qtype;
  std::set<std::string> shown_zones;
  std::set<std::string> asked;
  std::string qname = e.name;
  std::optional<Decided> decided;
  Rcode final_rcode = Rcode::none;
  std::string final_status = "indeterminate";
  for (int hop = 0;; ++hop) {
    if (hop > k_max_links) {
      e.notes.push_back(fmt::format("more than {} CNAME/DNAME links: a resolver gives up", k_max_links));
      final_rcode = Rcode::servfail;
      break;
    }
    if (!asked.insert(qname).second) {
      e.notes.push_back(fmt::format("the CNAME/DNAME chain loops back to {}", qname));
      final_rcode = Rcode::servfail;
      break;
    }
    ZW_TRY_ASSIGN(const Leg leg, audit_leg(qname, e.type, options, anchor, now));
    const ZoneResult& r = leg.result;
    if (!leg.where.unanswered.empty()) {
      e.notes.push_back(leg.where.unanswered);
    }
    for (const std::string& note : r.notes) {
      if (note.starts_with("chain of trust above")) {
        e.notes.push_back(fmt::format("{}: {}", r.zone, note));
      }
    }
    // 1. The zone cuts, root first; those already shown by an earlier link are shared.
    int zone_depth = 0;
    for (std::size_t i = 0; i < r.chain_links.size(); ++i) {
      const ChainLink& link = r.chain_links[i];
      zone_depth = static_cast<int>(i);
      if (!shown_zones.insert(link.zone).second) {
        continue;
      }
      const bool own = link.zone == r.zone;
      // The audited zone's chain link is bogus as soon as any RRset of the zone is; for this
      // name only the DS -> DNSKEY link counts: a DNSKEY RRset that validates through a key the
      // DS names is a secure link, whatever else of the zone is bogus (RFC 4035 §5.2).
      std::string status = link.status;
      if (own && status == "bogus" && leg.analysis.above == dnssec::ChainStatus::secure &&
          dnskey_secure(leg.analysis)) {
        status = "secure";
      }
      ExplainLink out;
      out.kind = "zone";
      out.name = link.zone;
      out.depth = zone_depth;
      out.status = status;
      ChainLink shown = link;
      shown.status = status;
      out.reason = zone_reason(shown, i == 0 ? "" : r.chain_links[i - 1].zone, i == 0);
      out.servers = zone_servers(leg, link.zone);
      if (link.zone == r.zone && out.status != "bogus" && !r.servers.empty() &&
          std::none_of(r.servers.begin(), r.servers.end(), [](const ServerRow& s) { return s.authoritative; })) {
        out.reason += "; no server of the zone answers authoritatively";
      }
      e.chain.push_back(std::move(out));
      if (!decided && (status == "bogus" || own)) {
        // The first bogus link from the top decides; below the zone's own link, a failure of
        // the zone as a whole (every server lame, ...) decides as well.
        const Finding* f = zone_link_finding(r);
        if (f == nullptr && status == "bogus") {
          f = std::find_if(r.findings.begin(), r.findings.end(), is_servfail_error) != r.findings.end()
                  ? &*std::find_if(r.findings.begin(), r.findings.end(), is_servfail_error)
                  : nullptr;
        }
        if (f != nullptr) {
          decided = Decided{*f, e.chain.size() - 1};
          e.chain.back().rules.push_back(f->rule);
          if (e.chain.back().status != "bogus") {
            e.chain.back().status = status_of(*f);
          }
          e.chain.back().reason = fmt::format("{}: {}", f->rule, f->message);
          add_finding(e, *f);
        } else if (status == "bogus") {
          e.notes.push_back(
              fmt::format("{}: the chain of trust is bogus and no finding of {} says why", link.zone, r.zone));
          decided = Decided{std::nullopt, e.chain.size() - 1};
        }
      }
    }
    if (r.chain_links.empty()) {
      ExplainLink out;
      out.kind = "zone";
      out.name = r.zone;
      out.status = r.chain;
      out.servers = zone_servers(leg, r.zone);
      out.reason = "the chain of trust above the zone was not walked";
      e.chain.push_back(std::move(out));
    }
    // 2. The answer: the RRset, the alias on the way, or the denial.
    const Answer answer = read_answer(leg.snapshot.zones.front(), qname, e.type);
    ExplainLink rr;
    rr.depth = zone_depth + 1;
    rr.name = qname;
    rr.type = e.type;
    rr.servers = answer.servers;
    std::string rr_status = r.chain_links.empty() ? r.chain : r.chain_links.back().status;
    const auto verdict_of = [&](const std::string& owner, const std::string& type) -> std::optional<std::string> {
      for (const dnssec::SignedRrset& s : leg.analysis.rrsets) {
        if (s.owner == owner && s.type == type) {
          return std::string(dnssec::to_string(s.security));
        }
      }
      return std::nullopt;
    };
    // The RRsets whose verdict is this answer's: the data (or the alias), or, for a denial, the
    // SOA and NSEC/NSEC3 RRsets of the authority section (RFC 4035 §5.4: a bogus one makes the
    // denial bogus, whatever the proof says).
    std::vector<std::pair<std::string, std::string>> evidence;
    if (answer.exchange == nullptr) {
      rr.kind = "rrset";
      rr.status = "indeterminate";
      rr.reason = "no server of the zone answered authoritatively";
    } else if (answer.exchange->rcode == 3 || !answer.has_data) {
      const bool nx = answer.exchange->rcode == 3;
      if (!answer.next.empty()) {
        rr.kind = "rrset";
        rr.name = answer.alias_owner;
        rr.type = answer.alias_type;
        rr.status = verdict_of(answer.alias_owner, answer.alias_type).value_or(rr_status);
        rr.reason = fmt::format("{} to {}", answer.alias_type, answer.next);
      } else {
        rr.kind = "denial";
        rr.status = rr_status;
        rr.reason = nx ? "NXDOMAIN: the name does not exist" : "NODATA: the name exists, without records of this type";
        for (const std::string& line : answer.exchange->authority) {
          const auto t = dns::split_section_rr(line);
          if (t && t->type != "RRSIG" &&
              std::find(evidence.begin(), evidence.end(), std::pair{t->owner, t->type}) == evidence.end()) {
            evidence.emplace_back(t->owner, t->type);
            if (verdict_of(t->owner, t->type) == "bogus") {
              rr.status = "bogus";
            }
          }
        }
        if (rr_status == "secure" && rr.status == "secure") {
          rr.reason += leg.analysis.denials.empty() ? ", and the NSEC/NSEC3 proof holds"
                                                    : ", but some denial proof of the zone fails";
        }
      }
    } else {
      rr.kind = "rrset";
      rr.status = verdict_of(qname, e.type).value_or(rr_status);
      rr.reason = fmt::format("{} record(s) of type {}",
                              std::count_if(answer.exchange->answer.begin(), answer.exchange->answer.end(),
                                            [&](const std::string& line) {
                                              const auto t = dns::split_section_rr(line);
                                              return t && t->owner == qname && t->type == e.type;
                                            }),
                              e.type);
    }
    e.chain.push_back(rr);
    if (!decided) {
      const Finding* f = rrset_finding(r, qname, e.type, answer.alias_owner, answer.alias_type);
      if (f == nullptr) {
        // One finding covers every RRset bogus for one reason, located at the first of them
        // (the others are in its evidence): find it by the rule that reports this RRset's reason.
        if (evidence.empty()) {
          evidence.emplace_back(answer.next.empty() ? qname : answer.alias_owner,
                                answer.next.empty() ? e.type : answer.alias_type);
        }
        for (const dnssec::SignedRrset& s : leg.analysis.rrsets) {
          if (f != nullptr || s.security != dnssec::ChainStatus::bogus ||
              std::find(evidence.begin(), evidence.end(), std::pair{s.owner, s.type}) == evidence.end()) {
            continue;
          }
          const std::string_view rule = rules::rule_for(s);
          const auto it = std::find_if(r.findings.begin(), r.findings.end(), [&](const Finding& g) {
            return is_servfail_error(g) && (g.rule == rule || rules::is_key_set_rule(g.rule));
          });
          if (it != r.findings.end()) {
            f = &*it;
          }
        }
      }
      if (f != nullptr) {
        decided = Decided{*f, e.chain.size() - 1};
        e.chain.back().rules.push_back(f->rule);
        e.chain.back().status = status_of(*f);
        e.chain.back().reason = fmt::format("{}: {}", f->rule, f->message);
        add_finding(e, *f);
      }
    }
    if (decided) {
      break;
    }
    if (answer.exchange == nullptr) {
      e.notes.push_back(fmt::format("{} {}: no authoritative answer and no finding that explains it", qname, e.type));
      break;
    }
    final_status = e.chain.back().status;
    if (answer.next.empty()) {
      final_rcode = answer.exchange->rcode == 3 ? Rcode::nxdomain : Rcode::noerror;
      break;
    }
    if (!options.servers.empty() && !dns::name_is_at_or_below(answer.next, r.zone)) {
      e.notes.push_back(fmt::format("{} points to {}, outside the zone of the --server servers: not followed",
                                    answer.alias_type, answer.next));
      final_rcode = Rcode::noerror;
      break;
    }
    e.notes.push_back(fmt::format("{} {} {} followed", qname, answer.alias_type, answer.next));
    qname = answer.next;
  }
  if (decided) {
    if (decided->finding) {
      e.rcode = decided->finding->resolver.rcode;
      e.ede = decided->finding->resolver.ede;
      e.status = status_of(*decided->finding);
      if (decided->finding->rule.starts_with("internal/")) {
        e.rcode = Rcode::none;
        e.ede = Ede::none;
        e.notes.push_back(fmt::format("zonewarden's own trouble: {}", decided->finding->message));
      }
    } else {
      e.rcode = Rcode::servfail;
      e.ede = Ede::dnssec_bogus;
      e.status = "bogus";
    }
  } else if (final_status == "bogus") {
    // A bogus answer is a SERVFAIL even when no finding names its cause (the engine reports
    // that as internal/unreported-bogus); never print a bogus NOERROR.
    e.rcode = Rcode::servfail;
    e.ede = Ede::dnssec_bogus;
    e.status = final_status;
    e.notes.push_back(fmt::format("{} {} is bogus and no finding says why", e.name, e.type));
  } else {
    e.rcode = final_rcode;
    e.status = final_status;
  }
  return e;
}

} // namespace

std::function<int()> add_explain_command(CLI::App& app) {
  const auto [args, cmd] = add_subcommand<ExplainArgs>(app);
  cmd->add_option("name", args->name, "The name a resolver is asked (www.example.com)")->required();
  cmd->add_option("type", args->type, "Its type: a mnemonic (AAAA) or TYPEnnn")->capture_default_str();
  add_network_options(*cmd, args->network,
                      "Undelegated test: ask exactly NAME=ADDRESS for the zone of NAME (repeatable)",
                      "Deadline for each audit on the way");
  add_now_option(*cmd, args->now);
  cmd->add_option("--format", args->format, "Output format: text or json")->capture_default_str();
  cmd->add_option("-o,--output", args->output, "Write the explanation to FILE (atomically)");
  return when_parsed(cmd, args, [](ExplainArgs& args, const CLI::App& /*cmd*/) -> int {
    if (args.format != "text" && args.format != "json") {
      return report_error(Error{fmt::format("--format {}: explain writes text or json", args.format)});
    }
    auto explained = explain(args);
    if (!explained) {
      return report_error(explained.error());
    }
    const bool colour = args.output.empty() && args.format == "text" && ::isatty(STDOUT_FILENO) != 0 &&
                        std::getenv("NO_COLOR") == nullptr;
    const std::string text =
        args.format == "json" ? render_explain_json(*explained) : render_explain_text(*explained, colour);
    if (args.output.empty()) {
      if (auto written = util::write_stdout(text); !written) {
        return report_error(written.error()); // a full or closed stdout is exit 2, never silent
      }
    } else if (auto written = util::write_file_atomically(args.output, text); !written) {
      return report_error(written.error());
    }
    switch (explained->rcode) {
    case Rcode::noerror:
    case Rcode::nxdomain: return k_exit_ok;
    case Rcode::servfail:
    case Rcode::refused: return k_exit_findings;
    case Rcode::none: return k_exit_error;
    }
    return k_exit_error;
  });
}

} // namespace zw::cli
