#include "audit/config_tree.hpp"

#include <algorithm>
#include <charconv>
#include <exception>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <toml++/toml.h>
#include <yaml-cpp/yaml.h>

#include "util/enum_names.hpp"
#include "util/files.hpp"
#include "util/text.hpp"
#include "zonewarden/rule.hpp"

namespace zw::audit {

namespace {

// A policy or waiver file is a few hundred values. YAML aliases let a few hundred bytes stand
// for billions of them ("billion laughs"), each expanded again as the tree is copied out, so
// the copy counts the values it makes and how deep it is, and stops at these limits.
constexpr std::size_t k_max_config_values = 100'000;
constexpr std::size_t k_max_config_depth = 64;

struct Budget {
  std::size_t values = 0;
};

// An Error once the tree is too large or too deep; `where` locates the value in the file.
Result<void> spend(Budget& budget, std::size_t depth, std::string_view file, std::string_view where) {
  if (++budget.values > k_max_config_values) {
    return fail(fmt::format("{}: more than {} values (YAML aliases expanding?)", file, k_max_config_values));
  }
  if (depth > k_max_config_depth) {
    return fail(fmt::format("{}: nested deeper than {} levels", where, k_max_config_depth));
  }
  return {};
}

// ---- TOML -------------------------------------------------------------------------------------

Result<ConfigNode> from_toml(const toml::node& node, Budget& budget, std::size_t depth, const std::string& file);

Result<ConfigNode> from_toml_table(const toml::table& table, Budget& budget, std::size_t depth,
                                   const std::string& file) {
  // toml::table is a sorted map; put the keys back in the order they were written. Keys of
  // one table never share a position, so the order is total.
  std::vector<std::pair<const toml::key*, const toml::node*>> entries;
  for (auto&& [key, value] : table) {
    entries.emplace_back(&key, &value);
  }
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const toml::source_position pa = a.first->source().begin;
    const toml::source_position pb = b.first->source().begin;
    return std::tie(pa.line, pa.column) < std::tie(pb.line, pb.column);
  });
  ConfigNode out;
  out.kind = ConfigNode::Kind::table;
  for (const auto& [key, value] : entries) {
    ZW_TRY_ASSIGN(ConfigNode child, from_toml(*value, budget, depth + 1, file));
    out.table.emplace_back(std::string(key->str()), std::move(child));
  }
  return out;
}

// A scalar held as text: a string, a floating-point number (as TOML wrote it) or a date.
ConfigNode scalar(ConfigNode::Kind kind, std::string text) {
  ConfigNode out;
  out.kind = kind;
  out.text = std::move(text);
  return out;
}

std::string toml_date_text(const toml::date& d) {
  return fmt::format("{:04d}-{:02d}-{:02d}", d.year, d.month, d.day);
}

std::string toml_time_text(const toml::time& t) {
  return fmt::format("{:02d}:{:02d}:{:02d}", t.hour, t.minute, t.second);
}

Result<ConfigNode> from_toml(const toml::node& node, Budget& budget, std::size_t depth, const std::string& file) {
  const toml::source_position pos = node.source().begin;
  ZW_TRY(spend(budget, depth, file, fmt::format("{}:{}:{}", file, pos.line, pos.column)));
  ConfigNode out;
  switch (node.type()) {
  case toml::node_type::table: return from_toml_table(*node.as_table(), budget, depth, file);
  case toml::node_type::array:
    out.kind = ConfigNode::Kind::array;
    for (const toml::node& element : *node.as_array()) {
      ZW_TRY_ASSIGN(ConfigNode child, from_toml(element, budget, depth + 1, file));
      out.array.push_back(std::move(child));
    }
    break;
  case toml::node_type::string: return scalar(ConfigNode::Kind::string, node.as_string()->get());
  case toml::node_type::floating_point:
    return scalar(ConfigNode::Kind::floating, fmt::format("{}", node.as_floating_point()->get()));
  case toml::node_type::date: return scalar(ConfigNode::Kind::datetime, toml_date_text(node.as_date()->get()));
  case toml::node_type::time: return scalar(ConfigNode::Kind::datetime, toml_time_text(node.as_time()->get()));
  case toml::node_type::integer:
    out.kind = ConfigNode::Kind::integer;
    out.integer = node.as_integer()->get();
    break;
  case toml::node_type::boolean:
    out.kind = ConfigNode::Kind::boolean;
    out.boolean = node.as_boolean()->get();
    break;
  case toml::node_type::date_time: {
    const toml::date_time& dt = node.as_date_time()->get();
    out.kind = ConfigNode::Kind::datetime;
    out.text = toml_date_text(dt.date) + "T" + toml_time_text(dt.time);
    out.offset_s = dt.offset ? static_cast<std::int64_t>(dt.offset->minutes) * 60 : 0;
    break;
  }
  case toml::node_type::none: break;
  }
  return out;
}

