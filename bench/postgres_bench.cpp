// postgres_bench: Kansli on PostgreSQL beside its baselines, in one run
// (`make bench-postgres`; bench/README.md has the figures).
//
// Starts a PostgreSQL 15 cluster of its own with the durable defaults
// (scripts/test-postgres start DIR --durable: fsync on, synchronous_commit
// on) and the real `kansli serve` (this tree's release build), and measures
// with --clients keep-alive HTTP clients for --seconds, --runs times
// interleaved (noise on the shared cores hits every figure alike):
//
//   registrations/s  POST /api/v1/cases (durable: answered after COMMIT)
//       on PostgreSQL with one node, with two nodes (clients split), and on
//       SQLite with one node; beside a raw libpq loop committing one row per
//       transaction on the same PostgreSQL (1 connection, and --clients
//       connections), and the raw sqlite3 loop (WAL, synchronous=FULL)
//   reads/s          GET /api/v1/cases/{id} on the same three set-ups,
//       beside GET /health on the same node(s)
//   migrate-store    a generated --cases data dir copied into an empty
//       PostgreSQL database, and `audit verify` on the copy
//
// It prints the load average first and last: figures from a busy machine
// are ratios only.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <libpq-fe.h>
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
#include <memory>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "generate.h"
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
std::string fmt(double v, int precision = 0) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(precision) << v;
  return o.str();
}
std::string loadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

struct Answer {
  int status = 0;
  std::string body;
};

