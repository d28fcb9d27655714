// Sign-in and sign-out: POST/DELETE /api/v1/session, GET /api/v1/me.
#include "service.h"

namespace kansli::api {

namespace {
Poco::JSON::Object userJson(const User& u) {
  auto o = obj();
  o.set("id", u.id);
  o.set("username", u.username);
  o.set("name", u.display_name);
  o.set("role", std::string(roleName(u.role)));
  if (u.unit) o.set("unit", *u.unit);
  if (u.committee) o.set("committee", *u.committee);
  return o;
}
}  // namespace

void addSessionRoutes(Router& r, Service& s) {
  r.add("POST", "/api/v1/session", Access::publicRoute(), [&s](Request& req) {
    auto body = parseJsonBody(req);
    if (!body) return Response::problem(body.error());
    std::vector<FieldError> errors;
    auto username = stringField(*body, "username", errors, true, 64);
    auto password = stringField(*body, "password", errors, true, 1024);
    if (!errors.empty()) return Response::problem(Error::invalid("inloggningen är ofullständig", errors));
    auto session = s.accounts().signIn(*username, *password);
    if (!session) {
      auto res = Response::problem(session.error());
      if (session.error().code == ErrorCode::kTooManyRequests) {
        // An upper bound: the lock may have begun a while ago.
        res.header("Retry-After", std::to_string(s.config().accounts.lockout.count()));
      }
      return res;
    }
    auto o = obj();
    o.set("token", session->token);
    o.set("expires", formatInstant(session->expires));
    o.set("user", userJson(session->user));
    return Response::json(201, o).header("Cache-Control", "no-store");
  });
  r.add("DELETE", "/api/v1/session", Access::signedIn(), [&s](Request& req) {
    auto out = s.accounts().signOut(req.header("authorization").substr(7));
    if (!out) return Response::problem(out.error());
    Response res;
    res.status = 204;
    return res;
  });
  r.add("GET", "/api/v1/me", Access::signedIn(), [](Request& req) {
    return Response::json(200, userJson(*req.user));
  });
}

}  // namespace kansli::api
