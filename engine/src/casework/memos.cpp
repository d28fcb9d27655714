// Memos: the versions of a case's tjänsteskrivelse, and its renderings as
// each viewer may see them.
#include <map>

#include "access/seen.h"
#include "kansli/casework.h"
#include "kansli/digest.h"
#include "store/accounts_repo.h"
#include "store/casework_repo.h"
#include "store/diarium_repo.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {
namespace {

MemoVersion fromRow(const store::MemoRow& r) {
  return {r.case_id, r.version, r.xml, r.sha256, r.created_at, r.created_by, r.approved_at,
          r.approved_by, r.template_sha256, r.number};
}

std::string secrecyNotice(const Secrecy& s) {
  return "Uppgiften omfattas av sekretess enligt " + s.provision;
}

// The memo as one who sees its secret case masked may read it: the memo's own
// words are the content of a secret document (the tjänsteskrivelse), so its
// title, initiative and every section's text give way to the secrecy notice.
// The structure (headings, signatories' titles) stays, so the template still
// applies; the signatories' names do not: who works on a case with secrecy
// (its officer above all) is secret with it, as the masked case names no
// officer.
Memo maskMemo(Memo m, const Secrecy& s) {
  m.title = secrecyNotice(s);
  for (auto& person : m.signatories) person.name = secrecyNotice(s);
  if (m.initiative) m.initiative = secrecyNotice(s);
  for (auto& section : m.sections) {
    MemoParagraph notice;
    notice.content.push_back(MemoText{secrecyNotice(s), false});
    notice.line = section.line;
    section.blocks = {notice};
  }
  return m;
}

// The template a memo is written for (<memo template="utlatande">, else
// "tjansteskrivelse"): the municipality's own, else the shipped one.
Result<Template> memoTemplate(const Memo& m, const std::filesystem::path& override_dir) {
  return cachedTemplate(m.template_name.empty() ? "tjansteskrivelse" : m.template_name, override_dir);
}

Error noMemo(std::optional<int> version) {
  return Error::notFound(version ? "tjänsteskrivelsen har ingen version " +
                                       std::to_string(*version)
                                 : "ärendet har ingen tjänsteskrivelse ännu");
}

}  // namespace

// What a memo read needs, from one snapshot: the case and its documents as
// the viewer sees them, the officer's name, and the memo versions asked for
// (by number; 0 is the latest).
struct Memos::Loaded {
  SeenCase seen;
  std::vector<Document> documents;
  std::string officer_name;
  // The directory's title, e-mail and phone: what letterheads print beside
  // the officer's name (case.officer_title, …).
  std::string officer_title, officer_email, officer_phone;
  std::map<int, store::MemoRow> memos;
  // The templates the loaded approved versions were approved with, by
  // sha256 (their files as JSON, kept_templates).
  std::map<std::string, std::string> kept_templates;
  bool secret = false;  // the case or one of its documents carries secrecy

  // Whether the memo's own words are masked for this viewer.
  bool masked() const { return seen.sight != Sight::kFull && seen.stored.secrecy.has_value(); }
};

Memos::Memos(store::Store& store, const Clock& clock, const Organisation& org,
             std::filesystem::path template_override_dir,
             const workflow::WorkflowSet* workflows)
    : store_(store),
      clock_(clock),
      org_(org),
      override_dir_(std::move(template_override_dir)),
      workflows_(workflows) {}

Result<Template> Memos::templateFor(const Case&, const Memo& m) const {
  return memoTemplate(m, override_dir_);
}

