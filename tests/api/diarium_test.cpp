// The diarium over real HTTP: registration, numbers under concurrency, search,
// masking, documents, corrections.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <atomic>
#include <set>
#include <thread>

#include "testing/api_server.h"

namespace kansli::testing {
namespace {

using namespace std::chrono_literals;

// printf hej | sha256sum
const std::string kSha256Hej = "9c478bf63e9500cb5db1e85ece82f18c8eb9e52e2f9135acd7f10972c8d563ba";

std::string caseBody(const std::string& committee, const std::string& subject,
                     const std::string& extra = "") {
  return R"({"committee":")" + committee + R"(","kind":"politikerinitiativ","subject":")" +
         subject +
         R"(","received":"2020-08-25","senders":[{"name":"Andreas Falk","party":"S"},{"name":"Maria Åberg","party":"S"}])" +
         extra + "}";
}

class Diarium : public ::testing::Test {
 protected:
  TestServer server;
  Client reg = server.as("rita", Role::kRegistrator);
};

TEST_F(Diarium, RegistersTheReferenceCase) {
  auto r = reg.post("/api/v1/cases",
                    caseBody("SOCN", "Förebyggande åtgärder mot att barn ska fara illa vid "
                                     "sexköp och människohandel"));
  ASSERT_EQ(r.status, 201) << r.body;
  auto c = r.json();
  EXPECT_EQ(c->getValue<std::string>("dnr"), "SOCN 2020/1");
  EXPECT_EQ(c->getValue<std::string>("state"), "registrerad");
  EXPECT_EQ(c->getValue<int>("version"), 1);
  EXPECT_EQ(r.header("location"), "/api/v1/cases/" + std::to_string(c->getValue<int>("id")));
  EXPECT_EQ(c->getValue<std::string>("registered_by"), "rita");
  auto got = reg.get(r.header("location"));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.header("etag"), "\"1\"");
  EXPECT_EQ(got.json()->getArray("senders")->getObject(1)->getValue<std::string>("name"),
            "Maria Åberg");
}

