// Object-level read rules and secrecy, tested with generated cases: for every
// role and every case, what the API shows (404, masked, or whole) must follow
// the rules of docs/security.md, which this test writes down again on its own
// (expectedSight) rather than calling the engine's kansli/access.h. Secret
// words are unique per case, so a leak anywhere in any answer is found by a
// plain substring search.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <random>
#include <set>

#include "testing/api_server.h"
#include "testing/reference_case.h"

namespace kansli::testing {
namespace {

struct Generated {
  std::string id;
  std::string committee;
  std::optional<std::string> unit;
  bool secret_case = false;  // sender and subject secret
  bool secret_document = false;
  std::string secret_word;   // in the secret sender name and the secret document
};

enum class Expect { kHidden, kMasked, kFull };

struct Viewer {
  std::string column;
  Role role;
  std::optional<std::string> unit, committee;
};

// The rules of docs/security.md ("Object-level rules"), written out again.
Expect expectedSight(const Viewer& v, const Generated& c) {
  // The unit line of bfe: bfe and its sub-unit bfe-kvalitet.
  auto inUnitLine = [](const std::string& viewer_unit, const std::optional<std::string>& unit) {
    if (!unit) return false;
    if (viewer_unit == "bfe") return *unit == "bfe" || *unit == "bfe-kvalitet";
    if (viewer_unit == "bfe-kvalitet") return *unit == "bfe" || *unit == "bfe-kvalitet";
    return *unit == viewer_unit;
  };
  switch (v.role) {
    case Role::kRegistrator:
    case Role::kAdmin:
      return Expect::kMasked;
    case Role::kHandlaggare:
    case Role::kEnhetschef:
      return inUnitLine(*v.unit, c.unit) ? Expect::kFull : Expect::kHidden;
    case Role::kNamndsekreterare:
      return c.committee == *v.committee ? Expect::kFull : Expect::kHidden;
    case Role::kLedamot:
      return c.committee == *v.committee ? Expect::kMasked : Expect::kHidden;
  }
  return Expect::kHidden;
}

class ObjectAccess : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937 rng(20201027);
    const std::vector<std::pair<std::string, std::vector<std::string>>> committees = {
        {"SOCN", {"bfe", "bfe-kvalitet", "eeb", "evs"}}, {"KS", {"kansli"}}, {"BUN", {"utbildning"}}};
    for (int i = 0; i < 36; ++i) {
      Generated g;
      const auto& [committee, units] = committees[rng() % committees.size()];
      g.committee = committee;
      if (rng() % 4 != 0) g.unit = units[rng() % units.size()];
      g.secret_case = rng() % 2 == 0;
      g.secret_document = rng() % 3 == 0;
      g.secret_word = "hemligord" + std::to_string(1000 + i);
      std::string secrecy =
          g.secret_case ? R"(,"secrecy":{"provision":"OSL 26 kap. 1 §","fields":["senders","subject"]})"
                        : "";
      auto r = reg.post("/api/v1/cases",
                        R"({"committee":")" + g.committee +
                            R"(","kind":"politikerinitiativ","subject":"Stöd )" +
                            (g.secret_case ? g.secret_word : std::string("öppet")) +
                            R"(","received":"2020-09-01","senders":[{"name":"Person )" +
                            (g.secret_case ? g.secret_word : std::string("Öppen")) + R"("}])" +
                            secrecy + "}");
      ASSERT_EQ(r.status, 201) << r.body;
      g.id = std::to_string(r.json()->getValue<int>("id"));
      // A document: secret ones carry the secret word in title and content.
      std::string content = g.secret_document ? g.secret_word : std::string("öppen text");
      std::string b64;
      {
        static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        std::string in = content;
        for (size_t at = 0; at < in.size(); at += 3) {
          unsigned n = static_cast<unsigned char>(in[at]) << 16;
          if (at + 1 < in.size()) n |= static_cast<unsigned char>(in[at + 1]) << 8;
          if (at + 2 < in.size()) n |= static_cast<unsigned char>(in[at + 2]);
          b64 += k[(n >> 18) & 63];
          b64 += k[(n >> 12) & 63];
          b64 += at + 1 < in.size() ? k[(n >> 6) & 63] : '=';
          b64 += at + 2 < in.size() ? k[n & 63] : '=';
        }
      }
      std::string doc_secrecy =
          g.secret_document
              ? R"(,"secrecy":{"provision":"OSL 26 kap. 1 §","fields":["title","content"]})"
              : "";
      auto d = reg.post("/api/v1/cases/" + g.id + "/documents",
                        R"({"direction":"inkommen","date":"2020-09-01","title":"Bilaga )" +
                            (g.secret_document ? g.secret_word : std::string("öppen")) +
                            R"(","media_type":"text/plain","content_base64":")" + b64 + "\"" +
                            doc_secrecy + "}");
      ASSERT_EQ(d.status, 201) << d.body;
      if (g.unit) assignUnit(reg, g.id, *g.unit);
      cases.push_back(g);
    }
  }

  TestServer server;
  Client reg = server.as("rita", Role::kRegistrator);
  std::vector<Generated> cases;
  const std::vector<Viewer> viewers = {
      {"registrator", Role::kRegistrator, {}, {}},
      {"handlaggare bfe-kvalitet", Role::kHandlaggare, "bfe-kvalitet", {}},
      {"enhetschef eeb", Role::kEnhetschef, "eeb", {}},
      {"namndsekreterare SOCN", Role::kNamndsekreterare, {}, "SOCN"},
      {"namndsekreterare KS", Role::kNamndsekreterare, {}, "KS"},
      {"ledamot SOCN", Role::kLedamot, {}, "SOCN"},
      {"admin", Role::kAdmin, {}, {}},
  };
  Client as(const Viewer& v) {
    std::string name = "v" + std::to_string(&v - viewers.data());
    return server.as(name, v.role, v.unit, v.committee);
  }
};

