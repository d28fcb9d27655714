// The SQLite store: migrations, group commit with a savepoint per job, backup.
// (Suites named Sqlite* run on the SQLite pass only: tests/CMakeLists.txt.)
#include "store/store.h"

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <thread>
#include <vector>

#include "store/diarium_repo.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite.h"
#include "testing/testing.h"

namespace kansli::store {
namespace {

constexpr auto kNewRows = DiariumRepo::IndexRows::kNew;
constexpr auto kReplaceRows = DiariumRepo::IndexRows::kReplace;

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

// Migrations 14 and 15 change the automerge setting of both case search
// indexes (issue #20: 16, then FTS5's default 4 again) on a populated
// database: a setting, nothing rebuilt; what was found before is found
// after, by word and by prefix, and new rows are found beside it.
TEST(SqliteStore, TheAutomergeMigrationKeepsEverySearchResult) {
  testing::TempDir dir;
  auto path = dir.file("v13.db");
  const char* const kQueries[] = {
      "SELECT group_concat(rowid) FROM (SELECT rowid FROM case_search WHERE case_search MATCH '\"aberg\"' ORDER BY rowid)",
      "SELECT group_concat(rowid) FROM (SELECT rowid FROM case_search WHERE case_search MATCH '\"fors\"*' ORDER BY rowid)",
      "SELECT group_concat(rowid) FROM (SELECT rowid FROM case_search WHERE case_search MATCH '\"cykelbana\"' ORDER BY rowid)",
      "SELECT group_concat(rowid) FROM (SELECT rowid FROM public_search WHERE public_search MATCH '\"fisks\"*' ORDER BY rowid)",
      "SELECT count(*) FROM public_search WHERE public_search MATCH '\"aberg\"'",
  };
  std::vector<std::string> before;
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    std::string sql = "BEGIN;";
    for (const auto& m : migrations()) {
      if (m.number <= 13) sql += std::string(m.sql) + ";\n";
    }
    sql += "PRAGMA user_version=13;";
    // Enough rows, written in many transactions, for FTS5 to have segments
    // on more than one level.
    for (int i = 1; i <= 600; ++i) {
      const std::string id = std::to_string(i);
      const char* subject = i % 3 == 0 ? "Förskola i Fisksätra" : i % 3 == 1 ? "Cykelbana i Nacka" : "Förslag om skolskjuts";
      sql += "INSERT INTO case_search(rowid, subject, senders, documents) VALUES(" + id + ", '" + subject +
             "', '" + (i % 5 == 0 ? "Maria Åberg" : "Andreas Falk") + "', '');"
             "INSERT INTO public_search(rowid, subject, senders, documents) VALUES(" + id + ", '" + subject +
             "', '" + (i % 5 == 0 ? "Uppgift om avsändare omfattas av sekretess" : "Andreas Falk") + "', '');";
      if (i % 20 == 0) sql += "COMMIT;BEGIN;";
    }
    sql += "COMMIT;";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    for (const char* q : kQueries) {
      sqlite3_stmt* st = nullptr;
      ASSERT_EQ(sqlite3_prepare_v2(db, q, -1, &st, nullptr), SQLITE_OK) << q;
      ASSERT_EQ(sqlite3_step(st), SQLITE_ROW) << q;
      const unsigned char* t = sqlite3_column_text(st, 0);
      before.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
      sqlite3_finalize(st);
    }
    sqlite3_close(db);
  }
  EXPECT_NE(before[0], "");
  EXPECT_EQ(before[4], "0") << "the secret sender is not in the public index";
  auto s = Store::open({.path = path});
  ASSERT_OK(s);
  ASSERT_GE((*s)->schemaVersion(), 15);
  auto text = [&](const std::string& query) {
    auto r = (*s)->read([&](Tx& tx) -> Result<std::string> {
      auto st = sql(tx).prepare(query.c_str());
      if (!st) return std::unexpected(st.error());
      (void)st->step();
      return st->isNull(0) ? std::string() : st->str(0);
    });
    return r ? *r : std::string("error: ") + r.error().message;
  };
  for (std::size_t i = 0; i < std::size(kQueries); ++i) EXPECT_EQ(text(kQueries[i]), before[i]) << kQueries[i];
  EXPECT_EQ(text("SELECT v FROM case_search_config WHERE k = 'automerge'"), "4");
  EXPECT_EQ(text("SELECT v FROM public_search_config WHERE k = 'automerge'"), "4");
  // Rows written afterwards (in batches merged at the default again) are found too,
  // and both indexes stay consistent.
  for (int batch = 0; batch < 40; ++batch) {
    auto written = (*s)->write([&](Tx& tx) -> Result<void> {
      for (int k = 0; k < 4; ++k) {
        const std::int64_t id = 1000 + batch * 4 + k;
        KANSLI_TRY(tx.diarium().searchIndex(id, {"Cykelbana vid Saltsjöbanan", "Eva Berg", ""},
                                            {"Cykelbana vid Saltsjöbanan", "Eva Berg", ""}, kNewRows));
      }
      return {};
    });
    ASSERT_OK(written);
    ASSERT_OK((*s)->awaitSearchIndex());  // each batch's rows into the indexes on their own
  }
  EXPECT_EQ(text("SELECT count(*) FROM case_search WHERE case_search MATCH '\"saltsj\"*'"), "160");
  EXPECT_EQ(text("SELECT count(*) FROM public_search WHERE public_search MATCH '\"cykelbana\"'"), "360");
  auto checked = (*s)->write([&](Tx& tx) -> Result<void> {
    KANSLI_TRY(sql(tx).exec("INSERT INTO case_search(case_search) VALUES('integrity-check')"));
    return sql(tx).exec("INSERT INTO public_search(public_search) VALUES('integrity-check')");
  });
  EXPECT_OK(checked);
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

// caseUpdate writes only the columns and senders that differ from the row
// as it is (issue #20: a transition rewrote all twelve columns, their seven
// indexes and the senders). Whatever changed, alone or together, the case
// reads back with exactly that change, one version on, and nothing else moved.
TEST(SqliteStore, AnUpdateWritesEveryChangedColumnAndSenderAndNothingElse) {
  testing::TempDir dir;
  auto s = Store::open({.path = dir.file("k.db")});
  ASSERT_OK(s);
  Store& store = **s;
  Case base;
  base.dnr = "SOCN 2020/1";
  base.committee = "SOCN";
  base.series = "SOCN";
  base.year = 2020;
  base.number = 1;
  base.kind = "politikerinitiativ";
  base.subject = "Förslag om cykelbana";
  base.received = "2020-08-25";
  base.senders = {{"Andreas Falk", std::string("S"), std::nullopt}, {"Eva Berg", std::nullopt, std::nullopt}};
  base.unit = "bfe";
  base.state = "registrerad";
  base.workflow_id = "politikerinitiativ";
  base.workflow_version = 1;
  base.deadline = "2021-08-25";
  base.registered_at = "2020-08-25T10:00:00Z";
  base.registered_by = "registrator";
  using Change = std::function<void(Case&)>;
  const std::vector<std::pair<std::string, Change>> changes = {
      {"nothing", [](Case&) {}},
      {"subject", [](Case& c) { c.subject = "Förslag om gångbana"; }},
      {"received", [](Case& c) { c.received = "2020-08-26"; }},
      {"unit", [](Case& c) { c.unit = "kansli"; }},
      {"unit gone", [](Case& c) { c.unit.reset(); }},
      {"officer", [](Case& c) { c.officer = "handlaggare"; }},
      {"state", [](Case& c) { c.state = "tilldelad"; }},
      {"deadline gone", [](Case& c) { c.deadline.reset(); }},
      {"secrecy", [](Case& c) { c.secrecy = Secrecy{"OSL 26 kap. 1 §", {"senders", "subject"}}; }},
      {"closed", [](Case& c) { c.closed = true; }},
      {"workflow", [](Case& c) { c.workflow_id = "motion"; c.workflow_version = 2; }},
      {"state deadline", [](Case& c) { c.state_deadline = "2020-09-30"; }},
      {"a sender's party", [](Case& c) { c.senders[1].party = "V"; }},
      {"one sender fewer", [](Case& c) { c.senders.pop_back(); }},
      {"a transition", [](Case& c) { c.state = "tilldelad"; c.unit = "kansli"; c.state_deadline = "2020-09-30"; }},
  };
  int number = 0;
  for (const auto& [what, change] : changes) {
    Case c = base;
    c.number = ++number;
    c.dnr = "SOCN 2020/" + std::to_string(c.number);
    auto inserted = store.write([&](Tx& tx) { return tx.diarium().caseInsert(c, false); });
    ASSERT_OK(inserted);
    const std::int64_t id = *inserted;
    auto updated = store.write([&](Tx& tx) -> Result<void> {
      KANSLI_ASSIGN_OR_RETURN(auto stored, tx.diarium().caseById(id));
      if (!stored) return std::unexpected(Error::notFound("gone"));
      Case after = *stored;
      change(after);
      return tx.diarium().caseUpdate(after);
    });
    ASSERT_OK(updated);
    auto read = [&](std::int64_t case_id) {
      auto r = store.read([&](Tx& tx) { return tx.diarium().caseById(case_id); });
      EXPECT_TRUE(r && *r) << what;
      return r && *r ? **r : Case{};
    };
    const Case got = read(id);
    Case expected = base;
    change(expected);
    EXPECT_EQ(got.version, 2) << what;
    EXPECT_EQ(got.dnr, c.dnr) << what;
    for (const Case* g : {&got}) {
      EXPECT_EQ(g->subject, expected.subject) << what;
      EXPECT_EQ(g->received, expected.received) << what;
      EXPECT_EQ(g->unit, expected.unit) << what;
      EXPECT_EQ(g->officer, expected.officer) << what;
      EXPECT_EQ(g->state, expected.state) << what;
      EXPECT_EQ(g->deadline, expected.deadline) << what;
      EXPECT_EQ(g->secrecy.has_value(), expected.secrecy.has_value()) << what;
      if (g->secrecy && expected.secrecy) {
        EXPECT_EQ(g->secrecy->provision, expected.secrecy->provision) << what;
        EXPECT_EQ(g->secrecy->fields, expected.secrecy->fields) << what;
      }
      EXPECT_EQ(g->closed, expected.closed) << what;
      EXPECT_EQ(g->workflow_id, expected.workflow_id) << what;
      EXPECT_EQ(g->workflow_version, expected.workflow_version) << what;
      EXPECT_EQ(g->state_deadline, expected.state_deadline) << what;
      ASSERT_EQ(g->senders.size(), expected.senders.size()) << what;
      for (std::size_t k = 0; k < expected.senders.size(); ++k) {
        EXPECT_EQ(g->senders[k].name, expected.senders[k].name) << what;
        EXPECT_EQ(g->senders[k].party, expected.senders[k].party) << what;
        EXPECT_EQ(g->senders[k].organisation, expected.senders[k].organisation) << what;
      }
    }
  }
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

// The search index rows of a write batch are queued once, after its last
// job, and indexed later (SqliteTx::writeFts, issue #20). What the public index holds must stay
// what the jobs that were kept last wrote: a row written again in the batch
// (a case made secret after it was registered) replaces the earlier one, and
// a job rolled back takes its rows with it, even when a job kept in the same
// batch wrote the same case.
Result<std::vector<std::int64_t>> publicMatches(Store& store, const std::string& word) {
  KANSLI_TRY(store.awaitSearchIndex());
  return store.read([&](Tx& tx) -> Result<std::vector<std::int64_t>> {
    auto st = sql(tx).prepare("SELECT rowid FROM public_search WHERE public_search MATCH ?1"
                              " ORDER BY rowid");
    if (!st) return std::unexpected(st.error());
    st->bind(1, word);
    std::vector<std::int64_t> ids;
    while (true) {
      auto row = st->step();
      if (!row) return std::unexpected(row.error());
      if (!*row) return ids;
      ids.push_back(st->i64(0));
    }
  });
}

TEST(SqliteStore, ABatchsSearchRowsKeepNoSecretWordInThePublicIndex) {
  testing::TempDir dir;
  auto s = Store::open({.path = dir.file("k.db")});
  ASSERT_OK(s);
  Store& store = **s;
  const SearchText secret_all{"Skyddad adress hemligord", "", ""};

  // One job: registered with a public subject, then made secret.
  ASSERT_OK(store.write([&](Tx& tx) -> Result<void> {
    KANSLI_TRY(tx.diarium().searchIndex(1, secret_all, {"Skyddad adress hemligord", "", ""}, kNewRows));
    return tx.diarium().searchIndex(1, secret_all, {"", "", ""}, kReplaceRows);
  }));

  // Many jobs in few batches: the first holds the writer until the others
  // have queued, so they commit together. Odd jobs write the secret word
  // into the public index of case 100+i and of case 2, and are refused.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::thread holder([&] {
    (void)store.write([&](Tx& tx) -> Result<void> {
      released.wait();
      return tx.diarium().searchIndex(2, secret_all, {"Öppet ärende", "", ""}, kReplaceRows);
    });
  });
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      auto r = store.write([&](Tx& tx) -> Result<void> {
        if (i % 2 == 0) {
          return tx.diarium().searchIndex(100 + i, secret_all, {"Öppet ärende", "", ""}, kNewRows);
        }
        KANSLI_TRY(tx.diarium().searchIndex(100 + i, secret_all, {"Skyddad hemligord", "", ""}, kNewRows));
        KANSLI_TRY(tx.diarium().searchIndex(2, secret_all, {"Skyddad hemligord", "", ""}, kReplaceRows));
        return std::unexpected(Error::invalid("nekad"));
      });
      EXPECT_EQ(static_cast<bool>(r), i % 2 == 0);
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let them queue
  release.set_value();
  holder.join();
  for (auto& t : threads) t.join();

