#include "store/store.h"

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <thread>
#include <vector>

#include "kansli/mutex.h"
#include "store/accounts_repo.h"
#include "store/audit_repo.h"
#include "store/casework_repo.h"
#include "store/diarium_repo.h"
#include "store/mail_repo.h"
#include "store/meetings_repo.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite.h"
#include "store/sqlite/wal_gather.h"
#include "store/backends.h"

namespace kansli::store {

Error sqliteError(sqlite3* db, std::string_view what) {
  int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "sqlite");
  if ((code & 0xff) == SQLITE_CONSTRAINT) return Error::conflict(msg);
  if ((code & 0xff) == SQLITE_FULL) {
    noteStorageFull();
    return Error{ErrorCode::kInsufficientStorage,
                 "lagringsutrymmet är slut; ingenting sparades (" + msg + ")", {}, {}};
  }
  return Error::internal(msg);
}

namespace {
// Disk-full errors are seen where a statement fails, deep in a repository;
// the backend clears the mark when a batch that changed something commits.
std::atomic<bool> g_storage_full{false};
std::atomic<std::uint64_t> g_storage_full_count{0};  // disk-full errors seen
}  // namespace

void noteStorageFull() {
  g_storage_full.store(true);
  ++g_storage_full_count;
}

Result<bool> Stmt::step() {
  if (bind_rc_ != SQLITE_OK) {
    return std::unexpected(Error::internal(std::string("bind: ") + sqlite3_errstr(bind_rc_) +
                                           ": " + sqlite3_sql(s_)));
  }
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return std::unexpected(sqliteError(sqlite3_db_handle(s_), sqlite3_sql(s_)));
}

Result<void> Stmt::run() {
  while (true) {
    KANSLI_ASSIGN_OR_RETURN(auto r, step());
    if (!r) return {};
  }
}

SqliteTx::SqliteTx(sqlite3* db, StmtCache* cache, bool writable)
    : db_(db),
      cache_(cache),
      writable_(writable),
      audit_(makeAuditRepo(*this)),
      accounts_(makeAccountsRepo(*this)),
      diarium_(makeDiariumRepo(*this)),
      casework_(makeCaseworkRepo(*this)),
      meetings_(makeMeetingsRepo(*this)),
      mail_(makeMailRepo(*this)) {}

SqliteTx::~SqliteTx() = default;

Result<Stmt> SqliteTx::prepare(const char* sql) {
  auto it = cache_->find(sql);
  if (it == cache_->end()) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
      return std::unexpected(sqliteError(db_, "prepare"));
    }
    it = cache_->emplace(sql, std::unique_ptr<sqlite3_stmt, StmtFinalizer>(s)).first;
  }
  return Stmt(it->second.get());
}

namespace {

// The statements of each SqliteTx::SearchTable, by its number (which is
// what search_pending.tbl holds).
struct SearchTableSql {
  const char* delete_row;
  const char* insert_row;
};
constexpr SearchTableSql kSearchTableSql[] = {
    {"DELETE FROM case_search WHERE rowid = ?",
     "INSERT INTO case_search(rowid, subject, senders, documents) VALUES(?,?,?,?)"},
    {"DELETE FROM public_search WHERE rowid = ?",
     "INSERT INTO public_search(rowid, subject, senders, documents) VALUES(?,?,?,?)"},
};

// Which rows a later row of the same table and rowid replaces: only the
// last one per row counts, as if each had been applied in turn.
template <class Row>
std::vector<bool> supersededRows(const std::vector<Row>& rows) {
  std::set<std::pair<int, std::int64_t>> later;
  std::vector<bool> superseded(rows.size(), false);
  for (std::size_t i = rows.size(); i-- > 0;) {
    superseded[i] = !later.emplace(static_cast<int>(rows[i].table), rows[i].rowid).second;
  }
  return superseded;
}

}  // namespace

