#pragma once
// Policy and waiver files come in TOML and YAML. Both are read into one small tree first, so
// that a single schema check serves both syntaxes and they cannot drift apart: the same file
// written in either syntax gives the same Policy or the same waivers, and the same errors.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zonewarden/error.hpp"
#include "zonewarden/policy.hpp"

namespace zw::audit {

// One value of a configuration file. Tables keep their keys in document order (TOML's own
// tables are sorted maps; "the last matching entry wins" needs the order the user wrote).
struct ConfigNode {
  enum class Kind : std::uint8_t { table, array, string, integer, floating, boolean, datetime, null };
  // Declared here, defined in the .cpp: a vector of pairs holding the type being defined is
  // fine for GCC, but clang 14 instantiates the pair's destructor before ConfigNode is complete.
  ConfigNode();
  ConfigNode(const ConfigNode&);
  ConfigNode(ConfigNode&&) noexcept;
  ConfigNode& operator=(const ConfigNode&);
  ConfigNode& operator=(ConfigNode&&) noexcept;
  ~ConfigNode();
  Kind kind = Kind::null;
  std::string text;                                      // string: its value; datetime: "YYYY-MM-DD[THH:MM:SS]"
  std::int64_t integer = 0;                              // integer
  std::int64_t offset_s = 0;                             // datetime: its UTC offset, seconds east
  bool boolean = false;                                  // boolean
  std::vector<std::pair<std::string, ConfigNode>> table; // table, in document order
  std::vector<ConfigNode> array;                         // array
};

// "a table", "a string", ...: for "expected X, got Y" messages.
std::string_view kind_name(ConfigNode::Kind kind) noexcept;

// The one shape of a schema error: "`file`: key `key`: `why`".
tl::unexpected<Error> key_error(std::string_view file, std::string_view key, std::string_view why);
// An Error unless `node` is of `kind`: "`file`: key `key`: expected a string, got an integer".
Result<void> expect_kind(const ConfigNode& node, ConfigNode::Kind kind, std::string_view file, std::string_view key);

// Parses `text` as TOML. A syntax error is an Error "`file`:LINE:COL: why".
Result<ConfigNode> parse_toml(std::string_view text, const std::string& file);
// Parses `text` as YAML 1.2 with the core schema's scalars: a plain scalar that reads as an
// integer, true/false or null is one; a quoted scalar is always a string. Duplicate keys and
// non-string keys are errors, so YAML is no looser than TOML.
Result<ConfigNode> parse_yaml(std::string_view text, const std::string& file);

// Parses `text` as `format` (parse_toml or parse_yaml); `file` names it in messages.
Result<ConfigNode> parse_config(std::string_view text, ConfigFormat format, const std::string& file);

// The format of the file at `path` by its extension: .toml, .yaml or .yml; any other is an Error.
Result<ConfigFormat> config_format_of(const std::string& path);

// The file name without directory and extension ("profiles/acme.toml" -> "acme").
std::string file_stem(std::string_view path);

// Glob over rule ids: `*` matches any run of characters (also `/`), `?` exactly one; every
// other character matches itself.
bool glob_match(std::string_view pattern, std::string_view text) noexcept;
bool is_glob(std::string_view pattern) noexcept;

// Checks a rule pattern (exact id or glob) against the registry: an exact id must be a
// registered rule, a glob must match at least one. Returns the reason, or "" when it is fine.
std::string check_rule_pattern(std::string_view pattern);

} // namespace zw::audit
