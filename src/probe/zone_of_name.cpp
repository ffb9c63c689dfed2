// Which zone holds a name: the zones of `--name` queries among the audited ones, and a
// name's zone found by following referrals from the root (find_zone).
#include <algorithm>
#include <exception>
#include <sstream>

#include <asio.hpp>
#include <fmt/format.h>

#include "dns/rr.hpp"
#include "probe/walker.hpp"
#include "probe/walker_internal.hpp"

namespace zw::probe {

using namespace detail;

Result<std::vector<NameQuery>> plan_name_queries(const std::vector<std::string>& zones,
                                                 const std::vector<std::string>& specs) {
  std::vector<NameQuery> out;
  for (const std::string& spec : specs) {
    const std::size_t slash = spec.rfind('/');
    const std::string name_text = spec.substr(0, slash);
    if (name_text.empty()) {
      return fail(fmt::format("--name {}: no name given (NAME or NAME/TYPE)", spec));
    }
    Result<std::string> name = dns::normalize_name(name_text);
    if (!name) {
      return fail(fmt::format("--name {}", name.error().message));
    }
    std::vector<std::string> qtypes;
    if (slash == std::string::npos) {
      qtypes = {"A", "AAAA"};
    } else {
      const std::string type_text = spec.substr(slash + 1);
      if (type_text.empty()) {
        return fail(fmt::format("--name {}: no type after '/' (a mnemonic such as AAAA, or TYPEnnn)", spec));
      }
      std::uint32_t code = 0;
      const bool numeric = type_text.size() > 4 && (type_text.starts_with("TYPE") || type_text.starts_with("type"));
      if (numeric) {
        // RFC 3597 §5: TYPE and a decimal number; ldns would wrap a number above 65535.
        const std::string digits = type_text.substr(4);
        if (digits.size() > 5 ||
            !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
            (code = static_cast<std::uint32_t>(std::stoul(digits))) == 0 || code > 65535) {
          return fail(
              fmt::format("--name {}: {} is not a type (TYPEnnn takes a number from 1 to 65535)", spec, type_text));
        }
      } else {
        code = dns::type_from_text(type_text);
        if (code == 0) {
          return fail(fmt::format("--name {}: unknown type {} (a mnemonic such as AAAA, or TYPEnnn)", spec, type_text));
        }
      }
      // RFC 6895 §3.1: OPT (41) and the meta-types and QTYPEs 128-254 (TKEY, TSIG, IXFR, AXFR,
      // MAILB, MAILA) are not data an authoritative server answers to a plain query.
      if (code == dns::rrtype::opt || (code >= 128 && code <= 254)) {
        return fail(fmt::format("--name {}: {} is a meta-type or transfer type, not a type to query", spec,
                                dns::type_to_text(static_cast<std::uint16_t>(code))));
      }
      qtypes = {dns::type_to_text(static_cast<std::uint16_t>(code))};
    }
    const std::string* owner = nullptr;
    for (const std::string& zone : zones) {
      if (dns::name_is_at_or_below(*name, zone) && (owner == nullptr || zone.size() > owner->size())) {
        owner = &zone;
      }
    }
    if (owner == nullptr) {
      return fail(fmt::format("--name {}: {} is not at or below any audited zone", spec, *name));
    }
    for (const std::string& qtype : qtypes) {
      const bool seen =
          std::any_of(out.begin(), out.end(), [&](const NameQuery& q) { return q.qname == *name && q.qtype == qtype; });
      if (!seen) {
        out.push_back(NameQuery{.zone = *owner, .qname = *name, .qtype = qtype});
      }
    }
  }
  return out;
}

namespace {

// The zone an authoritative answer to `qname` comes from (see find_zone); `level` when the
// records do not say.
std::string zone_of_answer(const Exchange& ex, const std::string& qname, const std::string& level) {
  // The zone is at or below the one whose servers answered: a signer or SOA owner above it
  // (a signature naming the parent, RFC 4035 §5.3.1) is the data's fault, not the zone.
  const auto plausible = [&](const std::string& zone) {
    return dns::name_is_at_or_below(qname, zone) && (level.empty() || dns::name_is_at_or_below(zone, level));
  };
  for (const auto* section : {&ex.answer, &ex.authority}) {
    for (const std::string& line : *section) {
      const std::optional<dns::SectionRr> rr = dns::split_section_rr(line);
      if (rr && rr->type == "SOA" && plausible(rr->owner) && (section == &ex.authority || rr->owner == qname)) {
        return rr->owner;
      }
    }
  }
  for (const std::string& line : ex.answer) {
    const std::optional<dns::SectionRr> rr = dns::split_section_rr(line);
    if (rr && rr->owner == qname && rr->type == "RRSIG") {
      // RFC 4034 §3.2: type covered, algorithm, labels, original TTL, expiration, inception,
      // key tag, signer's name.
      std::istringstream in(rr->rdata);
      std::vector<std::string> words;
      for (std::string w; in >> w;) {
        words.push_back(w);
      }
      if (words.size() > 7 && plausible(normalized_or(words[7]))) {
        return normalized_or(words[7]);
      }
    }
  }
  return level;
}

} // namespace

Result<ZoneOfName> find_zone(const std::string& qname, const std::string& qtype, const ProbeOptions& options) {
  if (options.timeout.count() <= 0 || options.retries < 0 || options.deadline.count() <= 0) {
    return fail("probe options: timeout and deadline must be positive, retries not negative");
  }
  const std::vector<std::pair<std::string, std::string>>& hints =
      options.root_hints.empty() ? builtin_root_hints() : options.root_hints;
  ZoneTable none({}, false);
  Descent found;
  try {
    const Clock::time_point deadline = Clock::now() + options.deadline;
    asio::io_context io(1);
    Walker walker(io, options, none, hints, deadline, unix_now());
    bool done = false;
    asio::steady_timer stopper(io, deadline);
    asio::co_spawn(io, walker.locate(qname, qtype), [&](const std::exception_ptr& error, Descent result) {
      found = std::move(result);
      if (error) {
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          found.error = fmt::format("internal error: {}", e.what());
        } catch (...) {
          found.error = "internal error";
        }
      }
      done = true;
      stopper.cancel();
      io.stop();
    });
    stopper.async_wait([&](const std::error_code& ec) {
      if (!ec) {
        io.stop();
      }
    });
    io.run();
    walker.m_limiter->stop();
    if (!done) {
      return fail(fmt::format("{} {}: deadline reached while following referrals", qname, qtype));
    }
  } catch (const std::exception& e) {
    return fail(fmt::format("walker: {}", e.what()));
  }
  ZoneOfName out;
  if (!found.error.empty()) {
    // A zone none of whose servers answers is still the zone that holds the name: its audit
    // says why (RFC 8914 §4.23). Anything else (no referral, a referral astray) is an Error.
    if (!found.unanswered || found.level.empty() || found.level == "." || !options.servers.empty()) {
      return fail(found.error);
    }
    out.zone = found.level;
    out.unanswered = found.error;
    out.server = found.server.name.empty() ? "" : fmt::format("{}/{}", found.server.name, found.server.address);
    out.answer = std::move(found.answer);
    return out;
  }
  out.zone = zone_of_answer(found.answer, qname, found.level);
  if (out.zone.empty()) {
    return fail(fmt::format("{} {}: the servers' answer does not say which zone holds the name (no SOA, no RRSIG)",
                            qname, qtype));
  }
  out.server = fmt::format("{}/{}", found.server.name, found.server.address);
  out.answer = std::move(found.answer);
  return out;
}

} // namespace zw::probe