  auto secret = publicMatches(store, "hemligord");
  ASSERT_OK(secret);
  EXPECT_TRUE(secret->empty()) << "a secret word in the public index";
  auto open = publicMatches(store, "öppet");
  ASSERT_OK(open);
  std::vector<std::int64_t> want{2};
  for (int i = 0; i < 16; i += 2) want.push_back(100 + i);
  EXPECT_EQ(*open, want);
  // The full index keeps the secret subject for those who may see it.
  ASSERT_OK(store.awaitSearchIndex());
  auto full = store.read([](Tx& tx) -> Result<std::int64_t> {
    auto st = sql(tx).prepare("SELECT count(*) FROM case_search WHERE case_search MATCH 'hemligord'");
    if (!st) return std::unexpected(st.error());
    (void)st->step();
    return st->i64(0);
  });
  ASSERT_OK(full);
  EXPECT_EQ(*full, 1 + 1 + 8) << "case 1, case 2 and the eight kept jobs' cases";
}

// The search rows of a write wait in search_pending (written in the write's
// own transaction) until a search asks for them; then they are in the
// indexes, each case as it was last written, and the queue is empty.
Result<std::int64_t> countOf(Store& store, const char* query) {
  return store.read([&](Tx& tx) -> Result<std::int64_t> {
    KANSLI_ASSIGN_OR_RETURN(auto st, sql(tx).prepare(query));
    KANSLI_TRY(st.step());
    return st.i64(0);
  });
}

TEST(SqliteStore, SearchRowsWaitInTheirQueueUntilASearchAsksForThem) {
  testing::TempDir dir;
  auto s = Store::open({.path = dir.file("k.db")});
  ASSERT_OK(s);
  Store& store = **s;
  ASSERT_OK(store.write([&](Tx& tx) -> Result<void> {
    for (std::int64_t id : {1, 2, 3}) {
      KANSLI_TRY(tx.diarium().searchIndex(id, {"Cykelbana i Orminge", "Eva Berg", ""},
                                          {"Cykelbana i Orminge", "Eva Berg", ""}, kNewRows));
    }
    return {};
  }));
  // Case 2 is corrected in a later write, before any search.
  ASSERT_OK(store.write([&](Tx& tx) -> Result<void> {
    return tx.diarium().searchIndex(2, {"Lekplats i Fisksätra", "Eva Berg", ""},
                                    {"Lekplats i Fisksätra", "Eva Berg", ""}, kReplaceRows);
  }));
  auto queued = countOf(store, "SELECT count(*) FROM search_pending");
  ASSERT_OK(queued);
  EXPECT_EQ(*queued, 8) << "three cases and one correction, in both indexes";
  auto unsearched = countOf(store, "SELECT count(*) FROM case_search");
  ASSERT_OK(unsearched);
  EXPECT_EQ(*unsearched, 0) << "rows are indexed when a search asks, not in every write";

  ASSERT_OK(store.awaitSearchIndex());
  auto left = countOf(store, "SELECT count(*) FROM search_pending");
  ASSERT_OK(left);
  EXPECT_EQ(*left, 0);
  auto cykel = countOf(store, "SELECT count(*) FROM case_search WHERE case_search MATCH 'cykelbana'");
  ASSERT_OK(cykel);
  EXPECT_EQ(*cykel, 2) << "case 2 is no longer about a cykelbana";
  auto lekplats = publicMatches(store, "lekplats");
  ASSERT_OK(lekplats);
  EXPECT_EQ(*lekplats, std::vector<std::int64_t>{2});
  auto rows = countOf(store, "SELECT count(*) FROM public_search");
  ASSERT_OK(rows);
  EXPECT_EQ(*rows, 3) << "one row per case";
  // Nothing queued: a search does not wait for the writer.
  ASSERT_OK(store.awaitSearchIndex());
}

// The writer does not leave rows queued for long: after a few thousand, or
// when it has had nothing to do for a moment, they go into the indexes.
TEST(SqliteStore, QueuedSearchRowsAreIndexedWhenManyOrWhenTheWriterIsIdle) {
  testing::TempDir dir;
  auto s = Store::open({.path = dir.file("k.db")});
  ASSERT_OK(s);
  Store& store = **s;
  for (int batch = 0; batch < 5; ++batch) {
    ASSERT_OK(store.write([&](Tx& tx) -> Result<void> {
      for (int k = 0; k < 500; ++k) {
        const std::int64_t id = 1 + batch * 500 + k;
        KANSLI_TRY(tx.diarium().searchIndex(id, {"Skolskjuts", "", ""}, {"Skolskjuts", "", ""}, kNewRows));
      }
      return {};
    }));
  }
  // 5,000 rows were queued; at 4,096 they went in, without a search. The
  // writers are answered before that indexing, so one more (empty) write
  // waits for it: the writer does one thing at a time.
  ASSERT_OK(store.write([](Tx&) -> Result<void> { return {}; }));
  auto indexed = countOf(store, "SELECT count(*) FROM case_search");
  ASSERT_OK(indexed);
  EXPECT_GE(*indexed, 2000);
  auto idle_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::int64_t left = -1;
  while (std::chrono::steady_clock::now() < idle_deadline) {
    auto n = countOf(store, "SELECT count(*) FROM search_pending");
    ASSERT_OK(n);
    left = *n;
    if (left == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(left, 0) << "the idle writer indexes what is queued";
  auto all = countOf(store, "SELECT count(*) FROM case_search WHERE case_search MATCH 'skolskjuts'");
  ASSERT_OK(all);
  EXPECT_EQ(*all, 2500);
}

// Queues search rows the way another process (a killed writer, an import
// beside the server) leaves them: committed rows in search_pending.
void queueAsAnotherProcess(const std::string& path, const char* insert_rows) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  const std::string sql =
      std::string("INSERT INTO search_pending(tbl, row_id, replace_row, subject, senders, documents)"
                  " VALUES") + insert_rows;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

// Rows a process queued and never indexed (it was killed, or the copy was
// taken while they waited) are indexed when the store is opened, before any
// search can run; a queued correction replaces the row already indexed.
TEST(SqliteStore, SearchRowsLeftInTheQueueAreIndexedWhenTheStoreOpens) {
  testing::TempDir dir;
  const std::string path = dir.file("k.db");
  {
    auto s = Store::open({.path = path});
    ASSERT_OK(s);
    ASSERT_OK((*s)->write([&](Tx& tx) -> Result<void> {
      return tx.diarium().searchIndex(7, {"Badplats vid Ältasjön", "", ""},
                                      {"Badplats vid Ältasjön", "", ""}, kNewRows);
    }));
  }  // closed: indexed
  // What a killed writer leaves.
  queueAsAnotherProcess(path,
      " (0, 7, 1, 'Hundrastgård vid Ältasjön', '', ''), (1, 7, 1, 'Hundrastgård vid Ältasjön', '', ''),"
      " (0, 8, 0, 'Snöröjning i Boo', 'Maria Åberg', ''), (1, 8, 0, 'Snöröjning i Boo', '', '')");
  auto s = Store::open({.path = path});
  ASSERT_OK(s);
  auto queued = countOf(**s, "SELECT count(*) FROM search_pending");
  ASSERT_OK(queued);
  EXPECT_EQ(*queued, 0);
  auto badplats = publicMatches(**s, "badplats");
  ASSERT_OK(badplats);
  EXPECT_TRUE(badplats->empty()) << "case 7's old row was replaced";
  auto hund = publicMatches(**s, "hundrastgård");
  ASSERT_OK(hund);
  EXPECT_EQ(*hund, std::vector<std::int64_t>{7});
  auto aberg = countOf(**s, "SELECT count(*) FROM case_search WHERE case_search MATCH 'åberg'");
  ASSERT_OK(aberg);
  EXPECT_EQ(*aberg, 1);
  auto public_aberg = publicMatches(**s, "åberg");
  ASSERT_OK(public_aberg);
  EXPECT_TRUE(public_aberg->empty()) << "the public row stays as it was queued";
  // Rows another process queues while this store is open (kansli import
  // beside the server) are indexed when a search here asks.
  queueAsAnotherProcess(path,
      " (0, 11, 0, 'Skateboardpark i Sickla', '', ''), (1, 11, 0, 'Skateboardpark i Sickla', '', '')");
  auto skate = publicMatches(**s, "skateboardpark");
  ASSERT_OK(skate);
  EXPECT_EQ(*skate, std::vector<std::int64_t>{11});
  // A copy taken while rows wait in the queue is complete when opened.
  ASSERT_OK((*s)->write([&](Tx& tx) -> Result<void> {
    return tx.diarium().searchIndex(9, {"Gatubelysning", "", ""}, {"Gatubelysning", "", ""}, kNewRows);
  }));
  ASSERT_OK((*s)->backupTo(dir.file("copy.db")));
  auto copy = Store::open({.path = dir.file("copy.db")});
  ASSERT_OK(copy);
  auto lit = publicMatches(**copy, "gatubelysning");
  ASSERT_OK(lit);
  EXPECT_EQ(*lit, std::vector<std::int64_t>{9});
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
