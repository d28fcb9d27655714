// The PostgreSQL dialect's own types: RAII owners of libpq's handles, a
// prepared statement with the same shape as the SQLite one (bind by number,
// step through rows, read columns), and the transaction that hands out the
// PostgreSQL repositories. Only files in engine/src/store/postgres/ include
// this header (and so libpq-fe.h).
//
// Why libpq and not Poco::Data::PostgreSQL: the store needs what only the C
// API gives plainly: the SQLSTATE of every error (unique violation is 409,
// a lost connection is 503), the connection's status to reconnect by itself,
// server-side prepared statements with their parameter count, and COPY for
// `kansli migrate-store`. libpq is Debian's libpq-dev, the server's own
// client library, and its C handles fit the RAII owners the SQLite code
// already uses; Poco::Data would add a second abstraction that throws.
//
// Statements use $1, $2, ... placeholders. A statement is prepared once per
// connection, cached by its SQL text's address (pass string literals or
// strings of static storage), and every parameter it has is sent: the ones
// not bound are NULL, as in SQLite.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kansli/error.h"
#include "store/search_words.h"
#include "store/tx.h"

namespace kansli::store {

struct PgConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using PgConnPtr = std::unique_ptr<PGconn, PgConnCloser>;

struct PgResultClearer {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResultPtr = std::unique_ptr<PGresult, PgResultClearer>;

// The Error for a failed command: SQLSTATE class 23 (a constraint) and
// P0001 (a trigger that refuses the change) are kConflict, as SQLite's
// constraint errors are; a lost or refused connection is kUnavailable
// (503, the node reconnects by itself); the rest kInternal.
Error pgError(PGconn* conn, const PGresult* res, std::string_view what);
// True when `conn` can no longer be used (the server went away).
bool pgConnectionLost(PGconn* conn);
// The server said its disk is full (53100) and no batch has committed since;
// what Store::storageFull() answers (/health says "degraded").
bool pgStorageFull();
void pgStorageWritten();
// A value in COPY's text format (tab, newline, backslash escaped).
void appendCopyText(std::string& out, std::string_view text);

class PgTx;

// A prepared statement being bound and stepped. Bind, then step() until it
// answers false (or run() for statements without rows). Parameters are sent
// as text (integers in decimal, doubles with 17 digits), blobs in binary.
class PgStmt {
 public:
  PgStmt(PgTx& tx, const std::string* name, int params);
  PgStmt(const PgStmt&) = delete;
  PgStmt& operator=(const PgStmt&) = delete;
  PgStmt(PgStmt&&) noexcept = default;
  PgStmt& operator=(PgStmt&&) = delete;

  PgStmt& bind(int i, std::int64_t v) { return set(i, std::to_string(v), 0); }
  PgStmt& bind(int i, int v) { return set(i, std::to_string(v), 0); }
  PgStmt& bind(int i, double v);
  PgStmt& bind(int i, std::string_view v) { return set(i, std::string(v), 0); }
  PgStmt& bind(int i, const std::string& v) { return set(i, v, 0); }
  PgStmt& bind(int i, const char* v) { return set(i, std::string(v), 0); }
  PgStmt& bindNull(int i);
  PgStmt& bindBlob(int i, std::string_view v) { return set(i, std::string(v), 1); }
  template <class T>
  PgStmt& bind(int i, const std::optional<T>& v) {
    if (v) return bind(i, *v);
    return bindNull(i);
  }

  // Executes on the first call; then true while a row is ready.
  Result<bool> step();
  // Executes, for statements without rows.
  Result<void> run();
  // Rows the command changed (UPDATE, DELETE, INSERT).
  std::int64_t changes() const;

  std::int64_t i64(int col) const;
  double f64(int col) const;
  bool isNull(int col) const { return PQgetisnull(res_.get(), row_, col) != 0; }
  std::string str(int col) const {
    return std::string(PQgetvalue(res_.get(), row_, col),
                       static_cast<size_t>(PQgetlength(res_.get(), row_, col)));
  }
  std::optional<std::string> optStr(int col) const {
    if (isNull(col)) return std::nullopt;
    return str(col);
  }
  // A bytea column (sent as hex text by the server).
  std::string blob(int col) const;

