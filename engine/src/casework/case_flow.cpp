// CaseFlow: transitions taken in the store transaction that applies their
// effects, one function per effect.
#include <chrono>

#include "access/seen.h"
#include "casework/guards.h"
#include "kansli/access.h"
#include "kansli/casework.h"
#include "kansli/digest.h"
#include "store/accounts_repo.h"
#include "store/casework_repo.h"
#include "store/diarium_repo.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {
namespace {

// Officers and unit heads act on the cases of their own unit (issue: object
// level access); other roles are not bound to a unit.
Result<void> checkUnit(const Organisation& org, const Case& c, const User& user) {
  bool unit_bound = user.role == Role::kHandlaggare || user.role == Role::kEnhetschef;
  if (!unit_bound || !c.unit || !user.unit) return ok();
  if (!unitsRelated(org, *c.unit, *user.unit)) {
    return std::unexpected(Error::forbidden("ärendet hör till en annan enhet"));
  }
  return ok();
}

std::optional<std::string> stateDeadline(const workflow::Workflow& wf, const std::string& state,
                                         const std::string& from_date) {
  const workflow::State* st = wf.state(state);
  std::chrono::year_month_day d;
  if (!st || !st->deadline || !parseDate(from_date, d)) return std::nullopt;
  return formatDate(st->deadline->addTo(d));
}

Error stale(const Case& c) {
  return Error{ErrorCode::kPreconditionFailed,
               "ärendet har ändrats sedan du läste det (version " + std::to_string(c.version) +
                   "); läs om det och försök igen",
               {},
               {}};
}

}  // namespace

// One transition being applied: the case as it becomes, and the audit detail.
struct CaseFlow::Step {
  Case c;
  const workflow::Workflow& wf;
  const TransitionRequest& req;
  const User& user;
  Instant now;
  std::string day;  // today, Europe/Stockholm
  audit::Detail detail;
};

CaseFlow::CaseFlow(store::Store& store, const Clock& clock, const Organisation& org,
                   const workflow::WorkflowSet& workflows, Diarium& diarium,
                   std::filesystem::path template_override_dir)
    : store_(store), clock_(clock), org_(org), workflows_(workflows), diarium_(diarium),
      override_dir_(std::move(template_override_dir)) {}

Result<const workflow::Workflow*> CaseFlow::workflowOf(const Case& c) const {
  const workflow::Workflow* wf = workflows_.find(c.workflow_id, c.workflow_version);
  if (!wf) {
    return std::unexpected(Error::internal("arbetsgången " + c.workflow_id + " version " +
                                           std::to_string(c.workflow_version) +
                                           " finns inte längre; migrera ärendet"));
  }
  return wf;
}

Result<std::vector<const workflow::Transition*>> CaseFlow::available(std::int64_t case_id,
                                                                     const User& user) const {
  const std::string day = formatDate(stockholmDate(clock_.now()));
  return store_.read([&](store::Tx& tx) -> Result<std::vector<const workflow::Transition*>> {
    KANSLI_ASSIGN_OR_RETURN(auto seen, seeCase(tx, case_id, user, org_));
    const Case& c = seen.stored;
    KANSLI_ASSIGN_OR_RETURN(auto wf, workflowOf(c));
    if (!checkUnit(org_, c, user)) return std::vector<const workflow::Transition*>{};
    StoreGuardContext ctx(tx, c, nullptr, day);
    auto list = workflow::availableTransitions(*wf, c.state, user.role, ctx);
    if (ctx.failure()) return std::unexpected(*ctx.failure());
    return list;
  });
}

Result<std::vector<workflow::Blocked>> CaseFlow::blocked(std::int64_t case_id,
                                                         const User& user) const {
  const std::string day = formatDate(stockholmDate(clock_.now()));
  return store_.read([&](store::Tx& tx) -> Result<std::vector<workflow::Blocked>> {
    KANSLI_ASSIGN_OR_RETURN(auto seen, seeCase(tx, case_id, user, org_));
    const Case& c = seen.stored;
    KANSLI_ASSIGN_OR_RETURN(auto wf, workflowOf(c));
    if (!checkUnit(org_, c, user)) return std::vector<workflow::Blocked>{};
    StoreGuardContext ctx(tx, c, nullptr, day);
    auto list = workflow::blockedTransitions(*wf, c.state, user.role, ctx);
    if (ctx.failure()) return std::unexpected(*ctx.failure());
    return list;
  });
}

