// The PostgreSQL store itself (engine/src/store/postgres/): its migrations,
// group commit with a savepoint per job, a job that goes on after a failed
// statement, a lost connection, and search words as tsqueries. Suites named
// Postgres* run on the PostgreSQL pass only (tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "kansli/audit.h"
#include "store/audit_repo.h"
#include "store/postgres/pg.h"
#include "store/sqlite/migrations.h"
#include "store/store.h"
#include "testing/database.h"
#include "testing/testing.h"

namespace kansli::store {

Result<std::vector<Migration>> postgresMigrations();  // store/postgres/store.cpp

namespace {

using testing::TempDir;

PgTx& pg(Tx& tx) { return static_cast<PgTx&>(tx); }

Options on(const std::string& url, bool create = true) {
  return {.path = "", .url = url, .readers = 2, .busy_timeout_ms = 5000, .create = create};
}

std::int64_t scalar(Store& s, const char* sql) {
  auto n = s.read([&](Tx& tx) -> Result<std::int64_t> {
    auto st = pg(tx).prepare(sql);
    if (!st) return std::unexpected(st.error());
    KANSLI_TRY(st->step());
    return st->i64(0);
  });
  return n ? *n : -1;
}

TEST(PostgresStore, AFreshDatabaseGetsTheLatestSchema) {
  TempDir dir;
  auto s = Store::open(on(testing::newDatabase(dir.path().string())));
  ASSERT_OK(s);
  EXPECT_EQ((*s)->schemaVersion(), Store::latestSchemaVersion());
  EXPECT_EQ(scalar(**s, "SELECT version FROM kansli_schema"), Store::latestSchemaVersion());
  EXPECT_EQ(scalar(**s, "SELECT seq FROM audit_chain_tip"), 0) << "an empty chain's tip";
}

TEST(PostgresStore, EveryVariantHasTheNumberOfASqliteMigration) {
  auto all = postgresMigrations();
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), migrations().size());
  for (size_t i = 0; i < all->size(); ++i) EXPECT_EQ((*all)[i].number, migrations()[i].number);
  for (const auto& v : postgresMigrationVariants()) {
    EXPECT_LE(v.number, Store::latestSchemaVersion()) << v.name;
  }
}

TEST(PostgresStore, ADatabaseWithoutTheSchemaIsNotFoundUnlessCreating) {
  TempDir dir;
  std::string url = testing::newDatabase(dir.path().string());
  auto s = Store::open(on(url, false));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound) << s.error().message;
  EXPECT_OK(Store::open(on(url, true)));
  EXPECT_OK(Store::open(on(url, false)));
}

TEST(PostgresStore, RefusesADatabaseFromANewerProgram) {
  TempDir dir;
  std::string url = testing::newDatabase(dir.path().string());
  ASSERT_OK(Store::open(on(url)));
  testing::queryUrl(url, "UPDATE kansli_schema SET version = 9999");
  auto s = Store::open(on(url));
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("9999"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("uppgradera"), std::string::npos);
}

TEST(PostgresStore, ConcurrentJobsShareBatchesAndAFailedOneRollsBackAlone) {
  TempDir dir;
  auto s = Store::open(on(testing::newDatabase(dir.path().string())));
  ASSERT_OK(s);
  Store& store = **s;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0}, refused{0};
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&, i] {
      auto r = store.write([i](Tx& tx) -> Result<int> {
        auto st = pg(tx).prepare(
            "INSERT INTO users(username,password_hash,role,created_at) VALUES($1,$2,$3,$4)");
        if (!st) return std::unexpected(st.error());
        st->bind(1, "u" + std::to_string(i)).bind(2, "x").bind(3, "admin").bind(4, "t");
        KANSLI_TRY(st->run());
        if (i % 4 == 0) return std::unexpected(Error::invalid("refused"));
        return i;
      });
      (r ? ok : refused)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 30);
  EXPECT_EQ(refused.load(), 10);
  EXPECT_EQ(scalar(store, "SELECT count(*) FROM users"), 30) << "refused jobs left nothing behind";
}

