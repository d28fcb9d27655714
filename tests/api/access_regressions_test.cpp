// Regressions of #14 over HTTP, where the bug was seen.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "testing/api_server.h"
#include "testing/reference_case.h"

namespace kansli::testing {
namespace {

std::string secretCaseBody() {
  std::string body = referenceCaseBody();
  body.pop_back();  // the closing brace
  return body + R"j(,"secrecy":{"provision":"OSL 26 kap. 1 §","fields":["subject","senders"]}})j";
}

// #14.1: GET /api/v1/public/diarium/{id} read the documents "as" an empty
// optional user: anonymous requests ran as whoever the thread had served
// before, and wrote case.secret_read events in their name.
TEST(AccessRegressions, ThePublicCasePageActsAsNoOne) {
  TestServer server;
  Client reg = server.as("rita", Role::kRegistrator);
  Client head = server.as("caroline", Role::kEnhetschef, "bfe");
  auto r = reg.post("/api/v1/cases", secretCaseBody());
  ASSERT_EQ(r.status, 201) << r.body;
  std::string id = std::to_string(r.json()->getValue<int>("id"));
  auto secret_doc = reg.post(
      "/api/v1/cases/" + id + "/documents",
      R"({"direction":"inkommen","date":"2020-08-25","title":"Hemlig bilaga Okapi",)"
      R"("secrecy":{"provision":"OSL 26 kap. 1 §","fields":["title"]}})");
  ASSERT_EQ(secret_doc.status, 201) << secret_doc.body;
  assignUnit(reg, id);
  const int before = server.auditCount("case.secret_read");
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      Client anonymous = server.client();
      for (int i = 0; i < 25; ++i) {
        // The unit head's reads fill the worker threads with a user first.
        (void)head.get("/api/v1/cases/" + id + "/documents");
        auto page = anonymous.get("/api/v1/public/diarium/" + id);
        if (page.status == 200 && page.body.find("Okapi") == std::string::npos &&
            page.body.find("Förebyggande") == std::string::npos) {
          ++good;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 100) << "every anonymous answer the same, masked";
  EXPECT_EQ(server.auditCount("case.secret_read"), before + 100)
      << "the head's 100 reads are logged, and nothing in anyone's name for the public's";
}

// #14.2 over HTTP: a member reads the memo of a secret case masked in every
// format, and the XML not at all.
TEST(AccessRegressions, AMemberReadsTheMemoOfASecretCaseMasked) {
  TestServer server;
  Client reg = server.as("rita", Role::kRegistrator);
  Client officer = server.as("nina", Role::kHandlaggare, "bfe");
  Client head = server.as("caroline", Role::kEnhetschef, "bfe");
  Client member = server.as("lars", Role::kLedamot, {}, "SOCN");
  auto r = reg.post("/api/v1/cases", secretCaseBody());
  ASSERT_EQ(r.status, 201) << r.body;
  std::string id = std::to_string(r.json()->getValue<int>("id"));
  ASSERT_EQ(reg.post("/api/v1/cases/" + id + "/documents", referenceDocumentBody()).status, 201);
  assignUnit(reg, id);
  std::string etag = head.get("/api/v1/cases/" + id).header("etag");
  ASSERT_EQ(head.request("POST", "/api/v1/cases/" + id + "/transitions",
                         R"({"transition":"tilldela_handlaggare","officer":"nina"})",
                         {{"Content-Type", "application/json"}, {"If-Match", etag}})
                .status,
            200);
  ASSERT_EQ(officer.request("PUT", "/api/v1/cases/" + id + "/memo", referenceMemoXml(),
                            {{"Content-Type", "application/xml"}})
                .status,
            201);
  EXPECT_EQ(member.get("/api/v1/cases/" + id + "/memo").status, 403);
  for (const char* format : {"txt", "html"}) {
    auto m = member.get("/api/v1/cases/" + id + "/memo?format=" + format);
    ASSERT_EQ(m.status, 200) << m.body;
    for (const char* secret : {"Andreas Falk", "Maria Åberg", "Förebyggande åtgärder"}) {
      EXPECT_EQ(m.body.find(secret), std::string::npos) << secret << " in " << format;
    }
  }
  auto diff = member.get("/api/v1/cases/" + id + "/memo/diff?from=1&to=1");
  ASSERT_EQ(diff.status, 200) << diff.body;
  const int before = server.auditCount("case.secret_read");
  EXPECT_EQ(officer.get("/api/v1/cases/" + id + "/memo?format=txt").status, 200);
  EXPECT_EQ(server.auditCount("case.secret_read"), before + 1) << "the officer's full read is logged";
}

}  // namespace
}  // namespace kansli::testing
