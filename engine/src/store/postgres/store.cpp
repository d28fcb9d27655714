// The PostgreSQL backend: several service nodes on one database.
//
// Writes. Each node has ONE writer connection driven by one thread, with the
// SQLite store's group commit: the writer takes every job that is waiting,
// runs them in one transaction, each in its own SAVEPOINT, and commits once
// (one WAL flush for the batch). The first statement of every batch locks
// the audit chain's tip row (audit_chain_tip, FOR UPDATE). Every write
// appends to the one audit chain, so writes could never run side by side
// anyway; taking the lock first means that, across all nodes, one batch
// runs after the other and each statement of a batch (READ COMMITTED: a
// fresh snapshot per statement) sees everything the batches before it
// committed. The engine's reasoning "read, check, write" (If-Match, the
// next dnr, the next document number, lockout counters) therefore holds on
// every node exactly as under SQLite's single writer, with no serialization
// failures to retry. What grows with nodes is reads; writes are one sequence,
// made cheap by batching (docs/deployment.md says what scales).
//
// Reads run on a pool of connections, each in a REPEATABLE READ READ ONLY
// transaction: one snapshot for the whole callback.
//
// A lost connection (the server restarted, the network broke) fails what was
// running on it with kUnavailable (503); the connection is made again the
// next time it is needed (a connection found dead before anything ran on it
// is made again at once, so the first request after a restart succeeds). An
// outcome that cannot be known (the connection broke during COMMIT) is
// answered 503 too: the client may retry, and docs/deployment.md says so.
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "store/backends.h"
#include "store/postgres/pg.h"
#include "store/sqlite/migrations.h"

extern char** environ;

namespace kansli::store {
namespace {

struct WriteJob {
  std::function<bool(Tx&)> run;
  std::function<void(const Error*)> done;
  std::optional<Error> failed;
};

// The URL without a password, for messages and /health.
std::string redact(const std::string& url) {
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + url.substr(at);
}

// One value of a query without parameters.
Result<std::optional<std::string>> queryValue(PgTx& tx, const char* sql) {
  PgResultPtr r(PQexec(tx.conn(), sql));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
    return std::unexpected(pgError(tx.conn(), r.get(), sql));
  }
  if (PQntuples(r.get()) == 0 || PQgetisnull(r.get(), 0, 0)) return std::optional<std::string>{};
  return std::optional<std::string>{PQgetvalue(r.get(), 0, 0)};
}

}  // namespace

// The migrations as PostgreSQL runs them: for each number, the variant in
// store/postgres/migrations/ where the SQL differs, else the SQLite file.
Result<std::vector<Migration>> postgresMigrations() {
  std::vector<Migration> out;
  for (const auto& m : migrations()) {
    Migration chosen = m;
    for (const auto& v : postgresMigrationVariants()) {
      if (v.number == m.number) chosen = v;
    }
    out.push_back(chosen);
  }
  for (const auto& v : postgresMigrationVariants()) {
    bool known = std::any_of(out.begin(), out.end(),
                             [&](const Migration& m) { return m.number == v.number; });
    if (!known) {
      return std::unexpected(Error::internal(
          "PostgreSQL-migreringen " + std::to_string(v.number) + " (" + v.name +
          ") har ingen SQLite-migrering med samma nummer"));
    }
  }
  return out;
}

class PgBackend final : public Store::Backend {
 public:
  ~PgBackend() override;
  void submitWrite(std::function<bool(Tx&)> run, std::function<void(const Error*)> done) override;
  Result<void> runRead(const std::function<void(Tx&)>& fn) override;
  int schemaVersion() const override { return schema_version; }
  std::int64_t sizeBytes() const override;
  const std::string& path() const override { return shown_url; }
  Result<void> backupTo(const std::string& to) override;
  bool storageFull() const override { return pgStorageFull(); }

  Options options;
  std::string shown_url;
  int schema_version = 0;

  std::unique_ptr<PgTx> writer;
  std::thread writer_thread;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<WriteJob> queue;
  bool stopping = false;

  mutable std::mutex readers_mu;
  mutable std::condition_variable readers_cv;
  mutable std::vector<std::unique_ptr<PgTx>> idle_readers;

  // Begins a transaction with `begin`; a connection found dead (the server
  // restarted since it was last used) is made again and tried once more.
  Result<void> beginOn(PgTx& tx, const char* begin) const {
    if (!tx.connected()) KANSLI_TRY(tx.connect(options.url));
    auto r = tx.exec(begin);
    if (r || tx.connected()) return r;
    KANSLI_TRY(tx.connect(options.url));
    return tx.exec(begin);
  }

