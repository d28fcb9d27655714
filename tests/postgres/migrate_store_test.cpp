// `kansli migrate-store`: the demo's SQLite data dir copied into an empty
// PostgreSQL database, verified, and served from there. (The 100,000-case
// copy is measured by bench/postgres_bench.cpp, bench/README.md.)
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "testing/api_server.h"
#include "testing/database.h"
#include "testing/process.h"

namespace kansli::testing {
namespace {

const std::string kOrg = sourceDir() + "/samples/nacka/organisation.xml";

std::string sqliteScalar(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW) {
    const auto* t = sqlite3_column_text(s, 0);
    out = t ? reinterpret_cast<const char*>(t) : "";
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

TEST(PostgresMigrateStore, TheDemoIsCopiedWithItsChainVerifiedAndServes) {
  TempDir dir;
  const std::string demo = dir.file("demo");
  {
    // The demo on SQLite (an empty --database is the SQLite file, also on
    // the PostgreSQL pass, which would otherwise give the data dir a database).
    ServerProcess s({"serve", "--data-dir", demo, "--database", "", "--demo", "--port", "0",
                     "--quiet"});
    s.terminate();
  }
  const std::string file = demo + "/kansli.db";
  ASSERT_TRUE(std::filesystem::exists(file));
  std::string url = newDatabase(dir.path().string());

  auto r = runKansli({"migrate-store", "--data-dir", demo, "--to", url});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Granskningskedjan är kontrollerad"), std::string::npos) << r.out;

  // Row for row, and the chain ends in the same hash.
  for (const char* table : {"users", "cases", "case_senders", "documents", "memo_versions",
                            "meetings", "agenda_items", "decisions", "attestations",
                            "audit_events", "sessions", "dnr_sequences", "corrections"}) {
    std::string sql = std::string("SELECT count(*) FROM ") + table;
    EXPECT_EQ(queryUrl(url, sql)[0][0], sqliteScalar(file, sql)) << table;
  }
  const char* tip = "SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1";
  EXPECT_EQ(queryUrl(url, tip)[0][0], sqliteScalar(file, tip));
  EXPECT_EQ(queryUrl(url, "SELECT hash FROM audit_chain_tip")[0][0], sqliteScalar(file, tip));
  const char* content = "SELECT sha256 || ':' || size FROM documents WHERE content IS NOT NULL"
                        " ORDER BY id LIMIT 1";
  auto copied = queryUrl(url, content);
  EXPECT_EQ(copied.empty() ? "" : copied[0][0], sqliteScalar(file, content));
  auto verify = runKansli({"audit", "verify", "--database", url});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

  // A second copy into the same database is refused: never two diaria in one.
  auto again = runKansli({"migrate-store", "--data-dir", demo, "--to", url});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("inte tom"), std::string::npos) << again.err;

  // Served from PostgreSQL: the demo's users sign in, its cases and their
  // documents are there, the search finds the reference case without its
  // diacritics, new registrations go on after the copied numbers.
  ServerProcess node({"serve", "--data-dir", demo, "--database", url, "--port", "0", "--quiet"});
  std::ifstream logins(demo + "/demo-logins.txt");
  std::string user, role, password;
  std::map<std::string, std::string> passwords;
  while (logins >> user >> role >> password) passwords[user] = password;
  Client c(node.port());
  auto s = c.post("/api/v1/session", R"({"username":"registrator","password":")" +
                                         passwords["registrator"] + "\"}");
  ASSERT_EQ(s.status, 201) << s.body;
  c.setToken(s.json()->getValue<std::string>("token"));
  auto found = c.get("/api/v1/cases?q=manniskohandel");
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_NE(found.body.find("SOCN 2020/262"), std::string::npos) << found.body.substr(0, 300);
  auto pub = Client(node.port()).get("/api/v1/public/diarium?q=manniskohandel");
  EXPECT_NE(pub.body.find("SOCN 2020/262"), std::string::npos) << pub.body.substr(0, 300);
  std::string before = sqliteScalar(file, "SELECT max(id) FROM cases");
  auto reg = c.post("/api/v1/cases", R"({"committee":"SOCN","kind":"politikerinitiativ",)"
                                     R"("subject":"Efter flytten","received":"2020-08-25",)"
                                     R"("senders":[{"name":"Anna Ek"}]})");
  ASSERT_EQ(reg.status, 201) << reg.body;
  EXPECT_GT(reg.json()->getValue<std::int64_t>("id"), std::stoll(before))
      << "ids go on after the copied ones";
  EXPECT_EQ(runKansli({"audit", "verify", "--database", url}).exit_code, 0);
  node.terminate();
}

TEST(PostgresMigrateStore, AMissingDataDirOrABadTargetIsOneClearLine) {
  TempDir dir;
  auto none = runKansli({"migrate-store", "--data-dir", dir.file("none"), "--to",
                         newDatabase(dir.path().string())});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("ingen databas"), std::string::npos) << none.err;
  auto bad = runKansli({"migrate-store", "--data-dir", dir.path().string(), "--to", "/tmp/x.db"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("PostgreSQL-URL"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace kansli::testing
