// The store: where every durable fact lives.
//
// Store is the engine's only door to the database. SQLite is the embedded
// default and is used the way servers use it: WAL, foreign keys on,
// synchronous=FULL, a busy timeout, ONE writer thread and a pool of read-only
// connections. All SQL lives in engine/src/store/ (the "repositories"); the
// rest of the engine sees only Tx and the repository functions.
//
// Writes: write(fn) queues fn for the writer thread and blocks until it is
// durable. The writer runs every job that is waiting in ONE transaction (group
// commit), each job in its own SAVEPOINT: a job whose Result is an error is
// rolled back alone and consumes nothing (no dnr number, no audit event). The
// caller gets its Result only after the COMMIT has reached the disk, so an
// acknowledged write survives a crash of the process.
//
// Reads: read(fn) runs fn on a pooled read connection inside one read
// transaction (a consistent snapshot).
//
// Thread-safety: all public members may be called from any thread. A Tx must
// not escape the callback it was handed to.
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

class Tx;  // a transaction on one connection; see store/sqlite.h

struct Options {
  std::string path;               // the SQLite file
  int readers = 4;                // read-only connections in the pool
  int busy_timeout_ms = 5000;
  bool create = true;             // create the file when missing
};

class Store {
 public:
  // Opens (and creates) the database, applies pending migrations. Refuses a
  // file whose schema is newer than this program knows.
  static Result<std::unique_ptr<Store>> open(const Options& options);
  ~Store();  // finishes queued writes, stops the writer, closes connections
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  template <class F>
  auto write(F&& fn) -> std::invoke_result_t<F, Tx&> {
    using R = std::invoke_result_t<F, Tx&>;
    auto slot = std::make_shared<std::optional<R>>();
    std::promise<R> promise;
    auto future = promise.get_future();
    submitWrite(
        [&fn, slot](Tx& tx) -> bool {
          slot->emplace(fn(tx));
          return slot->value().has_value();
        },
        [&promise, slot](const Error* commit_error) {
          if (commit_error) {
            promise.set_value(std::unexpected(*commit_error));
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
    runRead([&](Tx& tx) { out.emplace(fn(tx)); });
    return std::move(*out);
  }

  int schemaVersion() const;
  static int latestSchemaVersion();
  // Bytes of the database file plus its WAL.
  std::int64_t sizeBytes() const;
  const std::string& path() const;

  // A consistent copy to `to` while the store keeps serving (SQLite online
  // backup API, page by page from a read connection).
  Result<void> backupTo(const std::string& to);

  class Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  // run: executes the job inside its savepoint; returns false to roll it back.
  // done: called after the batch committed (nullptr) or failed (the error).
  void submitWrite(std::function<bool(Tx&)> run, std::function<void(const Error*)> done);
  void runRead(const std::function<void(Tx&)>& fn);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kansli::store
