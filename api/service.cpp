#include "service.h"

#include <filesystem>

#include "log.h"
#include "problem.h"

namespace kansli::api {

Service::Service(Engine& engine, ServiceConfig config)
    : engine_(engine), config_(std::move(config)) {
  const auto& ec = engine_.config();
  setServerPaths({ec.data_dir, ec.home, config_.home, ec.workflows_dir,
                  std::filesystem::path(ec.organisation_file).parent_path().string()});
  addRoutes();
}

Service::~Service() = default;

UserHandler handler(Service& s, UserRoute f) {
  return [&s, f](Request& req, const User& user) { return f(s, req, user); };
}

PublicHandler handler(Service& s, PublicRoute f) {
  return [&s, f](Request& req, const Visitor& visitor) { return f(s, req, visitor); };
}

void Service::addRoutes() {
  addSystemRoutes(router_, *this);
  addSessionRoutes(router_, *this);
  addCaseRoutes(router_, *this);
  addCaseworkRoutes(router_, *this);
  addMeetingRoutes(router_, *this);
  addWebRoutes(router_, *this);
  addUserRoutes(router_, *this);
  addMailRoutes(router_, *this);
}

namespace {

// The value of cookie `name` in a Cookie header ("a=1; kansli_session=xyz").
std::string cookieValue(const std::string& header, std::string_view name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    std::size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string_view part(header.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    pos = end + 1;
  }
  return {};
}

bool changesState(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace

Service::Caller Service::authenticate(Request& req, const Route& route) {
  std::string auth = req.header("authorization");
  std::string token;
  bool via_cookie = false;
  if (auth.rfind("Bearer ", 0) == 0) {
    token = auth.substr(7);
  } else if (auto c = cookieValue(req.header("cookie"), kSessionCookie); !c.empty()) {
    token = std::move(c);
    via_cookie = true;
  }
  if (token.empty()) return {};
  auto u = accounts().authenticate(token);
  if (!u) {
    if (u.error().code != ErrorCode::kUnauthenticated) return {{}, Response::problem(u.error())};
    if (route.access.anonymous) return {};  // a stale cookie on a public page
    auto res = Response::problem(u.error()).header("WWW-Authenticate", "Bearer");
    if (via_cookie) res.header("Set-Cookie", clearedSessionCookie());
    return {{}, std::move(res)};
  }
  req.caller = u->username;
  // A browser sends the cookie by itself, also on a request another site
  // made it send: every state-changing request must prove it comes from our
  // page with the session's CSRF token (SameSite=Strict is the second wall).
  if (via_cookie && changesState(req.method) &&
      !Accounts::csrfMatches(token, req.header("x-csrf-token"))) {
    auto res = Response::problem(Error::forbidden(
        "begäran saknar giltig CSRF-kod (X-CSRF-Token); ladda om sidan och försök igen"));
    auditRefusal(req, *u, res.status);
    return {std::move(*u), std::move(res)};
  }
  req.session_token = std::move(token);
  req.cookie_session = via_cookie;
  return {std::move(*u), std::nullopt};
}

std::string Service::sessionCookie(const std::string& token, Instant expires) const {
  long max_age = std::max<long>(0, static_cast<long>((expires - clock().now()).count()));
  return std::string(kSessionCookie) + "=" + token + "; Path=/; Max-Age=" +
         std::to_string(max_age) + "; HttpOnly; SameSite=Strict" +
         (config_.secure_cookies ? "; Secure" : "");
}

std::string Service::clearedSessionCookie() const {
  return std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" +
         (config_.secure_cookies ? "; Secure" : "");
}

void Service::auditRefusal(const Request& req, const User& user, int status) {
  auto detail = obj();
  detail.set("method", req.method);
  detail.set("route", req.route);
  detail.set("status", status);
  // Best effort: a refusal is answered even if the log cannot take it now.
  (void)engine_.database().record({user.actor(), "access.refused", std::nullopt, jsonText(detail)});
}

Response Service::dispatch(Request& req, const Route& route, const Caller& caller) {
  if (route.access.anonymous) {
    Visitor visitor;
    if (caller.user) visitor.role = caller.user->role;
    return route.for_anyone(req, visitor);
  }
  if (!caller.user) {  // Access::allows lets no one without a user this far
    return Response::problem(Error::unauthenticated("logga in först (Authorization: Bearer)"));
  }
  const User& user = *caller.user;
  Response res = route.for_user(req, user);
  if (res.status == 403) auditRefusal(req, user, res.status);
  return res;
}

Response Service::handle(Request& req) {
  std::map<std::string, std::string> params;
  Match m = router_.match(req.method, req.path, params);
  if (!m.route) {
    if (m.path_matched) {
      std::string allow;
      for (const auto& a : m.allowed_methods) allow += (allow.empty() ? "" : ", ") + a;
      return Response::problem(405, "metoden " + req.method + " stöds inte här; tillåtna: " + allow)
          .header("Allow", allow);
    }
    return Response::problem(404, "det finns ingen resurs på " + req.path);
  }
  req.params = std::move(params);
  req.route = m.route->pattern;

  Caller caller = authenticate(req, *m.route);
  if (caller.refusal) return *caller.refusal;
  if (!m.route->access.allows(caller.user)) {
    if (!caller.user) {
      return Response::problem(Error::unauthenticated("logga in först (Authorization: Bearer)"))
          .header("WWW-Authenticate", "Bearer");
    }
    auto res = Response::problem(Error::forbidden(
        "rollen " + std::string(roleName(caller.user->role)) + " får inte göra detta"));
    auditRefusal(req, *caller.user, res.status);
    return res;
  }
  try {
    return dispatch(req, *m.route, caller);
  } catch (const std::exception& e) {
    auto line = obj();
    line.set("level", "error");
    line.set("request_id", req.request_id);
    line.set("route", m.route->pattern);
    line.set("exception", e.what());
    logLine(line, true);
    return Response::problem(Error::internal("ett internt fel inträffade (" + req.request_id + ")"));
  }
}

}  // namespace kansli::api
