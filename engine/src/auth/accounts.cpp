#include "kansli/accounts.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <vector>
#include <sstream>

#include "kansli/digest.h"
#include "kansli/text.h"
#include "store/accounts_repo.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {
namespace {

std::string base64(const unsigned char* data, size_t n, bool url) {
  std::ostringstream ss;
  Poco::Base64Encoder enc(ss, url ? Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING : 0);
  enc.rdbuf()->setLineLength(0);
  enc.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(n));
  enc.close();
  return ss.str();
}

std::string unbase64(const std::string& s) { return text::decodeBase64(s).value_or(""); }

std::string pbkdf2(std::string_view password, const std::string& salt, int iterations) {
  std::array<unsigned char, 32> out{};
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(),
                    static_cast<int>(out.size()), out.data());
  return std::string(reinterpret_cast<const char*>(out.data()), out.size());
}

User userFrom(const store::UserRow& r) {
  User u;
  u.id = r.id;
  u.username = r.username;
  u.display_name = r.display_name;
  u.role = parseRole(r.role).value_or(Role::kLedamot);
  u.unit = r.unit;
  u.committee = r.committee;
  u.title = r.title;
  u.email = r.email;
  u.phone = r.phone;
  return u;
}

bool validUsername(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Common passwords of the allowed length (12+): what guessing tries first.
// Compared case-insensitively (ASCII).
constexpr std::string_view kCommonPasswords[] = {
    "123456789012",     "1234567890123",    "12345678901234",   "123456789123",
    "111111111111",     "000000000000",     "password1234",     "password12345",
    "password123!",     "passwordpassword", "qwertyuiop12",     "qwertyuiopå",
    "qwertyuiopasdf",   "qwerty123456",     "1q2w3e4r5t6y",     "abcdefghijkl",
    "abc123abc123",     "iloveyou1234",     "lösenord1234",     "lösenord123!",
    "lösenordlösenord", "losenord1234",     "losenordlosenord", "sommar2024!!",
    "sommaren2024",     "välkommen123",     "valkommen123",     "välkommen1234",
    "welcome12345",     "administrator",    "admin1234567",     "kommun123456",
    "nacka1234567",     "hejhej123456",     "trustno1trustno1", "letmein12345",
    "changeme1234",     "kansli123456",     "sekretess123",     "socialnamnden"};

// The characters (UTF-8 code points) of a password: its length is counted in
// them, not in bytes ("åäöåäöåäöåäö" is 12 characters, 24 bytes).
std::vector<std::string_view> characters(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t n = 1;
    while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

bool commonPassword(std::string_view password) {
  std::string lower(password);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto p : kCommonPasswords) {
    if (lower == p) return true;
  }
  // One character repeated.
  auto chars = characters(lower);
  return std::all_of(chars.begin(), chars.end(), [&](std::string_view c) { return c == chars.front(); });
}

// A hash of nothing anyone knows, with the iteration count of real ones: an
// unknown, disabled or locked name costs the same PBKDF2 work as a known one,
// so the time of the answer does not tell which names exist.
const std::string& decoyHash(int iterations) {
  static std::mutex mu;
  static std::map<int, std::string> hashes;
  std::lock_guard lock(mu);
  auto it = hashes.find(iterations);
  if (it == hashes.end()) {
    it = hashes.emplace(iterations, Accounts::hashPassword("kansli decoy password", iterations)).first;
  }
  return it->second;
}

// The rules for a new password, reported on `field`.
// Length in characters (UTF-8), not bytes.
void checkPassword(std::string_view password, const std::string& field,
                   std::vector<FieldError>& problems) {
  const std::size_t length = characters(password).size();
  if (length < 12) {
    problems.push_back({field, "lösenordet måste ha minst 12 tecken"});
  } else if (password.size() > 1024) {
    problems.push_back({field, "lösenordet är för långt"});
  } else if (commonPassword(password)) {
    problems.push_back({field, "lösenordet är för vanligt och gissas lätt; välj ett annat"});
  }
}

// 32 hex digits of randomness: the public id of a session.
std::string randomHex16() {
  std::array<unsigned char, 16> raw{};
  RAND_bytes(raw.data(), static_cast<int>(raw.size()));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

// Whole seconds from `now` until the ISO 8601 instant `until` (at least 1).
long secondsUntil(const std::string& until, Instant now) {
  Instant t;
  if (!parseInstant(until, t)) return 1;
  return std::max<long>(1, static_cast<long>((t - now).count()));
}

}  // namespace

void checkDirectoryFields(const std::string& name, const std::string& title,
                          const std::string& email, const std::string& phone,
                          std::vector<FieldError>& problems) {
  auto plainText = [&](const char* field, const std::string& v, const char* what) {
    bool control = std::any_of(v.begin(), v.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    if (!text::isValidUtf8(v) || control) {
      problems.push_back({field, std::string(what) + " innehåller otillåtna tecken"});
    } else if (v.size() > 200) {
      problems.push_back({field, std::string(what) + " är för långt (högst 200 tecken)"});
    }
  };
  plainText("name", name, "Namnet");
  plainText("title", title, "Titeln");
  if (!email.empty()) {
    // local@domain.tld: one @, no blanks or characters that break a header,
    // a dot in the domain with something on both sides.
    auto at = email.find('@');
    auto dot = at == std::string::npos ? std::string::npos : email.rfind('.');
    bool bad_char = std::any_of(email.begin(), email.end(), [](char c) {
      auto u = static_cast<unsigned char>(c);
      return u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' ||
             c == ';' || c == '(' || c == ')' || c == '[' || c == ']' || c == '\\';
    });
    bool shape = at != std::string::npos && at > 0 && email.find('@', at + 1) == std::string::npos &&
                 dot != std::string::npos && dot > at + 1 && dot + 1 < email.size();
    if (!text::isValidUtf8(email) || bad_char || !shape || email.size() > 254) {
      problems.push_back({"email", "Skriv e-postadressen som namn@exempel.se"});
    }
  }
  if (!phone.empty()) {
    bool chars = std::all_of(phone.begin(), phone.end(), [](char c) {
      return (c >= '0' && c <= '9') || c == ' ' || c == '+' || c == '-' || c == '(' || c == ')';
    });
    bool digit = std::any_of(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!chars || !digit || phone.size() > 40) {
      problems.push_back({"phone", "Skriv telefonnumret med siffror, t.ex. 08-718 80 00"});
    }
  }
}

Accounts::Accounts(store::Store& store, const Clock& clock, AccountOptions options)
    : store_(store), clock_(clock), options_(options) {}

std::string Accounts::hashPassword(std::string_view password, int iterations) {
  std::array<unsigned char, 16> salt{};
  RAND_bytes(salt.data(), static_cast<int>(salt.size()));
  std::string salt_s(reinterpret_cast<const char*>(salt.data()), salt.size());
  std::string h = pbkdf2(password, salt_s, iterations);
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" +
         base64(salt.data(), salt.size(), false) + "$" +
         base64(reinterpret_cast<const unsigned char*>(h.data()), h.size(), false);
}

bool Accounts::verifyPassword(std::string_view password, const std::string& stored) {
  std::istringstream in(stored);
  std::string scheme, iter_s, salt_b64, hash_b64;
  if (!std::getline(in, scheme, '$') || scheme != "pbkdf2-sha256") return false;
  if (!std::getline(in, iter_s, '$') || !std::getline(in, salt_b64, '$') ||
      !std::getline(in, hash_b64)) {
    return false;
  }
  auto iterations = text::parseInteger(iter_s, 1, 10'000'000);
  if (!iterations) return false;
  std::string expected = unbase64(hash_b64);
  std::string actual = pbkdf2(password, unbase64(salt_b64), static_cast<int>(*iterations));
  return expected.size() == actual.size() &&
         CRYPTO_memcmp(expected.data(), actual.data(), actual.size()) == 0;
}

Result<User> Accounts::addUser(const NewUser& nu, std::string_view password,
                               const audit::Actor& actor) {
  std::vector<FieldError> problems;
  if (!validUsername(nu.username)) {
    problems.push_back({"username", "användarnamnet får bara innehålla a-z, 0-9, punkt, "
                                    "understreck och bindestreck (högst 64 tecken)"});
  } else if (nu.username == audit::Actor::system().username) {
    // The audit log's name for the program itself: no person may act as it.
    problems.push_back({"username", "användarnamnet är reserverat"});
  }
  checkPassword(password, "password", problems);
  checkDirectoryFields(nu.display_name, nu.title, nu.email, nu.phone, problems);
  if (!problems.empty()) return std::unexpected(Error::invalid("ogiltig användare", problems));

  store::UserRow row;
  row.username = nu.username;
  row.display_name = nu.display_name.empty() ? nu.username : nu.display_name;
  row.password_hash = hashPassword(password, options_.pbkdf2_iterations);
  row.role = std::string(roleName(nu.role));
  row.unit = nu.unit;
  row.committee = nu.committee;
  row.title = nu.title;
  row.email = nu.email;
  row.phone = nu.phone;
  row.must_change_password = nu.must_change_password;
  const Instant now = clock_.now();
  return store_.write([&](store::Tx& tx) -> Result<User> {
    KANSLI_ASSIGN_OR_RETURN(auto existing, tx.accounts().userByName(row.username));
    if (existing) {
      return std::unexpected(Error{ErrorCode::kConflict, "användaren finns redan",
                                   {{"username", "användarnamnet är upptaget"}}, {}});
    }
    KANSLI_ASSIGN_OR_RETURN(auto id, tx.accounts().userInsert(row, formatInstant(now)));
    row.id = id;
    audit::Detail detail;
    detail.set("username", row.username).set("role", row.role);
    KANSLI_TRY(audit::appendAudit(tx, now, {actor, "user.add", std::nullopt, detail.json()}));
    return userFrom(row);
  });
}

Result<Session> Accounts::signIn(std::string_view username, std::string_view password,
                                 const SignInOptions& options) {
  auto denied = [] {
    return std::unexpected(Error::unauthenticated("fel användarnamn eller lösenord"));
  };
  if (username.size() > 64 || password.size() > 1024) return denied();
  // A new password is checked (and hashed: the slow part) before the writer
  // is involved; it says nothing about the account.
  std::string new_hash;
  if (options.new_password) {
    std::vector<FieldError> problems;
    checkPassword(*options.new_password, "new_password", problems);
    if (problems.empty() && *options.new_password == password) {
      problems.push_back({"new_password", "välj ett annat lösenord än det du har nu"});
    }
    if (!problems.empty()) {
      return std::unexpected(Error::invalid("det nya lösenordet duger inte", problems));
    }
    new_hash = hashPassword(*options.new_password, options_.pbkdf2_iterations);
  }
  // A name no user can have (validUsername) names nobody: it is not looked
  // up, and its failure is recorded under a placeholder, since what was
  // typed (a NUL, a control character) is not fit for the audit log, nor
  // for every store (PostgreSQL text holds no NUL; looking such a name up
  // must never match a shorter one).
  const bool possible = validUsername(username);
  std::optional<store::UserRow> row;
  if (possible) {
    KANSLI_ASSIGN_OR_RETURN(row, store_.read([&](store::Tx& tx) { return tx.accounts().userByName(std::string(username)); }));
  }
  const Instant now_t = clock_.now();
  const std::string now = formatInstant(now_t);
  // ISO 8601 UTC strings of one fixed width compare in time order.
  auto lockedAt = [&](const store::UserRow& r) { return r.locked_until && now < *r.locked_until; };
  const bool locked = row && lockedAt(*row);
  // A locked or disabled account's password is checked against the decoy,
  // as an unknown name's is: the answer and its time are the same.
  const bool checkable = row && !locked && !row->disabled;
  bool ok = verifyPassword(password, checkable ? row->password_hash
                                               : decoyHash(options_.pbkdf2_iterations));
  ok = ok && checkable;
  std::string uname = possible ? std::string(username) : "(ogiltigt användarnamn)";

  std::array<unsigned char, 32> raw{};
  RAND_bytes(raw.data(), static_cast<int>(raw.size()));
  std::string token = base64(raw.data(), raw.size(), true);
  Instant expires = now_t + options_.token_ttl;

  const std::string public_id = randomHex16();
  std::string client = options.client.substr(0, 200);
  if (!text::isValidUtf8(client)) client.clear();

  enum class Outcome { kSignedIn, kFailed, kLocked, kSlowedDown, kMustChange };
  std::string locked_until;
  auto written = store_.write([&](store::Tx& tx) -> Result<Outcome> {
    // A name nobody has is no actor: the attempt is the program's event,
    // with the name tried in its detail.
    const audit::Actor actor = row ? audit::Actor{row->username, row->role} : audit::Actor::system();
    const std::string tried =
        row ? "{}" : audit::Detail().set("username", text::toValidUtf8(uname)).json();
    // The counter is read again inside the writer: concurrent failures all count.
    std::optional<store::UserRow> cur;
    if (row) {
      KANSLI_ASSIGN_OR_RETURN(auto fresh, tx.accounts().userById(row->id));
      cur = fresh;
    }
    if (cur && lockedAt(*cur)) {
      // A running slow-down still has its failures counted; a lock has reset them.
      const bool slowed = cur->failed_logins > 0;
      locked_until = *cur->locked_until;
      KANSLI_TRY(audit::appendAudit(
          tx, now_t,
          {actor, slowed ? "session.sign_in_too_soon" : "session.sign_in_locked", std::nullopt,
           audit::Detail().set("locked_until", locked_until).json()}));
      return slowed ? Outcome::kSlowedDown : Outcome::kLocked;
    }
    if (!ok) {
      if (cur) {
        KANSLI_TRY(countFailure(tx, now_t, *cur, actor, "session.sign_in_failed"));
      } else {
        KANSLI_TRY(audit::appendAudit(tx, now_t, {actor, "session.sign_in_failed", std::nullopt, tried}));
      }
      return Outcome::kFailed;
    }
    if (cur->failed_logins != 0 || cur->locked_until) {
      KANSLI_TRY(tx.accounts().userSetLoginFailures(cur->id, 0, std::nullopt));
    }
    if (cur->must_change_password && !options.new_password) return Outcome::kMustChange;
    if (options.new_password) {
      KANSLI_TRY(tx.accounts().userSetPassword(cur->id, new_hash, false));
      KANSLI_TRY(audit::appendAudit(
          tx, now_t,
          {actor, "user.password_change", std::nullopt,
           audit::Detail().set("username", cur->username).set("at_sign_in", true).json()}));
    }
    store::SessionRow s{sha256Hex(token), row->id, now, formatInstant(expires), std::nullopt,
                        public_id, client};
    KANSLI_TRY(tx.accounts().sessionInsert(s));
    KANSLI_TRY(audit::appendAudit(tx, now_t, {actor, "session.sign_in", std::nullopt, "{}"}));
    return Outcome::kSignedIn;
  });
  if (!written) return std::unexpected(written.error());
  if (*written == Outcome::kLocked) {
    return std::unexpected(Error{ErrorCode::kTooManyRequests,
                                 "kontot är låst efter för många misslyckade inloggningar; "
                                 "försök igen om en stund (spärren gäller i " +
                                     std::to_string(std::max<long>(1, options_.lockout.count() / 60)) +
                                     " minuter)",
                                 {},
                                 {}});
  }
  if (*written == Outcome::kSlowedDown) {
    return std::unexpected(Error{ErrorCode::kTooManyRequests,
                                 "för många misslyckade inloggningar i rad; vänta " +
                                     std::to_string(secondsUntil(locked_until, now_t)) +
                                     " sekunder innan du försöker igen",
                                 {},
                                 {}});
  }
  if (*written == Outcome::kFailed) return denied();
  if (*written == Outcome::kMustChange) {
    return std::unexpected(Error{
        ErrorCode::kForbidden,
        "du har fått ett engångslösenord; välj ett eget lösenord för att logga in",
        {{"new_password", "välj ett nytt lösenord med minst 12 tecken"}},
        {}});
  }
  return Session{token, expires, userFrom(*row)};
}

Result<Instant> Accounts::confirmPassword(std::string_view token, std::string_view password) {
  if (password.size() > 1024) {
    return std::unexpected(Error::unprocessable("lösenordet stämmer inte",
                                                {{"password", "Lösenordet stämmer inte."}}));
  }
  KANSLI_ASSIGN_OR_RETURN(User user, authenticate(token));
  const std::string hash = sha256Hex(token);
  KANSLI_ASSIGN_OR_RETURN(auto row, store_.read([&](store::Tx& tx) { return tx.accounts().userById(user.id); }));
  if (!row) return std::unexpected(Error::unauthenticated("ogiltig eller utgången inloggning"));
  const Instant now_t = clock_.now();
  const std::string now = formatInstant(now_t);
  const bool locked = row->locked_until && now < *row->locked_until;
  const bool good = !locked && verifyPassword(password, row->password_hash);
  enum class Outcome { kConfirmed, kWrong, kLocked };
  auto written = store_.write([&](store::Tx& tx) -> Result<Outcome> {
    audit::Actor actor = user.actor();
    KANSLI_ASSIGN_OR_RETURN(auto cur, tx.accounts().userById(user.id));
    if (!cur) return std::unexpected(Error::unauthenticated("ogiltig eller utgången inloggning"));
    if (cur->locked_until && now < *cur->locked_until) {
      KANSLI_TRY(audit::appendAudit(tx, clock_.now(), {actor, "session.confirm_locked", std::nullopt, "{}"}));
      return Outcome::kLocked;
    }
    if (!good) {
      KANSLI_TRY(audit::appendAudit(tx, clock_.now(), {actor, "session.confirm_failed", std::nullopt, "{}"}));
      int failures = cur->failed_logins + 1;
      std::optional<std::string> until;
      if (failures >= options_.max_failed_logins) {
        until = formatInstant(now_t + options_.lockout);
        KANSLI_TRY(audit::appendAudit(
            tx, now_t,
            {actor, "user.locked", std::nullopt,
             audit::Detail().set("failures", failures).set("locked_until", *until).json()}));
        failures = 0;
      } else if (failures > options_.free_failures) {
        int doublings = std::min(failures - options_.free_failures - 1, 16);
        until = formatInstant(now_t + options_.slowdown_base * (1L << doublings));
      }
      KANSLI_TRY(tx.accounts().userSetLoginFailures(cur->id, failures, until));
      return Outcome::kWrong;
    }
    if (cur->failed_logins != 0 || cur->locked_until) {
      KANSLI_TRY(tx.accounts().userSetLoginFailures(cur->id, 0, std::nullopt));
    }
    KANSLI_TRY(tx.accounts().sessionSetConfirmed(hash, now));
    KANSLI_TRY(audit::appendAudit(tx, clock_.now(), {actor, "session.confirm", std::nullopt,
                                               audit::Detail().set("method", "lösenord").json()}));
    return Outcome::kConfirmed;
  });
  if (!written) return std::unexpected(written.error());
  switch (*written) {
    case Outcome::kConfirmed:
      return now_t;
    case Outcome::kLocked:
      return std::unexpected(Error{ErrorCode::kTooManyRequests,
                                   "kontot är spärrat en stund efter för många felaktiga lösenord",
                                   {},
                                   {}});
    case Outcome::kWrong:
      break;
  }
  return std::unexpected(
      Error::unprocessable("lösenordet stämmer inte", {{"password", "Lösenordet stämmer inte."}}));
}

Result<std::optional<Instant>> Accounts::confirmedAt(std::string_view token) const {
  const std::string hash = sha256Hex(token);
  KANSLI_ASSIGN_OR_RETURN(auto s, store_.read([&](store::Tx& tx) { return tx.accounts().sessionByHash(hash); }));
  if (!s || !s->confirmed_at) return std::optional<Instant>{};
  Instant at;
  if (!parseInstant(*s->confirmed_at, at)) return std::optional<Instant>{};
  return std::optional<Instant>{at};
}

Result<User> Accounts::authenticate(std::string_view token) const {
  auto denied = [] {
    return std::unexpected(Error::unauthenticated("ogiltig eller utgången inloggning"));
  };
  if (token.empty() || token.size() > 128) return denied();
  std::string hash = sha256Hex(token);
  const Instant now_t = clock_.now();
  std::string now = formatInstant(now_t);
  std::uint64_t revocations_seen = 0;
  {
    MutexLock lock(cache_mutex_);
    revocations_seen = revocations_;
    auto it = token_cache_.find(hash);
    if (it != token_cache_.end()) {
      const CachedToken& c = it->second;
      // ISO 8601 UTC strings of one fixed width compare in time order.
      if (c.expires_at > now && now_t >= c.checked_at &&
          now_t - c.checked_at < options_.token_cache_ttl) {
        return c.user;
      }
      token_cache_.erase(it);
    }
  }
  std::string expires_at;
  auto found = store_.read([&](store::Tx& tx) -> Result<User> {
    KANSLI_ASSIGN_OR_RETURN(auto s, tx.accounts().sessionByHash(hash));
    if (!s || s->revoked_at || s->expires_at <= now) return denied();
    KANSLI_ASSIGN_OR_RETURN(auto u, tx.accounts().userById(s->user_id));
    if (!u || u->disabled) return denied();
    expires_at = s->expires_at;
    return userFrom(*u);
  });
  if (found) {
    MutexLock lock(cache_mutex_);
    if (revocations_ != revocations_seen) return found;  // maybe read before a revocation
    // Bounded: a flood of distinct tokens cannot grow it without limit.
    if (token_cache_.size() >= 10000) token_cache_.clear();
    token_cache_[hash] = CachedToken{*found, expires_at, now_t};
  }
  return found;
}

void Accounts::forgetTokens(std::int64_t user_id) const {
  MutexLock lock(cache_mutex_);
  ++revocations_;
  std::erase_if(token_cache_, [&](const auto& kv) { return kv.second.user.id == user_id; });
}

std::string Accounts::csrfToken(std::string_view session_token) {
  return sha256Hex("kansli-csrf-v1:" + std::string(session_token));
}

bool Accounts::csrfMatches(std::string_view session_token, std::string_view presented) {
  std::string expected = csrfToken(session_token);
  return presented.size() == expected.size() &&
         CRYPTO_memcmp(expected.data(), presented.data(), expected.size()) == 0;
}

Result<std::vector<UserInfo>> Accounts::users() const {
  KANSLI_ASSIGN_OR_RETURN(auto rows, store_.read([](store::Tx& tx) { return tx.accounts().userList(); }));
  std::string now = formatInstant(clock_.now());
  std::vector<UserInfo> out;
  for (const auto& r : rows) {
    out.push_back({userFrom(r), r.disabled, r.locked_until && now < *r.locked_until,
                   r.must_change_password});
  }
  return out;
}

Result<UserInfo> Accounts::setDisabled(std::string_view username, bool disabled,
                                       const audit::Actor& actor) {
  std::int64_t user_id = 0;
  const Instant at = clock_.now();
  auto info = store_.write([&](store::Tx& tx) -> Result<UserInfo> {
    KANSLI_ASSIGN_OR_RETURN(auto row, tx.accounts().userByName(std::string(username)));
    if (!row) return std::unexpected(Error::notFound("användaren finns inte"));
    if (disabled && row->username == actor.username) {
      return std::unexpected(Error::conflict("du kan inte stänga av ditt eget konto"));
    }
    user_id = row->id;
    std::string now = formatInstant(at);
    std::int64_t ended = 0;
    if (disabled) {
      KANSLI_ASSIGN_OR_RETURN(auto n, tx.accounts().sessionRevokeAll(row->id, now));
      ended = n;
    }
    if (row->disabled != disabled) {
      KANSLI_TRY(tx.accounts().userSetDisabled(row->id, disabled));
      audit::Detail detail;
      detail.set("username", row->username);
      if (disabled) detail.set("sessions_ended", ended);
      KANSLI_TRY(audit::appendAudit(tx, at, {actor, disabled ? "user.disable" : "user.enable",
                                             std::nullopt, detail.json()}));
    }
    row->disabled = disabled;
    return UserInfo{userFrom(*row), disabled, row->locked_until && now < *row->locked_until,
                    row->must_change_password};
  });
  // After the commit, so no lookup that read the old snapshot can cache it
  // again (the revocation counter tells such lookups not to).
  if (info && disabled) forgetTokens(user_id);
  return info;
}

Result<User> Accounts::user(std::string_view username) const {
  KANSLI_ASSIGN_OR_RETURN(auto row, store_.read([&](store::Tx& tx) { return tx.accounts().userByName(std::string(username)); }));
  if (!row) return std::unexpected(Error::notFound("användaren finns inte"));
  return userFrom(*row);
}

long Accounts::secondsBeforeNextTry(std::string_view username) const {
  auto row = store_.read([&](store::Tx& tx) { return tx.accounts().userByName(std::string(username)); });
  if (!row || !*row || !(*row)->locked_until) return 0;
  Instant now = clock_.now();
  if (formatInstant(now) >= *(*row)->locked_until) return 0;
  return secondsUntil(*(*row)->locked_until, now);
}

Result<void> Accounts::countFailure(store::Tx& tx, Instant at, const store::UserRow& cur,
                                    const audit::Actor& actor, const char* action) {
  KANSLI_TRY(audit::appendAudit(tx, at, {actor, action, std::nullopt, "{}"}));
  int failures = cur.failed_logins + 1;
  std::optional<std::string> until;
  if (failures >= options_.max_failed_logins) {
    until = formatInstant(at + options_.lockout);
    KANSLI_TRY(audit::appendAudit(
        tx, at,
        {actor, "user.locked", std::nullopt,
         audit::Detail().set("failures", failures).set("locked_until", *until).json()}));
    failures = 0;  // a new round of tries once the lock has passed
  } else if (failures > options_.free_failures) {
    int doublings = std::min(failures - options_.free_failures - 1, 16);
    until = formatInstant(at + options_.slowdown_base * (1L << doublings));
  }
  return tx.accounts().userSetLoginFailures(cur.id, failures, until);
}

Result<UserInfo> Accounts::updateUser(std::string_view username, const UserUpdate& up,
                                      const audit::Actor& actor) {
  std::int64_t user_id = 0;
  const Instant at = clock_.now();
  auto info = store_.write([&](store::Tx& tx) -> Result<UserInfo> {
    KANSLI_ASSIGN_OR_RETURN(auto found, tx.accounts().userByName(std::string(username)));
    if (!found) return std::unexpected(Error::notFound("användaren finns inte"));
    store::UserRow row = *found;
    const store::UserRow before = row;
    if (up.display_name) row.display_name = *up.display_name;
    if (up.title) row.title = *up.title;
    if (up.email) row.email = *up.email;
    if (up.phone) row.phone = *up.phone;
    if (up.role) row.role = std::string(roleName(*up.role));
    if (up.unit) row.unit = *up.unit;
    if (up.committee) row.committee = *up.committee;
    std::vector<FieldError> problems;
    checkDirectoryFields(row.display_name, row.title, row.email, row.phone, problems);
    if (text::trim(row.display_name).empty()) problems.push_back({"name", "namnet får inte vara tomt"});
    if (!problems.empty()) return std::unexpected(Error::invalid("ogiltig användare", problems));
    if (before.username == actor.username && before.role == "admin" && row.role != "admin") {
      return std::unexpected(Error::conflict("du kan inte ta administratörsrollen från dig själv"));
    }
    Poco::JSON::Array changes;
    auto note = [&](const char* field, const std::optional<std::string>& a,
                    const std::optional<std::string>& b) {
      if (a == b) return;
      Poco::JSON::Object change;
      change.set("field", std::string(field));
      change.set("before", a ? Poco::Dynamic::Var(*a) : Poco::Dynamic::Var());
      change.set("after", b ? Poco::Dynamic::Var(*b) : Poco::Dynamic::Var());
      changes.add(change);
    };
    note("name", before.display_name, row.display_name);
    note("title", before.title, row.title);
    note("email", before.email, row.email);
    note("phone", before.phone, row.phone);
    note("role", before.role, row.role);
    note("unit", before.unit, row.unit);
    note("committee", before.committee, row.committee);
    if (changes.size() > 0) {
      KANSLI_TRY(tx.accounts().userUpdate(row));
      KANSLI_TRY(audit::appendAudit(
          tx, at,
          {actor, "user.update", std::nullopt,
           audit::Detail().set("username", row.username).set("changes", changes).json()}));
    }
    user_id = row.id;
    std::string now = formatInstant(at);
    return UserInfo{userFrom(row), row.disabled, row.locked_until && now < *row.locked_until,
                    row.must_change_password};
  });
  if (info) forgetTokens(user_id);  // the new role or unit applies at once
  return info;
}

std::string Accounts::oneTimePassword() {
  // No 0/o, 1/l/i: read aloud or copied by hand without mistakes.
  static constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  std::array<unsigned char, 16> raw{};
  RAND_bytes(raw.data(), static_cast<int>(raw.size()));
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += kAlphabet[raw[i] % kAlphabet.size()];
  }
  return out;
}

Result<std::string> Accounts::resetPassword(std::string_view username, const audit::Actor& actor) {
  std::string password = oneTimePassword();
  std::string hash = hashPassword(password, options_.pbkdf2_iterations);
  std::int64_t user_id = 0;
  const Instant at = clock_.now();
  auto done = store_.write([&](store::Tx& tx) -> Result<void> {
    KANSLI_ASSIGN_OR_RETURN(auto row, tx.accounts().userByName(std::string(username)));
    if (!row) return std::unexpected(Error::notFound("användaren finns inte"));
    user_id = row->id;
    KANSLI_TRY(tx.accounts().userSetPassword(user_id, hash, true));
    KANSLI_ASSIGN_OR_RETURN(auto ended,
                            tx.accounts().sessionRevokeAll(user_id, formatInstant(at)));
    KANSLI_TRY(audit::appendAudit(
        tx, at,
        {actor, "user.password_reset", std::nullopt,
         audit::Detail().set("username", row->username).set("sessions_ended", ended).json()}));
    return ok();
  });
  if (!done) return std::unexpected(done.error());
  forgetTokens(user_id);
  return password;
}

Result<void> Accounts::changePassword(const User& user, std::string_view current,
                                      std::string_view next, std::string_view session_token) {
  std::vector<FieldError> problems;
  if (current.empty()) problems.push_back({"current_password", "skriv ditt nuvarande lösenord"});
  checkPassword(next, "new_password", problems);
  if (problems.empty() && current == next) {
    problems.push_back({"new_password", "välj ett annat lösenord än det du har nu"});
  }
  if (!problems.empty()) return std::unexpected(Error::invalid("lösenordet kunde inte bytas", problems));
  KANSLI_ASSIGN_OR_RETURN(auto row, store_.read([&](store::Tx& tx) { return tx.accounts().userById(user.id); }));
  if (!row) return std::unexpected(Error::notFound("användaren finns inte"));
  const Instant at = clock_.now();
  const std::string now = formatInstant(at);
  // Guessing the current password here is throttled like signing in.
  if (row->locked_until && now < *row->locked_until) {
    return std::unexpected(Error{ErrorCode::kTooManyRequests,
                                 "för många felaktiga lösenord i rad; vänta " +
                                     std::to_string(secondsUntil(*row->locked_until, at)) +
                                     " sekunder och försök igen",
                                 {},
                                 {}});
  }
  const bool right = verifyPassword(current, row->password_hash);
  const std::string hash = right ? hashPassword(next, options_.pbkdf2_iterations) : std::string();
  const std::string keep = sha256Hex(session_token);
  auto done = store_.write([&](store::Tx& tx) -> Result<bool> {
    KANSLI_ASSIGN_OR_RETURN(auto cur, tx.accounts().userById(user.id));
    if (!cur) return std::unexpected(Error::notFound("användaren finns inte"));
    if (!right) {
      KANSLI_TRY(countFailure(tx, at, *cur, user.actor(), "user.password_change_failed"));
      return false;
    }
    KANSLI_TRY(tx.accounts().userSetPassword(user.id, hash, false));
    KANSLI_ASSIGN_OR_RETURN(auto ended, tx.accounts().sessionRevokeAllBut(user.id, keep, now));
    KANSLI_TRY(audit::appendAudit(
        tx, at,
        {user.actor(), "user.password_change", std::nullopt,
         audit::Detail().set("username", user.username).set("sessions_ended", ended).json()}));
    return true;
  });
  if (!done) return std::unexpected(done.error());
  if (!*done) {
    return std::unexpected(Error::invalid(
        "lösenordet kunde inte bytas", {{"current_password", "det nuvarande lösenordet stämmer inte"}}));
  }
  forgetTokens(user.id);
  return ok();
}

Result<std::vector<SessionInfo>> Accounts::sessions(const User& user,
                                                     std::string_view session_token) const {
  const std::string current = sha256Hex(session_token);
  const std::string now = formatInstant(clock_.now());
  KANSLI_ASSIGN_OR_RETURN(auto rows, store_.read([&](store::Tx& tx) {
    return tx.accounts().sessionsOpen(user.id, now);
  }));
  std::vector<SessionInfo> out;
  for (const auto& r : rows) {
    out.push_back({r.public_id, r.created_at, r.expires_at, r.client, r.token_hash == current});
  }
  return out;
}

Result<void> Accounts::endSession(const User& user, std::string_view session_id) {
  std::string hash;
  const Instant at = clock_.now();
  auto done = store_.write([&](store::Tx& tx) -> Result<void> {
    const std::string now = formatInstant(at);
    KANSLI_ASSIGN_OR_RETURN(auto rows, tx.accounts().sessionsOpen(user.id, now));
    auto it = std::find_if(rows.begin(), rows.end(), [&](const store::SessionRow& r) {
      return !r.public_id.empty() && r.public_id == session_id;
    });
    if (it == rows.end()) return std::unexpected(Error::notFound("inloggningen finns inte"));
    hash = it->token_hash;
    KANSLI_TRY(tx.accounts().sessionRevoke(hash, now));
    KANSLI_TRY(audit::appendAudit(tx, at,
                                  {user.actor(), "session.end", std::nullopt,
                                   audit::Detail().set("session", it->public_id).json()}));
    return ok();
  });
  if (done) {
    MutexLock lock(cache_mutex_);
    ++revocations_;
    token_cache_.erase(hash);
  }
  return done;
}

Result<std::int64_t> Accounts::userCount() const {
  return store_.read([](store::Tx& tx) { return tx.accounts().userCount(); });
}

Result<void> Accounts::signOut(std::string_view token) {
  std::string hash = sha256Hex(token);
  const Instant now = clock_.now();
  auto out = store_.write([&](store::Tx& tx) -> Result<void> {
    KANSLI_ASSIGN_OR_RETURN(auto s, tx.accounts().sessionByHash(hash));
    if (!s) return std::unexpected(Error::unauthenticated("okänd inloggning"));
    KANSLI_TRY(tx.accounts().sessionRevoke(hash, formatInstant(now)));
    KANSLI_ASSIGN_OR_RETURN(auto u, tx.accounts().userById(s->user_id));
    audit::Actor actor = u ? audit::Actor{u->username, u->role} : audit::Actor::system();
    KANSLI_TRY(audit::appendAudit(tx, now, {actor, "session.sign_out", std::nullopt, "{}"}));
    return ok();
  });
  if (out) {
    MutexLock lock(cache_mutex_);
    ++revocations_;
    token_cache_.erase(hash);
  }
  return out;
}

}  // namespace kansli
