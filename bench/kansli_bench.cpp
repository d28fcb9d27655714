// kansli_bench: the Proof benchmarks (`make bench`).
//
// Runs the real `kansli serve` (the release build) on temporary data
// directories and measures, each figure beside a baseline measured in the
// same run, on the same disk, and their ratio:
//
//   registrations  durable registrations/s over HTTP, 16 keep-alive connections
//                  vs a raw sqlite3 loop committing one row per transaction
//                  (WAL, synchronous=FULL): the cost of one fsync per write,
//                  which group commit has to beat (aim >= 1.0x)
//   transitions    durable workflow transitions/s over HTTP (If-Match), 16
//                  connections, vs the same raw sqlite3 loop (aim >= 1.0x)
//   reads          GET /health vs the bare Poco HTTPServer (bench/poco_floor.cpp)
//                  answering the same JSON (aim >= 0.9x); GET /api/v1/cases/{id}
//                  with a bearer token vs the same floor (aim >= 0.5x)
//
// Every throughput figure is taken with wrk (-t2 -c16, Debian's package,
// scripts/install-deps), the floor's too; the load average is printed at the
// start, before and after each run, and with the results.
//   search         full-text search p50/p95/p99 over the generated cases vs the
//                  same statements straight on the database (aim <= 2x, p95 < 20 ms),
//                  and vs the previous statement (bm25 for every hit)
//   growth         registrations/s and search p50/p95 at cases/100 and cases/10
//                  vs the same at --cases (10k, 100k, 1M with --cases 1000000;
//                  aim: at most 20 % slower at the largest)
//   startup        launch to the first answer on the large database vs an empty one
//   memory         VmRSS idle and under load, VmHWM, vs idle on an empty database
//
// Every benchmark runs --runs times (interleaved with its baseline, so noise
// on the 2 shared cores hits both) and the median is reported with the runs.
//
//   kansli_bench [--cases N] [--runs R] [--seconds S] [--clients C] [--threads T]
//                [--queries Q] [--only NAME,...] [--dir DIR] [--keep]
//
// --cases defaults to 100000 so `make bench` finishes in a few minutes;
// --cases 1000000 is the issue's size (about 2 minutes more to generate).
// Adding a concept (memos, meetings): add a load to the per-run loop in run()
// with its HTTP request and its baseline, and a Row for it.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "corpus.h"
#include "store/search_words.h"
#include "store/sqlite/sqlite.h"
#include "generate.h"
#include "kansli/diarium.h"
#include "kansli/organisation.h"

namespace kansli::bench {
namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size()))) - 1;
  return v[std::min(i, v.size() - 1)];
}

std::string fmt(double v, int precision = 0) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(precision) << v;
  return o.str();
}

std::string runsText(const std::vector<double>& v, int precision = 0) {
  std::string out;
  for (double x : v) out += (out.empty() ? "" : " ") + fmt(x, precision);
  return "[" + out + "]";
}

// ---- the server as a child process -----------------------------------------

struct Memory {
  long rss_kb = 0, hwm_kb = 0;
};

Memory memoryOf(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  Memory m;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) m.rss_kb = std::stol(line.substr(6));
    if (line.rfind("VmHWM:", 0) == 0) m.hwm_kb = std::stol(line.substr(6));
  }
  return m;
}

struct HttpAnswer {
  int status = 0;
  std::string body;
};

// One keep-alive connection; reconnects after a failure.
class Http {
 public:
  explicit Http(int port) : session_("127.0.0.1", static_cast<Poco::UInt16>(port)) {
    session_.setKeepAlive(true);
    session_.setTimeout(Poco::Timespan(60, 0));
  }
  void setToken(const std::string& t) { token_ = t; }
  HttpAnswer request(const std::string& method, const std::string& path,
                     const std::string& body = "", const std::string& if_match = "") {
    try {
      Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
      req.setKeepAlive(true);
      if (!token_.empty()) req.set("Authorization", "Bearer " + token_);
      if (!if_match.empty()) req.set("If-Match", if_match);
      if (method == "POST") {
        req.setContentType("application/json");
        req.setContentLength64(static_cast<Poco::Int64>(body.size()));
      }
      session_.sendRequest(req) << body;
      Poco::Net::HTTPResponse res;
      std::istream& in = session_.receiveResponse(res);
      HttpAnswer a;
      a.status = res.getStatus();
      std::ostringstream ss;
      Poco::StreamCopier::copyStream(in, ss);
      a.body = ss.str();
      return a;
    } catch (const std::exception&) {
      session_.reset();
      return {};
    }
  }

 private:
  Poco::Net::HTTPClientSession session_;
  std::string token_;
};

