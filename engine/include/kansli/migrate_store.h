// `kansli migrate-store`: a SQLite data dir's database copied into an empty
// PostgreSQL database, for a municipality that moves from one node to
// several (docs/deployment.md).
//
// Everything is copied row for row in ONE PostgreSQL transaction (so a
// failed copy leaves the target empty): users and sessions, cases with
// their senders, documents with their content, corrections, memo versions,
// meetings, agenda items, decisions, attestations, the number series, and
// the audit log with its seq, times and hashes unchanged, so the chain
// verifies on the target with the same hashes. The search indexes are built
// from the text the SQLite indexes hold (the public index still holds only
// what is public). Tables are found by name in both databases; a table the
// SQLite file has and the PostgreSQL schema lacks stops the copy.
//
// Thread-safety: a command-line operation; run it with the service stopped
// (the copy reads one snapshot, so a running service would not break it,
// but its later writes would not be copied).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "kansli/error.h"

namespace kansli {

struct StoreMigrationReport {
  // Rows copied per table, in the order copied; each equals the source's
  // count (checked after the commit, by counting on both sides).
  std::vector<std::pair<std::string, std::int64_t>> tables;
  std::int64_t rows = 0;
  std::int64_t audit_events = 0;  // verified on the target
  std::string audit_tip_hash;     // the newest event's hash, the same on both
  double seconds = 0;
};

// Called every few thousand rows: rows done of all rows, and the table.
using MigrationProgress =
    std::function<void(std::int64_t done, std::int64_t total, const std::string& table)>;

// kConflict when the target already holds Kansli data; kUnavailable when it
// cannot be reached; kNotFound when `sqlite_path` does not exist; kInternal
// when the copy does not verify (the target is then left as copied, for
// inspection, and the message says what differs).
Result<StoreMigrationReport> migrateStoreToPostgres(const std::string& sqlite_path,
                                                    const std::string& to_url,
                                                    const MigrationProgress& progress);

}  // namespace kansli
