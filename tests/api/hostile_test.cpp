// The hostile corpus (tests/hostile/*.http) sent byte for byte over a raw
// socket to a server that holds a case with a memo and a meeting. Every
// request must get the answer its block expects ("4xx": a client error with a
// problem+json body; "2xx-harmless": the hostile text was just text;
// "closed": Poco drops the connection before the service sees the request), no
// answer may carry /etc/passwd or a header the request smuggled in, the
// server must still answer /health after each, and at the end every table but
// the audit log and the sessions must be byte for byte what it was before.
//
// The corpus format (see tests/hostile/README.md):
//   === name
//   @expect 4xx | 2xx-harmless | closed
//   @as ROLE            (optional; default: no token)
//   @status N           (optional: this exact status)
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
#include <filesystem>
#include <map>
#include <sstream>

#include "kansli/audit.h"
#include "testing/api_server.h"
#include "testing/reference_case.h"

namespace kansli::testing {
namespace {

struct HostileRequest {
  std::string where;  // file:line name
  std::string expect;
  std::string as = "anonymous";
  int status = 0;
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
// through the WAL the running server keeps.
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

  const std::string db = server.dataDir() + "/kansli.db";
  const std::string before = dumpTables(db);
  ASSERT_NE(before.find("Förebyggande åtgärder"), std::string::npos);

  std::map<std::string, int> by_class;
  for (const auto& h : corpus) {
    SCOPED_TRACE(h.where);
    ASSERT_TRUE(h.expect == "4xx" || h.expect == "2xx-harmless" || h.expect == "closed")
        << "unknown @expect " << h.expect;
    ASSERT_TRUE(clients.count(h.as)) << "unknown @as " << h.as;
    ++by_class[h.expect];
    auto r = sendRaw(server.port(), buildRequest(h, vars, clients.at(h.as).token()));
    std::string what = std::to_string(r.status) + " " + r.body.substr(0, 400);
    if (h.expect == "closed") {
      // Refused inside Poco before the service sees it: no answer at all.
      EXPECT_EQ(r.status, 0) << "an answer came: " << what;
      ASSERT_EQ(server.client().get("/health").status, 200);
      continue;
    }
    ASSERT_NE(r.status, 0) << "no answer";
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

  const std::string after = dumpTables(db);
  EXPECT_TRUE(before == after) << "the hostile requests changed the database";
  // The refused sign-ins were audited; the chain they extended still holds.
  auto chain = server.engine().database().verifyAudit();
  ASSERT_OK(chain);
  EXPECT_FALSE(chain->first_problem) << *chain->first_problem;
}

}  // namespace
}  // namespace kansli::testing