class Server {
 public:
  // Starts `kansli serve` and waits for its first answer on GET /health.
  Server(const std::string& kansli, const std::string& data_dir) {
    Poco::Pipe out;
    auto t0 = Clock::now();
    handle_ = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(
        kansli,
        {"serve", "--data-dir", data_dir, "--port", "0", "--quiet", "--org",
         std::string(KANSLI_SOURCE_DIR) + "/samples/nacka/organisation.xml"},
        nullptr, &out, &out));
    std::string output;
    std::regex url("http://[0-9.]+:([0-9]+)/");
    char buf[512];
    while (port_ == 0) {
      int n = out.readBytes(buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("kansli serve did not start: " + output);
      output.append(buf, static_cast<size_t>(n));
      std::smatch m;
      if (std::regex_search(output, m, url)) port_ = std::stoi(m[1]);
    }
    drain_ = std::thread([out]() mutable {
      char b[512];
      while (out.readBytes(b, sizeof b) > 0) {
      }
    });
    Http h(port_);
    while (h.request("GET", "/health").status != 200) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    startup_seconds_ = secondsSince(t0);
  }
  ~Server() { stop(); }
  void stop() {
    if (!handle_) return;
    ::kill(handle_->id(), SIGTERM);
    handle_->wait();
    handle_.reset();
    if (drain_.joinable()) drain_.join();
  }
  int port() const { return port_; }
  int pid() const { return handle_->id(); }
  double startupSeconds() const { return startup_seconds_; }

 private:
  std::unique_ptr<Poco::ProcessHandle> handle_;
  std::thread drain_;
  int port_ = 0;
  double startup_seconds_ = 0;
};

