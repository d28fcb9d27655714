// Users and sessions (kansli/accounts.h): the rows behind sign-in, tokens,
// lockout and user administration.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kansli/error.h"

namespace kansli::store {

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
  std::string title;  // the directory fields (migration 0006)
  std::string email;
  std::string phone;
  bool must_change_password = false;  // a one-time password (migration 0010)
};

struct SessionRow {
  std::string token_hash;
  std::int64_t user_id = 0;
  std::string created_at;
  std::string expires_at;
  std::optional<std::string> revoked_at;
  std::string public_id = {};  // what the user sees of it (migration 0010)
  std::string client = {};     // the program it was opened from (User-Agent)
  std::optional<std::string> confirmed_at = {};  // the last re-authentication
};

class AccountsRepo {
 public:
  virtual ~AccountsRepo() = default;
  virtual Result<std::int64_t> userInsert(const UserRow& u, const std::string& created_at) = 0;
  virtual Result<std::optional<UserRow>> userByName(const std::string& username) = 0;
  // Whether a user of that name exists (disabled or not): the audit's check
  // of every event's actor, so one index probe instead of a whole row.
  virtual Result<bool> userExists(const std::string& username) = 0;
  virtual Result<std::optional<UserRow>> userById(std::int64_t id) = 0;
  virtual Result<std::int64_t> userCount() = 0;
  // Every user, by username.
  virtual Result<std::vector<UserRow>> userList() = 0;
  virtual Result<void> userSetLoginFailures(std::int64_t id, int failures,
                                            const std::optional<std::string>& locked_until) = 0;
  virtual Result<void> userSetDisabled(std::int64_t id, bool disabled) = 0;
  // Writes the directory and role fields of u (display_name, title, email,
  // phone, role, unit, committee) to the user with u.id.
  virtual Result<void> userUpdate(const UserRow& u) = 0;
  // A new password hash; must_change marks it a one-time password. Clears
  // the failure count and any lock.
  virtual Result<void> userSetPassword(std::int64_t id, const std::string& password_hash,
                                       bool must_change) = 0;

  virtual Result<void> sessionInsert(const SessionRow& s) = 0;
  virtual Result<std::optional<SessionRow>> sessionByHash(const std::string& token_hash) = 0;
  virtual Result<void> sessionRevoke(const std::string& token_hash, const std::string& at) = 0;
  // Revokes every open session of a user; returns how many.
  virtual Result<std::int64_t> sessionRevokeAll(std::int64_t user_id, const std::string& at) = 0;
  // Revokes every open session of a user but the one with `keep_hash`; how many.
  virtual Result<std::int64_t> sessionRevokeAllBut(std::int64_t user_id, const std::string& keep_hash,
                                                   const std::string& at) = 0;
  // The user's sessions neither revoked nor expired at `now`, newest first.
  virtual Result<std::vector<SessionRow>> sessionsOpen(std::int64_t user_id,
                                                       const std::string& now) = 0;
  // Records that the session's user gave their password again at `at`.
  virtual Result<void> sessionSetConfirmed(const std::string& token_hash, const std::string& at) = 0;
};

}  // namespace kansli::store
