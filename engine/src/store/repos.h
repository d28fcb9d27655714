// The repositories: every SQL statement of the engine, grouped by concept, as
// functions over a store::Tx. Engine services call these; nothing outside
// engine/src/store/ writes SQL. Signatures use plain engine types so that a
// PostgreSQL implementation can provide the same functions.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kansli/audit.h"
#include "kansli/error.h"
#include "kansli/store.h"

namespace kansli::store {

// --- audit ---------------------------------------------------------------
struct ChainTip {
  std::int64_t seq = 0;
  std::string hash;
};
Result<std::optional<ChainTip>> auditTip(Tx& tx);
Result<void> auditInsert(Tx& tx, const audit::Event& e);
Result<std::vector<audit::Event>> auditByCase(Tx& tx, std::int64_t case_id);
// Calls fn for every event in seq order; stops early when fn returns false.
Result<void> auditScan(Tx& tx, const std::function<bool(const audit::Event&)>& fn);

// --- users and sessions ----------------------------------------------------
struct UserRow {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string password_hash;
  std::string role;
  std::optional<std::string> unit;
  std::optional<std::string> committee;
  bool disabled = false;
  int failed_logins = 0;
  std::optional<std::string> locked_until;
};
Result<std::int64_t> userInsert(Tx& tx, const UserRow& u, const std::string& created_at);
Result<std::optional<UserRow>> userByName(Tx& tx, const std::string& username);
Result<std::optional<UserRow>> userById(Tx& tx, std::int64_t id);
Result<std::int64_t> userCount(Tx& tx);
Result<void> userSetLoginFailures(Tx& tx, std::int64_t id, int failures,
                                  const std::optional<std::string>& locked_until);

struct SessionRow {
  std::string token_hash;
  std::int64_t user_id = 0;
  std::string created_at;
  std::string expires_at;
  std::optional<std::string> revoked_at;
};
Result<void> sessionInsert(Tx& tx, const SessionRow& s);
Result<std::optional<SessionRow>> sessionByHash(Tx& tx, const std::string& token_hash);
Result<void> sessionRevoke(Tx& tx, const std::string& token_hash, const std::string& at);

}  // namespace kansli::store
