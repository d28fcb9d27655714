// The gathering WAL VFS (store/sqlite/wal_gather.h): a commit is in the
// files, whole, when COMMIT returns and is seen by another connection at
// once; a transaction not yet committed is in neither; and the WAL's writes
// really are gathered (fewer write calls than pages).
// (Suites named Sqlite* run on the SQLite pass only: tests/CMakeLists.txt.)
#include "store/sqlite/wal_gather.h"

#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "store/sqlite/sqlite.h"
#include "testing/testing.h"

namespace kansli::store {
namespace {

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, Closer>;

Db open(const std::string& path, const char* vfs) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
  Db db(raw);
  EXPECT_EQ(rc, SQLITE_OK) << (raw ? sqlite3_errmsg(raw) : "");
  return db;
}

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  ASSERT_EQ(rc, SQLITE_OK) << sql << ": " << (err ? err : "");
}

long long count(sqlite3* db) {
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &s, nullptr), SQLITE_OK);
  EXPECT_EQ(sqlite3_step(s), SQLITE_ROW);
  const long long n = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return n;
}

// Rows in a copy of the database file and its WAL taken as they are on disk
// now, as a crash would leave them, opened with SQLite's own VFS.
long long countInCopyOfFiles(const testing::TempDir& dir, const std::string& name) {
  namespace fs = std::filesystem;
  const std::string copy = dir.file("copy-" + name);
  fs::remove(copy);
  fs::remove(copy + "-wal");
  fs::remove(copy + "-shm");
  fs::copy_file(dir.file(name), copy);
  fs::copy_file(dir.file(name) + "-wal", copy + "-wal");
  Db db = open(copy, nullptr);
  return count(db.get());
}

// Write calls this process has made (pwrite, write, ...), or -1 when the
// kernel does not say.
long long writeCalls() {
  std::ifstream io("/proc/self/io");
  std::string key;
  long long value = 0;
  while (io >> key >> value) {
    if (key == "syscw:") return value;
  }
  return -1;
}

Db openWriter(const testing::TempDir& dir) {
  configureSqlite();  // the store's settings, whichever test runs first
  const char* vfs = gatheringWalVfs();
  EXPECT_NE(vfs, nullptr);
  Db db = open(dir.file("w.db"), vfs);
  exec(db.get(), "PRAGMA journal_mode=WAL");
  exec(db.get(), "PRAGMA synchronous=FULL");
  exec(db.get(), "PRAGMA wal_autocheckpoint=0");  // every commit stays in the WAL
  exec(db.get(), "CREATE TABLE t(id INTEGER PRIMARY KEY, body BLOB)");
  return db;
}

// Adds that many rows of 3,000 bytes: a page each.
void addRows(sqlite3* db, int rows) {
  for (int i = 0; i < rows; ++i) exec(db, "INSERT INTO t(body) VALUES(randomblob(3000))");
}

// Begins a transaction whose pages reach the WAL before any COMMIT: a page
// cache of 8 pages and 200 rows of a page each.
void beginSpilledTransaction(sqlite3* db) {
  exec(db, "PRAGMA cache_size=8");
  exec(db, "BEGIN IMMEDIATE");
  addRows(db, 200);
}

TEST(SqliteWalGather, ACommitIsInTheFilesAndSeenByOthersWhenCommitReturns) {
  testing::TempDir dir;
  Db writer = openWriter(dir);
  Db reader = open(dir.file("w.db"), nullptr);
  long long rows = 0;
  for (int tx = 0; tx < 20; ++tx) {
    exec(writer.get(), "BEGIN IMMEDIATE");
    addRows(writer.get(), 25);
    exec(writer.get(), "COMMIT");
    rows += 25;
    EXPECT_EQ(count(reader.get()), rows) << "transaction " << tx;
    EXPECT_EQ(countInCopyOfFiles(dir, "w.db"), rows) << "transaction " << tx;
  }
}

