#include <doctest/doctest.h>

#include "test_temp_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "util/files.hpp"
#include "util/json_text.hpp"
#include "util/text.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_util_files {

using namespace zw::util;

namespace {

namespace fs = std::filesystem;

using zw::test::TempDir;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string error_of(const zw::Result<std::string>& r) {
  return r ? std::string("(no error)") : r.error().message;
}

} // namespace

TEST_CASE("util::read_file refuses what is not a regular file, before reading") {
  TempDir dir;
  const std::string plain = dir.file("a.txt", "hello\n");
  CHECK(read_file(plain).value() == "hello\n");
  CHECK(read_file(dir.file("empty.txt", "")).value().empty());
  CHECK(error_of(read_file(dir.path.string())) == dir.path.string() + ": is a directory");
  CHECK(error_of(read_file("/dev/zero")) == "/dev/zero: not a regular file");
  CHECK(error_of(read_file("/dev/null")) == "/dev/null: not a regular file");
  const std::string fifo = (dir.path / "fifo").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(error_of(read_file(fifo)) == fifo + ": not a regular file"); // and it did not block
  CHECK(error_of(read_file((dir.path / "missing").string())).find(": no such file") != std::string::npos);
  // The size limit is checked on the file's size, not by reading it.
  const std::string big = dir.file("big.txt", std::string(5000, 'x'));
  CHECK(read_file(big, 5000).value().size() == 5000);
  CHECK(error_of(read_file(big, 4999)).rfind(big + ": 5000 bytes, over the 4999 bytes limit", 0) == 0);
  CHECK(check_input_file(big, 4999, "shown").error().message.rfind("shown: ", 0) == 0);
  CHECK(check_input_file(big, 5000).value() == 5000);
}

TEST_CASE("util::write_files_atomically replaces all or none") {
  TempDir dir;
  const std::string a = dir.file("a.json", "OLD-A");
  const std::string b = dir.file("b.sarif", "OLD-B");
  REQUIRE(write_files_atomically({{a, "NEW-A"}, {b, "NEW-B"}}).has_value());
  CHECK(slurp(a) == "NEW-A");
  CHECK(slurp(b) == "NEW-B");
  // The second target cannot be written: the first keeps its old content.
  const std::string blocked = (dir.path / "c.html").string();
  fs::create_directory(blocked);
  const zw::Result<void> failed = write_files_atomically({{a, "NEWER-A"}, {blocked, "C"}});
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().message == blocked + ": is a directory");
  CHECK(slurp(a) == "NEW-A");
  // A target whose directory is missing fails before anything is renamed, and leaves no
  // temporary files behind.
  const std::string lost = (dir.path / "no" / "d.txt").string();
  REQUIRE_FALSE(write_files_atomically({{a, "NEWER-A"}, {lost, "D"}}).has_value());
  CHECK(slurp(a) == "NEW-A");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path)) {
    ++entries;
  }
  CHECK(entries == 3); // a.json, b.sarif, c.html/
  // A device is written in place (and /dev/full fails loudly).
  CHECK(write_files_atomically({{"/dev/null", "x"}}).has_value());
  CHECK_FALSE(write_files_atomically({{"/dev/full", "x"}}).has_value());
}

TEST_CASE("util::write_files_atomically writes produced content as it comes, or nothing") {
  TempDir dir;
  const std::string a = dir.file("a.json", "OLD-A");
  const std::string b = dir.file("b.json", "OLD-B");
  const auto pieces = [](std::vector<std::string> parts) {
    return [parts](const FileToWrite::Sink& write) -> zw::Result<void> {
      for (const std::string& p : parts) {
        ZW_TRY(write(p));
      }
      return {};
    };
  };
  REQUIRE(write_files_atomically({{a, "", pieces({"NE", "W-", "A"})}, {b, "NEW-B"}}).has_value());
  CHECK(slurp(a) == "NEW-A");
  CHECK(slurp(b) == "NEW-B");
  // A producer that fails half-way: neither target changes, and no temporary file is left.
  const auto failing = [](const FileToWrite::Sink& write) -> zw::Result<void> {
    ZW_TRY(write("HALF"));
    return zw::fail("render failed");
  };
  const zw::Result<void> failed = write_files_atomically({{b, "NEWER-B"}, {a, "", failing}});
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().message == "render failed");
  CHECK(slurp(a) == "NEW-A");
  CHECK(slurp(b) == "NEW-B");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path)) {
    ++entries;
  }
  CHECK(entries == 2);
  // A device takes the pieces too.
  CHECK(write_files_atomically({{"/dev/null", "", pieces({"x", "y"})}}).has_value());
}

TEST_CASE("util::list_first names the first items and counts the rest") {
  const std::vector<std::string> three{"a", "b", "c"};
  CHECK(zw::util::list_first(three, 5) == "a, b, c");
  CHECK(zw::util::list_first(three, 3) == "a, b, c");
  CHECK(zw::util::list_first(three, 2) == "a, b and 1 more");
  CHECK(zw::util::list_first(three, 1, " | ") == "a and 2 more");
  CHECK(zw::util::list_first(three, 0) == "3 more");
  CHECK(zw::util::list_first(three, 3, "; ", 10) == "a; b; c and 7 more"); // the first three of ten
  CHECK(zw::util::list_first(three, 2, ", ", 1) == "a, b and 1 more");     // a total below the items is ignored
  CHECK(zw::util::list_first({}, 4).empty());
}

