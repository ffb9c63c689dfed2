#pragma once
// A fresh directory under the system temp directory for one test, removed at scope exit.

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace zw::test {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "zw-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // Writes `content` to `name` inside the directory; returns its path.
  std::string file(const std::string& name, const std::string& content) const {
    const std::filesystem::path p = path / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
};

} // namespace zw::test
