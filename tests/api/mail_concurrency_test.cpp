// The delivery loop's thread against everything else at once (run under
// ThreadSanitizer by `make tsan`: the suite name ends in Concurrency): the
// loop started as `kansli serve --smtp-host` starts it, woken and driven by
// rounds on other threads while requests read the outbox and /health. Each
// message reaches the real SMTP server on loopback exactly once.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "testing/meeting_flow.h"
#include "testing/smtp_sink.h"

namespace kansli::testing {
namespace {

TEST(MailWorkerConcurrency, TheLoopRoundsAndRequestsAtOnceSendEachExtractOnce) {
  SmtpSink sink;
  TestServer server(dayAt(2020, 10, 5));
  CommitteePeople people(server);
  api::SmtpConfig smtp;
  smtp.host = "127.0.0.1";
  smtp.port = sink.port();
  smtp.from = "socialnamnden@nacka.example";
  smtp.timeout = std::chrono::seconds(10);
  auto& mail = server.enableMail(smtp);

  std::string id = people.readyCase();
  std::string m = people.meeting("2020-10-20");
  CommitteePeople::expect(
      people.secretary.post("/api/v1/meetings/" + m + "/items", "{\"case\":" + id + "}"), 201, "item");
  people.setDay(2020, 10, 20, 15);
  CommitteePeople::expect(
      people.secretary.post(
          "/api/v1/meetings/" + m + "/items/1/decision",
          R"j({"outcome":"bifall","text":"Bifall.","send_to":["A <a@nacka.example>","B <b@nacka.example>",)j"
          R"j("C <c@nacka.example>","D <d@nacka.example>","Barn- och familjeenheten"]})j"),
      201, "decision");
  people.drawAndAttest(m);

  mail.start();
  std::atomic<bool> done{false};
  std::vector<std::thread> threads;
  std::atomic<int> failed_rounds{0};
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      while (!done) {
        mail.wake();
        if (!mail.runOnce()) ++failed_rounds;
        (void)mail.state();
      }
    });
  }
  std::atomic<int> bad_status{0};
  threads.emplace_back([&] {
    Client secretary = server.as("sara", Role::kNamndsekreterare, {}, "SOCN");
    Client anonymous = server.client();
    while (!done) {
      if (secretary.get("/api/v1/meetings/" + m + "/expediering").status != 200) ++bad_status;
      auto health = anonymous.get("/health");
      if (health.status != 200) ++bad_status;
    }
  });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (sink.messages().size() < 5 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // A little longer, so a second sending would have happened by now.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  done = true;
  for (auto& t : threads) t.join();
  mail.stop();

  EXPECT_EQ(failed_rounds.load(), 0);
  EXPECT_EQ(bad_status.load(), 0);
  auto arrived = sink.messages();
  std::vector<std::string> to;
  for (const auto& msg : arrived) to.push_back(msg.envelope_to.at(0));
  std::sort(to.begin(), to.end());
  EXPECT_EQ(to, (std::vector<std::string>{"a@nacka.example", "b@nacka.example",
                                          "barn-och-familj@nacka.example", "c@nacka.example",
                                          "d@nacka.example"}));
  EXPECT_EQ(server.auditCount("mail.sent"), 5);
}

}  // namespace
}  // namespace kansli::testing
