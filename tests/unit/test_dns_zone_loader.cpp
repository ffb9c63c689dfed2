#include <doctest/doctest.h>

#include "test_temp_dir.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include <fmt/format.h>

#include "../zone_store_dump.hpp"
#include "dns/zone_loader.hpp"
#include "dns/zone_text.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_dns_zone_loader {

using namespace zw::dns;

namespace {

namespace fs = std::filesystem;

const std::string k_dir = "tests/fixtures/zones/";

// Every loader fixture, good and bad, relative to k_dir.
constexpr std::array<const char*, 14> k_loader_fixtures = {"basic.zone",
                                                           "canonical.zone",
                                                           "sigs.zone",
                                                           "bad/class-ch.zone",
                                                           "bad/empty.zone",
                                                           "bad/extra-paren.zone",
                                                           "bad/include-loop-a.zone",
                                                           "bad/include-missing.zone",
                                                           "bad/include-self.zone",
                                                           "bad/overlong-label.zone",
                                                           "bad/overlong-name.zone",
                                                           "bad/soa-elsewhere.zone",
                                                           "bad/syntax.zone",
                                                           "bad/unclosed-paren.zone"};

Bytes name(const char* text) {
  return name_from_text(text).value();
}

// The error message of loading `path`, or "" when it loads.
std::string load_error(const std::string& path, const LoadOptions& options = {}) {
  const zw::Result<ZoneStore> zone = load_zone_file(path, options);
  return zone ? std::string() : zone.error().message;
}

// The message of a failed load, "" for a successful one (doctest evaluates *_MESSAGE text even
// when the check passes, under -s).
std::string error_text(const zw::Result<ZoneStore>& zone) {
  return zone ? std::string() : zone.error().message;
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

using zw::test::TempDir;

bool have(const char* tool) {
  return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    out += buffer;
  }
  ::pclose(pipe);
  return out;
}

} // namespace

TEST_CASE("dns::ZoneStore loads $ORIGIN, $TTL, $INCLUDE, relative names, multi-line SOA") {
  const zw::Result<ZoneStore> zone = load_zone_file(k_dir + "basic.zone");
  REQUIRE_MESSAGE(zone.has_value(), error_text(zone));
  CHECK(name_to_text(zone->origin()) == "example.com.");
  CHECK(zone->duplicates_dropped() == 2);
  CHECK(zone->size() == 13);

  const std::optional<RrsetView> soa = zone->find(name("example.com."), rrtype::soa);
  REQUIRE(soa.has_value());
  CHECK(soa->ttl() == 300);
  CHECK(soa->location().line == 5); // where the multi-line SOA starts
  CHECK(soa->location().file == k_dir + "basic.zone");
  CHECK(soa->location().to_string() == k_dir + "basic.zone:5");
  CHECK(soa->rdata(0).size() == 17 + 24 + 20); // ns1.Example.COM. + hostmaster.example.com. + 5 numbers

  const std::optional<RrsetView> ns = zone->find(name("example.com."), rrtype::ns);
  REQUIRE(ns.has_value());
  CHECK(ns->size() == 1); // line 12 repeats line 11
  CHECK(ns->location().line == 11);

  const std::optional<RrsetView> www = zone->find(name("www.example.com."), rrtype::a);
  REQUIRE(www.has_value());
  CHECK(www->size() == 2);
  CHECK(www->ttls_differ());
  CHECK(www->location().line == 14);
  CHECK(zone->find(name("www.example.com."), rrtype::mx)->location().line == 17); // owner omitted

  const std::optional<RrsetView> mail = zone->find(name("mail.example.com."), rrtype::aaaa);
  REQUIRE(mail.has_value());
  CHECK(mail->ttl() == 60);                                                // $TTL 60
  CHECK(zone->find(name("host.sub.example.com."), rrtype::a).has_value()); // $ORIGIN sub
  CHECK(zone->find(name("after.example.com."), rrtype::txt)->location().line == 24);

  // $INCLUDE relative to the including file, with the current origin and with an explicit one.
  const std::optional<RrsetView> inc2 = zone->find(name("inc2.example.com."), rrtype::a);
  REQUIRE(inc2.has_value());
  CHECK(inc2->location().file == k_dir + "sub/hosts.inc");
  CHECK(inc2->location().line == 3);
  CHECK(zone->find(name("inc1.other.example.com."), rrtype::a).has_value());
  CHECK(zone->files().size() == 3);
}

