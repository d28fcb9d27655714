#include "testing/write_load.h"

#include <filesystem>

#include "testing/database.h"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "kansli/digest.h"
#include "testing/testing.h"

namespace kansli::testing {
namespace {

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string sql(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::optional<std::int64_t> pickCase(Worker& w) {
  if (w.cases.empty()) return std::nullopt;
  return w.cases[std::uniform_int_distribution<std::size_t>(0, w.cases.size() - 1)(w.rng)];
}

}  // namespace

void Worker::remember(const Ack& a) {
  if (a.kind == "case") {
    cases.push_back(a.case_id);
    if (a.dnr.rfind("SOCN ", 0) == 0) socn.insert(a.case_id);
  } else if (a.kind == "document" && socn.count(a.case_id)) {
    if (documented.insert(a.case_id).second && assigned.count(a.case_id)) {
      memo_ready.push_back(a.case_id);
    }
  } else if (a.kind == "transition" && socn.count(a.case_id) && a.state == "tilldelad") {
    if (assigned.insert(a.case_id).second && documented.count(a.case_id)) {
      memo_ready.push_back(a.case_id);
    }
  }
}

void WriteLoad::addOp(std::string name, int weight, Op op) {
  ops_.push_back({std::move(name), weight, std::move(op)});
}

void WriteLoad::reportUnexpected(const std::string& what) {
  std::lock_guard lock(mu_);
  unexpected_.push_back(what);
}

void WriteLoad::start(int threads) {
  if (ops_.empty()) throw std::logic_error("WriteLoad has no operations");
  stopping_ = false;
  Worker known;
  for (const auto& a : acks()) known.remember(a);
  ++rounds_;
  for (int i = 0; i < threads; ++i) {
    auto w = std::make_unique<Worker>();
    w->index = rounds_ * 1000 + i;
    w->client = Client(port_);
    w->client.setToken(token_);
    for (const auto& [name, token] : users_) {
      Client c(port_);
      c.setToken(token);
      w->as.emplace(name, std::move(c));
    }
    w->cases = known.cases;
    w->socn = known.socn;
    w->documented = known.documented;
    w->assigned = known.assigned;
    w->memo_ready = known.memo_ready;
    w->rng.seed(seed_ + static_cast<std::uint64_t>(w->index));
    Worker* raw = w.get();
    workers_.push_back(std::move(w));
    threads_.emplace_back([this, raw] { run(*raw); });
  }
}

void WriteLoad::run(Worker& w) {
  int total = 0;
  for (const auto& e : ops_) total += e.weight;
  while (!stopping_.load()) {
    int pick = std::uniform_int_distribution<int>(0, total - 1)(w.rng);
    const Entry* entry = &ops_.front();
    for (const auto& e : ops_) {
      if (pick < e.weight) {
        entry = &e;
        break;
      }
      pick -= e.weight;
    }
    try {
      auto ack = entry->op(w);
      if (!ack) continue;
      w.remember(*ack);
      std::lock_guard lock(mu_);
      acks_.push_back(std::move(*ack));
    } catch (...) {
      // The connection failed (the server is gone or going): not acknowledged.
      // Do not spin while the test restarts it.
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

void WriteLoad::stop() {
  stopping_ = true;
  for (auto& t : threads_) t.join();
  threads_.clear();
  workers_.clear();
}

std::vector<Ack> WriteLoad::acks() const {
  std::lock_guard lock(mu_);
  return acks_;
}

std::size_t WriteLoad::ackCount() const {
  std::lock_guard lock(mu_);
  return acks_.size();
}

std::vector<std::string> WriteLoad::unexpected() const {
  std::lock_guard lock(mu_);
  return unexpected_;
}

// The diarium's three writes. Each marker is unique, so the checks can find
// exactly the row a given answer acknowledged.
void addDiariumOps(WriteLoad& load) {
  load.addOp("register", 5, [&load](Worker& w) -> std::optional<Ack> {
    std::string marker = w.nextMarker("Krasch");
    std::string committee = w.rng() % 2 ? "SOCN" : "KS";
    auto r = w.client.post(
        "/api/v1/cases",
        R"({"committee":")" + committee + R"(","kind":"politikerinitiativ","subject":)" +
            jsonString(marker) +
            R"(,"received":"2020-08-25","senders":[{"name":"Andreas Falk","party":"S"}]})");
    if (r.status != 201) {
      load.reportUnexpected("POST /api/v1/cases -> " + std::to_string(r.status) + ": " + r.body);
      return std::nullopt;
    }
    auto o = r.json();
    return Ack{"case", o->getValue<std::int64_t>("id"), o->getValue<std::string>("dnr"), 0,
               marker, o->getValue<std::int64_t>("version")};
  });
  load.addOp("document", 3, [&load](Worker& w) -> std::optional<Ack> {
    auto id = pickCase(w);
    if (!id) return std::nullopt;
    std::string marker = w.nextMarker("Handling");
    std::ostringstream b64;
    {
      Poco::Base64Encoder enc(b64);
      enc.rdbuf()->setLineLength(0);
      enc << marker;
    }
    std::string path = "/api/v1/cases/" + std::to_string(*id) + "/documents";
    auto r = w.client.post(path, R"({"direction":"inkommen","date":"2020-08-26","title":)" +
                                     jsonString(marker) +
                                     R"(,"media_type":"text/plain","content_base64":")" +
                                     b64.str() + "\"}");
    if (r.status != 201) {
      load.reportUnexpected("POST " + path + " -> " + std::to_string(r.status) + ": " + r.body);
      return std::nullopt;
    }
    return Ack{"document", *id, "", r.json()->getValue<int>("number"), marker, 0};
  });
  load.addOp("correction", 2, [&load](Worker& w) -> std::optional<Ack> {
    auto id = pickCase(w);
    if (!id) return std::nullopt;
    std::string marker = w.nextMarker("Rättelse");
    std::string path = "/api/v1/cases/" + std::to_string(*id) + "/corrections";
    auto r = w.client.post(path, R"({"subject":)" + jsonString("Rättad " + marker) +
                                     R"(,"reason":)" + jsonString(marker) + "}");
    if (r.status != 200) {
      load.reportUnexpected("POST " + path + " -> " + std::to_string(r.status) + ": " + r.body);
      return std::nullopt;
    }
    return Ack{"correction", *id, "", 0, marker, r.json()->getValue<std::int64_t>("version")};
  });
}

void addCaseworkOps(WriteLoad& load) {
  load.addOp("transition", 3, [&load](Worker& w) -> std::optional<Ack> {
    auto id = pickCase(w);
    if (!id) return std::nullopt;
    std::string path = "/api/v1/cases/" + std::to_string(*id);
    auto cur = w.client.get(path);
    if (cur.status != 200) {
      load.reportUnexpected("GET " + path + " -> " + std::to_string(cur.status) + ": " + cur.body);
      return std::nullopt;
    }
    std::string state = cur.json()->getValue<std::string>("state");
    // The load's unit head and officers work in bfe, a unit of SOCN: only
    // a unit working for the case's committee may handle it, and only its
    // staff may be officer (#14 item 10), so KS cases go to the KS unit and
    // stop there.
    const bool socn = cur.json()->getValue<std::string>("committee") == "SOCN";
    const Client* as = &w.client;
    std::string body;
    if (state == "registrerad") {
      body = socn ? R"({"transition":"tilldela_enhet","unit":"bfe"})"
                  : R"({"transition":"tilldela_enhet","unit":"kansli"})";
    } else if (!socn) {
      return std::nullopt;
    } else if (state == "tilldelad") {
      as = &w.as.at("head");
      body = R"({"transition":"tilldela_handlaggare","officer":"nina"})";
    } else if (state == "under_utredning") {
      as = &w.as.at("head");
      body = std::string(R"({"transition":"byt_handlaggare","officer":")") +
             (w.rng() % 2 ? "nina" : "nils") + "\"}";
    } else {
      return std::nullopt;
    }
    auto r = as->request("POST", path + "/transitions", body,
                         {{"Content-Type", "application/json"}, {"If-Match", cur.header("etag")}});
    if (r.status == 412) return std::nullopt;  // changed since the read: refused, nothing written
    if (r.status != 200) {
      load.reportUnexpected("POST " + path + "/transitions " + body + " -> " +
                            std::to_string(r.status) + ": " + r.body);
      return std::nullopt;
    }
    auto o = r.json();
    Ack a{"transition", *id, "", 0, o->getValue<std::string>("transition"),
          o->getValue<std::int64_t>("version"), o->getValue<std::string>("state")};
    return a;
  });
  static const std::string memo = readFile(sourceDir() + "/samples/nacka/memo-SOCN-2020-262.xml");
  load.addOp("memo", 2, [&load](Worker& w) -> std::optional<Ack> {
    if (w.memo_ready.empty()) return std::nullopt;
    auto id = w.memo_ready[std::uniform_int_distribution<std::size_t>(0, w.memo_ready.size() - 1)(
        w.rng)];
    std::string path = "/api/v1/cases/" + std::to_string(id) + "/memo";
    auto r = w.as.at("head").request("PUT", path, memo, {{"Content-Type", "application/xml"}});
    if (r.status != 201) {
      load.reportUnexpected("PUT " + path + " -> " + std::to_string(r.status) + ": " + r.body);
      return std::nullopt;
    }
    auto o = r.json();
    return Ack{"memo", id, "", o->getValue<int>("version"), o->getValue<std::string>("sha256"), 0,
               ""};
  });
}

Db::Db(const std::string& path) {
  if (onPostgres()) {
    url_ = databaseUrlFor(std::filesystem::path(path).parent_path().string());
    return;
  }
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "open";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("cannot open " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db_, 10000);
}

Db::~Db() { sqlite3_close(db_); }

std::vector<std::vector<std::string>> Db::rows(const std::string& q) const {
  if (postgres()) return queryUrl(url_, q);
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, q.c_str(), -1, &s, nullptr) != SQLITE_OK) {
    throw std::runtime_error("prepare " + q + ": " + sqlite3_errmsg(db_));
  }
  std::vector<std::vector<std::string>> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(s); ++i) {
      auto t = sqlite3_column_text(s, i);
      row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    out.push_back(std::move(row));
  }
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) throw std::runtime_error("step " + q + ": " + sqlite3_errmsg(db_));
  return out;
}

