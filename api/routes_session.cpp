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
  o.set("title", u.title);
  o.set("email", u.email);
  o.set("phone", u.phone);
  return o;
}
}  // namespace

void addSessionRoutes(Router& r, Service& s) {
  r.addPublic("POST", "/api/v1/session", [&s](Request& req, const Visitor&) {
    auto body = parseJsonBody(req);
    if (!body) return Response::problem(body.error());
    std::vector<FieldError> errors;
    auto username = stringField(*body, "username", errors, true, 64);
    auto password = stringField(*body, "password", errors, true, 1024);
    // "cookie": true asks for a browser session: the token goes into an
    // HttpOnly cookie that page scripts cannot read, and the answer carries
    // the CSRF token the page must send back on every change instead.
    bool cookie = boolField(*body, "cookie", errors).value_or(false);
    if (!errors.empty()) return Response::problem(Error::invalid("inloggningen är ofullständig", errors));
    auto session = s.accounts().signIn(*username, *password);
    if (!session) {
      auto res = Response::problem(session.error());
      if (session.error().code == ErrorCode::kTooManyRequests) {
        res.header("Retry-After",
                   std::to_string(std::max(1L, s.accounts().secondsBeforeNextTry(*username))));
      }
      return res;
    }
    auto o = obj();
    if (!cookie) o.set("token", session->token);
    o.set("expires", formatInstant(session->expires));
    o.set("user", userJson(session->user));
    if (cookie) o.set("csrf_token", Accounts::csrfToken(session->token));
    auto res = Response::json(201, o).header("Cache-Control", "no-store");
    if (cookie) res.header("Set-Cookie", s.sessionCookie(session->token, session->expires));
    return res;
  });
  r.add("DELETE", "/api/v1/session", Access::signedIn(), [&s](Request& req, const User&) {
    auto out = s.accounts().signOut(req.session_token);
    if (!out) return Response::problem(out.error());
    Response res;
    res.status = 204;
    if (req.cookie_session) res.header("Set-Cookie", s.clearedSessionCookie());
    return res;
  });
  // Re-authentication before a justering: the password again. It holds for
  // the session for five minutes (kansli/meetings.h Meetings::attest).
  r.add("POST", "/api/v1/session/confirm", Access::signedIn(), [&s](Request& req, const User&) {
    auto body = parseJsonBody(req);
    if (!body) return Response::problem(body.error());
    std::vector<FieldError> errors;
    auto password = stringField(*body, "password", errors, true, 1024);
    if (!errors.empty()) return Response::problem(Error::invalid("ange ditt lösenord", errors));
    auto at = s.accounts().confirmPassword(req.session_token, *password);
    if (!at) return Response::problem(at.error());
    auto o = obj();
    o.set("confirmed_at", formatInstant(*at));
    o.set("valid_until", formatInstant(*at + kConfirmationValidity));
    o.set("method", "lösenord");
    return Response::json(200, o).header("Cache-Control", "no-store");
  });
  r.add("GET", "/api/v1/me", Access::signedIn(), [](Request& req, const User& user) {
    auto o = userJson(user);
    // A reloaded page learns its CSRF token again here (the cookie is HttpOnly).
    if (req.cookie_session) o.set("csrf_token", Accounts::csrfToken(req.session_token));
    return Response::json(200, o).header("Cache-Control", "no-store");
  });
}

}  // namespace kansli::api
