#include "access/seen.h"

#include <algorithm>

#include "kansli/audit.h"
#include "kansli/diarium.h"
#include "store/diarium_repo.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {

Result<SeenCase> seeCase(store::Tx& tx, std::int64_t id, const Viewer& viewer,
                         const Organisation& org) {
  KANSLI_ASSIGN_OR_RETURN(auto found, tx.diarium().caseById(id));
  if (!found) return std::unexpected(Error::notFound("ärendet finns inte"));
  Sight sight = caseSight(viewer, *found, org);
  if (sight == Sight::kHidden) return std::unexpected(Error::notFound("ärendet finns inte"));
  Case shown = sight == Sight::kFull ? *found : Diarium::maskForPublic(*found);
  return SeenCase{std::move(shown), sight, std::move(*found)};
}

std::vector<Document> seeDocuments(std::vector<Document> docs, Sight sight) {
  if (sight == Sight::kFull) return docs;
  for (auto& d : docs) d = Diarium::maskForPublic(std::move(d));
  return docs;
}

bool holdsSecret(const Case& c, const std::vector<Document>& docs) {
  return c.secrecy || std::any_of(docs.begin(), docs.end(),
                                  [](const Document& d) { return d.secrecy.has_value(); });
}

Result<void> recordSecretReadsIn(store::Tx& tx, Instant at, const Viewer& viewer,
                                 const std::vector<std::int64_t>& case_ids) {
  for (auto id : case_ids) {
    KANSLI_TRY(audit::appendAudit(tx, at, {viewer.actor(), "case.secret_read", id, "{}"}));
  }
  return ok();
}

Result<void> recordSecretReads(store::Store& store, Instant at, const Viewer& viewer,
                               const std::vector<std::int64_t>& case_ids) {
  if (case_ids.empty()) return ok();
  return store.write(
      [&](store::Tx& tx) { return recordSecretReadsIn(tx, at, viewer, case_ids); });
}

}  // namespace kansli