std::string Db::scalar(const std::string& q) const {
  auto r = rows(q);
  return r.empty() || r[0].empty() ? "" : r[0][0];
}

std::vector<std::string> checkIntegrity(const Db& db) {
  std::vector<std::string> problems;
  if (db.postgres()) {
    // PostgreSQL checks foreign keys and its indexes itself; what is left is
    // that every case is in both search indexes and the chain's tip row
    // names the newest event.
    for (const char* t : {"case_search", "public_search"}) {
      std::string n = db.scalar(std::string("SELECT count(*) FROM cases c WHERE NOT EXISTS"
                                            " (SELECT 1 FROM ") + t + " s WHERE s.case_id = c.id)");
      if (n != "0") problems.push_back(std::string(t) + ": " + n + " cases not indexed");
    }
    if (db.scalar("SELECT count(*) FROM audit_chain_tip t WHERE t.seq ="
                  " (SELECT coalesce(max(seq), 0) FROM audit_events)") != "1") {
      problems.push_back("audit_chain_tip is not the newest event");
    }
    return problems;
  }
  for (const auto& row : db.rows("PRAGMA integrity_check")) {
    if (row[0] != "ok") problems.push_back("integrity_check: " + row[0]);
  }
  for (const auto& row : db.rows("PRAGMA foreign_key_check")) {
    problems.push_back("foreign_key_check: table " + row[0] + " rowid " + row[1]);
  }
  // The two search indexes are consistent with their content.
  for (const char* t : {"case_search", "public_search"}) {
    try {
      db.rows(std::string("INSERT INTO ") + t + "(" + t + ") VALUES('integrity-check')");
    } catch (const std::exception& e) {
      problems.push_back(std::string(t) + ": " + e.what());
    }
  }
  return problems;
}

