#include "dns/packet.hpp"

#include <sstream>

#include <fmt/format.h>

#include "dns/ldns_handle.hpp"

namespace zw::dns {

namespace {

std::string rdf_text(const ldns_rdf* rdf) {
  return rdf_to_text(rdf);
}

// One RR as a zone-file line: comments (key tags, NSEC3 hashes) are left out so that the
// line parses back with dns::parse_rr.
std::string rr_text(const ldns_rr* rr) {
  return rr_to_text(rr, ldns_output_format_nocomments);
}

std::vector<std::string> section_text(const ldns_rr_list* list) {
  std::vector<std::string> lines;
  if (list == nullptr) {
    return lines;
  }
  const std::size_t count = ldns_rr_list_rr_count(list);
  lines.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(list, i);
    // ldns moves the OPT record into the packet's EDNS fields; this is only a safeguard.
    if (rr == nullptr || ldns_rr_get_type(rr) == LDNS_RR_TYPE_OPT) {
      continue;
    }
    // Class 0 is reserved (RFC 6895 §3.2): no data for a query of class IN, and ldns prints it
    // as "CLASS0", which it cannot read back, so the line would reach the rules unparsable.
    if (ldns_rr_get_class(rr) == 0) {
      continue;
    }
    lines.push_back(rr_text(rr));
  }
  return lines;
}

// The lines of `list`, the `section_name` section, each checked to read back with parse_rr as
// the rules read them. ldns decodes RDATA leniently (an SOA cut after its first name passes), but
// cannot print such a record in a form it reads again; a resolver rejects the message as
// malformed (FORMERR), and so do we, instead of handing the rules a line they would drop.
Result<std::vector<std::string>> checked_section_text(const ldns_rr_list* list, std::string_view section_name) {
  std::vector<std::string> lines = section_text(list);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (const Result<Rr> rr = parse_rr(lines[i]); !rr) {
      return fail(fmt::format("record {} of the {} section does not fit its type: {}", i + 1, section_name,
                              rr.error().message));
    }
  }
  return lines;
}

// Skips the (possibly compressed) name at `pos`; false when it runs past the message.
bool skip_name(std::span<const std::uint8_t> w, std::size_t& pos) noexcept {
  for (int labels = 0; labels < 128 && pos < w.size(); ++labels) {
    const std::uint8_t len = w[pos];
    if ((len & 0xC0) == 0xC0) {
      pos += 2;
      return pos <= w.size();
    }
    if (len == 0) {
      ++pos;
      return true;
    }
    pos += 1 + len;
  }
  return false;
}

std::uint16_t get16(std::span<const std::uint8_t> w, std::size_t pos) noexcept {
  return static_cast<std::uint16_t>((w[pos] << 8) | w[pos + 1]);
}

