// GET /health and GET /metrics: for load balancers and Prometheus.
// /health answers anyone. /metrics tells request counts per route and the
// database's size: it answers a signed-in admin, and anyone on the separate
// metrics listener (`kansli serve --metrics-bind`, meant for the scraper's
// network only); to everyone else it is "not found". Loopback alone is not
// trusted: a reverse proxy on the same host makes every caller loopback.
#include <Poco/JSON/Array.h>

#include "mail_worker.h"
#include "service.h"

namespace kansli::api {

void addSystemRoutes(Router& r, Service& s) {
  // 503 "degraded" while writes fail for want of disk space, so a load
  // balancer or a monitor sees it before the users do.
  r.addPublic("GET", "/health", [&s](Request&, const Visitor&) {
    const bool full = s.engine().database().storageFull();
    auto o = obj();
    o.set("status", full ? "degraded" : "ok");
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
    if (full) {
      Poco::JSON::Array problems;
      problems.add("lagringsutrymmet är slut: skrivningar misslyckas");
      o.set("problems", problems);
    }
    return Response::json(full ? 503 : 200, o);
  });
  r.addPublic("GET", "/metrics", [&s](Request& req, const Visitor& visitor) {
    if (!req.via_metrics_listener && visitor.role != Role::kAdmin) {
      return Response::problem(Error::notFound("det finns ingen resurs på /metrics"));
    }
    Response res;
    res.content_type = "text/plain; version=0.0.4; charset=utf-8";
    res.body = s.metrics().render(s.engine().database().sizeBytes());
    return res;
  });
}

}  // namespace kansli::api
