// Meetings without a server: who sees a meeting and its decisions, what the
// decision search holds, and what the printed minutes say.
#include <gtest/gtest.h>

#include "kansli/render.h"
#include "testing/database.h"
#include "testing/engine_world.h"

namespace kansli::testing {
namespace {

const Secrecy kSecret{"OSL 26 kap. 1 §", {"subject", "senders"}};

class MeetingsEngine : public ::testing::Test {
 protected:
  std::vector<std::int64_t> decisions(const std::string& q, const Viewer& viewer) {
    DecisionQuery query;
    query.q = q;
    auto found = world.engine().meetings().decisions(query, viewer);
    EXPECT_TRUE(found.has_value()) << (found ? "" : found.error().message);
    std::vector<std::int64_t> ids;
    if (found) {
      for (const auto& d : *found) ids.push_back(d.id);
    }
    return ids;
  }
  EngineWorld world;
};

// Regression (#14.4): recordDecision indexed the approved memo's full text,
// and the public decision search found a word only a secret case had.
TEST_F(MeetingsEngine, ThePublicDecisionSearchHoldsNoWordOfASecretCase) {
  std::int64_t secret = world.registerReference(kSecret, "Zebraskyddat boende för barn");
  world.prepareForCommittee(secret, memoWithWord("Okapiprojektet"));
  world.decideAndPost(secret, "Nämnden bifaller förslaget om Zebraskyddat boende.");
  std::int64_t open = world.registerReference();
  world.prepareForCommittee(open, memoWithWord("Giraffprojektet"));
  world.decideAndPost(open);
  for (const char* q : {"Okapiprojektet", "Zebraskyddat", "Zeb*", "Okapi*"}) {
    EXPECT_TRUE(decisions(q, Viewer::anonymous()).empty()) << q;
    EXPECT_TRUE(decisions(q, world.secretary).empty()) << q << ": one index, safe for all";
  }
  EXPECT_EQ(decisions("Giraffprojektet", Viewer::anonymous()).size(), 1u)
      << "the memo of a case without secrecy is searchable with its decision";
  // A decision in a case with secrecy is secret with the case (#14): none of
  // its words is in the index, only its title as the public sees it.
  EXPECT_EQ(decisions("bifaller", Viewer::anonymous()).size(), 1u)
      << "the decision's words are searchable in a case without secrecy only";
  EXPECT_EQ(decisions("bifaller", world.secretary).size(), 1u) << "one index, safe for all";
}

// The kallelse names each case's föredragande officer; members read it, and
// they see a secret case masked, officer and all.
TEST_F(MeetingsEngine, TheAgendaNamesNoOfficerOfASecretCase) {
  std::int64_t secret = world.registerReference(kSecret);
  world.prepareForCommittee(secret);
  std::int64_t meeting = world.decideAndPost(secret);
  auto agenda = world.engine().meetings().renderAgenda(meeting, world.chair);
  ASSERT_OK(agenda);
  std::string text = writeText(*agenda);
  EXPECT_EQ(text.find(world.officer.display_name), std::string::npos) << text;
  EXPECT_EQ(text.find("Förebyggande"), std::string::npos) << text;
  auto minutes = world.engine().meetings().renderMinutes(meeting, Viewer::anonymous());
  ASSERT_OK(minutes);
  EXPECT_EQ(writeText(*minutes).find("Förebyggande"), std::string::npos);

  std::int64_t open = world.registerReference();
  world.prepareForCommittee(open);
  std::int64_t other = world.decideAndPost(open);
  auto open_agenda = world.engine().meetings().renderAgenda(other, world.chair);
  ASSERT_OK(open_agenda);
  EXPECT_NE(writeText(*open_agenda).find(world.officer.display_name), std::string::npos);
}

TEST_F(MeetingsEngine, AMeetingIsSeenByThoseWhoWorkForItsCommittee) {
  NewMeeting nm;
  nm.committee = "SOCN";
  nm.date = "2020-09-15";
  auto m = world.engine().meetings().create(nm, world.secretary);
  ASSERT_OK(m);
  for (const Viewer& sees : {Viewer(world.secretary), Viewer(world.chair), Viewer(world.stranger),
                             Viewer(world.registrator)}) {
    EXPECT_OK(world.engine().meetings().get(m->id, sees));
  }
  for (const Viewer& not_yet : {Viewer(world.admin), Viewer::anonymous()}) {
    auto got = world.engine().meetings().get(m->id, not_yet);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  }
  auto listed = world.engine().meetings().list(std::nullopt, world.admin);
  ASSERT_OK(listed);
  EXPECT_TRUE(listed->empty());
}

TEST_F(MeetingsEngine, ThePublicReadsTheMinutesOnceTheyArePosted) {
  std::int64_t id = world.registerReference();
  world.prepareForCommittee(id);
  NewMeeting nm;
  nm.committee = "SOCN";
  // Held today (decisions are recorded on the meeting day), with the chair
  // and the adjuster present (justering needs them there).
  nm.date = formatDate(stockholmDate(world.clock().now()));
  nm.place = "Stadshuset";
  nm.chair = world.chair.username;
  nm.adjusters = {world.adjuster.username};
  nm.attendance = {{world.chair.display_name, "ordförande"},
                   {world.adjuster.display_name, "ledamot"}};
  auto m = world.engine().meetings().create(nm, world.secretary);
  ASSERT_OK(m);
  ASSERT_OK(world.engine().meetings().addItem(m->id, id, std::nullopt, world.secretary));
  DecisionInput d;
  d.outcome = "bifall";
  d.text = "Bifall.";
  ASSERT_OK(world.engine().meetings().recordDecision(m->id, 1, d, world.secretary));
  ASSERT_OK(world.engine().meetings().drawMinutes(m->id, world.secretary));
  auto early = world.engine().meetings().renderMinutes(m->id, Viewer::anonymous());
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kNotFound);
  auto decision = world.engine().meetings().decisions({}, Viewer::anonymous());
  ASSERT_OK(decision);
  EXPECT_TRUE(decision->empty()) << "not before justering";
  const Confirmation confirmed{"lösenord", world.clock().now()};
  ASSERT_OK(world.engine().meetings().attest(m->id, world.chair, confirmed));
  ASSERT_OK(world.engine().meetings().attest(m->id, world.adjuster, confirmed));
  ASSERT_OK(world.engine().meetings().post(m->id, world.secretary));
  EXPECT_OK(world.engine().meetings().renderMinutes(m->id, Viewer::anonymous()));
}

// A damaged attendance list in the database was read as an empty one.
TEST_F(MeetingsEngine, ADamagedStoredAttendanceIsAnErrorNotAnEmptyList) {
  NewMeeting nm;
  nm.committee = "SOCN";
  nm.date = "2020-09-15";
  nm.attendance = {{"Lars Ledamot", "ordförande"}};
  auto m = world.engine().meetings().create(nm, world.secretary);
  ASSERT_OK(m);
  execStore(world.dataDir(), "UPDATE meetings SET attendance = '[{\"name\":' WHERE id = 1");
  auto got = world.engine().meetings().get(m->id, world.secretary);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kInternal);
  EXPECT_NE(got.error().message.find("skadad"), std::string::npos) << got.error().message;
}

}  // namespace
}  // namespace kansli::testing
