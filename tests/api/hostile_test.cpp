// The hostile corpus (tests/hostile/*.http) sent byte for byte over a raw
// socket to a server that holds a case with a memo and a meeting. Every
// request must get the answer its block expects ("4xx": a client error with a
// problem+json body; "2xx-harmless": the hostile text was just text;
// "stored": accepted and kept, CR/LF and all, then read back on every route
// that shows it; "slow": sent a byte a second over many connections at once,
// see SlowConnectionsDoNotStopTheService), no answer may carry /etc/passwd or
// a header the request smuggled in, no request may get two answers (a second
// request smuggled inside the first), the server must still answer /health
// after each, and every table but the audit log and the sessions must be byte
// for byte what it was before (checked before the "stored" blocks run).
//
// The corpus format (see tests/hostile/README.md):
//   === name
//   @expect 4xx | 2xx-harmless | stored | slow
//   @as ROLE            (optional; default: no token)
//   @status N           (optional: this exact status)
//   @slow N SECONDS     ("slow" blocks: N connections for SECONDS)
//   METHOD TARGET
//   Header: value
//   (blank line)
//   body ... up to the next "===" line
// In every part: {case}, {meeting}, {etag} are filled in; {{repeat N|TEXT|}}
// repeats TEXT N times (the text ends at "|}}"); \xNN is the byte NN.
// Host, Connection: close, Authorization (for @as) and Content-Length (unless
// the block sets Content-Length or Transfer-Encoding) are added.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <iostream>
#include <thread>
#include <filesystem>
#include <map>
#include <sstream>

#include "kansli/audit.h"
#include "testing/api_server.h"
#include "testing/database.h"
#include "testing/reference_case.h"

