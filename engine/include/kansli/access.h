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
//   the public         every case (the public diarium)              masked
//   the program        every case (an operator's command)          shown
//
// A case outside the caller's sight is kNotFound, so its existence does not
// leak. "Secret parts" are what the case's or a document's secrecy names
// (OSL): shown only to the case's unit and the committee's secretary, and
// every such showing is an audit event (case.secret_read). Everyone else
// sees them masked as the public does. The rules follow GUIDE.md's roles and
// docs/security.md, which has the same table.
//
// The engine's reads take a Viewer: who reads decides what comes back, in
// the service, once; no caller masks or filters afterwards.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kansli/accounts.h"
#include "kansli/organisation.h"

namespace kansli {

struct Case;

// Who reads: a signed-in user, the public (an anonymous caller: there is no
// user to act as), or the program itself (an operator's command such as
// `kansli render`: full sight, logged as the actor "system"). Cheap to copy.
class Viewer {
 public:
  // A signed-in user (implicit: a User is a viewer with that user's sight).
  Viewer(const User& user);  // NOLINT(google-explicit-constructor)
  static Viewer anonymous();
  static Viewer system();

  bool isPublic() const { return kind_ == Kind::kPublic; }
  bool isSystem() const { return kind_ == Kind::kSystem; }
  // The user behind a signed-in viewer; nullptr for the public and the program.
  const User* user() const { return kind_ == Kind::kUser ? &user_ : nullptr; }
  // Who a secret read is logged as (never called for the public, who never
  // sees a secret part).
  audit::Actor actor() const;

 private:
  enum class Kind { kUser, kPublic, kSystem };
  explicit Viewer(Kind kind) : kind_(kind) {}
  Kind kind_;
  User user_;
};

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

CaseScope caseScope(const Viewer& viewer, const Organisation& org);
Sight caseSight(const Viewer& viewer, const Case& c, const Organisation& org);

// Meetings, agendas and decisions of a committee: secretaries and members of
// that committee (every committee when a secretary is unbound), registrators,
// and unit staff of a unit that works for it; admins see them once public.
// The public and admins see none of it before it is attested (and public).
bool seesCommitteeWork(const Viewer& viewer, const std::string& committee,
                       const Organisation& org);
// The committees whose work (unattested decisions, meetings) `viewer` sees:
// every one (all = true), or at most the one in `committee`.
struct CommitteeWork {
  bool all = false;
  std::optional<std::string> committee;
};
CommitteeWork committeeWork(const Viewer& viewer, const Organisation& org);

}  // namespace kansli