Result<TransitionResult> CaseFlow::take(std::int64_t case_id, const TransitionRequest& req,
                                        const User& user) {
  const Instant now = clock_.now();
  return store_.write([&](store::Tx& tx) -> Result<TransitionResult> {
    KANSLI_TRY(seeCase(tx, case_id, user, org_));  // kNotFound outside the user's sight
    if (!req.expected_version) {
      return std::unexpected(Error{ErrorCode::kPreconditionRequired,
                                   "ange vilken version av ärendet ändringen utgår från",
                                   {},
                                   {}});
    }
    KANSLI_ASSIGN_OR_RETURN(auto result, takeIn(tx, case_id, req, user, now));
    Sight sight = caseSight(user, result.c, org_);
    if (sight != Sight::kFull) {
      result.c = Diarium::maskForPublic(std::move(result.c));
    } else if (result.c.secrecy) {
      KANSLI_TRY(recordSecretReadsIn(tx, now, user, {case_id}));
    }
    return result;
  });
}

Result<TransitionResult> CaseFlow::takeIn(store::Tx& tx, std::int64_t case_id,
                                          const TransitionRequest& req, const User& user,
                                          Instant now) {
  KANSLI_ASSIGN_OR_RETURN(auto found, tx.diarium().caseById(case_id));
  if (!found) return std::unexpected(Error::notFound("ärendet finns inte"));
  if (req.expected_version && *req.expected_version != found->version) {
    return std::unexpected(stale(*found));
  }
  KANSLI_TRY(checkUnit(org_, *found, user));
  KANSLI_ASSIGN_OR_RETURN(auto wf, workflowOf(*found));
  const std::string day = formatDate(stockholmDate(now));
  StoreGuardContext ctx(tx, *found, &req, day);
  auto evaluated = workflow::evaluate(*wf, found->state, req.transition, user.role, ctx);
  if (ctx.failure()) return std::unexpected(*ctx.failure());
  if (!evaluated) return std::unexpected(evaluated.error());

  Step step{*found, *wf, req, user, now, day, {}};
  step.detail.set("transition", evaluated->transition);
  step.detail.set("from", evaluated->from);
  step.detail.set("to", evaluated->to);
  if (req.comment && !req.comment->empty()) step.detail.set("comment", *req.comment);
  for (const auto& effect : evaluated->effects) KANSLI_TRY(applyEffect(tx, effect, step));

  Case& c = step.c;
  const workflow::State* to = wf->state(evaluated->to);
  if (evaluated->to != c.state) c.state_deadline = stateDeadline(*wf, evaluated->to, day);
  c.state = evaluated->to;
  c.closed = to && to->final;
  if (c.closed) c.state_deadline.reset();
  KANSLI_TRY(tx.diarium().caseUpdate(c));
  KANSLI_TRY(audit::appendAudit(tx, now, {user.actor(), "case.transition", c.id,
                                          step.detail.json()}));
  KANSLI_ASSIGN_OR_RETURN(auto refreshed, tx.diarium().caseById(c.id));
  return TransitionResult{*refreshed, evaluated->from, evaluated->to};
}

Result<void> CaseFlow::applyEffect(store::Tx& tx, const workflow::Effect& effect, Step& step) {
  switch (effect.kind) {
    case workflow::EffectKind::kAssign: return assign(tx, effect, step);
    case workflow::EffectKind::kSetDeadline: return setDeadline(effect, step);
    case workflow::EffectKind::kClearDeadline:
      step.c.deadline.reset();
      return ok();
    case workflow::EffectKind::kRegisterDocument: return registerDocument(tx, effect, step);
    case workflow::EffectKind::kApproveMemo: return approveMemo(tx, step);
  }
  return ok();
}

Result<void> CaseFlow::assign(store::Tx& tx, const workflow::Effect& effect, Step& step) {
  Case& c = step.c;
  if (effect.arg == "unit") {
    std::string unit = step.req.unit.value_or(c.unit.value_or(""));
    if (!org_.unit(unit)) {
      return std::unexpected(Error::invalid("okänd enhet", {{"unit", "okänd enhet: " + unit}}));
    }
    KANSLI_TRY(checkCaseUnit(unit, c.committee, org_));
    c.unit = unit;
    step.detail.set("unit", unit);
  } else if (effect.arg == "officer") {
    std::string officer = step.req.officer.value_or(c.officer.value_or(""));
    KANSLI_TRY(checkOfficer(tx, officer, c.committee, org_));
    c.officer = officer;
    step.detail.set("officer", officer);
  }
  return ok();
}

Result<void> CaseFlow::setDeadline(const workflow::Effect& effect, Step& step) {
  Case& c = step.c;
  std::optional<workflow::Period> period = effect.period;
  if (!period && step.wf.case_deadline) period = step.wf.case_deadline->period;
  std::chrono::year_month_day from;
  std::string base = effect.from == workflow::DeadlineFrom::kReceived ? c.received : step.day;
  if (period && parseDate(base, from)) {
    c.deadline = formatDate(period->addTo(from));
    step.detail.set("deadline", *c.deadline);
  }
  return ok();
}