// RFC 6891 §6.1.1: "If a query message with more than one OPT RR is received, a FORMERR
// (RCODE=1) MUST be returned"; the OPT owner MUST be the root, it belongs in the additional
// section, and its options must fit its RDATA (§6.1.2). Resolvers treat a response that breaks
// these as malformed. Walks the raw message (ldns keeps only one OPT and hides the rest). A
// message too short to walk is ldns's to reject.
std::vector<std::string> edns_faults(std::span<const std::uint8_t> w) {
  std::vector<std::string> faults;
  if (w.size() < 12) {
    return faults;
  }
  std::size_t pos = 12;
  const std::uint16_t qdcount = get16(w, 4);
  const std::uint16_t counts[3] = {get16(w, 6), get16(w, 8), get16(w, 10)};
  for (std::uint16_t q = 0; q < qdcount; ++q) {
    if (!skip_name(w, pos) || (pos += 4) > w.size()) {
      return faults;
    }
  }
  static constexpr std::string_view k_section[3] = {"answer", "authority", "additional"};
  unsigned opts = 0;
  for (int section = 0; section < 3; ++section) {
    for (std::uint16_t n = 0; n < counts[section]; ++n) {
      const bool root_owner = pos < w.size() && w[pos] == 0;
      if (!skip_name(w, pos) || pos + 10 > w.size()) {
        return faults;
      }
      const std::uint16_t type = get16(w, pos);
      const std::uint8_t extended_rcode = w[pos + 4]; // the OPT TTL: extended RCODE, version, flags
      const std::uint8_t version = w[pos + 5];
      const std::size_t rdlength = get16(w, pos + 8);
      const std::size_t rdata = pos + 10;
      if (rdata + rdlength > w.size()) {
        return faults;
      }
      pos = rdata + rdlength;
      if (type != LDNS_RR_TYPE_OPT) {
        continue;
      }
      ++opts;
      if (section != 2) {
        faults.push_back(fmt::format("an OPT record in the {} section", k_section[section]));
      }
      if (!root_owner) {
        faults.push_back("an OPT record whose owner is not the root");
      }
      if (version != 0) {
        faults.push_back(fmt::format("EDNS version {} in a response to a version 0 query", version));
      } else if (extended_rcode == 1 && (w[3] & 0x0f) == 0) {
        // RFC 6891 §6.1.3, §7: BADVERS answers a query of a version the responder does not
        // implement; ours are version 0, which every EDNS responder implements.
        faults.push_back("RCODE 16 BADVERS in a response to an EDNS version 0 query");
      }
      for (std::size_t o = rdata; o < rdata + rdlength;) {
        if (o + 4 > rdata + rdlength) {
          faults.push_back("a truncated EDNS option header in the OPT RDATA");
          break;
        }
        const std::size_t length = get16(w, o + 2);
        if (o + 4 + length > rdata + rdlength) {
          faults.push_back(fmt::format("EDNS option {} of length {} overruns the OPT RDATA", get16(w, o), length));
          break;
        }
        o += 4 + length;
      }
    }
  }
  if (opts > 1) {
    faults.insert(faults.begin(), fmt::format("{} OPT records (RFC 6891 §6.1.1 allows one)", opts));
  }
  return faults;
}

} // namespace

Result<Bytes> build_query(std::string_view qname, std::string_view qtype, std::uint16_t id, const QueryFlags& flags) {
  const std::uint16_t type = type_from_text(qtype);
  if (type == 0) {
    return fail(fmt::format("{}: unknown RR type", qtype));
  }
  ZW_TRY_ASSIGN(const Bytes wire_name, name_from_text(qname));
  RdfHandle name(ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, wire_name.size(), wire_name.data()));
  if (!name) {
    return fail(fmt::format("{}: cannot encode name", qname));
  }
  // ldns_pkt_query_new takes ownership of the name, even on failure.
  PktHandle pkt(ldns_pkt_query_new(name.release(), static_cast<ldns_rr_type>(type), LDNS_RR_CLASS_IN, 0));
  if (!pkt) {
    return fail(fmt::format("{} {}: cannot build query", qname, qtype));
  }
  ldns_pkt_set_id(pkt.get(), id);
  ldns_pkt_set_rd(pkt.get(), false);
  if (flags.edns) {
    ldns_pkt_set_edns_udp_size(pkt.get(), flags.udp_size);
    ldns_pkt_set_edns_do(pkt.get(), flags.dnssec_ok);
  }
  std::uint8_t* data = nullptr;
  std::size_t size = 0;
  if (const ldns_status status = ldns_pkt2wire(&data, pkt.get(), &size); status != LDNS_STATUS_OK) {
    return fail(fmt::format("{} {}: cannot encode query: {}", qname, qtype, status_text(status)));
  }
  CString owner(reinterpret_cast<char*>(data)); // ldns mallocs the wire buffer
  return Bytes(data, data + size);
}

