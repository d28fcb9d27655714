// The SQLite dialect's own types: RAII wrappers over the SQLite C API and the
// transaction that hands out the SQLite repositories. Only files in
// engine/src/store/sqlite/ include this header (and so sqlite3.h).
#pragma once

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kansli/error.h"
#include "store/search_words.h"
#include "store/tx.h"

namespace kansli::store {

// Process-wide SQLite settings (no allocation statistics, the savepoint
// journal's piece size) and the writer's gathering WAL VFS, once, before
// SQLite starts. Opening a store calls it; a test that uses SQLite directly
// calls it first, so the store's settings hold whichever runs first.
void configureSqlite();

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;

struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

// A prepared statement, reset on destruction so the cached handle can be reused.
class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  ~Stmt() {
    if (s_) {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : s_(o.s_), bind_rc_(o.bind_rc_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&&) = delete;

  // Binding never fails silently: the first bind that SQLite refuses (a
  // parameter index the statement lacks, no memory) is kept, and step()
  // and run() report it instead of running the statement.
  Stmt& bind(int i, std::int64_t v) { return check(sqlite3_bind_int64(s_, i, v)); }
  Stmt& bind(int i, int v) { return check(sqlite3_bind_int64(s_, i, v)); }
  Stmt& bind(int i, double v) { return check(sqlite3_bind_double(s_, i, v)); }
  Stmt& bind(int i, std::string_view v) {
    return check(
        sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  // A blob of n zero bytes, to be written in place (sqlite3_blob_open).
  Stmt& bindZeroBlob(int i, std::uint64_t n) {
    sqlite3_bind_zeroblob64(s_, i, n);
    return *this;
  }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bindNull(int i) { return check(sqlite3_bind_null(s_, i)); }
  Stmt& bindBlob(int i, std::string_view v) {
    return check(
        sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  template <class T>
  Stmt& bind(int i, const std::optional<T>& v) {
    if (v) return bind(i, *v);
    return bindNull(i);
  }

  // Steps once. true: a row is ready; false: done. Errors become Error.
  Result<bool> step();
  // Steps to completion, for statements without rows.
  Result<void> run();

  std::int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }
  double f64(int col) const { return sqlite3_column_double(s_, col); }
  bool isNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::string str(int col) const {
    const auto* t = sqlite3_column_text(s_, col);
    return t ? std::string(reinterpret_cast<const char*>(t),
                           static_cast<size_t>(sqlite3_column_bytes(s_, col)))
             : std::string();
  }
  std::optional<std::string> optStr(int col) const {
    if (isNull(col)) return std::nullopt;
    return str(col);
  }
  std::string blob(int col) const {
    const void* b = sqlite3_column_blob(s_, col);
    return b ? std::string(static_cast<const char*>(b),
                           static_cast<size_t>(sqlite3_column_bytes(s_, col)))
             : std::string();
  }

 private:
  Stmt& check(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
    return *this;
  }
  sqlite3_stmt* s_;
  int bind_rc_ = SQLITE_OK;
};

Error sqliteError(sqlite3* db, std::string_view what);
// Marks that a write failed for want of space (Store::storageFull); called by
// sqliteError on SQLITE_FULL.
void noteStorageFull();

}  // namespace kansli::store

namespace kansli::store {

using StmtCache = std::map<const char*, std::unique_ptr<sqlite3_stmt, StmtFinalizer>>;

// A transaction on one connection (the writer's or a reader's). One SqliteTx
// lives as long as its connection and serves each transaction on it in turn.
// Statements are prepared once per connection and cached by their SQL text's
// address, so the repositories pass string literals.
class SqliteTx final : public Tx {
 public:
  SqliteTx(sqlite3* db, StmtCache* cache, bool writable);
  ~SqliteTx() override;
  SqliteTx(const SqliteTx&) = delete;
  SqliteTx& operator=(const SqliteTx&) = delete;

  sqlite3* db() const { return db_; }
  bool writable() const override { return writable_; }
  // Prepares (or reuses) `sql`, which must be a string literal.
  Result<Stmt> prepare(const char* sql);
  // Runs SQL without parameters or rows (DDL, pragmas).
  Result<void> exec(const char* sql);
  std::int64_t lastInsertId() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }

  // The case search indexes (FTS5), the one pair whose rows are written
  // through the writer's queue below.
  enum class SearchTable { kCase = 0, kPublic = 1 };
  // A search index row: delete the row `rowid` first (unless !replace: a row
  // that cannot exist yet), then insert it with `values` (subject, senders,
  // documents) after the rowid.
  //
  // Why rows are not written where the jobs write them (issue #20): FTS5
  // moves its pending terms into a new index segment at every SAVEPOINT,
  // RELEASE and COMMIT, and merges segments in work that grows with the
  // index, so a few rows per transaction cost far more per row than
  // thousands. While the writer runs a batch (deferFts(true)) a row is only
  // recorded here, and a job rolled back takes its rows with it
  // (dropFtsSince). After the batch's last job the writer stores them in the
  // table search_pending, in the batch's transaction (queueFts): durable
  // with the case, cheap to write. Every few thousand rows, when the writer
  // has been idle a moment, when a search asks for it
  // (Store::awaitSearchIndex), and when a store is opened, the queued rows
  // go into the indexes at once, in the order they were queued, the last
  // one per table and rowid (indexQueued), in a transaction of their own
  // after the batch's writers have been answered. No write job reads a
  // search index.
  Result<void> writeFts(SearchTable table, bool replace, std::int64_t rowid,
                        std::vector<std::string> values);
  void deferFts(bool on) { defer_fts_ = on; }
  std::size_t ftsMark() const { return pending_fts_.size(); }
  void dropFtsSince(std::size_t mark) { pending_fts_.resize(std::min(mark, pending_fts_.size())); }
  // Stores the recorded rows in search_pending (and forgets them, stored or
  // not); the number of rows stored.
  Result<std::int64_t> queueFts();
  // Writes every row of search_pending into its index and empties it.
  Result<void> indexQueued();

  AuditRepo& audit() override { return *audit_; }
  AccountsRepo& accounts() override { return *accounts_; }
  DiariumRepo& diarium() override { return *diarium_; }
  CaseworkRepo& casework() override { return *casework_; }
  MeetingsRepo& meetings() override { return *meetings_; }
  MailRepo& mail() override { return *mail_; }

 private:
  sqlite3* db_;
  StmtCache* cache_;
  bool writable_;
  struct PendingFts {
    SearchTable table;
    bool replace;
    std::int64_t rowid;
    std::vector<std::string> values;
  };
  bool defer_fts_ = false;
  std::vector<PendingFts> pending_fts_;
  Result<void> applyFts(const PendingFts& row);
  std::unique_ptr<AuditRepo> audit_;
  std::unique_ptr<AccountsRepo> accounts_;
  std::unique_ptr<DiariumRepo> diarium_;
  std::unique_ptr<CaseworkRepo> casework_;
  std::unique_ptr<MeetingsRepo> meetings_;
  std::unique_ptr<MailRepo> mail_;
};

// The SQLite repositories, one file each (<concept>_sql.cpp).
std::unique_ptr<AuditRepo> makeAuditRepo(SqliteTx& tx);
std::unique_ptr<AccountsRepo> makeAccountsRepo(SqliteTx& tx);
std::unique_ptr<DiariumRepo> makeDiariumRepo(SqliteTx& tx);
std::unique_ptr<CaseworkRepo> makeCaseworkRepo(SqliteTx& tx);
std::unique_ptr<MeetingsRepo> makeMeetingsRepo(SqliteTx& tx);
std::unique_ptr<MailRepo> makeMailRepo(SqliteTx& tx);

// The FTS5 MATCH expression for searched words: each word quoted (so FTS5
// operators and punctuation are just text), a prefix word followed by *.
std::string ftsMatch(const SearchWords& words);

}  // namespace kansli::store
