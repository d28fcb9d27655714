// The composition root of the running service: opens the store, loads the
// organisation, workflows and templates, builds the engine services and the
// route table. Everything a handler needs is reached through Service.
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
#include "kansli/accounts.h"
#include "kansli/casework.h"
#include "kansli/clock.h"
#include "kansli/diarium.h"
#include "kansli/meetings.h"
#include "kansli/organisation.h"
#include "kansli/store.h"
#include "kansli/workflow.h"
#include "metrics.h"
#include "router.h"

namespace kansli::api {

struct ServiceConfig {
  std::string data_dir;
  std::string home;  // where templates/, workflows/, schemas/, samples/ are
  // The organisation file; empty: DATA_DIR/organisation.xml.
  std::string organisation_file;
  // Workflow definitions; empty: DATA_DIR/workflows if it exists, else HOME/workflows.
  std::string workflows_dir;
  AccountOptions accounts;
  DiariumOptions diarium;
  // Mark the session cookie Secure (the server speaks TLS).
  bool secure_cookies = false;
  int readers = 4;
};

class Service {
 public:
  static Result<std::unique_ptr<Service>> open(const ServiceConfig& config, const Clock& clock);
  ~Service();

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

  store::Store& store() { return *store_; }
  Accounts& accounts() { return *accounts_; }
  Diarium& diarium() { return *diarium_; }
  CaseFlow& caseFlow() { return *case_flow_; }
  Memos& memos() { return *memos_; }
  Meetings& meetings() { return *meetings_; }
  const Organisation& organisation() const { return organisation_; }
  const workflow::WorkflowSet& workflows() const { return workflows_; }
  const Clock& clock() const { return clock_; }
  Metrics& metrics() { return metrics_; }
  const Router& router() const { return router_; }
  const ServiceConfig& config() const { return config_; }
  // The route pattern that matched, for logs and metrics ("" when none did).
  static std::string routeLabel(const Request& req);

 private:
  Service(ServiceConfig config, const Clock& clock);
  void addRoutes();
  // Signs the caller in from a bearer token or the session cookie (setting
  // req.user); an answer when the request must stop here (a bad token on a
  // route that needs one, a cookie request without its CSRF token).
  std::optional<Response> authenticate(Request& req, const Route& route);
  // Writes the audit event access.refused for a signed-in caller.
  void auditRefusal(const Request& req, int status);

  ServiceConfig config_;
  const Clock& clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Accounts> accounts_;
  Organisation organisation_;
  workflow::WorkflowSet workflows_;
  std::unique_ptr<Diarium> diarium_;
  std::unique_ptr<CaseFlow> case_flow_;
  std::unique_ptr<Memos> memos_;
  std::unique_ptr<Meetings> meetings_;
  Metrics metrics_;
  Router router_;
};

// Route groups, one file each (routes_<concept>.cpp).
void addSystemRoutes(Router& r, Service& s);
void addSessionRoutes(Router& r, Service& s);
void addCaseRoutes(Router& r, Service& s);
void addCaseworkRoutes(Router& r, Service& s);
void addMeetingRoutes(Router& r, Service& s);
void addWebRoutes(Router& r, Service& s);
void addUserRoutes(Router& r, Service& s);

// The start of a case of `kind`: the latest workflow serving it, its initial
// state and the case deadline counted from `received`.
Result<WorkflowStart> workflowStart(const workflow::WorkflowSet& set, const std::string& kind,
                                    const std::string& received, const std::string& today);

}  // namespace kansli::api