// The bare Poco HTTPServer (bench/poco_floor.cpp), started the same way.
class PocoFloor {
 public:
  explicit PocoFloor(const std::string& binary) {
    Poco::Pipe out;
    handle_ = std::make_unique<Poco::ProcessHandle>(
        Poco::Process::launch(binary, {}, nullptr, &out, nullptr));
    std::string output;
    char buf[128];
    while (output.find('\n') == std::string::npos) {
      int n = out.readBytes(buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("kansli_poco_floor did not start: " + output);
      output.append(buf, static_cast<std::size_t>(n));
    }
    if (output.rfind("port ", 0) != 0) throw std::runtime_error("kansli_poco_floor: " + output);
    port_ = std::stoi(output.substr(5));
    Http h(port_);
    while (h.request("GET", "/health").status != 200) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~PocoFloor() {
    ::kill(handle_->id(), SIGTERM);
    handle_->wait();
  }
  int port() const { return port_; }

 private:
  std::unique_ptr<Poco::ProcessHandle> handle_;
  int port_ = 0;
};

int runKansli(const std::string& kansli, const std::vector<std::string>& args,
              const std::string& input) {
  Poco::Pipe in, out;
  auto h = Poco::Process::launch(kansli, args, &in, &out, &out);
  {
    Poco::PipeOutputStream os(in);
    os << input;
    os.close();
  }
  Poco::PipeInputStream is(out);
  std::ostringstream ss;
  ss << is.rdbuf();
  int code = h.wait();
  if (code != 0) throw std::runtime_error("kansli " + args[0] + ": " + ss.str());
  return code;
}

const std::string kPassword = "ett-långt-lösenord-för-mätning";

// A data directory the program created, with a registrator.
void prepareDataDir(const std::string& kansli, const std::string& dir) {
  runKansli(kansli, {"user", "add", "--data-dir", dir, "--username", "bench", "--role",
                     "registrator"},
            kPassword + "\n");
}

std::string signIn(int port) {
  Http h(port);
  auto r = h.request("POST", "/api/v1/session",
                     R"({"username":"bench","password":")" + kPassword + "\"}");
  if (r.status != 201) throw std::runtime_error("sign-in: " + r.body);
  Poco::JSON::Parser p;
  return p.parse(r.body).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("token");
}

// ---- load ------------------------------------------------------------------

// /proc/loadavg's 1, 5 and 15 minute averages: printed beside every figure,
// since figures only count from a quiet machine (issue #20).
std::string loadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

struct LoadResult {
  double per_second = 0;  // answers with a 2xx/3xx status per second
  long ok = 0, failed = 0;
  long sent = 0;   // every answer, failed or not
  long max_n = 0;  // the most requests one wrk thread made (its script's `n`)
};

// The HTTP load client for every throughput figure (the floor's too): wrk,
// `threads` threads, `connections` keep-alive connections, `seconds`; the
// requests come from a Lua script (wrk's `request()`), so ids and bodies
// vary. wrk counts an answer of 400 or more as failed ("Non-2xx or 3xx").
LoadResult wrkLoad(int port, const std::string& script, int threads, int connections,
                   double seconds) {
  std::string cmd = "wrk -t" + std::to_string(threads) + " -c" + std::to_string(connections) +
                    " -d" + fmt(std::max(1.0, seconds)) + "s --timeout 10s" +
                    (script.empty() ? "" : " -s '" + script + "'") + " http://127.0.0.1:" +
                    std::to_string(port) + "/health 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) throw std::runtime_error("cannot run wrk");
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int rc = ::pclose(p);
  std::smatch m;
  static const std::regex total(R"((\d+) requests in ([0-9.]+)(us|ms|s|m))");
  if (rc != 0 || !std::regex_search(out, m, total)) {
    throw std::runtime_error("wrk failed (is it installed? scripts/install-deps adds it): " + out);
  }
  double elapsed = std::stod(m[2]);
  if (m[3] == "ms") elapsed /= 1e3;
  if (m[3] == "us") elapsed /= 1e6;
  if (m[3] == "m") elapsed *= 60;
  LoadResult r;
  r.sent = std::stol(m[1]);
  static const std::regex non2xx(R"(Non-2xx or 3xx responses: (\d+))");
  static const std::regex errors(R"(Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+))");
  if (std::regex_search(out, m, non2xx)) r.failed += std::stol(m[1]);
  if (std::regex_search(out, m, errors)) {
    r.failed += std::stol(m[1]) + std::stol(m[2]) + std::stol(m[3]) + std::stol(m[4]);
  }
  static const std::regex most(R"(wrk-max-n (\d+))");
  if (std::regex_search(out, m, most)) r.max_n = std::stol(m[1]);
  r.ok = std::max(0L, r.sent - r.failed);
  r.per_second = static_cast<double>(r.ok) / elapsed;
  return r;
}

std::string luaString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Writes a wrk script: `body` is Lua for request(), which sees `n` (this
// thread's request count so far), `tid` (0..threads-1), `threads`, and the
// header table `h` (the bearer token, a JSON Content-Type). done() prints
// "wrk-max-n N", the most requests one thread made (so a caller knows which
// ids a run used up).
std::string wrkScript(const std::string& path, int threads, const std::string& token,
                      const std::string& body, const std::string& extra = "") {
  std::ofstream out(path);
  out << "threads = " << threads << "\n"
      << "local created, list = 0, {}\n"
         "function setup(thread) thread:set(\"tid\", created); created = created + 1;"
         " table.insert(list, thread) end\n"
         "function init(args) n = 0 end\n"
         "function done(summary, latency, requests)\n"
         "  local most = 0\n"
         "  for _, t in ipairs(list) do local k = t:get(\"n\") or 0; if k > most then most = k end end\n"
         "  io.write(\"wrk-max-n \" .. most .. \"\\n\")\n"
         "end\n"
      << "h = {[\"Authorization\"] = \"Bearer " << token
      << "\", [\"Content-Type\"] = \"application/json\"}\n"
      << extra << "function request()\n" << body << "\nend\n";
  return path;
}

// The Lua table of the corpus' topics and places, for registration subjects.
std::string luaCorpus() {
  std::string t = "topics = {";
  for (auto w : kTopics) t += luaString(w) + ",";
  t += "}\nplaces = {";
  for (auto w : kPlaces) t += luaString(w) + ",";
  return t + "}\n";
}

// The cases from id `from` to `to` (at most `most`) whose committee has a
// unit to handle them, each with that unit (the first of the committee's own
// units in samples/nacka), in id order: what the transition load may assign.
std::vector<std::pair<long, std::string>> freshCasesWithUnits(const std::string& db_path, long from,
                                                               long to, long most) {
  static const std::map<std::string, std::string> kUnitOf = {
      {"SOCN", "bfe"}, {"KS", "kansli"}, {"BUN", "utbildning"}};
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT id, committee FROM cases WHERE id >= ? AND id <= ? ORDER BY id",
                         -1, &s, nullptr) != SQLITE_OK) {
    std::string m = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error("fresh cases: " + m);
  }
  sqlite3_bind_int64(s, 1, from);
  sqlite3_bind_int64(s, 2, to);
  std::vector<std::pair<long, std::string>> out;
  while (sqlite3_step(s) == SQLITE_ROW && static_cast<long>(out.size()) < most) {
    const char* c = reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
    auto unit = kUnitOf.find(c ? c : "");
    if (unit != kUnitOf.end()) out.emplace_back(static_cast<long>(sqlite3_column_int64(s, 0)), unit->second);
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  if (out.empty()) throw std::runtime_error("no fresh case of a committee with a unit");
  return out;
}

// Registrations: "Förslag om <topic> i <place>", alternately SOCN and KS.
std::string registrationScript(const std::string& dir, int threads, const std::string& token) {
  return wrkScript(
      dir + "/register.lua", threads, token,
      "  n = n + 1\n"
      "  local c = (n % 2 == 1) and \"SOCN\" or \"KS\"\n"
      "  local s = \"Förslag om \" .. topics[1 + (tid + n) % #topics] .. \" i \" .. "
      "places[1 + n % #places]\n"
      "  return wrk.format(\"POST\", \"/api/v1/cases\", h, '{\"committee\":\"' .. c .. "
      "'\",\"kind\":\"politikerinitiativ\",\"subject\":\"' .. s .. "
      "'\",\"received\":\"2020-08-25\",\"senders\":[{\"name\":\"Andreas Falk\",\"party\":\"S\"}]}')",
      luaCorpus());
}

// The baseline for durable writes: one row per transaction, the store's
// settings, a file beside the data directory.
double sqliteCommitLoop(const std::string& path, double seconds) {
  fs::remove(path);
  fs::remove(path + "-wal");
  fs::remove(path + "-shm");
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
               "CREATE TABLE t(id INTEGER PRIMARY KEY, dnr TEXT, subject TEXT, received TEXT,"
               " registered_at TEXT)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t(dnr, subject, received, registered_at) VALUES(?,?,?,?)",
                     -1, &s, nullptr);
  long n = 0;
  auto t0 = Clock::now();
  while (secondsSince(t0) < seconds) {
    std::string dnr = "SOCN 2020/" + std::to_string(++n);
    sqlite3_bind_text(s, 1, dnr.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, "Förslag om cykelbana i Nacka centrum", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, "2020-08-25", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, "2020-10-05T08:00:00Z", -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
    sqlite3_reset(s);
  }
  double rate = static_cast<double>(n) / secondsSince(t0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return rate;
}

// ---- search ----------------------------------------------------------------

// What people search for: a topic, a topic and a place, a prefix, a name.
std::vector<std::string> searchQueries(int count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    std::string topic(kTopics[rng() % kTopics.size()]);
    switch (i % 5) {
      case 0:
      case 1:
        out.push_back(topic);
        break;
      case 2:
        out.push_back(topic + " " + std::string(kPlaces[rng() % kPlaces.size()]));
        break;
      case 3: {
        // A prefix of at least 5 bytes, cut on a UTF-8 boundary.
        size_t n = std::min<size_t>(topic.size(), 5);
        while (n < topic.size() && (static_cast<unsigned char>(topic[n]) & 0xC0) == 0x80) ++n;
        out.push_back(topic.substr(0, n) + "*");
        break;
      }
      default:
        out.push_back(std::string(kSurnames[rng() % kSurnames.size()]));
    }
  }
  return out;
}

// The statements the store runs for GET /api/v1/cases?q= (engine/src/store/
// diarium_sql.cpp, no filters, the first page of 50 + 1), prepared on their
// own read-only connection, chosen the way Diarium::listCases chooses: count
// the hits up to the ranking limit, then rank them by bm25 or, beyond it,
// take the newest.
#define KANSLI_BENCH_COLUMNS                                                                   \
  "c.id, c.dnr, c.committee, c.series, c.year, c.number, c.kind, c.subject, c.received,"     \
  " c.unit, c.officer, c.state, c.workflow_id, c.workflow_version, c.version, c.deadline,"   \
  " c.secrecy_provision, c.secret_fields, c.registered_at, c.registered_by, c.closed,"       \
  " (SELECT count(*) FROM documents d WHERE d.case_id = c.id), c.state_deadline"
constexpr const char* kProbeSql =
    "SELECT count(*) FROM (SELECT 1 FROM case_search WHERE case_search MATCH ?1 LIMIT ?2)";
constexpr const char* kRankedSql =
    "SELECT " KANSLI_BENCH_COLUMNS ", t.r FROM"
    " (SELECT rowid AS cid, bm25(case_search, 10.0, 5.0, 1.0) AS r"
    "  FROM case_search WHERE case_search MATCH ?1 ORDER BY r, cid LIMIT 51) t"
    " CROSS JOIN cases c ON c.id = t.cid ORDER BY t.r, t.cid";
constexpr const char* kNewestSql =
    "SELECT " KANSLI_BENCH_COLUMNS ", 0.0 FROM case_search"
    " CROSS JOIN cases c ON c.id = case_search.rowid WHERE case_search MATCH ?1"
    " ORDER BY case_search.rowid DESC LIMIT 51";
// The statement before the ranking limit (bench/README.md's 2025 figures):
// bm25 for every hit, each hit joined to its case with its document count,
// then sorted. Measured beside the others to show what changed.
constexpr const char* kRankAllSql =
    "SELECT " KANSLI_BENCH_COLUMNS ", s.r FROM"
    " (SELECT rowid AS cid, bm25(case_search, 10.0, 5.0, 1.0) AS r"
    "  FROM case_search WHERE case_search MATCH ?1) s"
    " JOIN cases c ON c.id = s.cid ORDER BY s.r, c.id LIMIT 51";
#undef KANSLI_BENCH_COLUMNS
// The page's senders, as the store reads them (diarium_sql.cpp loadSenders:
// one statement with 201 placeholders for the page's ids, the rest NULL).
const std::string kSendersSql = [] {
  std::string sql = "SELECT case_id, name, party, organisation FROM case_senders WHERE case_id IN (";
  for (int i = 0; i < 201; ++i) sql += i ? ",?" : "?";
  return sql + ") ORDER BY case_id, position";
}();

struct Latencies {
  std::vector<double> ms;
  long rows = 0;    // rows the direct query returned, over all queries
  long newest = 0;  // queries answered newest first (more hits than the ranking limit)
};

sqlite3_stmt* prepareOrThrow(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("search sql: ") + sqlite3_errmsg(db));
  }
  return s;
}