namespace kansli::testing {
namespace {

struct HostileRequest {
  std::string where;  // file:line name
  std::string expect;
  std::string as = "anonymous";
  int status = 0;
  int slow_connections = 0;
  int slow_seconds = 0;
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

std::vector<HostileRequest> loadCorpus(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".http") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<HostileRequest> out;
  for (const auto& f : files) {
    std::istringstream in(readFile(f.string()));
    std::string line;
    int lineno = 0;
    enum { kOutside, kMeta, kHeaders, kBody } state = kOutside;
    HostileRequest cur;
    std::vector<std::string> body_lines;
    auto finish = [&] {
      if (state == kOutside) return;
      while (!body_lines.empty() && body_lines.back().empty()) body_lines.pop_back();
      for (size_t i = 0; i < body_lines.size(); ++i) cur.body += (i ? "\n" : "") + body_lines[i];
      out.push_back(cur);
    };
    while (std::getline(in, line)) {
      ++lineno;
      if (line.rfind("=== ", 0) == 0) {
        finish();
        cur = HostileRequest{};
        body_lines.clear();
        cur.where = f.filename().string() + ":" + std::to_string(lineno) + " " + line.substr(4);
        state = kMeta;
        continue;
      }
      switch (state) {
        case kOutside:
          break;
        case kMeta:
          if (line.rfind("@expect ", 0) == 0) {
            cur.expect = line.substr(8);
          } else if (line.rfind("@as ", 0) == 0) {
            cur.as = line.substr(4);
          } else if (line.rfind("@status ", 0) == 0) {
            cur.status = std::stoi(line.substr(8));
          } else if (line.rfind("@slow ", 0) == 0) {
            std::istringstream slow(line.substr(6));
            slow >> cur.slow_connections >> cur.slow_seconds;
          } else if (!line.empty()) {
            auto sp = line.find(' ');
            cur.method = line.substr(0, sp);
            cur.target = sp == std::string::npos ? "" : line.substr(sp + 1);
            state = kHeaders;
          }
          break;
        case kHeaders:
          if (line.empty()) {
            state = kBody;
          } else {
            auto colon = line.find(':');
            std::string name = line.substr(0, colon);
            std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
            if (!value.empty() && value[0] == ' ') value.erase(0, 1);
            cur.headers.emplace_back(name, value);
          }
          break;
        case kBody:
          body_lines.push_back(line);
          break;
      }
    }
    finish();
  }
  return out;
}

std::string expand(std::string s, const std::map<std::string, std::string>& vars) {
  for (const auto& [k, v] : vars) {
    for (size_t at = s.find(k); at != std::string::npos; at = s.find(k, at + v.size())) {
      s.replace(at, k.size(), v);
    }
  }
  for (size_t at = s.find("{{repeat "); at != std::string::npos; at = s.find("{{repeat ")) {
    size_t bar = s.find('|', at);
    size_t end = bar == std::string::npos ? bar : s.find("|}}", bar + 1);
    if (bar == std::string::npos || end == std::string::npos) throw std::runtime_error("bad repeat");
    long n = std::stol(s.substr(at + 9, bar - at - 9));
    std::string text = s.substr(bar + 1, end - bar - 1), rep;
    rep.reserve(text.size() * static_cast<size_t>(n));
    for (long i = 0; i < n; ++i) rep += text;
    s.replace(at, end + 3 - at, rep);
  }
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x' && std::isxdigit(static_cast<unsigned char>(s[i + 2])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 3]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 2, 2), nullptr, 16));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// One exchange over a fresh socket, byte for byte; status 0 when no answer came.
HttpResult sendRaw(int port, const std::string& bytes) {
  HttpResult r;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return r;
  timeval tv{60, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return r;
  }
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer and close before reading it all
    sent += static_cast<size_t>(n);
  }
  std::string in;
  char buf[16384];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  size_t head_end = in.find("\r\n\r\n");
  if (in.rfind("HTTP/1.", 0) != 0 || head_end == std::string::npos) return r;
  r.status = std::atoi(in.substr(9, 3).c_str());
  std::istringstream head(in.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    r.headers[lower(line.substr(0, colon))] = value;
  }
  r.body = in.substr(head_end + 4);
  return r;
}

std::string buildRequest(const HostileRequest& h, const std::map<std::string, std::string>& vars,
                         const std::string& token) {
  std::string body = expand(h.body, vars);
  std::string out = expand(h.method, vars) + " " + expand(h.target, vars) + " HTTP/1.1\r\n";
  out += "Host: 127.0.0.1\r\n";
  bool length = false, auth = false;
  for (const auto& [k, v] : h.headers) {
    std::string lk = lower(k);
    length = length || lk == "content-length" || lk == "transfer-encoding";
    auth = auth || lk == "authorization";
    out += expand(k, vars) + ": " + expand(v, vars) + "\r\n";
  }
  if (!auth && !token.empty()) out += "Authorization: Bearer " + token + "\r\n";
  if (!length && (!body.empty() || h.method == "POST" || h.method == "PUT")) {
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  out += "Connection: close\r\n\r\n";
  return out + body;
}

// Every table but the audit log and the sessions, value by value; read-only,
// through the WAL the running server keeps. On PostgreSQL the same from its
// catalog (the chain's tip row moves with the audit log, so it is left out).
std::string dumpPostgresTables(const std::string& data_dir) {
  std::string out;
  for (const auto& t : queryStore(data_dir, "SELECT tablename FROM pg_tables WHERE schemaname ="
                                            " current_schema() ORDER BY tablename")) {
    const std::string& name = t[0];
    if (name == "audit_events" || name == "sessions" || name == "audit_chain_tip") continue;
    out += "== " + name + "\n";
    for (const auto& row : queryStore(data_dir, "SELECT x::text FROM \"" + name +
                                                    "\" x ORDER BY x::text COLLATE \"C\"")) {
      out += row[0] + "\n";
    }
  }
  return out;
}

std::string dumpTables(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path);
  }
  auto query = [&](const std::string& sql, std::string& out) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      sqlite3_finalize(st);
      return false;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        switch (sqlite3_column_type(st, i)) {
          case SQLITE_NULL: out += "NULL"; break;
          case SQLITE_INTEGER: out += "i" + std::to_string(sqlite3_column_int64(st, i)); break;
          case SQLITE_FLOAT: {
            char buf[64];
            std::snprintf(buf, sizeof buf, "f%.17g", sqlite3_column_double(st, i));
            out += buf;
            break;
          }
          default: {
            const auto* p = static_cast<const char*>(sqlite3_column_blob(st, i));
            int n = sqlite3_column_bytes(st, i);
            out += "b" + std::to_string(n) + ":" + std::string(p ? p : "", p ? static_cast<size_t>(n) : 0);
          }
        }
        out += '|';
      }
      out += '\n';
    }
    sqlite3_finalize(st);
    return true;
  };
  std::string names;
  query("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name", names);
  std::string out;
  std::istringstream in(names);
  std::string line;
  while (std::getline(in, line)) {
    std::string name = line.substr(line.find(':') + 1);
    name.pop_back();  // the '|'
    if (name == "audit_events" || name == "sessions") continue;
    out += "== " + name + "\n";
    if (name == "sqlite_sequence") {
      query("SELECT * FROM sqlite_sequence WHERE name NOT IN ('audit_events','sessions') ORDER BY name",
            out);
    } else if (!query("SELECT * FROM \"" + name + "\" ORDER BY rowid", out)) {
      query("SELECT * FROM \"" + name + "\"", out);  // WITHOUT ROWID: in key order
    }
  }
  sqlite3_close(db);
  return out;
}

