#include "probe/nsec_walk.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include <fmt/format.h>

#include "dns/rr.hpp"

namespace zw::probe {

namespace {

std::vector<std::string> words_of(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string w; in >> w;) {
    words.push_back(std::move(w));
  }
  return words;
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// Owner (normalised) and type (upper case) of a presentation-format RR "owner ttl class type ...".
struct Head {
  std::string owner;
  std::string type;
};

std::optional<Head> head_of(const std::vector<std::string>& words) {
  if (words.size() < 4) {
    return std::nullopt;
  }
  Result<std::string> owner = dns::normalize_name(words[0]);
  if (!owner) {
    return std::nullopt;
  }
  return Head{std::move(*owner), upper(words[3])};
}

} // namespace

std::optional<NsecLink> find_nsec(const std::vector<std::string>& section, std::string_view owner) {
  for (const std::string& line : section) {
    const std::vector<std::string> words = words_of(line);
    const std::optional<Head> head = head_of(words);
    if (!head || head->type != "NSEC" || head->owner != owner || words.size() < 5) {
      continue;
    }
    Result<std::string> next = dns::normalize_name(words[4]);
    if (!next) {
      continue;
    }
    NsecLink link{head->owner, std::move(*next), {}};
    for (std::size_t i = 5; i < words.size(); ++i) {
      link.types.push_back(upper(words[i]));
    }
    return link;
  }
  return std::nullopt;
}

ZoneDenial denial_of(const ZoneSnapshot& zone) {
  bool nsec = false;
  bool nsec3 = false;
  bool signed_zone = false;
  for (const ServerProbe& probe : zone.servers) {
    for (const Exchange& e : probe.exchanges) {
      if (e.outcome != Outcome::answered || !e.aa || (e.rcode != 0 && e.rcode != 3)) {
        continue;
      }
      for (const std::vector<std::string>* section : {&e.answer, &e.authority}) {
        for (const std::string& line : *section) {
          const std::optional<Head> head = head_of(words_of(line));
          if (!head || !dns::name_is_at_or_below(head->owner, zone.zone)) {
            continue;
          }
          nsec = nsec || head->type == "NSEC";
          nsec3 = nsec3 || head->type == "NSEC3" || head->type == "NSEC3PARAM";
          signed_zone = signed_zone || head->type == "RRSIG" || head->type == "DNSKEY";
        }
      }
    }
  }
  if (nsec) {
    return ZoneDenial::nsec;
  }
  if (nsec3) {
    return ZoneDenial::nsec3;
  }
  return signed_zone ? ZoneDenial::nsec : ZoneDenial::unsigned_zone;
}

WalkDecision next_step(std::string_view apex, std::string_view owner, std::string_view next,
                       const std::set<std::string>& seen, std::uint64_t limit) {
  if (next == apex) {
    return {WalkStep::done, {}};
  }
  if (!dns::name_is_at_or_below(next, apex)) {
    return {WalkStep::stop, fmt::format("the NSEC at {} names {} as the next owner, outside the zone", owner, next)};
  }
  const Result<dns::Bytes> from = dns::name_from_text(owner);
  const Result<dns::Bytes> to = dns::name_from_text(next);
  if (!from || !to) {
    return {WalkStep::stop, fmt::format("the NSEC at {} names {}, which is not a domain name", owner, next)};
  }
  // RFC 4034 §4.1.1: the next owner follows in canonical order; only the last NSEC points back
  // (to the apex, handled above). Anything else would walk in circles.
  if (dns::canonical_compare(*from, *to) >= 0) {
    return {WalkStep::stop, fmt::format("the NSEC at {} names {} as the next owner, which does not follow it in "
                                        "canonical order (RFC 4034 §6.1): the chain loops",
                                        owner, next)};
  }
  if (seen.contains(std::string(next))) {
    return {WalkStep::stop,
            fmt::format("the NSEC at {} leads back to {}, walked already: the chain loops", owner, next)};
  }
  if (seen.size() >= limit) {
    return {WalkStep::stop, fmt::format("--walk-limit {} reached: stopped before {}", limit, next)};
  }
  return {WalkStep::next, {}};
}

OwnerQueries owner_queries(std::string_view apex, const NsecLink& link) {
  OwnerQueries out;
  const bool cut = link.owner != apex && std::find(link.types.begin(), link.types.end(), "NS") != link.types.end();
  if (cut) {
    out.qtypes.emplace_back("DS");
    return out;
  }
  for (const std::string& type : link.types) {
    const std::uint16_t code = dns::type_from_text(type);
    if (code == 0 || code == dns::rrtype::rrsig || code == dns::rrtype::nsec || code == dns::rrtype::nsec3 ||
        code == dns::rrtype::opt || (code >= 128 && code <= 255)) {
      continue;
    }
    const std::string qtype = dns::type_to_text(code);
    if (std::find(out.qtypes.begin(), out.qtypes.end(), qtype) != out.qtypes.end()) {
      continue;
    }
    if (out.qtypes.size() == k_max_walk_types) {
      ++out.left_out;
      continue;
    }
    out.qtypes.push_back(qtype);
  }
  return out;
}

std::optional<std::string> name_after_subtree(std::string_view name) {
  const Result<dns::Bytes> wire = dns::name_from_text(name);
  if (!wire || wire->empty() || (*wire)[0] == 0) {
    return std::nullopt;
  }
  const std::uint8_t length = (*wire)[0];
  constexpr std::size_t k_max_label = 63;
  constexpr std::size_t k_max_name = 255;
  if (length >= k_max_label || wire->size() + 1 > k_max_name) {
    return std::nullopt;
  }
  dns::Bytes after;
  after.reserve(wire->size() + 1);
  after.push_back(static_cast<std::uint8_t>(length + 1));
  after.insert(after.end(), wire->begin() + 1, wire->begin() + 1 + length);
  after.push_back(0);
  after.insert(after.end(), wire->begin() + 1 + length, wire->end());
  return dns::name_to_text(after);
}

} // namespace zw::probe
