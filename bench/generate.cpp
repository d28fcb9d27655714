#include "generate.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>

#include "corpus.h"
#include "kansli/audit.h"

namespace kansli::bench {
namespace {

// The schema this generator writes (PRAGMA user_version). A newer program
// refuses to be mirrored silently: update the INSERTs below with the
// migration, then this number. 3 added cases.state_deadline and
// documents.kind (both may stay NULL here) and memo versions; 4 added the
// meetings tables, which generated cases do not use; 5 remade the two search
// indexes with prefix indexes (the same columns: the INSERTs are unchanged);
// 6 added the user directory's columns (users, which it does not write) and
// 7 the index cases_by_number (nothing to write); 8 brought drawn-up
// documents of secret cases into line (data only: the tables are unchanged);
// 9 the templates approved memos keep and memo running numbers
// (memo_versions' new columns may stay NULL); 10 one-time passwords and the
// sessions' public ids (users and sessions, which it does not write); 11
// emptied the decision index of secret cases' decisions (data only); 12 the
// outbox and 13 the secretary's record (new tables and columns with
// defaults, none of which generated cases use); 14 set FTS5's automerge of
// both search indexes to 16 and 15 back to 4 (settings: the INSERTs are
// unchanged); 16 added the queue of search rows (search_pending), which it
// leaves empty: it writes the indexes directly.
constexpr int kSchemaVersion = 16;

class Db {
 public:
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      throw std::runtime_error("cannot open " + path);
    }
    sqlite3_busy_timeout(db_, 10000);
  }
  ~Db() {
    for (auto* s : stmts_) sqlite3_finalize(s);
    sqlite3_close(db_);
  }
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(sql.substr(0, 60) + ": " + m);
    }
  }
  sqlite3_stmt* prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("prepare: ") + sqlite3_errmsg(db_) + ": " + sql);
    }
    stmts_.push_back(s);
    return s;
  }
  void run(sqlite3_stmt* s) {
    if (sqlite3_step(s) != SQLITE_DONE) {
      std::string m = sqlite3_errmsg(db_);
      char* expanded = sqlite3_expanded_sql(s);
      std::string what = expanded ? expanded : sqlite3_sql(s);
      sqlite3_free(expanded);
      sqlite3_reset(s);
      throw std::runtime_error(m + " in " + what.substr(0, 300));
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
  }
  std::int64_t lastId() const { return sqlite3_last_insert_rowid(db_); }
  std::vector<std::string> row(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("prepare: ") + sqlite3_errmsg(db_));
    }
    std::vector<std::string> out;
    if (sqlite3_step(s) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(s); ++i) {
        auto t = sqlite3_column_text(s, i);
        out.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
      }
    }
    sqlite3_finalize(s);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
  std::vector<sqlite3_stmt*> stmts_;
};

// Named bindValue, not bind: for a std::string argument, argument-dependent
// lookup would find std::bind, a better match than a const& overload.
void bindValue(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void bindValue(sqlite3_stmt* s, int i, std::int64_t v) { sqlite3_bind_int64(s, i, v); }
void bindOpt(sqlite3_stmt* s, int i, const std::string& v) {
  if (v.empty()) {
    sqlite3_bind_null(s, i);
  } else {
    bindValue(s, i, v);
  }
}

// Zipf-like index in [0, n): rank r drawn with weight 1/(r+1).
class Zipf {
 public:
  explicit Zipf(std::size_t n) {
    double total = 0;
    for (std::size_t r = 0; r < n; ++r) {
      total += 1.0 / static_cast<double>(r + 1);
      cumulative_.push_back(total);
    }
  }
  std::size_t operator()(std::mt19937_64& rng) const {
    double x = std::uniform_real_distribution<double>(0, cumulative_.back())(rng);
    return static_cast<std::size_t>(std::lower_bound(cumulative_.begin(), cumulative_.end(), x) -
                                    cumulative_.begin());
  }

 private:
  std::vector<double> cumulative_;
};

std::string stringify(const Poco::JSON::Object& o) {
  std::ostringstream ss;
  o.stringify(ss);
  return ss.str();
}

}  // namespace