// A job whose statement failed (the server aborts the transaction) but which
// reports success anyway must not make COMMIT silently roll back the batch:
// that job is rolled back alone, the others are kept.
TEST(PostgresStore, AJobThatGoesOnAfterAFailedStatementIsRolledBackAlone) {
  TempDir dir;
  auto s = Store::open(on(testing::newDatabase(dir.path().string())));
  ASSERT_OK(s);
  Store& store = **s;
  auto insert = [](Tx& tx, const std::string& name) -> Result<void> {
    auto st = pg(tx).prepare(
        "INSERT INTO users(username,password_hash,role,created_at) VALUES($1,'x','admin','t')");
    if (!st) return std::unexpected(st.error());
    st->bind(1, name);
    return st->run();
  };
  ASSERT_OK(store.write([&](Tx& tx) { return insert(tx, "kvar"); }));
  auto liar = store.write([&](Tx& tx) -> Result<int> {
    auto dup = insert(tx, "kvar");  // a unique violation: 409 ...
    EXPECT_FALSE(dup);
    if (!dup) {
      EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
    }
    return 1;  // ... which the job ignores
  });
  EXPECT_FALSE(liar) << "a job in an aborted transaction cannot succeed";
  ASSERT_OK(store.write([&](Tx& tx) { return insert(tx, "också"); }));
  EXPECT_EQ(scalar(store, "SELECT count(*) FROM users"), 2);
}

// The server ends the store's connections (a restart, a failover): what was
// running gets kUnavailable, and the next request connects again by itself.
TEST(PostgresStore, ALostConnectionIsUnavailableAndTheStoreReconnects) {
  TempDir dir;
  std::string url = testing::newDatabase(dir.path().string());
  auto s = Store::open(on(url));
  ASSERT_OK(s);
  Store& store = **s;
  std::string name = url.substr(url.rfind('/') + 1);
  auto kill = [&] {
    testing::queryUrl(testing::postgresAdminUrl(),
                      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                          name + "' AND pid <> pg_backend_pid()");
  };
  EXPECT_EQ(scalar(store, "SELECT count(*) FROM users"), 0);
  kill();
  // An idle connection found dead is made again before anything runs on it.
  EXPECT_EQ(scalar(store, "SELECT count(*) FROM users"), 0);
  auto wrote = store.write([](Tx& tx) -> Result<int> {
    auto st = pg(tx).prepare("SELECT 1");
    if (!st) return std::unexpected(st.error());
    KANSLI_TRY(st->run());
    return 1;
  });
  EXPECT_TRUE(wrote.has_value()) << "the writer's connection was made again too";
  // Killed while a read runs on it: that read is unavailable, the next is not.
  auto broken = store.read([&](Tx& tx) -> Result<int> {
    kill();
    auto st = pg(tx).prepare("SELECT count(*) FROM audit_events");
    if (!st) return std::unexpected(st.error());
    KANSLI_TRY(st->step());
    return 1;
  });
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::kUnavailable) << broken.error().message;
  EXPECT_EQ(scalar(store, "SELECT count(*) FROM users"), 0);
}

// libpq sends text parameters as C strings: a NUL would cut "rita\0x" to
// "rita" and match her row (found by the hostile corpus's nul-in-username on
// the PostgreSQL pass). Such a text is refused instead.
TEST(PostgresStore, ATextWithANulIsRefusedNeverCutShort) {
  TempDir dir;
  auto s = Store::open(on(testing::newDatabase(dir.path().string())));
  ASSERT_OK(s);
  auto row = (*s)->read([](Tx& tx) -> Result<std::int64_t> {
    auto st = pg(tx).prepare("SELECT count(*) FROM users WHERE username = $1 OR $1 = 'rita'");
    if (!st) return std::unexpected(st.error());
    st->bind(1, std::string("rita\0x", 6));
    KANSLI_TRY(st->step());
    return st->i64(0);
  });
  ASSERT_FALSE(row);
  EXPECT_EQ(row.error().code, ErrorCode::kInvalidInput) << row.error().message;
}