class HostileCorpus : public ::testing::Test {
 protected:
  TestServer server;
  std::map<std::string, Client> clients{
      {"registrator", server.as("rita", Role::kRegistrator)},
      {"handlaggare", server.as("nina", Role::kHandlaggare, "bfe")},
      {"enhetschef", server.as("caroline", Role::kEnhetschef, "bfe")},
      {"namndsekreterare", server.as("sara", Role::kNamndsekreterare, {}, "SOCN")},
      {"ledamot", server.as("ordf", Role::kLedamot, {}, "SOCN")},
      {"admin", server.as("adm", Role::kAdmin)},
      {"anonymous", server.client()}};
};

TEST_F(HostileCorpus, EveryRequestIsRefusedOrHarmlessAndChangesNothing) {
  auto corpus = loadCorpus(sourceDir() + "/tests/hostile");
  ASSERT_GE(corpus.size(), 200u);

  std::string case_id = registerReferenceCase(clients.at("registrator"));
  assignUnit(clients.at("registrator"), case_id);
  auto memo = clients.at("handlaggare").request("PUT", "/api/v1/cases/" + case_id + "/memo",
                                                referenceMemoXml(),
                                                {{"Content-Type", "application/xml"}});
  ASSERT_EQ(memo.status, 201) << memo.body;
  auto m = clients.at("namndsekreterare").post(
      "/api/v1/meetings", R"({"committee":"SOCN","date":"2020-10-20","place":"Stadshuset"})");
  ASSERT_EQ(m.status, 201) << m.body;
  std::string meeting_id = std::to_string(m.json()->getValue<int>("id"));
  std::string etag = clients.at("registrator").get("/api/v1/cases/" + case_id).header("etag");
  ASSERT_FALSE(etag.empty());
  std::map<std::string, std::string> vars{
      {"{case}", case_id}, {"{meeting}", meeting_id}, {"{etag}", etag}};

  // The search indexes at rest first: a search takes the rows the set-up
  // queued into them (the store's queue moves on its own, not by a request).
  ASSERT_EQ(clients.at("registrator").get("/api/v1/cases?q=f%C3%B6rebyggande").status, 200);
  const std::string db = server.dataDir() + "/kansli.db";
  auto dump = [&] { return onPostgres() ? dumpPostgresTables(server.dataDir()) : dumpTables(db); };
  const std::string before = dump();
  ASSERT_NE(before.find("Förebyggande åtgärder"), std::string::npos);

  std::map<std::string, int> by_class;
  std::vector<const HostileRequest*> stored;
  for (const auto& h : corpus) {
    SCOPED_TRACE(h.where);
    ASSERT_TRUE(h.expect == "4xx" || h.expect == "2xx-harmless" || h.expect == "stored" ||
                h.expect == "slow")
        << "unknown @expect " << h.expect;
    ASSERT_TRUE(clients.count(h.as)) << "unknown @as " << h.as;
    ++by_class[h.expect];
    if (h.expect == "slow") continue;  // SlowConnectionsDoNotStopTheService
    if (h.expect == "stored") {
      stored.push_back(&h);
      continue;
    }
    auto r = sendRaw(server.port(), buildRequest(h, vars, clients.at(h.as).token()));
    std::string what = std::to_string(r.status) + " " + r.body.substr(0, 400);
    ASSERT_NE(r.status, 0) << "no answer";
    // One request, one answer: nothing after it was read as a request.
    EXPECT_EQ(r.body.find("HTTP/1."), std::string::npos) << "a second answer came: " << what;
    if (h.status) {
      EXPECT_EQ(r.status, h.status) << what;
    }
    if (h.expect == "4xx") {
      EXPECT_GE(r.status, 400) << what;
      EXPECT_LT(r.status, 500) << what;
      EXPECT_EQ(r.header("content-type").rfind("application/problem+json", 0), 0u) << what;
      if (h.method != "HEAD") {
        try {
          Poco::JSON::Parser p;
          auto o = p.parse(r.body).extract<Poco::JSON::Object::Ptr>();
          EXPECT_EQ(o->getValue<int>("status"), r.status) << what;
          EXPECT_FALSE(o->getValue<std::string>("detail").empty()) << what;
        } catch (const std::exception& e) {
          ADD_FAILURE() << "the problem body is not JSON (" << e.what() << "): " << what;
        }
      }
    } else {
      EXPECT_GE(r.status, 200) << what;
      EXPECT_LT(r.status, 300) << what;
    }
    EXPECT_EQ(r.body.find("root:x:0:0"), std::string::npos) << what;
    for (const auto& [k, v] : r.headers) {
      EXPECT_EQ(v.find("root:x:0:0"), std::string::npos) << k;
      EXPECT_NE(k, "set-cookie") << "a smuggled header came back";
      EXPECT_NE(k, "x-injected") << "a smuggled header came back";
    }
    auto health = server.client().get("/health");
    ASSERT_EQ(health.status, 200) << "the server stopped serving after this request";
  }
  EXPECT_GE(by_class["4xx"], 150);

  const std::string after = dump();
  EXPECT_TRUE(before == after) << "the hostile requests changed the database";

  // CR/LF (and the rest) in every string that is stored: accepted as text,
  // and never a header or a second answer where it is shown again.
  EXPECT_GE(stored.size(), 8u);
  for (const auto* h : stored) {
    SCOPED_TRACE(h->where);
    auto r = sendRaw(server.port(), buildRequest(*h, vars, clients.at(h->as).token()));
    EXPECT_GE(r.status, 200) << r.status << " " << r.body.substr(0, 400);
    EXPECT_LT(r.status, 300) << r.status << " " << r.body.substr(0, 400);
  }

  std::vector<std::pair<std::string, std::string>> reads = {
      {"registrator", "/api/v1/cases/" + case_id},
      {"registrator", "/api/v1/cases/" + case_id + "/documents"},
      {"registrator", "/api/v1/cases/" + case_id + "/history"},
      {"registrator", "/api/v1/cases?q=injected"},
      {"handlaggare", "/api/v1/cases/" + case_id + "/memo?format=html"},
      {"handlaggare", "/api/v1/cases/" + case_id + "/memo?format=txt"},
      {"ledamot", "/api/v1/meetings/" + meeting_id},
      {"ledamot", "/api/v1/meetings/" + meeting_id + "/agenda?format=html"},
      {"anonymous", "/api/v1/public/diarium?q=injected"},
      {"anonymous", "/api/v1/public/diarium/" + case_id},
      {"admin", "/api/v1/users"}};
  auto docs = clients.at("registrator").get("/api/v1/cases/" + case_id + "/documents").json();
  for (std::size_t i = 0; i < docs->getArray("items")->size(); ++i) {
    std::string n = std::to_string(docs->getArray("items")->getObject(static_cast<unsigned>(i))->getValue<int>("number"));
    reads.push_back({"registrator", "/api/v1/cases/" + case_id + "/documents/" + n});
    reads.push_back({"registrator", "/api/v1/cases/" + case_id + "/documents/" + n + "/content"});
  }
  for (const auto& [as, path] : reads) {
    SCOPED_TRACE(as + " " + path);
    std::string raw = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!clients.at(as).token().empty()) raw += "Authorization: Bearer " + clients.at(as).token() + "\r\n";
    auto r = sendRaw(server.port(), raw + "Connection: close\r\n\r\n");
    EXPECT_TRUE(r.status == 200 || r.status == 404) << r.status << " " << r.body.substr(0, 300);
    EXPECT_EQ(r.body.find("HTTP/1."), std::string::npos);
    for (const auto& [k, v] : r.headers) {
      EXPECT_NE(k, "x-injected") << "a stored string became a header";
      EXPECT_NE(k, "set-cookie") << "a stored string became a header";
      EXPECT_EQ(v.find_first_of("\r\n"), std::string::npos) << k;
    }
  }

  // The refused sign-ins were audited; the chain they extended still holds.
  auto chain = server.engine().database().verifyAudit();
  ASSERT_OK(chain);
  EXPECT_FALSE(chain->first_problem) << *chain->first_problem;
}

}  // namespace
}  // namespace kansli::testing

