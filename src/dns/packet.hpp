#pragma once
// DNS messages on the wire, for the prober: building queries and decoding responses. ldns does
// the encoding and parsing; nothing here touches a socket. Resource records leave this file in
// presentation format (one line each), the form a Snapshot keeps.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dns/rr.hpp"
#include "zonewarden/error.hpp"

namespace zw::dns {

struct QueryFlags {
  bool edns = true;              // add an OPT record (RFC 6891)
  bool dnssec_ok = true;         // DO bit in the OPT record (RFC 3225)
  std::uint16_t udp_size = 1232; // advertised UDP payload size (DNS flag day 2020)
};

// Wire form of a query for `qname` (absolute or not; a final dot is implied) and `qtype`
// (mnemonic or TYPEnnn), class IN, with `id`, RD=0 (we are an iterative client). Fails on a
// name or type that cannot be encoded.
Result<Bytes> build_query(std::string_view qname, std::string_view qtype, std::uint16_t id,
                          const QueryFlags& flags = {});

// A decoded DNS message.
struct Message {
  std::uint16_t id = 0;
  bool qr = false;
  bool aa = false;
  bool tc = false;
  int rcode = 0;        // 12-bit: header RCODE plus the OPT extended RCODE bits
  bool has_opt = false; // the message carried an OPT pseudo-RR
  std::string qname;    // first question, presentation form; "" without one
  Bytes qname_wire;     // the same name in wire form, case as received
  std::uint16_t qtype = 0;
  std::uint16_t qclass = 0;
  int question_count = 0;
  std::vector<std::string> answer; // one presentation-format RR per line, no newline
  std::vector<std::string> authority;
  std::vector<std::string> additional; // without the OPT pseudo-RR
  // What makes the message malformed under RFC 6891 §6.1.1 (one line each): more than one OPT
  // RR, an OPT outside the additional section or with an owner other than the root, an option
  // that overruns the OPT RDATA, an EDNS version we did not send. Resolvers drop such messages.
  std::vector<std::string> edns_faults;
};

// Parses any bytes as a DNS message. Never throws and never crashes on hostile input; fails
// with the parser's reason, also when a record's RDATA does not fit its type (so that every
// line of the sections reads back with parse_rr). Records of the reserved class 0 are left out.
Result<Message> parse_message(std::span<const std::uint8_t> wire);

enum class Verdict : std::uint8_t {
  ok,         // a response to our query
  mismatched, // a DNS message, but not the response to our query (ID, QR, or question)
  malformed,  // not a DNS message
};

struct Decoded {
  Verdict verdict = Verdict::malformed;
  std::string detail; // why it was not accepted, "" when ok
  Message message;    // filled when the bytes parsed (ok or mismatched)
};

// Decodes `wire` as the response to the query (`id`, `qname`, `qtype`, class IN): the ID must
// equal, QR must be set and the question must equal ours (RFC 5452 §9.1; the name compared
// without regard to case).
Decoded decode_response(std::span<const std::uint8_t> wire, std::uint16_t id, std::string_view qname,
                        std::string_view qtype);

// One record of a section as the decoder writes it ("owner ttl class type rdata"), split.
struct SectionRr {
  std::string owner; // normalised (lower case, absolute)
  std::string type;
  std::string rdata; // the rest of the line, single-spaced

  // The first word of the RDATA (a CNAME's or NS's target), "" when there is none.
  std::string_view first_rdata_word() const noexcept;
};

// `line` split; nullopt when it has fewer than four fields or its owner is not a name.
std::optional<SectionRr> split_section_rr(const std::string& line);

} // namespace zw::dns
