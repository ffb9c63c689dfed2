// The read floor of a zone file: the CPU time libzscanner (Knot's scanner, the fastest zone-file
// reader in Debian) takes to tokenise every record of FILE and convert it to wire form, with the
// records thrown away. No tool can verify a zone file's signatures in less CPU time than this
// plus the crypto floor, so bench/check/report.py sets it beside the crypto limit.
//   bench_read FILE ORIGIN [REPEATS]     (default 3; prints the fastest: "records N cpu_s S")
// The file is read REPEATS times; the page cache is warm after the first, as it is for the
// measured tools (each is run several times on the same file).

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

extern "C" {
#include <libzscanner/scanner.h>
}

namespace {

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Count {
  unsigned long records = 0;
  unsigned long errors = 0;
};

void on_record(zs_scanner_t* s) {
  ++static_cast<Count*>(s->process.data)->records;
}

void on_error(zs_scanner_t* s) {
  ++static_cast<Count*>(s->process.data)->errors;
  s->state = ZS_STATE_STOP;
}

// One pass; the record count, or -1 with a reason on stderr.
long read_once(const char* path, const char* origin, double* cpu) {
  // 200 KiB: on the heap, as libzscanner's own tools do.
  auto* scanner = static_cast<zs_scanner_t*>(std::calloc(1, sizeof(zs_scanner_t)));
  if (scanner == nullptr) {
    std::fprintf(stderr, "bench_read: out of memory\n");
    return -1;
  }
  Count count;
  long result = -1;
  const double start = process_cpu_seconds();
  if (zs_init(scanner, origin, 1, 3600) != 0 || zs_set_processing(scanner, on_record, on_error, &count) != 0 ||
      zs_set_input_file(scanner, path) != 0) {
    std::fprintf(stderr, "bench_read: %s: %s\n", path, zs_strerror(scanner->error.code));
  } else if (zs_parse_all(scanner) != 0 || count.errors != 0) {
    std::fprintf(stderr, "bench_read: %s:%llu: %s\n", path, static_cast<unsigned long long>(scanner->line_counter),
                 zs_strerror(scanner->error.code));
  } else {
    result = static_cast<long>(count.records);
  }
  *cpu = process_cpu_seconds() - start;
  zs_deinit(scanner);
  std::free(scanner);
  return result;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: bench_read FILE ORIGIN [REPEATS]\n");
    return 2;
  }
  const int repeats = argc == 4 ? std::atoi(argv[3]) : 3;
  if (repeats < 1 || repeats > 100) {
    std::fprintf(stderr, "bench_read: REPEATS must be 1 to 100, not %s\n", argv[3]);
    return 2;
  }
  double best = -1;
  long records = 0;
  for (int i = 0; i < repeats; ++i) {
    double cpu = 0;
    records = read_once(argv[1], argv[2], &cpu);
    if (records < 0) {
      return 2;
    }
    if (best < 0 || cpu < best) {
      best = cpu;
    }
  }
  std::printf("records %ld cpu_s %.3f\n", records, best);
  return 0;
}
