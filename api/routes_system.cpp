// GET /health and GET /metrics: for load balancers and Prometheus.
// /health answers anyone. /metrics tells request counts per route and the
// database's size: it answers a scraper on the same machine (loopback) or a
// signed-in admin, and is "not found" to everyone else.
#include "mail_worker.h"
#include "service.h"

namespace kansli::api {

void addSystemRoutes(Router& r, Service& s) {
  r.add("GET", "/health", Access::publicRoute(), [&s](Request&) {
    auto o = obj();
    o.set("status", "ok");
    o.set("version", KANSLI_VERSION);
    o.set("schema", s.engine().database().schemaVersion());
    o.set("time", formatInstant(s.clock().now()));
    // E-mail (expediering, reminders): whether it is configured, and whether
    // the last deliveries went through. Without --smtp-host nothing is sent;
    // extracts wait on the secretary's list.
    auto mail = obj();
    mail.set("configured", s.mailWorker() != nullptr);
    if (s.mailWorker()) mail.set("delivering", s.mailWorker()->state().delivering_ok);
    o.set("mail", mail);
    return Response::json(200, o);
  });
  r.add("GET", "/metrics", Access::publicRoute(), [&s](Request& req) {
    if (!req.from_loopback && !(req.user && req.user->role == Role::kAdmin)) {
      return Response::problem(Error::notFound("det finns ingen resurs på /metrics"));
    }
    Response res;
    res.content_type = "text/plain; version=0.0.4; charset=utf-8";
    res.body = s.metrics().render(s.engine().database().sizeBytes(), 0);
    return res;
  });
}

}  // namespace kansli::api
