#include "service.h"

#include "log.h"

namespace kansli::api {

Service::Service(ServiceConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(clock) {}

Service::~Service() = default;

Result<std::unique_ptr<Service>> Service::open(const ServiceConfig& config, const Clock& clock) {
  std::unique_ptr<Service> s(new Service(config, clock));
  auto st = store::Store::open({.path = config.data_dir + "/kansli.db", .readers = config.readers});
  if (!st) return std::unexpected(st.error());
  s->store_ = std::move(*st);
  s->accounts_ = std::make_unique<Accounts>(*s->store_, clock, config.accounts);
  s->addRoutes();
  return s;
}

void Service::addRoutes() {
  addSystemRoutes(router_, *this);
  addSessionRoutes(router_, *this);
}

std::string Service::routeLabel(const Request& req) {
  auto it = req.headers.find(":route");
  return it == req.headers.end() ? std::string() : it->second;
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
  req.headers[":route"] = m.route->pattern;

  std::string auth = req.header("authorization");
  if (auth.rfind("Bearer ", 0) == 0) {
    auto u = accounts_->authenticate(auth.substr(7));
    if (!u) {
      if (u.error().code != ErrorCode::kUnauthenticated) return Response::problem(u.error());
      if (!m.route->access.anonymous) {
        return Response::problem(u.error()).header("WWW-Authenticate", "Bearer");
      }
    } else {
      req.user = *u;
    }
  }
  if (!m.route->access.allows(req.user)) {
    if (!req.user) {
      return Response::problem(Error::unauthenticated("logga in först (Authorization: Bearer)"))
          .header("WWW-Authenticate", "Bearer");
    }
    return Response::problem(Error::forbidden("rollen " + std::string(roleName(req.user->role)) +
                                              " får inte göra detta"));
  }
  try {
    return m.route->handler(req);
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
