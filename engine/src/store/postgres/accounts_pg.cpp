#include "store/accounts_repo.h"
#include "store/postgres/pg.h"

namespace kansli::store {
namespace {
UserRow userFrom(const PgStmt& s) {
  UserRow u;
  u.id = s.i64(0);
  u.username = s.str(1);
  u.display_name = s.str(2);
  u.password_hash = s.str(3);
  u.role = s.str(4);
  u.unit = s.optStr(5);
  u.committee = s.optStr(6);
  u.disabled = s.i64(7) != 0;
  u.failed_logins = static_cast<int>(s.i64(8));
  u.locked_until = s.optStr(9);
  u.title = s.str(10);
  u.email = s.str(11);
  u.phone = s.str(12);
  u.must_change_password = s.i64(13) != 0;
  return u;
}
Result<std::optional<UserRow>> oneUser(PgStmt& s) {
  auto row = s.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<UserRow>{};
  return std::optional<UserRow>{userFrom(s)};
}
class PgAccounts final : public AccountsRepo {
 public:
  explicit PgAccounts(PgTx& tx) : tx_(tx) {}
  Result<std::int64_t> userInsert(const UserRow& u, const std::string& created_at) override;
  Result<std::optional<UserRow>> userByName(const std::string& username) override;
  Result<bool> userExists(const std::string& username) override;
  Result<std::optional<UserRow>> userById(std::int64_t id) override;
  Result<std::int64_t> userCount() override;
  Result<std::vector<UserRow>> userList() override;
  Result<void> userSetLoginFailures(std::int64_t id, int failures, const std::optional<std::string>& locked_until) override;
  Result<void> userSetDisabled(std::int64_t id, bool disabled) override;
  Result<void> userUpdate(const UserRow& u) override;
  Result<void> userSetPassword(std::int64_t id, const std::string& password_hash,
                               bool must_change) override;
  Result<std::int64_t> sessionRevokeAllBut(std::int64_t user_id, const std::string& keep_hash,
                                           const std::string& at) override;
  Result<std::vector<SessionRow>> sessionsOpen(std::int64_t user_id, const std::string& now) override;
  Result<void> sessionInsert(const SessionRow& s) override;
  Result<std::optional<SessionRow>> sessionByHash(const std::string& token_hash) override;
  Result<void> sessionRevoke(const std::string& token_hash, const std::string& at) override;
  Result<std::int64_t> sessionRevokeAll(std::int64_t user_id, const std::string& at) override;
  Result<void> sessionSetConfirmed(const std::string& token_hash, const std::string& at) override;