GenerateReport generateCases(const std::string& data_dir, const Organisation& org, int cases,
                             std::uint64_t seed) {
  auto t0 = std::chrono::steady_clock::now();
  Db db(data_dir + "/kansli.db");
  int version = std::stoi(db.row("PRAGMA user_version").at(0));
  if (version != kSchemaVersion) {
    throw std::runtime_error("the database has schema " + std::to_string(version) +
                             "; bench/generate.cpp mirrors schema " +
                             std::to_string(kSchemaVersion) + ": update it with the migration");
  }
  // One case the program itself registered: its workflow fields are copied,
  // so generated cases are cases the program could have made.
  auto tmpl = db.row(
      "SELECT kind, state, workflow_id, workflow_version, deadline, registered_by, max(id)"
      " FROM cases");
  if (tmpl.empty() || tmpl[6].empty()) {
    throw std::runtime_error("register one case through the program before generating");
  }
  auto tip = db.row("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1");
  std::int64_t seq = std::stoll(tip.at(0));
  std::string prev_hash = tip.at(1);

  db.exec("PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON; PRAGMA cache_size=-200000;");
  auto* ins_case = db.prepare(
      "INSERT INTO cases(dnr, committee, series, year, number, kind, subject, received, unit,"
      " officer, state, workflow_id, workflow_version, version, deadline, secrecy_provision,"
      " secret_fields, registered_at, registered_by, imported, closed)"
      " VALUES(?,?,?,?,?,?,?,?,NULL,NULL,?,?,?,1,?,NULL,'',?,?,0,0)");
  auto* ins_sender = db.prepare(
      "INSERT INTO case_senders(case_id, position, name, party, organisation) VALUES(?,?,?,?,NULL)");
  auto* ins_search = db.prepare(
      "INSERT INTO case_search(rowid, subject, senders, documents) VALUES(?,?,?,'')");
  auto* ins_public = db.prepare(
      "INSERT INTO public_search(rowid, subject, senders, documents) VALUES(?,?,?,'')");
  auto* ins_audit = db.prepare(
      "INSERT INTO audit_events(seq, at, actor, role, action, case_id, detail, prev_hash, hash)"
      " VALUES(?,?,?,?,?,?,?,?,?)");
  auto* upsert_seq = db.prepare(
      "INSERT INTO dnr_sequences(series, year, last_number) VALUES(?,?,?)"
      " ON CONFLICT(series, year) DO UPDATE SET last_number = max(last_number, excluded.last_number)");

  // Committees whose dnr needs nothing beyond series, year and number (a
  // class code from a filing plan is not something to make up).
  std::vector<const Committee*> committees;
  for (const auto& c : org.committees) {
    if (!c.formatDnr(2010, 1).empty()) committees.push_back(&c);
  }
  if (committees.empty()) throw std::runtime_error("no committee with a plain dnr format");
  std::mt19937_64 rng(seed);
  Zipf topic(kTopics.size());
  std::map<std::pair<std::string, int>, int> numbers;
  const int kBatch = 20000;
  db.exec("BEGIN");
  for (int i = 0; i < cases; ++i) {
    const Committee& committee = *committees[rng() % committees.size()];
    // Years before the current one, so the program's own numbering for this
    // year starts where it would.
    int year = 2005 + static_cast<int>(rng() % 19);
    int number = ++numbers[{committee.series, year}];
    std::string dnr = committee.formatDnr(year, number);
    std::string subject = std::string(kOpenings[rng() % kOpenings.size()]) + " " +
                          std::string(kTopics[topic(rng)]) + " i " +
                          std::string(kPlaces[rng() % kPlaces.size()]);
    if (rng() % 3 == 0) subject += " och " + std::string(kTopics[topic(rng)]);
    char received[11], at[21];
    int month = 1 + static_cast<int>(rng() % 12), day = 1 + static_cast<int>(rng() % 28);
    std::snprintf(received, sizeof received, "%04d-%02d-%02d", year, month, day);
    std::snprintf(at, sizeof at, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day,
                  7 + static_cast<int>(rng() % 10), static_cast<int>(rng() % 60),
                  static_cast<int>(rng() % 60));

    if (dnr.empty()) throw std::runtime_error("no dnr for " + committee.id + " " + std::to_string(year) + "/" + std::to_string(number));
    bindValue(ins_case, 1, dnr);
    bindValue(ins_case, 2, committee.id);
    bindValue(ins_case, 3, committee.series);
    bindValue(ins_case, 4, std::int64_t{year});
    bindValue(ins_case, 5, std::int64_t{number});
    bindValue(ins_case, 6, tmpl[0]);
    bindValue(ins_case, 7, subject);
    bindValue(ins_case, 8, std::string(received));
    bindValue(ins_case, 9, tmpl[1]);
    bindValue(ins_case, 10, tmpl[2]);
    bindValue(ins_case, 11, std::stoll(tmpl[3]));
    bindOpt(ins_case, 12, tmpl[4]);
    bindValue(ins_case, 13, std::string(at));
    bindValue(ins_case, 14, tmpl[5]);
    db.run(ins_case);
    std::int64_t id = db.lastId();

    int n_senders = 1 + static_cast<int>(rng() % 2);
    std::string senders_text;
    Poco::JSON::Array senders_json;
    for (int s = 0; s < n_senders; ++s) {
      std::string name = std::string(kFirstNames[rng() % kFirstNames.size()]) + " " +
                         std::string(kSurnames[rng() % kSurnames.size()]);
      std::string party(kParties[rng() % kParties.size()]);
      bindValue(ins_sender, 1, id);
      bindValue(ins_sender, 2, std::int64_t{s});
      bindValue(ins_sender, 3, name);
      bindValue(ins_sender, 4, party);
      db.run(ins_sender);
      if (!senders_text.empty()) senders_text += ", ";
      senders_text += name + " (" + party + ")";  // as Diarium's sendersText
      Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("name", name);
      o.set("party", party);
      senders_json.add(o);
    }
    for (auto* s : {ins_search, ins_public}) {
      bindValue(s, 1, id);
      bindValue(s, 2, subject);
      bindValue(s, 3, senders_text);
      db.run(s);
    }

    // The registration's audit event, chained like appendAudit does.
    Poco::JSON::Object detail(Poco::JSON_PRESERVE_KEY_ORDER);
    detail.set("dnr", dnr);
    detail.set("kind", tmpl[0]);
    detail.set("subject", subject);
    detail.set("received", std::string(received));
    detail.set("senders", senders_json);
    detail.set("state", tmpl[1]);
    audit::Event e;
    e.seq = ++seq;
    e.at = at;
    e.actor = tmpl[5];
    e.role = "registrator";
    e.action = "case.register";
    e.case_id = id;
    e.detail = stringify(detail);
    e.prev_hash = prev_hash;
    e.hash = audit::chainHash(e, prev_hash);
    bindValue(ins_audit, 1, e.seq);
    bindValue(ins_audit, 2, e.at);
    bindValue(ins_audit, 3, e.actor);
    bindValue(ins_audit, 4, e.role);
    bindValue(ins_audit, 5, e.action);
    bindValue(ins_audit, 6, id);
    bindValue(ins_audit, 7, e.detail);
    bindValue(ins_audit, 8, e.prev_hash);
    bindValue(ins_audit, 9, e.hash);
    db.run(ins_audit);
    prev_hash = e.hash;

    if ((i + 1) % kBatch == 0) {
      db.exec("COMMIT; BEGIN");
    }
  }
  for (const auto& [key, last] : numbers) {
    bindValue(upsert_seq, 1, key.first);
    bindValue(upsert_seq, 2, std::int64_t{key.second});
    bindValue(upsert_seq, 3, std::int64_t{last});
    db.run(upsert_seq);
  }
  db.exec("COMMIT");
  // A database that grew by registrations has merged its search index as it
  // went (FTS5 automerge: a little merge work after every commit). One
  // filled here in transactions of 20,000 rows is left in the middle of
  // merging segments of 20,000 rows each, and the first few thousand
  // registrations after it would pay for finishing that: at 100,000 cases
  // they cost 1,263,000 instructions each in bench/instructions.py against
  // 593,000 on the same data at rest. The benchmarks measure Kansli at rest,
  // so the index is merged here, once ('optimize').
  db.exec("INSERT INTO case_search(case_search) VALUES('optimize')");
  db.exec("INSERT INTO public_search(public_search) VALUES('optimize')");
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  GenerateReport r;
  r.cases = cases;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace kansli::bench
