// Case work without a server: transitions and their effects, the memo's
// rules, and what a memo shows to whom.
#include <gtest/gtest.h>

#include "kansli/render.h"
#include "testing/engine_world.h"

namespace kansli::testing {
namespace {

const Secrecy kSecret{"OSL 26 kap. 1 §", {"subject", "senders"}};

class Casework : public ::testing::Test {
 protected:
  std::vector<std::int64_t> search(const std::string& q, const Viewer& viewer) {
    CaseQuery query;
    query.q = q;
    auto page = world.engine().diarium().listCases(query, viewer);
    EXPECT_TRUE(page.has_value()) << (page ? "" : page.error().message);
    std::vector<std::int64_t> ids;
    if (page) {
      for (const auto& c : page->items) ids.push_back(c.id);
    }
    return ids;
  }
  std::string memoText(std::int64_t id, const Viewer& viewer) {
    auto d = world.engine().memos().render(id, std::nullopt, viewer);
    EXPECT_TRUE(d.has_value()) << (d ? "" : d.error().message);
    return d ? writeText(*d) : std::string();
  }
  EngineWorld world;
};

// Regression (#19): CaseFlow inserted the workflow's documents itself and
// skipped the search index, so GET /cases?q=Protokollsutdrag found nothing.
TEST_F(Casework, TheDocumentsAWorkflowRegistersAreFound) {
  std::int64_t id = world.registerReference();
  world.prepareForCommittee(id);
  EXPECT_EQ(search("Tjänsteskrivelse", world.registrator), std::vector<std::int64_t>{id});
  EXPECT_EQ(search("Tjänsteskrivelse", Viewer::anonymous()), std::vector<std::int64_t>{id});
  world.decideAndPost(id);
  EXPECT_EQ(search("Protokollsutdrag", world.registrator), std::vector<std::int64_t>{id});
}

// Regression (#14.3): approving the memo registered "Tjänsteskrivelse -
// <subject>" without secrecy, and the next document put the secret subject
// into the public index (GET /public/diarium?q=Zeb* found the case).
TEST_F(Casework, ADrawnUpDocumentKeepsASecretSubjectOutOfThePublicIndex) {
  std::int64_t id = world.registerReference(kSecret, "Zebraskyddat boende för barn");
  world.prepareForCommittee(id);
  NewDocument later;
  later.date = "2020-08-26";
  later.title = "Komplettering";
  ASSERT_OK(world.engine().diarium().addDocument(id, later, world.registrator));
  for (const char* q : {"Zeb*", "Zebraskyddat", "zebra*"}) {
    EXPECT_TRUE(search(q, Viewer::anonymous()).empty()) << q;
    EXPECT_TRUE(search(q, world.registrator).empty()) << q << ": a masked role searches as the public";
    EXPECT_EQ(search(q, world.head), std::vector<std::int64_t>{id}) << q;
  }
  auto docs = world.engine().diarium().documentsFor(id, Viewer::anonymous());
  ASSERT_OK(docs);
  bool drawn_up = false;
  for (const auto& d : *docs) {
    EXPECT_EQ(d.title.find("Zebra"), std::string::npos) << d.title;
    if (d.kind && *d.kind == "tjansteskrivelse") {
      drawn_up = true;
      ASSERT_TRUE(d.secrecy);
      EXPECT_EQ(d.secrecy->provision, kSecret.provision);
    }
  }
  EXPECT_TRUE(drawn_up);
}

// Regression (#14.2): the memo rendered the secret sender and document title
// for members, registrators and admins, and logged no secret read.
TEST_F(Casework, AMemoRendersMaskedForThoseWhoSeeTheCaseMasked) {
  std::int64_t id = world.registerReference(kSecret, "Zebraskyddat boende för barn");
  world.prepareForCommittee(id, memoWithWord("Okapiprojektet"));
  const int logged = world.auditCount("case.secret_read");
  for (const Viewer& masked :
       {Viewer(world.chair), Viewer(world.registrator), Viewer(world.admin), Viewer::anonymous()}) {
    std::string text = memoText(id, masked);
    for (const char* secret : {"Zebraskyddat", "Andreas Falk", "Maria Åberg", "Okapiprojektet"}) {
      EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in\n" << text;
    }
    EXPECT_NE(text.find("omfattas av sekretess"), std::string::npos) << text;
    auto xml = world.engine().memos().version(id, std::nullopt, masked);
    ASSERT_FALSE(xml);
    EXPECT_EQ(xml.error().code, ErrorCode::kForbidden);
    auto diff = world.engine().memos().diff(id, 1, 1, masked);
    ASSERT_OK(diff);
    EXPECT_EQ(diff->find("Okapiprojektet"), std::string::npos);
  }
  EXPECT_EQ(world.auditCount("case.secret_read"), logged) << "masked reads show nothing secret";
  std::string full = memoText(id, world.secretary);
  EXPECT_NE(full.find("Okapiprojektet"), std::string::npos);
  EXPECT_NE(full.find("Andreas Falk"), std::string::npos);
  EXPECT_EQ(world.auditCount("case.secret_read", world.secretary.username), 1);
}

TEST_F(Casework, AnOfficerWritesOnlyTheirOwnMemo) {
  std::int64_t id = world.registerReference();
  world.take(id, world.registrator, "tilldela_enhet", "bfe");
  world.take(id, world.head, "tilldela_handlaggare", std::nullopt, world.officer.username);
  auto colleague = world.engine().memos().saveDraft(id, EngineWorld::referenceMemo(), world.colleague);
  ASSERT_FALSE(colleague);
  EXPECT_EQ(colleague.error().code, ErrorCode::kForbidden);
  // The unit head may step in.
  EXPECT_OK(world.engine().memos().saveDraft(id, EngineWorld::referenceMemo(), world.head));
  auto stranger = world.engine().memos().saveDraft(id, EngineWorld::referenceMemo(), world.stranger);
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().code, ErrorCode::kNotFound);
}

TEST_F(Casework, AClosedCaseTakesNoMemo) {
  std::int64_t id = world.registerReference();
  world.take(id, world.registrator, "tilldela_enhet", "bfe");
  TransitionRequest withdraw;
  withdraw.transition = "avskriv";
  withdraw.comment = "Initiativtagarna återkallar initiativet";
  withdraw.expected_version = world.engine().diarium().getCase(id)->version;
  ASSERT_OK(world.engine().caseFlow().take(id, withdraw, world.registrator));
  auto saved = world.engine().memos().saveDraft(id, EngineWorld::referenceMemo(), world.head);
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error().code, ErrorCode::kConflict);
}