TEST(SqliteWalGather, ATransactionNotYetCommittedIsInNeitherAndRollsBackWhole) {
  testing::TempDir dir;
  Db writer = openWriter(dir);
  exec(writer.get(), "INSERT INTO t(body) VALUES(randomblob(100))");
  beginSpilledTransaction(writer.get());
  Db reader = open(dir.file("w.db"), nullptr);
  EXPECT_EQ(count(reader.get()), 1);
  EXPECT_EQ(countInCopyOfFiles(dir, "w.db"), 1);
  EXPECT_EQ(count(writer.get()), 201);  // its own pages, read back through the VFS
  exec(writer.get(), "ROLLBACK");
  EXPECT_EQ(count(writer.get()), 1);
  exec(writer.get(), "INSERT INTO t(body) VALUES(randomblob(3000))");
  EXPECT_EQ(count(reader.get()), 2);
  EXPECT_EQ(countInCopyOfFiles(dir, "w.db"), 2);
  // A checkpoint reads the WAL through the VFS into the database file.
  exec(writer.get(), "PRAGMA wal_checkpoint(TRUNCATE)");
  writer.reset();
  reader.reset();
  Db again = open(dir.file("w.db"), nullptr);
  EXPECT_EQ(count(again.get()), 2);
}

// A transaction rolled back after its pages went to the WAL leaves frames
// past the WAL's last commit. Another writer (here a second connection, as
// another process would) then writes its frames at the same place; the
// first writer's next writes must not bring the old frames back over them.
// (Without the pass-on at the write lock's release: SQLITE_CORRUPT.)
TEST(SqliteWalGather, ARolledBackTransactionsFramesNeverLandOnAnotherWritersCommit) {
  testing::TempDir dir;
  Db writer = openWriter(dir);
  exec(writer.get(), "INSERT INTO t(body) VALUES(randomblob(100))");
  // An empty WAL: rolling back then reads nothing from it (SQLite reloads
  // the pages it keeps from the database file), so nothing but the lock's
  // release passes the gathered frames on.
  exec(writer.get(), "PRAGMA wal_checkpoint(TRUNCATE)");
  beginSpilledTransaction(writer.get());
  exec(writer.get(), "ROLLBACK");

  Db other = open(dir.file("w.db"), nullptr);
  exec(other.get(), "PRAGMA wal_autocheckpoint=0");
  exec(other.get(), "BEGIN IMMEDIATE");
  addRows(other.get(), 50);
  exec(other.get(), "COMMIT");

  exec(writer.get(), "BEGIN IMMEDIATE");
  addRows(writer.get(), 30);
  exec(writer.get(), "COMMIT");

  Db check = open(dir.file("w.db"), nullptr);
  EXPECT_EQ(count(check.get()), 81);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(check.get(), "PRAGMA integrity_check", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "ok");
  sqlite3_finalize(s);
  writer.reset();  // the last one to close folds the WAL into the database
  other.reset();
  check.reset();
  Db after = open(dir.file("w.db"), nullptr);
  EXPECT_EQ(count(after.get()), 81);
}

TEST(SqliteWalGather, ACommitOfManyPagesIsAFewWriteCalls) {
  if (writeCalls() < 0) GTEST_SKIP() << "/proc/self/io has no syscw";
  testing::TempDir dir;
  Db writer = openWriter(dir);
  exec(writer.get(), "BEGIN IMMEDIATE");
  addRows(writer.get(), 100);
  const long long before = writeCalls();
  exec(writer.get(), "COMMIT");
  const long long calls = writeCalls() - before;
  // 100 pages and more are two write calls each without gathering.
  // Gathered: pieces of 30 pages (wal_gather.cpp), and the sync.
  EXPECT_LE(calls, 6) << calls << " write calls for one commit of 100 pages";
  EXPECT_GE(calls, 1);
}

// For the child processes below, which report by exit code rather than
// by gtest's assertions.
namespace child {

int rcOf(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }

// Rows of t, or -1 when they cannot be read.
long long rows(sqlite3* db) {
  sqlite3_stmt* s = nullptr;
  long long n = -1;
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &s, nullptr) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW) {
    n = sqlite3_column_int64(s, 0);
  }
  sqlite3_finalize(s);
  return n;
}

bool sound(sqlite3* db) {
  sqlite3_stmt* s = nullptr;
  bool ok = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nullptr) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW &&
            std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))) == "ok";
  sqlite3_finalize(s);
  return ok;
}

