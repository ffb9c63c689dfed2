#include "dns/rr_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "dns/ldns_handle.hpp"
#include "util/files.hpp"

namespace zw::dns {

namespace {
struct FileClose {
  void operator()(FILE* f) const noexcept { std::fclose(f); }
};
} // namespace

Result<std::vector<std::string>> read_rr_file(const std::string& path) {
  // Read through the one checked reader (a directory, FIFO, device or huge file is refused
  // before reading), then parsed from memory.
  ZW_TRY_ASSIGN(const std::string text, util::read_file(path, util::k_max_small_file_bytes));
  return read_rr_text(text, path);
}

Result<std::vector<std::string>> read_rr_text(std::string_view text, std::string_view name) {
  std::vector<std::string> out;
  if (text.empty()) {
    return out;
  }
  // ldns reads from a FILE*; the stream only reads ("r"), so the const text is never written.
  std::unique_ptr<FILE, FileClose> file(fmemopen(const_cast<char*>(text.data()), text.size(), "r"));
  if (!file) {
    return fail(fmt::format("{}: {}", name, std::strerror(errno)));
  }
  std::uint32_t default_ttl = 3600;
  ldns_rdf* origin = nullptr;
  ldns_rdf* prev = nullptr;
  int line = 1;
  const auto release = [&] {
    if (origin != nullptr) {
      ldns_rdf_deep_free(origin);
    }
    if (prev != nullptr) {
      ldns_rdf_deep_free(prev);
    }
  };
  while (std::feof(file.get()) == 0) {
    ldns_rr* raw = nullptr;
    const ldns_status status = ldns_rr_new_frm_fp_l(&raw, file.get(), &default_ttl, &origin, &prev, &line);
    RrHandle rr(raw);
    if (status == LDNS_STATUS_SYNTAX_EMPTY || status == LDNS_STATUS_SYNTAX_TTL ||
        status == LDNS_STATUS_SYNTAX_ORIGIN || status == LDNS_STATUS_SYNTAX_INCLUDE) {
      continue;
    }
    if (status != LDNS_STATUS_OK) {
      if (std::feof(file.get()) != 0 && status == LDNS_STATUS_SYNTAX_ERR) {
        break;
      }
      release();
      return fail(fmt::format("{}:{}: {}", name, line, status_text(status)));
    }
    CString printed(ldns_rr2str(rr.get()));
    std::string s = printed ? printed.get() : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) {
      s.pop_back();
    }
    out.push_back(std::move(s));
  }
  release();
  return out;
}

} // namespace zw::dns
