// Engine-private: kansli/access.h applied to what a service loads, inside
// the service's one read (or write) transaction. Every service that shows a
// case, or anything of it, reads it through seeCase, so the rules are applied
// in one place and before anything leaves the engine.
#pragma once

#include <cstdint>
#include <vector>

#include "kansli/access.h"
#include "kansli/case.h"
#include "kansli/clock.h"
#include "kansli/error.h"
#include "kansli/organisation.h"

namespace kansli::store {
class Store;
class Tx;
}  // namespace kansli::store

namespace kansli {

// A case as one viewer sees it.
struct SeenCase {
  Case c;       // masked unless sight is kFull
  Sight sight;  // kMasked or kFull (a hidden case is kNotFound)
  // The unmasked case, for the service's own decisions (never shown).
  Case stored;
};

// Loads case `id` and applies the viewer's sight: kNotFound when it does not
// exist or the viewer may not see it.
Result<SeenCase> seeCase(store::Tx& tx, std::int64_t id, const Viewer& viewer,
                         const Organisation& org);
// The same for a read that only shows the case and decides nothing on it
// (Diarium::caseFor): no unmasked copy is kept beside it.
struct ShownCase {
  Case c;       // masked unless sight is kFull
  Sight sight;  // kMasked or kFull
};
Result<ShownCase> shownCase(store::Tx& tx, std::int64_t id, const Viewer& viewer,
                            const Organisation& org);
// The case's documents as `sight` shows them.
std::vector<Document> seeDocuments(std::vector<Document> docs, Sight sight);
// Whether showing `c` and `docs` in full shows a secret part.
bool holdsSecret(const Case& c, const std::vector<Document>& docs);

// Refuses `username` as the officer of a case of `committee` unless it is an
// enabled user who mayBeOfficerOf() it: 400 for an unknown user, 422 for one
// the rule refuses, both naming the field "officer".
Result<void> checkOfficer(store::Tx& tx, const std::string& username, const std::string& committee,
                          const Organisation& org);
// Refuses `unit` as the unit handling a case of `committee` unless the unit
// works for that committee (its own or inherited committee attribute): 422
// naming the field "unit". Its staff see the case in full, and only they may
// be its officer (mayBeOfficerOf), so a unit of another committee would both
// see a secret case it has no part in and leave the case without an officer.
Result<void> checkCaseUnit(const std::string& unit, const std::string& committee,
                           const Organisation& org);

// Writes case.secret_read for each case, as `viewer`, in one write of its
// own. Callers show nothing when it fails: no unlogged secret read.
Result<void> recordSecretReads(store::Store& store, Instant at, const Viewer& viewer,
                               const std::vector<std::int64_t>& case_ids);
// The same inside a write transaction the caller holds.
Result<void> recordSecretReadsIn(store::Tx& tx, Instant at, const Viewer& viewer,
                                 const std::vector<std::int64_t>& case_ids);

}  // namespace kansli
