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
#include <unordered_map>
#include <vector>

#include "kansli/audit.h"
#include "kansli/clock.h"
#include "kansli/error.h"
#include "kansli/mutex.h"
#include "kansli/role.h"


namespace kansli {

namespace store {
struct UserRow;
}

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;  // the full name, "Nina Vallin Nielsen"
  Role role = Role::kLedamot;
  std::optional<std::string> unit;       // organisation unit id
  std::optional<std::string> committee;  // committee id (secretaries, members)
  // The directory: what colleagues and documents (memo signatures) show
  // beside the name. Empty when unknown.
  std::string title = {};  // "Socialsekreterare"
  std::string email = {};  // work e-mail
  std::string phone = {};  // work telephone, as people write it: "08-718 80 00"
  audit::Actor actor() const { return {username, std::string(roleName(role))}; }
};

struct NewUser {
  std::string username;
  std::string display_name;
  Role role = Role::kLedamot;
  std::optional<std::string> unit;
  std::optional<std::string> committee;
  // Default-initialised, so brace-initialised NewUsers that name only the
  // fields before them stay valid.
  std::string title = {};
  std::string email = {};
  std::string phone = {};
  // The password is a one-time password: the user chooses their own at the
  // first sign-in (Accounts::signIn with SignInOptions::new_password).
  bool must_change_password = false;
};

// What an administrator changes of a user; fields left empty stay. unit and
// committee: a value sets it, an empty optional inside clears it.
struct UserUpdate {
  std::optional<std::string> display_name, title, email, phone;
  std::optional<Role> role;
  std::optional<std::optional<std::string>> unit, committee;
};

struct SignInOptions {
  std::string client = {};  // the program signing in (User-Agent), shown in the user's sessions
  // A new password set in the same step; required when the account's
  // password is a one-time password (kForbidden naming the field new_password).
  std::optional<std::string> new_password = {};
};

// One open session of a user, as they see it in their list.
struct SessionInfo {
  std::string id;  // public: names the session, cannot sign anyone in
  std::string created_at;
  std::string expires_at;
  std::string client;
  bool current = false;  // the session the list was asked for with
};

// The directory fields' rules, for every place that takes them: a name and a
// title of at most 200 bytes of UTF-8 without control characters, an e-mail
// address of the form local@domain.tld (at most 254 bytes), a telephone
// number of digits, blanks and + - ( ) (at most 40). Empty is allowed.
// Appends a Swedish message per bad field (fields "name", "title", "email",
// "phone").
void checkDirectoryFields(const std::string& name, const std::string& title,
                          const std::string& email, const std::string& phone,
                          std::vector<FieldError>& problems);

// A user as an administrator sees it (no password hash).
struct UserInfo {
  User user;
  bool disabled = false;
  bool locked = false;  // a lockout or a slow-down is running now
  bool must_change_password = false;  // holds a one-time password
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
  // Before the lock, failures slow guessing down: after the `free_failures`
  // first ones (typos), each further failure makes the account wait
  // slowdown_base * 2^(n - free_failures - 1) before the next try (2 s, 4 s, ...).
  int free_failures = 2;
  std::chrono::seconds slowdown_base{2};
  // authenticate() remembers a token's user this long. Sign-out and disabling
  // a user in this process forget it at once; the TTL bounds how long a change
  // made by another process (the CLI on the same database) takes to be seen.
  std::chrono::seconds token_cache_ttl{10};
};

class Accounts {
 public:
  Accounts(store::Store& store, const Clock& clock, AccountOptions options = {});

  // Validates and stores a user. `actor` is who adds it (audit). A password
  // shorter than 12 characters or on the list of common passwords is refused,
  // and so are directory fields that checkDirectoryFields() refuses and the
  // username "system" (the audit log's name for the program).
  Result<User> addUser(const NewUser& u, std::string_view password, const audit::Actor& actor);
  // kUnauthenticated for any wrong name/password combination (no hint which
  // was wrong).
  // Failed sign-ins of a known user are counted; at max_failed_logins the
  // account is locked until `lockout` has passed (audit event user.locked),
  // and while locked every sign-in, even with the right password, is
  // kTooManyRequests.
  // A successful sign-in resets the count. A one-time password signs in only
  // with options.new_password (kForbidden naming new_password without it); a
  // new password given is checked as addUser checks one, and set in the same
  // transaction as the session (audit event user.password_change).
  Result<Session> signIn(std::string_view username, std::string_view password,
                         const SignInOptions& options = {});
  // The user behind a bearer token, or kUnauthenticated (unknown, expired,
  // revoked, disabled).
  Result<User> authenticate(std::string_view token) const;
  Result<void> signOut(std::string_view token);

