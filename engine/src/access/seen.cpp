#include "access/seen.h"

#include <algorithm>

#include "kansli/audit.h"
#include "kansli/diarium.h"
#include "kansli/role.h"
#include "store/accounts_repo.h"
#include "store/diarium_repo.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {

namespace {

// The stored case and the viewer's sight of it; kNotFound when it does not
// exist or the viewer may not see it.
Result<std::pair<Case, Sight>> caseInSight(store::Tx& tx, std::int64_t id, const Viewer& viewer,
                                           const Organisation& org) {
  KANSLI_ASSIGN_OR_RETURN(auto found, tx.diarium().caseById(id));
  if (!found) return std::unexpected(Error::notFound("ärendet finns inte"));
  Sight sight = caseSight(viewer, *found, org);
  if (sight == Sight::kHidden) return std::unexpected(Error::notFound("ärendet finns inte"));
  return std::pair{std::move(*found), sight};
}

}  // namespace

Result<SeenCase> seeCase(store::Tx& tx, std::int64_t id, const Viewer& viewer,
                         const Organisation& org) {
  KANSLI_ASSIGN_OR_RETURN(auto seen, caseInSight(tx, id, viewer, org));
  auto& [stored, sight] = seen;
  Case shown = sight == Sight::kFull ? stored : Diarium::maskForPublic(stored);
  return SeenCase{std::move(shown), sight, std::move(stored)};
}

Result<ShownCase> shownCase(store::Tx& tx, std::int64_t id, const Viewer& viewer,
                            const Organisation& org) {
  KANSLI_ASSIGN_OR_RETURN(auto seen, caseInSight(tx, id, viewer, org));
  auto& [stored, sight] = seen;
  if (sight == Sight::kFull) return ShownCase{std::move(stored), sight};
  return ShownCase{Diarium::maskForPublic(std::move(stored)), sight};
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

Result<void> checkOfficer(store::Tx& tx, const std::string& username, const std::string& committee,
                          const Organisation& org) {
  KANSLI_ASSIGN_OR_RETURN(auto u, tx.accounts().userByName(username));
  if (!u || u->disabled) {
    return std::unexpected(
        Error::invalid("okänd handläggare", {{"officer", "ingen användare " + username}}));
  }
  User user;
  user.username = u->username;
  user.role = parseRole(u->role).value_or(Role::kLedamot);
  user.unit = u->unit;
  user.committee = u->committee;
  if (!mayBeOfficerOf(user, committee, org)) {
    // A well-formed request the rule refuses: 422, naming the field.
    Error e = Error::unprocessable("kan inte vara handläggare för ärendet");
    e.fields = {{"officer", username + " är inte handläggare vid en enhet som arbetar för nämnden " +
                                committee}};
    return std::unexpected(e);
  }
  return ok();
}

Result<void> checkCaseUnit(const std::string& unit, const std::string& committee,
                           const Organisation& org) {
  const Unit* u = org.unit(unit);
  if (u && u->committee == committee) return ok();
  const Committee* cm = org.committee(committee);
  Error e = Error::unprocessable("enheten kan inte handlägga ärendet");
  e.fields = {{"unit", (u ? u->name : unit) + " arbetar inte för " + (cm ? cm->name : committee)}};
  return std::unexpected(e);
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
