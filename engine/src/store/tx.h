// A transaction, and through it the repositories: every SQL statement of the
// engine, grouped by concept. Engine services call the repositories inside
// Store::read or Store::write; nothing outside engine/src/store/ writes SQL.
//
// Each concept's repository is an interface (store/<concept>_repo.h) over
// plain engine types, so a second SQL dialect provides the same interfaces:
// the SQLite implementation lives in engine/src/store/sqlite/ and is the
// only code that knows its dialect (FTS5 MATCH, json_each, savepoints).
//
// A Tx is handed to a read or write callback and must not escape it. It is
// used by one thread at a time (the writer thread, or the reader that holds
// its connection).
#pragma once

namespace kansli::store {

class AuditRepo;
class AccountsRepo;
class DiariumRepo;
class CaseworkRepo;
class MeetingsRepo;
class MailRepo;

class Tx {
 public:
  virtual ~Tx() = default;
  // True on the writer's transaction (inside Store::write).
  virtual bool writable() const = 0;

  virtual AuditRepo& audit() = 0;
  virtual AccountsRepo& accounts() = 0;
  virtual DiariumRepo& diarium() = 0;
  virtual CaseworkRepo& casework() = 0;
  virtual MeetingsRepo& meetings() = 0;
  virtual MailRepo& mail() = 0;
};

}  // namespace kansli::store
