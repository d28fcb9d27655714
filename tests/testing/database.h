// Which store the tests run on, and what they need to look inside it.
//
// One switch: KANSLI_TEST_DATABASE=postgresql runs every test that opens a
// data dir on PostgreSQL instead of SQLite. ctest registers the store-using
// suites twice (tests/CMakeLists.txt): as they are, and prefixed "pg." with
// the switch set, against a cluster it starts for the run
// (scripts/test-postgres, the fixture PostgreSQL.Start/Stop) whose admin
// URL is in KANSLI_TEST_PG_DIR/url (by default build/test/postgres-test), or
// in KANSLI_TEST_PG_URL.
//
// On PostgreSQL each data dir gets a database of its own, made the first
// time the data dir is named (databaseUrlFor) and dropped when the TempDir
// holding the data dir is removed. TestServer opens the engine on it, and
// runKansli and ServerProcess add `--database URL` to the commands that
// take it (serve, user add, import, render, audit verify, backup) when the
// arguments name a --data-dir, so the command-line and process tests run on
// PostgreSQL unchanged.
#pragma once

#include <string>
#include <vector>

namespace kansli::testing {

bool onPostgres();
// The cluster's admin URL (the postgres database); throws when no cluster is
// known. PostgreSQL only.
std::string postgresAdminUrl();
// The database URL for the data dir `data_dir`; empty on SQLite.
std::string databaseUrlFor(const std::string& data_dir);
// A fresh database of its own (for tests that start several nodes on one
// database, or migrate into an empty one); dropped with the TempDir `owner`.
std::string newDatabase(const std::string& owner);
// Drops the databases made for data dirs (or owners) under `dir`.
void dropDatabasesUnder(const std::string& dir);

// The rows of `sql` on the data dir's database (either store), each column
// as text (NULL as ""). For tests that read what is stored.
std::vector<std::vector<std::string>> queryStore(const std::string& data_dir,
                                                 const std::string& sql);
// Runs `sql` (one or more statements) on the data dir's database; throws on
// an error. For tests that tamper with the database as an attacker would.
void execStore(const std::string& data_dir, const std::string& sql);
// The same on a database URL (PostgreSQL).
std::vector<std::vector<std::string>> queryUrl(const std::string& url, const std::string& sql);

// `args` with `--database URL` added when on PostgreSQL and the command
// takes it (see above).
std::vector<std::string> withTestDatabase(std::vector<std::string> args);

}  // namespace kansli::testing
