#pragma once
// The engine's FindingSink: one rule on one zone, on one thread. It owns the per-rule cap
// (k_max_findings_per_rule, include/zonewarden/rule.hpp), so rules never count.

#include <cstddef>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "zonewarden/rule.hpp"

namespace zw::audit {

// Appends the findings of the rule described by `info` on `zone` to `out`, setting the rule id
// (and, for `add`, the default severity and resolver impact). The first k_max_findings_per_rule
// go to `out` one by one; the rest are counted, and `finish` appends ONE summary finding at the
// zone apex (RR type `info.overflow.type`, or as renamed by `overflow`): "and N more <what> (only
// the first 50 are reported one by one)", graded like the worst finding held back, its evidence
// naming the first held-back ones whose location the rule built, or with
// Overflow::list_messages giving the message of every one. Nothing is dropped silently.
class CollectingSink final : public FindingSink {
public:
  CollectingSink(const RuleInfo& info, std::string zone, std::vector<Finding>& out)
      : m_info(&info), m_overflow(info.overflow), m_zone(std::move(zone)), m_out(&out) {}

  void overflow(Overflow summary) override { m_overflow = summary; }

  bool room() override { return room(m_info->severity, m_info->impact); }
  bool room(Severity severity, ResolverImpact impact) override {
    if (m_reported < k_max_findings_per_rule) {
      return true;
    }
    hold_back(severity, impact);
    return false;
  }

  void add(Finding finding) override {
    finding.severity = m_info->severity;
    finding.resolver = m_info->impact;
    add_graded(std::move(finding));
  }
  void add_graded(Finding finding) override {
    if (m_reported >= k_max_findings_per_rule) {
      hold_back(finding.severity, finding.resolver);
      if (m_overflow.list_messages) {
        m_messages.push_back(std::move(finding.message));
      } else if (m_examples.size() < k_examples) {
        m_examples.push_back(finding.location.owner + " " + finding.location.type);
      }
      return;
    }
    ++m_reported;
    finding.rule = std::string(m_info->id);
    m_out->push_back(std::move(finding));
  }

  void add_summary(Finding finding) override {
    finding.rule = std::string(m_info->id);
    m_out->push_back(std::move(finding));
  }

  // Appends the summary finding when findings were held back; the engine calls it once the
  // rule's `check` has returned.
  void finish() {
    if (m_more == 0) {
      return;
    }
    Finding f;
    f.rule = std::string(m_info->id);
    f.location = Location{m_zone, "", m_zone, std::string(m_overflow.type), {}, 0};
    f.message = fmt::format("and {} more {} (only the first {} are reported one by one)", m_more, m_overflow.what,
                            k_max_findings_per_rule);
    if (!m_examples.empty()) {
      std::string examples;
      for (const std::string& e : m_examples) {
        examples += (examples.empty() ? "" : "; ") + e;
      }
      f.evidence.push_back(fmt::format("the next ones: {}{}", examples, m_more > m_examples.size() ? "; ..." : ""));
    }
    f.evidence.insert(f.evidence.end(), std::make_move_iterator(m_messages.begin()),
                      std::make_move_iterator(m_messages.end()));
    f.severity = m_worst;
    f.resolver = m_worst_impact;
    m_out->push_back(std::move(f));
  }

  // Findings reported one by one so far, and held back so far.
  std::size_t reported() const noexcept { return m_reported; }
  std::size_t held_back() const noexcept { return m_more; }

private:
  static constexpr std::size_t k_examples = 5;

  void hold_back(Severity severity, ResolverImpact impact) {
    if (m_more == 0 || severity > m_worst) {
      m_worst = severity;
      m_worst_impact = impact;
    }
    ++m_more;
  }

  const RuleInfo* m_info;
  Overflow m_overflow;
  std::string m_zone;
  std::vector<Finding>* m_out;
  std::size_t m_reported = 0;
  std::size_t m_more = 0;
  Severity m_worst = Severity::notice;
  ResolverImpact m_worst_impact;
  std::vector<std::string> m_examples;
  std::vector<std::string> m_messages; // held back, with Overflow::list_messages
};

} // namespace zw::audit
