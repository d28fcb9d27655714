// A case stays on the workflow version it started with; a changed definition
// applies to new cases; a running case moves only by an explicit, logged
// migration.
#include <gtest/gtest.h>

#include <filesystem>

#include "kansli/engine.h"
#include "testing/testing.h"

namespace kansli::testing {
namespace {

class WorkflowVersions : public ::testing::Test {
 protected:
  WorkflowVersions() {
    std::filesystem::create_directories(dir.file("v1"));
    std::filesystem::create_directories(dir.file("v2"));
    for (const char* f : {"politikerinitiativ.xml", "motion.xml", "medborgarforslag.xml"}) {
      std::string text = readFile(sourceDir() + "/workflows/" + f);
      writeFile(dir.file(std::string("v1/") + f), text);
      writeFile(dir.file(std::string("v2/") + f), text);
    }
    // Version 2: the same path, with a new label on approval.
    std::string v2 = readFile(sourceDir() + "/workflows/politikerinitiativ.xml");
    auto replace = [&](const std::string& from, const std::string& to) {
      auto pos = v2.find(from);
      ASSERT_NE(pos, std::string::npos) << from;
      v2.replace(pos, from.size(), to);
    };
    replace("version=\"1\"", "version=\"2\"");
    replace("label=\"Godkänn tjänsteskrivelsen\"", "label=\"Godkänn och skicka till nämnden\"");
    writeFile(dir.file("v2/politikerinitiativ-v2.xml"), v2);
  }

  std::unique_ptr<Engine> open(const std::string& workflows) {
    EngineConfig ec;
    ec.data_dir = dir.file("data");
    std::filesystem::create_directories(ec.data_dir);
    ec.home = sourceDir();
    ec.organisation_file = sourceDir() + "/samples/nacka/organisation.xml";
    ec.workflows_dir = dir.file(workflows);
    ec.accounts.pbkdf2_iterations = 1000;
    auto s = Engine::open(ec, clock);
    if (!s) throw std::runtime_error(s.error().message);
    // The people who act: the audit log names only users of the database.
    for (const NewUser& u : {NewUser{"rita", "Rita", Role::kRegistrator, {}, {}},
                             NewUser{"ada", "Ada", Role::kAdmin, {}, {}}}) {
      auto added = (*s)->accounts().addUser(u, "ett-långt-lösenord", audit::Actor::system());
      if (!added && added.error().code != ErrorCode::kConflict) {
        throw std::runtime_error(added.error().message);
      }
    }
    return std::move(*s);
  }

  NewCase initiative() {
    return NewCase{"SOCN", "politikerinitiativ", "Ett initiativ", "2020-09-01",
                   {{"Anna A", "S", std::nullopt}}, std::nullopt, std::nullopt, std::nullopt};
  }

  TempDir dir;
  FixedClock clock{Instant{std::chrono::seconds{1601884800}}};
  audit::Actor registrator{"rita", "registrator"};
};

TEST_F(WorkflowVersions, RunningCasesKeepTheirVersionNewCasesTakeTheLatest) {
  std::int64_t old_case = 0;
  {
    auto s = open("v1");
    auto c = s->diarium().registerCase(initiative(), registrator);
    ASSERT_OK(c);
    EXPECT_EQ(c->workflow_version, 1);
    old_case = c->id;
  }
  auto s = open("v2");  // the municipality deployed version 2
  auto old = s->diarium().getCase(old_case);
  ASSERT_OK(old);
  EXPECT_EQ(old->workflow_version, 1) << "a running case is not moved silently";
  auto wf = s->caseFlow().workflowOf(*old);
  ASSERT_OK(wf);
  EXPECT_EQ((*wf)->transition("godkann")->label, "Godkänn tjänsteskrivelsen");

  auto fresh = s->diarium().registerCase(initiative(), registrator);
  ASSERT_OK(fresh);
  EXPECT_EQ(fresh->workflow_version, 2);

  // The explicit migration, logged with its reason.
  auto ada = s->accounts().user("ada");
  ASSERT_OK(ada);
  auto moved = s->caseFlow().migrate(old_case, 2, "Ny arbetsgång från 1 november", *ada);
  ASSERT_OK(moved);
  EXPECT_EQ(moved->workflow_version, 2);
  auto events = s->diarium().history(old_case, Viewer::system());
  ASSERT_OK(events);
  EXPECT_EQ(events->back().action, "case.migrate");
  EXPECT_NE(events->back().detail.find("Ny arbetsgång"), std::string::npos);
}

TEST_F(WorkflowVersions, ACaseWhoseVersionIsGoneIsReportedNotGuessed) {
  {
    auto s = open("v2");
    ASSERT_OK(s->diarium().registerCase(initiative(), registrator));  // on version 2
  }
  auto s = open("v1");  // version 2 withdrawn
  auto c = s->diarium().getCase(1);
  ASSERT_OK(c);
  auto wf = s->caseFlow().workflowOf(*c);
  ASSERT_FALSE(wf);
  EXPECT_NE(wf.error().message.find("migrera"), std::string::npos) << wf.error().message;
}

}  // namespace
}  // namespace kansli::testing