TEST_F(ObjectAccess, EveryRoleSeesEveryGeneratedCaseAsTheRulesSay) {
  int secret_cases = 0, hidden = 0, masked = 0, full = 0;
  for (const auto& g : cases) secret_cases += g.secret_case || g.secret_document;
  ASSERT_GT(secret_cases, 5) << "the generator must make secret cases";

  for (const auto& v : viewers) {
    Client c = as(v);
    for (const auto& g : cases) {
      Expect e = expectedSight(v, g);
      std::string what = v.column + " on case " + g.id + " (" + g.committee + "/" +
                         g.unit.value_or("-") + (g.secret_case ? ", secret" : "") +
                         (g.secret_document ? ", secret document" : "") + ")";
      auto one = c.get("/api/v1/cases/" + g.id);
      auto docs = c.get("/api/v1/cases/" + g.id + "/documents");
      auto content = c.get("/api/v1/cases/" + g.id + "/documents/1/content");
      auto history = c.get("/api/v1/cases/" + g.id + "/history");
      auto memo = c.get("/api/v1/cases/" + g.id + "/memo/versions");
      auto transitions = c.get("/api/v1/cases/" + g.id + "/transitions");
      if (e == Expect::kHidden) {
        ++hidden;
        for (const auto* r : {&one, &docs, &content, &history, &memo, &transitions}) {
          EXPECT_EQ(r->status, 404) << what << ": " << r->body;
          EXPECT_EQ(r->body.find(g.secret_word), std::string::npos) << what;
        }
        continue;
      }
      EXPECT_EQ(one.status, 200) << what << ": " << one.body;
      EXPECT_EQ(docs.status, 200) << what;
      EXPECT_EQ(history.status, 200) << what;
      EXPECT_EQ(transitions.status, 200) << what;
      if (e == Expect::kMasked) {
        ++masked;
        for (const auto* r : {&one, &docs, &history, &transitions}) {
          EXPECT_EQ(r->body.find(g.secret_word), std::string::npos) << what << " leaks: " << r->body;
        }
        if (g.secret_case) {
          EXPECT_NE(one.body.find("omfattas av sekretess"), std::string::npos) << what << one.body;
        }
        if (g.secret_document) {
          EXPECT_EQ(content.status, 403) << what << ": " << content.body;
          EXPECT_EQ(content.body.find(g.secret_word), std::string::npos) << what;
        } else {
          EXPECT_EQ(content.status, 200) << what;
        }
      } else {
        ++full;
        EXPECT_EQ(content.status, 200) << what;
        if (g.secret_case) {
          EXPECT_NE(one.body.find(g.secret_word), std::string::npos) << what;
        }
        if (g.secret_document) {
          EXPECT_NE(docs.body.find(g.secret_word), std::string::npos) << what;
          EXPECT_EQ(content.body, g.secret_word) << what;
        }
      }
    }
  }
  // The generated mix reaches every kind of answer.
  EXPECT_GT(hidden, 20);
  EXPECT_GT(masked, 20);
  EXPECT_GT(full, 10);
}

TEST_F(ObjectAccess, ListsAndSearchesShowExactlyTheCasesInSightAndNoSecretWord) {
  for (const auto& v : viewers) {
    Client c = as(v);
    std::set<std::string> expected;
    for (const auto& g : cases) {
      if (expectedSight(v, g) != Expect::kHidden) expected.insert(g.id);
    }
    std::set<std::string> listed;
    std::string next;
    do {
      auto r = c.get("/api/v1/cases?limit=7" + (next.empty() ? "" : "&cursor=" + next));
      ASSERT_EQ(r.status, 200) << v.column << ": " << r.body;
      auto items = r.json()->getArray("items");
      for (size_t i = 0; i < items->size(); ++i) {
        listed.insert(std::to_string(items->getObject(static_cast<unsigned>(i))->getValue<int>("id")));
      }
      for (const auto& g : cases) {
        if (g.secret_case && expectedSight(v, g) != Expect::kFull) {
          EXPECT_EQ(r.body.find(g.secret_word), std::string::npos) << v.column << " list leaks";
        }
      }
      auto n = r.json()->get("next");
      next = n.isEmpty() ? "" : n.convert<std::string>();
    } while (!next.empty());
    EXPECT_EQ(listed, expected) << v.column;

    // Searching for a case's secret word finds it only with full sight.
    for (const auto& g : cases) {
      if (!g.secret_case) continue;
      auto r = c.get("/api/v1/cases?q=" + g.secret_word);
      ASSERT_EQ(r.status, 200);
      size_t found = r.json()->getArray("items")->size();
      EXPECT_EQ(found, expectedSight(v, g) == Expect::kFull ? 1u : 0u)
          << v.column << " searching " << g.secret_word << ": " << r.body;
    }
  }
}