TEST_CASE("dns::ZoneStore origin: option, SOA, file name") {
  LoadOptions options;
  options.origin = "EXAMPLE";
  const zw::Result<ZoneStore> zone = load_zone_file(k_dir + "canonical.zone", options);
  REQUIRE(zone.has_value());
  CHECK(name_to_text(zone->origin()) == "example.");
  CHECK(zone->name_count() == 9);

  // Relative names with no $ORIGIN and no option: relative to the name in the file name.
  TempDir dir;
  const std::string path = dir.file("example.net.zone", "@ 300 SOA ns hostmaster 1 2 3 4 5\nwww 300 A 192.0.2.1\n");
  const zw::Result<ZoneStore> guessed = load_zone_file(path);
  REQUIRE(guessed.has_value());
  CHECK(name_to_text(guessed->origin()) == "example.net.");
  CHECK(guessed->find(name("www.example.net."), rrtype::a).has_value());

  options.origin = "example.";
  CHECK(starts_with(load_error(k_dir + "bad/soa-elsewhere.zone", options), k_dir + "bad/soa-elsewhere.zone:2: "));
  CHECK(load_error(k_dir + "bad/soa-elsewhere.zone").empty());
  options.origin = "bad..name";
  CHECK_FALSE(load_error(k_dir + "canonical.zone", options).empty());
}

TEST_CASE("dns::ZoneStore loaded RRSIGs are found by covered type") {
  const zw::Result<ZoneStore> zone = load_zone_file(k_dir + "sigs.zone");
  REQUIRE(zone.has_value());
  CHECK(zone->rrsigs_covering(name("example."), rrtype::ns).size() == 2);
  CHECK(zone->rrsigs_covering(name("example."), rrtype::nsec).size() == 1);
  CHECK(zone->rrsigs_covering(name("example."), rrtype::txt).empty());
  CHECK(zone->rrsigs_covering(name("ns.example."), rrtype::a).size() == 1);
  CHECK(zone->find(name("example."), rrtype::txt)->ttls_differ());
  const std::optional<NameView> apex = zone->find_name(name("example."));
  REQUIRE(apex.has_value());
  CHECK(apex->types() == std::vector<std::uint16_t>{rrtype::ns, rrtype::soa, rrtype::txt, rrtype::rrsig, rrtype::nsec});
}

TEST_CASE("dns::ZoneStore load errors name file:line") {
  const auto check = [](const std::string& file, const std::string& where) {
    const std::string message = load_error(k_dir + file);
    CHECK_MESSAGE(starts_with(message, k_dir + where + ": "), file << ": " << message);
  };
  check("bad/syntax.zone", "bad/syntax.zone:4");
  check("bad/class-ch.zone", "bad/class-ch.zone:5");
  CHECK(load_error(k_dir + "bad/class-ch.zone").find("class CH") != std::string::npos);
  check("bad/include-missing.zone", "bad/include-missing.zone:4");
  check("bad/include-self.zone", "bad/include-self.zone:3");
  check("bad/include-loop-a.zone", "bad/include-loop-b.zone:2");
  check("bad/overlong-name.zone", "bad/overlong-name.zone:4");
  check("bad/overlong-label.zone", "bad/overlong-label.zone:4");
  check("bad/extra-paren.zone", "bad/extra-paren.zone:4");
  check("bad/unclosed-paren.zone", "bad/unclosed-paren.zone:6"); // detected at the end of the file
  check("bad/empty.zone", "bad/empty.zone");
  CHECK(starts_with(load_error("tests/fixtures/zones"), "tests/fixtures/zones: "));
  CHECK(starts_with(load_error("tests/fixtures/zones/none.zone"), "tests/fixtures/zones/none.zone: "));
  CHECK_FALSE(load_error("/bin/sh").empty());
}

