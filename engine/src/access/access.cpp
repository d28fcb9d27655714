#include "kansli/access.h"

#include "kansli/diarium.h"

namespace kansli {

Viewer::Viewer(const User& user) : kind_(Kind::kUser), user_(user) {}
Viewer Viewer::anonymous() { return Viewer(Kind::kPublic); }
Viewer Viewer::system() { return Viewer(Kind::kSystem); }

audit::Actor Viewer::actor() const {
  if (const User* u = user()) return u->actor();
  return audit::Actor::system();
}

bool unitsRelated(const Organisation& org, const std::string& a, const std::string& b) {
  auto within = [&](std::string inner, const std::string& outer) {
    for (int depth = 0; depth < 32 && !inner.empty(); ++depth) {
      if (inner == outer) return true;
      const Unit* u = org.unit(inner);
      if (!u) return false;
      inner = u->parent;
    }
    return false;
  };
  return within(a, b) || within(b, a);
}

CaseScope caseScope(const Viewer& viewer, const Organisation& org) {
  CaseScope s;
  const User* signed_in = viewer.user();
  if (!signed_in) {
    s.full = viewer.isSystem();  // every case; the public masked
    return s;
  }
  const User& user = *signed_in;
  switch (user.role) {
    case Role::kRegistrator:
    case Role::kAdmin:
      return s;  // every case, masked
    case Role::kHandlaggare:
    case Role::kEnhetschef: {
      std::vector<std::string> units;
      if (user.unit) {
        for (const auto& u : org.units) {
          if (unitsRelated(org, u.id, *user.unit)) units.push_back(u.id);
        }
      }
      s.units = std::move(units);
      s.officer = user.username;
      s.full = true;
      return s;
    }
    case Role::kNamndsekreterare:
      s.committee = user.committee;
      s.full = true;
      return s;
    case Role::kLedamot:
      if (!user.committee) s.nothing = true;
      s.committee = user.committee;
      return s;
  }
  s.nothing = true;
  return s;
}

Sight caseSight(const Viewer& viewer, const Case& c, const Organisation& org) {
  CaseScope s = caseScope(viewer, org);
  if (s.nothing) return Sight::kHidden;
  if (s.committee && c.committee != *s.committee) return Sight::kHidden;
  if (s.units) {
    bool ours = (c.unit && std::find(s.units->begin(), s.units->end(), *c.unit) != s.units->end()) ||
                (c.officer && s.officer && *c.officer == *s.officer);
    if (!ours) return Sight::kHidden;
  }
  return s.full ? Sight::kFull : Sight::kMasked;
}

CommitteeWork committeeWork(const Viewer& viewer, const Organisation& org) {
  const User* signed_in = viewer.user();
  if (!signed_in) return {viewer.isSystem(), std::nullopt};
  const User& user = *signed_in;
  switch (user.role) {
    case Role::kRegistrator:
      return {true, {}};
    case Role::kNamndsekreterare:
      return {!user.committee, user.committee};
    case Role::kLedamot:
      return {false, user.committee};
    case Role::kHandlaggare:
    case Role::kEnhetschef: {
      const Unit* u = user.unit ? org.unit(*user.unit) : nullptr;
      if (!u || u->committee.empty()) return {};
      return {false, u->committee};
    }
    case Role::kAdmin:
      return {};
  }
  return {};
}

bool seesCommitteeWork(const Viewer& viewer, const std::string& committee,
                       const Organisation& org) {
  CommitteeWork w = committeeWork(viewer, org);
  return w.all || (w.committee && *w.committee == committee);
}

}  // namespace kansli
