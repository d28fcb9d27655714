// The state machine: evaluate() and availableTransitions() over a loaded
// Workflow, and the model's lookups. Pure functions: the case is read through
// GuardContext only and nothing is changed here.
#include <algorithm>

#include "kansli/clock.h"
#include "kansli/workflow.h"

namespace kansli::workflow {
namespace {

std::string_view documentKindLabel(std::string_view kind) {
  if (kind == "tjansteskrivelse") return "tjänsteskrivelse";
  if (kind == "aterkallelse") return "återkallelse";
  return kind;
}

std::string fieldLabel(std::string_view field) {
  if (field == "unit") return "ansvarig enhet";
  if (field == "officer") return "handläggare";
  return std::string(field);
}

std::string outcomeList(const std::vector<std::string>& outcomes) {
  std::string out;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (i > 0) out += (i + 1 == outcomes.size()) ? " eller " : ", ";
    out += outcomeLabel(outcomes[i]);
  }
  return out;
}

bool readsRequest(const Guard& g) {
  return !guardVocabulary().at(static_cast<std::size_t>(g.kind)).request_fields.empty();
}

// Why the guard does not hold, in the vocabulary's words, or nullopt when it holds.
std::optional<std::string> builtinFailure(const Guard& g, const GuardContext& ctx) {
  const std::string arg = g.args.empty() ? std::string() : g.args.front();
  switch (g.kind) {
    case GuardKind::kFieldSet:
      if (ctx.fieldSet(arg)) return std::nullopt;
      return "Ärendet saknar " + fieldLabel(arg) + ".";
    case GuardKind::kMemoHasDraft:
      if (ctx.memoHasDraft()) return std::nullopt;
      return "Det finns inget utkast till tjänsteskrivelse.";
    case GuardKind::kMemoApproved:
      if (ctx.memoApproved()) return std::nullopt;
      return "Tjänsteskrivelsen är inte godkänd (eller har ändrats efter godkännandet).";
    case GuardKind::kOnAgenda:
      if (ctx.onAgenda()) return std::nullopt;
      return "Ärendet står inte på föredragningslistan till något sammanträde.";
    case GuardKind::kOffAgenda:
      if (!ctx.onAgenda()) return std::nullopt;
      return "Ärendet står kvar på föredragningslistan till ett sammanträde.";
    case GuardKind::kDecisionRecorded:
      if (ctx.decisionRecorded()) return std::nullopt;
      return "Inget beslut är registrerat i ärendet.";
    case GuardKind::kDecisionOutcome: {
      auto outcome = ctx.decisionOutcome();
      if (!outcome) {
        return "Inget beslut är registrerat, så utfallet (" + outcomeList(g.args) +
               ") kan inte prövas.";
      }
      if (std::find(g.args.begin(), g.args.end(), *outcome) != g.args.end()) return std::nullopt;
      return "Beslutets utfall är " + std::string(outcomeLabel(*outcome)) + ", inte " +
             outcomeList(g.args) + ".";
    }
    case GuardKind::kMinutesAttested:
      if (ctx.minutesAttested()) return std::nullopt;
      return "Protokollet med beslutet är inte justerat.";
    case GuardKind::kMinutesPosted:
      if (ctx.minutesPosted()) return std::nullopt;
      return "Det justerade protokollet är inte anslaget.";
    case GuardKind::kAppealPeriodOver:
      if (ctx.appealPeriodOver()) return std::nullopt;
      return "Beslutet har inte vunnit laga kraft: tiden för överklagande (tre veckor från "
             "anslaget) har inte gått ut, eller ett överklagande är inte avgjort.";
    case GuardKind::kDocumentRegistered:
      if (ctx.documentRegistered(arg)) return std::nullopt;
      return "Ingen handling av typen " + std::string(documentKindLabel(arg)) +
             " är registrerad i ärendet.";
    case GuardKind::kCommentGiven:
      if (ctx.requestHas("comment")) return std::nullopt;
      return "Ange en kommentar som motiverar åtgärden.";
  }
  return "Okänt villkor.";  // unreachable: the loader admits only known guards
}

// Why the guard does not hold (Swedish, for the user): the guard's own
// description in the workflow file when it has one, else the vocabulary's
// words; nullopt when it holds.
std::optional<std::string> failure(const Guard& g, const GuardContext& ctx) {
  auto why = builtinFailure(g, ctx);
  if (why && !g.description.empty()) return g.description;
  return why;
}

std::vector<std::string> idsFrom(const Workflow& wf, std::string_view state) {
  std::vector<std::string> ids;
  for (const Transition* t : wf.transitionsFrom(state)) ids.push_back(t->id);
  return ids;
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

// --- the model -------------------------------------------------------------

bool Transition::startsFrom(std::string_view state) const {
  return std::find(from.begin(), from.end(), state) != from.end();
}

bool Transition::allows(Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::vector<std::string> Transition::requestFields() const {
  std::vector<std::string> out;
  auto add = [&out](std::string_view f) {
    if (std::find(out.begin(), out.end(), f) == out.end()) out.emplace_back(f);
  };
  for (const auto& g : guards) {
    for (auto f : guardVocabulary().at(static_cast<std::size_t>(g.kind)).request_fields) add(f);
  }
  for (const auto& e : effects) {
    if (e.kind == EffectKind::kAssign) add(e.arg);
  }
  return out;
}

const State* Workflow::state(std::string_view state_id) const {
  for (const auto& s : states) {
    if (s.id == state_id) return &s;
  }
  return nullptr;
}

const Transition* Workflow::transition(std::string_view transition_id) const {
  for (const auto& t : transitions) {
    if (t.id == transition_id) return &t;
  }
  return nullptr;
}

const State* Workflow::initialState() const {
  for (const auto& s : states) {
    if (s.initial) return &s;
  }
  return nullptr;
}

std::vector<const Transition*> Workflow::transitionsFrom(std::string_view state_id) const {
  std::vector<const Transition*> out;
  for (const auto& t : transitions) {
    if (t.startsFrom(state_id)) out.push_back(&t);
  }
  return out;
}

WorkflowSet::WorkflowSet(std::vector<Workflow> workflows) : workflows_(std::move(workflows)) {}

const Workflow* WorkflowSet::find(std::string_view id, int version) const {
  for (const auto& w : workflows_) {
    if (w.id == id && w.version == version) return &w;
  }
  return nullptr;
}

const Workflow* WorkflowSet::latest(std::string_view id) const {
  const Workflow* best = nullptr;
  for (const auto& w : workflows_) {
    if (w.id == id && (!best || w.version > best->version)) best = &w;
  }
  return best;
}

const Workflow* WorkflowSet::forKind(std::string_view kind) const {
  for (const auto& w : workflows_) {
    if (std::find(w.kinds.begin(), w.kinds.end(), kind) == w.kinds.end()) continue;
    // Only the latest version of a workflow serves new cases.
    const Workflow* newest = latest(w.id);
    if (std::find(newest->kinds.begin(), newest->kinds.end(), kind) != newest->kinds.end()) {
      return newest;
    }
  }
  return nullptr;
}

Result<Start> WorkflowSet::startFor(const std::string& kind, const std::string& received,
                                   const std::string& today) const {
  const Workflow* wf = forKind(kind);
  if (!wf || !wf->initialState()) {
    return std::unexpected(Error::unprocessable("det finns ingen arbetsgång för ärendetypen " + kind,
                                                {{"kind", "ingen arbetsgång för " + kind}}));
  }
  Start start;
  start.workflow_id = wf->id;
  start.workflow_version = wf->version;
  start.initial_state = wf->initialState()->id;
  for (const auto& st : wf->states) {
    start.states.push_back(st.id);
    if (st.final) start.final_states.push_back(st.id);
  }
  std::chrono::year_month_day r;
  if (wf->case_deadline && parseDate(received, r)) {
    start.deadline = formatDate(wf->case_deadline->period.addTo(r));
  }
  std::chrono::year_month_day t;
  if (wf->initialState()->deadline && parseDate(today, t)) {
    start.state_deadline = formatDate(wf->initialState()->deadline->addTo(t));
  }
  return start;
}

// --- the state machine -----------------------------------------------------

Result<Step> evaluate(const Workflow& workflow, std::string_view state, std::string_view transition,
                      Role role, const GuardContext& ctx) {
  const State* current = workflow.state(state);
  if (!current) {
    return std::unexpected(Error::internal("Ärendets tillstånd " + quoted(state) +
                                           " finns inte i arbetsflödet " + quoted(workflow.id) +
                                           " version " + std::to_string(workflow.version) + "."));
  }

  const Transition* t = workflow.transition(transition);
  if (!t) {
    Error e =
        Error::invalid("Övergången " + quoted(transition) + " finns inte i arbetsflödet " +
                           quoted(workflow.label.empty() ? workflow.id : workflow.label) + ".",
                       {{"transition", "Okänd övergång " + quoted(transition) + "."}});
    e.allowed = idsFrom(workflow, state);
    return std::unexpected(std::move(e));
  }

  if (!t->allows(role)) {
    return std::unexpected(Error::forbidden("Rollen " + quoted(roleName(role)) +
                                            " får inte göra övergången " + quoted(t->label) + " (" +
                                            t->id + ")."));
  }

  if (!t->startsFrom(state)) {
    Error e = Error::conflict("Övergången " + quoted(t->label) + " (" + t->id +
                              ") kan inte göras när ärendet är i tillståndet " +
                              quoted(current->label) + " (" + current->id + ").");
    e.allowed = idsFrom(workflow, state);
    return std::unexpected(std::move(e));
  }

  std::vector<FieldError> missing;
  for (const auto& e : t->effects) {
    if (e.kind == EffectKind::kAssign && !ctx.requestHas(e.arg) && !ctx.fieldSet(e.arg)) {
      missing.push_back({e.arg, "Ange " + fieldLabel(e.arg) + "."});
    }
  }
  if (!missing.empty()) {
    std::string message = "Övergången " + quoted(t->label) + " kräver";
    for (std::size_t i = 0; i < missing.size(); ++i) {
      message +=
          (i == 0 ? " " : " och ") + fieldLabel(missing[i].field) + " (" + missing[i].field + ")";
    }
    return std::unexpected(Error::invalid(message + ".", std::move(missing)));
  }

  std::vector<FieldError> failed;
  std::string reasons;
  for (const auto& g : t->guards) {
    if (auto why = failure(g, ctx)) {
      failed.push_back({g.kind == GuardKind::kCommentGiven ? std::string("comment")
                                                           : "guard." + std::string(g.name()),
                        *why});
      reasons += " " + *why;
    }
  }
  if (!failed.empty()) {
    return std::unexpected(Error::unprocessable(
        "Övergången " + quoted(t->label) + " kan inte göras ännu:" + reasons, std::move(failed)));
  }

  return Step{t->id, current->id, t->to, t->effects};
}

std::vector<Blocked> blockedTransitions(const Workflow& workflow, std::string_view state,
                                        Role role, const GuardContext& ctx) {
  std::vector<Blocked> out;
  for (const Transition* t : workflow.transitionsFrom(state)) {
    if (!t->allows(role)) continue;
    Blocked b{t, {}};
    for (const Guard& g : t->guards) {
      if (readsRequest(g)) continue;
      if (auto why = failure(g, ctx)) b.reasons.push_back(*why);
    }
    if (!b.reasons.empty()) out.push_back(std::move(b));
  }
  return out;
}

std::vector<const Transition*> availableTransitions(const Workflow& workflow,
                                                    std::string_view state, Role role,
                                                    const GuardContext& ctx) {
  std::vector<const Transition*> out;
  for (const Transition* t : workflow.transitionsFrom(state)) {
    if (!t->allows(role)) continue;
    bool holds = std::all_of(t->guards.begin(), t->guards.end(), [&ctx](const Guard& g) {
      return readsRequest(g) || !failure(g, ctx).has_value();
    });
    if (holds) out.push_back(t);
  }
  return out;
}

}  // namespace kansli::workflow