Result<void> SqliteTx::applyFts(const PendingFts& row) {
  const SearchTableSql& sql = kSearchTableSql[static_cast<int>(row.table)];
  if (row.replace) {
    auto del = prepare(sql.delete_row);
    if (!del) return std::unexpected(del.error());
    del->bind(1, row.rowid);
    KANSLI_TRY(del->run());
  }
  auto ins = prepare(sql.insert_row);
  if (!ins) return std::unexpected(ins.error());
  ins->bind(1, row.rowid);
  for (std::size_t i = 0; i < row.values.size(); ++i) ins->bind(static_cast<int>(i) + 2, row.values[i]);
  return ins->run();
}

Result<void> SqliteTx::writeFts(SearchTable table, bool replace, std::int64_t rowid,
                                std::vector<std::string> values) {
  PendingFts row{table, replace, rowid, std::move(values)};
  if (!defer_fts_) return applyFts(row);
  pending_fts_.push_back(std::move(row));
  return {};
}

Result<std::int64_t> SqliteTx::queueFts() {
  std::vector<PendingFts> rows;
  rows.swap(pending_fts_);
  // A row written twice in the batch (a case registered, then given a
  // document) is queued once, as it was last written.
  const std::vector<bool> superseded = supersededRows(rows);
  std::int64_t queued = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (superseded[i]) continue;
    const PendingFts& r = rows[i];
    KANSLI_ASSIGN_OR_RETURN(auto ins, prepare(
        "INSERT INTO search_pending(tbl, row_id, replace_row, subject, senders, documents)"
        " VALUES(?,?,?,?,?,?)"));
    ins.bind(1, static_cast<std::int64_t>(r.table)).bind(2, r.rowid);
    ins.bind(3, static_cast<std::int64_t>(r.replace ? 1 : 0));
    for (std::size_t v = 0; v < 3; ++v) {
      ins.bind(static_cast<int>(v) + 4, v < r.values.size() ? r.values[v] : std::string());
    }
    KANSLI_TRY(ins.run());
    ++queued;
  }
  return queued;
}

Result<void> SqliteTx::indexQueued() {
  std::vector<PendingFts> rows;
  {
    KANSLI_ASSIGN_OR_RETURN(auto s, prepare(
        "SELECT tbl, row_id, replace_row, subject, senders, documents FROM search_pending"
        " ORDER BY seq"));
    while (true) {
      KANSLI_ASSIGN_OR_RETURN(auto more, s.step());
      if (!more) break;
      const std::int64_t tbl = s.i64(0);
      if (tbl < 0 || tbl >= static_cast<std::int64_t>(std::size(kSearchTableSql))) {
        return std::unexpected(Error::internal("search_pending: okänt sökindex " +
                                               std::to_string(tbl)));
      }
      rows.push_back({static_cast<SearchTable>(tbl), s.i64(2) != 0, s.i64(1),
                      {s.str(3), s.str(4), s.str(5)}});
    }
  }
  if (rows.empty()) return {};
  // The last row per table and rowid is what the case says now. When it is
  // a new case's row, no earlier row of that case was ever indexed either
  // (they are all in this queue), so nothing is looked up to be removed.
  const std::vector<bool> superseded = supersededRows(rows);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!superseded[i]) KANSLI_TRY(applyFts(rows[i]));
  }
  return exec("DELETE FROM search_pending");
}

Result<void> SqliteTx::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "exec";
    sqlite3_free(err);
    return std::unexpected(Error::internal(m));
  }
  return {};
}

