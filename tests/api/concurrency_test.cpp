// Many writers and readers on ONE case at once, over real HTTP: documents and
// corrections race for the same rows. The store's single writer must keep
// document numbers unique and gap-free, count every change in the version
// exactly once, and readers must only ever see committed versions (never one
// going backwards). Labelled `concurrency` by its name, so `make tsan` runs it.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "testing/api_server.h"
#include "testing/meeting_flow.h"

namespace kansli::testing {
namespace {

TEST(DiariumConcurrency, DocumentsCorrectionsAndReadsOnOneCase) {
  TestServer server;
  Client reg = server.as("rita", Role::kRegistrator);
  auto created = reg.post(
      "/api/v1/cases",
      R"({"committee":"SOCN","kind":"politikerinitiativ","subject":"Början","received":"2020-08-25",)"
      R"("senders":[{"name":"Andreas Falk","party":"S"}]})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path = "/api/v1/cases/" + std::to_string(created.json()->getValue<int>("id"));

  constexpr int kDocThreads = 6, kDocsEach = 8;
  constexpr int kFixThreads = 3, kFixesEach = 5;
  constexpr int kReaders = 2;
  std::mutex mu;
  std::vector<int> numbers;
  std::atomic<int> failures{0}, writers_left{kDocThreads + kFixThreads};
  std::atomic<bool> went_backwards{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kDocThreads; ++t) {
    threads.emplace_back([&, t] {
      Client c = reg;
      for (int i = 0; i < kDocsEach; ++i) {
        auto r = c.post(path + "/documents",
                        R"({"direction":"inkommen","date":"2020-08-26","title":"Handling )" +
                            std::to_string(t) + "-" + std::to_string(i) + R"("})");
        if (r.status != 201) {
          ++failures;
          continue;
        }
        std::lock_guard lock(mu);
        numbers.push_back(r.json()->getValue<int>("number"));
      }
      --writers_left;
    });
  }
  for (int t = 0; t < kFixThreads; ++t) {
    threads.emplace_back([&, t] {
      Client c = reg;
      for (int i = 0; i < kFixesEach; ++i) {
        auto r = c.post(path + "/corrections", R"({"subject":"Rättad )" + std::to_string(t) + "-" +
                                                   std::to_string(i) +
                                                   R"(","reason":"Samtidig rättelse"})");
        if (r.status != 200) ++failures;
      }
      --writers_left;
    });
  }
  for (int t = 0; t < kReaders; ++t) {
    threads.emplace_back([&] {
      Client c = reg;
      int last = 0;
      while (writers_left.load() > 0) {
        auto r = c.get(path);
        if (r.status != 200) {
          ++failures;
          continue;
        }
        int v = r.json()->getValue<int>("version");
        if (v < last) went_backwards = true;
        last = v;
      }
    });
  }
  for (auto& t : threads) t.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_FALSE(went_backwards.load()) << "a reader saw an older version after a newer one";
  std::sort(numbers.begin(), numbers.end());
  ASSERT_EQ(numbers.size(), static_cast<size_t>(kDocThreads * kDocsEach));
  for (size_t i = 0; i < numbers.size(); ++i) {
    ASSERT_EQ(numbers[i], static_cast<int>(i + 1)) << "document numbers are unique and gap-free";
  }
  auto c = reg.get(path);
  ASSERT_EQ(c.status, 200);
  EXPECT_EQ(c.json()->getValue<int>("version"), 1 + kDocThreads * kDocsEach + kFixThreads * kFixesEach)
      << "every acknowledged change is counted once";
  EXPECT_EQ(c.json()->getValue<int>("documents"), kDocThreads * kDocsEach);
  auto history = reg.get(path + "/history");
  ASSERT_EQ(history.status, 200);
  EXPECT_EQ(history.json()->getArray("items")->size(),
            static_cast<size_t>(1 + kDocThreads * kDocsEach + kFixThreads * kFixesEach))
      << "one audit event per acknowledged write";
}

// The server's workers render PDFs at once: each thread keeps its own pango
// font map, and an approved memo's kept template is parsed once and shared
// (cachedKeptTemplate). Every client must get the same bytes as a render
// alone. `make tsan` runs it (the name has "Concurrency").
TEST(RenderConcurrency, AnApprovedMemoAsPdfToManyClientsAtOnce) {
  TestServer server;
  CommitteePeople people(server);
  const std::string memo = "/api/v1/cases/" + people.readyCase() + "/memo?format=pdf";
  auto alone = people.reg.get(memo);
  ASSERT_EQ(alone.status, 200) << alone.body.substr(0, 300);
  ASSERT_EQ(alone.body.rfind("%PDF-", 0), 0u);
  constexpr int kClients = 4, kEach = 3;
  std::atomic<int> failures{0}, differ{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&] {
      Client c = people.reg;
      for (int i = 0; i < kEach; ++i) {
        auto r = c.get(memo);
        if (r.status != 200) {
          ++failures;
        } else if (r.body != alone.body) {
          ++differ;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(differ.load(), 0) << "a PDF rendered beside others differs from one rendered alone";
}

}  // namespace
}  // namespace kansli::testing
