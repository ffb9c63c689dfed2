#pragma once
// Reading a JSON document we did not write ourselves (a saved report, a baseline, a snapshot)
// member by member: every access names its path, and a wrong shape is a JsonShapeError
// ("zones[3].findings[0].resolver.ede: wrong type, expected an integer"), never a crash or a
// value silently wrapped. The one way the project reads such documents (with util/json_text.hpp
// to parse them).

#include <cstdint>
#include <functional>
#include <istream>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "zonewarden/error.hpp"

namespace zw::util {

// Thrown by JsonCursor; the reader catches it and returns its message as an Error.
struct JsonShapeError {
  std::string message;
};

// A position in the document.
class JsonCursor {
public:
  // `path` is the position's name in messages: "" for the document itself, "zones[3]" for an
  // element handed over by parse_json_each.
  JsonCursor(const nlohmann::json& value, std::string path) : m_value(value), m_path(std::move(path)) {}

  const nlohmann::json& value() const noexcept { return m_value; }
  const std::string& path() const noexcept { return m_path; }

  // Throws a JsonShapeError "PATH: what".
  [[noreturn]] void fail_here(std::string_view what) const;

  // The member `key` of this object (an error when this is no object or has no such member).
  JsonCursor member(const char* key) const;
  bool has(const char* key) const { return m_value.is_object() && m_value.contains(key); }
  // The elements of this array, each with its indexed path.
  std::vector<JsonCursor> elements() const;

  bool is_null() const noexcept { return m_value.is_null(); }
  std::string string() const;
  // A string, or "" for null (members a writer emits as null when empty).
  std::string string_or_null() const { return is_null() ? std::string() : string(); }
  bool boolean() const;
  // A number within [lo, hi] (so never NaN or infinite).
  double number(double lo, double hi) const;
  // An integer within [lo, hi]; nlohmann's get<T>() alone would silently wrap 70000 into a
  // uint16_t, and converting 1e31 to an integer is undefined behaviour.
  std::int64_t integer(std::int64_t lo, std::int64_t hi) const;
  // An integer that fits T.
  template <typename T> T as() const {
    static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool> && sizeof(T) <= sizeof(std::int64_t));
    if constexpr (std::is_unsigned_v<T> && sizeof(T) == sizeof(std::uint64_t)) {
      return static_cast<T>(unsigned64());
    } else {
      return static_cast<T>(integer(std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
    }
  }
  // An array of strings.
  std::vector<std::string> strings() const;
  // An RFC 3339 UTC time like 2026-11-27T12:00:00Z, as unix seconds.
  std::int64_t time() const;

private:
  std::uint64_t unsigned64() const;

  const nlohmann::json& m_value;
  std::string m_path;
};

// Parses `text` as parse_json_each does over the top-level array `member`, handing each element
// to `read` as a cursor named "member[i]" as soon as the parser has it. The first element `read`
// rejects (a JsonShapeError) is kept in `first_error`, and no element after it is read: the
// caller checks the document's own members first (an unsupported schema says so before what its
// elements look like), then reports it.
Result<nlohmann::json> read_json_elements(std::string_view text, std::string_view member,
                                          const std::function<void(const JsonCursor&)>& read,
                                          std::optional<std::string>& first_error);
// The same from a stream (util::parse_json_each's).
Result<nlohmann::json> read_json_elements(std::istream& in, std::string_view member,
                                          const std::function<void(const JsonCursor&)>& read,
                                          std::optional<std::string>& first_error);

} // namespace zw::util