class Http {
 public:
  explicit Http(int port) : session_("127.0.0.1", static_cast<Poco::UInt16>(port)) {
    session_.setKeepAlive(true);
    session_.setTimeout(Poco::Timespan(60, 0));
  }
  void setToken(const std::string& t) { token_ = t; }
  Answer request(const std::string& method, const std::string& path, const std::string& body = "") {
    try {
      Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
      req.setKeepAlive(true);
      if (!token_.empty()) req.set("Authorization", "Bearer " + token_);
      if (method == "POST") {
        req.setContentType("application/json");
        req.setContentLength64(static_cast<Poco::Int64>(body.size()));
      }
      session_.sendRequest(req) << body;
      Poco::Net::HTTPResponse res;
      std::istream& in = session_.receiveResponse(res);
      Answer a;
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

int run(const std::string& program, const std::vector<std::string>& args,
        const std::string& input = "", std::string* output = nullptr) {
  Poco::Pipe in, out;
  auto h = Poco::Process::launch(program, args, &in, &out, &out);
  {
    Poco::PipeOutputStream os(in);
    os << input;
    os.close();
  }
  Poco::PipeInputStream is(out);
  std::ostringstream ss;
  ss << is.rdbuf();
  int code = h.wait();
  if (output) *output = ss.str();
  if (code != 0) throw std::runtime_error(program + " " + args[0] + ": " + ss.str());
  return code;
}

class Server {
 public:
  Server(const std::string& kansli, const std::string& data_dir, const std::string& url) {
    std::vector<std::string> args = {"serve", "--data-dir", data_dir, "--port", "0", "--quiet",
                                     "--org",
                                     std::string(KANSLI_SOURCE_DIR) +
                                         "/samples/nacka/organisation.xml"};
    if (!url.empty()) {
      args.push_back("--database");
      args.push_back(url);
    }
    Poco::Pipe out;
    handle_ = std::make_unique<Poco::ProcessHandle>(
        Poco::Process::launch(kansli, args, nullptr, &out, &out));
    std::string output;
    std::regex re("http://[0-9.]+:([0-9]+)/");
    char buf[512];
    while (port_ == 0) {
      int n = out.readBytes(buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("kansli serve did not start: " + output);
      output.append(buf, static_cast<size_t>(n));
      std::smatch m;
      if (std::regex_search(output, m, re)) port_ = std::stoi(m[1]);
    }
    drain_ = std::thread([out]() mutable {
      char b[512];
      while (out.readBytes(b, sizeof b) > 0) {
      }
    });
  }
  ~Server() {
    ::kill(handle_->id(), SIGTERM);
    handle_->wait();
    if (drain_.joinable()) drain_.join();
  }
  int port() const { return port_; }

 private:
  std::unique_ptr<Poco::ProcessHandle> handle_;
  std::thread drain_;
  int port_ = 0;
};

const std::string kPassword = "ett-långt-lösenord-för-mätning";

std::string signIn(int port) {
  Http h(port);
  auto r = h.request("POST", "/api/v1/session",
                     R"({"username":"bench","password":")" + kPassword + "\"}");
  if (r.status != 201) throw std::runtime_error("sign-in: " + r.body);
  Poco::JSON::Parser p;
  return p.parse(r.body).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("token");
}

// `clients` threads over `ports` (round robin), each on its own keep-alive
// connection, for `seconds`; answers with status `want` count.
double httpLoad(const std::vector<int>& ports, const std::string& token, int clients,
                double seconds, int want, const std::function<std::string(int, long)>& path,
                const std::string& method, const std::string& body_of = "") {
  std::atomic<long> ok{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  auto t0 = Clock::now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      Http h(ports[static_cast<size_t>(c) % ports.size()]);
      h.setToken(token);
      for (long n = 0; !stop.load(std::memory_order_relaxed); ++n) {
        std::string body = body_of.empty() ? "" :
            R"({"committee":"SOCN","kind":"politikerinitiativ","subject":"Förslag )" +
                std::to_string(c) + "-" + std::to_string(n) +
                R"( om cykelbana i Nacka centrum","received":"2020-08-25","senders":[{"name":"Andreas Falk","party":"S"}]})";
        if (h.request(method, path(c, n), body).status == want) ++ok;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  return static_cast<double>(ok.load()) / secondsSince(t0);
}

// The baseline for durable writes on PostgreSQL: `connections` clients, each
// committing one row per transaction (synchronous_commit on), as long.
double pgCommitLoop(const std::string& url, int connections, double seconds) {
  {
    PGconn* c = PQconnectdb(url.c_str());
    PQclear(PQexec(c, "DROP TABLE IF EXISTS raw_loop;"
                      "CREATE TABLE raw_loop (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY"
                      " KEY, dnr text, subject text, received text, registered_at text)"));
    PQfinish(c);
  }
  std::atomic<long> n{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  auto t0 = Clock::now();
  for (int i = 0; i < connections; ++i) {
    threads.emplace_back([&, i] {
      PGconn* c = PQconnectdb(url.c_str());
      PQclear(PQprepare(c, "ins",
                        "INSERT INTO raw_loop(dnr, subject, received, registered_at)"
                        " VALUES($1, $2, $3, $4)",
                        4, nullptr));
      for (long k = 0; !stop.load(std::memory_order_relaxed); ++k) {
        std::string dnr = "SOCN 2020/" + std::to_string(i) + "-" + std::to_string(k);
        const char* v[] = {dnr.c_str(), "Förslag om cykelbana i Nacka centrum", "2020-08-25",
                           "2020-10-05T08:00:00Z"};
        PGresult* r = PQexecPrepared(c, "ins", 4, v, nullptr, nullptr, 0);  // autocommit
        if (PQresultStatus(r) == PGRES_COMMAND_OK) ++n;
        PQclear(r);
      }
      PQfinish(c);
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  return static_cast<double>(n.load()) / secondsSince(t0);
}

double sqliteCommitLoop(const std::string& path, double seconds) {
  fs::remove(path);
  fs::remove(path + "-wal");
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
    sqlite3_step(s);
    sqlite3_reset(s);
  }
  double rate = static_cast<double>(n) / secondsSince(t0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return rate;
}

struct Options {
  int cases = 100000, runs = 3, clients = 16;
  double seconds = 5;
  std::string dir, kansli = KANSLI_BINARY;
  bool migrate = true;
};

int runAll(const Options& o) {
  std::string root = o.dir;
  if (root.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "kansli-pgbench-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp");
    root = tmpl;
  }
  const std::string script = std::string(KANSLI_SOURCE_DIR) + "/scripts/test-postgres";
  const std::string cluster = root + "/cluster";
  struct Cleanup {
    std::string script, cluster, root;
    ~Cleanup() {
      (void)std::system((script + " destroy " + cluster + " >/dev/null 2>&1").c_str());
      std::error_code ec;
      fs::remove_all(root, ec);
    }
  } cleanup{script, cluster, root};
  std::cout << "postgres_bench: load average " << loadAverage() << " (2 cores: above 2 the"
            << " machine is busy and only the ratios hold)\n"
            << "  " << o.runs << " runs, " << o.clients << " clients, " << o.seconds
            << " s per load\n" << std::flush;
  std::string admin;
  run("/bin/bash", {script, "start", cluster, "--durable"}, "", &admin);
  admin.erase(admin.find_last_not_of("\n ") + 1);
  auto url = [&](const std::string& db) { return admin.substr(0, admin.rfind('/') + 1) + db; };
  auto createDb = [&](const std::string& db) {
    PGconn* c = PQconnectdb(admin.c_str());
    PQclear(PQexec(c, ("CREATE DATABASE " + db).c_str()));
    PQfinish(c);
  };

  // Three set-ups, each with the bench user and one case to read.
  createDb("one");
  createDb("raw");
  for (const std::string& d : {root + "/sqlite", root + "/pg-a", root + "/pg-b"}) {
    fs::create_directories(d);
  }
  run(o.kansli, {"user", "add", "--data-dir", root + "/sqlite", "--username", "bench", "--role",
                 "registrator"}, kPassword + "\n");
  run(o.kansli, {"user", "add", "--database", url("one"), "--username", "bench", "--role",
                 "registrator"}, kPassword + "\n");
  Server sqlite(o.kansli, root + "/sqlite", "");
  Server node_a(o.kansli, root + "/pg-a", url("one"));
  Server node_b(o.kansli, root + "/pg-b", url("one"));
  std::string sqlite_token = signIn(sqlite.port());
  std::string pg_token = signIn(node_a.port());

  std::map<std::string, std::vector<double>> fig;
  auto reads = [&](const std::vector<int>& ports, const std::string& token) {
    return httpLoad(ports, token, o.clients, o.seconds, 200,
                    [](int, long n) { return "/api/v1/cases/" + std::to_string(1 + n % 200); },
                    "GET");
  };
  auto health = [&](const std::vector<int>& ports) {
    return httpLoad(ports, "", o.clients, o.seconds, 200, [](int, long) { return "/health"; },
                    "GET");
  };
  auto regs = [&](const std::vector<int>& ports, const std::string& token) {
    return httpLoad(ports, token, o.clients, o.seconds, 201,
                    [](int, long) { return std::string("/api/v1/cases"); }, "POST", "x");
  };
  for (int r = 0; r < o.runs; ++r) {
    std::cout << "  run " << r + 1 << "/" << o.runs << " ..." << std::flush;
    fig["reg pg 1"].push_back(regs({node_a.port()}, pg_token));
    fig["reg pg 2"].push_back(regs({node_a.port(), node_b.port()}, pg_token));
    fig["reg sqlite"].push_back(regs({sqlite.port()}, sqlite_token));
    fig["raw pg 1"].push_back(pgCommitLoop(url("raw"), 1, o.seconds));
    fig["raw pg n"].push_back(pgCommitLoop(url("raw"), o.clients, o.seconds));
    fig["raw sqlite"].push_back(sqliteCommitLoop(root + "/raw.db", o.seconds));
    fig["read pg 1"].push_back(reads({node_a.port()}, pg_token));
    fig["read pg 2"].push_back(reads({node_a.port(), node_b.port()}, pg_token));
    fig["read sqlite"].push_back(reads({sqlite.port()}, sqlite_token));
    fig["health pg 1"].push_back(health({node_a.port()}));
    fig["health pg 2"].push_back(health({node_a.port(), node_b.port()}));
    fig["health sqlite"].push_back(health({sqlite.port()}));
    std::cout << " done\n" << std::flush;
  }
  auto line = [&](const std::string& what, const std::string& key, const std::string& base_what,
                  const std::string& base) {
    double m = median(fig[key]), b = median(fig[base]);
    std::cout << "  " << std::left << std::setw(44) << what << std::right << std::setw(8)
              << fmt(m) << " /s   beside " << base_what << " " << fmt(b) << " /s = "
              << fmt(b > 0 ? m / b : 0, 2) << "x\n";
  };
  std::cout << "\nregistrations (durable, " << o.clients << " clients)\n";
  line("PostgreSQL, 1 node", "reg pg 1", "raw libpq loop, 1 conn", "raw pg 1");
  line("PostgreSQL, 1 node", "reg pg 1", "raw libpq loop, " + std::to_string(o.clients) + " conns",
       "raw pg n");
  line("PostgreSQL, 2 nodes", "reg pg 2", "raw libpq loop, 1 conn", "raw pg 1");
  line("PostgreSQL, 2 nodes", "reg pg 2", "PostgreSQL, 1 node", "reg pg 1");
  line("SQLite, 1 node", "reg sqlite", "raw sqlite3 loop", "raw sqlite");
  line("PostgreSQL, 1 node", "reg pg 1", "SQLite, 1 node", "reg sqlite");
  std::cout << "reads: GET /api/v1/cases/{id} (" << o.clients << " clients)\n";
  line("PostgreSQL, 1 node", "read pg 1", "GET /health", "health pg 1");
  line("PostgreSQL, 2 nodes", "read pg 2", "GET /health", "health pg 2");
  line("PostgreSQL, 2 nodes", "read pg 2", "PostgreSQL, 1 node", "read pg 1");
  line("SQLite, 1 node", "read sqlite", "GET /health", "health sqlite");
  line("PostgreSQL, 1 node", "read pg 1", "SQLite, 1 node", "read sqlite");
  for (const auto& [k, v] : fig) {
    std::cout << "    runs " << std::left << std::setw(14) << k << std::right;
    for (double x : v) std::cout << " " << fmt(x);
    std::cout << "\n";
  }

  if (o.migrate) {
    // migrate-store of a generated data dir.
    std::string dir = root + "/generated";
    fs::create_directories(dir);
    run(o.kansli, {"user", "add", "--data-dir", dir, "--username", "bench", "--role",
                   "registrator"}, kPassword + "\n");
    {
      Server s(o.kansli, dir, "");
      Http h(s.port());
      h.setToken(signIn(s.port()));
      auto a = h.request("POST", "/api/v1/cases",
                         R"({"committee":"SOCN","kind":"politikerinitiativ","subject":"Mall",)"
                         R"("received":"2020-08-25","senders":[{"name":"Andreas Falk","party":"S"}]})");
      if (a.status != 201) throw std::runtime_error("template case: " + a.body);
    }
    auto org = loadOrganisation(std::string(KANSLI_SOURCE_DIR) + "/samples/nacka/organisation.xml",
                                std::string(KANSLI_SOURCE_DIR) + "/schemas/organisation.rng");
    if (!org) throw std::runtime_error(org.error().message);
    auto gen = generateCases(dir, *org, o.cases - 1, 20201130);
    createDb("migrated");
    auto t0 = Clock::now();
    std::string out;
    run(o.kansli, {"migrate-store", "--data-dir", dir, "--to", url("migrated")}, "", &out);
    double migrate_s = secondsSince(t0);
    t0 = Clock::now();
    std::string verify;
    run(o.kansli, {"audit", "verify", "--database", url("migrated")}, "", &verify);
    double verify_s = secondsSince(t0);
    std::cout << "\nmigrate-store of " << gen.cases + 1 << " cases ("
              << fs::file_size(dir + "/kansli.db") / (1024 * 1024) << " MiB SQLite): "
              << fmt(migrate_s, 1) << " s including its own verification\n"
              << out << "audit verify on the copy: " << fmt(verify_s, 1) << " s: " << verify;
  }
  std::cout << "load average at the end: " << loadAverage() << "\n";
  return 0;
}

}  // namespace
}  // namespace kansli::bench

int main(int argc, char** argv) {
  kansli::bench::Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--cases") o.cases = std::stoi(value());
    else if (a == "--runs") o.runs = std::stoi(value());
    else if (a == "--seconds") o.seconds = std::stod(value());
    else if (a == "--clients") o.clients = std::stoi(value());
    else if (a == "--dir") o.dir = value();
    else if (a == "--no-migrate") o.migrate = false;
    else {
      std::cerr << "unknown option " << a
                << " (--cases --runs --seconds --clients --dir --no-migrate)\n";
      return 2;
    }
  }
  try {
    return kansli::bench::runAll(o);
  } catch (const std::exception& e) {
    std::cerr << "postgres_bench: " << e.what() << "\n";
    return 1;
  }
}