namespace kansli::testing {
namespace {

// A socket to the server on loopback, non-blocking; -1 on failure.
int connectLoopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// #14 item 7 (slowloris): 31 connections sending a header line every 5 s
// made /health time out. Each "slow" block of the corpus is sent by N
// connections at once, a byte a second each, for S seconds; a connection the
// server cuts off (408 at the head deadline) opens again, so N stay open
// throughout. Meanwhile /health is asked every half second and must answer
// 200 within 2 s every time.
TEST_F(HostileCorpus, SlowConnectionsDoNotStopTheService) {
  std::vector<HostileRequest> slow;
  for (auto& h : loadCorpus(sourceDir() + "/tests/hostile")) {
    if (h.expect == "slow") slow.push_back(h);
  }
  ASSERT_FALSE(slow.empty()) << "no slow block in tests/hostile";
  for (const auto& h : slow) {
    SCOPED_TRACE(h.where);
    ASSERT_GT(h.slow_connections, 0);
    ASSERT_GT(h.slow_seconds, 0);
    ASSERT_LE(h.slow_connections, 200) << "bounded: at most 200 connections";
    ASSERT_LE(h.slow_seconds, 30) << "bounded: at most 30 s";
    const std::string bytes = buildRequest(h, {}, "");
    struct Slow {
      int fd = -1;
      std::size_t sent = 0;
    };
    std::vector<Slow> conns(static_cast<std::size_t>(h.slow_connections));
    int opened = 0, cut_off = 0, answered_408 = 0;
    auto open = [&](Slow& s) {
      s.fd = connectLoopback(server.port());
      s.sent = 0;
      if (s.fd >= 0) ++opened;
    };
    for (auto& s : conns) open(s);

    std::atomic<bool> done{false};
    std::atomic<int> probes{0}, failed{0};
    std::atomic<long> slowest_ms{0};
    std::thread prober([&] {
      while (!done.load()) {
        auto t0 = std::chrono::steady_clock::now();
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval tv{2, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(server.port()));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bool ok = false;
        if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
          std::string req = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
          if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size())) {
            char buf[64] = {};
            ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
            ok = n > 12 && std::string(buf, static_cast<std::size_t>(n)).rfind("HTTP/1.1 200", 0) == 0;
          }
        }
        ::close(fd);
        long ms = static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now() - t0)
                                        .count());
        slowest_ms.store(std::max(slowest_ms.load(), ms));
        ++probes;
        if (!ok || ms > 2000) ++failed;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
      }
    });

    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(h.slow_seconds);
    while (std::chrono::steady_clock::now() < end) {
      for (auto& s : conns) {
        if (s.fd < 0) {
          open(s);
          continue;
        }
        // Anything back means the server gave up on this one (408) or closed.
        char buf[256];
        ssize_t n = ::recv(s.fd, buf, sizeof buf, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
          ::close(s.fd);
          ++cut_off;
          open(s);
          continue;
        }
        if (n > 0) {
          if (std::string(buf, static_cast<std::size_t>(n)).rfind("HTTP/1.1 408", 0) == 0) ++answered_408;
          continue;  // the close follows
        }
        if (s.sent < bytes.size() - 1) {  // never the last byte: the request stays unfinished
          if (::send(s.fd, bytes.data() + s.sent, 1, MSG_NOSIGNAL) == 1) ++s.sent;
        }
      }
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    done = true;
    prober.join();
    for (auto& s : conns) {
      if (s.fd >= 0) ::close(s.fd);
    }
    RecordProperty("slow_connections_opened", opened);
    EXPECT_GE(opened, h.slow_connections);
    EXPECT_GE(probes.load(), h.slow_seconds);
    EXPECT_EQ(failed.load(), 0) << failed.load() << " of " << probes.load()
                                << " /health probes failed or took over 2 s (slowest "
                                << slowest_ms.load() << " ms)";
    // The head deadline (10 s) cut the slow ones off, with a 408 where a
    // request had begun.
    EXPECT_GT(cut_off, 0);
    EXPECT_GT(answered_408, 0);
    std::cout << "[ slow ] " << h.slow_connections << " connections for " << h.slow_seconds
              << " s: " << opened << " opened, " << cut_off << " cut off (" << answered_408
              << " with 408), " << probes.load() << " /health probes, slowest "
              << slowest_ms.load() << " ms\n";
  }
  EXPECT_EQ(server.client().get("/health").status, 200);
}

}  // namespace
}  // namespace kansli::testing
