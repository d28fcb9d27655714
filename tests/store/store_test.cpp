// The SQLite store: migrations, group commit with a savepoint per job, backup.
// (Suites named Sqlite* run on the SQLite pass only: tests/CMakeLists.txt.)
#include "store/store.h"

#include <sqlite3.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite.h"
#include "testing/testing.h"

namespace kansli::store {
namespace {

// These tests speak SQL to the SQLite store's own transaction.
SqliteTx& sql(Tx& tx) { return static_cast<SqliteTx&>(tx); }

Result<std::int64_t> userCount(Store& store) {
  return store.read([](Tx& tx) -> Result<std::int64_t> {
    auto st = sql(tx).prepare("SELECT count(*) FROM users");
    if (!st) return std::unexpected(st.error());
    (void)st->step();
    return st->i64(0);
  });
}

TEST(SqliteStore, FreshFileGetsLatestSchema) {
  testing::TempDir dir;
  auto s = Store::open({.path = dir.file("k.db")});
  ASSERT_OK(s);
  EXPECT_EQ((*s)->schemaVersion(), Store::latestSchemaVersion());
  EXPECT_GE(Store::latestSchemaVersion(), 1);
}

TEST(SqliteStore, MigrationsAreNumberedWithoutGaps) {
  int expected = 1;
  for (const auto& m : migrations()) EXPECT_EQ(m.number, expected++) << m.name;
}

TEST(SqliteStore, UpgradesAnOlderFileStepByStep) {
  testing::TempDir dir;
  auto path = dir.file("old.db");
  {
    // A file as version 1 left it.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    std::string sql = std::string(migrations()[0].sql) + ";PRAGMA user_version=1;";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "INSERT INTO users(username,password_hash,role,created_at) "
                               "VALUES('kvar','x','admin','2020-01-01T00:00:00Z')",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto s = Store::open({.path = path});
  ASSERT_OK(s);
  EXPECT_EQ((*s)->schemaVersion(), Store::latestSchemaVersion());
  auto n = (*s)->read([](Tx& tx) -> Result<std::int64_t> {
    auto st = sql(tx).prepare("SELECT count(*) FROM users WHERE username='kvar'");
    if (!st) return std::unexpected(st.error());
    (void)st->step();
    return st->i64(0);
  });
  ASSERT_OK(n);
  EXPECT_EQ(*n, 1) << "data from the older version survives the upgrade";
}

// Migration 5 remakes both case search indexes with prefix indexes; what
// was indexed before is found after, by word and by prefix.
TEST(SqliteStore, SearchIndexesKeepTheirRowsThroughThePrefixMigration) {
  testing::TempDir dir;
  auto path = dir.file("v4.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    std::string sql;
    for (const auto& m : migrations()) {
      if (m.number <= 4) sql += std::string(m.sql) + ";\n";
    }
    sql += "PRAGMA user_version=4;"
           "INSERT INTO case_search(rowid, subject, senders, documents)"
           " VALUES(7, 'Förskola i Fisksätra', 'Maria Åberg', '');"
           "INSERT INTO public_search(rowid, subject, senders, documents)"
           " VALUES(7, 'Förskola i Fisksätra', 'Uppgift om avsändare omfattas av sekretess', '');";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  auto s = Store::open({.path = path});
  ASSERT_OK(s);
  ASSERT_GE((*s)->schemaVersion(), 5);
  auto hits = [&](const char* query) {
    auto n = (*s)->read([&](Tx& tx) -> Result<std::int64_t> {
      auto st = sql(tx).prepare(query);
      if (!st) return std::unexpected(st.error());
      (void)st->step();
      return st->i64(0);
    });
    return n ? *n : -1;
  };
  EXPECT_EQ(hits("SELECT rowid FROM case_search WHERE case_search MATCH '\"aberg\"'"), 7);
  EXPECT_EQ(hits("SELECT rowid FROM case_search WHERE case_search MATCH '\"fors\"*'"), 7);
  EXPECT_EQ(hits("SELECT rowid FROM case_search WHERE case_search MATCH '\"förskola\"*'"), 7)
      << "a prefix longer than the prefix indexes still matches";
  EXPECT_EQ(hits("SELECT rowid FROM public_search WHERE public_search MATCH '\"fisks\"*'"), 7);
  EXPECT_EQ(hits("SELECT count(*) FROM public_search WHERE public_search MATCH '\"aberg\"'"), 0);
  EXPECT_EQ(hits("SELECT count(*) FROM sqlite_master WHERE name LIKE '%search_new%'"), 0);
}

TEST(SqliteStore, RefusesAFileFromANewerProgram) {
  testing::TempDir dir;
  auto path = dir.file("new.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "PRAGMA user_version=9999", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  auto s = Store::open({.path = path});
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("9999"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("uppgradera"), std::string::npos);
}

TEST(SqliteStore, ConcurrentJobsShareBatchesAndAFailedOneRollsBackAlone) {
  testing::TempDir dir;
  auto s = Store::open({.path = dir.file("k.db")});
  ASSERT_OK(s);
  Store& store = **s;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0}, refused{0};
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&, i] {
      auto r = store.write([i](Tx& tx) -> Result<int> {
        auto st = sql(tx).prepare(
            "INSERT INTO users(username,password_hash,role,created_at) VALUES(?,?,?,?)");
        if (!st) return std::unexpected(st.error());
        st->bind(1, "u" + std::to_string(i)).bind(2, "x").bind(3, "admin").bind(4, "t");
        if (auto r2 = st->run(); !r2) return std::unexpected(r2.error());
        if (i % 4 == 0) return std::unexpected(Error::invalid("refused"));
        return i;
      });
      (r ? ok : refused)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 30);
  EXPECT_EQ(refused.load(), 10);
  auto n = userCount(store);
  ASSERT_OK(n);
  EXPECT_EQ(*n, 30) << "refused jobs left nothing behind";
}

// Regression (#19): a job that threw was rolled back but answered as a
// success, and write() then read its empty result.
TEST(SqliteStore, AJobThatThrowsIsAnsweredWithAnErrorAndRolledBackAlone) {
  testing::TempDir dir;
  auto s = Store::open({.path = dir.file("k.db")});
  ASSERT_OK(s);
  Store& store = **s;
  auto insert = [](Tx& tx, const std::string& name) -> Result<void> {
    auto st = sql(tx).prepare(
        "INSERT INTO users(username,password_hash,role,created_at) VALUES(?,'x','admin','t')");
    if (!st) return std::unexpected(st.error());
    st->bind(1, name);
    return st->run();
  };
  std::vector<std::thread> threads;
  std::atomic<int> internal{0}, ok{0};
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&, i] {
      auto r = store.write([&](Tx& tx) -> Result<int> {
        KANSLI_TRY(insert(tx, "u" + std::to_string(i)));
        if (i % 2) throw std::runtime_error("a bug in a job");
        return i;
      });
      if (r) {
        EXPECT_EQ(*r, i);
        ++ok;
      } else {
        EXPECT_EQ(r.error().code, ErrorCode::kInternal);
        ++internal;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 10);
  EXPECT_EQ(internal.load(), 10);
  auto n = userCount(store);
  ASSERT_OK(n);
  EXPECT_EQ(*n, 10) << "a job that threw left nothing behind";
}

// A bind SQLite refuses (here an index the statement lacks) is reported,
// not run as if the parameter were NULL.
TEST(SqliteStore, ARefusedBindIsAnError) {
  testing::TempDir dir;
  auto s = Store::open({.path = dir.file("k.db")});
  ASSERT_OK(s);
  auto r = (*s)->read([](Tx& tx) -> Result<bool> {
    auto st = sql(tx).prepare("SELECT count(*) FROM users WHERE username = ?1");
    if (!st) return std::unexpected(st.error());
    st->bind(1, "a").bind(2, "no such parameter");
    return st->step();
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
}

// Migration 8: drawn-up documents of a secret case get its secrecy, both
// indexes hold every case's drawn-up titles, and the decision index no memo
// of a secret case.
TEST(SqliteStore, MigrationEightBringsDrawnUpDocumentsIntoLine) {
  testing::TempDir dir;
  auto path = dir.file("v7.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    std::string sql;
    for (const auto& m : migrations()) {
      if (m.number <= 7) sql += std::string(m.sql) + ";\n";
    }
    sql += R"(PRAGMA user_version=7;
      INSERT INTO cases(id, dnr, committee, series, year, number, kind, subject, received, state,
        workflow_id, workflow_version, secrecy_provision, secret_fields, registered_at,
        registered_by)
        VALUES (1, 'SOCN 2020/1', 'SOCN', 'SOCN', 2020, 1, 'politikerinitiativ', 'Zebra', '2020-08-25',
          'beslutad', 'politikerinitiativ', 1, 'OSL 26 kap. 1 §', 'subject', 't', 'r'),
        (2, 'SOCN 2020/2', 'SOCN', 'SOCN', 2020, 2, 'politikerinitiativ', 'Okapi', '2020-08-25',
          'beslutad', 'politikerinitiativ', 1, NULL, '', 't', 'r');
      INSERT INTO documents(case_id, number, direction, date, title, registered_at, registered_by, kind)
        VALUES (1, 1, 'upprattad', '2020-10-05', 'Tjänsteskrivelse - Zebra', 't', 'r', 'tjansteskrivelse'),
               (2, 1, 'upprattad', '2020-10-05', 'Tjänsteskrivelse - Okapi', 't', 'r', 'tjansteskrivelse');
      INSERT INTO case_search(rowid, subject, senders, documents) VALUES (1, 'Zebra', '', ''), (2, 'Okapi', '', '');
      INSERT INTO public_search(rowid, subject, senders, documents)
        VALUES (1, '', '', 'Tjänsteskrivelse - Zebra' || char(10)), (2, 'Okapi', '', '');
      INSERT INTO meetings(id, committee, date, created_at, created_by) VALUES (1, 'SOCN', '2020-10-27', 't', 'r');
      INSERT INTO agenda_items(meeting_id, position, case_id, title) VALUES (1, 1, 1, 'X'), (1, 2, 2, 'Y');
      INSERT INTO decisions(id, meeting_id, position, case_id, outcome, text, details, recorded_at, recorded_by)
        VALUES (1, 1, 1, 1, 'bifall', 'Bifall', '{}', 't', 'r'), (2, 1, 2, 2, 'bifall', 'Bifall', '{}', 't', 'r');
      INSERT INTO decision_search(rowid, text, memo) VALUES (1, 'X Bifall', 'Zebramemo'), (2, 'Y Bifall', 'Okapimemo');)";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  auto s = Store::open({.path = path});
  ASSERT_OK(s);
  auto count = [&](const char* query) {
    auto n = (*s)->read([&](Tx& tx) -> Result<std::int64_t> {
      auto st = sql(tx).prepare(query);
      if (!st) return std::unexpected(st.error());
      (void)st->step();
      return st->i64(0);
    });
    return n ? *n : -1;
  };
  EXPECT_EQ(count("SELECT count(*) FROM documents WHERE case_id = 1 AND secret_fields = 'title,content'"
                  " AND secrecy_provision = 'OSL 26 kap. 1 §'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM documents WHERE case_id = 2 AND secrecy_provision IS NULL"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM public_search WHERE public_search MATCH '\"zebra\"'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM case_search WHERE case_search MATCH 'documents:\"okapi\"'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM public_search WHERE public_search MATCH 'documents:\"okapi\"'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM decision_search WHERE decision_search MATCH '\"zebramemo\"'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM decision_search WHERE decision_search MATCH '\"okapimemo\"'"), 1);
}

TEST(SqliteStore, BackupIsAUsableCopy) {
  testing::TempDir dir;
  auto s = Store::open({.path = dir.file("k.db")});
  ASSERT_OK(s);
  ASSERT_OK((*s)->backupTo(dir.file("copy.db")));
  auto copy = Store::open({.path = dir.file("copy.db")});
  ASSERT_OK(copy);
  EXPECT_EQ((*copy)->schemaVersion(), Store::latestSchemaVersion());
}

}  // namespace
}  // namespace kansli::store
