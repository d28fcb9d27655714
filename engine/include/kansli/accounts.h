// Users, roles and sign-in.
//
// Accounts owns the rules for who may sign in: passwords stored as
// PBKDF2-HMAC-SHA256 with a per-user salt (OpenSSL), bearer tokens of 256
// random bits of which only the SHA-256 is stored, sessions with an expiry that
// can be revoked. Every sign-in and failed sign-in is an audit event; repeated
// failures lock the account for a while.
//
// Thread-safe: all members may be called concurrently (state is in the store).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kansli/audit.h"
#include "kansli/clock.h"
#include "kansli/error.h"
#include "kansli/role.h"
#include "kansli/store.h"

namespace kansli {


struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::kLedamot;
  std::optional<std::string> unit;       // organisation unit id
  std::optional<std::string> committee;  // committee id (secretaries, members)
  audit::Actor actor() const { return {username, std::string(roleName(role))}; }
};

struct NewUser {
  std::string username;
  std::string display_name;
  Role role = Role::kLedamot;
  std::optional<std::string> unit;
  std::optional<std::string> committee;
};

struct Session {
  std::string token;  // give to the client once; never stored or logged
  Instant expires;
  User user;
};

struct AccountOptions {
  std::chrono::seconds token_ttl{8 * 3600};
  int pbkdf2_iterations = 600000;  // OWASP 2023 for PBKDF2-HMAC-SHA256
  // After this many failed sign-ins in a row the account is locked for
  // `lockout`: guessing is slowed to a handful of tries per period.
  int max_failed_logins = 5;
  std::chrono::seconds lockout{15 * 60};
};

class Accounts {
 public:
  Accounts(store::Store& store, const Clock& clock, AccountOptions options = {});

  // Validates and stores a user. `actor` is who adds it (audit). A password
  // shorter than 12 characters or on the list of common passwords is refused.
  Result<User> addUser(const NewUser& u, std::string_view password, const audit::Actor& actor);
  // 401 for any wrong name/password combination (no hint which was wrong).
  // Failed sign-ins of a known user are counted; at max_failed_logins the
  // account is locked until `lockout` has passed (audit event user.locked),
  // and while locked every sign-in, even with the right password, is 429.
  // A successful sign-in resets the count.
  Result<Session> signIn(std::string_view username, std::string_view password);
  // The user behind a bearer token, or 401 (unknown, expired, revoked, disabled).
  Result<User> authenticate(std::string_view token) const;
  Result<void> signOut(std::string_view token);
  Result<std::int64_t> userCount() const;
  // The user named `username` (404 when there is none).
  Result<User> user(std::string_view username) const;

  // PBKDF2 hashes, exposed for tests: "pbkdf2-sha256$ITER$SALT_B64$HASH_B64".
  static std::string hashPassword(std::string_view password, int iterations);
  static bool verifyPassword(std::string_view password, const std::string& stored);

 private:
  store::Store& store_;
  const Clock& clock_;
  AccountOptions options_;
};

}  // namespace kansli