  // Re-authentication: the user of a valid session gives their password
  // again (before a justering). Recorded on the session and as the audit
  // event session.confirm; answers the time. A wrong password is
  // kUnprocessable (field "password") and counts towards the lockout like a
  // failed sign-in (session.confirm_failed), so a left-open session cannot
  // be used to guess the password; a locked account is kTooManyRequests.
  Result<Instant> confirmPassword(std::string_view token, std::string_view password);
  // When the session's user last confirmed their password, if ever.
  Result<std::optional<Instant>> confirmedAt(std::string_view token) const;

  // The CSRF token that belongs to a session token: what a browser session
  // must echo in X-CSRF-Token on every state-changing request. Derived (a
  // domain-separated SHA-256 of the session token), so nothing is stored, it
  // reveals nothing about the session token, and it cannot be made without it.
  static std::string csrfToken(std::string_view session_token);
  // Constant-time comparison of a presented CSRF token with the session's.
  static bool csrfMatches(std::string_view session_token, std::string_view presented);

  // Every user, by username (for administrators; no secrets).
  Result<std::vector<UserInfo>> users() const;
  // Disables or enables an account. Disabling ends every open session of the
  // user at once (revoked in the store, forgotten by the token cache); both
  // are audit events by `actor`. kNotFound for an unknown username; an admin
  // cannot disable themself (kConflict), so a municipality is never left
  // without one by mistake.
  Result<UserInfo> setDisabled(std::string_view username, bool disabled,
                               const audit::Actor& actor);
  // Changes a user's directory fields, role, unit or committee (checked as
  // addUser checks them; unit and committee against the organisation is the
  // caller's part). One audit event user.update with every change before and
  // after; a cached token of the user forgets them, so a new role applies at
  // once. An admin cannot take the admin role from themself (kConflict).
  Result<UserInfo> updateUser(std::string_view username, const UserUpdate& update,
                              const audit::Actor& actor);
  // Gives the user a one-time password (returned, to be shown once) that
  // they must replace at their next sign-in, and ends every open session of
  // theirs. Audit event user.password_reset.
  Result<std::string> resetPassword(std::string_view username, const audit::Actor& actor);
  // The signed-in user changes their own password, proving the current one
  // (a wrong one counts as a failed sign-in, kInvalidInput on current_password). Every
  // other session of theirs ends; the one named by `session_token` goes on.
  // Audit event user.password_change.
  Result<void> changePassword(const User& user, std::string_view current,
                              std::string_view next, std::string_view session_token);
  // The user's open sessions, newest first; `session_token` marks the current.
  Result<std::vector<SessionInfo>> sessions(const User& user, std::string_view session_token) const;
  // Ends one of the user's own sessions by its public id (kNotFound when it is not
  // an open session of theirs). Audit event session.end.
  Result<void> endSession(const User& user, std::string_view session_id);
  // A one-time password: 16 characters from an alphabet without look-alikes,
  // in groups of four ("k7mq-2xnc-..."), about 80 bits.
  static std::string oneTimePassword();
  Result<std::int64_t> userCount() const;
  // The user named `username` (kNotFound when there is none).
  Result<User> user(std::string_view username) const;
  // Seconds until `username` may try to sign in again (0 when now).
  long secondsBeforeNextTry(std::string_view username) const;

  // PBKDF2 hashes, exposed for tests: "pbkdf2-sha256$ITER$SALT_B64$HASH_B64".
  static std::string hashPassword(std::string_view password, int iterations);
  static bool verifyPassword(std::string_view password, const std::string& stored);

 private:
  struct CachedToken {
    User user;
    std::string expires_at;  // the session's own expiry (ISO 8601)
    Instant checked_at;
  };
  void forgetTokens(std::int64_t user_id) const KANSLI_EXCLUDES(cache_mutex_);
  // A wrong password for a known account (`action` is the audit event):
  // counted towards the slow-down and the lock as AccountOptions says.
  Result<void> countFailure(store::Tx& tx, Instant at, const store::UserRow& cur,
                            const audit::Actor& actor, const char* action);

  store::Store& store_;
  const Clock& clock_;
  AccountOptions options_;
  mutable Mutex cache_mutex_;
  // By token hash.
  mutable std::unordered_map<std::string, CachedToken> token_cache_ KANSLI_GUARDED_BY(cache_mutex_);
  // Bumped by every revocation: a lookup that began before it does not cache
  // what it read from the older snapshot.
  mutable std::uint64_t revocations_ KANSLI_GUARDED_BY(cache_mutex_) = 0;
};

}  // namespace kansli
