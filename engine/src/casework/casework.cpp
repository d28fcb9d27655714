#include "kansli/casework.h"

#include "kansli/access.h"

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Object.h>
#include <Poco/SHA2Engine.h>

#include <map>
#include <mutex>
#include <sstream>

#include "casework/guards.h"
#include "store/repos.h"

namespace kansli {
namespace {

std::string stringify(const Poco::JSON::Object& o) {
  std::ostringstream ss;
  o.stringify(ss);
  return ss.str();
}

Poco::JSON::Object ordered() { return Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

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
    auto c = store::caseById(tx, case_id);
    if (!c) return std::unexpected(c.error());
    if (!*c) return std::unexpected(Error::notFound("ärendet finns inte"));
    auto wf = workflowOf(**c);
    if (!wf) return std::unexpected(wf.error());
    if (!checkUnit(org_, **c, user)) return std::vector<const workflow::Transition*>{};
    StoreGuardContext ctx(tx, **c, nullptr, today(clock_));
    auto list = workflow::availableTransitions(**wf, (*c)->state, user.role, ctx);
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
    auto found = store::caseById(tx, case_id);
    if (!found) return std::unexpected(found.error());
    if (!*found) return std::unexpected(Error::notFound("ärendet finns inte"));
    Case c = **found;
    if (req.expected_version != 0 && req.expected_version != c.version) {
      return std::unexpected(Error{ErrorCode::kPreconditionFailed,
                                   "ärendet har ändrats sedan du läste det (version " +
                                       std::to_string(c.version) + "); läs om det och försök igen",
                                   {},
                                   {}});
    }
    KANSLI_TRY(checkUnit(org_, c, user));
    auto wf = workflowOf(c);
    if (!wf) return std::unexpected(wf.error());
    StoreGuardContext ctx(tx, c, &req, day);
    auto step = workflow::evaluate(**wf, c.state, req.transition, user.role, ctx);
    if (ctx.failure()) return std::unexpected(*ctx.failure());
    if (!step) return std::unexpected(step.error());

    auto detail = ordered();
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
            auto u = store::userByName(tx, officer);
            if (!u) return std::unexpected(u.error());
            if (!*u || (*u)->disabled) {
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
          if (!period && (*wf)->case_deadline) period = (*wf)->case_deadline->period;
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
            auto memo = store::memoLatest(tx, c.id);
            if (!memo) return std::unexpected(memo.error());
            d.title = "Tjänsteskrivelse - " + c.subject;
            if (*memo) d.sha256 = (*memo)->sha256;
          } else if (effect.arg == "protokollsutdrag") {
            auto agenda = store::caseAgendaStatus(tx, c.id);
            if (!agenda) return std::unexpected(agenda.error());
            const Committee* cm = org_.committee(c.committee);
            d.title = "Protokollsutdrag " + (cm ? cm->name : c.committee);
            if (agenda->meeting_date) d.title += " " + *agenda->meeting_date;
            if (agenda->paragraph) d.title += " § " + std::to_string(*agenda->paragraph);
          } else {
            d.title = effect.arg;
          }
          auto n = store::documentNextNumber(tx, c.id);
          if (!n) return std::unexpected(n.error());
          d.number = *n;
          auto id = store::documentInsert(tx, d, std::nullopt);
          if (!id) return std::unexpected(id.error());
          detail.set("document", d.number);
          break;
        }
        case workflow::EffectKind::kApproveMemo: {
          auto memo = store::memoLatest(tx, c.id);
          if (!memo) return std::unexpected(memo.error());
          if (!*memo) {
            return std::unexpected(Error::unprocessable("det finns ingen tjänsteskrivelse att godkänna"));
          }
          if (!(*memo)->approved_at) {
            KANSLI_TRY(store::memoApprove(tx, c.id, (*memo)->version, now, user.username));
          }
          detail.set("memo_version", (*memo)->version);
          break;
        }
      }
    }
    const workflow::State* to = (*wf)->state(step->to);
    if (step->to != c.state) c.state_deadline = stateDeadline(**wf, step->to, day);
    c.state = step->to;
    c.closed = to && to->final;
    if (c.closed) c.state_deadline.reset();
    KANSLI_TRY(store::caseUpdate(tx, c));
    c.version += 1;
    auto ev = audit::appendAudit(tx, clock_, {user.actor(), "case.transition", c.id, stringify(detail)});
    if (!ev) return std::unexpected(ev.error());
    auto refreshed = store::caseById(tx, c.id);
    if (!refreshed) return std::unexpected(refreshed.error());
    return TransitionResult{**refreshed, step->from, step->to};
  }
}

Result<Case> CaseFlow::migrate(std::int64_t case_id, int to_version, const std::string& reason,
                               const audit::Actor& actor) {
  if (reason.empty()) {
    return std::unexpected(Error::invalid("ange varför", {{"reason", "fältet krävs"}}));
  }
  return store_.write([&](store::Tx& tx) -> Result<Case> {
    auto found = store::caseById(tx, case_id);
    if (!found) return std::unexpected(found.error());
    if (!*found) return std::unexpected(Error::notFound("ärendet finns inte"));
    Case c = **found;
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
    auto detail = ordered();
    detail.set("workflow", c.workflow_id);
    detail.set("from_version", c.workflow_version);
    detail.set("to_version", to_version);
    detail.set("reason", reason);
    c.workflow_version = to_version;
    KANSLI_TRY(store::caseUpdate(tx, c));
    auto ev = audit::appendAudit(tx, clock_, {actor, "case.migrate", c.id, stringify(detail)});
    if (!ev) return std::unexpected(ev.error());
    c.version += 1;
    return c;
  });
}

// --- Memos ---------------------------------------------------------------------

