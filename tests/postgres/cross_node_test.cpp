// Several service nodes on one PostgreSQL database (issue #18): each node
// is the real `kansli serve --database URL` as a process of its own, with
// its own data dir (organisation file) and its own connections, writer
// thread and token cache. What the nodes must share they share through the
// database: the dnr series, the audit chain, case versions (If-Match),
// sessions, revocations, lockout counters and CSRF tokens.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "kansli/engine.h"
#include "testing/api_server.h"
#include "testing/database.h"
#include "testing/process.h"
#include "testing/reference_case.h"
#include "testing/write_load.h"

namespace kansli::testing {
namespace {

const std::string kOrg = sourceDir() + "/samples/nacka/organisation.xml";

std::string password(const std::string& user) { return "ett-långt-lösenord-" + user; }

// Users made in-process with cheap hashing (the hash records its count, so
// the nodes verify them as any other).
void addUsers(const std::string& url, const std::vector<std::pair<std::string, NewUser>>& users) {
  EngineConfig ec;
  ec.database_url = url;
  ec.accounts.pbkdf2_iterations = 1000;
  ec.readers = 1;
  FixedClock clock(Instant{std::chrono::seconds{1601884800}});
  auto db = Database::open(ec, clock);
  if (!db) throw std::runtime_error(db.error().message);
  for (const auto& [name, nu] : users) {
    auto u = (*db)->accounts().addUser(nu, password(name), audit::Actor::system());
    if (!u) throw std::runtime_error("addUser " + name + ": " + u.error().message);
  }
}

Client signIn(int port, const std::string& user) {
  Client c(port);
  auto r = c.post("/api/v1/session", R"({"username":")" + user + R"(","password":")" +
                                         password(user) + "\"}");
  if (r.status != 201) throw std::runtime_error("sign-in " + user + ": " + r.body);
  c.setToken(r.json()->getValue<std::string>("token"));
  return c;
}

// Two nodes on one fresh database.
class PostgresCrossNode : public ::testing::Test {
 protected:
  void SetUp() override {
    url = newDatabase(dir.path().string());
    addUsers(url, {{"rita", {"rita", "Rita", Role::kRegistrator, {}, {}}},
                   {"ada", {"ada", "Ada", Role::kAdmin, {}, {}}},
                   {"head", {"head", "Head", Role::kEnhetschef, "bfe", {}}},
                   {"nina", {"nina", "Nina", Role::kHandlaggare, "bfe", {}}},
                   {"nils", {"nils", "Nils", Role::kHandlaggare, "bfe", {}}}});
    a = startNode("a");
    b = startNode("b");
  }
  std::unique_ptr<ServerProcess> startNode(const std::string& name) {
    std::filesystem::create_directories(dir.file(name));
    return std::make_unique<ServerProcess>(std::vector<std::string>{
        "serve", "--data-dir", dir.file(name), "--database", url, "--port", "0", "--quiet",
        "--org", kOrg});
  }
  std::string scalar(const std::string& sql) {
    auto rows = queryUrl(url, sql);
    return rows.empty() ? "" : rows[0][0];
  }
  RunResult auditVerify() { return runKansli({"audit", "verify", "--database", url}); }

  TempDir dir;
  std::string url;
  std::unique_ptr<ServerProcess> a, b;
};

TEST_F(PostgresCrossNode, FiveHundredConcurrentRegistrationsOverTwoNodesAreGapFree) {
  const int kCases = 500, kThreads = 16;
  Client on_a = signIn(a->port(), "rita");
  Client on_b = signIn(b->port(), "rita");
  std::atomic<int> next{0}, created{0};
  std::mutex mu;
  std::vector<std::string> problems;
  std::set<std::string> dnrs;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const Client& c = t % 2 ? on_b : on_a;  // half the threads on each node
      for (int i = next++; i < kCases; i = next++) {
        auto r = c.post("/api/v1/cases",
                        R"({"committee":"SOCN","kind":"politikerinitiativ","subject":"Ärende )" +
                            std::to_string(i) +
                            R"(","received":"2020-08-25","senders":[{"name":"Andreas Falk"}]})");
        std::lock_guard lock(mu);
        if (r.status != 201) {
          problems.push_back(std::to_string(r.status) + " " + r.body);
          continue;
        }
        ++created;
        dnrs.insert(r.json()->getValue<std::string>("dnr"));
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(problems.empty()) << problems.size() << " refused, first: " << problems[0];
  EXPECT_EQ(created.load(), kCases);
  EXPECT_EQ(dnrs.size(), static_cast<size_t>(kCases)) << "every dnr given once";
  EXPECT_EQ(scalar("SELECT count(*) FROM cases WHERE series = 'SOCN'"), "500");
  EXPECT_EQ(scalar("SELECT min(number) || '..' || max(number) FROM cases WHERE series = 'SOCN'"),
            "1..500")
      << "500 numbers without a gap";
  EXPECT_EQ(scalar("SELECT last_number FROM dnr_sequences WHERE series = 'SOCN'"), "500");
  auto v = auditVerify();
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_EQ(scalar("SELECT count(*) FROM audit_events WHERE action = 'case.register'"), "500");
}

