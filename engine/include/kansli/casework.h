// Case work: moving a case through its workflow, and the officer's memo.
//
// CaseFlow takes transitions. A transition is evaluated by the workflow's state
// machine (kansli/workflow.h) against the case as stored, inside the SAME store
// transaction that applies its effects, moves the case, bumps its version and
// appends the audit event; so two concurrent transitions on one case are
// serialised by the store's writer and the second sees the first's version
// (kPreconditionFailed). A case stays on the workflow version it was
// registered under until an explicit, logged migration.
//
// Memos keeps the versions of a case's tjänsteskrivelse. Every save is a new
// draft version, validated against the memo schema and rendered through the
// case's template before it is stored (so a memo that lacks a required section
// or cites a document the case does not have is refused with kUnprocessable).
// Approval is the workflow's approve-memo effect: it freezes the latest
// version; the database refuses to rewrite a version or un-approve it. The
// document it registers goes through Diarium::addDocumentIn. Approval also
// keeps the template the memo was approved with (and gives the running number
// of a template with <numbering>): an approved version renders with that
// template ever after, whatever the municipality changes in its templates
// later.
//
// The approved version is the decision basis (beslutsunderlag). Once a
// version is approved, a new draft may be started only when the workflow has
// taken the case back to investigation (återförvisning, återremiss): when the
// case stands in a state from which a transition needs a memo draft
// (memo-has-draft); never after a decision. Readers get the decision basis by
// default (basis()); a draft is marked as one wherever it is rendered.
//
// Thread-safe: all members may be called concurrently.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kansli/accounts.h"
#include "kansli/diarium.h"
#include "kansli/document.h"
#include "kansli/render.h"
#include "kansli/workflow.h"

namespace kansli::store {
struct MemoRow;
}  // namespace kansli::store

namespace kansli {

struct TransitionRequest {
  std::string transition;
  // The version of the case the request was made from: take() requires it
  // (kPreconditionRequired without; kPreconditionFailed when the case has
  // moved on since).
  std::optional<std::int64_t> expected_version;
  std::optional<std::string> comment;
  std::optional<std::string> unit;
  std::optional<std::string> officer;
};

struct TransitionResult {
  Case c;  // as the user who took it sees it
  std::string from;
  std::string to;
};

class CaseFlow {
 public:
  // `template_override_dir` as for Memos: approval keeps the memo's template
  // from there (or the shipped one).
  CaseFlow(store::Store& store, const Clock& clock, const Organisation& org,
           const workflow::WorkflowSet& workflows, Diarium& diarium,
           std::filesystem::path template_override_dir = {});

  // The workflow a case runs on (its pinned version).
  Result<const workflow::Workflow*> workflowOf(const Case& c) const;
  // Transitions `user` may take now (role, unit and guards); kNotFound for a
  // case outside their sight (kansli/access.h).
  Result<std::vector<const workflow::Transition*>> available(std::int64_t case_id,
                                                             const User& user) const;
  // Transitions `user`'s role may take but not yet, with the reasons
  // (workflow::blockedTransitions); none when the case is another unit's,
  // kNotFound for a case outside their sight.
  Result<std::vector<workflow::Blocked>> blocked(std::int64_t case_id, const User& user) const;
  // Takes a transition on a case the user sees (kNotFound otherwise). The
  // answer's case is as the user sees it; a full showing of a secret case is
  // logged (case.secret_read) in the same transaction.
  Result<TransitionResult> take(std::int64_t case_id, const TransitionRequest& req,
                                const User& user);
  // The same inside a write transaction another service already holds (the
  // meetings module moves cases as part of its own changes, under its own
  // rules of who may), at that change's instant. No version check without
  // req.expected_version; the answer's case is not masked.
  Result<TransitionResult> takeIn(store::Tx& tx, std::int64_t case_id,
                                  const TransitionRequest& req, const User& user, Instant now);
  // Moves a running case to another version of its workflow; its state must
  // exist there. Logged with the reason.
  Result<Case> migrate(std::int64_t case_id, int to_version, const std::string& reason,
                       const User& admin);

 private:
  struct Step;
  Result<void> applyEffect(store::Tx& tx, const workflow::Effect& effect, Step& step);
  Result<void> assign(store::Tx& tx, const workflow::Effect& effect, Step& step);
  Result<void> setDeadline(const workflow::Effect& effect, Step& step);
  Result<void> registerDocument(store::Tx& tx, const workflow::Effect& effect, Step& step);
  Result<void> approveMemo(store::Tx& tx, Step& step);
  // At approval of memo `version`: keeps its template and draws its number.
  Result<void> keepApprovedTemplate(store::Tx& tx, Step& step, int version,
                                    const std::string& xml) const;