TEST(PostgresStore, AnUnreachableServerIsUnavailable) {
  auto s = Store::open(on("postgresql://kansli@127.0.0.1:1/none"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable) << s.error().message;
}

TEST(PostgresStore, SearchWordsBecomeTsQueriesNeverSyntax) {
  auto q = [](const std::string& in) {
    auto w = parseSearchWords(in);
    return w ? pgTsQuery(*w) : std::string("<none>");
  };
  // The last word is a prefix (the word being typed) unless quoted.
  EXPECT_EQ(q("människohandel barn"), "'människohandel' & 'barn':*");
  EXPECT_EQ(q("\"människohandel barn\""), "('människohandel' <-> 'barn')");
  EXPECT_EQ(q("förs* barn \"x\""), "'förs':* & 'barn' & 'x'");
  EXPECT_EQ(q("e-post \"a\""), "('e' <-> 'post') & 'a'");
  EXPECT_EQ(q("e-post"), "('e' <-> 'post':*)");
  EXPECT_EQ(q("a'b | c & !d <-> (e)"), "'a' & 'b' & 'c' & 'd' & 'e'");
  EXPECT_EQ(q("2020/262"), "'2020' & '262':*");
  EXPECT_EQ(pgSearchableText("SOCN 2020/262, e-post: x@y.se"), "SOCN 2020 262  e post  x y se");
}

// The search behaves as SQLite's unicode61 with remove_diacritics: case and
// diacritics folded, prefixes, no stemming, no stop words, and words split
// at ASCII punctuation.
TEST(PostgresStore, SearchFoldsCaseAndDiacriticsAndFindsPrefixes) {
  TempDir dir;
  auto s = Store::open(on(testing::newDatabase(dir.path().string())));
  ASSERT_OK(s);
  Store& store = **s;
  ASSERT_OK(store.write([](Tx& tx) -> Result<int> {
    auto st = pg(tx).prepare(
        "INSERT INTO case_search(case_id, doc) VALUES (7, to_tsvector('kansli_sv', $1))");
    if (!st) return std::unexpected(st.error());
    st->bind(1, pgSearchableText("Åtgärder mot MÄNNISKOHANDEL och sexköp, dnr SOCN 2020/262"));
    KANSLI_TRY(st->run());
    return 1;
  }));
  auto hits = [&](const std::string& words) {
    auto w = parseSearchWords(words);
    if (!w) return std::int64_t{-1};
    auto n = store.read([&](Tx& tx) -> Result<std::int64_t> {
      auto st = pg(tx).prepare(
          "SELECT count(*) FROM case_search WHERE doc @@ to_tsquery('kansli_sv', $1)");
      if (!st) return std::unexpected(st.error());
      st->bind(1, pgTsQuery(*w));
      KANSLI_TRY(st->step());
      return st->i64(0);
    });
    return n ? *n : -2;
  };
  EXPECT_EQ(hits("manniskohandel"), 1);
  EXPECT_EQ(hits("människohandel"), 1);
  EXPECT_EQ(hits("atgarder"), 1);
  EXPECT_EQ(hits("sexk*"), 1);
  EXPECT_EQ(hits("manni*"), 1);
  EXPECT_EQ(hits("\"och\""), 1) << "no stop words";
  EXPECT_EQ(hits("262"), 1);
  EXPECT_EQ(hits("\"atgard\""), 0) << "no stemming";
  EXPECT_EQ(hits("atgard"), 1) << "the last word is a prefix";
  EXPECT_EQ(hits("\"mot manniskohandel\""), 1) << "a phrase";
  EXPECT_EQ(hits("\"manniskohandel mot\""), 0) << "a phrase keeps its order";
  EXPECT_EQ(hits("manniskohandel sexköp"), 1);
  EXPECT_EQ(hits("manniskohandel kattunge"), 0) << "every word must match";
}

}  // namespace
}  // namespace kansli::store
