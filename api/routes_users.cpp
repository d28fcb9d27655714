// User administration for admins: GET/POST /api/v1/users,
// PATCH /api/v1/users/{username} (directory fields, role, unit, committee;
// disable: every open session ends at once), POST .../password-reset (a
// one-time password). Admin actions are audit events (written by Accounts).
//
// And what the web client's pickers read, for every signed-in user: the
// people directory (GET /api/v1/people: names, titles, roles, units; no
// contact details), the organisation's units (GET /api/v1/units) and the OSL
// provisions secrecy is marked with (GET /api/v1/secrecy-provisions).
#include <Poco/JSON/Array.h>

#include <algorithm>

#include "kansli/access.h"
#include "service.h"

namespace kansli::api {

namespace {

// "a,b" -> {"a","b"} (blanks trimmed, empty items dropped).
std::vector<std::string> commaList(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    std::string item = s.substr(start, end - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

Poco::JSON::Object userInfoJson(const UserInfo& i) {
  auto o = obj();
  o.set("id", i.user.id);
  o.set("username", i.user.username);
  o.set("name", i.user.display_name);
  o.set("role", std::string(roleName(i.user.role)));
  if (i.user.unit) o.set("unit", *i.user.unit);
  if (i.user.committee) o.set("committee", *i.user.committee);
  o.set("title", i.user.title);
  o.set("email", i.user.email);
  o.set("phone", i.user.phone);
  o.set("disabled", i.disabled);
  o.set("locked", i.locked);
  o.set("must_change_password", i.must_change_password);
  return o;
}

// The unit or committee field of a request: absent (nullopt), null (clear:
// an empty optional inside) or an id that must exist in the organisation.
std::optional<std::optional<std::string>> orgRef(const Poco::JSON::Object::Ptr& body,
                                                 const std::string& field, bool unit,
                                                 const Organisation& org,
                                                 std::vector<FieldError>& errors) {
  if (!body->has(field)) return std::nullopt;
  if (body->isNull(field)) return std::optional<std::string>{};
  auto v = stringField(body, field, errors, false, 64);
  if (!v) return std::nullopt;
  if (v->empty()) return std::optional<std::string>{};
  if (unit ? !org.unit(*v) : !org.committee(*v)) {
    errors.push_back({field, unit ? "enheten finns inte i organisationen"
                                  : "nämnden finns inte i organisationen"});
    return std::nullopt;
  }
  return std::optional<std::string>{*v};
}

}  // namespace

void addUserRoutes(Router& r, Service& s) {
  const Access admin = Access::roles_({Role::kAdmin});

  r.add("GET", "/api/v1/users", admin, [&s](Request&, const User&) {
    auto users = s.accounts().users();
    if (!users) return Response::problem(users.error());
    Poco::JSON::Array items;
    for (const auto& u : *users) items.add(userInfoJson(u));
    auto o = obj();
    o.set("items", items);
    return Response::json(200, o);
  });

  // The Location of a new user (POST answers it).
  r.add("GET", "/api/v1/users/{username}", admin, [&s](Request& req, const User&) {
    auto users = s.accounts().users();
    if (!users) return Response::problem(users.error());
    for (const auto& u : *users) {
      if (u.user.username == req.params.at("username")) return Response::json(200, userInfoJson(u));
    }
    return Response::problem(Error::notFound("användaren finns inte"));
  });

  r.add("POST", "/api/v1/users", admin, [&s](Request& req, const User& user) {
    auto body = parseJsonBody(req);
    if (!body) return Response::problem(body.error());
    std::vector<FieldError> errors;
    auto username = stringField(*body, "username", errors, true, 64);
    auto name = stringField(*body, "name", errors, false, 200);
    auto role = stringField(*body, "role", errors, true, 32);
    auto unit = stringField(*body, "unit", errors, false, 64);
    auto committee = stringField(*body, "committee", errors, false, 64);
    // Without a password the user gets a one-time password (answered once),
    // to be replaced at the first sign-in.
    auto password = stringField(*body, "password", errors, false, 1024);
    auto title = stringField(*body, "title", errors, false, 200);
    auto email = stringField(*body, "email", errors, false, 254);
    auto phone = stringField(*body, "phone", errors, false, 40);
    NewUser nu;
    if (role) {
      auto parsed = parseRole(*role);
      if (!parsed) errors.push_back({"role", "okänd roll: " + *role});
      else nu.role = *parsed;
    }
    if (unit && !s.organisation().unit(*unit)) {
      errors.push_back({"unit", "enheten finns inte i organisationen"});
    }
    if (committee && !s.organisation().committee(*committee)) {
      errors.push_back({"committee", "nämnden finns inte i organisationen"});
    }
    if (!errors.empty()) return Response::problem(Error::invalid("ogiltig användare", errors));
    nu.username = *username;
    nu.display_name = name.value_or("");
    nu.unit = unit;
    nu.committee = committee;
    nu.title = title.value_or("");
    nu.email = email.value_or("");
    nu.phone = phone.value_or("");
    std::string one_time;
    if (!password) {
      one_time = Accounts::oneTimePassword();
      nu.must_change_password = true;
    }
    auto added = s.accounts().addUser(nu, password ? *password : one_time, user.actor());
    if (!added) return Response::problem(added.error());
    auto o = userInfoJson({*added, false, false, nu.must_change_password});
    if (!one_time.empty()) o.set("one_time_password", one_time);
    return Response::json(201, o)
        .header("Location", "/api/v1/users/" + added->username)
        .header("Cache-Control", "no-store");
  });

  r.add("PATCH", "/api/v1/users/{username}", admin, [&s](Request& req, const User& user) {
    auto body = parseJsonBody(req);
    if (!body) return Response::problem(body.error());
    std::vector<FieldError> errors;
    UserUpdate up;
    up.display_name = stringField(*body, "name", errors, false, 200);
    up.title = stringField(*body, "title", errors, false, 200);
    up.email = stringField(*body, "email", errors, false, 254);
    up.phone = stringField(*body, "phone", errors, false, 40);
    if (auto role = stringField(*body, "role", errors, false, 32)) {
      up.role = parseRole(*role);
      if (!up.role) errors.push_back({"role", "okänd roll: " + *role});
    }
    up.unit = orgRef(*body, "unit", true, s.organisation(), errors);
    up.committee = orgRef(*body, "committee", false, s.organisation(), errors);
    auto disabled = boolField(*body, "disabled", errors, false);
    const bool changes = up.display_name || up.title || up.email || up.phone || up.role ||
                         up.unit || up.committee;
    if (errors.empty() && !changes && !disabled) {
      errors.push_back({"disabled", "ange vad som ska ändras"});
    }
    if (!errors.empty()) return Response::problem(Error::invalid("ange vad som ska ändras", errors));
    const std::string& username = req.params.at("username");
    std::optional<UserInfo> info;
    if (changes) {
      auto updated = s.accounts().updateUser(username, up, user.actor());
      if (!updated) return Response::problem(updated.error());
      info = *updated;
    }
    if (disabled) {
      auto set = s.accounts().setDisabled(username, *disabled, user.actor());
      if (!set) return Response::problem(set.error());
      info = *set;
    }
    return Response::json(200, userInfoJson(*info));
  });

  r.add("POST", "/api/v1/users/{username}/password-reset", admin,
        [&s](Request& req, const User& user) {
    auto password = s.accounts().resetPassword(req.params.at("username"), user.actor());
    if (!password) return Response::problem(password.error());
    auto o = obj();
    o.set("username", req.params.at("username"));
    o.set("one_time_password", *password);
    return Response::json(200, o).header("Cache-Control", "no-store");
  });

  r.add("GET", "/api/v1/people", Access::signedIn(), [&s](Request& req, const User&) {
    const Organisation& org = s.organisation();
    std::vector<FieldError> errors;
    std::vector<Role> roles;
    if (auto v = req.queryParam("role")) {
      for (const auto& name : commaList(*v)) {
        if (auto role = parseRole(name)) {
          roles.push_back(*role);
        } else {
          errors.push_back({"role", "okänd roll: " + name});
        }
      }
    }
    auto unit = req.queryParam("unit");
    if (unit && !unit->empty() && !org.unit(*unit)) {
      errors.push_back({"unit", "enheten finns inte i organisationen"});
    }
    auto committee = req.queryParam("committee");
    if (committee && !committee->empty() && !org.committee(*committee)) {
      errors.push_back({"committee", "nämnden finns inte i organisationen"});
    }
    if (!errors.empty()) return Response::problem(Error::invalid("ogiltiga sökvillkor", errors));
    auto users = s.accounts().users();
    if (!users) return Response::problem(users.error());
    Poco::JSON::Array items;
    for (const auto& i : *users) {
      const User& u = i.user;
      if (!roles.empty() && std::find(roles.begin(), roles.end(), u.role) == roles.end()) continue;
      // A unit's people: those of the unit, the units within it and above it
      // (an officer of "bfe-kvalitet" works on the cases of "bfe").
      if (unit && !unit->empty() && (!u.unit || !unitsRelated(org, *u.unit, *unit))) continue;
      if (committee && !committee->empty() && u.committee != *committee) continue;
      auto o = obj();
      o.set("username", u.username);
      o.set("name", u.display_name);
      o.set("title", u.title);
      o.set("role", std::string(roleName(u.role)));
      if (u.unit) o.set("unit", *u.unit);
      if (u.committee) o.set("committee", *u.committee);
      o.set("active", !i.disabled);
      items.add(o);
    }
    auto o = obj();
    o.set("items", items);
    return Response::json(200, o);
  });

  r.add("GET", "/api/v1/units", Access::signedIn(), [&s](Request& req, const User&) {
    const Organisation& org = s.organisation();
    auto committee = req.queryParam("committee");
    if (committee && !committee->empty() && !org.committee(*committee)) {
      return Response::problem(Error::invalid(
          "ogiltiga sökvillkor", {{"committee", "nämnden finns inte i organisationen"}}));
    }
    Poco::JSON::Array items;
    for (const Unit& u : org.units) {
      if (committee && !committee->empty() && u.committee != *committee) continue;
      auto o = obj();
      o.set("id", u.id);
      o.set("name", u.name);
      if (!u.parent.empty()) o.set("parent", u.parent);
      if (!u.committee.empty()) o.set("committee", u.committee);
      items.add(o);
    }
    auto o = obj();
    o.set("items", items);
    return Response::json(200, o);
  });

  r.add("GET", "/api/v1/secrecy-provisions", Access::signedIn(), [&s](Request&, const User&) {
    Poco::JSON::Array items;
    for (const auto& p : s.organisation().secrecy_provisions) {
      auto o = obj();
      o.set("provision", p.provision);
      o.set("description", p.description);
      items.add(o);
    }
    auto o = obj();
    o.set("items", items);
    return Response::json(200, o);
  });
}

}  // namespace kansli::api