Result<Message> parse_message(std::span<const std::uint8_t> wire) {
  if (wire.size() < 12) {
    return fail(fmt::format("{} bytes, shorter than a DNS header", wire.size()));
  }
  ldns_pkt* raw = nullptr;
  if (const ldns_status status = ldns_wire2pkt(&raw, wire.data(), wire.size()); status != LDNS_STATUS_OK) {
    if (raw != nullptr) {
      ldns_pkt_free(raw);
    }
    return fail(status_text(status));
  }
  PktHandle pkt(raw);
  if (!pkt) {
    return fail("unparsable message");
  }
  Message m;
  m.id = ldns_pkt_id(pkt.get());
  m.qr = ldns_pkt_qr(pkt.get());
  m.aa = ldns_pkt_aa(pkt.get());
  m.tc = ldns_pkt_tc(pkt.get());
  m.has_opt = ldns_pkt_edns(pkt.get());
  // RFC 6891 §6.1.3: the OPT record holds the upper 8 bits of the 12-bit RCODE.
  m.rcode = static_cast<int>(ldns_pkt_get_rcode(pkt.get()) & 0x0f) |
            (m.has_opt ? static_cast<int>(ldns_pkt_edns_extended_rcode(pkt.get())) << 4 : 0);
  const ldns_rr_list* question = ldns_pkt_question(pkt.get());
  m.question_count = question != nullptr ? static_cast<int>(ldns_rr_list_rr_count(question)) : 0;
  if (m.question_count > 0) {
    const ldns_rr* q = ldns_rr_list_rr(question, 0);
    const ldns_rdf* owner = ldns_rr_owner(q);
    m.qname = rdf_text(owner);
    if (owner != nullptr) {
      m.qname_wire.assign(ldns_rdf_data(owner), ldns_rdf_data(owner) + ldns_rdf_size(owner));
    }
    m.qtype = static_cast<std::uint16_t>(ldns_rr_get_type(q));
    m.qclass = static_cast<std::uint16_t>(ldns_rr_get_class(q));
  }
  m.edns_faults = edns_faults(wire);
  ZW_TRY_ASSIGN(m.answer, checked_section_text(ldns_pkt_answer(pkt.get()), "answer"));
  ZW_TRY_ASSIGN(m.authority, checked_section_text(ldns_pkt_authority(pkt.get()), "authority"));
  ZW_TRY_ASSIGN(m.additional, checked_section_text(ldns_pkt_additional(pkt.get()), "additional"));
  return m;
}

Decoded decode_response(std::span<const std::uint8_t> wire, std::uint16_t id, std::string_view qname,
                        std::string_view qtype) {
  Decoded out;
  Result<Message> parsed = parse_message(wire);
  if (!parsed) {
    out.verdict = Verdict::malformed;
    out.detail = fmt::format("malformed message: {}", parsed.error().message);
    return out;
  }
  out.message = std::move(*parsed);
  const Message& m = out.message;
  out.verdict = Verdict::mismatched;
  if (m.id != id) {
    out.detail = fmt::format("wrong ID {} (expected {})", m.id, id);
    return out;
  }
  if (!m.qr) {
    out.detail = "QR bit not set";
    return out;
  }
  if (m.question_count != 1) {
    out.detail = fmt::format("{} questions in the response", m.question_count);
    return out;
  }
  const std::uint16_t want_type = type_from_text(qtype);
  Result<Bytes> want_name = name_from_text(qname);
  if (!want_name || !names_equal(*want_name, m.qname_wire) || m.qtype != want_type || m.qclass != LDNS_RR_CLASS_IN) {
    out.detail = fmt::format("wrong question {} {} class {}", m.qname, type_to_text(m.qtype), m.qclass);
    return out;
  }
  out.verdict = Verdict::ok;
  return out;
}

std::string_view SectionRr::first_rdata_word() const noexcept {
  const std::string_view text = rdata;
  return text.substr(0, text.find(' '));
}

std::optional<SectionRr> split_section_rr(const std::string& line) {
  std::istringstream in(line);
  std::string owner;
  std::string ttl;
  std::string rclass;
  SectionRr rr;
  if (!(in >> owner >> ttl >> rclass >> rr.type)) {
    return std::nullopt;
  }
  Result<std::string> name = normalize_name(owner);
  if (!name) {
    return std::nullopt;
  }
  rr.owner = std::move(*name);
  for (std::string word; in >> word;) {
    rr.rdata += rr.rdata.empty() ? word : " " + word;
  }
  return rr;
}

} // namespace zw::dns
