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
  // Who called: the user signed in by a bearer token or the session cookie,
  // if any, and an answer when the request must stop here (a bad token on a
  // route that needs one, a cookie request without its CSRF token).
  struct Caller {
    std::optional<User> user;
    std::optional<Response> refusal;
  };
  Caller authenticate(Request& req, const Route& route);
  // Calls the route's handler: a signed-in route's with the user (whom the
  // access check has required), a public route's with a Visitor.
  Response dispatch(Request& req, const Route& route, const Caller& caller);
  // Writes the audit event access.refused for a signed-in caller.
  void auditRefusal(const Request& req, const User& user, int status);

  Engine& engine_;
  ServiceConfig config_;
  Metrics metrics_;
  Router router_;
  MailWorker* mail_worker_ = nullptr;
};

// Handlers written as functions of the service, the request and the caller,
// so a route table is one line a route.
using UserRoute = Response (*)(Service&, Request&, const User&);
using PublicRoute = Response (*)(Service&, Request&, const Visitor&);
UserHandler handler(Service& s, UserRoute f);
PublicHandler handler(Service& s, PublicRoute f);

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