namespace {
std::string sha256Hex(std::string_view data) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(data.data(), static_cast<unsigned>(data.size()));
  return Poco::DigestEngine::digestToHex(sha.digest());
}

MemoVersion fromRow(const store::MemoRow& r) {
  return {r.case_id, r.version, r.xml, r.sha256, r.created_at, r.created_by, r.approved_at,
          r.approved_by};
}
}  // namespace

Memos::Memos(store::Store& store, const Clock& clock, const Organisation& org, Diarium& diarium,
             std::filesystem::path template_override_dir)
    : store_(store), clock_(clock), org_(org), diarium_(diarium),
      override_dir_(std::move(template_override_dir)) {}

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
  }
  if (c.officer) {
    auto u = store_.read([&](store::Tx& tx) { return store::userByName(tx, *c.officer); });
    if (!u) return std::unexpected(u.error());
    f.officer_name = *u ? (*u)->display_name : *c.officer;
  }
  f.kind = c.kind;
  const CaseKind* k = org_.kind(c.kind);
  f.kind_label = k ? k->label : c.kind;
  f.subject = c.subject;
  f.received = c.received;
  f.senders = c.senders;
  auto docs = diarium_.documents(c.id);
  if (!docs) return std::unexpected(docs.error());
  for (const auto& d : *docs) f.documents.push_back({d.number, d.title, d.date});
  return f;
}

Result<MemoVersion> Memos::saveDraft(std::int64_t case_id, std::string_view xml,
                                     const audit::Actor& actor) {
  auto c = diarium_.getCase(case_id);
  if (!c) return std::unexpected(c.error());
  if (c->closed) return std::unexpected(Error::conflict("ärendet är avslutat"));
  // Rendering is the check that the memo fits the case and the template: the
  // same check the editor's preview makes, so a preview that works saves.
  auto rendered = preview(case_id, xml);
  if (!rendered) return std::unexpected(rendered.error());
  store::MemoRow row;
  row.case_id = case_id;
  row.xml = std::string(xml);
  row.sha256 = sha256Hex(xml);
  row.created_at = formatInstant(clock_.now());
  row.created_by = actor.username;
  return store_.write([&](store::Tx& tx) -> Result<MemoVersion> {
    auto latest = store::memoLatest(tx, case_id);
    if (!latest) return std::unexpected(latest.error());
    store::MemoRow stored = row;
    stored.version = *latest ? (*latest)->version + 1 : 1;
    KANSLI_TRY(store::memoInsert(tx, stored));
    auto detail = ordered();
    detail.set("version", stored.version);
    detail.set("sha256", stored.sha256);
    auto ev = audit::appendAudit(tx, clock_, {actor, "memo.save", case_id, stringify(detail)});
    if (!ev) return std::unexpected(ev.error());
    return fromRow(stored);
  });
}

Result<MemoVersion> Memos::version(std::int64_t case_id, std::optional<int> v) const {
  auto row = store_.read([&](store::Tx& tx) -> Result<std::optional<store::MemoRow>> {
    auto c = store::caseById(tx, case_id);
    if (!c) return std::unexpected(c.error());
    if (!*c) return std::unexpected(Error::notFound("ärendet finns inte"));
    return v ? store::memoVersion(tx, case_id, *v) : store::memoLatest(tx, case_id);
  });
  if (!row) return std::unexpected(row.error());
  if (!*row) {
    return std::unexpected(Error::notFound(v ? "tjänsteskrivelsen har ingen version " +
                                                   std::to_string(*v)
                                             : "ärendet har ingen tjänsteskrivelse ännu"));
  }
  return fromRow(**row);
}

Result<std::vector<MemoVersion>> Memos::versions(std::int64_t case_id) const {
  auto rows = store_.read([&](store::Tx& tx) { return store::memoVersions(tx, case_id); });
  if (!rows) return std::unexpected(rows.error());
  std::vector<MemoVersion> out;
  for (const auto& r : *rows) out.push_back(fromRow(r));
  return out;
}

Result<doc::Document> Memos::render(std::int64_t case_id, std::optional<int> v) const {
  auto mv = version(case_id, v);
  if (!mv) return std::unexpected(mv.error());
  auto c = diarium_.getCase(case_id);
  if (!c) return std::unexpected(c.error());
  auto memo = parseMemo(mv->xml, "tjänsteskrivelse version " + std::to_string(mv->version));
  if (!memo) return std::unexpected(memo.error());
  auto f = facts(*c);
  if (!f) return std::unexpected(f.error());
  auto tmpl = templateFor(*c);
  if (!tmpl) return std::unexpected(tmpl.error());
  return renderMemo(*tmpl, *f, *memo);
}

Result<doc::Document> Memos::preview(std::int64_t case_id, std::string_view xml) const {
  auto c = diarium_.getCase(case_id);
  if (!c) return std::unexpected(c.error());
  auto memo = parseMemo(xml, "tjänsteskrivelse");
  if (!memo) return std::unexpected(memo.error());
  auto f = facts(*c);
  if (!f) return std::unexpected(f.error());
  auto tmpl = templateFor(*c);
  if (!tmpl) return std::unexpected(tmpl.error());
  auto rendered = renderMemo(*tmpl, *f, *memo);
  if (!rendered && rendered.error().code != ErrorCode::kInternal) {
    Error e = rendered.error();
    e.code = ErrorCode::kUnprocessable;  // as saveDraft answers the same memo
    return std::unexpected(e);
  }
  return rendered;
}

Result<std::string> Memos::diff(std::int64_t case_id, int from, int to) const {
  auto a = render(case_id, from);
  if (!a) return std::unexpected(a.error());
  auto b = render(case_id, to);
  if (!b) return std::unexpected(b.error());
  return textDiff(writeText(*a), writeText(*b));
}

}  // namespace kansli
