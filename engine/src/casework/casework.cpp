#include "kansli/casework.h"

#include <map>
#include <mutex>

#include "casework/guards.h"
#include "kansli/access.h"
#include "kansli/digest.h"
#include "store/accounts_repo.h"
#include "store/casework_repo.h"
#include "store/diarium_repo.h"
#include "store/store.h"
#include "store/tx.h"
#include "util/json.h"

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

std::string today(const Clock& clock) { return formatDate(stockholmDate(clock.now())); }

std::optional<std::string> stateDeadline(const workflow::Workflow& wf, const std::string& state,
                                         const std::string& from_date) {
  const workflow::State* st = wf.state(state);
  std::chrono::year_month_day d;
  if (!st || !st->deadline || !parseDate(from_date, d)) return std::nullopt;
  return formatDate(st->deadline->addTo(d));
}

}  // namespace

CaseFlow::CaseFlow(store::Store& store, const Clock& clock, const Organisation& org,
                   const workflow::WorkflowSet& workflows)
    : store_(store), clock_(clock), org_(org), workflows_(workflows) {}

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
  return store_.read([&](store::Tx& tx) -> Result<std::vector<const workflow::Transition*>> {
    KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(case_id));
    if (!c) return std::unexpected(Error::notFound("ärendet finns inte"));
    KANSLI_ASSIGN_OR_RETURN(auto wf, workflowOf(*c));
    if (!checkUnit(org_, *c, user)) return std::vector<const workflow::Transition*>{};
    StoreGuardContext ctx(tx, *c, nullptr, today(clock_));
    auto list = workflow::availableTransitions(*wf, c->state, user.role, ctx);
    if (ctx.failure()) return std::unexpected(*ctx.failure());
    return list;
  });
}

Result<TransitionResult> CaseFlow::take(std::int64_t case_id, const TransitionRequest& req,
                                        const User& user) {
  return store_.write([&](store::Tx& tx) { return takeIn(tx, case_id, req, user); });
}