TEST_CASE("util::quote_input caps echoed input") {
  CHECK(quote_input("example.com") == "example.com");
  CHECK(quote_input(std::string(100, 'x')) == std::string(80, 'x') + "…");
  CHECK(quote_input(std::string(80, 'x')) == std::string(80, 'x'));
  CHECK(quote_input("a\nb\tc\x7f") == "a?b?c?");
  CHECK(quote_input("caf\xc3\xa9", 4) == "caf\xc3\xa9");
  CHECK(quote_input("\xc3\xa9\xc3\xa9\xc3\xa9", 2) == "\xc3\xa9\xc3\xa9…");
  CHECK(quote_input("\xff\xc3") == "??");
}

TEST_CASE("util::append_visible shows C0 controls and DEL as \\xNN") {
  const auto visible = [](std::string_view text, std::string_view backslash) {
    std::string out;
    for (const char c : text) {
      zw::util::append_visible(out, c, backslash);
    }
    return out;
  };
  CHECK(visible("a\x01"
                "b",
                "\\") == "a\\x01b");
  CHECK(visible(std::string_view("\0\x1f\x7f", 3), "\\") == "\\x00\\x1f\\x7f");
  CHECK(visible(" ~\xc3\xa9", "\\") == " ~\xc3\xa9"); // printable ASCII and UTF-8 pass through
  CHECK(visible("\x07", "\\\\") == "\\\\x07");        // a format that escapes its backslash
}

TEST_CASE("util::parse_json names the member of a number out of range") {
  CHECK(parse_json(R"({"a": [1, {"b": 2.5}]})").has_value());
  const auto error = [](const std::string& text) {
    const zw::Result<nlohmann::json> r = parse_json(text);
    REQUIRE_FALSE(r.has_value());
    return r.error().message;
  };
  CHECK(error(R"({"zones": [{"servers": [{}, {"rtt_ms": 1e400}]}]})") ==
        "zones[0].servers[1].rtt_ms: number out of range");
  CHECK(error(R"({"a": 1, "elapsed_s": -1e999})") == "elapsed_s: number out of range");
  CHECK(error("[1, 2, 1e400]") == "[2]: number out of range");
  CHECK(error("1e400") == "(document): number out of range");
  CHECK(error("{\"a\": NaN}").rfind("not JSON at byte ", 0) == 0);
  CHECK(error(std::string(1000, '[') + std::string(1000, ']')).find("nested deeper than") != std::string::npos);
  // A syntax error after a megabyte-long token is still one short line.
  CHECK(error("[\"" + std::string(1 << 20, 'x')).size() < 300);
}

TEST_CASE("util::parse_json_each hands over the elements of one array and keeps the rest") {
  std::vector<std::pair<std::size_t, std::string>> seen;
  const zw::util::JsonElementSink keep = [&](nlohmann::json&& element, std::size_t index) -> zw::Result<void> {
    seen.emplace_back(index, element.dump());
    return {};
  };
  const auto doc = zw::util::parse_json_each(
      R"({"tool": "zw", "zones": [{"zone": "a.", "servers": [1, 2]}, 7, [3], {"zone": "b."}],
          "other": {"zones": [9]}, "last": [1]})",
      "zones", keep);
  REQUIRE(doc.has_value());
  // Nested arrays of the same name, and other members, stay in the document.
  CHECK(doc->dump() == R"({"last":[1],"other":{"zones":[9]},"tool":"zw","zones":[]})");
  REQUIRE(seen.size() == 4);
  CHECK(seen[0] == std::pair<std::size_t, std::string>{0, R"({"servers":[1,2],"zone":"a."})"});
  CHECK(seen[1] == std::pair<std::size_t, std::string>{1, "7"});
  CHECK(seen[2] == std::pair<std::size_t, std::string>{2, "[3]"});
  CHECK(seen[3] == std::pair<std::size_t, std::string>{3, R"({"zone":"b."})"});
  // Not an object at the top, or no such member: nothing handed over, the document as it is.
  seen.clear();
  CHECK(zw::util::parse_json_each("[1, 2]", "zones", keep)->dump() == "[1,2]");
  CHECK(zw::util::parse_json_each(R"({"zone": [1]})", "zones", keep)->dump() == R"({"zone":[1]})");
  CHECK(seen.empty());
  // The handler's Error stops the parse and is returned as it is; parse errors are named as by
  // parse_json, inside the streamed elements too.
  int calls = 0;
  const zw::util::JsonElementSink refuse = [&](nlohmann::json&&, std::size_t index) -> zw::Result<void> {
    ++calls;
    return zw::fail(fmt::format("zones[{}]: refused", index));
  };
  const auto stopped = zw::util::parse_json_each(R"({"zones": [{}, {}, {}]})", "zones", refuse);
  REQUIRE_FALSE(stopped.has_value());
  CHECK(stopped.error().message == "zones[0]: refused");
  CHECK(calls == 1);
  const auto overflow =
      zw::util::parse_json_each(R"({"zones": [{}, {"servers": [{"rtt_ms": 1e400}]}]})", "zones", keep);
  REQUIRE_FALSE(overflow.has_value());
  CHECK(overflow.error().message == "zones[1].servers[0].rtt_ms: number out of range");
  CHECK(zw::util::parse_json_each(R"({"zones": [{}, )", "zones", keep).error().message.rfind("not JSON at byte", 0) ==
        0);
}

} // namespace zw_test_util_files