TEST_F(ObjectAccess, ThePublicNeverSeesASecretWord) {
  std::string next;
  int seen = 0;
  do {
    auto r = server.client().get("/api/v1/public/diarium?limit=5" +
                                 (next.empty() ? "" : "&cursor=" + next));
    ASSERT_EQ(r.status, 200) << r.body;
    for (const auto& g : cases) {
      if (g.secret_case) {
        EXPECT_EQ(r.body.find(g.secret_word), std::string::npos) << r.body;
      }
    }
    seen += static_cast<int>(r.json()->getArray("items")->size());
    auto n = r.json()->get("next");
    next = n.isEmpty() ? "" : n.convert<std::string>();
  } while (!next.empty());
  EXPECT_EQ(seen, static_cast<int>(cases.size()));
  for (const auto& g : cases) {
    auto one = server.client().get("/api/v1/public/diarium/" + g.id);
    EXPECT_EQ(one.body.find(g.secret_word), std::string::npos) << one.body;
    if (g.secret_case) {
      auto search = server.client().get("/api/v1/public/diarium?q=" + g.secret_word);
      EXPECT_EQ(search.json()->getArray("items")->size(), 0u) << g.secret_word;
    }
  }
}

TEST_F(ObjectAccess, EveryReadOfSecretContentIsAnAuditEvent) {
  const Generated* g = nullptr;
  for (const auto& c : cases) {
    if (c.committee == "SOCN" && c.secret_case && c.secret_document) g = &c;
  }
  if (!g) GTEST_SKIP() << "the generator made no SOCN case with both secrets";
  Client secretary = as(viewers[3]);
  int reads = server.auditCount("case.secret_read");
  ASSERT_EQ(secretary.get("/api/v1/cases/" + g->id).status, 200);
  EXPECT_EQ(server.auditCount("case.secret_read"), reads + 1);
  ASSERT_EQ(secretary.get("/api/v1/cases/" + g->id + "/documents").status, 200);
  EXPECT_EQ(server.auditCount("case.secret_read"), reads + 2);
  int doc_reads = server.auditCount("document.secret_read");
  ASSERT_EQ(secretary.get("/api/v1/cases/" + g->id + "/documents/1/content").status, 200);
  EXPECT_EQ(server.auditCount("document.secret_read"), doc_reads + 1);
  // Masked views read no secret content: nothing to log.
  Client admin = as(viewers[6]);
  reads = server.auditCount("case.secret_read");
  ASSERT_EQ(admin.get("/api/v1/cases/" + g->id).status, 200);
  EXPECT_EQ(admin.get("/api/v1/cases/" + g->id + "/documents/1/content").status, 403);
  EXPECT_EQ(server.auditCount("case.secret_read"), reads);
}

TEST_F(ObjectAccess, MeetingsAndTheirDocumentsBelongToTheirCommittee) {
  Client sec_socn = as(viewers[3]);
  Client sec_ks = as(viewers[4]);
  auto m = sec_socn.post("/api/v1/meetings", R"({"committee":"SOCN","date":"2020-10-20"})");
  ASSERT_EQ(m.status, 201) << m.body;
  std::string id = std::to_string(m.json()->getValue<int>("id"));
  for (const auto& v : viewers) {
    Client c = as(v);
    bool works_for_socn = v.role == Role::kRegistrator || v.committee == std::optional<std::string>("SOCN") ||
                          v.unit == std::optional<std::string>("bfe-kvalitet") ||
                          v.unit == std::optional<std::string>("eeb");
    int want = works_for_socn ? 200 : 404;
    EXPECT_EQ(c.get("/api/v1/meetings/" + id).status, want) << v.column;
    // An empty agenda is 422 to those who may see it; 404 to the rest.
    auto agenda = c.get("/api/v1/meetings/" + id + "/agenda?format=txt");
    if (works_for_socn) {
      EXPECT_NE(agenda.status, 404) << v.column;
    } else {
      EXPECT_EQ(agenda.status, 404) << v.column;
    }
    auto list = c.get("/api/v1/meetings");
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.json()->getArray("items")->size(), works_for_socn ? 1u : 0u) << v.column;
  }
  // Another committee's secretary cannot add to it either.
  EXPECT_EQ(sec_ks.post("/api/v1/meetings/" + id + "/items", R"({"case":1})").status, 403);
}

}  // namespace
}  // namespace kansli::testing