TEST_F(PostgresCrossNode, TheSameTransitionWithTheSameIfMatchOnTwoNodesHasOneWinner) {
  Client rita_a = signIn(a->port(), "rita");
  Client rita_b = signIn(b->port(), "rita");
  const int kCases = 20;
  int winners = 0, stale = 0;
  std::vector<std::string> other;
  for (int i = 0; i < kCases; ++i) {
    std::string id = registerReferenceCase(rita_a);
    std::string etag = rita_a.get("/api/v1/cases/" + id).header("etag");
    HttpResult ra, rb;
    auto take = [&](const Client& c, HttpResult& out) {
      out = c.request("POST", "/api/v1/cases/" + id + "/transitions",
                      R"({"transition":"tilldela_enhet","unit":"bfe"})",
                      {{"Content-Type", "application/json"}, {"If-Match", etag}});
    };
    std::thread ta([&] { take(rita_a, ra); });
    std::thread tb([&] { take(rita_b, rb); });
    ta.join();
    tb.join();
    for (const auto* r : {&ra, &rb}) {
      if (r->status == 200) {
        ++winners;
      } else if (r->status == 412) {
        ++stale;
      } else {
        other.push_back(std::to_string(r->status) + " " + r->body);
      }
    }
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_events WHERE action = 'case.transition'"
                     " AND case_id = " + id),
              "1")
        << "case " << id << " changed once";
  }
  EXPECT_TRUE(other.empty()) << other[0];
  EXPECT_EQ(winners, kCases) << "exactly one of each pair wins";
  EXPECT_EQ(stale, kCases) << "and the other is told its version is stale (412)";
}

TEST_F(PostgresCrossNode, ARevocationOnOneNodeHoldsOnTheOther) {
  // The documented bound (docs/deployment.md): a node may go on accepting a
  // token it checked less than token_cache_ttl (10 s) ago.
  const auto kBound = std::chrono::seconds(10) + std::chrono::seconds(3);
  auto refusedWithin = [&](const Client& c) {
    auto until = std::chrono::steady_clock::now() + kBound;
    while (std::chrono::steady_clock::now() < until) {
      if (c.get("/api/v1/me").status == 401) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  };
  // A sign-out on node a.
  Client rita_a = signIn(a->port(), "rita");
  Client rita_b(b->port());
  rita_b.setToken(rita_a.token());
  ASSERT_EQ(rita_b.get("/api/v1/me").status, 200) << "a session made on a is good on b";
  ASSERT_EQ(rita_a.request("DELETE", "/api/v1/session").status, 204);
  EXPECT_EQ(rita_a.get("/api/v1/me").status, 401) << "at once on the node that signed out";
  EXPECT_TRUE(refusedWithin(rita_b)) << "within the bound on the other node";
  EXPECT_EQ(rita_b.get("/api/v1/me").status, 401) << "and for good";

  // A user disabled on node b.
  Client nina_a = signIn(a->port(), "nina");
  ASSERT_EQ(nina_a.get("/api/v1/me").status, 200);
  Client ada_b = signIn(b->port(), "ada");
  auto off = ada_b.request("PATCH", "/api/v1/users/nina", R"({"disabled":true})",
                           {{"Content-Type", "application/json"}});
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_TRUE(refusedWithin(nina_a)) << "the disabled user's session ends on node a too";
  Client again(a->port());
  auto r = again.post("/api/v1/session", R"({"username":"nina","password":")" +
                                             password("nina") + "\"}");
  EXPECT_EQ(r.status, 401) << "and a disabled user cannot sign in on any node";
}

TEST_F(PostgresCrossNode, FailedSignInsOnBothNodesCountTogether) {
  // Two typos are free; the third failure starts a slow-down (AccountOptions).
  // Spread over two nodes they count as one series, and the slow-down that
  // node a imposed holds on node b, even for the right password.
  Client on_a(a->port()), on_b(b->port());
  const std::string wrong = R"({"username":"nils","password":"fel-lösenord-igen-och-igen"})";
  EXPECT_EQ(on_a.post("/api/v1/session", wrong).status, 401);
  EXPECT_EQ(on_b.post("/api/v1/session", wrong).status, 401);
  EXPECT_EQ(on_a.post("/api/v1/session", wrong).status, 401);
  EXPECT_EQ(scalar("SELECT failed_logins FROM users WHERE username = 'nils'"), "3");
  auto right = R"({"username":"nils","password":")" + password("nils") + "\"}";
  EXPECT_EQ(on_b.post("/api/v1/session", right).status, 429) << "slowed down on b too";
}

