// The HTTP service over an engine (kansli/engine.h, the composition root):
// the route table, sign-in from bearer tokens and cookies, and the one path
// every request takes. Everything a handler needs is reached through Service.
//
// handle() is the one path every request takes: route match (404/405), then
// authentication (401), then the route's declared access rule (403), then the
// handler; any exception escaping a handler becomes a 500 problem and is
// logged, never a dropped connection. Thread-safe: handle() is called from the
// HTTP server's worker threads concurrently.
#pragma once

#include <memory>
#include <string>

#include "http.h"
#include "kansli/engine.h"
#include "metrics.h"
#include "router.h"

namespace kansli::api {

struct ServiceConfig {
  std::string home;  // where api/web/ (the web client) is
  // Mark the session cookie Secure (the server speaks TLS).
  bool secure_cookies = false;
};

class MailWorker;  // mail_worker.h

class Service {
 public:
  // The engine must outlive the service.
  Service(Engine& engine, ServiceConfig config);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  Response handle(Request& req);

  // The browser session cookie: its name, a Set-Cookie value that sets it
  // (HttpOnly, SameSite=Strict, Secure under TLS) and one that clears it.
  static constexpr std::string_view kSessionCookie = "kansli_session";

  // The case named by the route's {id}, if the caller may see it at all
  // (kansli/access.h): 404 otherwise, as if it did not exist. For routes that
  // show no secret part of the case; Diarium::caseFor shows and logs them.
  Result<Case> visibleCase(const Request& req) const;
  // `c` as the caller may see it in an answer (secret parts masked unless
  // they may see them).
  Case asSeenBy(const Request& req, Case c) const;
  std::string sessionCookie(const std::string& token, Instant expires) const;
  std::string clearedSessionCookie() const;

  // The engine's services (the Service does not own the engine).
  Engine& engine() const { return engine_; }
  Accounts& accounts() const { return engine_.accounts(); }
  Diarium& diarium() const { return engine_.diarium(); }
  CaseFlow& caseFlow() const { return engine_.caseFlow(); }
  Memos& memos() const { return engine_.memos(); }
  Meetings& meetings() const { return engine_.meetings(); }
  const Organisation& organisation() const { return engine_.organisation(); }
  const workflow::WorkflowSet& workflows() const { return engine_.workflows(); }
  const Clock& clock() const { return engine_.clock(); }
  Metrics& metrics() { return metrics_; }
  const Router& router() const { return router_; }
  const ServiceConfig& config() const { return config_; }
  // The outbox's delivery loop, when e-mail is configured (--smtp-host);
  // nullptr otherwise. Set before the server starts; not owned.
  void setMailWorker(MailWorker* worker) { mail_worker_ = worker; }
  MailWorker* mailWorker() const { return mail_worker_; }

 private:
  void addRoutes();
  // Signs the caller in from a bearer token or the session cookie (setting
  // req.user); an answer when the request must stop here (a bad token on a
  // route that needs one, a cookie request without its CSRF token).
  std::optional<Response> authenticate(Request& req, const Route& route);
  // Writes the audit event access.refused for a signed-in caller.
  void auditRefusal(const Request& req, int status);

  Engine& engine_;
  ServiceConfig config_;
  Metrics metrics_;
  Router router_;
  MailWorker* mail_worker_ = nullptr;
};

// Route groups, one file each (routes_<concept>.cpp).
void addSystemRoutes(Router& r, Service& s);
void addSessionRoutes(Router& r, Service& s);
void addCaseRoutes(Router& r, Service& s);
void addCaseworkRoutes(Router& r, Service& s);
void addMeetingRoutes(Router& r, Service& s);
void addWebRoutes(Router& r, Service& s);
void addUserRoutes(Router& r, Service& s);
void addMailRoutes(Router& r, Service& s);

}  // namespace kansli::api
