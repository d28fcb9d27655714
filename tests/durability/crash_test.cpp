// A write that was acknowledged survives a crash of the process.
//
// The real `kansli serve` takes registrations, documents, corrections,
// workflow transitions (with If-Match) and memo drafts from several threads
// and is killed with SIGKILL at a random moment, again and again. After each
// kill, before the restart: the file passes integrity_check, every write
// answered 201/200 is there (with its dnr, number, content hash, audit event
// and search entry, or its rows in the queue for the search index; a transition as the change that made the version it
// answered, to the state it answered; a memo version with its hash), every
// dnr series and every case's documents and memo versions are numbered
// without gaps, and `kansli audit verify` passes. After the restart the
// server serves every acknowledged case at its version, with its documents
// and memo versions, and every one is in both search indexes.
//
// KANSLI_CRASH_KILLS sets the number of kills (default 4; `make crash` runs
// 25); KANSLI_DURABILITY_SEED replays a run (the seed is printed). Label
// `durability`: not part of the TSan run (a killed child is not a data race).
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <thread>

#include "fixture.h"

namespace kansli::testing {
namespace {

TEST(Crash, EveryAcknowledgedWriteSurvivesSigkill) {
  const int kills = envInt("KANSLI_CRASH_KILLS", 4);
  const std::uint64_t seed = seedFromEnv();
  RecordProperty("seed", std::to_string(seed));
  std::cout << "KANSLI_DURABILITY_SEED=" << seed << " KANSLI_CRASH_KILLS=" << kills << std::endl;
  std::mt19937_64 rng(seed);

  TempDir dir;
  DurableServer server(dir.file("data"));
  WriteLoad load(server.port(), server.token(), seed);
  load.addUser("head", server.headToken());
  addDiariumOps(load);
  addCaseworkOps(load);

  for (int round = 1; round <= kills; ++round) {
    SCOPED_TRACE("round " + std::to_string(round) + ", seed " + std::to_string(seed));
    load.setPort(server.port());
    std::size_t before = load.ackCount();
    load.start(4);
    // Under load: some writes of this round are acknowledged, then the kill
    // comes at a random moment while the workers keep sending.
    ASSERT_TRUE(waitForAcks(load, before + 10));
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 400)(rng)));
    server.kill9();
    load.stop();
    ASSERT_TRUE(load.unexpected().empty())
        << "the live server refused valid writes:" << joinProblems(load.unexpected());

    auto acks = load.acks();
    {
      Db db(server.db());
      auto integrity = checkIntegrity(db);
      ASSERT_TRUE(integrity.empty()) << joinProblems(integrity);
      auto missing = checkAcknowledged(db, acks);
      ASSERT_TRUE(missing.empty()) << acks.size() << " acknowledged; lost:" << joinProblems(missing);
      auto gaps = checkSequences(db);
      ASSERT_TRUE(gaps.empty()) << joinProblems(gaps);
    }
    auto verify = runKansli({"audit", "verify", "--data-dir", server.dataDir()});
    ASSERT_EQ(verify.exit_code, 0) << verify.out << verify.err;

    server.start();
    auto served = checkServed(server.client(), acks);
    ASSERT_TRUE(served.empty()) << joinProblems(served);
    {
      Db db(server.db());
      auto unindexed = checkIndexed(db, acks);
      ASSERT_TRUE(unindexed.empty()) << joinProblems(unindexed);
    }
    std::map<std::string, int> by_kind;
    for (const auto& a : acks) ++by_kind[a.kind];
    std::string kinds_text;
    for (const auto& [kind, n] : by_kind) {
      kinds_text += (kinds_text.empty() ? "" : ", ") + kind + " " + std::to_string(n);
    }
    std::cout << "round " << round << ": " << acks.size() << " writes acknowledged so far ("
              << kinds_text << "), all present after SIGKILL" << std::endl;
  }
  // The workers wrote every kind of write, so each check above had work.
  std::set<std::string> kinds;
  for (const auto& a : load.acks()) kinds.insert(a.kind);
  EXPECT_EQ(kinds,
            (std::set<std::string>{"case", "correction", "document", "memo", "transition"}));
}

}  // namespace
}  // namespace kansli::testing