// rank_all: the previous statement instead of the store's (and no senders, as then).
Latencies searchDirect(const std::string& db_path, const std::vector<std::string>& queries,
                       bool rank_all = false) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_exec(db, "PRAGMA cache_size=-16000", nullptr, nullptr, nullptr);  // as the store's readers
  sqlite3_stmt* probe = prepareOrThrow(db, kProbeSql);
  sqlite3_stmt* ranked = prepareOrThrow(db, rank_all ? kRankAllSql : kRankedSql);
  sqlite3_stmt* newest = prepareOrThrow(db, kNewestSql);
  sqlite3_stmt* senders = prepareOrThrow(db, kSendersSql.c_str());
  const auto limit = static_cast<sqlite3_int64>(DiariumOptions{}.ranked_search_limit);
  Latencies out;
  for (const auto& q : queries) {
    auto words = store::parseSearchWords(q);
    auto fts = std::optional<std::string>(store::ftsMatch(*words));
    auto t0 = Clock::now();
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);  // one snapshot, as the store's read
    sqlite3_stmt* s = ranked;
    if (!rank_all) {
      sqlite3_bind_text(probe, 1, fts->c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(probe, 2, limit + 1);
      if (sqlite3_step(probe) == SQLITE_ROW && sqlite3_column_int64(probe, 0) > limit) {
        s = newest;
        ++out.newest;
      }
      sqlite3_reset(probe);
    }
    sqlite3_bind_text(s, 1, fts->c_str(), -1, SQLITE_TRANSIENT);
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
      ++out.rows;
      sqlite3_bind_int64(senders, ++n, sqlite3_column_int64(s, 0));
    }
    sqlite3_reset(s);
    // The server answers with each case's senders: the same statement it runs.
    if (!rank_all) {
      while (sqlite3_step(senders) == SQLITE_ROW) {
      }
      sqlite3_reset(senders);
      sqlite3_clear_bindings(senders);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    out.ms.push_back(secondsSince(t0) * 1000);
  }
  sqlite3_finalize(probe);
  sqlite3_finalize(ranked);
  sqlite3_finalize(newest);
  sqlite3_finalize(senders);
  sqlite3_close(db);
  return out;
}

