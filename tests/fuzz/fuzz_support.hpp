#pragma once
// Helpers shared by the fuzz targets (tests/fuzz/fuzz_*.cpp). Each target defines
// LLVMFuzzerTestOneInput; under libFuzzer (-Dfuzz=true) it is its own binary, and in every
// build replay_main.cpp runs all of them over their checked-in corpora (`fuzz-replay`).

#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace zw::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) noexcept {
  return {reinterpret_cast<const char*>(data), size};
}

// A private directory made once per process and removed at exit. The targets give their input
// to the parsers in memory (writing a file per input made them disk-bound: on ext4 a file
// truncated and rewritten is flushed at close); a name in here stands for the file, so that
// what the parser resolves relative to it (the zone loader's $INCLUDE) stays private.
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "zw-fuzz-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::perror("zw-fuzz: mkdtemp");
      std::abort();
    }
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratch_dir(), ec);
    });
    return std::filesystem::path(pattern);
  }();
  return dir;
}

// A broken invariant of our own code: abort, so libFuzzer records the input as a crash and the
// replay fails naming the file.
[[noreturn]] inline void invariant_failed(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "zw-fuzz: invariant broken: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

} // namespace zw::fuzz
