// The diarium: cases (ärenden) with their diarienummer, the documents
// (handlingar) registered in them, corrections, retrieval and search.
//
// This is the legal core (OSL 5 kap. 1-2 §§): when a document came in or was
// drawn up, the dnr, the sender or recipient, and what it is about. Nothing is
// deleted; a correction records who, when, why, before and after.
//
// Numbers: registerCase() draws the next number of the committee's series for
// the year of registration (Europe/Stockholm) inside the same store
// transaction that stores the case and its audit event. The store's single
// writer serialises those transactions, so numbers are unique and gap-free
// under any concurrency and across restarts; a refused registration is
// validated before any number is drawn and rolled back if anything fails, so
// it consumes none.
//
// Secrecy: a case or document may name the OSL provision and which fields are
// secret. Public views (publicView = true) mask those fields with the
// provision, never show a secret document's content, and search only text that
// is not secret.
//
// Thread-safe: all members may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kansli/access.h"
#include "kansli/audit.h"
#include "kansli/case.h"
#include "kansli/clock.h"
#include "kansli/error.h"
#include "kansli/organisation.h"
#include "kansli/sender.h"
#include "kansli/workflow.h"

namespace kansli::store {
class Store;
class Tx;
struct CaseListParams;
}  // namespace kansli::store

namespace kansli {

class JsonText;  // kansli/json_text.h

// Where a new case of a kind starts (kansli/workflow.h WorkflowSet::startFor,
// wired by kansli::Engine; a function here lets tests start cases on a
// workflow of their own).
using WorkflowStarter = std::function<Result<workflow::Start>(
    const std::string& kind, const std::string& received, const std::string& today)>;

struct DiariumOptions {
  // The largest document content (kansli serve --max-upload-mib).
  std::size_t max_document_bytes = 50 * 1024 * 1024;
  // Full-text search ranks its hits by relevance (bm25: subject over senders
  // over document titles) when the words match at most this many cases.
  // Beyond it the hits come newest first: ranking tens of thousands of hits
  // of a common word costs time in proportion to the hits (about 250 ms at
  // 100,000) and the order it gives among near-equal scores tells a
  // registrar less than recency does. A listing keeps the order of its first
  // page (the cursor carries it).
  std::size_t ranked_search_limit = 500;
};

// One row of an import (an old diarium), keeping its dnr.
struct ImportRow {
  int line = 0;
  std::string dnr;
  NewCase c;
  std::optional<std::string> state;  // defaults to the workflow's initial state
  std::optional<std::string> problem;  // set when the row could not even be read
};

// A case with its documents, as one viewer sees them (one snapshot).
struct CaseRecord {
  Case c;
  std::vector<Document> documents;
};

// Who drew up a document a case gets inside another service's change.
enum class DocumentOrigin {
  kRegistered,  // registered by a person, with the secrecy they gave it
  kDrawnUp,     // drawn up by the system (a workflow effect, a meeting's
                // extract, an expediering): it inherits the case's secrecy
};

class Diarium {
 public:
  Diarium(store::Store& store, const Clock& clock, const Organisation& org,
          WorkflowStarter starter, DiariumOptions options = {});

  // Validates everything (naming each bad field), then draws the dnr and
  // stores the case with its audit event in one transaction.
  Result<Case> registerCase(const NewCase& c, const audit::Actor& actor);
  Result<std::vector<FieldError>> validate(const NewCase& c) const;

  // --- Reads, as a viewer may see them (kansli/access.h) ---------------------
  // A case outside the viewer's sight is kNotFound. Secret parts are masked
  // unless the viewer may see them, and showing them writes the audit event
  // case.secret_read before anything is returned (a read that cannot be
  // logged fails). Each read takes one snapshot of the store.

  Result<Case> caseFor(std::int64_t id, const Viewer& viewer) const;
  // The case's documents (a secret document in an open case is a secret
  // part too).
  Result<std::vector<Document>> documentsFor(std::int64_t case_id, const Viewer& viewer) const;
  // Both at once: the public case page.
  Result<CaseRecord> recordFor(std::int64_t case_id, const Viewer& viewer) const;
  // A document's bytes and media type: a secret document's content is
  // kForbidden for those who see the case masked, and an audit event
  // (document.secret_read) for those who may read it.
  Result<std::pair<std::string, std::string>> documentContentFor(std::int64_t case_id, int number,
                                                                 const Viewer& viewer) const;
  // The cases the viewer sees, masked unless the viewer sees secret parts; a
  // masked listing searches only text that is not secret, so a secret word
  // finds nothing there. The public may not filter on unit or officer.
  Result<CasePage> listCases(const CaseQuery& q, const Viewer& viewer) const;
  // The case's audit events, oldest first. Their details carry before/after
  // values and document titles: of a case with anything secret they are
  // empty ({}) for those who see it masked.
  Result<std::vector<audit::Event>> history(std::int64_t case_id, const Viewer& viewer) const;