 private:
  PgTx& tx_;
};

}  // namespace

Result<std::int64_t> PgAccounts::userInsert(const UserRow& u, const std::string& created_at) {
  auto s = tx_.prepare(
      "INSERT INTO users(username, display_name, password_hash, role, unit, committee, created_at,"
      " title, email, phone, must_change_password) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)"
      " RETURNING id");
  if (!s) return std::unexpected(s.error());
  s->bind(1, u.username).bind(2, u.display_name).bind(3, u.password_hash).bind(4, u.role);
  s->bind(5, u.unit).bind(6, u.committee).bind(7, created_at);
  s->bind(8, u.title).bind(9, u.email).bind(10, u.phone).bind(11, u.must_change_password ? 1 : 0);
  KANSLI_TRY(s->step());
  return s->i64(0);
}

Result<std::optional<UserRow>> PgAccounts::userByName(const std::string& username) {
  auto s = tx_.prepare(
      "SELECT id, username, display_name, password_hash, role, unit, committee, disabled,"
      " failed_logins, locked_until, title, email, phone, must_change_password FROM users WHERE username = $1");
  if (!s) return std::unexpected(s.error());
  s->bind(1, username);
  return oneUser(*s);
}

Result<bool> PgAccounts::userExists(const std::string& username) {
  auto s = tx_.prepare("SELECT 1 FROM users WHERE username = $1");
  if (!s) return std::unexpected(s.error());
  s->bind(1, username);
  return s->step();
}

Result<std::optional<UserRow>> PgAccounts::userById(std::int64_t id) {
  auto s = tx_.prepare(
      "SELECT id, username, display_name, password_hash, role, unit, committee, disabled,"
      " failed_logins, locked_until, title, email, phone, must_change_password FROM users WHERE id = $1");
  if (!s) return std::unexpected(s.error());
  s->bind(1, id);
  return oneUser(*s);
}

Result<std::int64_t> PgAccounts::userCount() {
  auto s = tx_.prepare("SELECT count(*) FROM users");
  if (!s) return std::unexpected(s.error());
  auto row = s->step();
  if (!row) return std::unexpected(row.error());
  return s->i64(0);
}

Result<void> PgAccounts::userSetLoginFailures(std::int64_t id, int failures,
                                  const std::optional<std::string>& locked_until) {
  auto s = tx_.prepare("UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3");
  if (!s) return std::unexpected(s.error());
  s->bind(1, failures).bind(2, locked_until).bind(3, id);
  return s->run();
}

Result<void> PgAccounts::userUpdate(const UserRow& u) {
  auto s = tx_.prepare(
      "UPDATE users SET display_name = $1, title = $2, email = $3, phone = $4, role = $5,"
      " unit = $6, committee = $7 WHERE id = $8");
  if (!s) return std::unexpected(s.error());
  s->bind(1, u.display_name).bind(2, u.title).bind(3, u.email).bind(4, u.phone).bind(5, u.role);
  s->bind(6, u.unit).bind(7, u.committee).bind(8, u.id);
  return s->run();
}

Result<void> PgAccounts::userSetPassword(std::int64_t id, const std::string& password_hash,
                                         bool must_change) {
  auto s = tx_.prepare(
      "UPDATE users SET password_hash = $1, must_change_password = $2, failed_logins = 0,"
      " locked_until = NULL WHERE id = $3");
  if (!s) return std::unexpected(s.error());
  s->bind(1, password_hash).bind(2, must_change ? 1 : 0).bind(3, id);
  return s->run();
}

Result<void> PgAccounts::sessionInsert(const SessionRow& r) {
  auto s = tx_.prepare(
      "INSERT INTO sessions(token_hash, user_id, created_at, expires_at, public_id, client)"
      " VALUES($1,$2,$3,$4,$5,$6)");
  if (!s) return std::unexpected(s.error());
  s->bind(1, r.token_hash).bind(2, r.user_id).bind(3, r.created_at).bind(4, r.expires_at);
  s->bind(5, r.public_id).bind(6, r.client);
  return s->run();
}

Result<std::vector<SessionRow>> PgAccounts::sessionsOpen(std::int64_t user_id,
                                                        const std::string& now) {
  auto s = tx_.prepare(
      "SELECT token_hash, user_id, created_at, expires_at, revoked_at, public_id, client"
      " FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2"
      " ORDER BY created_at DESC, public_id COLLATE \"C\"");
  if (!s) return std::unexpected(s.error());
  s->bind(1, user_id).bind(2, now);
  std::vector<SessionRow> out;
  for (;;) {
    auto row = s->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    out.push_back(SessionRow{s->str(0), s->i64(1), s->str(2), s->str(3), s->optStr(4),
                             s->optStr(5).value_or(""), s->str(6)});
  }
  return out;
}

Result<std::int64_t> PgAccounts::sessionRevokeAllBut(std::int64_t user_id,
                                                    const std::string& keep_hash,
                                                    const std::string& at) {
  auto s = tx_.prepare(
      "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL"
      " AND token_hash <> $3");
  if (!s) return std::unexpected(s.error());
  s->bind(1, at).bind(2, user_id).bind(3, keep_hash);
  KANSLI_TRY(s->run());
  return s->changes();
}

Result<std::optional<SessionRow>> PgAccounts::sessionByHash(const std::string& token_hash) {
  auto s = tx_.prepare(
      "SELECT token_hash, user_id, created_at, expires_at, revoked_at, confirmed_at FROM sessions"
      " WHERE token_hash = $1");
  if (!s) return std::unexpected(s.error());
  s->bind(1, token_hash);
  auto row = s->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<SessionRow>{};
  return std::optional<SessionRow>{
      SessionRow{s->str(0), s->i64(1), s->str(2), s->str(3), s->optStr(4), {}, {}, s->optStr(5)}};
}

Result<void> PgAccounts::sessionSetConfirmed(const std::string& token_hash, const std::string& at) {
  auto s = tx_.prepare("UPDATE sessions SET confirmed_at = $1 WHERE token_hash = $2");
  if (!s) return std::unexpected(s.error());
  s->bind(1, at).bind(2, token_hash);
  return s->run();
}

Result<void> PgAccounts::sessionRevoke(const std::string& token_hash, const std::string& at) {
  auto s = tx_.prepare(
      "UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL");
  if (!s) return std::unexpected(s.error());
  s->bind(1, at).bind(2, token_hash);
  return s->run();
}

Result<std::int64_t> PgAccounts::sessionRevokeAll(std::int64_t user_id, const std::string& at) {
  auto s = tx_.prepare("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL");
  if (!s) return std::unexpected(s.error());
  s->bind(1, at).bind(2, user_id);
  KANSLI_TRY(s->run());
  return s->changes();
}

Result<std::vector<UserRow>> PgAccounts::userList() {
  auto s = tx_.prepare(
      "SELECT id, username, display_name, password_hash, role, unit, committee, disabled,"
      " failed_logins, locked_until, title, email, phone, must_change_password FROM users ORDER BY username COLLATE \"C\"");
  if (!s) return std::unexpected(s.error());
  std::vector<UserRow> out;
  for (;;) {
    auto row = s->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    out.push_back(userFrom(*s));
  }
  return out;
}

Result<void> PgAccounts::userSetDisabled(std::int64_t id, bool disabled) {
  auto s = tx_.prepare("UPDATE users SET disabled = $1 WHERE id = $2");
  if (!s) return std::unexpected(s.error());
  s->bind(1, disabled ? 1 : 0).bind(2, id);
  return s->run();
}

std::unique_ptr<AccountsRepo> makePgAccountsRepo(PgTx& tx) { return std::make_unique<PgAccounts>(tx); }

}  // namespace kansli::store