  void writerLoop() {
    std::vector<WriteJob> batch;
    while (true) {
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return stopping || !queue.empty(); });
        if (queue.empty() && stopping) return;
        while (!queue.empty() && batch.size() < 512) {
          batch.push_back(std::move(queue.front()));
          queue.pop_front();
        }
      }
      commitBatch(batch);
      batch.clear();
    }
  }

  void commitBatch(std::vector<WriteJob>& batch) {
    auto fail = [&](const Error& e) {
      if (!writer->connected()) writer->disconnect();
      for (auto& j : batch) j.done(&e);
    };
    // The tip row's lock is the cluster's one writer: held to COMMIT.
    auto begun = beginOn(*writer,
                         "BEGIN; SELECT seq FROM audit_chain_tip WHERE id = 1 FOR UPDATE");
    if (!begun) {
      (void)writer->exec("ROLLBACK");
      fail(begun.error());
      return;
    }
    for (auto& job : batch) {
      if (!runJob(job)) {
        Error e = *job.failed;
        (void)writer->exec("ROLLBACK");
        fail(e);
        return;
      }
    }
    auto committed = writer->exec("COMMIT");
    if (!committed) {
      (void)writer->exec("ROLLBACK");
      fail(committed.error());
      return;
    }
    pgStorageWritten();
    for (auto& j : batch) j.done(j.failed ? &*j.failed : nullptr);
  }

  // As the SQLite writer's: the job in its own savepoint, rolled back alone
  // when it fails or throws. A job that reports success from a transaction
  // the server has aborted (a statement failed and the job went on) is
  // rolled back too: committing would silently undo the whole batch.
  bool runJob(WriteJob& job) {
    auto sp = writer->exec("SAVEPOINT job");
    if (!sp) {
      job.failed = sp.error();
      return false;
    }
    bool keep = false;
    try {
      keep = job.run(*writer);
    } catch (const std::exception& e) {
      job.failed = Error::internal(std::string("skrivningen avbröts: ") + e.what());
    } catch (...) {
      job.failed = Error::internal("skrivningen avbröts");
    }
    if (!writer->connected()) {
      job.failed = pgError(writer->conn(), nullptr, "skrivningen");
      return false;
    }
    if (keep && PQtransactionStatus(writer->conn()) == PQTRANS_INERROR) {
      keep = false;
      job.failed = Error::internal("en sats i skrivningen misslyckades");
    }
    if (!keep) {
      auto rb = writer->exec("ROLLBACK TO SAVEPOINT job");
      if (!rb) {
        job.failed = rb.error();
        return false;
      }
    }
    auto rel = writer->exec("RELEASE SAVEPOINT job");
    if (!rel) {
      job.failed = rel.error();
      return false;
    }
    return true;
  }

  std::unique_ptr<PgTx> acquireReader() const {
    std::unique_lock lock(readers_mu);
    readers_cv.wait(lock, [&] { return !idle_readers.empty(); });
    auto c = std::move(idle_readers.back());
    idle_readers.pop_back();
    return c;
  }
  void releaseReader(std::unique_ptr<PgTx> c) const {
    if (!c->connected()) c->disconnect();
    {
      std::lock_guard lock(readers_mu);
      idle_readers.push_back(std::move(c));
    }
    readers_cv.notify_one();
  }

  // Applies the pending migrations in one transaction, under an advisory
  // lock so that nodes starting together migrate once.
  Result<int> migrate() {
    PgTx& tx = *writer;
    KANSLI_ASSIGN_OR_RETURN(auto encoding, queryValue(tx, "SHOW server_encoding"));
    if (encoding.value_or("") != "UTF8") {
      return std::unexpected(Error::internal("databasen " + shown_url +
                                             " måste ha teckenkodningen UTF8 (har " +
                                             encoding.value_or("?") + ")"));
    }
    KANSLI_ASSIGN_OR_RETURN(auto all, postgresMigrations());
    int latest = Store::latestSchemaVersion();
    KANSLI_TRY(tx.exec("BEGIN; SELECT pg_advisory_xact_lock(4714371500)"));
    auto fail = [&](Error e) -> Result<int> {
      (void)tx.exec("ROLLBACK");
      return std::unexpected(std::move(e));
    };
    auto exists = queryValue(tx, "SELECT to_regclass('kansli_schema') IS NOT NULL");
    if (!exists) return fail(exists.error());
    if (exists->value_or("f") != "t") {
      if (!options.create) {
        return fail(Error::notFound("det finns ingen Kansli-databas i " + shown_url +
                                    " (starta kansli serve mot den först, eller kör "
                                    "kansli migrate-store)"));
      }
      auto made = tx.exec(
          "CREATE TABLE kansli_schema (version integer NOT NULL);"
          "INSERT INTO kansli_schema(version) VALUES (0)");
      if (!made) return fail(made.error());
    }
    auto v = queryValue(tx, "SELECT version FROM kansli_schema");
    if (!v) return fail(v.error());
    int version = std::atoi(v->value_or("0").c_str());
    if (version > latest) {
      return fail(Error::conflict("databasen " + shown_url + " har schemaversion " +
                                  std::to_string(version) +
                                  " men det här programmet känner bara till version " +
                                  std::to_string(latest) + "; uppgradera Kansli"));
    }
    for (const auto& m : all) {
      if (m.number <= version) continue;
      auto ran = tx.exec(m.sql);
      if (!ran) {
        return fail(Error::internal("migrering " + std::to_string(m.number) + " (" + m.name +
                                    ") misslyckades: " + ran.error().message));
      }
      auto set = tx.exec("UPDATE kansli_schema SET version = " + std::to_string(m.number));
      if (!set) return fail(set.error());
    }
    KANSLI_TRY(tx.exec("COMMIT"));
    return latest;
  }
};