Result<void> CaseFlow::registerDocument(store::Tx& tx, const workflow::Effect& effect,
                                        Step& step) {
  const Case& c = step.c;
  Document d;
  d.direction = Direction::kUpprattad;
  d.date = step.day;
  d.kind = effect.arg;
  d.registered_at = formatInstant(step.now);
  d.registered_by = step.user.username;
  if (effect.arg == "tjansteskrivelse") {
    KANSLI_ASSIGN_OR_RETURN(auto memo, tx.casework().memoLatest(c.id));
    d.title = "Tjänsteskrivelse - " + c.subject;
    if (memo) d.sha256 = memo->sha256;
  } else if (effect.arg == "protokollsutdrag") {
    KANSLI_ASSIGN_OR_RETURN(auto agenda, tx.casework().caseAgendaStatus(c.id));
    const Committee* cm = org_.committee(c.committee);
    d.title = "Protokollsutdrag " + (cm ? cm->name : c.committee);
    if (agenda.meeting_date) d.title += " " + *agenda.meeting_date;
    if (agenda.paragraph) d.title += " § " + std::to_string(*agenda.paragraph);
  } else {
    d.title = effect.arg;
  }
  // Through the diarium: numbered, indexed, and secret where the case is.
  KANSLI_ASSIGN_OR_RETURN(auto stored, diarium_.addDocumentIn(tx, c, d, DocumentOrigin::kDrawnUp));
  step.detail.set("document", stored.number);
  return ok();
}

Result<void> CaseFlow::approveMemo(store::Tx& tx, Step& step) {
  KANSLI_ASSIGN_OR_RETURN(auto memo, tx.casework().memoLatest(step.c.id));
  if (!memo) {
    return std::unexpected(Error::unprocessable("det finns ingen tjänsteskrivelse att godkänna"));
  }
  step.detail.set("memo_version", memo->version);
  if (!memo->approved_at) {
    KANSLI_TRY(tx.casework().memoApprove(step.c.id, memo->version, formatInstant(step.now),
                                         step.user.username));
    KANSLI_TRY(keepApprovedTemplate(tx, step, memo->version, memo->xml));
  }
  return ok();
}

Result<void> CaseFlow::keepApprovedTemplate(store::Tx& tx, Step& step, int version,
                                            const std::string& xml) const {
  KANSLI_ASSIGN_OR_RETURN(auto memo, parseMemo(xml, "tjänsteskrivelse version " + std::to_string(version)));
  const std::string name = memo.template_name.empty() ? "tjansteskrivelse" : memo.template_name;
  KANSLI_ASSIGN_OR_RETURN(auto tmpl, cachedTemplate(name, override_dir_));
  const std::string files = templateFilesJson(tmpl.files());
  const std::string sha = sha256Hex(files);
  KANSLI_TRY(tx.casework().templateKeep(sha, tmpl.name(), files));
  std::optional<std::string> number;
  if (const auto& numbering = tmpl.numbering()) {
    const int year = std::stoi(step.day.substr(0, 4));
    KANSLI_ASSIGN_OR_RETURN(auto n, tx.casework().memoNumberDraw(numbering->series, year));
    number = numbering->text(year, n);
    step.detail.set("number", *number);
  }
  KANSLI_TRY(tx.casework().memoApprovalKeep(step.c.id, version, sha, number));
  step.detail.set("template_sha256", sha);
  return ok();
}

Result<Case> CaseFlow::migrate(std::int64_t case_id, int to_version, const std::string& reason,
                               const User& admin) {
  if (reason.empty()) {
    return std::unexpected(Error::invalid("ange varför", {{"reason", "fältet krävs"}}));
  }
  const Instant now = clock_.now();
  return store_.write([&](store::Tx& tx) -> Result<Case> {
    KANSLI_ASSIGN_OR_RETURN(auto seen, seeCase(tx, case_id, admin, org_));
    Case c = seen.stored;
    const workflow::Workflow* target = workflows_.find(c.workflow_id, to_version);
    if (!target) {
      return std::unexpected(Error::invalid(
          "versionen finns inte", {{"version", "arbetsgången " + c.workflow_id +
                                                   " har ingen version " +
                                                   std::to_string(to_version)}}));
    }
    if (!target->state(c.state)) {
      return std::unexpected(Error::conflict("tillståndet " + c.state + " finns inte i version " +
                                             std::to_string(to_version)));
    }
    audit::Detail detail;
    detail.set("workflow", c.workflow_id);
    detail.set("from_version", c.workflow_version);
    detail.set("to_version", to_version);
    detail.set("reason", reason);
    c.workflow_version = to_version;
    KANSLI_TRY(tx.diarium().caseUpdate(c));
    KANSLI_TRY(audit::appendAudit(tx, now, {admin.actor(), "case.migrate", c.id, detail.json()}));
    c.version += 1;
    if (seen.sight != Sight::kFull) return Diarium::maskForPublic(std::move(c));
    return c;
  });
}

}  // namespace kansli
