// Regression tests for the secrecy findings of issue #14 that the secrecy
// property test (secrecy_property_test.cpp) found, one per bug and named
// after it, and for the officer rules of item 10: who can be made a case's
// officer decides who sees its secrets ("the cases assigned to them",
// kansli/access.h), so an admin or someone of another committee must never be
// made one, through any of the three doors (registration, correction, the
// workflow's assignment).
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <set>

#include "testing/api_server.h"
#include "testing/reference_case.h"

namespace kansli::testing {
namespace {

class SecrecyRegressions : public ::testing::Test {
 protected:
  HttpResult take(const Client& c, const std::string& id, const std::string& body) {
    auto cur = reg.get("/api/v1/cases/" + id);
    return c.request("POST", "/api/v1/cases/" + id + "/transitions", body,
                     {{"Content-Type", "application/json"}, {"If-Match", cur.header("etag")}});
  }
  // A case of Socialnämnden, assigned to bfe; its subject and senders are
  // secret when `secret`.
  std::string assignedCase(bool secret, const std::string& word) {
    std::string secrecy =
        secret ? R"(,"secrecy":{"provision":"OSL 26 kap. 1 §","fields":["subject","senders"]})" : "";
    auto r = reg.post("/api/v1/cases", R"({"committee":"SOCN","kind":"politikerinitiativ","subject":"Stöd )" +
                                           word + R"(","received":"2020-09-01","senders":[{"name":"Person )" +
                                           word + R"("}])" + secrecy + "}");
    EXPECT_EQ(r.status, 201) << r.body;
    std::string id = std::to_string(r.json()->getValue<int>("id"));
    assignUnit(reg, id, "bfe");
    return id;
  }
  std::set<std::string> listed(const Client& c, const std::string& query) {
    auto r = c.get("/api/v1/cases?limit=200&" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::string> ids;
    auto items = r.json()->getArray("items");
    for (size_t i = 0; i < items->size(); ++i) {
      ids.insert(std::to_string(items->getObject(static_cast<unsigned>(i))->getValue<int>("id")));
    }
    return ids;
  }
  std::string state(const std::string& id) {
    return reg.get("/api/v1/cases/" + id).json()->getValue<std::string>("state");
  }

  TestServer server;
  Client reg = server.as("rita", Role::kRegistrator);
  Client head = server.as("caroline", Role::kEnhetschef, "bfe");
  Client officer = server.as("nina", Role::kHandlaggare, "bfe");
  Client secretary = server.as("sara", Role::kNamndsekreterare, {}, "SOCN");
  Client member = server.as("ordf", Role::kLedamot, {}, "SOCN");
  Client admin = server.as("adam", Role::kAdmin);
  Client other_committee_officer = server.as("kim", Role::kHandlaggare, "kansli");
  Client other_unit_officer = server.as("erik", Role::kHandlaggare, "eeb");
};

// #14 item 10: `GET /api/v1/cases?officer=nina` listed a secret case to the
// registrator, members and admins, who see it masked (without its officer):
// the filter told them who handles it.
TEST_F(SecrecyRegressions, OfficerFilterDoesNotRevealTheOfficerOfASecretCase) {
  std::string secret = assignedCase(true, "hemligt");
  std::string open = assignedCase(false, "öppet");
  for (const auto& id : {secret, open}) {
    ASSERT_EQ(take(head, id, R"({"transition":"tilldela_handlaggare","officer":"nina"})").status, 200);
  }
  for (const Client* masked : {&reg, &member, &admin}) {
    EXPECT_EQ(listed(*masked, "officer=nina"), std::set<std::string>{open});
    // The masked case itself does not name its officer either.
    EXPECT_EQ(masked->get("/api/v1/cases/" + secret).body.find("nina"), std::string::npos);
  }
  for (const Client* full : {&secretary, &head, &officer}) {
    EXPECT_EQ(listed(*full, "officer=nina"), (std::set<std::string>{secret, open}));
  }
}

// #14 item 10: an admin could be made a case's officer (and would then see
// its secrets as "the cases assigned to them"): by the workflow's assignment,
// at registration and by a correction.
TEST_F(SecrecyRegressions, AnAdminCannotBeMadeTheOfficerOfACase) {
  std::string id = assignedCase(true, "hemligt");
  auto assigned = take(head, id, R"({"transition":"tilldela_handlaggare","officer":"adam"})");
  EXPECT_EQ(assigned.status, 422) << assigned.body;
  EXPECT_NE(assigned.body.find("\"officer\""), std::string::npos) << assigned.body;
  EXPECT_EQ(state(id), "tilldelad");

  auto registered = reg.post(
      "/api/v1/cases",
      R"({"committee":"SOCN","kind":"politikerinitiativ","subject":"Stöd","received":"2020-09-01",)"
      R"("senders":[{"name":"Person"}],"unit":"bfe","officer":"adam"})");
  EXPECT_EQ(registered.status / 100, 4) << registered.body;
  EXPECT_NE(registered.body.find("\"officer\""), std::string::npos) << registered.body;

  auto corrected = reg.post("/api/v1/cases/" + id + "/corrections",
                            R"({"officer":"adam","reason":"fel handläggare"})");
  EXPECT_EQ(corrected.status / 100, 4) << corrected.body;
  EXPECT_NE(corrected.body.find("\"officer\""), std::string::npos) << corrected.body;

  // Nothing changed: the admin still sees the case masked.
  auto seen = admin.get("/api/v1/cases/" + id);
  ASSERT_EQ(seen.status, 200);
  EXPECT_EQ(seen.body.find("hemligt"), std::string::npos) << seen.body;
}

// #14 item 10: an officer of another committee's unit could be made the
// officer of a case (and would then see its secrets). Another unit of the
// same committee may take it over; someone who is not unit staff may not.
TEST_F(SecrecyRegressions, AnOfficerOfAnotherCommitteesUnitCannotBeMadeTheOfficerOfACase) {
  std::string id = assignedCase(true, "hemligt");
  auto other = take(head, id, R"({"transition":"tilldela_handlaggare","officer":"kim"})");
  EXPECT_EQ(other.status, 422) << other.body;
  EXPECT_NE(other.body.find("\"officer\""), std::string::npos) << other.body;
  for (const char* not_staff : {"rita", "sara", "ordf"}) {
    auto r = take(head, id, std::string(R"({"transition":"tilldela_handlaggare","officer":")") + not_staff + "\"}");
    EXPECT_EQ(r.status, 422) << not_staff << ": " << r.body;
  }
  auto corrected = reg.post("/api/v1/cases/" + id + "/corrections",
                            R"({"officer":"kim","reason":"fel handläggare"})");
  EXPECT_EQ(corrected.status / 100, 4) << corrected.body;
  EXPECT_EQ(other_committee_officer.get("/api/v1/cases/" + id).status, 404);
  EXPECT_EQ(state(id), "tilldelad");

  auto same_committee = take(head, id, R"({"transition":"tilldela_handlaggare","officer":"erik"})");
  EXPECT_EQ(same_committee.status, 200) << same_committee.body;
}

// Found with #14 item 10: a case could be given to a unit of another
// committee (a KS unit for a SOCN case), whose staff then saw it in full,
// secret or not, while none of them could be its officer. Registration,
// correction and the workflow's assignment refuse it with 422 naming "unit".
TEST_F(SecrecyRegressions, AUnitOfAnotherCommitteeCannotBeGivenACase) {
  std::string id = assignedCase(true, "hemligt");
  auto moved = reg.post("/api/v1/cases/" + id + "/corrections", R"({"unit":"kansli","reason":"fel enhet"})");
  EXPECT_EQ(moved.status, 422) << moved.body;
  EXPECT_NE(moved.body.find("\"unit\""), std::string::npos) << moved.body;
  EXPECT_EQ(other_committee_officer.get("/api/v1/cases/" + id).status, 404);

  auto registered = reg.post("/api/v1/cases", R"({"committee":"SOCN","kind":"politikerinitiativ","subject":"Stöd",)"
                                              R"("received":"2020-09-01","senders":[{"name":"Person"}],"unit":"kansli"})");
  EXPECT_EQ(registered.status, 422) << registered.body;
  EXPECT_NE(registered.body.find("\"unit\""), std::string::npos) << registered.body;

  auto fresh = reg.post("/api/v1/cases", R"({"committee":"SOCN","kind":"politikerinitiativ","subject":"Stöd",)"
                                         R"("received":"2020-09-01","senders":[{"name":"Person"}]})");
  ASSERT_EQ(fresh.status, 201) << fresh.body;
  std::string fresh_id = std::to_string(fresh.json()->getValue<int>("id"));
  auto given = take(reg, fresh_id, R"({"transition":"tilldela_enhet","unit":"kansli"})");
  EXPECT_EQ(given.status, 422) << given.body;
  EXPECT_EQ(state(fresh_id), "registrerad");
  // A unit under one that works for the committee works for it too.
  EXPECT_EQ(take(reg, fresh_id, R"({"transition":"tilldela_enhet","unit":"bfe-kvalitet"})").status, 200);
}

}  // namespace
}  // namespace kansli::testing
