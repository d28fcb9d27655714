// Workflows as data: the definitions and the state machine that runs them.
//
// A workflow is an XML file in workflows/ (language: docs/workflows.md, schema:
// workflows/workflow.rng). It names the states a case passes through and the
// transitions between them: who may take each one (roles), what must hold
// first (guards) and what happens when it is taken (effects). The transition
// table is the ONE place a workflow is defined; nothing in C++ knows that a
// politikerinitiativ goes from "tilldelad" to "under_utredning".
//
// Guards and effects are a closed vocabulary implemented in C++ (guardVocabulary(),
// effectVocabulary()); a file that names anything else does not load.
//
// The pieces:
//   * loadWorkflows(dir) reads and checks every workflow in a directory and
//     returns an immutable WorkflowSet, or an error listing every problem.
//   * check(paths) is the same checking for `kansli check`: it never stops at
//     the first problem and reports each as "file:line: message".
//   * evaluate() is the pure state machine: given a definition, the case's
//     state, a transition id, the caller's role and a GuardContext, it returns
//     the target state and the effects to apply, or an Error: kInvalidInput
//     (unknown transition), kForbidden (role), kConflict (state),
//     kUnprocessable (guard).
//     It reads the case only through GuardContext and changes nothing; the
//     caller (the diarium) applies the effects in the same store transaction
//     that moves the case.
//
// Ownership and threads: a WorkflowSet owns its Workflows; pointers and
// references into it (const Transition*, const Workflow*) live as long as the
// set. A loaded set is never mutated, so any number of threads may read and
// evaluate against it at once. GuardContext implementations are called on the
// evaluating thread only, within one evaluate()/availableTransitions() call.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kansli/error.h"
#include "kansli/role.h"

namespace kansli::workflow {

// ---------------------------------------------------------------------------
// Roles: the closed set of the whole system (users.role in the store).

using ::kansli::Role;
using ::kansli::roleName;
using ::kansli::parseRole;
using ::kansli::allRoles;

// ---------------------------------------------------------------------------
// Periods: ISO 8601 durations in whole calendar units (P1Y, P3W, P2M14D).

struct Period {
  int years = 0;
  int months = 0;
  int days = 0;  // weeks are folded into days

  std::string iso() const;  // canonical form: "P1Y", "P21D"
  bool empty() const { return years == 0 && months == 0 && days == 0; }
  // start + period. Years and months first, clamped to the month's last day
  // (2020-02-29 + P1Y = 2021-02-28), then days.
  std::chrono::year_month_day addTo(std::chrono::year_month_day start) const;
  bool operator==(const Period&) const = default;
};

// Parses "P1Y", "P3M", "P2W", "P21D", "P1Y6M"; nullopt for anything else,
// for "P" alone and for numbers above 10000.
std::optional<Period> parsePeriod(std::string_view text);

// Where a deadline is counted from.
enum class DeadlineFrom {
  kReceived,  // the case's received date (the date the initiative came in)
  kNow,       // the date the transition is taken (Europe/Stockholm)
};

// ---------------------------------------------------------------------------
// The vocabulary of guards and effects.

enum class GuardKind {
  kFieldSet,            // field-set(unit|officer)
  kMemoHasDraft,        // memo-has-draft
  kMemoApproved,        // memo-approved
  kOnAgenda,            // on-agenda
  kOffAgenda,           // off-agenda
  kDecisionRecorded,    // decision-recorded
  kDecisionOutcome,     // decision-outcome(outcome...)
  kMinutesAttested,     // minutes-attested
  kMinutesPosted,       // minutes-posted
  kAppealPeriodOver,    // appeal-period-over (laga kraft)
  kDocumentRegistered,  // document-registered(kind)
  kCommentGiven,        // comment-given
};

enum class EffectKind {
  kAssign,            // assign(unit|officer)
  kSetDeadline,       // set-deadline period=... from=received|now
  kClearDeadline,     // clear-deadline
  kRegisterDocument,  // register-document(tjansteskrivelse|protokollsutdrag)
  kApproveMemo,       // approve-memo
};

// One row of the vocabulary, for docs, checks and the API's descriptions.
struct VocabularyEntry {
  std::string_view name = {};                         // as written in the XML: "field-set"
  std::vector<std::string_view> args = {};            // accepted arg values; empty: takes none
  bool many_args = false;                             // arg may list several values
  std::vector<std::string_view> request_fields = {};  // request fields it reads
  std::string_view meaning = {};                      // Swedish, one sentence
};

const std::vector<VocabularyEntry>& guardVocabulary();   // indexed by GuardKind
const std::vector<VocabularyEntry>& effectVocabulary();  // indexed by EffectKind
std::string_view guardName(GuardKind kind);
std::string_view effectName(EffectKind kind);

// Decision outcomes as the meetings module records them (decision-outcome args).
const std::vector<std::string_view>& decisionOutcomes();
// Swedish wording of an outcome id: "delvis_bifall" -> "delvis bifall".
std::string_view outcomeLabel(std::string_view outcome);
// Document kinds the guards and effects name (document-registered, register-document).
const std::vector<std::string_view>& documentKinds();

// ---------------------------------------------------------------------------
// The model. Plain values, in document order, ready to serialize.

struct Guard {
  GuardKind kind = GuardKind::kFieldSet;
  std::vector<std::string> args;  // field-set: {"unit"}; decision-outcome: {"bifall","avslag"}
  int line = 0;
  // What to do when it does not hold, for the person who wants to take the
  // transition ("Spara en version av tjänsteskrivelsen först."), from the
  // workflow file; empty: the vocabulary's own words.
  std::string description = {};
  std::string_view name() const { return guardName(kind); }
};

struct Effect {
  EffectKind kind = EffectKind::kAssign;
  std::string arg;                         // assign: "unit"; register-document: kind
  std::optional<Period> period;            // set-deadline
  DeadlineFrom from = DeadlineFrom::kNow;  // set-deadline
  int line = 0;
  std::string_view name() const { return effectName(kind); }
};

struct State {
  std::string id;
  std::string label;  // Swedish
  std::string description;
  bool initial = false;
  bool final = false;
  std::optional<Period> deadline;  // time allowed in the state, from entering it
  int line = 0;
};

struct Transition {
  std::string id;
  std::string label;  // Swedish
  std::string description;
  std::vector<std::string> from;  // explicit state ids; "*" is expanded at load
  std::string to;
  std::vector<Role> roles;
  std::vector<Guard> guards;
  std::vector<Effect> effects;
  int line = 0;

