// The state machine over the shipped workflows: the reference path start to
// finish, every error kind, and every transition from every state.
#include <gmock/gmock.h>

#include <deque>
#include <map>
#include <set>

#include "kansli/workflow.h"
#include "testing/testing.h"
#include "workflow/fake_case.h"

namespace kansli::workflow {
namespace {

using ::testing::ElementsAre;
using testing::everythingHolds;
using testing::FakeCase;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const WorkflowSet& shipped() {
  static const WorkflowSet set = [] {
    auto loaded = loadWorkflows(kansli::testing::sourceDir() + "/workflows");
    if (!loaded) {
      ADD_FAILURE() << loaded.error().message;
      return WorkflowSet();
    }
    return std::move(*loaded);
  }();
  return set;
}

const Workflow& politikerinitiativ() { return *shipped().latest("politikerinitiativ"); }

std::vector<std::string> ids(const std::vector<const Transition*>& ts) {
  std::vector<std::string> out;
  for (const auto* t : ts) out.push_back(t->id);
  return out;
}

class Politikerinitiativ : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(shipped().latest("politikerinitiativ"), nullptr);
    c_.state = "registrerad";
  }

  // Takes `transition` as `role`; expects success and applies the effects.
  void take(std::string_view transition, Role role) {
    auto step = evaluate(politikerinitiativ(), c_.state, transition, role, c_);
    ASSERT_OK(step);
    EXPECT_EQ(step->from, c_.state);
    c_.apply(*step);
  }

  Result<Step> attempt(std::string_view transition, Role role) {
    return evaluate(politikerinitiativ(), c_.state, transition, role, c_);
  }

  FakeCase c_;
};

TEST_F(Politikerinitiativ, ReferencePathFromRegistrationToClosing) {
  // The registrator gives the case to Barn- och familjeenheten.
  c_.request = {"unit"};
  take("tilldela_enhet", Role::kRegistrator);
  EXPECT_EQ(c_.state, "tilldelad");
  EXPECT_TRUE(c_.fieldSet("unit"));

  c_.request = {"officer"};
  take("tilldela_handlaggare", Role::kEnhetschef);
  EXPECT_EQ(c_.state, "under_utredning");

  c_.draft = true;  // the officer saves a draft tjänsteskrivelse
  take("skicka_for_godkannande", Role::kHandlaggare);
  EXPECT_EQ(c_.state, "for_godkannande");

  take("godkann", Role::kEnhetschef);
  EXPECT_EQ(c_.state, "klar_for_namnd");
  EXPECT_TRUE(c_.approved);
  EXPECT_TRUE(c_.documentRegistered("tjansteskrivelse"));

  c_.agenda = true;  // the meetings module puts it on the agenda
  take("satt_pa_dagordning", Role::kNamndsekreterare);
  EXPECT_EQ(c_.state, "pa_dagordning");

  c_.outcome = "besvarad";  // the committee declares the initiative answered
  take("registrera_beslut", Role::kNamndsekreterare);
  EXPECT_EQ(c_.state, "beslutad");

  c_.attested = true;
  take("justera", Role::kNamndsekreterare);
  EXPECT_EQ(c_.state, "justerad");
  EXPECT_TRUE(c_.documentRegistered("protokollsutdrag"));

  c_.posted = true;
  c_.laga_kraft = true;
  take("avsluta", Role::kNamndsekreterare);
  EXPECT_EQ(c_.state, "avslutad");
  EXPECT_THAT(politikerinitiativ().transitionsFrom("avslutad"), IsEmpty());
}

TEST_F(Politikerinitiativ, MemoSentBackFromApprovalNeedsAComment) {
  c_.state = "for_godkannande";
  c_.draft = true;
  auto refused = attempt("aterforvisa", Role::kEnhetschef);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnprocessable);
  ASSERT_EQ(refused.error().fields.size(), 1u);
  EXPECT_EQ(refused.error().fields[0].field, "comment");
  EXPECT_EQ(refused.error().fields[0].message, "Ange en kommentar som motiverar åtgärden.");

  c_.request = {"comment"};
  take("aterforvisa", Role::kEnhetschef);
  EXPECT_EQ(c_.state, "under_utredning");
}

TEST_F(Politikerinitiativ, AterremissSendsTheCaseBackToInvestigation) {
  c_.state = "pa_dagordning";
  c_.outcome = "aterremiss";
  // A recorded återremiss is not a decision that ends the case...
  auto refused = attempt("registrera_beslut", Role::kNamndsekreterare);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnprocessable);
  EXPECT_THAT(refused.error().message,
              HasSubstr("Beslutets utfall är återremiss, inte bifall, avslag, delvis bifall "
                        "eller besvarad."));
  // ...it sends the case back.
  take("aterremiss", Role::kNamndsekreterare);
  EXPECT_EQ(c_.state, "under_utredning");
}