std::vector<std::string> checkAcknowledged(const Db& db, const std::vector<Ack>& acks) {
  std::vector<std::string> problems;
  for (const auto& a : acks) {
    std::string id = std::to_string(a.case_id);
    if (a.kind == "case") {
      std::string dnr = db.scalar("SELECT dnr FROM cases WHERE id = " + id);
      if (dnr != a.dnr) {
        problems.push_back("case " + id + " (" + a.dnr + ") acknowledged but " +
                           (dnr.empty() ? "missing" : "has dnr " + dnr));
      }
      if (db.scalar("SELECT count(*) FROM audit_events WHERE action = 'case.register' AND "
                    "case_id = " + id) != "1") {
        problems.push_back("case " + id + ": no registration event in the audit log");
      }
      // In the search index, or (SQLite) in the queue of rows that the
      // store indexes when it is opened again.
      if (db.scalar(std::string("SELECT count(*) FROM case_search WHERE ") +
                    (db.postgres() ? "case_id" : "rowid") + " = " + id) != "1" &&
          (db.postgres() ||
           db.scalar("SELECT count(*) FROM search_pending WHERE tbl = 0 AND row_id = " + id) == "0")) {
        problems.push_back("case " + id + ": not in the search index, nor queued for it");
      }
    } else if (a.kind == "document") {
      auto r = db.rows("SELECT title, sha256 FROM documents WHERE case_id = " + id +
                       " AND number = " + std::to_string(a.number));
      if (r.empty() || r[0][0] != a.marker) {
        problems.push_back("document " + std::to_string(a.number) + " of case " + id + " (" +
                           a.marker + ") acknowledged but " +
                           (r.empty() ? "missing" : "titled " + r[0][0]));
      } else if (r[0][1] != sha256Hex(a.marker)) {
        problems.push_back("document " + std::to_string(a.number) + " of case " + id +
                           ": content hash differs");
      }
    } else if (a.kind == "correction") {
      if (db.scalar("SELECT count(*) FROM corrections WHERE case_id = " + id +
                    " AND reason = " + sql(a.marker)) == "0") {
        problems.push_back("correction " + a.marker + " of case " + id +
                           " acknowledged but missing");
      }
    } else if (a.kind == "transition") {
      // The change that made the case version a.version (its a.version-th
      // versioned audit event) is this transition, to this state.
      auto r = db.rows("SELECT action, detail FROM audit_events WHERE case_id = " + id +
                       " AND action != 'memo.save' ORDER BY seq LIMIT 1 OFFSET " +
                       std::to_string(a.version - 1));
      if (r.empty() || r[0][0] != "case.transition" ||
          r[0][1].find("\"" + a.marker + "\"") == std::string::npos ||
          r[0][1].find("\"" + a.state + "\"") == std::string::npos) {
        problems.push_back("transition " + a.marker + " of case " + id + " to " + a.state +
                           " (version " + std::to_string(a.version) + ") acknowledged but " +
                           (r.empty() ? "missing" : "event " + std::to_string(a.version) +
                                                        " is " + r[0][0] + " " + r[0][1]));
      }
      auto c = db.rows("SELECT version, state FROM cases WHERE id = " + id);
      if (!c.empty() && c[0][0] == std::to_string(a.version) && c[0][1] != a.state) {
        problems.push_back("case " + id + " at version " + c[0][0] + " is in " + c[0][1] +
                           ", the acknowledged transition took it to " + a.state);
      }
    } else if (a.kind == "memo") {
      std::string sha = db.scalar("SELECT sha256 FROM memo_versions WHERE case_id = " + id +
                                  " AND version = " + std::to_string(a.number));
      if (sha != a.marker) {
        problems.push_back("memo version " + std::to_string(a.number) + " of case " + id +
                           " acknowledged but " + (sha.empty() ? "missing" : "has sha256 " + sha));
      }
    } else {
      problems.push_back("no check for acknowledged writes of kind " + a.kind);
      continue;
    }
    // Every acknowledged write was counted in the case's version.
    if (a.version > 0) {
      std::string v = db.scalar("SELECT version FROM cases WHERE id = " + id);
      if (v.empty() || std::stoll(v) < a.version) {
        problems.push_back("case " + id + " has version " + v + " but an answer reported " +
                           std::to_string(a.version));
      }
    }
  }
  return problems;
}