TEST_F(Diarium, ConcurrentRegistrationsInTwoSeriesAreGapFree) {
  constexpr int kPerThread = 25;
  constexpr int kThreads = 20;  // 500 registrations
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  std::mutex mu;
  std::map<std::string, std::vector<int>> numbers;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Client c = reg;
      for (int i = 0; i < kPerThread; ++i) {
        std::string committee = (t + i) % 2 ? "SOCN" : "KS";
        auto r = c.post("/api/v1/cases", caseBody(committee, "Ärende " + std::to_string(i)));
        if (r.status != 201) {
          ++failures;
          continue;
        }
        std::string dnr = r.json()->getValue<std::string>("dnr");
        auto slash = dnr.find('/');
        std::lock_guard lock(mu);
        numbers[committee].push_back(std::stoi(dnr.substr(slash + 1)));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_EQ(numbers.size(), 2u);
  for (auto& [series, ns] : numbers) {
    std::sort(ns.begin(), ns.end());
    ASSERT_EQ(ns.size(), 250u) << series;
    for (size_t i = 0; i < ns.size(); ++i) ASSERT_EQ(ns[i], static_cast<int>(i + 1)) << series;
  }
}

// Regression (#17): a committee whose dnr format has {class} gave new cases a
// dnr like "2026/0001 KS-" that Kansli itself refused to parse. Registration
// now takes the class code, refuses a case without it (400, naming "class"),
// and what it writes parses back and finds the case.
TEST(DiariumClassCodes, RegistrationTakesEveryPartTheDnrFormatNeeds) {
  TempDir orgdir;
  std::string org = readFile(sourceDir() + "/samples/nacka/organisation.xml");
  const std::string ks = R"(<dnr format="{series} {year}/{number:4}" label="Dnr"/>)";
  ASSERT_NE(org.find(ks), std::string::npos);
  org.replace(org.find(ks), ks.size(), R"(<dnr format="{year}/{number:4} {series}-{class}" label="Dnr"/>)");
  writeFile(orgdir.file("organisation.xml"), org);
  TestServer server(TestServerOptions{Instant{std::chrono::seconds{1601884800}}, orgdir.file("organisation.xml"), {}});
  Client reg = server.as("rita", Role::kRegistrator);

  auto without = reg.post("/api/v1/cases", caseBody("KS", "Budget"));
  ASSERT_EQ(without.status, 400) << without.body;
  EXPECT_NE(without.body.find("\"class\""), std::string::npos) << without.body;
  EXPECT_NE(without.body.find("klassificeringskod"), std::string::npos) << without.body;

  auto bad = reg.post("/api/v1/cases", caseBody("KS", "Budget", R"(,"class":"1-6")"));
  ASSERT_EQ(bad.status, 400) << bad.body;

  auto elsewhere = reg.post("/api/v1/cases", caseBody("SOCN", "Budget", R"(,"class":"1.6")"));
  ASSERT_EQ(elsewhere.status, 400) << "SOCN's format has no {class}: " << elsewhere.body;

  auto r = reg.post("/api/v1/cases", caseBody("KS", "Budget", R"(,"class":"1.6")"));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string dnr = r.json()->getValue<std::string>("dnr");
  EXPECT_EQ(dnr, "2020/0001 KS-1.6");
  auto found = server.engine().organisation().findDnr(dnr);
  ASSERT_TRUE(found.has_value()) << found.error().message;
  EXPECT_EQ(found->committee->id, "KS");
  EXPECT_EQ(found->parts.class_code, "1.6");
  auto byDnr = server.engine().diarium().getCaseByDnr(dnr);
  ASSERT_TRUE(byDnr.has_value()) << byDnr.error().message;
  EXPECT_EQ(byDnr->dnr, dnr);
}

TEST_F(Diarium, KsNumbersArePaddedAsItsPatternSays) {
  auto r = reg.post("/api/v1/cases", caseBody("KS", "Budget"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("dnr"), "KS 2020/0001");
}

TEST_F(Diarium, ARefusedRegistrationConsumesNoNumber) {
  ASSERT_EQ(reg.post("/api/v1/cases", caseBody("SOCN", "Första")).status, 201);
  auto bad = reg.post("/api/v1/cases",
                      R"({"committee":"SOCN","kind":"politikerinitiativ","subject":"X",)"
                      R"("received":"2099-01-01","senders":[{"name":""}]})");
  ASSERT_EQ(bad.status, 400) << bad.body;
  auto fields = bad.json()->getArray("errors");
  std::set<std::string> named;
  for (size_t i = 0; i < fields->size(); ++i) {
    named.insert(fields->getObject(static_cast<unsigned>(i))->getValue<std::string>("field"));
  }
  EXPECT_TRUE(named.count("received")) << bad.body;
  EXPECT_TRUE(named.count("senders[0].name")) << bad.body;
  auto next = reg.post("/api/v1/cases", caseBody("SOCN", "Andra"));
  EXPECT_EQ(next.json()->getValue<std::string>("dnr"), "SOCN 2020/2");
}

TEST_F(Diarium, EveryBadFieldIsNamed) {
  auto r = reg.post("/api/v1/cases",
                    R"({"committee":"XYZ","kind":"sagor","subject":"","received":"igår","senders":[]})");
  ASSERT_EQ(r.status, 400) << r.body;
  std::set<std::string> named;
  auto fields = r.json()->getArray("errors");
  for (size_t i = 0; i < fields->size(); ++i) {
    named.insert(fields->getObject(static_cast<unsigned>(i))->getValue<std::string>("field"));
  }
  for (const char* f : {"committee", "kind", "subject", "received", "senders"}) {
    EXPECT_TRUE(named.count(f)) << f << " in " << r.body;
  }
}

TEST_F(Diarium, OnlyRegistratorsRegister) {
  auto officer = server.as("nina", Role::kHandlaggare, "bfe");
  EXPECT_EQ(officer.post("/api/v1/cases", caseBody("SOCN", "X")).status, 403);
  EXPECT_EQ(server.client().post("/api/v1/cases", caseBody("SOCN", "X")).status, 401);
}

TEST_F(Diarium, ANewYearStartsAtOne) {
  ASSERT_EQ(reg.post("/api/v1/cases", caseBody("SOCN", "A")).status, 201);
  ASSERT_EQ(reg.post("/api/v1/cases", caseBody("SOCN", "B")).status, 201);
  // 2020-12-31 23:30 in Stockholm is still 2020; 2021-01-01 00:30 is not.
  server.clock().set(Instant{std::chrono::sys_days{std::chrono::year{2020} / 12 / 31}} + 22h + 30min);
  reg = server.as("rita", Role::kRegistrator);  // the old token has expired by now
  EXPECT_EQ(reg.post("/api/v1/cases", caseBody("SOCN", "C")).json()->getValue<std::string>("dnr"),
            "SOCN 2020/3");
  server.clock().advance(1h);
  EXPECT_EQ(reg.post("/api/v1/cases", caseBody("SOCN", "D")).json()->getValue<std::string>("dnr"),
            "SOCN 2021/1");
}

TEST_F(Diarium, FindsByDnrAsPeopleTypeIt) {
  ASSERT_EQ(reg.post("/api/v1/cases", caseBody("SOCN", "A")).status, 201);
  auto r = reg.get("/api/v1/cases?dnr=socn%202020/1");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json()->getArray("items")->size(), 1u);
  EXPECT_EQ(reg.get("/api/v1/cases?dnr=inte-ett-dnr").status, 400);
}

TEST_F(Diarium, SearchIsCaseAndAccentInsensitiveWithPrefixes) {
  ASSERT_EQ(reg.post("/api/v1/cases", caseBody("SOCN", "Förebyggande åtgärder vid sexköp och "
                                                       "människohandel")).status, 201);
  ASSERT_EQ(reg.post("/api/v1/cases", caseBody("SOCN", "Parkering vid stadshuset")).status, 201);
  for (const char* q : {"MÄNNISKOHANDEL", "m%C3%A4nniskohandel", "m%C3%A4nniska*", "m%C3%A4nnisko*",
                        "manniskohandel", "Falk"}) {
    auto r = reg.get(std::string("/api/v1/cases?q=") + q);
    ASSERT_EQ(r.status, 200) << r.body;
    auto items = r.json()->getArray("items");
    if (std::string(q) == "m%C3%A4nniska*") {
      EXPECT_EQ(items->size(), 0u) << q;
      continue;
    }
    if (std::string(q) == "Falk") {
      EXPECT_EQ(items->size(), 2u) << q;
      continue;
    }
    ASSERT_EQ(items->size(), 1u) << q << ": " << r.body;
    EXPECT_NE(items->getObject(0)->getValue<std::string>("subject").find("människohandel"),
              std::string::npos);
  }
}

TEST_F(Diarium, TheSearchBoxFindsCasesByDnrOfAnySeriesFirst) {
  // The issue's queries: "SOCN 2026/1", "2026/1" and "262" found nothing.
  server.clock().set(Instant{std::chrono::sys_days{std::chrono::year{2026} / 3 / 2}} + 9h);
  reg = server.as("rita", Role::kRegistrator);
  ASSERT_EQ(reg.post("/api/v1/cases", caseBody("SOCN", "Hemlösa barnfamiljer")).status, 201);
  ASSERT_EQ(reg.post("/api/v1/cases", caseBody("KS", "Budget 2026")).status, 201);
  ASSERT_EQ(reg.post("/api/v1/cases", caseBody("SOCN", "Uppföljning 2026, bilaga 1")).status, 201);
  auto dnrs = [&](const std::string& base, const std::string& q) {
    auto r = (base == "public" ? server.client() : reg).get(
        (base == "public" ? "/api/v1/public/diarium?q=" : "/api/v1/cases?q=") + q);
    EXPECT_EQ(r.status, 200) << q << ": " << r.body;
    std::vector<std::string> out;
    auto items = r.json()->getArray("items");
    for (size_t i = 0; i < items->size(); ++i) {
      out.push_back(items->getObject(static_cast<unsigned>(i))->getValue<std::string>("dnr"));
    }
    return out;
  };
  using V = std::vector<std::string>;
  for (const char* base : {"inside", "public"}) {
    EXPECT_EQ(dnrs(base, "SOCN%202026%2F1"), (V{"SOCN 2026/1"})) << base;
    EXPECT_EQ(dnrs(base, "socn%202026%2F0001"), (V{"SOCN 2026/1"})) << base;
    EXPECT_EQ(dnrs(base, "KS%202026%2F1"), (V{"KS 2026/0001"})) << base;
    EXPECT_EQ(dnrs(base, "2026%2F1"), (V{"KS 2026/0001", "SOCN 2026/1", "SOCN 2026/2"}))
        << base << ": number 1 of 2026 in every series, then the text naming 2026 and 1";
    EXPECT_EQ(dnrs(base, "2"), (V{"SOCN 2026/2"})) << base;
    EXPECT_EQ(dnrs(base, "hemlo"), (V{"SOCN 2026/1"})) << base << ": the last word is a prefix";
    EXPECT_TRUE(dnrs(base, "%22hemlo%22").empty()) << base << ": unless quoted";
  }
}

TEST_F(Diarium, SearchInputIsNeverFts5Syntax) {
  ASSERT_EQ(reg.post("/api/v1/cases", caseBody("SOCN", "Budget")).status, 201);
  for (const char* q : {"%22", "NEAR(a%20b)", "subject%3Abudget", "*", "a%20OR%20b", "%27%3B--"}) {
    auto r = reg.get(std::string("/api/v1/cases?q=") + q);
    EXPECT_EQ(r.status, 200) << q << ": " << r.body;
  }
}

TEST_F(Diarium, KeysetPaginationVisitsEveryCaseOnce) {
  for (int i = 0; i < 7; ++i) {
    ASSERT_EQ(reg.post("/api/v1/cases", caseBody("SOCN", "Budget " + std::to_string(i))).status,
              201);
  }
  for (std::string base : {"/api/v1/cases?limit=3", "/api/v1/cases?limit=3&q=budget"}) {
    std::set<int> seen;
    std::string next;
    int pages = 0;
    do {
      std::string url = base + (next.empty() ? "" : "&cursor=" + next);
      auto r = reg.get(url);
      ASSERT_EQ(r.status, 200) << r.body;
      auto items = r.json()->getArray("items");
      for (size_t i = 0; i < items->size(); ++i) {
        EXPECT_TRUE(seen.insert(items->getObject(static_cast<unsigned>(i))->getValue<int>("id")).second);
      }
      auto n = r.json()->get("next");
      next = n.isEmpty() ? "" : n.convert<std::string>();
      ++pages;
    } while (!next.empty() && pages < 10);
    EXPECT_EQ(seen.size(), 7u) << base;
    EXPECT_EQ(pages, 3) << base;
  }
  EXPECT_EQ(reg.get("/api/v1/cases?cursor=bogus").status, 400);
}

TEST_F(Diarium, PublicDiariumMasksSecretFieldsAndSearch) {
  auto secret = reg.post(
      "/api/v1/cases",
      R"({"committee":"SOCN","kind":"medborgarforslag","subject":"Stöd till familj","received":"2020-09-01",)"
      R"("senders":[{"name":"Hemlig Person"}],"secrecy":{"provision":"OSL 26 kap. 1 §","fields":["senders"]}})");
  ASSERT_EQ(secret.status, 201) << secret.body;
  auto pub = server.client().get("/api/v1/public/diarium");
  ASSERT_EQ(pub.status, 200) << pub.body;
  EXPECT_EQ(pub.body.find("Hemlig"), std::string::npos) << pub.body;
  EXPECT_NE(pub.body.find("Uppgift om avsändare omfattas av sekretess enligt OSL 26 kap. 1 §"),
            std::string::npos)
      << pub.body;
  auto search = server.client().get("/api/v1/public/diarium?q=hemlig");
  EXPECT_EQ(search.json()->getArray("items")->size(), 0u) << "a secret name is not searchable";
  // Inside, only those who may see the secret parts find the case by them:
  // the committee's secretary does, the registrator sees it masked.
  auto secretary = server.as("sara", Role::kNamndsekreterare, {}, "SOCN");
  auto inside = secretary.get("/api/v1/cases?q=hemlig");
  EXPECT_EQ(inside.json()->getArray("items")->size(), 1u);
  auto masked = reg.get("/api/v1/cases?q=hemlig");
  EXPECT_EQ(masked.json()->getArray("items")->size(), 0u) << masked.body;
}

TEST_F(Diarium, DocumentsAreNumberedAndHashed) {
  auto c = reg.post("/api/v1/cases", caseBody("SOCN", "A"));
  std::string id = std::to_string(c.json()->getValue<int>("id"));
  auto d1 = reg.post("/api/v1/cases/" + id + "/documents",
                     R"j({"direction":"inkommen","date":"2020-08-25","counterpart":"Andreas Falk (S)",)j"
                     R"j("title":"Politikerinitiativ","media_type":"text/plain","content_base64":"aGVq"})j");
  ASSERT_EQ(d1.status, 201) << d1.body;
  EXPECT_EQ(d1.json()->getValue<int>("number"), 1);
  // sha256("hej")
  EXPECT_EQ(d1.json()->getValue<std::string>("sha256"), kSha256Hej);
  auto d2 = reg.post("/api/v1/cases/" + id + "/documents",
                     R"({"direction":"upprattad","date":"2020-10-05","title":"Tjänsteskrivelse"})");
  EXPECT_EQ(d2.json()->getValue<int>("number"), 2);
  auto content = reg.get("/api/v1/cases/" + id + "/documents/1/content");
  EXPECT_EQ(content.body, "hej");
  EXPECT_EQ(content.header("content-type"), "text/plain");
  auto list = reg.get("/api/v1/cases/" + id + "/documents");
  EXPECT_EQ(list.json()->getArray("items")->size(), 2u);
  EXPECT_EQ(reg.get("/api/v1/cases/" + id).json()->getValue<int>("version"), 3);
  auto bad = reg.post("/api/v1/cases/" + id + "/documents",
                      R"({"direction":"sidledes","date":"2020-13-45","title":""})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(reg.post("/api/v1/cases/999/documents",
                     R"({"direction":"inkommen","date":"2020-08-25","title":"X"})").status, 404);
}

TEST_F(Diarium, CorrectionsKeepBeforeAndAfterInTheHistory) {
  auto c = reg.post("/api/v1/cases", caseBody("SOCN", "Fel rubrik"));
  std::string id = std::to_string(c.json()->getValue<int>("id"));
  auto noReason = reg.post("/api/v1/cases/" + id + "/corrections", R"({"subject":"Rätt rubrik"})");
  EXPECT_EQ(noReason.status, 400);
  auto r = reg.post("/api/v1/cases/" + id + "/corrections",
                    R"({"subject":"Rätt rubrik","reason":"Felskrivning vid registreringen"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("subject"), "Rätt rubrik");
  auto h = reg.get("/api/v1/cases/" + id + "/history");
  ASSERT_EQ(h.status, 200);
  auto items = h.json()->getArray("items");
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ(items->getObject(1)->getValue<std::string>("action"), "case.correct");
  EXPECT_NE(h.body.find("Fel rubrik"), std::string::npos);
  EXPECT_NE(h.body.find("Felskrivning"), std::string::npos);
}

}  // namespace
}  // namespace kansli::testing
