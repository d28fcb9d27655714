// Bevakning (issue #16): an officer's deadlines within a week or passed, and
// the secretary warned two months before a motion's one-year limit
// (kommunallagen 5 kap. 35 §).
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include "testing/meeting_flow.h"

namespace kansli::testing {
namespace {

TEST(Reminders, AnOfficerSeesDeadlinesWithinAWeekAndThosePassed) {
  TestServer server(dayAt(2020, 10, 5));
  CommitteePeople people(server);
  std::string id = registerReferenceCase(people.reg);
  people.take(people.reg, id, R"({"transition":"tilldela_enhet","unit":"bfe"})");
  people.take(people.head, id, R"({"transition":"tilldela_handlaggare","officer":"nina"})");
  ASSERT_EQ(people.officer.request("PUT", "/api/v1/cases/" + id + "/memo", referenceMemoXml(),
                                   {{"Content-Type", "application/xml"}}).status, 201);
  // For approval: the unit head has two weeks (to 2020-10-19).
  ASSERT_EQ(people.take(people.officer, id, R"({"transition":"skicka_for_godkannande"})").status, 200);
  auto none = people.officer.get("/api/v1/reminders");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(none.json()->getArray("items")->size(), 0u) << "14 days left";
  people.setDay(2020, 10, 13);
  auto soon = people.officer.get("/api/v1/reminders").json()->getArray("items");
  ASSERT_EQ(soon->size(), 1u);
  EXPECT_EQ(soon->getObject(0)->getValue<std::string>("deadline"), "2020-10-19");
  EXPECT_EQ(soon->getObject(0)->getValue<int>("days_left"), 6);
  EXPECT_EQ(soon->getObject(0)->getValue<std::string>("what"), "Frist i läget För godkännande");
  people.setDay(2020, 10, 21);
  auto late = people.officer.get("/api/v1/reminders").json()->getArray("items");
  ASSERT_EQ(late->size(), 1u);
  EXPECT_EQ(late->getObject(0)->getValue<int>("days_left"), -2);
  // Another officer has none of them.
  auto other = server.as("olle", Role::kHandlaggare, "bfe");
  EXPECT_EQ(other.get("/api/v1/reminders").json()->getArray("items")->size(), 0u);
}

TEST(Reminders, TheSecretaryIsWarnedTwoMonthsBeforeAMotionsYear) {
  TestServer server(dayAt(2020, 1, 15));
  auto reg = server.as("rita", Role::kRegistrator);
  auto kf = server.as("karin", Role::kNamndsekreterare, {}, "KF");
  auto socn = server.as("sara", Role::kNamndsekreterare, {}, "SOCN");
  auto r = reg.post("/api/v1/cases",
                    R"j({"committee":"KF","kind":"motion","subject":"Motion om fler parkbänkar",)j"
                    R"j("received":"2020-01-15","senders":[{"name":"Per Persson","party":"M"}]})j");
  ASSERT_EQ(r.status, 201) << r.body;
  server.clock().set(dayAt(2020, 11, 14));
  kf = server.as("karin", Role::kNamndsekreterare, {}, "KF");
  EXPECT_EQ(kf.get("/api/v1/reminders").json()->getArray("items")->size(), 0u) << "not yet";
  server.clock().set(dayAt(2020, 11, 15));
  kf = server.as("karin", Role::kNamndsekreterare, {}, "KF");
  auto items = kf.get("/api/v1/reminders").json()->getArray("items");
  ASSERT_EQ(items->size(), 1u);
  auto w = items->getObject(0);
  EXPECT_EQ(w->getValue<std::string>("kind"), "motion");
  EXPECT_EQ(w->getValue<std::string>("deadline"), "2021-01-15");
  EXPECT_EQ(w->getValue<int>("days_left"), 61);
  EXPECT_NE(w->getValue<std::string>("what").find("KL 5 kap. 35 §"), std::string::npos);
  socn = server.as("sara", Role::kNamndsekreterare, {}, "SOCN");
  EXPECT_EQ(socn.get("/api/v1/reminders").json()->getArray("items")->size(), 0u)
      << "another committee's motions";
  EXPECT_EQ(server.client().get("/api/v1/reminders").status, 401);
}

}  // namespace
}  // namespace kansli::testing