  // --- For the program's own commands (no access check; never a request's) ---
  Result<Case> getCase(std::int64_t id) const;
  // The dnr as people type it ("socn 2020/262" finds "SOCN 2020/262").
  Result<Case> getCaseByDnr(const std::string& dnr) const;

  // --- Changes ----------------------------------------------------------------
  // Registers a document in a case the author sees (kNotFound otherwise),
  // with its audit event.
  Result<Document> addDocument(std::int64_t case_id, const NewDocument& d, const User& author);
  // The one way a document enters a case, inside a write transaction another
  // change holds (addDocument, a workflow's register-document effect): draws
  // its number, stores it, and indexes the case again, so the document is
  // found by its title in the indexes its secrecy allows. A document drawn up
  // by the system inherits the case's secrecy (title and content), so a
  // secret subject in an automatic title ("Tjänsteskrivelse - <subject>")
  // never reaches the public index. Does not change the case's version nor
  // append an audit event: the caller's change does both.
  Result<Document> addDocumentIn(store::Tx& tx, const Case& c, Document d, DocumentOrigin origin,
                                 const std::optional<std::string>& content = std::nullopt,
                                 const std::optional<ContentSource>& stream = std::nullopt);
  // Corrects a case (the author must see it) and answers it as they see it.
  Result<Case> correct(std::int64_t case_id, const CaseCorrection& c, const User& author);
  Result<std::vector<Correction>> corrections(std::int64_t case_id) const;

  // Validates every row (returning the bad ones by line), then imports the
  // good ones in batches, reporting progress. With skip_bad false nothing is
  // imported when any row is bad.
  struct ImportReport {
    int imported = 0;
    std::vector<FieldError> bad_rows;  // field = "rad N"
  };
  Result<ImportReport> importRows(const std::vector<ImportRow>& rows, bool skip_bad,
                                  const audit::Actor& actor,
                                  const std::function<void(int done, int total)>& progress);

  // Masks what the public may not see ("Uppgift om avsändare omfattas av
  // sekretess enligt OSL 26 kap. 1 §").
  static Case maskForPublic(Case c);
  static Document maskForPublic(Document d);

  const Organisation& organisation() const { return org_; }

 private:
  struct ImportPlan;
  struct ListPlan;
  struct PageRows;
  // Writes the case's search rows; `new_case` for a case inserted in this
  // transaction, which has none to replace.
  Result<void> reindex(store::Tx& tx, const Case& c, const std::vector<Document>& docs,
                       bool new_case = false);
  Result<std::string> canonicalDnr(const std::string& dnr) const;
  // `q` is the listing's own copy: a dnr filter is made canonical in it, and
  // the plan's parameters point at it.
  Result<ListPlan> listPlan(CaseQuery& q, const CaseScope& scope, Instant now) const;
  static bool readCursor(const std::string& cursor, ListPlan& plan);
  Result<bool> numberHits(store::Tx& tx, ListPlan& plan, CaseQuery& words_query,
                          PageRows& out) const;
  Result<void> wordHits(store::Tx& tx, ListPlan& plan, const CaseQuery& words_query,
                        PageRows& out) const;
  Result<ImportPlan> planImport(const std::vector<ImportRow>& rows, const audit::Actor& actor,
                                Instant now) const;
  Result<ImportPlan> planImportIn(store::Tx& tx, const std::vector<ImportRow>& rows,
                                  const audit::Actor& actor, Instant now) const;
  Result<std::vector<FieldError>> importBatch(const ImportPlan& plan, std::size_t from,
                                              std::size_t to, bool skip_bad,
                                              const audit::Actor& actor, Instant now);

  store::Store& store_;
  const Clock& clock_;
  const Organisation& org_;
  WorkflowStarter starter_;
  DiariumOptions options_;
};

// JSON encodings shared by the audit details and the API.
std::string sendersJson(const std::vector<Sender>& senders);
// The same senders written into `j`: [{"name":…,"party":…,"organisation":…}],
// the optional members only when set.
void writeSendersJson(JsonText& j, const std::vector<Sender>& senders);
// {"provision":…,"fields":[…]}, and with `with_reason` "reason" when one was
// given: the reason is kept only in the registration's audit event, never
// in an answer.
void writeSecrecyJson(JsonText& j, const Secrecy& s, bool with_reason);

}  // namespace kansli