Result<Memos::Loaded> Memos::load(std::int64_t case_id, const std::vector<int>& versions,
                                  const Viewer& viewer) const {
  return store_.read([&](store::Tx& tx) -> Result<Loaded> {
    Loaded l;
    KANSLI_ASSIGN_OR_RETURN(l.seen, seeCase(tx, case_id, viewer, org_));
    KANSLI_ASSIGN_OR_RETURN(auto docs, tx.diarium().documentsOf(case_id));
    l.secret = holdsSecret(l.seen.stored, docs);
    l.documents = seeDocuments(std::move(docs), l.seen.sight);
    if (l.seen.c.officer) {
      KANSLI_ASSIGN_OR_RETURN(auto u, tx.accounts().userByName(*l.seen.c.officer));
      l.officer_name = u ? u->display_name : *l.seen.c.officer;
      if (u) {
        l.officer_title = u->title;
        l.officer_email = u->email;
        l.officer_phone = u->phone;
      }
    }
    for (int v : versions) {
      KANSLI_ASSIGN_OR_RETURN(auto row, v ? tx.casework().memoVersion(case_id, v)
                                          : tx.casework().memoLatest(case_id));
      if (!row) return std::unexpected(noMemo(v ? std::optional<int>(v) : std::nullopt));
      if (row->template_sha256 && !l.kept_templates.contains(*row->template_sha256)) {
        KANSLI_ASSIGN_OR_RETURN(auto kept, tx.casework().keptTemplate(*row->template_sha256));
        if (!kept) {
          return std::unexpected(Error::internal("mallen som tjänsteskrivelsen godkändes med saknas"));
        }
        l.kept_templates.emplace(*row->template_sha256, std::move(*kept));
      }
      l.memos[v] = std::move(*row);
    }
    return l;
  });
}

Result<doc::Document> Memos::renderLoaded(const Loaded& l, std::string_view xml,
                                          const std::string& name, const RenderOptions& opts,
                                          const store::MemoRow* saved) const {
  const Case& c = l.seen.c;
  KANSLI_ASSIGN_OR_RETURN(auto memo, parseMemo(xml, name));
  if (l.masked()) memo = maskMemo(std::move(memo), *l.seen.stored.secrecy);
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
  f.officer_name = l.officer_name;
  f.officer_title = l.officer_title;
  f.officer_email = l.officer_email;
  f.officer_phone = l.officer_phone;
  f.kind = c.kind;
  const CaseKind* k = org_.kind(c.kind);
  f.kind_label = k ? k->label : c.kind;
  f.subject = c.subject;
  f.received = c.received;
  f.senders = c.senders;
  for (const auto& d : l.documents) f.documents.push_back({d.number, d.title, d.date});
  if (!saved || !saved->template_sha256) {
    KANSLI_ASSIGN_OR_RETURN(auto tmpl, templateFor(c, memo));
    return renderMemo(tmpl, f, memo, opts);
  }
  // Approved: the template as it was at approval, and its running number.
  KANSLI_ASSIGN_OR_RETURN(auto tmpl, cachedKeptTemplate(l.kept_templates.at(*saved->template_sha256),
                                                        "tjansteskrivelse (godkänd version " +
                                                            std::to_string(saved->version) + ")"));
  RenderOptions with_number = opts;
  with_number.memo_number = saved->number.value_or("");
  return renderMemo(tmpl, f, memo, with_number);
}

Result<void> Memos::logSecretRead(const Loaded& l, const Viewer& viewer) const {
  if (l.seen.sight != Sight::kFull || !l.secret) return ok();
  return recordSecretReads(store_, clock_.now(), viewer, {l.seen.c.id});
}

// The approved version is the decision basis: a new draft only once the
// workflow has taken the case back to investigation (a state from which a
// transition needs a memo draft), never after the decision.
Result<void> Memos::mayStartDraft(store::Tx& tx, const Case& c) const {
  KANSLI_ASSIGN_OR_RETURN(auto all, tx.casework().memoVersions(c.id));
  std::optional<int> approved;
  for (const auto& v : all) {
    if (v.approved_at) approved = v.version;
  }
  if (!approved || !workflows_) return ok();
  const workflow::Workflow* wf = workflows_->find(c.workflow_id, c.workflow_version);
  bool drafting = false;
  if (wf) {
    for (const auto* t : wf->transitionsFrom(c.state)) {
      for (const auto& g : t->guards) {
        if (g.kind == workflow::GuardKind::kMemoHasDraft) drafting = true;
      }
    }
  }
  if (drafting) return ok();
  return std::unexpected(Error::conflict(
      "tjänsteskrivelsen version " + std::to_string(*approved) +
      " är godkänd och är beslutsunderlag; ett nytt utkast kan börjas först när ärendet "
      "skickats tillbaka för utredning (återförvisning eller återremiss), aldrig efter "
      "beslutet (ärendet är " + c.state + ")"));
}