namespace {

struct Connection {
  DbPtr db;
  StmtCache cache;
  std::unique_ptr<SqliteTx> tx;  // the repositories over this connection
  ~Connection() {
    tx.reset();
    cache.clear();  // statements before the handle
  }
};

Result<std::unique_ptr<Connection>> openConnection(const Options& o, bool writer) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= writer ? (SQLITE_OPEN_READWRITE | (o.create ? SQLITE_OPEN_CREATE : 0))
                  : SQLITE_OPEN_READONLY;
  // The writer gathers its WAL writes (wal_gather.h); that needs the
  // synchronous=FULL it is given below before anything is written.
  int rc = sqlite3_open_v2(o.path.c_str(), &raw, flags, writer ? gatheringWalVfs() : nullptr);
  auto c = std::make_unique<Connection>();
  c->db.reset(raw);
  if (rc != SQLITE_OK) {
    return std::unexpected(Error::internal("kan inte öppna databasen " + o.path + ": " +
                                           (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc))));
  }
  sqlite3_busy_timeout(raw, o.busy_timeout_ms);
  sqlite3_extended_result_codes(raw, 1);
  // wal_autocheckpoint: the writer copies the WAL into the database file
  // (and syncs both) after the commit that takes the WAL past 4,000 pages,
  // not SQLite's default 1,000. A page written again between two
  // checkpoints is copied once, so checkpoints cost less in all: 5 % more
  // registrations/s (issue #20). Not more: every page lookup searches the
  // WAL index's hash tables, one per 4,096 frames, and at 16,000 pages
  // registrations were no faster than at 4,000. The WAL file stays under
  // about 17 MB.
  // No temp_store=MEMORY: with it SQLite keeps every write job's savepoint
  // journal in 1 KB pieces, about a hundred malloc/free pairs per
  // registration; see SQLITE_CONFIG_STMTJRNL_SPILL in configureSqlite.
  const char* pragmas = writer ? "PRAGMA journal_mode=WAL;"
                                 "PRAGMA wal_autocheckpoint=4000;"
                                 "PRAGMA synchronous=FULL;"
                                 "PRAGMA foreign_keys=ON;"
                                 "PRAGMA cache_size=-16000;"
                               : "PRAGMA foreign_keys=ON;"
                                 "PRAGMA query_only=ON;"
                                 "PRAGMA cache_size=-16000;";
  char* err = nullptr;
  if (sqlite3_exec(raw, pragmas, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "pragma";
    sqlite3_free(err);
    return std::unexpected(Error::internal("kan inte använda databasen " + o.path + ": " + m));
  }
  c->tx = std::make_unique<SqliteTx>(raw, &c->cache, writer);
  return c;
}

