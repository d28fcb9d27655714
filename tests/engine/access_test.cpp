// Who sees which case, and how much of it (kansli/access.h), decided in the
// engine for every viewer: each role, the public and the program.
#include <gtest/gtest.h>

#include "kansli/access.h"
#include "testing/engine_world.h"

namespace kansli::testing {
namespace {

const Secrecy kSecret{"OSL 26 kap. 1 §", {"subject", "senders"}};

class Access : public ::testing::Test {
 protected:
  Case assignedCase(bool secret) {
    std::int64_t id = world.registerReference(secret ? std::optional(kSecret) : std::nullopt);
    world.take(id, world.registrator, "tilldela_enhet", "bfe");
    auto c = world.engine().diarium().getCase(id);
    EXPECT_TRUE(c.has_value());
    return *c;
  }
  EngineWorld world;
};

TEST_F(Access, EachViewerSeesACaseOfTheUnitAsTheTableSays) {
  Case c = assignedCase(true);
  const Organisation& org = world.engine().organisation();
  struct Row {
    const char* who;
    Viewer viewer;
    Sight sight;
  };
  const Row rows[] = {
      {"registrator", world.registrator, Sight::kMasked},
      {"officer of a sub-unit", world.officer, Sight::kFull},
      {"head of the unit", world.head, Sight::kFull},
      {"secretary of the committee", world.secretary, Sight::kFull},
      {"member", world.chair, Sight::kMasked},
      {"admin", world.admin, Sight::kMasked},
      {"officer of another unit", world.stranger, Sight::kHidden},
      {"the public", Viewer::anonymous(), Sight::kMasked},
      {"the program", Viewer::system(), Sight::kFull},
  };
  for (const auto& r : rows) EXPECT_EQ(caseSight(r.viewer, c, org), r.sight) << r.who;
}

TEST_F(Access, AnOfficerSeesTheCasesAssignedToThemWhereverTheyAre) {
  Case c = assignedCase(false);
  c.unit = "eeb";
  c.officer = world.officer.username;
  EXPECT_EQ(caseSight(world.officer, c, world.engine().organisation()), Sight::kFull);
  c.officer = world.colleague.username;
  EXPECT_EQ(caseSight(world.officer, c, world.engine().organisation()), Sight::kHidden);
}

TEST_F(Access, AMemberOfNoCommitteeSeesNothing) {
  User loose = world.chair;
  loose.committee.reset();
  EXPECT_TRUE(caseScope(loose, world.engine().organisation()).nothing);
}

TEST_F(Access, CommitteeWorkIsForThoseWhoWorkForTheCommittee) {
  const Organisation& org = world.engine().organisation();
  EXPECT_TRUE(seesCommitteeWork(world.secretary, "SOCN", org));
  EXPECT_FALSE(seesCommitteeWork(world.secretary, "KS", org));
  EXPECT_TRUE(seesCommitteeWork(world.chair, "SOCN", org));
  EXPECT_TRUE(seesCommitteeWork(world.stranger, "SOCN", org)) << "eeb works for SOCN";
  EXPECT_TRUE(seesCommitteeWork(world.registrator, "KS", org));
  EXPECT_FALSE(seesCommitteeWork(world.admin, "SOCN", org));
  EXPECT_FALSE(seesCommitteeWork(Viewer::anonymous(), "SOCN", org));
  EXPECT_TRUE(seesCommitteeWork(Viewer::system(), "KS", org));
}

TEST_F(Access, ACaseReadMasksAndLogsAsTheSightSays) {
  std::int64_t id = assignedCase(true).id;
  const std::string subject = "Förebyggande";  // a word of the secret subject
  for (const Viewer& masked : {Viewer(world.registrator), Viewer(world.chair), Viewer::anonymous()}) {
    auto c = world.engine().diarium().caseFor(id, masked);
    ASSERT_OK(c);
    EXPECT_EQ(c->subject.find(subject), std::string::npos) << c->subject;
    EXPECT_NE(c->subject.find("omfattas av sekretess"), std::string::npos);
    EXPECT_FALSE(c->officer);
  }
  EXPECT_EQ(world.auditCount("case.secret_read"), 0) << "masked reads show nothing secret";
  auto full = world.engine().diarium().caseFor(id, world.head);
  ASSERT_OK(full);
  EXPECT_NE(full->subject.find(subject), std::string::npos);
  EXPECT_EQ(world.auditCount("case.secret_read", world.head.username), 1);
  auto hidden = world.engine().diarium().caseFor(id, world.stranger);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, ErrorCode::kNotFound);
}

TEST_F(Access, TheOfficerFilterDoesNotTellAMaskedCallerWhoHandlesASecretCase) {
  std::int64_t secret = world.registerReference(kSecret);
  std::int64_t open = world.registerReference();
  for (auto id : {secret, open}) {
    world.take(id, world.registrator, "tilldela_enhet", "bfe");
    world.take(id, world.head, "tilldela_handlaggare", std::nullopt, world.officer.username);
  }
  CaseQuery q;
  q.officer = world.officer.username;
  auto masked = world.engine().diarium().listCases(q, world.registrator);
  ASSERT_OK(masked);
  ASSERT_EQ(masked->items.size(), 1u);
  EXPECT_EQ(masked->items[0].id, open);
  auto full = world.engine().diarium().listCases(q, world.head);
  ASSERT_OK(full);
  EXPECT_EQ(full->items.size(), 2u);
}

TEST_F(Access, HistoryDetailsOfASecretCaseAreEmptyForMaskedViewers) {
  std::int64_t id = assignedCase(true).id;
  auto masked = world.engine().diarium().history(id, world.chair);
  ASSERT_OK(masked);
  ASSERT_FALSE(masked->empty());
  for (const auto& e : *masked) EXPECT_EQ(e.detail, "{}") << e.action;
  auto full = world.engine().diarium().history(id, world.secretary);
  ASSERT_OK(full);
  EXPECT_NE(full->front().detail.find("Förebyggande"), std::string::npos);
}

}  // namespace
}  // namespace kansli::testing
