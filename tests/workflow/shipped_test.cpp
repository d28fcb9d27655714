// The workflows shipped in workflows/: they load cleanly, have the states the
// guide describes, and the documentation names the whole vocabulary.
#include <gmock/gmock.h>

#include "kansli/workflow.h"
#include "testing/testing.h"

namespace kansli::workflow {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::string workflowsDir() { return kansli::testing::sourceDir() + "/workflows"; }

std::vector<std::string> stateIds(const Workflow& wf) {
  std::vector<std::string> ids;
  for (const auto& s : wf.states) ids.push_back(s.id);
  return ids;
}

std::vector<std::string> strs(const std::vector<Problem>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.str());
  return out;
}

TEST(ShippedWorkflows, CheckCleanly) { EXPECT_THAT(strs(check({workflowsDir()})), IsEmpty()); }

TEST(ShippedWorkflows, LoadAndServeTheThreeKinds) {
  auto set = loadWorkflows(workflowsDir());
  ASSERT_OK(set);
  ASSERT_EQ(set->all().size(), 3u);
  for (const char* kind : {"politikerinitiativ", "motion", "medborgarforslag"}) {
    const Workflow* wf = set->forKind(kind);
    ASSERT_NE(wf, nullptr) << kind;
    EXPECT_EQ(wf->id, kind);
    EXPECT_EQ(wf->version, 1);
    ASSERT_NE(wf->initialState(), nullptr);
    EXPECT_EQ(wf->initialState()->id, "registrerad");
  }
  EXPECT_EQ(set->forKind("bygglov"), nullptr);
}

TEST(ShippedWorkflows, PolitikerinitiativFollowsTheReferenceCase) {
  auto set = loadWorkflows(workflowsDir());
  ASSERT_OK(set);
  const Workflow& wf = *set->latest("politikerinitiativ");
  EXPECT_THAT(stateIds(wf), ElementsAre("registrerad", "tilldelad", "under_utredning",
                                        "for_godkannande", "klar_for_namnd", "pa_dagordning",
                                        "beslutad", "justerad", "avslutad", "avskriven"));
  EXPECT_TRUE(wf.state("avslutad")->final);
  EXPECT_TRUE(wf.state("avskriven")->final);
  EXPECT_FALSE(wf.case_deadline);

  const Transition* back = wf.transition("aterforvisa");
  ASSERT_NE(back, nullptr);
  EXPECT_THAT(back->from, ElementsAre("for_godkannande"));
  EXPECT_EQ(back->to, "under_utredning");
  EXPECT_THAT(back->roles, ElementsAre(Role::kEnhetschef));

  EXPECT_EQ(wf.transition("aterremiss")->to, "under_utredning");
  EXPECT_EQ(wf.transition("bordlagg")->to, "klar_for_namnd");

  // Avskrivning from every state that is not final.
  EXPECT_THAT(wf.transition("avskriv")->from,
              ElementsAre("registrerad", "tilldelad", "under_utredning", "for_godkannande",
                          "klar_for_namnd", "pa_dagordning", "beslutad", "justerad"));
}

TEST(ShippedWorkflows, RolesAsTheGuideDescribes) {
  auto set = loadWorkflows(workflowsDir());
  ASSERT_OK(set);
  const Workflow& wf = *set->latest("politikerinitiativ");
  auto roles = [&](const char* id) { return wf.transition(id)->roles; };
  EXPECT_THAT(roles("tilldela_enhet"), UnorderedElementsAre(Role::kRegistrator, Role::kAdmin));
  EXPECT_THAT(roles("tilldela_handlaggare"), ElementsAre(Role::kEnhetschef));
  EXPECT_THAT(roles("skicka_for_godkannande"), ElementsAre(Role::kHandlaggare));
  EXPECT_THAT(roles("godkann"), ElementsAre(Role::kEnhetschef));
  for (const char* id : {"satt_pa_dagordning", "registrera_beslut", "justera", "avsluta"}) {
    EXPECT_THAT(roles(id), ElementsAre(Role::kNamndsekreterare)) << id;
  }
  // Members read; they move no case.
  for (const auto& t : wf.transitions) EXPECT_FALSE(t.allows(Role::kLedamot)) << t.id;
}

TEST(ShippedWorkflows, MotionHasTheOneYearDeadlineAndTheYttrandeStep) {
  auto set = loadWorkflows(workflowsDir());
  ASSERT_OK(set);
  const Workflow& wf = *set->latest("motion");
  EXPECT_THAT(stateIds(wf),
              ElementsAre("registrerad", "tilldelad", "under_utredning", "invantar_yttrande",
                          "for_godkannande", "klar_for_ks", "pa_ks_dagordning", "beredd",
                          "pa_kf_dagordning", "beslutad", "justerad", "avslutad", "avskriven"));
  ASSERT_TRUE(wf.case_deadline);
  EXPECT_EQ(wf.case_deadline->period.iso(), "P1Y");
  EXPECT_EQ(wf.case_deadline->from, DeadlineFrom::kReceived);
  const auto& guards = wf.transition("yttrande_inkommet")->guards;
  ASSERT_EQ(guards.size(), 1u);
  EXPECT_EQ(guards[0].kind, GuardKind::kDocumentRegistered);
  EXPECT_THAT(guards[0].args, ElementsAre("yttrande"));
}