Latencies searchHttp(int port, const std::string& token, const std::vector<std::string>& queries) {
  Http h(port);
  h.setToken(token);
  Latencies out;
  for (const auto& q : queries) {
    std::string encoded;
    Poco::URI::encode(q, "&=+#?/", encoded);
    auto t0 = Clock::now();
    auto r = h.request("GET", "/api/v1/cases?limit=50&q=" + encoded);
    out.ms.push_back(secondsSince(t0) * 1000);
    if (r.status != 200) throw std::runtime_error("search " + q + ": " + r.body);
  }
  return out;
}

// ---- reporting -------------------------------------------------------------

struct Row {
  std::string what;
  std::vector<double> runs;
  std::string baseline_what;
  std::vector<double> baseline_runs;
  std::string unit;
  std::string aim;
  bool higher_is_better = true;
  int precision = 0;
};

void printRow(const Row& r, std::ostream& out) {
  double m = median(r.runs), b = median(r.baseline_runs);
  double ratio = b > 0 ? m / b : 0;
  out << "  " << r.what << ": " << fmt(m, r.precision) << " " << r.unit << " "
      << runsText(r.runs, r.precision) << "\n"
      << "    baseline " << r.baseline_what << ": " << fmt(b, r.precision) << " " << r.unit << " "
      << runsText(r.baseline_runs, r.precision) << "\n"
      << "    ratio " << fmt(ratio, 2) << "x" << (r.aim.empty() ? "" : "  (aim " + r.aim + ")");
  // Each run's figure over its own baseline: measured seconds apart, so the
  // machine's noise cancels more than in the ratio of medians.
  if (r.runs.size() == r.baseline_runs.size() && r.runs.size() > 1) {
    std::vector<double> per_run;
    for (size_t i = 0; i < r.runs.size(); ++i) {
      per_run.push_back(r.baseline_runs[i] > 0 ? r.runs[i] / r.baseline_runs[i] : 0);
    }
    out << "  per run " << runsText(per_run, 2) << ", median " << fmt(median(per_run), 2) << "x";
  }
  out << "\n";
}

struct Options {
  int cases = 100000;
  int runs = 3;
  double seconds = 5;
  int clients = 16;
  int queries = 100;
  std::set<std::string> only;
  std::string dir;
  bool keep = false;
  int threads = 2;  // wrk threads
  std::string kansli = KANSLI_BINARY;
  std::string floor = KANSLI_POCO_FLOOR;
  bool wants(const std::string& name) const { return only.empty() || only.count(name); }
};

Options parseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--cases") {
      o.cases = std::stoi(value());
    } else if (a == "--runs") {
      o.runs = std::stoi(value());
    } else if (a == "--seconds") {
      o.seconds = std::stod(value());
    } else if (a == "--clients") {
      o.clients = std::stoi(value());
    } else if (a == "--queries") {
      o.queries = std::stoi(value());
    } else if (a == "--only") {
      std::stringstream ss(value());
      std::string item;
      while (std::getline(ss, item, ',')) o.only.insert(item);
    } else if (a == "--dir") {
      o.dir = value();
    } else if (a == "--threads") {
      o.threads = std::stoi(value());
    } else if (a == "--kansli") {
      o.kansli = value();
    } else if (a == "--keep") {
      o.keep = true;
    } else {
      throw std::runtime_error("unknown option " + a +
                               " (--cases --runs --seconds --clients --threads --queries --only --dir "
                               "--kansli --keep)");
    }
  }
  if (o.cases < 1 || o.runs < 1 || o.clients < 1 || o.threads < 1 || o.queries < 1 || o.seconds <= 0) {
    throw std::runtime_error("--cases, --runs, --clients, --queries and --seconds must be positive");
  }
  return o;
}

std::string machine() {
  std::ifstream cpu("/proc/cpuinfo");
  std::string line, model;
  int cores = 0;
  while (std::getline(cpu, line)) {
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      ++cores;
    }
  }
  std::ifstream mem("/proc/meminfo");
  std::getline(mem, line);
  return std::to_string(cores) + " x " + model + ", " + line;
}

