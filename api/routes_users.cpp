// User administration for admins: GET/POST /api/v1/users,
// PATCH /api/v1/users/{username} (disable: every open session ends at once).
// Admin actions are audit events (written by Accounts).
#include "service.h"

namespace kansli::api {

namespace {

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
  return o;
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
    auto password = stringField(*body, "password", errors, true, 1024);
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
    auto added = s.accounts().addUser(nu, *password, user.actor());
    if (!added) return Response::problem(added.error());
    return Response::json(201, userInfoJson({*added, false, false}))
        .header("Location", "/api/v1/users/" + added->username);
  });

  r.add("PATCH", "/api/v1/users/{username}", admin, [&s](Request& req, const User& user) {
    auto body = parseJsonBody(req);
    if (!body) return Response::problem(body.error());
    std::vector<FieldError> errors;
    auto disabled = boolField(*body, "disabled", errors, true);
    if (!disabled) return Response::problem(Error::invalid("ange vad som ska ändras", errors));
    auto info = s.accounts().setDisabled(req.params.at("username"), *disabled, user.actor());
    if (!info) return Response::problem(info.error());
    return Response::json(200, userInfoJson(*info));
  });
}

}  // namespace kansli::api