// A statement without parameters or rows (BEGIN, SAVEPOINT, COMMIT...) from
// the connection's statement cache: sqlite3_exec parses its SQL again every
// time, and these run for every read and every write job (issue #20).
// SQLite's result code: SQLITE_OK when it ran, else the error, with the
// connection's error message set as sqlite3_exec leaves it.
int execCached(Connection& c, const char* sql) {
  auto it = c.cache.find(sql);
  if (it == c.cache.end()) {
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v3(c.db.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr);
    if (rc != SQLITE_OK) return rc;
    it = c.cache.emplace(sql, std::unique_ptr<sqlite3_stmt, StmtFinalizer>(s)).first;
  }
  sqlite3_stmt* s = it->second.get();
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

// Moves every queued search row into the indexes, in a transaction of its
// own on the writer connection `c`.
Result<void> indexQueue(Connection& c) {
  if (execCached(c, "BEGIN IMMEDIATE") != SQLITE_OK) return std::unexpected(sqliteError(c.db.get(), "BEGIN"));
  auto indexed = c.tx->indexQueued();
  if (indexed && execCached(c, "COMMIT") == SQLITE_OK) return {};
  Error e = indexed ? sqliteError(c.db.get(), "COMMIT") : indexed.error();
  sqlite3_exec(c.db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  return std::unexpected(std::move(e));
}

// Whether search rows wait in the queue (any process's).
bool searchRowsQueued(Connection& c) {
  auto s = c.tx->prepare("SELECT EXISTS (SELECT 1 FROM search_pending)");
  if (!s) return true;  // let the indexing tell what is wrong
  auto row = s->step();
  return !row || !*row || s->i64(0) != 0;
}

struct WriteJob {
  std::function<bool(Tx&)> run;
  std::function<void(const Error*)> done;
  std::optional<Error> failed;  // the job threw, or its savepoint broke
  bool index_search = false;    // the batch indexes the queued search rows
};

// When the queued search rows go into the indexes (SqliteTx::indexQueued):
// at this many rows (two per case: the full and the public index), or when
// the writer has had nothing to do for kIndexWhenIdle. The indexing keeps
// the writer busy once per 2,000 registrations, so the batches queued
// behind it wait (bench/README, session 6: with the indexing still inside
// a batch's commit, a registration took 1.7 ms at the median, 52 ms at p99
// and 73 ms at most, 16 clients at 100,000 cases). Registrations/s rose by
// about half against indexing each batch's rows in its own commit.
constexpr std::int64_t kIndexQueuedRows = 4096;
constexpr auto kIndexWhenIdle = std::chrono::milliseconds(200);
constexpr auto kIndexRetryAfter = std::chrono::seconds(5);

}  // namespace

// The SQLite backend: one writer connection driven by one thread (group
// commit), and a pool of read-only connections.
class SqliteBackend final : public Store::Backend {
 public:
  ~SqliteBackend() override;
  void submitWrite(std::function<bool(Tx&)> run, std::function<void(const Error*)> done) override;
  void submitWrite(std::function<bool(Tx&)> run, std::function<void(const Error*)> done,
                   bool index_search);
  Result<void> runRead(const std::function<void(Tx&)>& fn) override;
  int schemaVersion() const override { return schema_version; }
  std::int64_t sizeBytes() const override;
  const std::string& path() const override { return options.path; }
  Result<void> backupTo(const std::string& to) override;
  bool storageFull() const override { return g_storage_full.load(); }
  Result<void> awaitSearchIndex() override;

  Options options;
  std::unique_ptr<Connection> writer;
  std::thread writer_thread;
  Mutex mu;
  std::condition_variable cv;
  std::deque<WriteJob> queue KANSLI_GUARDED_BY(mu);
  bool stopping KANSLI_GUARDED_BY(mu) = false;
  // Rows in search_pending that this store queued and has not indexed yet.
  // Written by the writer thread after a commit and before its callers are
  // told, so a search that starts after a write was answered sees it.
  std::atomic<std::int64_t> search_queued{0};
  // After indexing failed, the writer does not try again on its own (idle,
  // or many rows queued) before this; a search still asks at once.
  std::chrono::steady_clock::time_point index_retry_at{};  // the writer thread's

  Mutex readers_mu;
  std::condition_variable readers_cv;
  std::vector<std::unique_ptr<Connection>> idle_readers KANSLI_GUARDED_BY(readers_mu);
  int schema_version = 0;

  void writerLoop() {
    std::vector<WriteJob> batch;
    bool indexed_at_close = false;
    while (true) {
      bool index_now = false;
      {
        MutexLock lock(mu);
        while (!stopping && queue.empty()) {
          if (search_queued.load() == 0) {
            lock.wait(cv);
          } else if (!lock.waitFor(cv, kIndexWhenIdle) && queue.empty() &&
                     std::chrono::steady_clock::now() >= index_retry_at) {
            index_now = true;  // idle: the queued search rows go in now
            break;
          }
        }
        if (queue.empty() && stopping) {
          // Closing: leave the indexes complete, trying once (what is left,
          // like what a crash leaves, is indexed when the store opens again).
          if (search_queued.load() == 0 || indexed_at_close) return;
          indexed_at_close = true;
          index_now = true;
        }
        // Take everything that is waiting: one transaction, one fsync.
        while (!queue.empty() && batch.size() < 512) {
          batch.push_back(std::move(queue.front()));
          queue.pop_front();
        }
      }
      commitBatch(batch, index_now);
      batch.clear();
    }
  }

  // Indexes the queued search rows in a transaction of its own; after a
  // failure the writer waits kIndexRetryAfter before it tries on its own.
  std::optional<Error> indexNow() {
    auto indexed = indexQueue(*writer);
    if (indexed) {
      search_queued.store(0);
      return std::nullopt;
    }
    index_retry_at = std::chrono::steady_clock::now() + kIndexRetryAfter;
    return indexed.error();
  }

  void commitBatch(std::vector<WriteJob>& batch, bool index_now) {
    if (batch.empty()) {  // idle or closing: only the indexing
      if (index_now) (void)indexNow();
      return;
    }
    sqlite3* db = writer->db.get();
    auto fail = [&](const Error& e) {
      for (auto& j : batch) j.done(&e);
    };
    if (execCached(*writer, "BEGIN IMMEDIATE") != SQLITE_OK) {
      fail(sqliteError(db, "BEGIN"));
      return;
    }
    const auto changes_before = sqlite3_total_changes64(db);
    SqliteTx& tx = *writer->tx;
    tx.deferFts(true);  // the search index rows once per batch (SqliteTx::writeFts)
    for (auto& job : batch) {
      if (!runJob(tx, job)) {
        // A savepoint that cannot be taken, rolled back or released leaves
        // the transaction in a state nothing should be committed from.
        Error e = *job.failed;
        tx.dropFtsSince(0);
        tx.deferFts(false);
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        fail(e);
        return;
      }
    }
    auto queued = tx.queueFts();
    tx.deferFts(false);
    if (!queued) {
      // The queue must say what the tables say: nothing of the batch is kept.
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      fail(queued.error());
      return;
    }
    if (execCached(*writer, "COMMIT") != SQLITE_OK) {
      Error e = sqliteError(db, "COMMIT");
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      fail(e);
      return;
    }
    const std::int64_t waiting = search_queued.load() + *queued;
    search_queued.store(waiting);  // before anyone is told: see search_queued
    // Something was written: the disk has room again.
    if (sqlite3_total_changes64(db) != changes_before) g_storage_full.store(false);
    // The jobs are durable: their callers are answered before the indexing,
    // which is a transaction of its own, so a failure there (a full disk, a
    // damaged index) never refuses a write that was kept. Only a search
    // that asked for the indexing waits for it, and is told how it went.
    for (const auto& j : batch) index_now = index_now || j.index_search;
    for (auto& j : batch) {
      if (!j.index_search) j.done(j.failed ? &*j.failed : nullptr);
    }
    std::optional<Error> index_failed;
    if (index_now ||
        (waiting >= kIndexQueuedRows && std::chrono::steady_clock::now() >= index_retry_at)) {
      index_failed = indexNow();
    }
    for (auto& j : batch) {
      if (!j.index_search) continue;
      const Error* e = j.failed ? &*j.failed : index_failed ? &*index_failed : nullptr;
      j.done(e);
    }
  }

  // Runs one job in its own savepoint. A job that throws is rolled back and
  // its caller told (kInternal); the others go on. false when the savepoint
  // itself broke: then the batch cannot go on.
  bool runJob(SqliteTx& tx, WriteJob& job) {
    sqlite3* db = tx.db();
    if (execCached(*writer, "SAVEPOINT job") != SQLITE_OK) {
      job.failed = sqliteError(db, "SAVEPOINT");
      return false;
    }
    const std::size_t fts_mark = tx.ftsMark();
    bool keep = false;
    const std::uint64_t full_before = g_storage_full_count.load();
    try {
      keep = job.run(tx);
    } catch (const std::exception& e) {
      // A bug in a job must not take the batch down with it.
      job.failed = Error::internal(std::string("skrivningen avbröts: ") + e.what());
    } catch (...) {
      job.failed = Error::internal("skrivningen avbröts");
    }
    if (!keep && execCached(*writer, "ROLLBACK TO job") != SQLITE_OK) {
      // On a full disk SQLite rolls back the whole transaction itself (the
      // savepoint is gone with it): every job of the batch is told so.
      if (sqlite3_get_autocommit(db) && g_storage_full_count.load() != full_before) {
        job.failed = Error{ErrorCode::kInsufficientStorage,
                           "lagringsutrymmet är slut; ingenting sparades", {}, {}};
      } else {
        job.failed = sqliteError(db, "ROLLBACK TO");
      }
      return false;
    }
    if (!keep) tx.dropFtsSince(fts_mark);  // rolled back: its index rows too
    if (execCached(*writer, "RELEASE job") != SQLITE_OK) {
      job.failed = sqliteError(db, "RELEASE");
      return false;
    }
    return true;
  }

  std::unique_ptr<Connection> acquireReader() {
    MutexLock lock(readers_mu);
    while (idle_readers.empty()) lock.wait(readers_cv);
    auto c = std::move(idle_readers.back());
    idle_readers.pop_back();
    return c;
  }
  void releaseReader(std::unique_ptr<Connection> c) {
    {
      MutexLock lock(readers_mu);
      idle_readers.push_back(std::move(c));
    }
    readers_cv.notify_one();
  }
};

namespace {

Result<int> currentVersion(sqlite3* db) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr) != SQLITE_OK) {
    return std::unexpected(sqliteError(db, "user_version"));
  }
  int v = 0;
  if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int(s, 0);
  sqlite3_finalize(s);
  return v;
}

