// The walker reading answers: presentation-format RR lines (referrals, glue), which exchanges
// a resolver can move on with, and the details of questions a deadline or bound left unasked.

#include <algorithm>

#include <fmt/format.h>

#include "dns/rr.hpp"
#include "probe/walker_internal.hpp"

namespace zw::probe::detail {

std::string normalized_or(const std::string& text) {
  Result<std::string> name = dns::normalize_name(text);
  return name ? *name : text;
}

bool names_below(std::string_view name, std::string_view ancestor) {
  return name != ancestor && dns::name_is_at_or_below(name, ancestor);
}

// NS targets with owner `owner` in `section`.
std::vector<std::string> ns_targets(const std::vector<std::string>& section, const std::string& owner) {
  std::vector<std::string> names;
  for (const std::string& line : section) {
    const std::optional<dns::SectionRr> rr = dns::split_section_rr(line);
    if (rr && rr->type == "NS" && rr->owner == owner) {
      const std::string target = normalized_or(rr->rdata);
      if (std::find(names.begin(), names.end(), target) == names.end()) {
        names.push_back(target);
      }
    }
  }
  return names;
}

// Owner of the first NS record in the authority section: where a referral points.
std::optional<std::string> referral_owner(const Exchange& ex) {
  for (const std::string& line : ex.authority) {
    const std::optional<dns::SectionRr> rr = dns::split_section_rr(line);
    if (rr && rr->type == "NS") {
      return rr->owner;
    }
  }
  return std::nullopt;
}

// A/AAAA records for `names` in `section`, keeping only owners at or below `bailiwick`
// (a resolver ignores out-of-bailiwick glue, RFC 2181 §5.4.1).
std::map<std::string, std::vector<std::string>>
glue_of(const std::vector<std::string>& section, const std::vector<std::string>& names, const std::string& bailiwick) {
  std::map<std::string, std::vector<std::string>> glue;
  for (const std::string& line : section) {
    const std::optional<dns::SectionRr> rr = dns::split_section_rr(line);
    if (!rr || (rr->type != "A" && rr->type != "AAAA") ||
        std::find(names.begin(), names.end(), rr->owner) == names.end() ||
        !dns::name_is_at_or_below(rr->owner, bailiwick)) {
      continue;
    }
    std::vector<std::string>& addresses = glue[rr->owner];
    if (std::find(addresses.begin(), addresses.end(), rr->rdata) == addresses.end()) {
      addresses.push_back(rr->rdata);
    }
  }
  return glue;
}

bool is_referral(const Exchange& ex) {
  return ex.outcome == Outcome::answered && ex.rcode == k_rcode_noerror && !ex.aa && referral_owner(ex);
}

// An answer a resolver can move on with: authoritative (NOERROR or NXDOMAIN) or a referral.
bool is_useful(const Exchange& ex) {
  return ex.outcome == Outcome::answered &&
         ((ex.aa && (ex.rcode == k_rcode_noerror || ex.rcode == k_rcode_nxdomain)) || is_referral(ex));
}

bool is_authoritative_answer(const Exchange& ex) {
  return ex.outcome == Outcome::answered && ex.aa && (ex.rcode == k_rcode_noerror || ex.rcode == k_rcode_nxdomain);
}

// The exchange of `probe` for (qname, qtype) that says the most: a complete answer (the TCP one
// after a truncated UDP answer) before any other; nullptr when it was never asked.
const Exchange* best_exchange(const ServerProbe& probe, const std::string& qname, const std::string& qtype) {
  const Exchange* best = nullptr;
  const auto rank = [](const Exchange& ex) { return ex.outcome != Outcome::answered ? 0 : ex.tc ? 1 : 2; };
  for (const Exchange& ex : probe.exchanges) {
    if (ex.qname == qname && ex.qtype == qtype && (best == nullptr || rank(ex) >= rank(*best))) {
      best = &ex;
    }
  }
  return best;
}

std::string short_summary(const Exchange& ex) {
  if (ex.outcome == Outcome::answered) {
    return fmt::format("rcode {}{}", ex.rcode, ex.aa ? " aa" : "");
  }
  if (ex.outcome == Outcome::not_asked && !ex.detail.empty()) {
    return fmt::format("{} ({})", to_string(ex.outcome), ex.detail); // which bound, or the deadline
  }
  return std::string(to_string(ex.outcome));
}

// "the bound --max-queries-per-zone (5000) was reached": the detail of every question a bound
// left unasked, and (after k_bound_reached) the walk error that names it.
std::string bound_name(std::string_view bound, std::uint64_t value) {
  return fmt::format("{} ({})", bound, value);
}
std::string bound_detail(std::string_view bound, std::uint64_t value) {
  return fmt::format("the bound {} was reached", bound_name(bound, value));
}

// A question left unasked: by the deadline (`detail` k_not_sent_by_deadline) or a bound. Its
// answer is unknown: no rule takes it for a silent server or a missing record.
Exchange not_asked_exchange(const std::string& qname, const std::string& qtype, Transport transport,
                            std::string detail) {
  Exchange ex;
  ex.qname = qname;
  ex.qtype = qtype;
  ex.transport = transport;
  ex.outcome = Outcome::not_asked;
  ex.detail = std::move(detail);
  return ex;
}

} // namespace zw::probe::detail
