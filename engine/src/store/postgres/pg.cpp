#include "store/postgres/pg.h"

#include <atomic>
#include <charconv>
#include <cstdio>
#include <cstring>

#include "store/accounts_repo.h"
#include "store/audit_repo.h"
#include "store/casework_repo.h"
#include "store/diarium_repo.h"
#include "store/mail_repo.h"
#include "store/meetings_repo.h"

namespace kansli::store {

bool pgConnectionLost(PGconn* conn) { return !conn || PQstatus(conn) != CONNECTION_OK; }

namespace {
std::atomic<bool> g_pg_storage_full{false};
}  // namespace

bool pgStorageFull() { return g_pg_storage_full.load(); }
void pgStorageWritten() { g_pg_storage_full.store(false); }

Error pgError(PGconn* conn, const PGresult* res, std::string_view what) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = res ? PQresultErrorMessage(res) : "";
  if (msg.empty() && conn) msg = PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  std::string full = std::string(what) + ": " + msg;
  std::string_view s = state ? state : "";
  // 08: connection exception; 57P01-57P03: the server shuts down or starts;
  // 53300: too many connections. A connection whose status went bad, with
  // or without a SQLSTATE, is the same story.
  if (s.starts_with("08") || s == "57P01" || s == "57P02" || s == "57P03" || s == "53300" ||
      pgConnectionLost(conn)) {
    return Error{ErrorCode::kUnavailable, "databasen svarar inte just nu; försök igen om en stund",
                 {}, {}};
  }
  if (s.starts_with("23") || s == "P0001") return Error::conflict(full);
  if (s == "53100") {
    g_pg_storage_full.store(true);
    return Error{ErrorCode::kInsufficientStorage,
                 "lagringsutrymmet är slut; ingenting sparades (" + full + ")", {}, {}};
  }
  return Error::internal(full);
}

PgStmt::PgStmt(PgTx& tx, const std::string* name, int params)
    : tx_(&tx), name_(name), values_(static_cast<size_t>(params)),
      formats_(static_cast<size_t>(params), 0) {}

PgStmt& PgStmt::set(int i, std::string v, int format) {
  // Parameters are numbered from 1; a number the statement does not have is
  // a bug in the repository, found by the server's refusal below.
  auto idx = static_cast<size_t>(i - 1);
  // libpq sends a text parameter as a C string: "rita\0x" would arrive as
  // "rita" and match another row. PostgreSQL text cannot hold a NUL anyway,
  // so such a value is refused, as the server refuses it in a blob's text.
  if (format == 0 && v.find('\0') != std::string::npos) nul_in_text_ = true;
  if (i >= 1 && idx < values_.size()) {
    values_[idx] = std::move(v);
    formats_[idx] = format;
  }
  return *this;
}

PgStmt& PgStmt::bind(int i, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return set(i, buf, 0);
}

PgStmt& PgStmt::bindNull(int i) {
  auto idx = static_cast<size_t>(i - 1);
  if (i >= 1 && idx < values_.size()) values_[idx].reset();
  return *this;
}

Result<bool> PgStmt::step() {
  if (nul_in_text_) {
    return std::unexpected(Error::invalid("texten innehåller ett NUL-tecken, som inte kan lagras"));
  }
  if (!res_) {
    std::vector<const char*> values(values_.size());
    std::vector<int> lengths(values_.size());
    for (size_t i = 0; i < values_.size(); ++i) {
      values[i] = values_[i] ? values_[i]->data() : nullptr;
      lengths[i] = values_[i] ? static_cast<int>(values_[i]->size()) : 0;
    }
    PGconn* c = tx_->conn();
    if (!c) return std::unexpected(pgError(nullptr, nullptr, "databasen"));
    res_.reset(PQexecPrepared(c, name_->c_str(), static_cast<int>(values.size()), values.data(),
                              lengths.data(), formats_.data(), 0));
    auto st = PQresultStatus(res_.get());
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      Error e = pgError(c, res_.get(), "sql");
      res_.reset();
      return std::unexpected(std::move(e));
    }
    row_ = -1;
  }
  ++row_;
  return row_ < PQntuples(res_.get());
}

Result<void> PgStmt::run() {
  KANSLI_TRY(step());
  return {};
}

std::int64_t PgStmt::changes() const {
  if (!res_) return 0;
  const char* n = PQcmdTuples(res_.get());
  std::int64_t v = 0;
  std::from_chars(n, n + std::strlen(n), v);
  return v;
}