  bool startsFrom(std::string_view state) const;
  bool allows(Role role) const;
  // Request fields the transition reads (assign's unit/officer, comment-given's
  // comment), so the API can say what to send.
  std::vector<std::string> requestFields() const;
};

struct CaseDeadline {
  Period period;
  DeadlineFrom from = DeadlineFrom::kReceived;
  std::string label;  // Swedish, e.g. "Beslut inom ett år (KL 5 kap. 35 §)"
};

struct Workflow {
  std::string id;
  int version = 0;
  std::string label;
  std::string description;
  std::vector<std::string> kinds;             // case kinds served
  std::optional<CaseDeadline> case_deadline;  // applied when a case is registered
  std::vector<State> states;
  std::vector<Transition> transitions;
  std::string file;  // where it was loaded from
  int line = 0;      // of the <workflow> element

  const State* state(std::string_view id) const;
  const Transition* transition(std::string_view id) const;
  // The initial state; a loaded workflow has exactly one (nullptr only for a
  // Workflow built by hand without one).
  const State* initialState() const;
  // Transitions starting from `state`, in definition order.
  std::vector<const Transition*> transitionsFrom(std::string_view state) const;
};

// Every workflow of a deployment, keyed by (id, version). Running cases keep the
// version they were registered under; new cases take the latest.
// Where a new case starts: the workflow serving its kind (the latest
// version), its initial state, and the deadlines counted from its dates.
struct Start {
  std::string workflow_id;
  int workflow_version = 0;
  std::string initial_state;
  std::optional<std::string> deadline;        // YYYY-MM-DD, e.g. a year after receipt
  std::optional<std::string> state_deadline;  // the initial state's, counted from today
  std::vector<std::string> states;            // every state of the workflow (imports)
  std::vector<std::string> final_states;      // a case in one of these is closed
};

class WorkflowSet {
 public:
  WorkflowSet() = default;
  explicit WorkflowSet(std::vector<Workflow> workflows);

  const std::vector<Workflow>& all() const { return workflows_; }
  const Workflow* find(std::string_view id, int version) const;
  const Workflow* latest(std::string_view id) const;
  // The latest version of the workflow that serves this case kind, or nullptr.
  const Workflow* forKind(std::string_view kind) const;
  // The start of a case of `kind` received on `received` (YYYY-MM-DD) and
  // registered `today`. kUnprocessable when no workflow serves the kind.
  Result<Start> startFor(const std::string& kind, const std::string& received,
                         const std::string& today) const;

