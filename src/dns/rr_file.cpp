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

// How many blank or comment-only lines start at `offset` of `text`: ldns passes over them
// before the next record (and counts them), so the record starts that many lines further on.
int blank_lines_at(std::string_view text, long offset) noexcept {
  int blank = 0;
  for (std::size_t pos = offset < 0 ? text.size() : static_cast<std::size_t>(offset); pos < text.size();) {
    const std::size_t eol = text.find('\n', pos);
    const std::string_view line = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    const std::size_t first = line.find_first_not_of(" \t\r");
    if ((first != std::string_view::npos && line[first] != ';') || eol == std::string_view::npos) {
      break;
    }
    ++blank;
    pos = eol + 1;
  }
  return blank;
}

std::vector<std::string> texts(std::vector<RrLine>&& rrs) {
  std::vector<std::string> out;
  out.reserve(rrs.size());
  for (RrLine& rr : rrs) {
    out.push_back(std::move(rr.text));
  }
  return out;
}
} // namespace

Result<std::vector<std::string>> read_rr_file(const std::string& path) {
  ZW_TRY_ASSIGN(std::vector<RrLine> rrs, read_rr_file_lines(path));
  return texts(std::move(rrs));
}

Result<std::vector<RrLine>> read_rr_file_lines(const std::string& path) {
  // Read through the one checked reader (a directory, FIFO, device or huge file is refused
  // before reading), then parsed from memory.
  ZW_TRY_ASSIGN(const std::string text, util::read_file(path, util::k_max_small_file_bytes));
  return read_rr_text_lines(text, path);
}

Result<std::vector<std::string>> read_rr_text(std::string_view text, std::string_view name) {
  ZW_TRY_ASSIGN(std::vector<RrLine> rrs, read_rr_text_lines(text, name));
  return texts(std::move(rrs));
}

Result<std::vector<RrLine>> read_rr_text_lines(std::string_view text, std::string_view name) {
  std::vector<RrLine> out;
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
    const int first_line = line + blank_lines_at(text, std::ftell(file.get()));
    ldns_rr* raw = nullptr;
    const ldns_status status = ldns_rr_new_frm_fp_l(&raw, file.get(), &default_ttl, &origin, &prev, &line);
    RrHandle rr(raw);
    if (status == LDNS_STATUS_SYNTAX_EMPTY || status == LDNS_STATUS_SYNTAX_TTL || status == LDNS_STATUS_SYNTAX_ORIGIN ||
        status == LDNS_STATUS_SYNTAX_INCLUDE) {
      continue;
    }
    if (status != LDNS_STATUS_OK) {
      if (std::feof(file.get()) != 0 && status == LDNS_STATUS_SYNTAX_ERR) {
        break;
      }
      release();
      return fail(fmt::format("{}:{}: {}", name, line, status_text(status)));
    }
    out.push_back(RrLine{rr_to_text(rr.get(), ldns_output_format_default), static_cast<std::uint32_t>(first_line)});
  }
  release();
  return out;
}

} // namespace zw::dns