Result<int> migrate(sqlite3* db, const std::string& path) {
  KANSLI_ASSIGN_OR_RETURN(auto v, currentVersion(db));
  int latest = Store::latestSchemaVersion();
  if (v > latest) {
    return std::unexpected(Error::conflict(
        "databasen " + path + " har schemaversion " + std::to_string(v) +
        " men det här programmet känner bara till version " + std::to_string(latest) +
        "; uppgradera Kansli"));
  }
  for (const auto& m : migrations()) {
    if (m.number <= v) continue;
    std::string sql = std::string("BEGIN IMMEDIATE;") + m.sql + ";PRAGMA user_version=" +
                      std::to_string(m.number) + ";COMMIT;";
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      return std::unexpected(Error::internal("migrering " + std::to_string(m.number) + " (" +
                                             m.name + ") misslyckades: " + msg));
    }
  }
  return latest;
}

}  // namespace

namespace {

// 'KANS': set on every database this program creates, checked on every one
// it opens (0 is accepted too: databases made before it was set).
constexpr int kApplicationId = 0x4B414E53;

std::string restoreAdvice(const std::string& path) {
  return " Återställ från en säkerhetskopia: stoppa tjänsten, kopiera filen som "
         "`kansli backup --data-dir DIR --to FIL` skrev till " + path +
         " (ta bort " + path + "-wal och " + path + "-shm om de finns) och starta igen. "
         "Finns ingen säkerhetskopia: flytta undan filen och kör `sqlite3 " + path +
         " .recover` för att rädda det som går.";
}

// A file that is there must be a SQLite database: one left empty (a full
// disk, a failed copy) or of another kind would otherwise be taken as a new,
// empty Kansli database or fail later in a confusing way.
std::optional<Error> checkExistingFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error::internal("kan inte läsa databasen " + path + ": " + ec.message());
  if (size == 0) {
    return Error::internal("databasen " + path + " är tom (0 byte) och är ingen Kansli-databas; "
                           "den startas inte som en ny." + restoreAdvice(path));
  }
  std::ifstream in(path, std::ios::binary);
  char header[16] = {};
  in.read(header, sizeof header);
  if (in.gcount() < 16 || std::string_view(header, 16) != std::string_view("SQLite format 3\0", 16)) {
    return Error::internal("filen " + path + " är ingen SQLite-databas." + restoreAdvice(path));
  }
  return std::nullopt;
}