// ---- YAML -------------------------------------------------------------------------------------

bool plain_null(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

bool plain_bool(std::string_view s, bool& value) {
  if (s == "true" || s == "True" || s == "TRUE") {
    value = true;
    return true;
  }
  if (s == "false" || s == "False" || s == "FALSE") {
    value = false;
    return true;
  }
  return false;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// YAML 1.2 core schema, decimal integers: [-+]?[0-9]+
bool plain_integer(std::string_view s) {
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    s.remove_prefix(1);
  }
  return all_digits(s);
}

// YAML 1.2 core schema floats: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? and .inf/.nan
bool plain_float(std::string_view s) {
  if (s == ".inf" || s == "-.inf" || s == "+.inf" || s == ".nan" || s == ".NaN" || s == ".Inf") {
    return true;
  }
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    s.remove_prefix(1);
  }
  const std::size_t e = s.find_first_of("eE");
  std::string_view mantissa = s.substr(0, e);
  if (e != std::string_view::npos) {
    std::string_view exponent = s.substr(e + 1);
    if (!exponent.empty() && (exponent.front() == '-' || exponent.front() == '+')) {
      exponent.remove_prefix(1);
    }
    if (!all_digits(exponent)) {
      return false;
    }
  }
  const std::size_t dot = mantissa.find('.');
  if (dot == std::string_view::npos) {
    return e != std::string_view::npos && all_digits(mantissa);
  }
  const std::string_view whole = mantissa.substr(0, dot);
  const std::string_view fraction = mantissa.substr(dot + 1);
  return (whole.empty() || all_digits(whole)) && (fraction.empty() || all_digits(fraction)) &&
         !(whole.empty() && fraction.empty());
}

// `path` is the key path of `node` ("severity", "waivers[2]"), for messages.
Result<ConfigNode> from_yaml(const YAML::Node& node, const std::string& file, const std::string& path, Budget& budget,
                             std::size_t depth) {
  const auto where = [&]() {
    const YAML::Mark mark = node.Mark();
    return mark.is_null() ? file : fmt::format("{}:{}:{}", file, mark.line + 1, mark.column + 1);
  };
  ZW_TRY(spend(budget, depth, file, where()));
  ConfigNode out;
  switch (node.Type()) {
  case YAML::NodeType::Undefined:
  case YAML::NodeType::Null: return out;
  case YAML::NodeType::Map: {
    out.kind = ConfigNode::Kind::table;
    std::set<std::string> seen;
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) {
        return fail(fmt::format("{}: a key must be a plain string", where()));
      }
      const std::string key = entry.first.Scalar();
      const std::string child = path.empty() ? key : fmt::format("{}.{}", path, key);
      if (!seen.insert(key).second) {
        return fail(fmt::format("{}: key {}: appears twice (again on line {})", file, util::quote_input(child),
                                entry.first.Mark().line + 1));
      }
      ZW_TRY_ASSIGN(ConfigNode value, from_yaml(entry.second, file, child, budget, depth + 1));
      out.table.emplace_back(key, std::move(value));
    }
    return out;
  }
  case YAML::NodeType::Sequence:
    out.kind = ConfigNode::Kind::array;
    for (const YAML::Node& element : node) {
      ZW_TRY_ASSIGN(ConfigNode value,
                    from_yaml(element, file, fmt::format("{}[{}]", path, out.array.size()), budget, depth + 1));
      out.array.push_back(std::move(value));
    }
    return out;
  case YAML::NodeType::Scalar: break;
  }
  const std::string& text = node.Scalar();
  out.text = text;
  // "!" is the non-specific tag of a quoted (or block) scalar: always a string. "?" is a
  // plain scalar, resolved with the core schema.
  if (node.Tag() != "?") {
    out.kind = ConfigNode::Kind::string;
    return out;
  }
  if (plain_null(text)) {
    out.kind = ConfigNode::Kind::null;
    out.text.clear();
  } else if (plain_bool(text, out.boolean)) {
    out.kind = ConfigNode::Kind::boolean;
  } else if (plain_integer(text)) {
    out.kind = ConfigNode::Kind::integer;
    const char* begin = text.data() + (text.front() == '+' ? 1 : 0);
    const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), out.integer);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return fail(
          fmt::format("{}: key {}: integer {} out of range", file, util::quote_input(path), util::quote_input(text)));
    }
  } else if (plain_float(text)) {
    out.kind = ConfigNode::Kind::floating;
  } else {
    out.kind = ConfigNode::Kind::string;
  }
  return out;
}

