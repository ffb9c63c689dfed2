#pragma once
// The answers a pure function gave lately, by the bytes of its question: a thread keeps one to
// skip work it repeats (the same record text parsed again, the same key loaded again, the same
// RRset validated again for every zone below one parent). Bounded: when full, it starts afresh.
// Not thread-safe: keep one per thread (thread_local).

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace zw::util {

template <typename Answer> class RecentAnswers {
public:
  explicit RecentAnswers(std::size_t limit) : m_limit(limit) {}

  // The answer kept for `question`, or null.
  const Answer* find(std::string_view question) const {
    const auto it = m_answers.find(question);
    return it == m_answers.end() ? nullptr : &it->second;
  }
  void keep(std::string question, Answer answer) {
    if (m_answers.size() >= m_limit) {
      m_answers.clear();
    }
    m_answers.insert_or_assign(std::move(question), std::move(answer));
  }

private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::size_t m_limit;
  std::unordered_map<std::string, Answer, Hash, std::equal_to<>> m_answers;
};

} // namespace zw::util
