// Case work: moving a case through its workflow, and the officer's memo.
//
// CaseFlow takes transitions. A transition is evaluated by the workflow's state
// machine (kansli/workflow.h) against the case as stored, inside the SAME store
// transaction that applies its effects, moves the case, bumps its version and
// appends the audit event; so two concurrent transitions on one case are
// serialised by the store's writer and the second sees the first's version
// (412). A case stays on the workflow version it was registered under until an
// explicit, logged migration.
//
// Memos keeps the versions of a case's tjänsteskrivelse. Every save is a new
// draft version, validated against the memo schema and rendered through the
// case's template before it is stored (so a memo that lacks a required section
// or cites a document the case does not have is refused with 422). Approval is
// the workflow's approve-memo effect: it freezes the latest version; the
// database refuses to rewrite a version or un-approve it.
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

namespace kansli {

struct TransitionRequest {
  std::string transition;
  std::int64_t expected_version = 0;  // from If-Match
  std::optional<std::string> comment;
  std::optional<std::string> unit;
  std::optional<std::string> officer;
};

struct TransitionResult {
  Case c;
  std::string from;
  std::string to;
};

class CaseFlow {
 public:
  CaseFlow(store::Store& store, const Clock& clock, const Organisation& org,
           const workflow::WorkflowSet& workflows);

  // The workflow a case runs on (its pinned version).
  Result<const workflow::Workflow*> workflowOf(const Case& c) const;
  // Transitions `user` may take now (role, unit and guards).
  Result<std::vector<const workflow::Transition*>> available(std::int64_t case_id,
                                                             const User& user) const;
  Result<TransitionResult> take(std::int64_t case_id, const TransitionRequest& req,
                                const User& user);
  // The same inside a write transaction another service already holds (the
  // meetings module moves cases as part of its own changes). No version check
  // when req.expected_version is 0.
  Result<TransitionResult> takeIn(store::Tx& tx, std::int64_t case_id,
                                  const TransitionRequest& req, const User& user);
  // Moves a running case to another version of its workflow; its state must
  // exist there. Logged with the reason.
  Result<Case> migrate(std::int64_t case_id, int to_version, const std::string& reason,
                       const audit::Actor& actor);

 private:
  store::Store& store_;
  const Clock& clock_;
  const Organisation& org_;
  const workflow::WorkflowSet& workflows_;
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
};

// Marks a rendered memo as a draft: a first paragraph (role "draft")
// "UTKAST – version N: inte godkänd, inte beslutsunderlag".
void markDraft(doc::Document& d, int version);

class Memos {
 public:
  // Templates are looked up in `template_override_dir` (the municipality's)
  // first, then in the shipped templates/.
  Memos(store::Store& store, const Clock& clock, const Organisation& org, Diarium& diarium,
        std::filesystem::path template_override_dir,
        const workflow::WorkflowSet* workflows = nullptr);

  Result<MemoVersion> saveDraft(std::int64_t case_id, std::string_view xml,
                                const audit::Actor& actor);
  // The given version, or the latest when none is given.
  Result<MemoVersion> version(std::int64_t case_id, std::optional<int> version) const;
  // The decision basis: the latest approved version, or the latest draft
  // when none is approved yet.
  Result<MemoVersion> basis(std::int64_t case_id) const;
  Result<std::vector<MemoVersion>> versions(std::int64_t case_id) const;
  // A line diff of the text renderings of two versions.
  Result<std::string> diff(std::int64_t case_id, int from, int to) const;
  // The memo rendered by its template into the one document tree. `opts`
  // bounds the work and stops it for a client that has gone (render.h); a
  // version that is not approved is marked as a draft unless `mark_draft`
  // is false (the diff compares the texts themselves).
  Result<doc::Document> render(std::int64_t case_id, std::optional<int> version,
                               const RenderOptions& opts = {}, bool mark_draft = true) const;
  // Memo XML that is not saved, rendered as a saved draft would be: the same
  // parsing, checks and template, so an editor shows the real result. Writes
  // nothing and logs nothing.
  Result<doc::Document> preview(std::int64_t case_id, std::string_view xml,
                                const RenderOptions& opts = {}) const;
  // The facts of a case as templates see them.
  Result<CaseFacts> facts(const Case& c) const;
  Result<Template> templateFor(const Case& c) const;

 private:
  store::Store& store_;
  const Clock& clock_;
  const Organisation& org_;
  Diarium& diarium_;
  std::filesystem::path override_dir_;
  const workflow::WorkflowSet* workflows_;
};

}  // namespace kansli