// STYLE.md §7: messages start lower-case; the parsers' own do not always.
std::string lower_first(std::string_view text) {
  std::string out(text);
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z' && !(out.size() > 1 && out[1] >= 'A' && out[1] <= 'Z')) {
    out[0] = static_cast<char>(out[0] - 'A' + 'a');
  }
  return out;
}

} // namespace

ConfigNode::ConfigNode() = default;
ConfigNode::ConfigNode(const ConfigNode&) = default;
ConfigNode::ConfigNode(ConfigNode&&) noexcept = default;
ConfigNode& ConfigNode::operator=(const ConfigNode&) = default;
ConfigNode& ConfigNode::operator=(ConfigNode&&) noexcept = default;
ConfigNode::~ConfigNode() = default;

using util::EnumName;

constexpr auto k_kind_names = util::enum_names(
    {EnumName(ConfigNode::Kind::table, "a table"), EnumName(ConfigNode::Kind::array, "a list"),
     EnumName(ConfigNode::Kind::string, "a string"), EnumName(ConfigNode::Kind::integer, "an integer"),
     EnumName(ConfigNode::Kind::floating, "a floating-point number"), EnumName(ConfigNode::Kind::boolean, "a boolean"),
     EnumName(ConfigNode::Kind::datetime, "a date"), EnumName(ConfigNode::Kind::null, "nothing")});

std::string_view kind_name(ConfigNode::Kind kind) noexcept {
  return k_kind_names.text(kind, "?");
}

tl::unexpected<Error> key_error(std::string_view file, std::string_view key, std::string_view why) {
  // Keys and the values quoted in `why` come from the file: capped, so a message stays a line.
  return fail(fmt::format("{}: key {}: {}", file, util::quote_input(key), util::quote_input(why, 240)));
}

Result<void> expect_kind(const ConfigNode& node, ConfigNode::Kind kind, std::string_view file, std::string_view key) {
  if (node.kind != kind) {
    return key_error(file, key, fmt::format("expected {}, got {}", kind_name(kind), kind_name(node.kind)));
  }
  return {};
}

Result<ConfigNode> parse_toml(std::string_view text, const std::string& file) {
  try {
    const toml::table table = toml::parse(text, file);
    Budget budget;
    return from_toml_table(table, budget, 0, file);
  } catch (const toml::parse_error& e) {
    return fail(fmt::format("{}:{}:{}: {}", file, e.source().begin.line, e.source().begin.column,
                            util::quote_input(lower_first(e.description()), 240)));
  }
}

Result<ConfigNode> parse_yaml(std::string_view text, const std::string& file) {
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    Budget budget;
    ZW_TRY_ASSIGN(ConfigNode tree, from_yaml(root, file, "", budget, 0));
    if (tree.kind == ConfigNode::Kind::null) {
      tree.kind = ConfigNode::Kind::table; // an empty document, like an empty TOML file
    }
    return tree;
  } catch (const YAML::Exception& e) {
    return fail(fmt::format("{}:{}:{}: {}", file, e.mark.line + 1, e.mark.column + 1,
                            util::quote_input(lower_first(e.msg), 240)));
  }
}

Result<ConfigNode> parse_config(std::string_view text, ConfigFormat format, const std::string& file) {
  return format == ConfigFormat::toml ? parse_toml(text, file) : parse_yaml(text, file);
}

Result<ConfigFormat> config_format_of(const std::string& path) {
  if (path.ends_with(".toml")) {
    return ConfigFormat::toml;
  }
  if (path.ends_with(".yaml") || path.ends_with(".yml")) {
    return ConfigFormat::yaml;
  }
  return fail(fmt::format("{}: unknown file type (use .toml, .yaml or .yml)", path));
}

std::string file_stem(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash != std::string_view::npos) {
    path.remove_prefix(slash + 1);
  }
  const std::size_t dot = path.find_last_of('.');
  if (dot != std::string_view::npos && dot > 0) {
    path = path.substr(0, dot);
  }
  return std::string(path);
}

bool is_glob(std::string_view pattern) noexcept {
  return pattern.find_first_of("*?") != std::string_view::npos;
}

bool glob_match(std::string_view pattern, std::string_view text) noexcept {
  // Iterative matcher with one backtrack point: the most recent `*` absorbs one more character
  // whenever the rest fails. Linear in practice, never exponential.
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

std::string check_rule_pattern(std::string_view pattern) {
  if (pattern.empty()) {
    return "empty rule pattern";
  }
  if (!is_glob(pattern)) {
    return find_rule(pattern) != nullptr
               ? ""
               : fmt::format("unknown rule {} (zonewarden rules lists them)", util::quote_input(pattern));
  }
  for (const auto& rule : all_rules()) {
    if (glob_match(pattern, rule->info().id)) {
      return "";
    }
  }
  return fmt::format("{} matches no rule (zonewarden rules lists them)", util::quote_input(pattern));
}

} // namespace zw::audit
