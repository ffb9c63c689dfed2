#include "dns/packet.hpp"

#include <fmt/format.h>

#include "dns/ldns_handle.hpp"

namespace zw::dns {

namespace {

std::string rdf_text(const ldns_rdf* rdf) {
  if (rdf == nullptr) {
    return "";
  }
  CString text(ldns_rdf2str(rdf));
  return text ? std::string(text.get()) : std::string();
}

// One RR as a zone-file line: comments (key tags, NSEC3 hashes) are left out so that the
// line parses back with dns::parse_rr.
std::string rr_text(const ldns_rr* rr) {
  CString text(ldns_rr2str_fmt(ldns_output_format_nocomments, rr));
  if (!text) {
    return "";
  }
  std::string line(text.get());
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ' || line.back() == '\t')) {
    line.pop_back();
  }
  return line;
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
    lines.push_back(rr_text(rr));
  }
  return lines;
}

} // namespace

Result<Bytes> build_query(std::string_view qname, std::string_view qtype, std::uint16_t id,
                          const QueryFlags& flags) {
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
  CString owner(reinterpret_cast<char*>(data));  // ldns mallocs the wire buffer
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
  m.answer = section_text(ldns_pkt_answer(pkt.get()));
  m.authority = section_text(ldns_pkt_authority(pkt.get()));
  m.additional = section_text(ldns_pkt_additional(pkt.get()));
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
  if (!want_name || !names_equal(*want_name, m.qname_wire) || m.qtype != want_type ||
      m.qclass != LDNS_RR_CLASS_IN) {
    out.detail = fmt::format("wrong question {} {} class {}", m.qname, type_to_text(m.qtype), m.qclass);
    return out;
  }
  out.verdict = Verdict::ok;
  return out;
}

} // namespace zw::dns