 private:
  PgStmt& set(int i, std::string v, int format);

  PgTx* tx_;
  const std::string* name_;
  bool nul_in_text_ = false;  // a text parameter held a NUL: refused, never cut short
  std::vector<std::optional<std::string>> values_;
  std::vector<int> formats_;
  PgResultPtr res_;
  int row_ = -1;
};

// A transaction on one connection (the writer's or a reader's). One PgTx
// lives as long as its connection object and serves each transaction on it
// in turn; the statement cache is cleared when the connection is made anew.
class PgTx final : public Tx {
 public:
  explicit PgTx(bool writable);
  ~PgTx() override;
  PgTx(const PgTx&) = delete;
  PgTx& operator=(const PgTx&) = delete;

  PGconn* conn() const { return conn_.get(); }
  bool connected() const { return conn_ && !pgConnectionLost(conn_.get()); }
  // Connects (again) to `url`; clears the statement cache.
  Result<void> connect(const std::string& url);
  void disconnect();

  bool writable() const override { return writable_; }
  // Prepares (or reuses) `sql`, which must outlive the connection (a literal).
  Result<PgStmt> prepare(const char* sql);
  // Runs SQL without parameters (one or more commands; DDL, BEGIN, ...).
  Result<void> exec(const std::string& sql);

  AuditRepo& audit() override { return *audit_; }
  AccountsRepo& accounts() override { return *accounts_; }
  DiariumRepo& diarium() override { return *diarium_; }
  CaseworkRepo& casework() override { return *casework_; }
  MeetingsRepo& meetings() override { return *meetings_; }
  MailRepo& mail() override { return *mail_; }

 private:
  struct Prepared {
    std::string name;
    int params = 0;
  };
  PgConnPtr conn_;
  bool writable_;
  std::map<const char*, Prepared> cache_;
  std::unique_ptr<AuditRepo> audit_;
  std::unique_ptr<AccountsRepo> accounts_;
  std::unique_ptr<DiariumRepo> diarium_;
  std::unique_ptr<CaseworkRepo> casework_;
  std::unique_ptr<MeetingsRepo> meetings_;
  std::unique_ptr<MailRepo> mail_;
};

// The PostgreSQL repositories, one file each (<concept>_pg.cpp).
std::unique_ptr<AuditRepo> makePgAuditRepo(PgTx& tx);
std::unique_ptr<AccountsRepo> makePgAccountsRepo(PgTx& tx);
std::unique_ptr<DiariumRepo> makePgDiariumRepo(PgTx& tx);
std::unique_ptr<CaseworkRepo> makePgCaseworkRepo(PgTx& tx);
std::unique_ptr<MeetingsRepo> makePgMeetingsRepo(PgTx& tx);
std::unique_ptr<MailRepo> makePgMailRepo(PgTx& tx);

// Full-text search (tsvector over the kansli_sv configuration: unaccent,
// then lower case, no stemming and no stop words, as SQLite's unicode61
// with remove_diacritics does).
//
// The text as both indexes see it: every ASCII character that is not a
// letter or digit becomes a space, so words split where FTS5's unicode61
// splits them ("2020/262" is two words, "e-post" two) and not where
// PostgreSQL's parser would keep them whole (paths, e-mail addresses).
std::string pgSearchableText(std::string_view text);
// The to_tsquery() text for searched words: every word must match; a word
// of several parts ("e-post") is a phrase; a prefix word's last part ends
// in :*. Words hold only letters, digits and non-ASCII bytes once split, so
// nothing a person typed is read as tsquery syntax. Empty when nothing
// searchable is left (matches nothing).
std::string pgTsQuery(const SearchWords& words);

}  // namespace kansli::store
