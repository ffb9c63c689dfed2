#pragma once
// `zonewarden explain NAME TYPE`: why a name fails (or resolves) at a validating resolver, as
// plain data. Built by the CLI from audits of the zones on the way; rendered by src/report/.

#include <string>
#include <vector>

#include "zonewarden/finding.hpp"

namespace zw {

// One link of the chain from the root to the answer: a zone cut, or the RRset (or its denial)
// that answers the question.
struct ExplainLink {
  std::string kind;                 // "zone", "rrset" (the data, or a CNAME/DNAME on the way), "denial"
  std::string name;                 // the zone apex, or the owner of the RRset / the denied name
  std::string type;                 // rrset and denial: the type asked; "" for a zone
  int depth = 0;                    // 0 for the root; a link's children are one deeper
  std::string status;               // "secure", "insecure", "bogus", "indeterminate"
  std::string reason;               // one line, for people
  std::vector<std::string> servers; // "name/address" that served this link
  std::vector<std::string> rules;   // ids of the findings that decide this link's verdict
};

struct Explanation {
  std::string name;          // normalised
  std::string type;          // mnemonic
  Rcode rcode = Rcode::none; // what a validating resolver returns; none: we could not tell
  Ede ede = Ede::none;
  std::string status;             // the verdict on the answer: secure, insecure, bogus, indeterminate
  std::vector<ExplainLink> chain; // root first, in tree order
  std::vector<std::string> rules; // ids of the findings responsible, in order
  std::vector<Finding> findings;  // those findings in full
  std::vector<std::string> notes; // what could not be determined, CNAMEs followed, ...
};

// A readable tree with the verdict first. `colour`: ANSI colours.
std::string render_explain_text(const Explanation& explanation, bool colour);
// DESIGN.md's object {"name", "type", "rcode", "ede", "status", "chain", "rules", "findings"}.
std::string render_explain_json(const Explanation& explanation);

} // namespace zw