TEST_F(Politikerinitiativ, BordlaggningPutsTheCaseBackForTheNextMeeting) {
  c_.state = "pa_dagordning";
  c_.approved = true;
  c_.outcome = "bordlaggning";
  take("bordlagg", Role::kNamndsekreterare);
  EXPECT_EQ(c_.state, "klar_for_namnd");
  // Next meeting: a new agenda item, no decision yet.
  c_.outcome.reset();
  c_.agenda = true;
  take("satt_pa_dagordning", Role::kNamndsekreterare);
  EXPECT_EQ(c_.state, "pa_dagordning");
}

TEST_F(Politikerinitiativ, InitiatorsWithdrawFromAnyStateThatIsNotFinal) {
  for (const auto& s : politikerinitiativ().states) {
    FakeCase c;
    c.request = {"comment"};
    auto step = evaluate(politikerinitiativ(), s.id, "avskriv", Role::kRegistrator, c);
    if (s.final) {
      ASSERT_FALSE(step) << s.id;
      EXPECT_EQ(step.error().code, ErrorCode::kConflict) << s.id;
    } else {
      ASSERT_OK(step);
      EXPECT_EQ(step->to, "avskriven");
      EXPECT_TRUE(politikerinitiativ().state(step->to)->final);
    }
  }
}

TEST_F(Politikerinitiativ, UnknownTransitionIsInvalidInputNamingTheField) {
  c_.state = "tilldelad";
  auto r = attempt("flyga", Role::kAdmin);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "transition");
  EXPECT_THAT(r.error().allowed, ElementsAre("tilldela_handlaggare", "avskriv"));
}

TEST_F(Politikerinitiativ, WrongStateIsConflictListingWhatIsAllowed) {
  c_.state = "for_godkannande";
  c_.agenda = true;
  auto r = attempt("satt_pa_dagordning", Role::kNamndsekreterare);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_THAT(r.error().allowed, ElementsAre("aterforvisa", "godkann", "avskriv"));
  EXPECT_THAT(r.error().message, HasSubstr("För godkännande"));
}

TEST_F(Politikerinitiativ, RoleThatMayNotTakeItIsForbidden) {
  c_.state = "for_godkannande";
  c_.draft = true;
  auto r = attempt("godkann", Role::kHandlaggare);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  EXPECT_THAT(r.error().message, HasSubstr("'handlaggare'"));
  // The role is checked before the state: a member learns nothing about states.
  c_.state = "registrerad";
  EXPECT_EQ(attempt("godkann", Role::kLedamot).error().code, ErrorCode::kForbidden);
}

TEST_F(Politikerinitiativ, FailingGuardsAreUnprocessableAndNamed) {
  c_.state = "under_utredning";
  auto r = attempt("skicka_for_godkannande", Role::kHandlaggare);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnprocessable);
  ASSERT_EQ(r.error().fields.size(), 2u);
  EXPECT_EQ(r.error().fields[0].field, "guard.field-set");
  // The guards' own descriptions in the workflow file.
  EXPECT_EQ(r.error().fields[0].message, "Ärendet måste ha en handläggare.");
  EXPECT_EQ(r.error().fields[1].field, "guard.memo-has-draft");
  EXPECT_EQ(r.error().fields[1].message, "Spara en version av tjänsteskrivelsen först.");
  EXPECT_THAT(r.error().message, HasSubstr("'Skicka för godkännande'"));
}