Result<MemoVersion> Memos::saveDraft(std::int64_t case_id, std::string_view xml,
                                     const User& author) {
  // The case's rules, checked on one snapshot and again in the write.
  auto mayWrite = [&](const Case& c) -> Result<void> {
    if (author.role == Role::kHandlaggare && author.unit && c.unit && c.officer &&
        *c.officer != author.username) {
      // Another officer's memo: the unit head may step in, a colleague may not.
      return std::unexpected(Error::forbidden("ärendet är tilldelat " + *c.officer));
    }
    if (c.closed) return std::unexpected(Error::conflict("ärendet är avslutat"));
    return ok();
  };
  KANSLI_ASSIGN_OR_RETURN(auto l, load(case_id, {}, author));
  KANSLI_TRY(mayWrite(l.seen.stored));
  // Rendering is the check that the memo fits the case and the template: the
  // same check the editor's preview makes, so a preview that works saves.
  auto rendered = renderLoaded(l, xml, "tjänsteskrivelse");
  if (!rendered && rendered.error().code != ErrorCode::kInternal) {
    Error e = rendered.error();
    e.code = ErrorCode::kUnprocessable;
    return std::unexpected(e);
  }
  if (!rendered) return std::unexpected(rendered.error());

  const Instant now = clock_.now();
  store::MemoRow row;
  row.case_id = case_id;
  row.xml = std::string(xml);
  row.sha256 = sha256Hex(xml);
  row.created_at = formatInstant(now);
  row.created_by = author.username;
  return store_.write([&](store::Tx& tx) -> Result<MemoVersion> {
    KANSLI_ASSIGN_OR_RETURN(auto seen, seeCase(tx, case_id, author, org_));
    KANSLI_TRY(mayWrite(seen.stored));  // closed since the render check?
    KANSLI_ASSIGN_OR_RETURN(auto latest, tx.casework().memoLatest(case_id));
    KANSLI_TRY(mayStartDraft(tx, seen.stored));
    row.version = latest ? latest->version + 1 : 1;
    KANSLI_TRY(tx.casework().memoInsert(row));
    audit::Detail detail;
    detail.set("version", row.version);
    detail.set("sha256", row.sha256);
    KANSLI_TRY(audit::appendAudit(tx, now, {author.actor(), "memo.save", case_id, detail.json()}));
    return fromRow(row);
  });
}

Result<MemoVersion> Memos::version(std::int64_t case_id, std::optional<int> v,
                                   const Viewer& viewer) const {
  KANSLI_ASSIGN_OR_RETURN(auto l, load(case_id, {v.value_or(0)}, viewer));
  if (l.masked()) {
    return std::unexpected(Error::forbidden("tjänsteskrivelsen omfattas av sekretess (" +
                                            l.seen.stored.secrecy->provision + ")"));
  }
  KANSLI_TRY(logSecretRead(l, viewer));
  return fromRow(l.memos.begin()->second);
}

Result<Memos::Choice> Memos::choose(std::int64_t case_id, std::optional<int> version, bool latest,
                                    const Viewer& viewer) const {
  auto list = [&](store::Tx& tx) -> Result<std::vector<store::MemoRow>> {
    KANSLI_TRY(seeCase(tx, case_id, viewer, org_));
    return tx.casework().memoVersions(case_id);
  };
  KANSLI_ASSIGN_OR_RETURN(auto rows, store_.read(list));
  std::optional<int> chosen = version;
  if (!version && !latest) {
    for (const auto& r : rows) {
      if (r.approved_at) chosen = r.version;
    }
  }
  const store::MemoRow* meant = nullptr;
  for (const auto& r : rows) {
    if (!chosen || r.version == *chosen) meant = &r;
  }
  if (!meant) return std::unexpected(noMemo(chosen));
  return Choice{meant->version, meant->approved_at.has_value()};
}