std::vector<std::string> checkSequences(const Db& db) {
  std::vector<std::string> problems;
  for (const auto& r : db.rows(
           "SELECT c.series, c.year, count(*), min(c.number), max(c.number),"
           " (SELECT last_number FROM dnr_sequences s WHERE s.series = c.series AND s.year = c.year)"
           " FROM cases c GROUP BY c.series, c.year")) {
    std::string what = r[0] + " " + r[1];
    if (r[3] != "1" || r[2] != r[4]) {
      problems.push_back("series " + what + ": " + r[2] + " cases numbered " + r[3] + ".." + r[4]);
    }
    if (r[5] != r[4]) {
      problems.push_back("series " + what + ": sequence says " + r[5] + ", highest number " + r[4]);
    }
  }
  for (const auto& r : db.rows("SELECT case_id, count(*), min(number), max(number) FROM documents"
                               " GROUP BY case_id HAVING min(number) != 1 OR max(number) != count(*)")) {
    problems.push_back("case " + r[0] + ": " + r[1] + " documents numbered " + r[2] + ".." + r[3]);
  }
  for (const auto& r : db.rows("SELECT case_id, count(*), min(version), max(version) FROM"
                               " memo_versions GROUP BY case_id"
                               " HAVING min(version) != 1 OR max(version) != count(*)")) {
    problems.push_back("case " + r[0] + ": " + r[1] + " memo versions numbered " + r[2] + ".." +
                       r[3]);
  }
  // The version counts every change: registration, each document, each
  // correction, each transition. Memo saves have their own versions, one
  // memo.save event each.
  for (const auto& r : db.rows(
           "SELECT id, version, n FROM (SELECT c.id, c.version, (SELECT count(*) FROM audit_events a"
           " WHERE a.case_id = c.id AND a.action != 'memo.save') AS n FROM cases c) x"
           " WHERE version != n")) {
    problems.push_back("case " + r[0] + ": version " + r[1] + " but " + r[2] + " audit events");
  }
  for (const auto& r : db.rows(
           "SELECT case_id, k, n FROM (SELECT m.case_id, count(*) AS k, (SELECT count(*)"
           " FROM audit_events a WHERE a.case_id = m.case_id AND a.action = 'memo.save') AS n"
           " FROM memo_versions m GROUP BY m.case_id) x WHERE k != n")) {
    problems.push_back("case " + r[0] + ": " + r[1] + " memo versions but " + r[2] +
                       " memo.save events");
  }
  return problems;
}