TEST_F(Politikerinitiativ, BlockedTransitionsSayWhatIsMissing) {
  c_.state = "under_utredning";
  c_.fields = {"unit", "officer"};
  auto blocked = blockedTransitions(politikerinitiativ(), c_.state, Role::kHandlaggare, c_);
  ASSERT_EQ(blocked.size(), 1u);
  EXPECT_EQ(blocked[0].transition->id, "skicka_for_godkannande");
  EXPECT_THAT(blocked[0].reasons, ElementsAre("Spara en version av tjänsteskrivelsen först."));
  c_.draft = true;
  EXPECT_THAT(blockedTransitions(politikerinitiativ(), c_.state, Role::kHandlaggare, c_), IsEmpty());
  EXPECT_THAT(ids(availableTransitions(politikerinitiativ(), c_.state, Role::kHandlaggare, c_)),
              ElementsAre("skicka_for_godkannande"));
  // Another role is not held back: the transition is not theirs.
  c_.draft = false;
  EXPECT_THAT(blockedTransitions(politikerinitiativ(), c_.state, Role::kLedamot, c_), IsEmpty());
  // Without a description in the file, the vocabulary's words; a guard that
  // reads the request (a comment) never holds a transition back.
  c_.state = "justerad";
  c_.posted = true;
  blocked = blockedTransitions(politikerinitiativ(), c_.state, Role::kNamndsekreterare, c_);
  ASSERT_EQ(blocked.size(), 1u);
  EXPECT_EQ(blocked[0].transition->id, "avsluta");
  ASSERT_EQ(blocked[0].reasons.size(), 1u);
  EXPECT_THAT(blocked[0].reasons[0], HasSubstr("Beslutet har inte vunnit laga kraft"));
  c_.posted = false;
  blocked = blockedTransitions(politikerinitiativ(), c_.state, Role::kNamndsekreterare, c_);
  ASSERT_EQ(blocked.size(), 1u);
  EXPECT_EQ(blocked[0].reasons[0], "Det justerade protokollet måste anslås först.");
}

TEST_F(Politikerinitiativ, ClosingWaitsForLagaKraft) {
  c_.state = "justerad";
  c_.posted = true;
  auto r = attempt("avsluta", Role::kNamndsekreterare);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnprocessable);
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "guard.appeal-period-over");
  EXPECT_THAT(r.error().fields[0].message, HasSubstr("laga kraft"));
}

TEST_F(Politikerinitiativ, AssignNeedsTheFieldInTheRequestUnlessTheCaseHasIt) {
  auto r = attempt("tilldela_enhet", Role::kRegistrator);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "unit");

  // A unit given at registration stays.
  c_.fields = {"unit"};
  auto ok = attempt("tilldela_enhet", Role::kRegistrator);
  ASSERT_OK(ok);
  EXPECT_EQ(ok->to, "tilldelad");
}

TEST_F(Politikerinitiativ, StateUnknownToTheWorkflowIsInternal) {
  c_.state = "forsvunnen";
  auto r = attempt("tilldela_enhet", Role::kRegistrator);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
}

TEST_F(Politikerinitiativ, ApprovalReturnsItsEffectsInOrder) {
  c_.state = "for_godkannande";
  c_.draft = true;
  auto step = attempt("godkann", Role::kEnhetschef);
  ASSERT_OK(step);
  ASSERT_EQ(step->effects.size(), 2u);
  EXPECT_EQ(step->effects[0].kind, EffectKind::kApproveMemo);
  EXPECT_EQ(step->effects[1].kind, EffectKind::kRegisterDocument);
  EXPECT_EQ(step->effects[1].arg, "tjansteskrivelse");
  EXPECT_EQ(step->transition, "godkann");
}

TEST_F(Politikerinitiativ, AvailableTransitionsFollowRoleAndGuards) {
  c_.state = "for_godkannande";
  EXPECT_THAT(ids(availableTransitions(politikerinitiativ(), c_.state, Role::kEnhetschef, c_)),
              ElementsAre("aterforvisa"));  // comment-given is asked of the request, later
  c_.draft = true;
  EXPECT_THAT(ids(availableTransitions(politikerinitiativ(), c_.state, Role::kEnhetschef, c_)),
              ElementsAre("aterforvisa", "godkann"));
  EXPECT_THAT(ids(availableTransitions(politikerinitiativ(), c_.state, Role::kHandlaggare, c_)),
              IsEmpty());
  EXPECT_THAT(ids(availableTransitions(politikerinitiativ(), c_.state, Role::kRegistrator, c_)),
              ElementsAre("avskriv"));
  EXPECT_THAT(ids(availableTransitions(politikerinitiativ(), "okand", Role::kAdmin, c_)),
              IsEmpty());
}

TEST(Transition, RequestFieldsSayWhatToSend) {
  ASSERT_NE(shipped().latest("politikerinitiativ"), nullptr);
  const Workflow& wf = politikerinitiativ();
  EXPECT_THAT(wf.transition("tilldela_enhet")->requestFields(), ElementsAre("unit"));
  EXPECT_THAT(wf.transition("avskriv")->requestFields(), ElementsAre("comment"));
  EXPECT_THAT(wf.transition("godkann")->requestFields(), IsEmpty());
}