std::optional<Error> checkDatabase(sqlite3* db, const std::string& path) {
  auto single = [&](const char* sql, std::string& out) -> bool {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
      sqlite3_finalize(s);
      return false;
    }
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(s, 0);
      out = t ? reinterpret_cast<const char*>(t) : "";
    }
    sqlite3_finalize(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
  };
  std::string app, version, tables, check;
  if (!single("PRAGMA application_id", app) || !single("PRAGMA user_version", version) ||
      !single("SELECT count(*) FROM sqlite_master", tables)) {
    return Error::internal("databasen " + path + " kan inte läsas: " + sqlite3_errmsg(db) + "." +
                           restoreAdvice(path));
  }
  const bool fresh = version == "0" && tables == "0";
  if (app != "0" && app != std::to_string(kApplicationId)) {
    return Error::internal("databasen " + path + " hör till ett annat program (application_id " +
                           app + ")." + restoreAdvice(path));
  }
  if (version == "0" && tables != "0") {
    return Error::internal("databasen " + path + " har tabeller men är ingen Kansli-databas." +
                           restoreAdvice(path));
  }
  if (fresh) {
    std::string set = "PRAGMA application_id=" + std::to_string(kApplicationId);
    sqlite3_exec(db, set.c_str(), nullptr, nullptr, nullptr);
    return std::nullopt;
  }
  // Damaged pages are found now, not by the first request that reads them.
  if (!single("PRAGMA quick_check(1)", check) || check != "ok") {
    return Error::internal("databasen " + path + " är skadad (quick_check: " +
                           (check.empty() ? std::string(sqlite3_errmsg(db)) : check) + ")." +
                           restoreAdvice(path));
  }
  if (app == "0") {
    std::string set = "PRAGMA application_id=" + std::to_string(kApplicationId);
    sqlite3_exec(db, set.c_str(), nullptr, nullptr, nullptr);
  }
  return std::nullopt;
}

}  // namespace