TEST_CASE("dns::load_zone_text loads what load_zone_file loads from the same text") {
  // Every fixture, good and bad: the same zone or the same error, $INCLUDE relative to the
  // directory of the name given, loops seen through it.
  for (const std::string file : k_loader_fixtures) {
    CAPTURE(file);
    const std::string path = k_dir + file;
    std::ifstream in(path, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const zw::Result<ZoneStore> from_file = load_zone_file(path);
    const zw::Result<ZoneStore> from_text = load_zone_text(text, path);
    REQUIRE(from_file.has_value() == from_text.has_value());
    if (!from_file) {
      CHECK(from_text.error().message == from_file.error().message);
      continue;
    }
    CHECK(std::ranges::equal(from_text->origin(), from_file->origin()));
    CHECK(from_text->size() == from_file->size());
    CHECK(from_text->name_count() == from_file->name_count());
    CHECK(from_text->duplicates_dropped() == from_file->duplicates_dropped());
    CHECK(from_text->files() == from_file->files());
  }
  // The name is never opened: it need not exist, and it still names the text in messages.
  const zw::Result<ZoneStore> unnamed =
      load_zone_text("@ 300 SOA ns hostmaster 1 2 3 4 5\nwww 300 A x\n", "/nonexistent/example.org.zone");
  REQUIRE_FALSE(unnamed.has_value());
  CHECK(starts_with(unnamed.error().message, "/nonexistent/example.org.zone:2: "));
  const zw::Result<ZoneStore> guessed = load_zone_text("www 300 A 192.0.2.1\n", "example.org.zone");
  REQUIRE(guessed.has_value());
  CHECK(guessed->find(name("www.example.org."), rrtype::a).has_value());
  const zw::Result<ZoneStore> empty = load_zone_text("", "empty.zone");
  REQUIRE_FALSE(empty.has_value());
  CHECK(starts_with(empty.error().message, "empty.zone: "));
}

TEST_CASE("dns::ZoneStore: a record after a closing parenthesis on its own line keeps its own line") {
  // libzscanner returns a multi-line record positioned before its ")": the next record's line
  // must not be the one of that ")" (found by the differential zone_file fuzzer, the split read
  // numbered it right). Lines counted by hand.
  const std::string text = "@ 3600 IN SOA ns1 host.example.com. (\n"                    // 1
                           " 2 1 3 4 5 ; serial refresh retry expire minimum\n"         // 2
                           " )\n"                                                       // 3
                           "@ NS ns0.example.\n"                                        // 4
                           "www 300 A 192.0.2.1 ( ; a one-line record in parentheses\n" // 5
                           " )\n"                                                       // 6
                           "\n"                                                         // 7
                           "mail 300 A 192.0.2.2\n"                                     // 8
                           "@ TXT ( \"a\"\n"                                            // 9
                           "  \"b\" )\n"                                                // 10
                           "ftp 300 A 192.0.2.3\n";                                     // 11
  for (const int threads : {1, 2}) {
    CAPTURE(threads);
    LoadOptions options;
    options.threads = threads;
    options.split_min_bytes = 0;
    const zw::Result<ZoneStore> zone = load_zone_text(text, "example.com.zone", options);
    REQUIRE(zone.has_value());
    CHECK(zone->find(name("example.com."), rrtype::soa)->location().line == 1);
    CHECK(zone->find(name("example.com."), rrtype::ns)->location().line == 4);
    CHECK(zone->find(name("www.example.com."), rrtype::a)->location().line == 5);
    CHECK(zone->find(name("mail.example.com."), rrtype::a)->location().line == 8);
    CHECK(zone->find(name("example.com."), rrtype::txt)->location().line == 9);
    CHECK(zone->find(name("ftp.example.com."), rrtype::a)->location().line == 11);
  }
}

TEST_CASE("dns::ZoneStore never crashes on garbage") {
  TempDir dir;
  std::mt19937 rng(20240101);
  const std::string valid = "$ORIGIN example.\n$TTL 300\n@ SOA ns hostmaster ( 1 2 3 4 5 )\n"
                            "www A 192.0.2.1\n  TXT \"a;b\" ( \"c\" )\n$INCLUDE x.inc\nmx MX 10 www\n";
  dir.file("x.inc", "inc AAAA 2001:db8::1\n");
  for (int round = 0; round < 300; ++round) {
    std::string content;
    if (round < 100) { // random bytes, NULs included
      content.resize(rng() % 2000);
      for (char& c : content) {
        c = static_cast<char>(rng() & 0xff);
      }
    } else { // a valid zone with a few bytes mutated, inserted or cut
      content = valid;
      for (int edits = 1 + static_cast<int>(rng() % 4); edits > 0; --edits) {
        const std::size_t pos = rng() % content.size();
        switch (rng() % 3) {
        case 0: content[pos] = "();\\\"$@. \n\t\0az9"[rng() % 16]; break;
        case 1: content.insert(pos, 1, static_cast<char>(rng() & 0xff)); break;
        default: content.erase(pos, 1 + rng() % 8); break;
        }
        if (content.empty()) {
          content = "(";
        }
      }
    }
    const std::string path = dir.file("garbage.zone", content);
    const zw::Result<ZoneStore> zone = load_zone_file(path);
    if (!zone) {
      CHECK(starts_with(zone.error().message, path));
    } else {
      CHECK(zone->size() > 0);
    }
  }
}

TEST_CASE("dns::ZoneStore round trip of a zone signed by dnssec-signzone") {
  if (!have("dnssec-keygen") || !have("dnssec-signzone")) {
    MESSAGE("skipped: dnssec-keygen or dnssec-signzone not installed (bind9-utils)");
    return;
  }
  TempDir dir;
  dir.file("example.zone", R"($ORIGIN example.
$TTL 3600
@ SOA ns1 hostmaster ( 1 7200 3600 1209600 300 )
  NS ns1
  NS ns2.other.
ns1 A 192.0.2.1
www A 192.0.2.2
    AAAA 2001:db8::2
@ MX 10 mail
mail A 192.0.2.3
txt TXT "hello world" "two"
alias CNAME www
*.wild A 192.0.2.9
child NS ns.child
ns.child A 192.0.2.10
child DS 12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
)");
  const std::string d = dir.path.string();
  const std::string sign = "cd " + d + " && dnssec-keygen -q -a 13 -f KSK -K . example. >/dev/null 2>&1 && " +
                           "dnssec-keygen -q -a 13 -K . example. >/dev/null 2>&1 && " +
                           "dnssec-signzone -S -K . -o example. -O full -f signed example.zone >/dev/null 2>&1";
  REQUIRE(std::system(sign.c_str()) == 0);
  const std::string signed_path = d + "/signed";
  // -O full writes one RR per line; everything else is a comment.
  const std::size_t expected = std::stoul(run("grep -vcE '^(;|$)' " + signed_path));
  REQUIRE(expected > 30);

  const zw::Result<ZoneStore> zone = load_zone_file(signed_path);
  REQUIRE_MESSAGE(zone.has_value(), error_text(zone));
  CHECK(zone->size() == expected);
  CHECK(zone->duplicates_dropped() == 0);
  CHECK(name_to_text(zone->origin()) == "example.");
  if (have("ldns-read-zone")) {
    CHECK(zone->size() == std::stoul(run("ldns-read-zone " + signed_path + " | grep -vc '^;'")));
  }

  // Every authoritative RRset is signed; the NSEC chain visits every authoritative name.
  std::size_t nsec_count = 0;
  for (const NameView n : zone->names()) {
    const bool delegation = n.find(rrtype::ns).has_value() && !names_equal(n.owner(), zone->origin());
    const bool glue =
        is_subdomain(n.owner(), name("child.example.")) && !names_equal(n.owner(), name("child.example."));
    for (const RrsetView r : n.rrsets()) {
      if (r.type() == rrtype::rrsig || glue || (delegation && r.type() == rrtype::ns)) {
        continue;
      }
      CHECK_MESSAGE(n.rrsigs_covering(r.type()).size() >= 1, name_to_text(r.owner()) << " " << type_to_text(r.type()));
    }
    nsec_count += n.find(rrtype::nsec).has_value() ? 1 : 0;
  }
  CHECK(nsec_count == zone->name_count() - 1); // all names but the glue ns.child.example.
  CHECK(zone->find(name("example."), rrtype::dnskey)->size() == 2);
}

TEST_CASE("dns::ZoneStore hostile input: errors stay inside the text, $INCLUDE is bounded") {
  TempDir dir;
  // A class on the last, unterminated line: libzscanner unmaps the file before parsing that
  // line, and the message was built from the unmapped text (SIGSEGV).
  const std::string last = dir.file("last.zone", "$ORIGIN example.\n$TTL 300\n@ 300 CH SOA ns hm 1 2 3 4 5");
  CHECK(load_error(last) == last + ":3: class CH is not IN");
  const std::string last_garbage =
      dir.file("last-garbage.zone", "$ORIGIN example.\n@ 300 IN SOA ns hm 1 2 3 4 5\nx 3 IN BOGUS");
  CHECK(starts_with(load_error(last_garbage), last_garbage + ":3: "));

  // Sequential $INCLUDEs: the 17th overflowed libzscanner's stack ("stack smashing detected").
  dir.file("leaf.inc", "www A 192.0.2.2\n");
  std::string many = "$ORIGIN example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n";
  for (int i = 0; i < 40; ++i) {
    many += "$INCLUDE leaf.inc\n";
  }
  many += "last A 192.0.2.9\n";
  const zw::Result<ZoneStore> zone = load_zone_file(dir.file("many.zone", many));
  REQUIRE_MESSAGE(zone.has_value(), error_text(zone));

  // Nested too deep: a clear error at the include that goes one level too far.
  for (int i = 1; i <= 20; ++i) {
    dir.file("n" + std::to_string(i) + ".inc",
             i < 20 ? "$INCLUDE n" + std::to_string(i + 1) + ".inc\n" : std::string("deep A 192.0.2.3\n"));
  }
  const std::string nested = dir.file("nested.zone", "$ORIGIN example.\n@ 300 SOA ns hm 1 2 3 4 5\n$INCLUDE n1.inc\n");
  CHECK(load_error(nested).find("$INCLUDE nested deeper than 16") != std::string::npos);

  // More $INCLUDE lines than any zone has.
  std::string flood = "$ORIGIN example.\n@ 300 SOA ns hm 1 2 3 4 5\n";
  for (int i = 0; i < 5000; ++i) {
    flood += "$INCLUDE leaf.inc\n";
  }
  CHECK(load_error(dir.file("flood.zone", flood)).find("$INCLUDE: more than") != std::string::npos);

  // Not regular files: refused before the scanner maps or blocks on them.
  CHECK(load_error("/dev/zero") == "/dev/zero: not a regular file");
  const std::string zero = dir.file("zero.zone", "$ORIGIN example.\n@ 300 SOA ns hm 1 2 3 4 5\n$INCLUDE /dev/zero\n");
  CHECK(load_error(zero) == zero + ":3: $INCLUDE /dev/zero: not a regular file");
  const std::string fifo = (dir.path / "fifo.zone").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(load_error(fifo) == fifo + ": not a regular file");
  CHECK(load_error(dir.path.string()) == dir.path.string() + ": is a directory");
}

TEST_CASE("dns::rewrite_zone_text: only what the scanner refuses, every line kept, every loop bounded") {
  // Nothing to rewrite (a field in one word): nullopt, the scanner reads the file as it is.
  const auto plain = rewrite_zone_text("@ 300 IN DNSKEY 257 3 13 AAAABBBB\nwww A 192.0.2.1\n", "z", "example.");
  REQUIRE(plain.has_value());
  CHECK_FALSE(plain->has_value());

  // Joined fields keep the line count; the separators (comment included) follow the join.
  const auto joined = rewrite_zone_text("k DNSKEY 257 3 13 ( AwE ; c\n AAb )\nx A 192.0.2.1\n", "z", "example.");
  REQUIRE(joined.has_value());
  REQUIRE(joined->has_value());
  CHECK((*joined)->text == "k DNSKEY 257 3 13 ( AwEAAb ; c\n  )\nx A 192.0.2.1\n");
  CHECK((*joined)->line_map.empty());

  // Quoted or escaped words are never joined; nor are fields of types without one.
  for (const char* kept : {"t TXT ( \"ab\" cd )\n", "k DNSKEY 257 3 13 A\\065 BC\n", "m MX 10 mail\n",
                           "n NSEC3 1 0 0 - ( 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A )\n"}) {
    CAPTURE(kept);
    const auto r = rewrite_zone_text(kept, "z", "example.");
    REQUIRE(r.has_value());
    CHECK_FALSE(r->has_value());
  }

  // $GENERATE: each generated line maps to the directive's line, the lines after it keep theirs.
  const auto generated = rewrite_zone_text("a A 192.0.2.1\n$GENERATE 1-3/2 h$ A 192.0.2.$\nb A 192.0.2.9\n", "z", ".");
  REQUIRE(generated.has_value());
  REQUIRE(generated->has_value());
  CHECK((*generated)->text == "a A 192.0.2.1\nh1 A 192.0.2.1\nh3 A 192.0.2.3\n\nb A 192.0.2.9\n");
  CHECK((*generated)->line_map == std::vector<std::uint32_t>{1, 2, 2, 2, 3});

  // A range the size limit stops, with the line and the limit named.
  const auto huge = rewrite_zone_text("\n$GENERATE 0-2147483647 h$ A 192.0.2.1\n", "z", ".", RewriteLimits{1000});
  REQUIRE_FALSE(huge.has_value());
  CHECK(huge.error().message == "z:2: $GENERATE: expands past the 1000 byte limit of a zone");

  // A $GENERATE range over the record bound: stopped at the bound, the line named.
  const auto many = rewrite_zone_text("$GENERATE 1-100 h$ A 192.0.2.1\n", "z", ".", RewriteLimits{1000000, 10});
  REQUIRE_FALSE(many.has_value());
  CHECK(many.error().message == "z:1: $GENERATE: more than 10 records generated in one file");

  // NUL bytes, an unclosed parenthesis, a lone quote: no hang, no growth, text left to the scanner.
  std::string hostile = "k DNSKEY 257 3 13 ( A";
  hostile += std::string(3, '\0');
  hostile += "B \"\n";
  for (int i = 0; i < 100000; ++i) {
    hostile += "AA ";
  }
  const auto r = rewrite_zone_text(hostile, "z", "example.");
  REQUIRE(r.has_value());
}

namespace {

// `first` then `second`, padded with comment lines so that the point where a split read starts
// its second half (the first line that names an owner after the middle) is where `second`
// starts. Both must end with a newline; `second` must start with an owner name.
std::string with_middle_at(std::string first, std::string second) {
  if (first.size() < second.size() + 3) {
    first = ";" + std::string(second.size() + 3 - first.size(), 'p') + "\n" + first;
  }
  const std::size_t pad = first.size() - 1 - second.size(); // at least 2
  return first + second + ";" + std::string(pad - 2, 'q') + "\n";
}

struct SplitLoad {
  std::string serial; // the zone as text (zone_store_dump.hpp), or the error
  std::string split;
  bool halves = false; // the split read kept its halves
};

SplitLoad load_both_ways(std::string_view text, const std::string& name, LoadOptions options = {}) {
  const auto describe = [](const zw::Result<ZoneStore>& zone) {
    return zone ? zw::test::dump_store(*zone) : "error: " + zone.error().message;
  };
  SplitLoad out;
  out.serial = describe(load_zone_text(text, name, options));
  LoadReport report;
  options.threads = 2;
  options.split_min_bytes = 0;
  options.report = &report;
  out.split = describe(load_zone_text(text, name, options));
  out.halves = report.read_in_halves;
  return out;
}

} // namespace

TEST_CASE("dns::load_zone_file in two halves gives exactly the zone or error of one reader") {
  const std::string soa = "@ 300 IN SOA ns.example.com. host.example.com. 1 7200 3600 1209600 300\n";
  SUBCASE("plain records: the halves are kept") {
    const SplitLoad r = load_both_ways(with_middle_at(soa + "www 300 IN A 192.0.2.1\n", "mail 300 IN A 192.0.2.2\n"),
                                       "example.com.zone");
    CHECK(r.halves);
    CHECK(r.split == r.serial);
    CHECK(r.serial.find("error") == std::string::npos);
    // Line numbers of the second half continue the first's.
    CHECK(r.split.find("example.com.zone:3\n") != std::string::npos);
  }
  SUBCASE("a record open across the middle (parentheses): read again by one reader") {
    const SplitLoad r = load_both_ways(with_middle_at(soa + "www 300 IN TXT (\n", "abc\n)\n"), "example.com.zone");
    CHECK_FALSE(r.halves);
    CHECK(r.split == r.serial);
    CHECK(r.serial.find("error") == std::string::npos);
  }
  SUBCASE("a quoted string open across the middle") {
    const SplitLoad r = load_both_ways(with_middle_at(soa + "www 300 IN TXT \"abc\n", "def\"\n"), "example.com.zone");
    CHECK_FALSE(r.halves);
    CHECK(r.split == r.serial);
  }
  SUBCASE("$ORIGIN, $TTL in the first half: the second half cannot know them") {
    for (const std::string& directive : {std::string("$ORIGIN sub.example.com.\n"), std::string("$TTL 42\n")}) {
      CAPTURE(directive);
      const SplitLoad r = load_both_ways(
          with_middle_at(soa + directive + "x 300 IN A 192.0.2.1\n", "www IN A 192.0.2.2\n"), "example.com.zone");
      CHECK_FALSE(r.halves);
      CHECK(r.split == r.serial);
      CHECK(r.serial.find("error") == std::string::npos);
    }
  }
  SUBCASE("no $TTL: a record without a TTL takes the last one stated, which the second half cannot know") {
    // RFC 1035 §5.1; the SOA's 300 is the last TTL stated before `x`, x's 120 the last before www.
    const SplitLoad r =
        load_both_ways(with_middle_at(soa + "x 120 IN A 192.0.2.1\n", "www IN A 192.0.2.2\n"), "example.com.zone");
    CHECK_FALSE(r.halves);
    CHECK(r.split == r.serial);
    // www.example.com. A, TTL 120 (type 1), not libzscanner's default 3600.
    CHECK(r.serial.find("03777777076578616d706c6503636f6d00 1 120 ") != std::string::npos);
  }
  SUBCASE("$ORIGIN set back before the middle: the halves are kept") {
    const SplitLoad r =
        load_both_ways(with_middle_at(soa + "$ORIGIN sub.example.com.\nx 300 IN A 192.0.2.1\n$ORIGIN example.com.\n",
                                      "www 300 IN A 192.0.2.2\n"),
                       "example.com.zone");
    CHECK(r.halves);
    CHECK(r.split == r.serial);
  }
  SUBCASE("errors: the same message as one reader's, whichever half") {
    for (const std::pair<std::string, std::string>& texts :
         {std::pair<std::string, std::string>{soa + "www 300 IN A 192.0.2.1\n", "mail 300 IN A 192.0.2.256\n"},
          {soa + "www 300 IN A 192.0.2.x\n", "mail 300 IN A 192.0.2.2\n"},
          {soa + "www 300 CH A 192.0.2.1\n", "mail 300 IN A 192.0.2.2\n"},
          {"www 300 IN A 192.0.2.1\n", "other 300 IN SOA ns.example.org. h.example.org. 1 2 3 4 5\n"}}) {
      CAPTURE(texts.first);
      CAPTURE(texts.second);
      LoadOptions options;
      options.origin = "example.org.";
      const SplitLoad r = load_both_ways(with_middle_at(texts.first, texts.second), "example.com.zone", options);
      CHECK(r.serial.rfind("error: example.com.zone:", 0) == 0);
      CHECK(r.split == r.serial);
    }
  }
  SUBCASE("the first SOA is the first half's; only the second half's when the first has none") {
    const SplitLoad r = load_both_ways(
        with_middle_at("www 300 IN A 192.0.2.1\n", "@ 300 IN SOA ns.example.net. h.example.net. 1 2 3 4 5\n"),
        "zone.txt");
    CHECK(r.halves);
    CHECK(r.split == r.serial);
  }
  SUBCASE("$INCLUDE: kept in the first half, read again by one reader in the second") {
    TempDir dir;
    { std::ofstream(dir.path / "inc.zone") << "inc 300 IN A 192.0.2.9\n"; }
    const std::string name = (dir.path / "example.com.zone").string();
    const SplitLoad in_first =
        load_both_ways(with_middle_at(soa + "$INCLUDE inc.zone\n", "www 300 IN A 192.0.2.2\n"), name);
    CHECK(in_first.halves);
    CHECK(in_first.split == in_first.serial);
    CHECK(in_first.serial.find("inc.zone") != std::string::npos);
    const SplitLoad in_second = load_both_ways(
        with_middle_at(soa + "www 300 IN A 192.0.2.2\n", "x 300 IN A 192.0.2.3\n$INCLUDE inc.zone\n"), name);
    CHECK_FALSE(in_second.halves);
    CHECK(in_second.split == in_second.serial);
  }
  SUBCASE("every fixture, with the middle wherever it falls") {
    for (const std::string file : k_loader_fixtures) {
      CAPTURE(file);
      const std::string path = k_dir + file;
      std::ifstream in(path, std::ios::binary);
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const SplitLoad r = load_both_ways(text, path);
      CHECK(r.split == r.serial);
    }
  }
  SUBCASE("a file, mapped: the same zone, its halves kept") {
    TempDir dir;
    const std::string path = (dir.path / "example.com.zone").string();
    std::string text = soa;
    for (int i = 0; i < 2000; ++i) {
      text += fmt::format("h{} 300 IN A 192.0.2.{}\nh{} 300 IN TXT \"record {}\"\n", i, i % 250, i, i);
    }
    std::ofstream(path) << text;
    LoadOptions options;
    options.threads = 2;
    options.split_min_bytes = 0;
    LoadReport report;
    options.report = &report;
    const zw::Result<ZoneStore> split = load_zone_file(path, options);
    const zw::Result<ZoneStore> serial = load_zone_file(path);
    REQUIRE(split.has_value());
    REQUIRE(serial.has_value());
    CHECK(report.read_in_halves);
    CHECK(zw::test::dump_store(*split) == zw::test::dump_store(*serial));
    CHECK(split->size() == 4001);
  }
}

TEST_CASE("zone_store_dump: same_store sees every fact dump_store shows") {
  // same_store is the zone_file fuzz target's check: it must tell apart what dump_store does.
  const std::string soa = "@ 300 IN SOA ns.example.com. host.example.com. 1 7200 3600 1209600 300\n";
  const std::string base = soa + "a 300 IN A 192.0.2.1\na 300 IN A 192.0.2.2\nb 300 IN TXT \"x\"\n";
  const auto load = [](const std::string& text) {
    zw::Result<ZoneStore> zone = load_zone_text(text, "example.com.zone");
    REQUIRE(zone.has_value());
    return std::move(*zone);
  };
  const ZoneStore zone = load(base);
  CHECK(zw::test::same_store(zone, load(base)));
  CHECK(zw::test::same_store(zone, load(base + "; a comment\n")));
  const std::array<std::string, 6> differing = {
      soa + "a 300 IN A 192.0.2.1\na 300 IN A 192.0.2.3\nb 300 IN TXT \"x\"\n",                       // RDATA
      soa + "a 300 IN A 192.0.2.1\na 300 IN A 192.0.2.2\nb 301 IN TXT \"x\"\n",                       // TTL
      soa + "a 300 IN A 192.0.2.1\na 300 IN A 192.0.2.2\nc 300 IN TXT \"x\"\n",                       // owner
      soa + "a 300 IN A 192.0.2.1\na 300 IN A 192.0.2.2\nb 300 IN SPF \"x\"\n",                       // type
      soa + "\na 300 IN A 192.0.2.1\na 300 IN A 192.0.2.2\nb 300 IN TXT \"x\"\n",                     // line
      soa + "a 300 IN A 192.0.2.1\na 300 IN A 192.0.2.2\nb 300 IN TXT \"x\"\na 300 IN A 192.0.2.1\n", // duplicate
  };
  for (const std::string& text : differing) {
    CAPTURE(text);
    const ZoneStore other = load(text);
    CHECK(zw::test::dump_store(zone) != zw::test::dump_store(other));
    CHECK_FALSE(zw::test::same_store(zone, other));
    CHECK_FALSE(zw::test::same_store(other, zone));
  }
  CHECK_FALSE(zw::test::same_store(zone, load(base + "d 300 IN A 192.0.2.9\n")));
  CHECK_FALSE(zw::test::same_store(load(base + "d 300 IN A 192.0.2.9\n"), zone));
}

} // namespace zw_test_dns_zone_loader