PgBackend::~PgBackend() {
  {
    std::lock_guard lock(mu);
    stopping = true;
  }
  cv.notify_all();
  if (writer_thread.joinable()) writer_thread.join();
  idle_readers.clear();
  writer.reset();
}

void PgBackend::submitWrite(std::function<bool(Tx&)> run, std::function<void(const Error*)> done) {
  {
    std::lock_guard lock(mu);
    if (!stopping) {
      queue.push_back({std::move(run), std::move(done), std::nullopt});
      cv.notify_one();
      return;
    }
  }
  Error e = Error::internal("tjänsten stängs");
  done(&e);
}

Result<void> PgBackend::runRead(const std::function<void(Tx&)>& fn) {
  auto c = acquireReader();
  auto begun = beginOn(*c, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  if (!begun) {
    releaseReader(std::move(c));
    return std::unexpected(begun.error());
  }
  try {
    fn(*c);
  } catch (...) {
    (void)c->exec("ROLLBACK");
    releaseReader(std::move(c));
    throw;
  }
  (void)c->exec("ROLLBACK");  // read only: nothing to keep
  releaseReader(std::move(c));
  return {};
}

std::int64_t PgBackend::sizeBytes() const {
  auto c = acquireReader();
  std::int64_t size = 0;
  if (beginOn(*c, "BEGIN")) {
    auto v = queryValue(*c, "SELECT pg_database_size(current_database())");
    if (v && *v) size = std::atoll((*v)->c_str());
    (void)c->exec("ROLLBACK");
  }
  releaseReader(std::move(c));
  return size;
}

Result<void> PgBackend::backupTo(const std::string& to) {
  // pg_dump takes one snapshot of the whole database while the nodes go on
  // writing: what `kansli backup` promises. Its custom format is restored
  // with pg_restore (docs/deployment.md).
  std::vector<std::string> args = {"pg_dump", "--format=custom", "--no-owner",
                                   "--file=" + to, "--dbname=" + options.url};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, "pg_dump", nullptr, nullptr, argv.data(), environ) != 0) {
    return std::unexpected(
        Error::internal("kan inte starta pg_dump (installera postgresql-client-15)"));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return std::unexpected(Error::internal("pg_dump misslyckades (se dess meddelande ovan)"));
  }
  return {};
}

Result<std::unique_ptr<Store::Backend>> openPostgresBackend(const Options& options) {
  auto impl = std::make_unique<PgBackend>();
  impl->options = options;
  impl->shown_url = redact(options.url);
  impl->writer = std::make_unique<PgTx>(true);
  auto connected = impl->writer->connect(options.url);
  if (!connected) {
    return std::unexpected(Error{ErrorCode::kUnavailable,
                                 "kan inte ansluta till " + impl->shown_url + ": " +
                                     connected.error().message,
                                 {},
                                 {}});
  }
  KANSLI_ASSIGN_OR_RETURN(impl->schema_version, impl->migrate());
  for (int i = 0; i < std::max(1, options.readers); ++i) {
    auto r = std::make_unique<PgTx>(false);
    KANSLI_TRY(r->connect(options.url));
    impl->idle_readers.push_back(std::move(r));
  }
  PgBackend* p = impl.get();
  impl->writer_thread = std::thread([p] { p->writerLoop(); });
  return std::unique_ptr<Store::Backend>(std::move(impl));
}

}  // namespace kansli::store