Result<std::vector<MemoVersion>> Memos::versions(std::int64_t case_id,
                                                 const Viewer& viewer) const {
  std::optional<SeenCase> seen;
  auto list = [&](store::Tx& tx) -> Result<std::vector<store::MemoRow>> {
    KANSLI_ASSIGN_OR_RETURN(seen, seeCase(tx, case_id, viewer, org_));
    return tx.casework().memoVersions(case_id);
  };
  KANSLI_ASSIGN_OR_RETURN(auto rows, store_.read(list));
  // The authors and approvers of a memo in a case with secrecy are its
  // officer and unit: secret with the case (see maskMemo).
  const bool secret = seen->stored.secrecy.has_value();
  const bool masked = secret && seen->sight != Sight::kFull;
  std::vector<MemoVersion> out;
  for (const auto& r : rows) {
    out.push_back(fromRow(r));
    if (masked) {
      out.back().created_by.clear();
      out.back().approved_by.reset();
    }
  }
  if (secret && !masked && !out.empty()) {
    KANSLI_TRY(recordSecretReads(store_, clock_.now(), viewer, {case_id}));
  }
  return out;
}

Result<doc::Document> Memos::render(std::int64_t case_id, std::optional<int> v,
                                    const Viewer& viewer, const RenderOptions& opts,
                                    bool mark_draft) const {
  KANSLI_ASSIGN_OR_RETURN(auto l, load(case_id, {v.value_or(0)}, viewer));
  const store::MemoRow& row = l.memos.begin()->second;
  KANSLI_ASSIGN_OR_RETURN(
      auto rendered,
      renderLoaded(l, row.xml, "tjänsteskrivelse version " + std::to_string(row.version), opts, &row));
  if (!row.approved_at && mark_draft) markDraft(rendered, row.version);
  KANSLI_TRY(logSecretRead(l, viewer));  // before the rendering leaves
  return rendered;
}

Result<doc::Document> Memos::preview(std::int64_t case_id, std::string_view xml,
                                     const User& author, const RenderOptions& opts) const {
  KANSLI_ASSIGN_OR_RETURN(auto l, load(case_id, {}, author));
  auto rendered = renderLoaded(l, xml, "tjänsteskrivelse", opts);
  if (!rendered && rendered.error().code != ErrorCode::kInternal &&
      rendered.error().code != ErrorCode::kCancelled) {
    Error e = rendered.error();
    e.code = ErrorCode::kUnprocessable;  // as saveDraft answers the same memo
    return std::unexpected(e);
  }
  if (rendered) markDraft(*rendered, 0);
  if (rendered) KANSLI_TRY(logSecretRead(l, author));
  return rendered;
}

Result<std::string> Memos::diff(std::int64_t case_id, int from, int to,
                                const Viewer& viewer) const {
  KANSLI_ASSIGN_OR_RETURN(auto l, load(case_id, {from, to}, viewer));
  auto text = [&](int v) -> Result<std::string> {
    KANSLI_ASSIGN_OR_RETURN(
        auto d, renderLoaded(l, l.memos.at(v).xml, "tjänsteskrivelse version " + std::to_string(v), {},
                             &l.memos.at(v)));
    return writeText(d);
  };
  KANSLI_ASSIGN_OR_RETURN(auto a, text(from));
  KANSLI_ASSIGN_OR_RETURN(auto b, text(to));
  KANSLI_TRY(logSecretRead(l, viewer));
  return textDiff(a, b);
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

}  // namespace kansli
