// Test driver for the python checkers: renders a saved JSON result in one format to stdout.
// Usage: render_fixture FORMAT RESULT.json [FAIL_ON]

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "zonewarden/report.hpp"

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: render_fixture FORMAT RESULT.json [error|warning|notice]\n");
    return 2;
  }
  std::ifstream in(argv[2], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "render_fixture: %s: cannot read\n", argv[2]);
    return 2;
  }
  std::ostringstream text;
  text << in.rdbuf();
  const zw::Result<zw::AuditResult> result = zw::read_result_json(text.str());
  if (!result) {
    std::fprintf(stderr, "render_fixture: %s: %s\n", argv[2], result.error().message.c_str());
    return 2;
  }
  zw::RenderOptions options;
  if (argc == 4) {
    const std::optional<zw::Severity> fail_on = zw::severity_from_string(argv[3]);
    if (!fail_on) {
      std::fprintf(stderr, "render_fixture: %s: not a severity\n", argv[3]);
      return 2;
    }
    options.fail_on = *fail_on;
  }
  const zw::Result<std::string> rendered = zw::render(argv[1], *result, options);
  if (!rendered) {
    std::fprintf(stderr, "render_fixture: %s\n", rendered.error().message.c_str());
    return 2;
  }
  std::fwrite(rendered->data(), 1, rendered->size(), stdout);
  return 0;
}
