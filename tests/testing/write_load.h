// Write load against a running server, with a ledger of what it acknowledged,
// and the checks that every acknowledged write is still there afterwards.
// Used by the durability tests (SIGKILL at random moments, online backup).
//
// WriteLoad runs N worker threads; each picks an operation by weight, sends
// one request and, when the server answers with success, records an Ack: what
// was written and how to find it again. A request that fails in flight (the
// server was killed) is not acknowledged and recorded nowhere; it may or may
// not be in the database, and the checks allow both. An answer that is
// neither success nor a connection failure is counted in unexpected() with its
// body: a server that is alive must not refuse valid writes.
//
// Adding a concept (transitions, memos, meetings): write an Op that sends the
// request and returns an Ack of a new kind, register it with addOp(), and add
// a check for that kind to checkAcknowledged() (and, where the concept keeps
// a numbered sequence, a gap check beside checkSequences()). An Ack of a kind
// with no check is reported as a problem, so none is silently skipped.
//
// Thread-safety: start(), stop() and the accessors may be called from the
// test's thread while the workers run; Ops run on the workers.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "testing/api_server.h"

namespace kansli::testing {

// A write the server acknowledged.
struct Ack {
  std::string kind;          // "case", "document", "correction", "transition", "memo"
  std::int64_t case_id = 0;
  std::string dnr;           // case: the dnr it was given
  int number = 0;            // document: its number in the case; memo: its version
  std::string marker;        // unique text it wrote (subject, title, reason);
                             // transition: its id; memo: the sha256 the answer gave
  std::int64_t version = 0;  // the case version the answer reported
  std::string state;         // transition: the state the case went to
};

// What one worker knows: its clients and the cases it may write to.
struct Worker {
  int index = 0;
  Client client{0};                 // the load's main user (a registrator)
  std::map<std::string, Client> as;  // the other users (WriteLoad::addUser), by name
  std::vector<std::int64_t> cases;
  std::set<std::int64_t> socn;       // cases of Socialnämnden (the sample memo is SOCN's)
  std::set<std::int64_t> documented;
  std::set<std::int64_t> assigned;  // given to a unit (bfe): its staff see the case from then on
  // SOCN cases with a document (the memo cites no. 1) assigned to bfe, whose
  // unit head writes the memo.
  std::vector<std::int64_t> memo_ready;
  std::mt19937_64 rng;
  int sequence = 0;  // makes markers unique
  std::string nextMarker(const std::string& what) {
    return what + " w" + std::to_string(index) + "-" + std::to_string(++sequence);
  }
  // Learns from an acknowledged write which cases later operations may use.
  void remember(const Ack& a);
};

class WriteLoad {
 public:
  // Sends one request; returns the Ack when the server acknowledged it.
  // Throws (as Client does) when the connection fails.
  using Op = std::function<std::optional<Ack>(Worker&)>;

  WriteLoad(int port, std::string token, std::uint64_t seed)
      : port_(port), token_(std::move(token)), seed_(seed) {}
  ~WriteLoad() { stop(); }
  void addOp(std::string name, int weight, Op op);
  // Another signed-in user the Ops may act as (Worker::as[name]).
  void addUser(std::string name, std::string token) { users_[std::move(name)] = std::move(token); }

  void start(int threads);
  void stop();  // asks the workers to finish and joins them

  std::vector<Ack> acks() const;
  std::size_t ackCount() const;
  std::vector<std::string> unexpected() const;  // "POST ... -> 500: body"
  // The ledger carries across rounds (server restarts): workers of the next
  // round keep writing to the cases that earlier rounds registered.
  void setPort(int port) { port_ = port; }
  // For Ops: records an answer that was neither success nor a failed connection.
  void reportUnexpected(const std::string& what);

 private:
  struct Entry {
    std::string name;
    int weight;
    Op op;
  };
  void run(Worker& w);

  int port_;
  std::string token_;
  std::map<std::string, std::string> users_;
  std::uint64_t seed_;
  std::vector<Entry> ops_;
  std::vector<std::thread> threads_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::vector<Ack> acks_;
  std::vector<std::string> unexpected_;
  int rounds_ = 0;  // start() calls so far: worker seeds and markers differ per round
};

// The diarium's writes: registrations (weight 5), documents (3) and
// corrections (2), the latter two on cases registered earlier.
void addDiariumOps(WriteLoad& load);

// Casework on cases registered earlier: workflow transitions with If-Match
// (weight 3: tilldela_enhet as the registrator — bfe for SOCN cases, kansli
// for KS cases, which stop there — then on SOCN cases tilldela_handlaggare
// and byt_handlaggare again and again as the unit head, user "head", unit
// bfe, naming the officers "nina" and "nils") and memo drafts saved by the unit
// head (weight 2: the sample memo SOCN 2020/262 on SOCN cases with a
// document). A transition refused with 412 (another worker changed the case
// between the read and the write) is not acknowledged and not unexpected.
void addCaseworkOps(WriteLoad& load);

// An open SQLite handle for the checks (read-write, so a crashed WAL is
// recovered). On PostgreSQL (testing/database.h) `path` names the data
// dir's kansli.db as ever, and the checks read the data dir's database.
class Db {
 public:
  explicit Db(const std::string& path);
  ~Db();
  sqlite3* get() const { return db_; }
  bool postgres() const { return !url_.empty(); }
  // One value of the first row, as text ("" when there is no row).
  std::string scalar(const std::string& sql) const;
  std::vector<std::vector<std::string>> rows(const std::string& sql) const;

 private:
  sqlite3* db_ = nullptr;
  std::string url_;
};

// Each returns a list of problems (empty: all is well), so a failing test
// names every write that went missing, not only the first.
std::vector<std::string> checkIntegrity(const Db& db);
std::vector<std::string> checkAcknowledged(const Db& db, const std::vector<Ack>& acks);
// Every dnr series is 1..n without gaps and its sequence row says n; every
// case's documents and memo versions are numbered 1..n; a case's version
// counts its changes (its audit events other than memo saves).
std::vector<std::string> checkSequences(const Db& db);
// Once the store has been opened again: every acknowledged case is in both
// search indexes, and nothing is left in the SQLite store's queue of search
// rows (sqlite/migrations/0016).
std::vector<std::string> checkIndexed(const Db& db, const std::vector<Ack>& acks);
// Over HTTP on a (re)started server: every acknowledged case answers with its
// dnr, at least the version of its last acknowledged change, its documents
// and its memo versions.
std::vector<std::string> checkServed(const Client& c, const std::vector<Ack>& acks);

std::string joinProblems(const std::vector<std::string>& problems, std::size_t max = 20);

}  // namespace kansli::testing
