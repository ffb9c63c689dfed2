#pragma once
// The names an enum's enumerators are written as (JSON, reports, options), in one table that is
// read both ways: the text an enumerator is written as is the text it is read back from, so a
// writer and its reader cannot drift apart the way a `switch` and a separate list of enumerators
// to try can.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace zw::util {

// One enumerator and its name: `EnumName(Severity::notice, "notice")`.
template <typename E> struct EnumName {
  constexpr EnumName() = default;
  constexpr EnumName(E v, std::string_view t) : value(v), text(t) {}

  E value{};
  std::string_view text;
};

template <typename E, std::size_t N> class EnumNames {
public:
  // Checked at compile time: no enumerator has two rows and no name is given twice, so both
  // directions are functions.
  consteval explicit EnumNames(const EnumName<E> (&rows)[N]) {
    for (std::size_t i = 0; i < N; ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (rows[i].value == rows[j].value || rows[i].text == rows[j].text) {
          throw "an enumerator or a name stands in two rows"; // a compile error
        }
      }
      m_rows[i] = rows[i];
    }
  }

  // The name of `value`; `otherwise` for a value no row names (only a cast can make one).
  [[nodiscard]] constexpr std::string_view text(E value, std::string_view otherwise = "unknown") const noexcept {
    for (const EnumName<E>& row : m_rows) {
      if (row.value == value) {
        return row.text;
      }
    }
    return otherwise;
  }

  // The enumerator named `text` exactly (names are case-sensitive), or nothing.
  [[nodiscard]] constexpr std::optional<E> value(std::string_view text) const noexcept {
    for (const EnumName<E>& row : m_rows) {
      if (row.text == text) {
        return row.value;
      }
    }
    return std::nullopt;
  }

  [[nodiscard]] constexpr auto begin() const noexcept { return m_rows.begin(); }
  [[nodiscard]] constexpr auto end() const noexcept { return m_rows.end(); }

private:
  std::array<EnumName<E>, N> m_rows{};
};

// `enum_names({EnumName(Severity::notice, "notice"), ...})`: the enum and the row count are deduced.
template <typename E, std::size_t N> consteval EnumNames<E, N> enum_names(const EnumName<E> (&rows)[N]) {
  return EnumNames<E, N>(rows);
}

} // namespace zw::util
