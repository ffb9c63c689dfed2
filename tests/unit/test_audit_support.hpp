#pragma once
// Shared by the policy, baseline and waiver tests: files written into a private temporary
// directory, and hand-built findings.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>

#include "zonewarden/audit.hpp"

namespace zw::test {

// A fresh directory under the system temp directory, removed with its files at scope exit.
class TempDir {
public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "zw-policy-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    m_path = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `content` to `name` inside the directory and returns its path.
  std::string write(const std::string& name, const std::string& content) const {
    const std::filesystem::path path = m_path / name;
    std::ofstream out(path, std::ios::binary);
    out << content;
    REQUIRE(out.good());
    return path.string();
  }

private:
  std::filesystem::path m_path;
};

inline Finding make_finding(std::string rule, Severity severity, std::string zone, std::string server,
                            std::string owner, std::string type, std::string message = "a message") {
  Finding f;
  f.rule = std::move(rule);
  f.severity = severity;
  f.location = Location{std::move(zone), std::move(server), std::move(owner), std::move(type)};
  f.message = std::move(message);
  return f;
}

} // namespace zw::test
