// The engine, assembled: the one composition root of Kansli.
//
// Engine::open reads the configuration (the organisation file, the
// workflows, where templates are overridden), opens the database and builds
// the services over them, each once. `kansli serve` hands the Engine to the
// HTTP service (api/); the program's other commands (import, render) and the
// demo use it directly, so no command needs the HTTP layer to reach the
// domain. The commands that need no configuration (user add, audit verify,
// backup) open its Database part alone: a data dir need not hold the
// organisation file for those.
//
// Ownership: an Engine owns its Database, the organisation, the workflow
// set and the services; references it hands out live as long as it. The
// Clock is the caller's and must outlive the Engine.
//
// Thread-safety: the services are thread-safe (see their headers); the
// Engine itself is not changed after open().
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "kansli/accounts.h"
#include "kansli/audit.h"
#include "kansli/casework.h"
#include "kansli/clock.h"
#include "kansli/diarium.h"
#include "kansli/error.h"
#include "kansli/expediering.h"
#include "kansli/mail.h"
#include "kansli/meetings.h"
#include "kansli/organisation.h"
#include "kansli/reminders.h"
#include "kansli/workflow.h"

namespace kansli {

struct EngineConfig {
  std::string data_dir;  // holds kansli.db, and optionally workflows/ and templates/
  // postgresql://USER@HOST:PORT/DB: the database is there instead of
  // DATA_DIR/kansli.db (the data dir still holds the organisation file and
  // template overrides). Several nodes may serve one such database.
  std::string database_url;
  std::string home;      // where the shipped templates/, workflows/, schemas/ are
  // The organisation file; empty: DATA_DIR/organisation.xml.
  std::string organisation_file;
  // Workflow definitions; empty: DATA_DIR/workflows if it exists, else HOME/workflows.
  std::string workflows_dir;
  AccountOptions accounts;
  DiariumOptions diarium;
  MailOptions mail;
  ReminderOptions reminders;
  int readers = 4;  // read connections of the store
  // Create the database when there is none (serve, user add); the other
  // commands refuse a data dir without one (kNotFound). On PostgreSQL the
  // database itself must exist; what is created is Kansli's schema in it.
  bool create_database = true;
};

// The database and what needs nothing but it: the accounts and the audit log.
class Database {
 public:
  // kNotFound when there is no database in the data dir and
  // config.create_database is false; the store's errors for a database it
  // cannot open or migrate.
  static Result<std::unique_ptr<Database>> open(const EngineConfig& config, const Clock& clock);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Accounts& accounts() { return *accounts_; }
  // The store (an engine-private type: for the engine and its own tests).
  store::Store& store() { return *store_; }
  int schemaVersion() const;
  // Bytes of the database (file and WAL; PostgreSQL: the database's size).
  std::int64_t sizeBytes() const;
  // The last write failed for want of disk space and none has succeeded
  // since (/health reports "degraded").
  bool storageFull() const;
  // A consistent copy of the database to `to` while it keeps serving.
  Result<void> backupTo(const std::string& to);
  // Appends an event that records no other change (a refused request).
  Result<void> record(const audit::Entry& e);
  // Checks the audit log's hash chain from the first event to the last.
  Result<audit::VerifyReport> verifyAudit();

 private:
  explicit Database(const Clock& clock);
  const Clock& clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Accounts> accounts_;
};

class Engine {
 public:
  // kNotFound when the organisation file is missing; the loaders' errors for
  // a bad organisation or workflow; Database::open's.
  static Result<std::unique_ptr<Engine>> open(const EngineConfig& config, const Clock& clock);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  Database& database() { return *database_; }
  Accounts& accounts() { return database_->accounts(); }
  Diarium& diarium() { return *diarium_; }
  CaseFlow& caseFlow() { return *case_flow_; }
  Memos& memos() { return *memos_; }
  Meetings& meetings() { return *meetings_; }
  Outbox& outbox() { return *outbox_; }
  Expediering& expediering() { return *expediering_; }
  Reminders& reminders() { return *reminders_; }
  const Organisation& organisation() const { return organisation_; }
  const workflow::WorkflowSet& workflows() const { return workflows_; }
  const Clock& clock() const { return clock_; }
  const EngineConfig& config() const { return config_; }

 private:
  Engine(EngineConfig config, const Clock& clock);

  EngineConfig config_;
  const Clock& clock_;
  Organisation organisation_;
  workflow::WorkflowSet workflows_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<Diarium> diarium_;
  std::unique_ptr<CaseFlow> case_flow_;
  std::unique_ptr<Memos> memos_;
  std::unique_ptr<Meetings> meetings_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<Expediering> expediering_;
  std::unique_ptr<Reminders> reminders_;
};

}  // namespace kansli