 private:
  std::vector<Workflow> workflows_;
};

// ---------------------------------------------------------------------------
// Loading and checking.

struct Problem {
  std::string file;
  int line = 0;
  std::string message;  // Swedish
  std::string str() const { return file + ":" + std::to_string(line) + ": " + message; }
};

struct LoadOptions {
  // The RelaxNG schema. Empty: workflow.rng beside each file, else
  // $KANSLI_HOME/workflows/workflow.rng, else the build's default home.
  std::string schema;
};

// Checks workflow files. A path may be a file or a directory (its *.xml files,
// by name). Reports every problem found, each with the line of the offending
// element, in file order; also problems across files (the same id and version
// twice, two workflows serving one case kind). Empty means all is well.
std::vector<Problem> check(const std::vector<std::string>& paths, const LoadOptions& options = {});

// Checks one workflow held in memory (named `name` in problems). On success
// returns the workflow; otherwise the problems.
struct Checked {
  std::optional<Workflow> workflow;
  std::vector<Problem> problems;
};
Checked checkText(std::string_view xml, const std::string& name, const LoadOptions& options = {});

// Loads every *.xml in `dir`. Any problem fails the whole load with
// Error{kUnprocessable}: message lists every problem ("file:line: message",
// one a line), fields hold one {"file:line", message} each. A missing directory
// is kNotFound; a directory without workflows is kUnprocessable.
Result<WorkflowSet> loadWorkflows(const std::string& dir, const LoadOptions& options = {});

// ---------------------------------------------------------------------------
// The state machine.

// What the guards may ask about the case (and the request being made). The
// diarium implements it against the store inside the transaction that takes
// the transition; tests implement it with plain fields.
class GuardContext {
 public:
  virtual ~GuardContext() = default;
  // The case has this field ("unit", "officer") set.
  virtual bool fieldSet(std::string_view field) const = 0;
  // The request carries this field non-empty ("unit", "officer", "comment").
  // Never asked by availableTransitions(), which has no request.
  virtual bool requestHas(std::string_view field) const = 0;
  // At least one memo draft (tjänsteskrivelse) version exists.
  virtual bool memoHasDraft() const = 0;
  // The latest memo version is approved (frozen); a later draft voids it.
  virtual bool memoApproved() const = 0;
  // The case is an item on the agenda of a meeting that has not decided it.
  virtual bool onAgenda() const = 0;
  // A decision is recorded on the case's latest agenda item.
  virtual bool decisionRecorded() const = 0;
  // The outcome of that decision (one of decisionOutcomes()), if recorded.
  virtual std::optional<std::string> decisionOutcome() const = 0;
  // The minutes holding that decision are attested (justerade).
  virtual bool minutesAttested() const = 0;
  // Those minutes are posted on the notice board (anslag).
  virtual bool minutesPosted() const = 0;
  // Three weeks have passed since the posting and no appeal is registered:
  // the decision has laga kraft.
  virtual bool appealPeriodOver() const = 0;
  // A document of this kind (one of documentKinds()) is registered in the case.
  virtual bool documentRegistered(std::string_view kind) const = 0;
};

// The result of a transition that may be taken.
struct Step {
  std::string transition;
  std::string from;
  std::string to;
  std::vector<Effect> effects;  // to apply in this order
};

// Decides whether `role` may take `transition` from `state` now. Checks, in
// this order, and returns the first that fails:
//   1. the workflow has the transition, else kInvalidInput with field
//      "transition" (a client error in the request body; the state cannot
//      make an unknown id valid), allowed = ids from the current state;
//   2. the role may take it somewhere, else kForbidden (a caller learns
//      nothing about states of a transition it may never take);
//   3. it starts from `state`, else kConflict, allowed = the ids of the
//      transitions that start from `state`;
//   4. the request carries what the effects need (assign: the unit or officer,
//      unless the case has one already), else kInvalidInput naming the field;
//   5. every guard holds, else kUnprocessable naming each failing guard with
//      its Swedish reason, one FieldError per guard: field "comment" for
//      comment-given, otherwise "guard.<name>".
// A `state` the workflow does not know is kInternal (stored data and
// definition disagree).
Result<Step> evaluate(const Workflow& workflow, std::string_view state, std::string_view transition,
                      Role role, const GuardContext& ctx);

// The transitions `role` may take from `state` now: role allowed and every
// guard that does not read the request holds. For GET .../transitions.
std::vector<const Transition*> availableTransitions(const Workflow& workflow,
                                                    std::string_view state, Role role,
                                                    const GuardContext& ctx);

// A transition `role` may take from the state but not yet, and why: the
// failing guards' descriptions (or the vocabulary's words), in order.
struct Blocked {
  const Transition* transition = nullptr;
  std::vector<std::string> reasons;
};
// The transitions `role` may take from `state` that some guard not reading
// the request holds back now. So a person is told what is missing instead
// of only not seeing a button.
std::vector<Blocked> blockedTransitions(const Workflow& workflow, std::string_view state,
                                        Role role, const GuardContext& ctx);

}  // namespace kansli::workflow
