#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "util/recent_answers.hpp"
#include "util/workers.hpp"

// The unity build joins test files: each keeps its helpers in a namespace of its own.
namespace zw_test_util_workers {

using zw::util::Workers;

TEST_CASE("util::Workers runs every task once, on its threads or, when full, not at all") {
  SUBCASE("every task submitted runs once, off the caller's thread; join waits for them") {
    Workers workers(2, 1000);
    std::vector<int> done(500, 0); // each task writes its own slot
    std::mutex m;
    std::set<std::thread::id> threads;
    std::size_t declined = 0;
    for (std::size_t i = 0; i < done.size(); ++i) {
      const auto task = [&, i] {
        ++done[i];
        const std::lock_guard lock(m);
        threads.insert(std::this_thread::get_id());
      };
      if (!workers.submit(task)) {
        ++declined;
        task();
      }
    }
    workers.join();
    for (const int d : done) {
      CHECK(d == 1);
    }
    CHECK(declined == 0);
    CHECK(threads.count(std::this_thread::get_id()) == 0);
  }
  SUBCASE("a full queue declines: the work waiting never exceeds the bound") {
    Workers workers(1, 2);
    std::promise<void> release;
    std::shared_future<void> gate = release.get_future().share();
    std::atomic<int> ran{0};
    const auto blocked = [gate, &ran] {
      gate.wait();
      ++ran;
    };
    REQUIRE(workers.submit(blocked)); // the worker takes it (or it waits: room for 2)
    // Until the worker has taken the first task, the queue may hold it; either way at most
    // three tasks can be accepted (one running, two waiting), never more.
    int accepted = 1;
    for (int i = 0; i < 10; ++i) {
      accepted += workers.submit(blocked) ? 1 : 0;
    }
    CHECK(accepted >= 2);
    CHECK(accepted <= 3);
    release.set_value();
    workers.join();
    CHECK(ran == accepted);
    CHECK_FALSE(workers.submit([] {})); // joined: nothing more is taken
  }
  SUBCASE("no worker: submit always declines") {
    Workers none(0, 10);
    CHECK_FALSE(none.submit([] {}));
    none.join();
  }
  SUBCASE("a task's exception is rethrown by join, after the other tasks ran") {
    Workers workers(2, 100);
    std::atomic<int> ran{0};
    for (int i = 0; i < 20; ++i) {
      REQUIRE(workers.submit([&ran, i] {
        ++ran;
        if (i == 7) {
          throw std::runtime_error("judge failed");
        }
      }));
    }
    CHECK_THROWS_WITH_AS(workers.join(), "judge failed", std::runtime_error);
    CHECK(ran == 20);
    workers.join(); // the failure was reported once
  }
}

TEST_CASE("util::RecentAnswers keeps answers by the bytes of the question, at most its limit") {
  zw::util::RecentAnswers<int> recent(3);
  CHECK(recent.find("a") == nullptr);
  recent.keep("a", 1);
  recent.keep(std::string("b\0c", 3), 2); // every byte counts, NUL included
  REQUIRE(recent.find("a") != nullptr);
  CHECK(*recent.find("a") == 1);
  CHECK(*recent.find(std::string_view("b\0c", 3)) == 2);
  CHECK(recent.find("b") == nullptr);
  recent.keep("a", 5); // a new answer replaces the old
  CHECK(*recent.find("a") == 5);
  recent.keep("d", 4); // three kept: full
  CHECK(*recent.find("d") == 4);
  recent.keep("e", 6); // the fourth starts afresh
  CHECK(recent.find("a") == nullptr);
  CHECK(recent.find("d") == nullptr);
  CHECK(*recent.find("e") == 6);
}

} // namespace zw_test_util_workers