TEST(ShippedWorkflows, MedborgarforslagSetsItsDeadlineWhenHandedOver) {
  auto set = loadWorkflows(workflowsDir());
  ASSERT_OK(set);
  const Workflow& wf = *set->latest("medborgarforslag");
  EXPECT_THAT(stateIds(wf),
              ElementsAre("registrerad", "overlamnad", "tilldelad", "under_utredning",
                          "for_godkannande", "klar_for_namnd", "pa_dagordning", "beslutad",
                          "justerad", "underrattad", "avslutad", "avskriven"));
  EXPECT_FALSE(wf.case_deadline);
  const auto& effects = wf.transition("overlamna")->effects;
  ASSERT_EQ(effects.size(), 1u);
  EXPECT_EQ(effects[0].kind, EffectKind::kSetDeadline);
  ASSERT_TRUE(effects[0].period);
  EXPECT_EQ(effects[0].period->iso(), "P1Y");
  EXPECT_EQ(effects[0].from, DeadlineFrom::kReceived);
  // "besvarad" is an outcome that closes the proposal.
  const auto& outcome = wf.transition("registrera_beslut")->guards.at(1);
  EXPECT_EQ(outcome.kind, GuardKind::kDecisionOutcome);
  EXPECT_THAT(outcome.args, ::testing::Contains("besvarad"));
}

TEST(ShippedWorkflows, DocumentationNamesTheWholeVocabulary) {
  std::string doc = kansli::testing::readFile(kansli::testing::sourceDir() + "/docs/workflows.md");
  ASSERT_FALSE(doc.empty());
  for (const auto& g : guardVocabulary()) {
    EXPECT_NE(doc.find("`" + std::string(g.name) + "`"), std::string::npos) << g.name;
  }
  for (const auto& e : effectVocabulary()) {
    EXPECT_NE(doc.find("`" + std::string(e.name) + "`"), std::string::npos) << e.name;
  }
  for (Role r : allRoles()) {
    EXPECT_NE(doc.find("`" + std::string(roleName(r)) + "`"), std::string::npos) << roleName(r);
  }
  for (auto o : decisionOutcomes()) {
    EXPECT_NE(doc.find("`" + std::string(o) + "`"), std::string::npos) << o;
  }
  for (auto k : documentKinds()) {
    EXPECT_NE(doc.find("`" + std::string(k) + "`"), std::string::npos) << k;
  }
}

TEST(Vocabulary, TablesFollowTheEnums) {
  EXPECT_EQ(guardName(GuardKind::kFieldSet), "field-set");
  EXPECT_EQ(guardName(GuardKind::kCommentGiven), "comment-given");
  EXPECT_EQ(guardVocabulary().size(), static_cast<std::size_t>(GuardKind::kCommentGiven) + 1);
  EXPECT_EQ(effectName(EffectKind::kAssign), "assign");
  EXPECT_EQ(effectName(EffectKind::kApproveMemo), "approve-memo");
  EXPECT_EQ(effectVocabulary().size(), static_cast<std::size_t>(EffectKind::kApproveMemo) + 1);
}

TEST(Vocabulary, RolesRoundTrip) {
  ASSERT_EQ(allRoles().size(), 6u);
  for (Role r : allRoles()) EXPECT_EQ(parseRole(roleName(r)), r);
  EXPECT_EQ(parseRole("kung"), std::nullopt);
  EXPECT_EQ(parseRole("Admin"), std::nullopt);
}

TEST(Period, ParsesIsoPeriods) {
  EXPECT_EQ(parsePeriod("P1Y"), (Period{1, 0, 0}));
  EXPECT_EQ(parsePeriod("P3M"), (Period{0, 3, 0}));
  EXPECT_EQ(parsePeriod("P2W"), (Period{0, 0, 14}));
  EXPECT_EQ(parsePeriod("P1Y6M2W3D"), (Period{1, 6, 17}));
  for (const char* bad :
       {"", "P", "1Y", "PY", "P1", "P1D1Y", "P1Y1Y", "P-1D", "P1H", "P99999D", "P1Y ", "p1y"}) {
    EXPECT_EQ(parsePeriod(bad), std::nullopt) << bad;
  }
}

TEST(Period, AddsCalendarUnitsClampingToTheMonthEnd) {
  using namespace std::chrono;
  EXPECT_EQ(parsePeriod("P1Y")->addTo(2020y / August / 25), 2021y / August / 25);
  EXPECT_EQ(parsePeriod("P1Y")->addTo(2020y / February / 29), 2021y / February / 28);
  EXPECT_EQ(parsePeriod("P1M")->addTo(2021y / January / 31), 2021y / February / 28);
  EXPECT_EQ(parsePeriod("P3W")->addTo(2020y / December / 20), 2021y / January / 10);
  EXPECT_EQ(parsePeriod("P1M1D")->addTo(2020y / January / 31), 2020y / March / 1);
}

}  // namespace
}  // namespace kansli::workflow