TEST_F(PostgresCrossNode, ABrowserSessionAndItsCsrfTokenWorkOnEitherNode) {
  Client c(a->port());
  auto r = c.post("/api/v1/session", R"({"username":"rita","password":")" + password("rita") +
                                         R"(","cookie":true})");
  ASSERT_EQ(r.status, 201) << r.body;
  std::string cookie = r.header("set-cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  std::string csrf = r.json()->getValue<std::string>("csrf_token");
  Client on_b(b->port());
  auto body = std::string(R"({"committee":"SOCN","kind":"politikerinitiativ","subject":"Via b",)") +
              R"("received":"2020-08-25","senders":[{"name":"Andreas Falk"}]})";
  auto without = on_b.request("POST", "/api/v1/cases", body,
                              {{"Cookie", cookie}, {"Content-Type", "application/json"}});
  EXPECT_EQ(without.status, 403) << "a change without the CSRF token is refused on b";
  auto with = on_b.request(
      "POST", "/api/v1/cases", body,
      {{"Cookie", cookie}, {"Content-Type", "application/json"}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(with.status, 201) << with.body;
}

// SIGKILL of one node while both take writes: every write either node
// acknowledged is in the database, numbered without gaps, and the chain
// verifies; the surviving node goes on taking writes.
TEST_F(PostgresCrossNode, SigkillOfANodeUnderWriteLoadLosesNoAcknowledgedWrite) {
  std::string rita_token = signIn(a->port(), "rita").token();
  std::string head_token = signIn(a->port(), "head").token();
  WriteLoad load_a(a->port(), rita_token, 1801);
  WriteLoad load_b(b->port(), rita_token, 1802);
  for (WriteLoad* l : {&load_a, &load_b}) {
    l->addUser("head", head_token);
    addDiariumOps(*l);
    addCaseworkOps(*l);
    l->start(3);
  }
  auto wait = [](WriteLoad& l, std::size_t n) {
    for (int i = 0; i < 600 && l.ackCount() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return l.ackCount() >= n;
  };
  ASSERT_TRUE(wait(load_a, 40) && wait(load_b, 40));
  a->kill9();
  std::size_t b_at_kill = load_b.ackCount();
  ASSERT_TRUE(wait(load_b, b_at_kill + 30)) << "node b goes on after a was killed";
  load_a.stop();
  load_b.stop();
  EXPECT_TRUE(load_b.unexpected().empty()) << joinProblems(load_b.unexpected());

  std::vector<Ack> acks = load_a.acks();
  auto more = load_b.acks();
  acks.insert(acks.end(), more.begin(), more.end());
  auto rows = [&](const std::string& sql) { return queryUrl(url, sql); };
  std::vector<std::string> missing;
  for (const auto& ack : acks) {
    std::string id = std::to_string(ack.case_id);
    if (ack.kind == "case" &&
        rows("SELECT dnr FROM cases WHERE id = " + id) != std::vector<std::vector<std::string>>{{ack.dnr}}) {
      missing.push_back("case " + id + " " + ack.dnr);
    } else if (ack.kind == "document" &&
               rows("SELECT count(*) FROM documents WHERE case_id = " + id + " AND number = " +
                    std::to_string(ack.number))[0][0] != "1") {
      missing.push_back("document " + std::to_string(ack.number) + " of " + id);
    } else if (ack.kind == "memo" &&
               rows("SELECT count(*) FROM memo_versions WHERE case_id = " + id + " AND version = " +
                    std::to_string(ack.number))[0][0] != "1") {
      missing.push_back("memo " + std::to_string(ack.number) + " of " + id);
    } else if (ack.kind == "correction" &&
               rows("SELECT count(*) FROM corrections WHERE case_id = " + id)[0][0] == "0") {
      missing.push_back("correction of " + id);
    } else if (ack.kind == "transition" &&
               std::stoll(rows("SELECT version FROM cases WHERE id = " + id)[0][0]) < ack.version) {
      missing.push_back("transition of " + id);
    }
  }
  EXPECT_TRUE(missing.empty()) << acks.size() << " acknowledged; missing:" << joinProblems(missing);
  std::cout << acks.size() << " writes acknowledged by the two nodes" << std::endl;
  for (const auto& r : rows("SELECT series, count(*), max(number) FROM cases GROUP BY series")) {
    EXPECT_EQ(r[1], r[2]) << "series " << r[0] << " numbered without gaps";
  }
  auto v = auditVerify();
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

// A PostgreSQL restart while a node takes writes: requests during the outage
// get 503 with problem+json, and the node takes writes again afterwards by
// itself (no Kansli restart). This test has a cluster of its own, so the
// other tests' cluster is never stopped.
TEST(PostgresRestart, APostgresRestartUnderLoadGives503sThenRecovery) {
  TempDir dir;
  const std::string script = sourceDir() + "/scripts/test-postgres";
  const std::string cluster = dir.file("cluster");
  ASSERT_EQ(std::system((script + " start " + cluster + " >/dev/null").c_str()), 0);
  struct Cleanup {
    std::string cmd;
    ~Cleanup() { (void)std::system(cmd.c_str()); }
  } cleanup{script + " destroy " + cluster};
  std::string admin = readFile(cluster + "/url");
  admin.erase(admin.find_last_not_of("\n ") + 1);
  queryUrl(admin, "CREATE DATABASE restart");
  std::string url = admin.substr(0, admin.rfind('/') + 1) + "restart";
  addUsers(url, {{"rita", {"rita", "Rita", Role::kRegistrator, {}, {}}}});
  std::filesystem::create_directories(dir.file("node"));
  ServerProcess node({"serve", "--data-dir", dir.file("node"), "--database", url, "--port", "0",
                      "--quiet", "--org", kOrg});
  Client c = signIn(node.port(), "rita");

  std::atomic<bool> stop{false};
  std::mutex mu;
  std::map<int, int> statuses;
  std::vector<std::string> dnrs, bad;
  std::atomic<int> after_restart{0};
  std::atomic<bool> restarted{false};
  std::vector<std::thread> workers;
  for (int t = 0; t < 3; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        HttpResult r;
        try {
          r = c.post("/api/v1/cases",
                     R"({"committee":"SOCN","kind":"politikerinitiativ","subject":"Under omstart )" +
                         std::to_string(t) + "-" + std::to_string(i) +
                         R"(","received":"2020-08-25","senders":[{"name":"Anna Ek"}]})");
        } catch (const std::exception& e) {
          std::lock_guard lock(mu);
          bad.push_back(std::string("no answer: ") + e.what());
          continue;
        }
        std::lock_guard lock(mu);
        ++statuses[r.status];
        if (r.status == 201) {
          dnrs.push_back(r.json()->getValue<std::string>("dnr"));
          if (restarted) ++after_restart;
        } else if (r.status == 503) {
          if (r.header("content-type").find("application/problem+json") == std::string::npos) {
            bad.push_back("503 without problem+json: " + r.header("content-type"));
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        } else {
          bad.push_back(std::to_string(r.status) + " " + r.body);
        }
      }
    });
  }
  auto waitFor = [&](auto pred) {
    for (int i = 0; i < 600 && !pred(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return pred();
  };
  auto count = [&](int status) {
    std::lock_guard lock(mu);
    return statuses[status];
  };
  ASSERT_TRUE(waitFor([&] { return count(201) >= 30; }));
  ASSERT_EQ(std::system((script + " kill " + cluster).c_str()), 0);  // as a crash
  EXPECT_TRUE(waitFor([&] { return count(503) >= 5; })) << "the outage is answered 503";
  ASSERT_EQ(std::system((script + " start " + cluster + " >/dev/null").c_str()), 0);
  restarted = true;
  EXPECT_TRUE(waitFor([&] { return after_restart >= 30; }))
      << "the node takes writes again without a restart of its own";
  stop = true;
  for (auto& w : workers) w.join();
  EXPECT_TRUE(bad.empty()) << bad.size() << " answers neither 201 nor 503, first: " << bad[0];
  std::cout << count(201) << " registered, " << count(503) << " answered 503 during the outage"
            << std::endl;
  // Every acknowledged registration is there; the series has no gap.
  auto rows = queryUrl(url, "SELECT count(*), max(number) FROM cases WHERE series = 'SOCN'");
  std::set<std::string> unique(dnrs.begin(), dnrs.end());
  EXPECT_EQ(unique.size(), dnrs.size());
  for (const auto& d : dnrs) {
    EXPECT_EQ(queryUrl(url, "SELECT count(*) FROM cases WHERE dnr = '" + d + "'")[0][0], "1") << d;
  }
  EXPECT_EQ(rows[0][0], rows[0][1]) << "numbered without gaps";
  auto v = runKansli({"audit", "verify", "--database", url});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  node.terminate();
}

}  // namespace
}  // namespace kansli::testing
