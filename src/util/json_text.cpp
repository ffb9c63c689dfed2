#include "util/json_text.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "util/text.hpp"

namespace zw::util {

namespace {

using nlohmann::json;

// Where the parser is, kept from its callback events, so that an error thrown from inside the
// parser (a number overflow) can still be named by its member path.
class PathTracker {
public:
  struct TooDeep {};

  bool on_event(int depth, json::parse_event_t event, const json& parsed) {
    switch (event) {
    case json::parse_event_t::object_start:
    case json::parse_event_t::array_start:
      if (depth >= k_max_json_depth) {
        throw TooDeep{};
      }
      m_frames.push_back(Frame{event == json::parse_event_t::array_start, 0, {}});
      break;
    case json::parse_event_t::object_end:
    case json::parse_event_t::array_end:
      if (!m_frames.empty()) {
        m_frames.pop_back();
      }
      element_done();
      break;
    case json::parse_event_t::key:
      if (!m_frames.empty() && parsed.is_string()) {
        m_frames.back().key = parsed.get<std::string>();
      }
      break;
    case json::parse_event_t::value: element_done(); break;
    }
    return true;
  }

  // The index of the element of the top-level object's array `member` whose end `event` is,
  // seen before on_event records it: an object or array element ends with its closing event at
  // the third frame, a scalar element is one `value` event at the second.
  std::optional<std::size_t> element_of(std::string_view member, json::parse_event_t event) const {
    const bool closes = event == json::parse_event_t::object_end || event == json::parse_event_t::array_end;
    const std::size_t depth = closes ? 3 : event == json::parse_event_t::value ? 2 : 0;
    if (depth == 0 || m_frames.size() != depth || m_frames[0].array || m_frames[0].key != member ||
        !m_frames[1].array) {
      return std::nullopt;
    }
    return m_frames[1].index;
  }

  std::string path() const {
    std::string out;
    for (const Frame& f : m_frames) {
      if (f.array) {
        out += fmt::format("[{}]", f.index);
      } else {
        out += (out.empty() ? "" : ".") + quote_input(f.key, 40);
      }
    }
    return out.empty() ? "(document)" : out;
  }

private:
  struct Frame {
    bool array = false;
    std::size_t index = 0; // array: elements completed so far, i.e. the current one's index
    std::string key;       // object: the member being read
  };
  void element_done() {
    if (!m_frames.empty() && m_frames.back().array) {
      ++m_frames.back().index;
    }
  }
  std::vector<Frame> m_frames;
};

} // namespace

namespace {

// An element handler's Error, carried out of the parser.
struct Stopped {
  Error error;
};

// `Input`: a string_view, or an istream read a piece at a time.
template <typename Input> Result<json> parse(Input&& text, std::string_view member, const JsonElementSink* on_element) {
  PathTracker tracker;
  try {
    return json::parse(std::forward<Input>(text), [&](int depth, json::parse_event_t event, json& parsed) {
      const std::optional<std::size_t> element =
          on_element != nullptr ? tracker.element_of(member, event) : std::nullopt;
      tracker.on_event(depth, event, parsed);
      if (!element) {
        return true;
      }
      if (Result<void> done = (*on_element)(std::move(parsed), *element); !done) {
        throw Stopped{std::move(done).error()};
      }
      return false; // not kept: the parser drops it from the array
    });
  } catch (const Stopped& stopped) {
    return tl::unexpected<Error>(stopped.error);
  } catch (const PathTracker::TooDeep&) {
    return fail(fmt::format("{}: nested deeper than {} levels", tracker.path(), k_max_json_depth));
  } catch (const json::parse_error& e) {
    // what() ends with the token last read, which may be a megabyte-long string: capped.
    return fail(fmt::format("not JSON at byte {}: {}", e.byte, quote_input(e.what(), 160)));
  } catch (const json::out_of_range&) {
    // nlohmann's 406: a number literal no double can hold (1e400).
    return fail(fmt::format("{}: number out of range", tracker.path()));
  } catch (const json::exception& e) {
    return fail(fmt::format("{}: {}", tracker.path(), quote_input(e.what(), 160)));
  }
}

} // namespace

Result<json> parse_json(std::string_view text) {
  return parse(text, {}, nullptr);
}

Result<json> parse_json_each(std::string_view text, std::string_view member, const JsonElementSink& on_element) {
  return parse(text, member, &on_element);
}

Result<json> parse_json_each(std::istream& in, std::string_view member, const JsonElementSink& on_element) {
  return parse(in, member, &on_element);
}

} // namespace zw::util