bool insertRows(sqlite3* db, int n) {
  for (int i = 0; i < n; ++i) {
    if (rcOf(db, "INSERT INTO t(body) VALUES(randomblob(3000))") != SQLITE_OK) return false;
  }
  return true;
}

// The writer's connection through the gathering VFS, with table t and one
// row committed, or nullptr. body is NOT NULL so that a statement changing
// several rows may abort, which gives it a statement journal: SQLite can
// then roll back that statement alone (the full-disk test needs that).
sqlite3* openWriter(const std::string& path) {
  sqlite3* w = nullptr;
  const bool ok =
      sqlite3_open_v2(path.c_str(), &w, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      gatheringWalVfs()) == SQLITE_OK &&
      rcOf(w, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=0;"
              "CREATE TABLE t(id INTEGER PRIMARY KEY, body BLOB NOT NULL);"
              "INSERT INTO t(body) VALUES(randomblob(100))") == SQLITE_OK;
  if (ok) return w;
  sqlite3_close_v2(w);
  return nullptr;
}

}  // namespace child

// The WAL's writes fail for a while (the file size limit: an I/O error,
// after which SQLite rolls the whole transaction back), then succeed again.
// Runs in a child process, since the limit is the whole process's; each way
// it can go wrong is its own exit code.
[[noreturn]] void writesFailThenSucceed(const std::string& path) {
  using namespace child;
  signal(SIGXFSZ, SIG_IGN);  // past the limit a write fails (EFBIG) instead
  configureSqlite();
  rlimit room{};
  getrlimit(RLIMIT_FSIZE, &room);
  auto limitWalTo = [&](long long extra) {
    struct stat st{};
    stat((path + "-wal").c_str(), &st);
    rlimit low = room;
    low.rlim_cur = static_cast<rlim_t>(st.st_size + extra);
    setrlimit(RLIMIT_FSIZE, &low);
  };

  sqlite3* w = openWriter(path);
  if (!w) _exit(10);
  // 1. A transaction's spilled pages are gathered, and reading them back
  // needs them written, which fails: the read fails with an I/O error, and
  // SQLite rolls the whole transaction back (sqlite3VdbeHalt). With room
  // again, nothing of it is anywhere, the database is sound, and the next
  // transaction commits.
  limitWalTo(64 * 1024);
  if (rcOf(w, "PRAGMA cache_size=8") != SQLITE_OK || rcOf(w, "BEGIN IMMEDIATE") != SQLITE_OK ||
      !insertRows(w, 200)) {
    _exit(11);
  }
  if (rows(w) != -1) _exit(12);
  setrlimit(RLIMIT_FSIZE, &room);
  if (!sqlite3_get_autocommit(w) || rows(w) != 1) _exit(13);
  if (rcOf(w, "BEGIN IMMEDIATE") != SQLITE_OK || !insertRows(w, 200) ||
      rcOf(w, "COMMIT") != SQLITE_OK) {
    _exit(14);
  }
  sqlite3* r = nullptr;
  if (sqlite3_open_v2(path.c_str(), &r, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) _exit(15);
  if (rows(r) != 201 || !sound(r)) _exit(16);

  // 2. A commit whose frames cannot be written fails and keeps nothing; the
  // next one, with room again, succeeds.
  limitWalTo(16 * 1024);
  if (rcOf(w, "BEGIN IMMEDIATE") != SQLITE_OK || !insertRows(w, 50)) _exit(17);
  if (rcOf(w, "COMMIT") == SQLITE_OK) _exit(18);
  (void)rcOf(w, "ROLLBACK");  // if SQLite has not rolled back already
  setrlimit(RLIMIT_FSIZE, &room);
  if (rows(r) != 201 || rows(w) != 201) _exit(19);
  if (rcOf(w, "BEGIN IMMEDIATE") != SQLITE_OK || !insertRows(w, 10) ||
      rcOf(w, "COMMIT") != SQLITE_OK) {
    _exit(20);
  }
  if (rows(r) != 211 || !sound(r)) _exit(21);
  sqlite3_close_v2(r);
  sqlite3_close_v2(w);
  _exit(0);
}

TEST(SqliteWalGather, WritesThatFailRollBackAndLeaveASoundDatabaseForTheNextCommit) {
  testing::TempDir dir;
  EXPECT_EXIT(writesFailThenSucceed(dir.file("w.db")), ::testing::ExitedWithCode(0), "");
}

// A full disk: the unix VFS's write calls (SQLite's own hook for them,
// xSetSystemCall, as its test suite uses) fail with ENOSPC on the WAL while
// g_disk_full is set, so SQLite sees SQLITE_FULL. Unlike the I/O error
// above, SQLite then rolls back only the statement that met it and keeps
// the transaction, whose earlier pages it believes written: the bytes the
// VFS could not write must reach the file before anything else does.
// Runs in a child process (the hook is the whole process's); each way it
// can go wrong is its own exit code.
bool g_disk_full = false;
dev_t g_full_dev = 0;
ino_t g_full_ino = 0;
sqlite3_syscall_ptr g_real_pwrite64 = nullptr;
sqlite3_syscall_ptr g_real_pwrite = nullptr;
sqlite3_syscall_ptr g_real_write = nullptr;

bool writeFails(int fd) {
  struct stat st{};
  if (!g_disk_full || fstat(fd, &st) != 0 || st.st_dev != g_full_dev || st.st_ino != g_full_ino) {
    return false;
  }
  errno = ENOSPC;
  return true;
}
using Pwrite64Fn = ssize_t (*)(int, const void*, size_t, off64_t);
using PwriteFn = ssize_t (*)(int, const void*, size_t, off_t);
using WriteFn = ssize_t (*)(int, const void*, size_t);
ssize_t fullPwrite64(int fd, const void* data, size_t n, off64_t at) {
  if (writeFails(fd)) return -1;
  return reinterpret_cast<Pwrite64Fn>(g_real_pwrite64)(fd, data, n, at);
}
ssize_t fullPwrite(int fd, const void* data, size_t n, off_t at) {
  if (writeFails(fd)) return -1;
  return reinterpret_cast<PwriteFn>(g_real_pwrite)(fd, data, n, at);
}
ssize_t fullWrite(int fd, const void* data, size_t n) {
  if (writeFails(fd)) return -1;
  return reinterpret_cast<WriteFn>(g_real_write)(fd, data, n);
}

[[noreturn]] void diskFullThenRoomAgain(const std::string& path) {
  using namespace child;
  configureSqlite();
  sqlite3_vfs* unix_vfs = sqlite3_vfs_find("unix");
  if (!unix_vfs || unix_vfs->iVersion < 3) _exit(30);
  g_real_pwrite64 = unix_vfs->xGetSystemCall(unix_vfs, "pwrite64");
  g_real_pwrite = unix_vfs->xGetSystemCall(unix_vfs, "pwrite");
  g_real_write = unix_vfs->xGetSystemCall(unix_vfs, "write");
  auto hook = [&](const char* name, sqlite3_syscall_ptr real, sqlite3_syscall_ptr ours) {
    return !real || unix_vfs->xSetSystemCall(unix_vfs, name, ours) == SQLITE_OK;
  };
  if (!hook("pwrite64", g_real_pwrite64, reinterpret_cast<sqlite3_syscall_ptr>(fullPwrite64)) ||
      !hook("pwrite", g_real_pwrite, reinterpret_cast<sqlite3_syscall_ptr>(fullPwrite)) ||
      !hook("write", g_real_write, reinterpret_cast<sqlite3_syscall_ptr>(fullWrite))) {
    _exit(31);
  }
  // One statement that changes ten rows, with a statement journal (see
  // openWriter): SQLite can roll it back alone. Its first read of a page
  // finds that page gathered.
  const char* kUpdateTenRows = "UPDATE t SET body = randomblob(3000) WHERE id BETWEEN 2 AND 11";

  sqlite3* w = openWriter(path);
  if (!w) _exit(32);
  struct stat wal{};
  if (stat((path + "-wal").c_str(), &wal) != 0) _exit(33);
  g_full_dev = wal.st_dev;
  g_full_ino = wal.st_ino;
  sqlite3* r = nullptr;
  if (sqlite3_open_v2(path.c_str(), &r, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) _exit(34);
  long long committed = 1;

  // 1. In a transaction whose pages have spilled to the WAL (20 rows of a
  // page each, a cache of 8 pages: gathered, not yet written), a statement
  // needs one of them back: passing them on meets the full disk, and the
  // statement fails with SQLITE_FULL. SQLite rolls back that statement
  // only; the 20 rows stay in the transaction, their pages still only
  // gathered. With room again they are read back and committed. (Were the
  // bytes that could not be written dropped, the pages would be read past
  // the WAL's end: the count fails, and so does the copy below.)
  if (rcOf(w, "PRAGMA cache_size=8") != SQLITE_OK || rcOf(w, "BEGIN IMMEDIATE") != SQLITE_OK ||
      !insertRows(w, 20)) {
    _exit(35);
  }
  g_disk_full = true;
  if (rcOf(w, kUpdateTenRows) != SQLITE_FULL) _exit(36);
  g_disk_full = false;
  if (sqlite3_get_autocommit(w)) _exit(37);  // the transaction was kept
  if (rows(w) != committed + 20 || rcOf(w, "COMMIT") != SQLITE_OK) _exit(38);
  committed += 20;
  if (rows(w) != committed || rows(r) != committed) _exit(39);
  if (rcOf(w, "BEGIN IMMEDIATE") != SQLITE_OK || !insertRows(w, 30) ||
      rcOf(w, "COMMIT") != SQLITE_OK) {
    _exit(40);
  }
  committed += 30;
  if (rows(r) != committed || !sound(r)) _exit(41);

  // 2. A COMMIT meets the full disk (its sync passes the frames on): SQLite
  // rolls the whole transaction back, and while the disk stays full no
  // later commit gets through either. With room again the next one commits,
  // and nothing of the failed one is anywhere.
  if (rcOf(w, "PRAGMA cache_size=-2000") != SQLITE_OK || rcOf(w, "BEGIN IMMEDIATE") != SQLITE_OK ||
      !insertRows(w, 50)) {
    _exit(42);
  }
  g_disk_full = true;
  if (rcOf(w, "COMMIT") != SQLITE_FULL) _exit(43);
  if (!sqlite3_get_autocommit(w)) _exit(44);
  if (rcOf(w, "INSERT INTO t(body) VALUES(randomblob(3000))") != SQLITE_FULL) _exit(45);
  g_disk_full = false;
  if (rows(w) != committed || rows(r) != committed || !sound(r)) _exit(46);
  if (rcOf(w, "BEGIN IMMEDIATE") != SQLITE_OK || !insertRows(w, 10) ||
      rcOf(w, "COMMIT") != SQLITE_OK) {
    _exit(47);
  }
  committed += 10;
  if (rows(r) != committed || !sound(r)) _exit(48);

  // 3. What a crash now would leave (a copy of the files, recovered by
  // SQLite's own VFS) holds the same, and so does the database once the
  // writer has closed.
  namespace fs = std::filesystem;
  const std::string copy = path + "-copy";
  fs::copy_file(path, copy);
  fs::copy_file(path + "-wal", copy + "-wal");
  sqlite3* c = nullptr;
  if (sqlite3_open_v2(copy.c_str(), &c, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK ||
      rows(c) != committed || !sound(c)) {
    _exit(49);
  }
  sqlite3_close_v2(c);
  sqlite3_close_v2(r);
  if (sqlite3_close_v2(w) != SQLITE_OK) _exit(50);
  sqlite3* again = nullptr;
  if (sqlite3_open_v2(path.c_str(), &again, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK ||
      rows(again) != committed || !sound(again)) {
    _exit(51);
  }
  sqlite3_close_v2(again);
  _exit(0);
}

TEST(SqliteWalGather, AFullDiskLosesNothingCommittedAndCommitsNothingHalf) {
  testing::TempDir dir;
  EXPECT_EXIT(diskFullThenRoomAgain(dir.file("w.db")), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace kansli::store
