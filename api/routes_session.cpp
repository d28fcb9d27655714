// Sign-in and sign-out: POST/DELETE /api/v1/session, GET /api/v1/me; and
// what every user does with their own account: change the password
// (POST /api/v1/me/password), see their sessions and end one
// (GET /api/v1/me/sessions, DELETE /api/v1/me/sessions/{id}).
#include <Poco/JSON/Array.h>

#include <algorithm>

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
    // A one-time password is replaced in the same step (403 naming
    // new_password when it is missing).
    SignInOptions options;
    options.new_password = stringField(*body, "new_password", errors, false, 1024);
    options.client = req.header("user-agent");
    if (!errors.empty()) return Response::problem(Error::invalid("inloggningen är ofullständig", errors));
    auto session = s.accounts().signIn(*username, *password, options);
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

  r.add("POST", "/api/v1/me/password", Access::signedIn(), [&s](Request& req, const User& user) {
    auto body = parseJsonBody(req);
    if (!body) return Response::problem(body.error());
    std::vector<FieldError> errors;
    auto current = stringField(*body, "current_password", errors, true, 1024);
    auto next = stringField(*body, "new_password", errors, true, 1024);
    if (!errors.empty()) return Response::problem(Error::invalid("lösenordet kunde inte bytas", errors));
    auto done = s.accounts().changePassword(user, *current, *next, req.session_token);
    if (!done) return Response::problem(done.error());
    Response res;
    res.status = 204;
    return res;
  });

  r.add("GET", "/api/v1/me/sessions", Access::signedIn(), [&s](Request& req, const User& user) {
    auto list = s.accounts().sessions(user, req.session_token);
    if (!list) return Response::problem(list.error());
    Poco::JSON::Array items;
    for (const auto& i : *list) {
      auto o = obj();
      o.set("id", i.id);
      o.set("created_at", i.created_at);
      o.set("expires_at", i.expires_at);
      o.set("client", i.client);
      o.set("current", i.current);
      items.add(o);
    }
    auto o = obj();
    o.set("items", items);
    return Response::json(200, o).header("Cache-Control", "no-store");
  });

  r.add("DELETE", "/api/v1/me/sessions/{id}", Access::signedIn(), [&s](Request& req, const User& user) {
    auto done = s.accounts().endSession(user, req.params.at("id"));
    if (!done) return Response::problem(done.error());
    Response res;
    res.status = 204;
    // Ending the session the request came with signs this browser out.
    if (req.cookie_session) {
      auto list = s.accounts().sessions(user, req.session_token);
      if (list && std::none_of(list->begin(), list->end(), [](const SessionInfo& i) { return i.current; })) {
        res.header("Set-Cookie", s.clearedSessionCookie());
      }
    }
    return res;
  });
}

}  // namespace kansli::api
