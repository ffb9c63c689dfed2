#pragma once
// A struct's JSON members named once: a tuple of JsonFields (the JSON name and the C++ member)
// drives both the writer and the reader, so that the two cannot drift apart. The reader reads
// each member with JsonCursor's checks: an integer must fit its member's type (a uint16_t
// member refuses 70000), and every error names its path.
//
//   constexpr std::tuple k_ds_fields(JsonField("key_tag", &Ds::key_tag), JsonField("digest", &Ds::digest));
//   json out = fields_to_json<json>(ds, k_ds_fields);
//   Ds back = fields_from<Ds>(cursor, k_ds_fields);

#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "util/json_cursor.hpp"

namespace zw::util {

// The JSON member `name` holds the struct member `member`.
template <typename T, typename M> struct JsonField {
  constexpr JsonField(const char* json_name, M T::*struct_member) : name(json_name), member(struct_member) {}
  const char* name;
  M T::*member;
};

// Reads the value at `c` into `out` (a bool, a string, an array of strings, or an integer that
// fits `out`'s type).
inline void read_json_value(const JsonCursor& c, bool& out) {
  out = c.boolean();
}
inline void read_json_value(const JsonCursor& c, std::string& out) {
  out = c.string();
}
inline void read_json_value(const JsonCursor& c, std::vector<std::string>& out) {
  out = c.strings();
}
template <typename I>
requires(std::is_integral_v<I> && !std::is_same_v<I, bool>) void read_json_value(const JsonCursor& c, I& out) {
  out = c.as<I>();
}

// Adds the `fields` of `value` to the JSON object `out` (nlohmann::json or ordered_json; the
// latter keeps the fields' order).
template <typename Json, typename T, typename... M>
void add_json_fields(Json& out, const T& value, const std::tuple<JsonField<T, M>...>& fields) {
  std::apply([&](const auto&... f) { ((out[f.name] = value.*(f.member)), ...); }, fields);
}

// The `fields` of `value` as a JSON object.
template <typename Json, typename T, typename... M>
Json fields_to_json(const T& value, const std::tuple<JsonField<T, M>...>& fields) {
  Json out = Json::object();
  add_json_fields(out, value, fields);
  return out;
}

// Reads the `fields` of `out` from the object at `c`; every field must be there.
template <typename T, typename... M>
void read_json_fields(const JsonCursor& c, T& out, const std::tuple<JsonField<T, M>...>& fields) {
  std::apply([&](const auto&... f) { (read_json_value(c.member(f.name), out.*(f.member)), ...); }, fields);
}

// A T whose `fields` are read from the object at `c` (the others keep their defaults).
template <typename T, typename... M> T fields_from(const JsonCursor& c, const std::tuple<JsonField<T, M>...>& fields) {
  T out{};
  read_json_fields(c, out, fields);
  return out;
}

} // namespace zw::util