std::int64_t PgStmt::i64(int col) const {
  const char* p = PQgetvalue(res_.get(), row_, col);
  std::int64_t v = 0;
  std::from_chars(p, p + PQgetlength(res_.get(), row_, col), v);
  return v;
}

double PgStmt::f64(int col) const {
  const char* p = PQgetvalue(res_.get(), row_, col);
  double v = 0;
  std::from_chars(p, p + PQgetlength(res_.get(), row_, col), v);
  return v;
}

std::string PgStmt::blob(int col) const {
  if (isNull(col)) return {};
  size_t n = 0;
  unsigned char* raw =
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(res_.get(), row_, col)), &n);
  if (!raw) return {};
  std::string out(reinterpret_cast<const char*>(raw), n);
  PQfreemem(raw);
  return out;
}

PgTx::PgTx(bool writable)
    : writable_(writable),
      audit_(makePgAuditRepo(*this)),
      accounts_(makePgAccountsRepo(*this)),
      diarium_(makePgDiariumRepo(*this)),
      casework_(makePgCaseworkRepo(*this)),
      meetings_(makePgMeetingsRepo(*this)),
      mail_(makePgMailRepo(*this)) {}

PgTx::~PgTx() = default;

namespace {
// Notices (a tsquery of stop words only, a word too long to index) are the
// server talking to a person at a terminal; the service has none.
void ignoreNotice(void*, const char*) {}
}  // namespace

Result<void> PgTx::connect(const std::string& url) {
  disconnect();
  const char* keys[] = {"dbname", "connect_timeout", "application_name", "client_encoding",
                        nullptr};
  const char* values[] = {url.c_str(), "5", "kansli", "UTF8", nullptr};
  conn_.reset(PQconnectdbParams(keys, values, 1));
  if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
    std::string why = conn_ ? PQerrorMessage(conn_.get()) : "";
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    conn_.reset();
    return std::unexpected(Error{ErrorCode::kUnavailable,
                                 "databasen svarar inte just nu; försök igen om en stund (" +
                                     why + ")",
                                 {},
                                 {}});
  }
  PQsetNoticeProcessor(conn_.get(), ignoreNotice, nullptr);
  return {};
}

void PgTx::disconnect() {
  cache_.clear();
  conn_.reset();
}

Result<PgStmt> PgTx::prepare(const char* sql) {
  if (!conn_) return std::unexpected(pgError(nullptr, nullptr, "databasen"));
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    std::string name = "k" + std::to_string(cache_.size() + 1);
    PgResultPtr r(PQprepare(conn_.get(), name.c_str(), sql, 0, nullptr));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      return std::unexpected(pgError(conn_.get(), r.get(), std::string("prepare ") + sql));
    }
    PgResultPtr d(PQdescribePrepared(conn_.get(), name.c_str()));
    if (PQresultStatus(d.get()) != PGRES_COMMAND_OK) {
      return std::unexpected(pgError(conn_.get(), d.get(), "describe"));
    }
    it = cache_.emplace(sql, Prepared{name, PQnparams(d.get())}).first;
  }
  return PgStmt(*this, &it->second.name, it->second.params);
}

Result<void> PgTx::exec(const std::string& sql) {
  if (!conn_) return std::unexpected(pgError(nullptr, nullptr, "databasen"));
  PgResultPtr r(PQexec(conn_.get(), sql.c_str()));
  auto st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return std::unexpected(pgError(conn_.get(), r.get(), sql.substr(0, 40)));
  }
  return {};
}

void appendCopyText(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
}

std::string pgSearchableText(std::string_view text) {
  std::string out(text);
  for (auto& ch : out) {
    auto c = static_cast<unsigned char>(ch);
    bool keep = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                (c >= 'A' && c <= 'Z');
    if (!keep) ch = ' ';
  }
  return out;
}

std::string pgTsQuery(const SearchWords& words) {
  std::string out;
  for (const auto& w : words.words) {
    std::string parts;
    std::string cur;
    std::string text = pgSearchableText(w.text) + ' ';
    std::vector<std::string> tokens;
    for (char ch : text) {
      if (ch == ' ') {
        if (!cur.empty()) tokens.push_back(cur);
        cur.clear();
      } else {
        cur += ch;
      }
    }
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (i) parts += " <-> ";
      parts += '\'' + tokens[i] + '\'';
      if (w.prefix && i + 1 == tokens.size()) parts += ":*";
    }
    if (parts.empty()) continue;
    if (!out.empty()) out += " & ";
    out += tokens.size() > 1 ? "(" + parts + ")" : parts;
  }
  return out;
}

}  // namespace kansli::store