void configureSqlite() {
  // SQLite keeps allocation statistics (sqlite3_memory_used and friends)
  // under one process-wide mutex, taken for every allocation of every
  // connection: about 5 % of the writer thread's time under registrations
  // (issue #20). Nothing here reads those statistics. sqlite3_config works
  // only before SQLite initialises; if something else has used SQLite first
  // it answers SQLITE_MISUSE and the statistics stay on, which is harmless.
  //
  // Every write job runs in a savepoint (group commit), and SQLite copies
  // each page the job changes into that savepoint's journal first, so the
  // job alone can be rolled back: about 22 pages (90 KB) for a registration.
  // The journal lives in memory in pieces of this size, and only a job that
  // changes more than this spills into a temporary file. SQLite's default,
  // 64 KB, is less than a registration; temp_store=MEMORY would keep it in 1 KB
  // pieces. 256 KB: one allocation per job, 11 % more registrations/s
  // (issue #20, bench/README session 7).
  //
  // Then the writer's VFS (wal_gather.h), which starts SQLite.
  static std::once_flag sqlite_configured;
  std::call_once(sqlite_configured, [] {
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 256 * 1024);
    (void)gatheringWalVfs();
  });
}

Result<std::unique_ptr<Store::Backend>> openSqliteBackend(const Options& options) {
  configureSqlite();
  auto impl = std::make_unique<SqliteBackend>();
  impl->options = options;
  if (auto refused = checkExistingFile(options.path)) return std::unexpected(*refused);
  KANSLI_ASSIGN_OR_RETURN(auto w, openConnection(options, true));
  impl->writer = std::move(w);
  if (auto refused = checkDatabase(impl->writer->db.get(), options.path)) {
    return std::unexpected(*refused);
  }
  KANSLI_ASSIGN_OR_RETURN(auto v, migrate(impl->writer->db.get(), options.path));
  impl->schema_version = v;
  // Search rows a process queued and did not index before it stopped (a
  // crash, a power cut) go into the indexes before anyone can search. The
  // write lock only when there are some: opening a database another process
  // serves (kansli backup, user add) should not wait for its writer. When it
  // fails, the store opens all the same and the first search tries again.
  if (searchRowsQueued(*impl->writer) && !indexQueue(*impl->writer)) impl->search_queued.store(1);
  for (int i = 0; i < std::max(1, options.readers); ++i) {
    KANSLI_ASSIGN_OR_RETURN(auto r, openConnection(options, false));
    MutexLock lock(impl->readers_mu);  // before the writer thread: no one else yet
    impl->idle_readers.push_back(std::move(r));
  }
  SqliteBackend* p = impl.get();
  impl->writer_thread = std::thread([p] { p->writerLoop(); });
  return std::unique_ptr<Store::Backend>(std::move(impl));
}

