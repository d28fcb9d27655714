// Who may see which case, and how much of it: the object-level read rules,
// in one place, for every route that shows a case or something of it
// (documents, memo, history, agendas, decisions).
//
//   role               sees the cases of                           secret parts
//   registrator        every committee (registers and corrects)    masked
//   handlaggare,       their unit, the units above and below it,   shown
//   enhetschef         and the cases assigned to them
//   namndsekreterare   their committee (every one when unbound)    shown
//   ledamot            their committee (none when unbound)         masked
//   admin              every committee                             masked
//
// A case outside the caller's sight is "not found" (404), so its existence
// does not leak. "Secret parts" are what the case's or a document's secrecy
// names (OSL): shown only to the case's unit and the committee's secretary,
// and every such showing is an audit event (case.secret_read). Everyone else
// sees them masked as the public does. The rules follow GUIDE.md's roles and
// docs/security.md, which has the same table.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kansli/accounts.h"
#include "kansli/organisation.h"

namespace kansli {

struct Case;

enum class Sight {
  kHidden,  // not found, as if it did not exist
  kMasked,  // seen, secret parts masked as for the public
  kFull,    // seen with its secret parts
};

// The set of cases a user sees, as filters a list query adds. Computed from
// the same rules as caseSight(), so a list shows exactly the cases that
// caseSight() does not hide.
struct CaseScope {
  bool nothing = false;                    // sees no case at all
  std::optional<std::string> committee;    // only this committee's cases
  std::optional<std::vector<std::string>> units;  // only cases of these units ...
  std::optional<std::string> officer;      // ... or assigned to this username
  bool full = false;  // every case in scope is seen with its secret parts
};

// Whether unit `a` is `b` or one lies within the other: an officer of
// "bfe-kvalitet" works on cases of "bfe", and the head of "bfe" on both.
bool unitsRelated(const Organisation& org, const std::string& a, const std::string& b);

CaseScope caseScope(const User& user, const Organisation& org);
Sight caseSight(const User& user, const Case& c, const Organisation& org);

// Meetings, agendas and decisions of a committee: secretaries and members of
// that committee (every committee when a secretary is unbound), registrators,
// and unit staff of a unit that works for it; admins see them once public.
bool seesCommitteeWork(const User& user, const std::string& committee, const Organisation& org);
// The committees whose work (unattested decisions, meetings) `user` sees:
// every one (all = true), or at most the one in `committee`.
struct CommitteeWork {
  bool all = false;
  std::optional<std::string> committee;
};
CommitteeWork committeeWork(const User& user, const Organisation& org);

}  // namespace kansli
