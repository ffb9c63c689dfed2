#pragma once
// Errors: the tool could not do its job (bad argument, unreadable file, our own failure).
// A fault in the zone is a Finding, never an Error. See STYLE.md §7.

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace zw {

// One-line, lower-case, context first, no trailing period:
// `zones/a.zone:17: DS digest length 31, SHA-256 needs 32`.
struct Error {
  std::string message;
};

// Only members that std::expected also has are used, so moving to C++23 changes one line.
template <typename T> using Result = tl::expected<T, Error>;

// Builds the error alternative of a Result.
inline tl::unexpected<Error> fail(std::string message) {
  return tl::unexpected<Error>(Error{std::move(message)});
}

} // namespace zw

// Propagates the error of a Result-returning expression; yields nothing.
#define ZW_TRY(expr)                                                                                                   \
  do {                                                                                                                 \
    if (auto zw_try_result_ = (expr); !zw_try_result_) {                                                               \
      return ::tl::unexpected<::zw::Error>(std::move(zw_try_result_).error());                                         \
    }                                                                                                                  \
  } while (false)

#define ZW_CONCAT_INNER_(a, b) a##b
#define ZW_CONCAT_(a, b) ZW_CONCAT_INNER_(a, b)

// Declares `lhs` from the value of a Result-returning expression, or propagates its error.
// `lhs` is a declaration ("const Foo foo"), which parentheses would break.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define ZW_TRY_ASSIGN(lhs, expr) ZW_TRY_ASSIGN_IMPL_(ZW_CONCAT_(zw_try_, __LINE__), lhs, expr)
#define ZW_TRY_ASSIGN_IMPL_(tmp, lhs, expr)                                                                            \
  auto tmp = (expr);                                                                                                   \
  if (!tmp) {                                                                                                          \
    return ::tl::unexpected<::zw::Error>(std::move(tmp).error());                                                      \
  }                                                                                                                    \
  lhs = std::move(*tmp)
// NOLINTEND(bugprone-macro-parentheses)
