// `kansli backup` while the server is under write load: the copy restores to
// a database that passes integrity_check and `kansli audit verify`, holds
// every write acknowledged before the backup started, is numbered without
// gaps, and serves those writes when a server is started on it.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "fixture.h"
#include "testing/database.h"

namespace kansli::testing {
namespace {

TEST(Backup, OnlineBackupUnderLoadHoldsEveryEarlierWrite) {
  const std::uint64_t seed = seedFromEnv();
  std::cout << "KANSLI_DURABILITY_SEED=" << seed << std::endl;
  TempDir dir;
  DurableServer server(dir.file("data"));
  WriteLoad load(server.port(), server.token(), seed);
  addDiariumOps(load);
  load.start(4);
  ASSERT_TRUE(waitForAcks(load, 60));

  auto before = load.acks();  // everything acknowledged before the backup starts
  auto backup = runKansli(
      {"backup", "--data-dir", server.dataDir(), "--to", dir.file("kopia.db")});
  std::size_t during = load.ackCount() - before.size();
  // A few more writes after the backup: the server still takes them.
  ASSERT_TRUE(waitForAcks(load, load.ackCount() + 10));
  load.stop();
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_TRUE(load.unexpected().empty())
      << "writes were refused during the backup:" << joinProblems(load.unexpected());
  std::cout << before.size() << " writes before the backup, " << during << " while it ran"
            << std::endl;
  EXPECT_EQ(server.terminate(), 0);

  // Restore: the copy becomes the database of a new data directory.
  std::filesystem::create_directories(dir.file("restored"));
  if (onPostgres()) {
    // The copy is pg_dump's: restored with pg_restore into a new database.
    std::string restore = "pg_restore --no-owner --exit-on-error --dbname='" +
                          databaseUrlFor(dir.file("restored")) + "' '" + dir.file("kopia.db") + "'";
    ASSERT_EQ(std::system(restore.c_str()), 0) << restore;
  } else {
    std::filesystem::copy_file(dir.file("kopia.db"), dir.file("restored/kansli.db"));
  }
  {
    Db db(dir.file("restored/kansli.db"));
    auto integrity = checkIntegrity(db);
    ASSERT_TRUE(integrity.empty()) << joinProblems(integrity);
    auto missing = checkAcknowledged(db, before);
    ASSERT_TRUE(missing.empty()) << before.size() << " acknowledged before; missing:"
                                 << joinProblems(missing);
    auto gaps = checkSequences(db);
    ASSERT_TRUE(gaps.empty()) << joinProblems(gaps);
  }
  auto verify = runKansli({"audit", "verify", "--data-dir", dir.file("restored")});
  ASSERT_EQ(verify.exit_code, 0) << verify.out << verify.err;

  ServerProcess restored({"serve", "--data-dir", dir.file("restored"), "--port", "0", "--quiet",
                          "--org", sourceDir() + "/samples/nacka/organisation.xml"});
  Client c(restored.port());
  c.setToken(server.token());
  auto served = checkServed(c, before);
  EXPECT_TRUE(served.empty()) << joinProblems(served);
  // Search rows queued when the copy was taken were indexed when it opened.
  Db db(dir.file("restored/kansli.db"));
  auto unindexed = checkIndexed(db, before);
  EXPECT_TRUE(unindexed.empty()) << joinProblems(unindexed);
}

}  // namespace
}  // namespace kansli::testing