Result<TransitionResult> CaseFlow::takeIn(store::Tx& tx, std::int64_t case_id,
                                          const TransitionRequest& req, const User& user) {
  const std::string now = formatInstant(clock_.now());
  const std::string day = today(clock_);
  {
    KANSLI_ASSIGN_OR_RETURN(auto found, tx.diarium().caseById(case_id));
    if (!found) return std::unexpected(Error::notFound("ärendet finns inte"));
    Case c = *found;
    if (req.expected_version != 0 && req.expected_version != c.version) {
      return std::unexpected(Error{ErrorCode::kPreconditionFailed,
                                   "ärendet har ändrats sedan du läste det (version " +
                                       std::to_string(c.version) + "); läs om det och försök igen",
                                   {},
                                   {}});
    }
    KANSLI_TRY(checkUnit(org_, c, user));
    KANSLI_ASSIGN_OR_RETURN(auto wf, workflowOf(c));
    StoreGuardContext ctx(tx, c, &req, day);
    auto step = workflow::evaluate(*wf, c.state, req.transition, user.role, ctx);
    if (ctx.failure()) return std::unexpected(*ctx.failure());
    if (!step) return std::unexpected(step.error());

    audit::Detail detail;
    detail.set("transition", step->transition);
    detail.set("from", step->from);
    detail.set("to", step->to);
    if (req.comment && !req.comment->empty()) detail.set("comment", *req.comment);

    for (const auto& effect : step->effects) {
      switch (effect.kind) {
        case workflow::EffectKind::kAssign: {
          if (effect.arg == "unit") {
            std::string unit = req.unit.value_or(c.unit.value_or(""));
            if (!org_.unit(unit)) {
              return std::unexpected(Error::invalid("okänd enhet", {{"unit", "okänd enhet: " + unit}}));
            }
            c.unit = unit;
            detail.set("unit", unit);
          } else if (effect.arg == "officer") {
            std::string officer = req.officer.value_or(c.officer.value_or(""));
            KANSLI_ASSIGN_OR_RETURN(auto u, tx.accounts().userByName(officer));
            if (!u || u->disabled) {
              return std::unexpected(
                  Error::invalid("okänd handläggare", {{"officer", "ingen användare " + officer}}));
            }
            c.officer = officer;
            detail.set("officer", officer);
          }
          break;
        }
        case workflow::EffectKind::kSetDeadline: {
          std::optional<workflow::Period> period = effect.period;
          if (!period && wf->case_deadline) period = wf->case_deadline->period;
          std::chrono::year_month_day from;
          std::string base = effect.from == workflow::DeadlineFrom::kReceived ? c.received : day;
          if (period && parseDate(base, from)) {
            c.deadline = formatDate(period->addTo(from));
            detail.set("deadline", *c.deadline);
          }
          break;
        }
        case workflow::EffectKind::kClearDeadline:
          c.deadline.reset();
          break;
        case workflow::EffectKind::kRegisterDocument: {
          Document d;
          d.case_id = c.id;
          d.direction = Direction::kUpprattad;
          d.date = day;
          d.kind = effect.arg;
          d.registered_at = now;
          d.registered_by = user.username;
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
          KANSLI_ASSIGN_OR_RETURN(auto n, tx.diarium().documentNextNumber(c.id));
          d.number = n;
          KANSLI_TRY(tx.diarium().documentInsert(d, std::nullopt));
          detail.set("document", d.number);
          break;
        }
        case workflow::EffectKind::kApproveMemo: {
          KANSLI_ASSIGN_OR_RETURN(auto memo, tx.casework().memoLatest(c.id));
          if (!memo) {
            return std::unexpected(Error::unprocessable("det finns ingen tjänsteskrivelse att godkänna"));
          }
          if (!memo->approved_at) {
            KANSLI_TRY(tx.casework().memoApprove(c.id, memo->version, now, user.username));
          }
          detail.set("memo_version", memo->version);
          break;
        }
      }
    }
    const workflow::State* to = wf->state(step->to);
    if (step->to != c.state) c.state_deadline = stateDeadline(*wf, step->to, day);
    c.state = step->to;
    c.closed = to && to->final;
    if (c.closed) c.state_deadline.reset();
    KANSLI_TRY(tx.diarium().caseUpdate(c));
    c.version += 1;
    KANSLI_TRY(audit::appendAudit(tx, clock_, {user.actor(), "case.transition", c.id, detail.json()}));
    KANSLI_ASSIGN_OR_RETURN(auto refreshed, tx.diarium().caseById(c.id));
    return TransitionResult{*refreshed, step->from, step->to};
  }
}