SqliteBackend::~SqliteBackend() {
  {
    MutexLock lock(mu);
    stopping = true;
  }
  cv.notify_all();
  if (writer_thread.joinable()) writer_thread.join();
  {
    MutexLock lock(readers_mu);
    idle_readers.clear();
  }
  // A clean close checkpoints the WAL into the main file.
  if (writer) {
    sqlite3_wal_checkpoint_v2(writer->db.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE,
                              nullptr, nullptr);
  }
  writer.reset();
}

Result<void> SqliteBackend::awaitSearchIndex() {
  if (search_queued.load() == 0) {
    // Rows another process queued (kansli import beside the server) are in
    // the table, not in this count: one read of the queue's first row.
    auto c = acquireReader();
    const bool queued = searchRowsQueued(*c);
    releaseReader(std::move(c));
    if (!queued) return {};
  }
  // A job that writes nothing, in a batch that indexes the queue: every row
  // queued before this call is in the indexes when it is answered.
  std::promise<std::optional<Error>> indexed;
  auto answer = indexed.get_future();
  submitWrite([](Tx&) { return true; },
              [&indexed](const Error* e) { indexed.set_value(e ? std::optional<Error>(*e) : std::nullopt); },
              /*index_search=*/true);
  if (auto e = answer.get()) return std::unexpected(*e);
  return {};
}

void SqliteBackend::submitWrite(std::function<bool(Tx&)> run, std::function<void(const Error*)> done) {
  submitWrite(std::move(run), std::move(done), false);
}

void SqliteBackend::submitWrite(std::function<bool(Tx&)> run, std::function<void(const Error*)> done,
                                bool index_search) {
  {
    MutexLock lock(mu);
    if (!stopping) {
      queue.push_back({std::move(run), std::move(done), std::nullopt, index_search});
      cv.notify_one();
      return;
    }
  }
  // Answered outside the lock: done() may take it again (a write of its own).
  Error e = Error::internal("tjänsten stängs");
  done(&e);
}

Result<void> SqliteBackend::runRead(const std::function<void(Tx&)>& fn) {
  auto c = acquireReader();
  execCached(*c, "BEGIN");
  try {
    fn(*c->tx);
  } catch (...) {
    execCached(*c, "ROLLBACK");
    releaseReader(std::move(c));
    throw;
  }
  execCached(*c, "COMMIT");
  releaseReader(std::move(c));
  return {};
}

std::int64_t SqliteBackend::sizeBytes() const {
  std::int64_t total = 0;
  struct stat st {};
  if (::stat(options.path.c_str(), &st) == 0) total += st.st_size;
  if (::stat((options.path + "-wal").c_str(), &st) == 0) total += st.st_size;
  return total;
}

Result<void> SqliteBackend::backupTo(const std::string& to) {
  sqlite3* dest_raw = nullptr;
  if (sqlite3_open_v2(to.c_str(), &dest_raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    DbPtr guard(dest_raw);
    return std::unexpected(Error::internal("kan inte skapa " + to));
  }
  DbPtr dest(dest_raw);
  auto c = acquireReader();
  sqlite3_backup* b = sqlite3_backup_init(dest.get(), "main", c->db.get(), "main");
  if (!b) {
    releaseReader(std::move(c));
    return std::unexpected(sqliteError(dest.get(), "backup"));
  }
  // One step copies a consistent snapshot: the reader's connection sees one
  // version of the WAL while the writer goes on.
  int rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  releaseReader(std::move(c));
  if (rc != SQLITE_DONE) return std::unexpected(sqliteError(dest.get(), "backup"));
  if (sqlite3_exec(dest.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) !=
      SQLITE_OK) {
    return std::unexpected(sqliteError(dest.get(), "backup"));
  }
  return {};
}

}  // namespace kansli::store