TEST_F(Casework, ATransitionNamesTheVersionItWasMadeFrom) {
  std::int64_t id = world.registerReference();
  TransitionRequest tr;
  tr.transition = "tilldela_enhet";
  tr.unit = "bfe";
  auto none = world.engine().caseFlow().take(id, tr, world.registrator);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kPreconditionRequired);
  tr.expected_version = 1;  // the initiative made it 2
  auto stale = world.engine().caseFlow().take(id, tr, world.registrator);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
}

TEST_F(Casework, ACaseOutsideTheUsersSightIsNotFound) {
  std::int64_t id = world.registerReference();
  world.take(id, world.registrator, "tilldela_enhet", "bfe");
  TransitionRequest tr;
  tr.transition = "tilldela_handlaggare";
  tr.officer = world.stranger.username;
  tr.expected_version = 3;
  auto taken = world.engine().caseFlow().take(id, tr, world.stranger);
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, ErrorCode::kNotFound);
  auto listed = world.engine().caseFlow().available(id, world.stranger);
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().code, ErrorCode::kNotFound);
}

TEST_F(Casework, ATransitionAnswersTheCaseAsItsTakerSeesIt) {
  std::int64_t id = world.registerReference(kSecret);
  auto c = world.engine().diarium().getCase(id);
  ASSERT_OK(c);
  TransitionRequest tr;
  tr.transition = "tilldela_enhet";
  tr.unit = "bfe";
  tr.expected_version = c->version;
  auto r = world.engine().caseFlow().take(id, tr, world.registrator);
  ASSERT_OK(r);
  EXPECT_NE(r->c.subject.find("omfattas av sekretess"), std::string::npos) << r->c.subject;
  EXPECT_EQ(r->c.state, "tilldelad");
}

}  // namespace
}  // namespace kansli::testing
