// Reads the audit events a test server writes, from its database (either
// store), while the server runs: a connection of its own (read-only on
// SQLite; testing/database.h's PgConnection on PostgreSQL), so a test can see which
// events one request wrote (mark() before, since() after). The server commits
// an event before its answer leaves, so the events of a request are there
// when the answer has arrived.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace kansli::testing {

class PgConnection;

struct AuditRow {
  std::int64_t seq = 0;
  std::string actor;
  std::string action;
  std::optional<std::int64_t> case_id;
};

class AuditTail {
 public:
  // `data_dir`: the server's data dir (its kansli.db, or the PostgreSQL
  // database made for it).
  explicit AuditTail(const std::string& data_dir);
  ~AuditTail();
  AuditTail(const AuditTail&) = delete;
  AuditTail& operator=(const AuditTail&) = delete;

  // The sequence number of the newest event (0 when there is none).
  std::int64_t mark();
  // The events after `seq`, oldest first.
  std::vector<AuditRow> since(std::int64_t seq);

 private:
  std::unique_ptr<PgConnection> pg_;  // PostgreSQL; null on SQLite
  sqlite3* db_ = nullptr;
  sqlite3_stmt* last_ = nullptr;
  sqlite3_stmt* after_ = nullptr;
};

}  // namespace kansli::testing
