// The store: where every durable fact lives.
//
// Store is the engine's only door to the database. Engine services hand it
// callbacks: write(fn) and read(fn) run fn with a Tx (store/tx.h), through
// which the repositories reach the data. All SQL lives below engine/src/store/;
// this header and the repository interfaces are dialect-neutral, and a
// Backend provides them for one database. SQLite is the embedded default
// (store/sqlite/), used the way servers use it: WAL, foreign keys on,
// synchronous=FULL, a busy timeout, ONE writer thread and a pool of read-only
// connections. PostgreSQL (store/postgres/, Options::url) is for several
// service nodes on one database: each node has one writer connection with
// the same group commit, and every write batch first locks the audit
// chain's tip, so writes from all nodes form one sequence (store/postgres/
// store.cpp tells why that is the right amount of concurrency).
//
// Writes: write(fn) queues fn for the writer and blocks until it is durable.
// The writer runs every job that is waiting in ONE transaction (group commit),
// each job in its own savepoint: a job whose Result is an error (or that
// throws) is rolled back alone and consumes nothing (no dnr number, no audit
// event). The caller gets its Result only after the commit has reached the
// disk, so an acknowledged write survives a crash of the process. A job that
// throws answers its caller kInternal; the others in its batch are unharmed.
//
// Reads: read(fn) runs fn on a pooled read connection inside one read
// transaction (a consistent snapshot). When no connection can be had (the
// PostgreSQL server is gone), fn is not run and read() answers kUnavailable;
// so fn must return a Result.
//
// A lost PostgreSQL connection is kUnavailable (503) for the requests that
// were using it; the next request connects again.
//
// Thread-safety: all public members may be called from any thread. A Tx must
// not escape the callback it was handed to. Engine-private: only the engine
// includes this header (the build keeps it out of api/).
#pragma once

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include "kansli/error.h"

namespace kansli::store {

class Tx;  // store/tx.h

struct Options {
  std::string path;               // the SQLite file
  // postgresql://USER@HOST:PORT/DB: the PostgreSQL store instead of `path`.
  std::string url = {};
  int readers = 4;                // read-only connections in the pool
  int busy_timeout_ms = 5000;
  bool create = true;             // create the file when missing
};

class Store {
 public:
  // What a database dialect provides: the writer with group commit, the
  // readers, and the file-level operations.
  class Backend {
   public:
    virtual ~Backend() = default;
    // run: executes the job inside its savepoint; returns false to roll it
    // back. done: called once, after the batch committed (nullptr) or with
    // the error for this job (the batch failed, or the job threw).
    virtual void submitWrite(std::function<bool(Tx&)> run,
                             std::function<void(const Error*)> done) = 0;
    // Runs fn in a read transaction; an error (and fn not run) when no
    // connection can be had.
    virtual Result<void> runRead(const std::function<void(Tx&)>& fn) = 0;
    virtual int schemaVersion() const = 0;
    virtual std::int64_t sizeBytes() const = 0;
    virtual const std::string& path() const = 0;
    virtual Result<void> backupTo(const std::string& to) = 0;
    // The last write failed because the disk (or the database's size limit)
    // was full, and no write has succeeded since.
    virtual bool storageFull() const = 0;
    // Returns once every search index row written before the call can be
    // found by a read that starts after it (see awaitSearchIndex below).
    virtual Result<void> awaitSearchIndex() { return {}; }
  };

  // Opens (and creates) the database (SQLite at options.path, or PostgreSQL
  // at options.url), applies pending migrations. Refuses a database whose
  // schema is newer than this program knows; kNotFound for a PostgreSQL
  // database without Kansli's schema when !options.create. SQLite also
  // refuses a file that exists but is not a Kansli database (empty, not
  // SQLite, another program's tables), and a database that fails its
  // quick_check; the error says how to restore from a backup.
  static Result<std::unique_ptr<Store>> open(const Options& options);
  explicit Store(std::unique_ptr<Backend> backend);
  ~Store();  // finishes queued writes, stops the writer, closes connections
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  template <class F>
  auto write(F&& fn) -> std::invoke_result_t<F, Tx&> {
    using R = std::invoke_result_t<F, Tx&>;
    auto slot = std::make_shared<std::optional<R>>();
    std::promise<R> promise;
    auto future = promise.get_future();
    backend_->submitWrite(
        [&fn, slot](Tx& tx) -> bool {
          slot->emplace(fn(tx));
          return slot->value().has_value();
        },
        [&promise, slot](const Error* error) {
          if (error) {
            promise.set_value(std::unexpected(*error));
          } else if (!slot->has_value()) {
            promise.set_value(std::unexpected(Error::internal("skrivningen gav inget svar")));
          } else {
            promise.set_value(std::move(**slot));
          }
        });
    return future.get();
  }

  template <class F>
  auto read(F&& fn) -> std::invoke_result_t<F, Tx&> {
    using R = std::invoke_result_t<F, Tx&>;
    std::optional<R> out;
    auto ran = backend_->runRead([&](Tx& tx) { out.emplace(fn(tx)); });
    if (!ran) return R(std::unexpected(ran.error()));
    return std::move(*out);
  }

  int schemaVersion() const { return backend_->schemaVersion(); }
  // The number of the newest migration this program has (the same for both
  // dialects: store/postgres/ has a variant of the same number where its SQL
  // differs).
  static int latestSchemaVersion();
  // Bytes of the database file plus its WAL (PostgreSQL: the database's size).
  std::int64_t sizeBytes() const { return backend_->sizeBytes(); }
  bool storageFull() const { return backend_->storageFull(); }
  // The SQLite file, or the PostgreSQL URL without its password.
  const std::string& path() const { return backend_->path(); }

  // Search indexes may lag behind the tables they index: the SQLite store
  // writes a batch's search rows to a queue in the batch's transaction
  // (durable with it) and into the FTS5 indexes a few thousand at a time
  // (store/sqlite/sqlite.h, SqliteTx::writeFts). A read that searches calls
  // this first: it returns when every row written before the call is in
  // the indexes (at once when none are queued; PostgreSQL indexes in the
  // transaction). kInternal or kInsufficientStorage when indexing failed.
  Result<void> awaitSearchIndex() { return backend_->awaitSearchIndex(); }

  // A consistent copy to `to` while the store keeps serving (PostgreSQL:
  // pg_dump's custom format, restored with pg_restore).
  Result<void> backupTo(const std::string& to) { return backend_->backupTo(to); }

 private:
  std::unique_ptr<Backend> backend_;
};

}  // namespace kansli::store