  store::Store& store_;
  const Clock& clock_;
  const Organisation& org_;
  const workflow::WorkflowSet& workflows_;
  Diarium& diarium_;
  std::filesystem::path override_dir_;
};

struct MemoVersion {
  std::int64_t case_id = 0;
  int version = 0;
  std::string xml;  // empty in listings
  std::string sha256;
  std::string created_at;
  std::string created_by;
  std::optional<std::string> approved_at;
  std::optional<std::string> approved_by;
  // Set at approval: the kept template's sha256 (it renders with that
  // template ever after) and the running number, when its template has one.
  std::optional<std::string> template_sha256;
  std::optional<std::string> number;
};

// Marks a rendered memo as a draft: a first paragraph (role "draft")
// "UTKAST – version N: inte godkänd, inte beslutsunderlag".
void markDraft(doc::Document& d, int version);

// Reads take a Viewer (kansli/access.h): kNotFound for a case outside the
// viewer's sight. A viewer who sees a secret case masked gets the memo
// rendered masked: the case's facts as the public sees them, and the memo's
// own words (title, initiative, sections) replaced by the secrecy notice,
// since they are the content of a secret document; its XML is kForbidden.
// Every rendering that shows secret parts in full is logged first
// (case.secret_read). Each read takes one snapshot of the store.
class Memos {
 public:
  // Templates are looked up in `template_override_dir` (the municipality's)
  // first, then in the shipped templates/.
  Memos(store::Store& store, const Clock& clock, const Organisation& org,
        std::filesystem::path template_override_dir,
        const workflow::WorkflowSet* workflows = nullptr);

  // A new draft version by `author`, who must see the case: an officer only
  // on their own cases (a unit head may step in for a colleague), never on a
  // closed case (checked in the write). The memo must render by the case's
  // template (the same check as preview), else kUnprocessable.
  Result<MemoVersion> saveDraft(std::int64_t case_id, std::string_view xml, const User& author);
  // The given version, or the latest when none is given, with its XML.
  Result<MemoVersion> version(std::int64_t case_id, std::optional<int> version,
                              const Viewer& viewer) const;
  // Every version, without XML.
  Result<std::vector<MemoVersion>> versions(std::int64_t case_id, const Viewer& viewer) const;
  // Which version a reader means: `version` when given; else with `latest`
  // the newest, draft or not (the editor's); else the decision basis (the
  // newest approved version, or the newest when none is approved). Only the
  // number and whether it is approved: nothing secret, so nothing is logged
  // (the rendering that follows is the read). kNotFound without one.
  struct Choice {
    int version = 0;
    bool approved = false;
  };
  Result<Choice> choose(std::int64_t case_id, std::optional<int> version, bool latest,
                        const Viewer& viewer) const;
  // A line diff of the text renderings of two versions.
  Result<std::string> diff(std::int64_t case_id, int from, int to, const Viewer& viewer) const;
  // The memo rendered by its template into the one document tree. `opts`
  // bounds the work and stops it for a client that has gone (render.h); a
  // version that is not approved is marked as a draft unless `mark_draft`
  // is false (the diff compares the texts themselves).
  Result<doc::Document> render(std::int64_t case_id, std::optional<int> version,
                               const Viewer& viewer, const RenderOptions& opts = {},
                               bool mark_draft = true) const;
  // Memo XML that is not saved, rendered as a saved draft would be: the same
  // parsing, checks and template, so an editor shows the real result. Writes
  // no version.
  Result<doc::Document> preview(std::int64_t case_id, std::string_view xml,
                                const User& author, const RenderOptions& opts = {}) const;
  // The template `m` is written for (<memo template="…">, else
  // "tjansteskrivelse"), the municipality's own before the shipped one.
  Result<Template> templateFor(const Case& c, const Memo& m) const;

 private:
  struct Loaded;
  Result<Loaded> load(std::int64_t case_id, const std::vector<int>& versions,
                      const Viewer& viewer) const;
  // `saved`: the stored version being rendered; an approved one renders with
  // the template it was approved with, and its running number.
  Result<doc::Document> renderLoaded(const Loaded& l, std::string_view xml,
                                     const std::string& name, const RenderOptions& opts = {},
                                     const store::MemoRow* saved = nullptr) const;
  Result<void> logSecretRead(const Loaded& l, const Viewer& viewer) const;
  Result<void> mayStartDraft(store::Tx& tx, const Case& c) const;

  store::Store& store_;
  const Clock& clock_;
  const Organisation& org_;
  std::filesystem::path override_dir_;
  const workflow::WorkflowSet* workflows_;
};

}  // namespace kansli
