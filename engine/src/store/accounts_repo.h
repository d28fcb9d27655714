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
};

struct SessionRow {
  std::string token_hash;
  std::int64_t user_id = 0;
  std::string created_at;
  std::string expires_at;
  std::optional<std::string> revoked_at;
  std::optional<std::string> confirmed_at = {};  // the last re-authentication
};

class AccountsRepo {
 public:
  virtual ~AccountsRepo() = default;
  virtual Result<std::int64_t> userInsert(const UserRow& u, const std::string& created_at) = 0;
  virtual Result<std::optional<UserRow>> userByName(const std::string& username) = 0;
  virtual Result<std::optional<UserRow>> userById(std::int64_t id) = 0;
  virtual Result<std::int64_t> userCount() = 0;
  // Every user, by username.
  virtual Result<std::vector<UserRow>> userList() = 0;
  virtual Result<void> userSetLoginFailures(std::int64_t id, int failures,
                                            const std::optional<std::string>& locked_until) = 0;
  virtual Result<void> userSetDisabled(std::int64_t id, bool disabled) = 0;

  virtual Result<void> sessionInsert(const SessionRow& s) = 0;
  virtual Result<std::optional<SessionRow>> sessionByHash(const std::string& token_hash) = 0;
  virtual Result<void> sessionRevoke(const std::string& token_hash, const std::string& at) = 0;
  // Revokes every open session of a user; returns how many.
  virtual Result<std::int64_t> sessionRevokeAll(std::int64_t user_id, const std::string& at) = 0;
  // Records that the session's user gave their password again at `at`.
  virtual Result<void> sessionSetConfirmed(const std::string& token_hash, const std::string& at) = 0;
};

}  // namespace kansli::store