TEST(Motion, YttrandeStepWaitsForTheDocument) {
  const Workflow* wf = shipped().latest("motion");
  ASSERT_NE(wf, nullptr);
  FakeCase c;
  c.fields = {"unit", "officer"};
  auto out = evaluate(*wf, "under_utredning", "begar_yttrande", Role::kHandlaggare, c);
  ASSERT_OK(out);
  EXPECT_EQ(out->to, "invantar_yttrande");

  auto early = evaluate(*wf, "invantar_yttrande", "yttrande_inkommet", Role::kRegistrator, c);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(early.error().fields.at(0).message,
            "Registrera yttrandet som handling i ärendet först.");
  c.documents = {"yttrande"};
  auto back = evaluate(*wf, "invantar_yttrande", "yttrande_inkommet", Role::kRegistrator, c);
  ASSERT_OK(back);
  EXPECT_EQ(back->to, "under_utredning");
}

TEST(Motion, CouncilDecisionClearsTheDeadline) {
  const Workflow* wf = shipped().latest("motion");
  ASSERT_NE(wf, nullptr);
  FakeCase c;
  c.state = "pa_kf_dagordning";
  c.has_deadline = true;
  c.outcome = "avslag";
  auto step = evaluate(*wf, c.state, "kf_beslut", Role::kNamndsekreterare, c);
  ASSERT_OK(step);
  c.apply(*step);
  EXPECT_EQ(c.state, "beslutad");
  EXPECT_FALSE(c.has_deadline);
}

// Every transition of every shipped workflow, tried from every state, by a role
// that may take it and with every guard holding: it succeeds exactly from its
// own source states, and elsewhere is a conflict naming the state's transitions.
TEST(AnyState, EveryTransitionFromEveryState) {
  ASSERT_EQ(shipped().all().size(), 3u);
  int tried = 0;
  for (const Workflow& wf : shipped().all()) {
    for (const State& s : wf.states) {
      std::vector<std::string> allowed;
      for (const Transition* t : wf.transitionsFrom(s.id)) allowed.push_back(t->id);
      for (const Transition& t : wf.transitions) {
        FakeCase c = everythingHolds();
        for (const Guard& g : t.guards) {
          if (g.kind == GuardKind::kDecisionOutcome) c.outcome = g.args.front();
          // "Everything holds" for off-agenda is the case taken off the agenda.
          if (g.kind == GuardKind::kOffAgenda) c.agenda = false;
        }
        auto r = evaluate(wf, s.id, t.id, t.roles.front(), c);
        ++tried;
        if (t.startsFrom(s.id)) {
          ASSERT_OK(r);
          EXPECT_EQ(r->to, t.to) << wf.id << ": " << s.id << " --" << t.id;
        } else {
          ASSERT_FALSE(r) << wf.id << ": " << s.id << " --" << t.id;
          EXPECT_EQ(r.error().code, ErrorCode::kConflict);
          EXPECT_EQ(r.error().allowed, allowed);
        }
      }
    }
  }
  EXPECT_GT(tried, 400);
}

// Finds the shortest path from the initial state to "avslutad" in the table
// and takes it through evaluate(), proving a case can be closed normally.
TEST(AnyState, EveryShippedWorkflowCanBeWalkedToItsEnd) {
  for (const Workflow& wf : shipped().all()) {
    // state -> (transition, previous state) it was first reached by
    std::map<std::string, std::pair<const Transition*, std::string>> reached_by;
    std::deque<std::string> queue{wf.initialState()->id};
    reached_by[wf.initialState()->id] = {nullptr, ""};
    while (!queue.empty()) {
      std::string at = queue.front();
      queue.pop_front();
      for (const Transition* t : wf.transitionsFrom(at)) {
        if (reached_by.emplace(t->to, std::pair{t, at}).second) queue.push_back(t->to);
      }
    }
    ASSERT_TRUE(reached_by.contains("avslutad")) << wf.id;
    std::vector<const Transition*> path;
    for (std::string s = "avslutad"; reached_by.at(s).first; s = reached_by.at(s).second) {
      path.insert(path.begin(), reached_by.at(s).first);
    }
    FakeCase c = everythingHolds();
    c.state = wf.initialState()->id;
    for (const Transition* t : path) {
      for (const Guard& g : t->guards) {
        if (g.kind == GuardKind::kDecisionOutcome) c.outcome = g.args.front();
      }
      c.request = {"unit", "officer", "comment"};
      auto step = evaluate(wf, c.state, t->id, t->roles.front(), c);
      ASSERT_OK(step);
      c.apply(*step);
    }
    EXPECT_EQ(c.state, "avslutad") << wf.id;
    EXPECT_GE(path.size(), 8u) << wf.id;
  }
}

}  // namespace
}  // namespace kansli::workflow