Result<Case> CaseFlow::migrate(std::int64_t case_id, int to_version, const std::string& reason,
                               const audit::Actor& actor) {
  if (reason.empty()) {
    return std::unexpected(Error::invalid("ange varför", {{"reason", "fältet krävs"}}));
  }
  return store_.write([&](store::Tx& tx) -> Result<Case> {
    KANSLI_ASSIGN_OR_RETURN(auto found, tx.diarium().caseById(case_id));
    if (!found) return std::unexpected(Error::notFound("ärendet finns inte"));
    Case c = *found;
    const workflow::Workflow* target = workflows_.find(c.workflow_id, to_version);
    if (!target) {
      return std::unexpected(Error::invalid(
          "versionen finns inte", {{"version", "arbetsgången " + c.workflow_id + " har ingen version " +
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
    KANSLI_TRY(audit::appendAudit(tx, clock_, {actor, "case.migrate", c.id, detail.json()}));
    c.version += 1;
    return c;
  });
}

// --- Memos ---------------------------------------------------------------------

namespace {
MemoVersion fromRow(const store::MemoRow& r) {
  return {r.case_id, r.version, r.xml, r.sha256, r.created_at, r.created_by, r.approved_at,
          r.approved_by};
}
}  // namespace

Memos::Memos(store::Store& store, const Clock& clock, const Organisation& org, Diarium& diarium,
             std::filesystem::path template_override_dir,
             const workflow::WorkflowSet* workflows)
    : store_(store), clock_(clock), org_(org), diarium_(diarium),
      override_dir_(std::move(template_override_dir)), workflows_(workflows) {}

Result<Template> Memos::templateFor(const Case&) const {
  return cachedTemplate("tjansteskrivelse", override_dir_);
}

Result<CaseFacts> Memos::facts(const Case& c) const {
  CaseFacts f;
  f.dnr = c.dnr;
  const Committee* cm = org_.committee(c.committee);
  f.dnr_label = cm ? cm->dnr_label : "Dnr";
  f.committee_id = c.committee;
  f.committee_name = cm ? cm->name : c.committee;
  if (c.unit) {
    const Unit* u = org_.unit(*c.unit);
    f.unit_name = u ? u->name : *c.unit;
    if (const Unit* a = org_.administrationOf(*c.unit)) f.administration_name = a->name;
  }
  f.org = orgFactsOf(org_);
  if (c.officer) {
    KANSLI_ASSIGN_OR_RETURN(auto u, store_.read([&](store::Tx& tx) { return tx.accounts().userByName(*c.officer); }));
    f.officer_name = u ? u->display_name : *c.officer;
    if (u) {
      // The directory's title, e-mail and phone: what letterheads print beside
      // the officer's name (case.officer_title, …).
      f.officer_title = u->title;
      f.officer_email = u->email;
      f.officer_phone = u->phone;
    }
  }
  f.kind = c.kind;
  const CaseKind* k = org_.kind(c.kind);
  f.kind_label = k ? k->label : c.kind;
  f.subject = c.subject;
  f.received = c.received;
  f.senders = c.senders;
  KANSLI_ASSIGN_OR_RETURN(auto docs, diarium_.documents(c.id));
  for (const auto& d : docs) f.documents.push_back({d.number, d.title, d.date});
  return f;
}

Result<MemoVersion> Memos::saveDraft(std::int64_t case_id, std::string_view xml,
                                     const audit::Actor& actor) {
  KANSLI_ASSIGN_OR_RETURN(auto c, diarium_.getCase(case_id));
  if (c.closed) return std::unexpected(Error::conflict("ärendet är avslutat"));
  // Rendering is the check that the memo fits the case and the template: the
  // same check the editor's preview makes, so a preview that works saves.
  KANSLI_TRY(preview(case_id, xml));
  store::MemoRow row;
  row.case_id = case_id;
  row.xml = std::string(xml);
  row.sha256 = sha256Hex(xml);
  row.created_at = formatInstant(clock_.now());
  row.created_by = actor.username;
  return store_.write([&](store::Tx& tx) -> Result<MemoVersion> {
    KANSLI_ASSIGN_OR_RETURN(auto latest, tx.casework().memoLatest(case_id));
    // The approved version is the decision basis: a new draft only once the
    // workflow has taken the case back to investigation.
    KANSLI_ASSIGN_OR_RETURN(auto all, tx.casework().memoVersions(case_id));
    std::optional<int> approved;
    for (const auto& v : all) {
      if (v.approved_at) approved = v.version;
    }
    if (approved && workflows_) {
      KANSLI_ASSIGN_OR_RETURN(auto cur, tx.diarium().caseById(case_id));
      const workflow::Workflow* wf =
          cur ? workflows_->find(cur->workflow_id, cur->workflow_version) : nullptr;
      bool drafting = false;
      if (wf) {
        for (const auto* t : wf->transitionsFrom(cur->state)) {
          for (const auto& g : t->guards) {
            if (g.kind == workflow::GuardKind::kMemoHasDraft) drafting = true;
          }
        }
      }
      if (!drafting) {
        return std::unexpected(Error::conflict(
            "tjänsteskrivelsen version " + std::to_string(*approved) +
            " är godkänd och är beslutsunderlag; ett nytt utkast kan börjas först när ärendet "
            "skickats tillbaka för utredning (återförvisning eller återremiss), aldrig efter "
            "beslutet (ärendet är " + (cur ? cur->state : std::string("okänt")) + ")"));
      }
    }
    store::MemoRow stored = row;
    stored.version = latest ? latest->version + 1 : 1;
    KANSLI_TRY(tx.casework().memoInsert(stored));
    audit::Detail detail;
    detail.set("version", stored.version);
    detail.set("sha256", stored.sha256);
    KANSLI_TRY(audit::appendAudit(tx, clock_, {actor, "memo.save", case_id, detail.json()}));
    return fromRow(stored);
  });
}

Result<MemoVersion> Memos::version(std::int64_t case_id, std::optional<int> v) const {
  auto row = store_.read([&](store::Tx& tx) -> Result<std::optional<store::MemoRow>> {
    KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(case_id));
    if (!c) return std::unexpected(Error::notFound("ärendet finns inte"));
    return v ? tx.casework().memoVersion(case_id, *v) : tx.casework().memoLatest(case_id);
  });
  if (!row) return std::unexpected(row.error());
  if (!*row) {
    return std::unexpected(Error::notFound(v ? "tjänsteskrivelsen har ingen version " +
                                                   std::to_string(*v)
                                             : "ärendet har ingen tjänsteskrivelse ännu"));
  }
  return fromRow(**row);
}

Result<MemoVersion> Memos::basis(std::int64_t case_id) const {
  KANSLI_ASSIGN_OR_RETURN(auto list, versions(case_id));
  std::optional<int> chosen;
  for (const auto& v : list) {
    if (v.approved_at) chosen = v.version;
  }
  return version(case_id, chosen);
}

Result<std::vector<MemoVersion>> Memos::versions(std::int64_t case_id) const {
  KANSLI_ASSIGN_OR_RETURN(auto rows, store_.read([&](store::Tx& tx) { return tx.casework().memoVersions(case_id); }));
  std::vector<MemoVersion> out;
  for (const auto& r : rows) out.push_back(fromRow(r));
  return out;
}

Result<doc::Document> Memos::render(std::int64_t case_id, std::optional<int> v,
                                    const RenderOptions& opts, bool mark_draft) const {
  KANSLI_ASSIGN_OR_RETURN(auto mv, version(case_id, v));
  KANSLI_ASSIGN_OR_RETURN(auto c, diarium_.getCase(case_id));
  KANSLI_ASSIGN_OR_RETURN(auto memo, parseMemo(mv.xml, "tjänsteskrivelse version " + std::to_string(mv.version)));
  KANSLI_ASSIGN_OR_RETURN(auto f, facts(c));
  KANSLI_ASSIGN_OR_RETURN(auto tmpl, templateFor(c));
  KANSLI_ASSIGN_OR_RETURN(auto doc, renderMemo(tmpl, f, memo, opts));
  if (!mv.approved_at && mark_draft) markDraft(doc, mv.version);
  return doc;
}

void markDraft(doc::Document& d, int version) {
  doc::Paragraph mark;
  mark.role = "draft";
  mark.content.push_back(doc::Text{
      "UTKAST" + (version > 0 ? " – version " + std::to_string(version) : std::string()) +
          ": inte godkänd, inte beslutsunderlag",
      false});
  d.body.insert(d.body.begin(), doc::Block{mark});
}

Result<doc::Document> Memos::preview(std::int64_t case_id, std::string_view xml,
                                     const RenderOptions& opts) const {
  KANSLI_ASSIGN_OR_RETURN(auto c, diarium_.getCase(case_id));
  KANSLI_ASSIGN_OR_RETURN(auto memo, parseMemo(xml, "tjänsteskrivelse"));
  KANSLI_ASSIGN_OR_RETURN(auto f, facts(c));
  KANSLI_ASSIGN_OR_RETURN(auto tmpl, templateFor(c));
  auto rendered = renderMemo(tmpl, f, memo, opts);
  if (!rendered && rendered.error().code != ErrorCode::kInternal &&
      rendered.error().code != ErrorCode::kCancelled) {
    Error e = rendered.error();
    e.code = ErrorCode::kUnprocessable;  // as saveDraft answers the same memo
    return std::unexpected(e);
  }
  if (rendered) markDraft(*rendered, 0);
  return rendered;
}

Result<std::string> Memos::diff(std::int64_t case_id, int from, int to) const {
  KANSLI_ASSIGN_OR_RETURN(auto a, render(case_id, from, {}, false));
  KANSLI_ASSIGN_OR_RETURN(auto b, render(case_id, to, {}, false));
  return textDiff(writeText(a), writeText(b));
}

}  // namespace kansli