int run(const Options& o) {
  std::string root = o.dir;
  if (root.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "kansli-bench-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp");
    root = tmpl;
  }
  fs::create_directories(root);
  // A temporary root goes away however the run ends (the servers are stopped
  // by their destructors first, being declared later).
  struct RemoveRoot {
    std::string path;
    ~RemoveRoot() {
      std::error_code ec;
      if (!path.empty()) fs::remove_all(path, ec);
    }
  } remove_root{!o.keep && o.dir.empty() ? root : std::string()};
  std::cout << "kansli_bench: " << machine() << "\n"
            << "  data in " << root << "; " << o.runs << " runs; " << o.clients << " clients; "
            << o.seconds << " s per load (wrk, " << o.threads << " threads, " << o.clients
            << " keep-alive connections); " << o.cases << " generated cases\n"
            << "  load average at the start: " << loadAverage()
            << " (figures count only from a quiet machine: well under 1 on 2 cores)\n"
            << std::flush;
  std::vector<Row> rows;
  std::vector<std::string> notes;

  // An empty database: the baseline for start-up and memory.
  std::string empty_dir = root + "/empty";
  prepareDataDir(o.kansli, empty_dir);
  std::vector<double> empty_startup, empty_rss;
  for (int r = 0; r < o.runs; ++r) {
    Server s(o.kansli, empty_dir);
    empty_startup.push_back(s.startupSeconds() * 1000);
    empty_rss.push_back(static_cast<double>(memoryOf(s.pid()).rss_kb) / 1024.0);
  }

  // A generated database: one case registered by the program, then the rest
  // generated. Returns a token of the bench user (sessions live in the file).
  auto org = loadOrganisation(std::string(KANSLI_SOURCE_DIR) + "/samples/nacka/organisation.xml",
                              std::string(KANSLI_SOURCE_DIR) + "/schemas/organisation.rng");
  if (!org) throw std::runtime_error("organisation: " + org.error().message);
  auto generated = [&](const std::string& dir, int cases) {
    prepareDataDir(o.kansli, dir);
    std::string t;
    {
      Server s(o.kansli, dir);
      t = signIn(s.port());
      Http h(s.port());
      h.setToken(t);
      auto r = h.request("POST", "/api/v1/cases",
                         R"({"committee":"SOCN","kind":"politikerinitiativ","subject":"Mall",)"
                         R"("received":"2020-08-25","senders":[{"name":"Andreas Falk","party":"S"}]})");
      if (r.status != 201) throw std::runtime_error("template case: " + r.body);
    }
    auto gen = generateCases(dir, *org, cases - 1, 20201005);
    std::cout << "  generated " << gen.cases << " cases in " << fmt(gen.seconds, 1) << " s ("
              << fmt(gen.cases / gen.seconds) << "/s), database "
              << fs::file_size(dir + "/kansli.db") / (1024 * 1024) << " MiB\n"
              << std::flush;
    return t;
  };
  std::string large_dir = root + "/large";
  std::string token = generated(large_dir, o.cases);
  // Growth: the same registrations and searches on databases of cases/100
  // and cases/10 (10,000 and 100,000 beside --cases 1000000).
  std::vector<int> growth_sizes;
  std::vector<std::string> growth_tokens;
  std::vector<std::unique_ptr<Server>> growth_servers;
  if (o.wants("growth") && o.cases >= 1000) {
    for (int n : {o.cases / 100, o.cases / 10}) {
      growth_tokens.push_back(generated(root + "/growth-" + std::to_string(n), n));
      growth_sizes.push_back(n);
    }
  }

  std::vector<double> large_startup;
  for (int r = 0; r + 1 < o.runs; ++r) {
    Server s(o.kansli, large_dir);
    large_startup.push_back(s.startupSeconds() * 1000);
  }
  Server server(o.kansli, large_dir);
  large_startup.push_back(server.startupSeconds() * 1000);
  for (int n : growth_sizes) {
    growth_servers.push_back(
        std::make_unique<Server>(o.kansli, root + "/growth-" + std::to_string(n)));
  }
  if (o.wants("startup")) {
    rows.push_back({"start-up on " + std::to_string(o.cases) + " cases (launch to first answer)",
                    large_startup, "on an empty database", empty_startup, "ms", "", false, 0});
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  Memory idle = memoryOf(server.pid());

  auto queries = searchQueries(o.queries, 42);
  std::vector<double> reg, raw, reads, health, search_p50, search_p95, search_p99, direct_p50,
      direct_p95, direct_p99, rss_load, trans, raw_trans, before_p50, before_p95, before_p99,
      floor_health;
  // growth[i]: registrations/s and search p50/p95 at growth_sizes[i]; the
  // large database is the last entry.
  struct GrowthRuns {
    std::vector<double> reg, p50, p95;
  };
  std::vector<GrowthRuns> growth(growth_sizes.size() + 1);
  std::atomic<long> max_id{o.cases};
  std::atomic<long> next_transition{1};  // cases still in their first state, taken in id order
  long failures = 0, search_rows = 0, search_newest = 0;
  PocoFloor poco_floor(o.floor);
  const std::string reg_script = registrationScript(root, o.threads, token);
  const std::string read_script = wrkScript(
      root + "/read.lua", o.threads, token,
      "  n = n + 1\n"
      "  return wrk.format(\"GET\", \"/api/v1/cases/\" .. (1 + (tid * 7919 + n * 104729) % top), h)",
      "top = " + std::to_string(o.cases) + "\n");
  std::vector<std::string> growth_scripts;
  for (size_t i = 0; i < growth_sizes.size(); ++i) {
    fs::create_directories(root + "/script-" + std::to_string(i));
    growth_scripts.push_back(
        registrationScript(root + "/script-" + std::to_string(i), o.threads, growth_tokens[i]));
  }
  std::map<std::string, long> failed_by_load;
  auto writeLoad = [&](int port, const std::string& script) {
    auto l = wrkLoad(port, script, o.threads, o.clients, o.seconds);
    if (l.failed) failed_by_load[script.empty() ? "GET /health" : fs::path(script).stem().string()] += l.failed;
    return l;
  };
  for (int r = 0; r < o.runs; ++r) {
    std::cout << "  run " << r + 1 << "/" << o.runs << " (load average " << loadAverage() << ") ..."
              << std::flush;
    if (o.wants("registrations")) {
      std::atomic<long> sampled_rss{0};
      std::atomic<bool> done{false};
      std::thread sampler([&] {
        while (!done) {
          sampled_rss = std::max(sampled_rss.load(), memoryOf(server.pid()).rss_kb);
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
      });
      auto l = writeLoad(server.port(), reg_script);
      done = true;
      sampler.join();
      rss_load.push_back(static_cast<double>(sampled_rss.load()) / 1024.0);
      reg.push_back(l.per_second);
      failures += l.failed;
      max_id += l.ok;
      raw.push_back(sqliteCommitLoop(root + "/baseline.db", o.seconds));
    }
    if (o.wants("transitions")) {
      // tilldela_enhet (registrerad -> tilldelad, the registrator's step)
      // with If-Match on a case nobody has changed: generated and registered
      // cases are at version 1. A case goes only to a unit that works for
      // its committee (checkCaseUnit), so the load takes the fresh cases of
      // committees that have one, each with its committee's unit: request k
      // of thread tid takes fresh[1 + tid + k * threads].
      const auto fresh = freshCasesWithUnits(large_dir + "/kansli.db", next_transition.load(),
                                             max_id.load(), 200000);
      std::string ids = "fresh = {", units = "units = {";
      for (const auto& [id, unit] : fresh) {
        ids += std::to_string(id) + ",";
        units += "\"" + unit + "\",";
      }
      std::string script = wrkScript(
          root + "/transition.lua", o.threads, token,
          "  local k = 1 + tid + n * threads\n"
          "  n = n + 1\n"
          "  if k > #fresh then k = #fresh end\n"  // out of fresh cases: 412, counted as failed
          "  return wrk.format(\"POST\", \"/api/v1/cases/\" .. fresh[k] .. \"/transitions\", th,"
          " '{\"transition\":\"tilldela_enhet\",\"unit\":\"' .. units[k] .. '\"}')",
          ids + "}\n" + units + "}\n" + "th = {[\"Authorization\"] = \"Bearer " + token +
              "\", [\"Content-Type\"] = \"application/json\", [\"If-Match\"] = '\"1\"'}\n");
      auto l = writeLoad(server.port(), script);
      const size_t taken = static_cast<size_t>((l.max_n + 1) * o.threads);
      next_transition = taken < fresh.size() ? fresh[taken].first : max_id.load() + 1;
      trans.push_back(l.per_second);
      failures += l.failed;
      raw_trans.push_back(sqliteCommitLoop(root + "/baseline.db", o.seconds));
    }
    if (o.wants("reads")) {
      // The floor first, then Kansli's /health, then reads by id, seconds
      // apart with the same client and settings.
      auto fl = writeLoad(poco_floor.port(), "");
      floor_health.push_back(fl.per_second);
      failures += fl.failed;
      auto hl = writeLoad(server.port(), "");
      health.push_back(hl.per_second);
      failures += hl.failed;
      auto l = writeLoad(server.port(), read_script);
      reads.push_back(l.per_second);
      failures += l.failed;
    }
    if (o.wants("search")) {
      auto h = searchHttp(server.port(), token, queries);
      auto d = searchDirect(large_dir + "/kansli.db", queries);
      auto before = searchDirect(large_dir + "/kansli.db", queries, true);
      before_p50.push_back(percentile(before.ms, 50));
      before_p95.push_back(percentile(before.ms, 95));
      before_p99.push_back(percentile(before.ms, 99));
      search_newest = d.newest;
      search_p50.push_back(percentile(h.ms, 50));
      search_p95.push_back(percentile(h.ms, 95));
      search_p99.push_back(percentile(h.ms, 99));
      direct_p50.push_back(percentile(d.ms, 50));
      direct_p95.push_back(percentile(d.ms, 95));
      direct_p99.push_back(percentile(d.ms, 99));
      search_rows = d.rows;
    }
    if (!growth_sizes.empty()) {
      // Smallest to largest in every run, so the machine's noise spreads
      // over all sizes.
      for (size_t i = 0; i <= growth_sizes.size(); ++i) {
        const Server& s = i < growth_sizes.size() ? *growth_servers[i] : server;
        const std::string& t = i < growth_sizes.size() ? growth_tokens[i] : token;
        auto l = writeLoad(s.port(), i < growth_sizes.size() ? growth_scripts[i] : reg_script);
        failures += l.failed;
        if (i == growth_sizes.size()) max_id += l.ok;
        auto h = searchHttp(s.port(), t, queries);
        growth[i].reg.push_back(l.per_second);
        growth[i].p50.push_back(percentile(h.ms, 50));
        growth[i].p95.push_back(percentile(h.ms, 95));
      }
    }
    std::cout << " done (load average " << loadAverage() << ")\n" << std::flush;
  }
  Memory end = memoryOf(server.pid());

  if (o.wants("registrations")) {
    rows.push_back({"durable registrations over HTTP, " + std::to_string(o.clients) + " clients",
                    reg, "sqlite3 loop, 1 row per transaction (WAL, synchronous=FULL)", raw,
                    "/s", ">= 1.0x", true, 0});
  }
  if (o.wants("transitions")) {
    rows.push_back({"durable transitions over HTTP (If-Match), " + std::to_string(o.clients) +
                        " clients",
                    trans, "sqlite3 loop, 1 row per transaction (WAL, synchronous=FULL)",
                    raw_trans, "/s", ">= 1.0x", true, 0});
  }
  if (o.wants("reads")) {
    rows.push_back({"GET /health, " + std::to_string(o.clients) + " connections", health,
                    "bare Poco HTTPServer answering the same JSON", floor_health, "/s", ">= 0.9x",
                    true, 0});
    rows.push_back({"GET /api/v1/cases/{id} (bearer), " + std::to_string(o.clients) +
                        " connections",
                    reads, "bare Poco HTTPServer answering /health's JSON", floor_health, "/s",
                    ">= 0.5x", true, 0});
    rows.push_back({"GET /api/v1/cases/{id} (bearer)", reads, "Kansli's own GET /health", health,
                    "/s", "", true, 0});
  }
  if (o.wants("search")) {
    std::string n = std::to_string(o.cases);
    rows.push_back({"search p50 over " + n + " cases (HTTP)", search_p50, "same MATCH on sqlite3",
                    direct_p50, "ms", "<= 2x", false, 2});
    rows.push_back({"search p95 over " + n + " cases (HTTP)", search_p95, "same MATCH on sqlite3",
                    direct_p95, "ms", "<= 2x, p95 < 20 ms", false, 2});
    rows.push_back({"search p99 over " + n + " cases (HTTP)", search_p99, "same MATCH on sqlite3",
                    direct_p99, "ms", "<= 2x", false, 2});
    rows.push_back({"search p50 over " + n + " cases (HTTP)", search_p50,
                    "the previous statement on sqlite3 (bm25 for every hit)", before_p50, "ms", "",
                    false, 2});
    rows.push_back({"search p95 over " + n + " cases (HTTP)", search_p95,
                    "the previous statement on sqlite3 (bm25 for every hit)", before_p95, "ms", "",
                    false, 2});
    rows.push_back({"search p99 over " + n + " cases (HTTP)", search_p99,
                    "the previous statement on sqlite3 (bm25 for every hit)", before_p99, "ms", "",
                    false, 2});
  }
  if (!growth_sizes.empty()) {
    std::vector<int> sizes = growth_sizes;
    sizes.push_back(o.cases);
    std::string smallest = std::to_string(sizes.front());
    for (size_t i = 1; i < sizes.size(); ++i) {
      std::string n = std::to_string(sizes[i]);
      rows.push_back({"growth: registrations at " + n + " cases", growth[i].reg,
                      "at " + smallest + " cases", growth[0].reg, "/s", ">= 0.8x", true, 0});
    }
    for (size_t i = 1; i < sizes.size(); ++i) {
      std::string n = std::to_string(sizes[i]);
      rows.push_back({"growth: search p50 at " + n + " cases", growth[i].p50,
                      "at " + smallest + " cases", growth[0].p50, "ms", "<= 1.2x", false, 2});
      rows.push_back({"growth: search p95 at " + n + " cases", growth[i].p95,
                      "at " + smallest + " cases", growth[0].p95, "ms", "<= 1.2x", false, 2});
    }
  }
  if (o.wants("memory")) {
    rows.push_back({"VmRSS idle on " + std::to_string(o.cases) + " cases",
                    {static_cast<double>(idle.rss_kb) / 1024.0}, "idle on an empty database",
                    empty_rss, "MiB", "", false, 1});
    if (!rss_load.empty()) {
      rows.push_back({"VmRSS under registration load (peak sample)", rss_load,
                      "idle on an empty database", empty_rss, "MiB", "", false, 1});
    }
    rows.push_back({"VmHWM at the end (peak over the whole run)",
                    {static_cast<double>(end.hwm_kb) / 1024.0}, "idle on an empty database",
                    empty_rss, "MiB", "", false, 1});
  }

  std::cout << "\nResults (median of " << o.runs << " runs, the runs in brackets; load average"
            << " now " << loadAverage() << "):\n";
  for (const auto& r : rows) printRow(r, std::cout);
  if (o.wants("search")) {
    std::cout << "  (" << queries.size() << " queries: topics, topic + place, prefixes, surnames;"
              << " first page of 50; " << fmt(static_cast<double>(search_rows) / queries.size(), 1)
              << " rows per query on average; " << search_newest << " of them match more than "
              << DiariumOptions{}.ranked_search_limit << " cases and come newest first)\n";
  }
  if (failures) {
    std::cout << "  WARNING: " << failures << " requests failed during the loads:";
    for (const auto& [load, n] : failed_by_load) std::cout << " " << load << " " << n << ";";
    std::cout << "\n";
  }
  server.stop();
  return failures ? 1 : 0;
}

}  // namespace
}  // namespace kansli::bench

int main(int argc, char** argv) {
  try {
    return kansli::bench::run(kansli::bench::parseArgs(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "kansli_bench: " << e.what() << "\n";
    return 1;
  }
}