std::vector<std::string> checkIndexed(const Db& db, const std::vector<Ack>& acks) {
  std::vector<std::string> problems;
  const char* id_column = db.postgres() ? "case_id" : "rowid";
  for (const auto& a : acks) {
    if (a.kind != "case") continue;
    for (const char* t : {"case_search", "public_search"}) {
      if (db.scalar(std::string("SELECT count(*) FROM ") + t + " WHERE " + id_column + " = " +
                    std::to_string(a.case_id)) != "1") {
        problems.push_back("case " + std::to_string(a.case_id) + ": not in " + t);
      }
    }
  }
  if (!db.postgres()) {
    std::string left = db.scalar("SELECT count(*) FROM search_pending");
    if (left != "0") problems.push_back("search_pending: " + left + " rows left after opening");
  }
  return problems;
}

std::vector<std::string> checkServed(const Client& c, const std::vector<Ack>& acks) {
  std::vector<std::string> problems;
  std::map<std::int64_t, std::set<int>> documents, memos;
  std::map<std::int64_t, std::int64_t> versions;
  for (const auto& a : acks) {
    if (a.kind == "document") documents[a.case_id].insert(a.number);
    if (a.kind == "memo") memos[a.case_id].insert(a.number);
    if (a.version > 0) versions[a.case_id] = std::max(versions[a.case_id], a.version);
  }
  for (const auto& a : acks) {
    if (a.kind != "case") continue;
    std::string path = "/api/v1/cases/" + std::to_string(a.case_id);
    auto r = c.get(path);
    if (r.status != 200 || r.json()->getValue<std::string>("dnr") != a.dnr) {
      problems.push_back("GET " + path + " -> " + std::to_string(r.status) + " " + r.body);
      continue;
    }
    auto served_version = r.json()->getValue<std::int64_t>("version");
    if (served_version < versions[a.case_id]) {
      problems.push_back(path + ": version " + std::to_string(served_version) + ", acknowledged " +
                         std::to_string(versions[a.case_id]));
    }
    if (!memos[a.case_id].empty()) {
      auto m = c.get(path + "/memo/versions");
      std::set<int> got;
      if (m.status == 200) {
        auto items = m.json()->getArray("items");
        for (size_t i = 0; i < items->size(); ++i) {
          got.insert(items->getObject(static_cast<unsigned>(i))->getValue<int>("version"));
        }
      }
      for (int n : memos[a.case_id]) {
        if (!got.count(n)) problems.push_back(path + ": memo version " + std::to_string(n) + " not served");
      }
    }
    auto& wanted = documents[a.case_id];
    if (wanted.empty()) continue;
    auto d = c.get(path + "/documents");
    auto items = d.json()->getArray("items");
    std::set<int> got;
    for (size_t i = 0; i < items->size(); ++i) {
      got.insert(items->getObject(static_cast<unsigned>(i))->getValue<int>("number"));
    }
    for (int n : wanted) {
      if (!got.count(n)) problems.push_back(path + ": document " + std::to_string(n) + " not served");
    }
  }
  return problems;
}

std::string joinProblems(const std::vector<std::string>& problems, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < problems.size() && i < max; ++i) out += "\n  " + problems[i];
  if (problems.size() > max) out += "\n  ... and " + std::to_string(problems.size() - max) + " more";
  return out;
}

}  // namespace kansli::testing
