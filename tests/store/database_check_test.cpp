// #14 item 10: a 0-byte or damaged kansli.db started silently as a new
// database or served corrupt pages. The store refuses a file that exists but
// is not a Kansli database, runs quick_check at start, and says how to
// restore from a backup; a full disk is its own error (507 over HTTP) and
// Store::storageFull() until a write succeeds again.
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "store/sqlite/sqlite.h"
#include "store/store.h"
#include "testing/testing.h"

namespace kansli::store {
namespace {

SqliteTx& sql(Tx& tx) { return static_cast<SqliteTx&>(tx); }

void expectRefusedWithAdvice(const Result<std::unique_ptr<Store>>& s, const std::string& what) {
  ASSERT_FALSE(s) << "opened: " << what;
  EXPECT_NE(s.error().message.find(what), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("kansli backup"), std::string::npos) << s.error().message;
}

TEST(SqliteDatabaseCheck, AnEmptyFileIsNotStartedAsANewDatabase) {
  testing::TempDir dir;
  std::ofstream(dir.file("kansli.db")).close();
  expectRefusedWithAdvice(Store::open({.path = dir.file("kansli.db")}), "0 byte");
  EXPECT_EQ(std::filesystem::file_size(dir.file("kansli.db")), 0u) << "the file was written to";
}

TEST(SqliteDatabaseCheck, AFileThatIsNotSqliteIsRefused) {
  testing::TempDir dir;
  std::ofstream(dir.file("kansli.db")) << "det här är ingen databas, bara text\n";
  expectRefusedWithAdvice(Store::open({.path = dir.file("kansli.db")}), "ingen SQLite-databas");
}

TEST(SqliteDatabaseCheck, AnotherProgramsDatabaseIsRefused) {
  testing::TempDir dir;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("other.db").c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  expectRefusedWithAdvice(Store::open({.path = dir.file("other.db")}), "ingen Kansli-databas");

  ASSERT_EQ(sqlite3_open(dir.file("app.db").c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "PRAGMA application_id=1234; PRAGMA user_version=3", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  expectRefusedWithAdvice(Store::open({.path = dir.file("app.db")}), "annat program");
}

TEST(SqliteDatabaseCheck, ANewDatabaseIsMarkedAsKansliAndOpensAgain) {
  testing::TempDir dir;
  { ASSERT_OK(Store::open({.path = dir.file("kansli.db")})); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("kansli.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 0x4B414E53);
  sqlite3_finalize(st);
  sqlite3_close(db);
  EXPECT_OK(Store::open({.path = dir.file("kansli.db")}));
}

TEST(SqliteDatabaseCheck, ADamagedDatabaseIsRefusedAtStart) {
  testing::TempDir dir;
  const std::string path = dir.file("kansli.db");
  {
    auto s = Store::open({.path = path});
    ASSERT_OK(s);
    ASSERT_OK((*s)->write([](Tx& tx) -> Result<void> {
      return sql(tx).exec(
          "CREATE TABLE filler(x TEXT);"
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
          " INSERT INTO filler SELECT printf('%0500d', i) FROM n");
    }));
  }  // closed: the WAL is checkpointed into the file
  auto size = std::filesystem::file_size(path);
  ASSERT_GT(size, 64u * 1024);
  {
    // Garbage over pages in the middle of the file, as a failing disk leaves.
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2));
    std::string garbage(16 * 1024, '\xA5');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  auto s = Store::open({.path = path});
  ASSERT_FALSE(s) << "a damaged database was opened";
  EXPECT_NE(s.error().message.find("skadad"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("kansli backup"), std::string::npos) << s.error().message;
}

TEST(SqliteDatabaseCheck, AFullDiskIsItsOwnErrorUntilAWriteSucceeds) {
  testing::TempDir dir;
  auto s = Store::open({.path = dir.file("kansli.db")});
  ASSERT_OK(s);
  Store& store = **s;
  ASSERT_OK(store.write([](Tx& tx) -> Result<void> { return sql(tx).exec("CREATE TABLE big(x BLOB)"); }));
  // The database may not grow: what a full disk does to SQLite (SQLITE_FULL).
  ASSERT_OK(store.write([](Tx& tx) -> Result<void> {
    return sql(tx).exec("PRAGMA max_page_count = 1; ");
  }));
  auto full = store.write([](Tx& tx) -> Result<void> {
    auto st = sql(tx).prepare("INSERT INTO big VALUES(zeroblob(1000000))");
    if (!st) return std::unexpected(st.error());
    return st->run();
  });
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, ErrorCode::kInsufficientStorage) << full.error().message;
  EXPECT_TRUE(store.storageFull());
  ASSERT_OK(store.write([](Tx& tx) -> Result<void> {
    return sql(tx).exec("PRAGMA max_page_count = 1073741823");
  }));
  ASSERT_OK(store.write([](Tx& tx) -> Result<void> {
    return sql(tx).exec("INSERT INTO big VALUES(x'00')");
  }));
  EXPECT_FALSE(store.storageFull());
}

}  // namespace
}  // namespace kansli::store
