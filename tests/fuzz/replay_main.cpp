// fuzz_replay: runs the fuzz targets in-process over files, without libFuzzer, so that every
// build (gcc included) replays the checked-in corpora as the `fuzz-replay` test.
//
//   fuzz_replay CORPUS_ROOT                 every target over CORPUS_ROOT/<target>/*
//   fuzz_replay --target NAME PATH...       one target over files and directories
//
// A crash, an abort (a broken invariant, a sanitizer report), an escaping exception or an
// input that runs longer than ZW_FUZZ_REPLAY_TIMEOUT seconds (default 30) fails the run and
// names the target and the file. Each target is compiled with -DLLVMFuzzerTestOneInput=
// zw_fuzz_<name> (tests/fuzz/meson.build), so all of them fit in this one binary.
#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#define ZW_FUZZ_TARGET(name) extern "C" int zw_fuzz_##name(const std::uint8_t* data, std::size_t size);
#include "targets.def"
#undef ZW_FUZZ_TARGET

// Set by the sanitizer runtimes when they are linked in: called before a sanitizer exits.
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

namespace {

namespace fs = std::filesystem;

struct Target {
  std::string_view name;
  int (*run)(const std::uint8_t*, std::size_t);
};

constexpr Target k_targets[] = {
#define ZW_FUZZ_TARGET(name) {#name, zw_fuzz_##name},
#include "targets.def"
#undef ZW_FUZZ_TARGET
};

// What is running, for the signal handlers: fixed buffers, written before each input.
char g_current[4096] = "";

void say_current(const char* what) {
  // Only async-signal-safe calls here.
  const char prefix[] = "fuzz-replay: ";
  (void)!::write(STDERR_FILENO, prefix, sizeof prefix - 1);
  (void)!::write(STDERR_FILENO, what, std::strlen(what));
  (void)!::write(STDERR_FILENO, " on ", 4);
  (void)!::write(STDERR_FILENO, g_current, std::strlen(g_current));
  (void)!::write(STDERR_FILENO, "\n", 1);
}

extern "C" void on_signal(int sig) {
  say_current(sig == SIGALRM ? "timed out" : "crashed");
  std::signal(sig, SIG_DFL);
  if (sig == SIGALRM) {
    std::_Exit(1);
  }
  std::raise(sig);
}

extern "C" void on_sanitizer_death() {
  say_current("sanitizer report");
}

unsigned per_input_timeout() {
  const char* env = std::getenv("ZW_FUZZ_REPLAY_TIMEOUT");
  const int seconds = env != nullptr ? std::atoi(env) : 0;
  return seconds > 0 ? static_cast<unsigned>(seconds) : 30;
}

// Files of `path` (itself when it is a file), sorted, recursing into directories.
std::vector<fs::path> inputs_of(const fs::path& path) {
  std::vector<fs::path> files;
  if (fs::is_directory(path)) {
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(path)) {
      if (entry.is_regular_file()) {
        files.push_back(entry.path());
      }
    }
  } else {
    files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Replays `target` over `paths`; the number of inputs, or -1 when a path cannot be read.
long replay(const Target& target, const std::vector<fs::path>& paths) {
  long count = 0;
  const unsigned timeout = per_input_timeout();
  for (const fs::path& path : paths) {
    for (const fs::path& file : inputs_of(path)) {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "fuzz-replay: %s: cannot read\n", file.c_str());
        return -1;
      }
      const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::snprintf(g_current, sizeof g_current, "%.*s input %s", static_cast<int>(target.name.size()),
                    target.name.data(), file.c_str());
      ::alarm(timeout);
      try {
        // A copy in a buffer of its own size, so ASan sees reads past the end.
        std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
        (void)target.run(data.empty() ? nullptr : data.data(), data.size());
      } catch (const std::exception& e) {
        ::alarm(0);
        std::fprintf(stderr, "fuzz-replay: exception on %s: %s\n", g_current, e.what());
        std::exit(1);
      } catch (...) {
        ::alarm(0);
        std::fprintf(stderr, "fuzz-replay: unknown exception on %s\n", g_current);
        std::exit(1);
      }
      ::alarm(0);
      ++count;
    }
  }
  return count;
}

int usage() {
  std::fprintf(stderr, "usage: fuzz_replay CORPUS_ROOT | fuzz_replay --target NAME PATH...\n");
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  for (const int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM}) {
    std::signal(sig, on_signal);
  }
  if (__sanitizer_set_death_callback != nullptr) {
    __sanitizer_set_death_callback(on_sanitizer_death);
  }
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 3 && args[0] == "--target") {
    for (const Target& target : k_targets) {
      if (target.name == args[1]) {
        const long n = replay(target, std::vector<fs::path>(args.begin() + 2, args.end()));
        if (n < 0) {
          return 1;
        }
        std::printf("fuzz-replay: %s: %ld inputs\n", target.name.data(), n);
        return 0;
      }
    }
    std::fprintf(stderr, "fuzz-replay: %s: no such target\n", args[1].c_str());
    return 2;
  }
  if (args.size() != 1) {
    return usage();
  }
  const fs::path root = args[0];
  int failures = 0;
  std::set<std::string> names;
  for (const Target& target : k_targets) {
    names.emplace(target.name);
    const fs::path dir = root / target.name;
    if (!fs::is_directory(dir)) {
      std::fprintf(stderr, "fuzz-replay: %s: no corpus directory %s\n", target.name.data(), dir.c_str());
      ++failures;
      continue;
    }
    const long n = replay(target, {dir});
    if (n <= 0) {
      std::fprintf(stderr, "fuzz-replay: %s: empty or unreadable corpus %s\n", target.name.data(), dir.c_str());
      ++failures;
      continue;
    }
    std::printf("fuzz-replay: %s: %ld inputs\n", target.name.data(), n);
  }
  // A corpus without its target would never be replayed.
  for (const fs::directory_entry& entry : fs::directory_iterator(root)) {
    if (entry.is_directory() && names.count(entry.path().filename().string()) == 0) {
      std::fprintf(stderr, "fuzz-replay: %s: a corpus without a target in targets.def\n", entry.path().c_str());
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}
