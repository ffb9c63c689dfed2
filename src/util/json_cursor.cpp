#include "util/json_cursor.hpp"

#include <fmt/format.h>

#include "util/json_text.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace zw::util {

void JsonCursor::fail_here(std::string_view what) const {
  throw JsonShapeError{fmt::format("{}: {}", m_path.empty() ? "(document)" : m_path, what)};
}

JsonCursor JsonCursor::member(const char* key) const {
  if (!m_value.is_object()) {
    fail_here("expected an object");
  }
  const auto it = m_value.find(key);
  const std::string path = m_path.empty() ? std::string(key) : fmt::format("{}.{}", m_path, key);
  if (it == m_value.end()) {
    throw JsonShapeError{fmt::format("{}: missing", path)};
  }
  return JsonCursor(*it, path);
}

std::vector<JsonCursor> JsonCursor::elements() const {
  if (!m_value.is_array()) {
    fail_here("expected an array");
  }
  std::vector<JsonCursor> out;
  out.reserve(m_value.size());
  for (std::size_t i = 0; i < m_value.size(); ++i) {
    out.emplace_back(m_value[i], fmt::format("{}[{}]", m_path, i));
  }
  return out;
}

std::string JsonCursor::string() const {
  if (!m_value.is_string()) {
    fail_here("wrong type, expected a string");
  }
  return m_value.get<std::string>();
}

bool JsonCursor::boolean() const {
  if (!m_value.is_boolean()) {
    fail_here("wrong type, expected true or false");
  }
  return m_value.get<bool>();
}

double JsonCursor::number(double lo, double hi) const {
  if (!m_value.is_number()) {
    fail_here("wrong type, expected a number");
  }
  const double v = m_value.get<double>();
  if (!(v >= lo && v <= hi)) {
    fail_here(fmt::format("out of range [{}, {}]", lo, hi));
  }
  return v;
}

std::int64_t JsonCursor::integer(std::int64_t lo, std::int64_t hi) const {
  if (!m_value.is_number_integer()) {
    fail_here("wrong type, expected an integer");
  }
  if (m_value.is_number_unsigned() && m_value.get<std::uint64_t>() > static_cast<std::uint64_t>(hi)) {
    fail_here(fmt::format("out of range [{}, {}]", lo, hi));
  }
  const std::int64_t v = m_value.get<std::int64_t>();
  if (v < lo || v > hi) {
    fail_here(fmt::format("out of range [{}, {}]", lo, hi));
  }
  return v;
}

std::uint64_t JsonCursor::unsigned64() const {
  if (!m_value.is_number_integer()) {
    fail_here("wrong type, expected an integer");
  }
  if (!m_value.is_number_unsigned() && m_value.get<std::int64_t>() < 0) {
    fail_here(fmt::format("out of range [0, {}]", std::numeric_limits<std::uint64_t>::max()));
  }
  return m_value.get<std::uint64_t>();
}

std::vector<std::string> JsonCursor::strings() const {
  std::vector<std::string> out;
  for (const JsonCursor& c : elements()) {
    out.push_back(c.string());
  }
  return out;
}

std::int64_t JsonCursor::time() const {
  const std::string text = string();
  auto t = parse_time(text);
  if (!t || text.size() != 20 || text.back() != 'Z') {
    fail_here(fmt::format("\"{}\" is not an RFC 3339 UTC time like 2026-11-27T12:00:00Z", quote_input(text)));
  }
  return *t;
}

namespace {

template <typename Input>
Result<nlohmann::json> read_elements(Input& text, std::string_view member,
                                     const std::function<void(const JsonCursor&)>& read,
                                     std::optional<std::string>& first_error) {
  first_error.reset();
  const JsonElementSink on_element = [&](nlohmann::json&& element, std::size_t index) -> Result<void> {
    if (!first_error) {
      try {
        read(JsonCursor(element, fmt::format("{}[{}]", member, index)));
      } catch (const JsonShapeError& e) {
        first_error = e.message;
      }
    }
    return {};
  };
  return parse_json_each(text, member, on_element);
}

} // namespace

Result<nlohmann::json> read_json_elements(std::string_view text, std::string_view member,
                                          const std::function<void(const JsonCursor&)>& read,
                                          std::optional<std::string>& first_error) {
  return read_elements(text, member, read, first_error);
}

Result<nlohmann::json> read_json_elements(std::istream& in, std::string_view member,
                                          const std::function<void(const JsonCursor&)>& read,
                                          std::optional<std::string>& first_error) {
  return read_elements(in, member, read, first_error);
}

} // namespace zw::util
