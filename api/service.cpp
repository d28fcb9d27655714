#include "service.h"

#include <filesystem>

#include "log.h"
#include "problem.h"

namespace kansli::api {

Service::Service(ServiceConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(clock) {}

Service::~Service() = default;

Result<WorkflowStart> workflowStart(const workflow::WorkflowSet& set, const std::string& kind,
                                    const std::string& received, const std::string& today) {
  const workflow::Workflow* wf = set.forKind(kind);
  if (!wf || !wf->initialState()) {
    return std::unexpected(Error::unprocessable("det finns ingen arbetsgång för ärendetypen " + kind,
                                                {{"kind", "ingen arbetsgång för " + kind}}));
  }
  WorkflowStart start;
  start.workflow_id = wf->id;
  start.workflow_version = wf->version;
  start.initial_state = wf->initialState()->id;
  for (const auto& st : wf->states) {
    start.states.push_back(st.id);
    if (st.final) start.final_states.push_back(st.id);
  }
  std::chrono::year_month_day r;
  if (wf->case_deadline && parseDate(received, r)) {
    start.deadline = formatDate(wf->case_deadline->period.addTo(r));
  }
  std::chrono::year_month_day t;
  if (wf->initialState()->deadline && parseDate(today, t)) {
    start.state_deadline = formatDate(wf->initialState()->deadline->addTo(t));
  }
  return start;
}

Result<std::unique_ptr<Service>> Service::open(const ServiceConfig& config, const Clock& clock) {
  std::unique_ptr<Service> s(new Service(config, clock));
  setServerPaths({config.data_dir, config.home, config.workflows_dir,
                  std::filesystem::path(config.organisation_file).parent_path().string()});
  std::string org_file = config.organisation_file.empty()
                             ? config.data_dir + "/organisation.xml"
                             : config.organisation_file;
  if (!std::filesystem::exists(org_file)) {
    return std::unexpected(Error::notFound(
        "organisationsfilen " + org_file +
        " saknas (kopiera samples/nacka/organisation.xml dit, eller starta med --demo)"));
  }
  auto org = loadOrganisation(org_file, config.home + "/schemas/organisation.rng");
  if (!org) return std::unexpected(org.error());
  s->organisation_ = std::move(*org);

  std::string wf_dir = config.workflows_dir;
  if (wf_dir.empty()) {
    wf_dir = std::filesystem::is_directory(config.data_dir + "/workflows")
                 ? config.data_dir + "/workflows"
                 : config.home + "/workflows";
  }
  auto wfs = workflow::loadWorkflows(
      wf_dir, {.schema = config.home + "/workflows/workflow.rng"});
  if (!wfs) return std::unexpected(wfs.error());
  s->workflows_ = std::move(*wfs);

  auto st = store::Store::open({.path = config.data_dir + "/kansli.db", .readers = config.readers});
  if (!st) return std::unexpected(st.error());
  s->store_ = std::move(*st);
  s->accounts_ = std::make_unique<Accounts>(*s->store_, clock, config.accounts);
  Service* self = s.get();
  s->diarium_ = std::make_unique<Diarium>(
      *s->store_, clock, s->organisation_,
      [self](const std::string& kind, const std::string& received, const std::string& today) {
        return workflowStart(self->workflows_, kind, received, today);
      },
      config.diarium);
  s->case_flow_ = std::make_unique<CaseFlow>(*s->store_, clock, s->organisation_, s->workflows_);
  s->memos_ = std::make_unique<Memos>(*s->store_, clock, s->organisation_, *s->diarium_,
                                      config.data_dir + "/templates");
  s->meetings_ = std::make_unique<Meetings>(*s->store_, clock, s->organisation_, *s->diarium_,
                                            *s->case_flow_, *s->memos_,
                                            config.data_dir + "/templates");
  s->addRoutes();
  return s;
}

void Service::addRoutes() {
  addSystemRoutes(router_, *this);
  addSessionRoutes(router_, *this);
  addCaseRoutes(router_, *this);
  addCaseworkRoutes(router_, *this);
  addMeetingRoutes(router_, *this);
  addWebRoutes(router_, *this);
  addUserRoutes(router_, *this);
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

std::optional<Response> Service::authenticate(Request& req, const Route& route) {
  std::string auth = req.header("authorization");
  std::string token;
  bool via_cookie = false;
  if (auth.rfind("Bearer ", 0) == 0) {
    token = auth.substr(7);
  } else if (auto c = cookieValue(req.header("cookie"), kSessionCookie); !c.empty()) {
    token = std::move(c);
    via_cookie = true;
  }
  if (token.empty()) return std::nullopt;
  auto u = accounts_->authenticate(token);
  if (!u) {
    if (u.error().code != ErrorCode::kUnauthenticated) return Response::problem(u.error());
    if (route.access.anonymous) return std::nullopt;  // a stale cookie on a public page
    auto res = Response::problem(u.error()).header("WWW-Authenticate", "Bearer");
    if (via_cookie) res.header("Set-Cookie", clearedSessionCookie());
    return res;
  }
  // A browser sends the cookie by itself, also on a request another site
  // made it send: every state-changing request must prove it comes from our
  // page with the session's CSRF token (SameSite=Strict is the second wall).
  if (via_cookie && changesState(req.method) &&
      !Accounts::csrfMatches(token, req.header("x-csrf-token"))) {
    req.user = *u;
    auto res = Response::problem(Error::forbidden(
        "begäran saknar giltig CSRF-kod (X-CSRF-Token); ladda om sidan och försök igen"));
    auditRefusal(req, res.status);
    return res;
  }
  req.user = *u;
  req.session_token = std::move(token);
  req.cookie_session = via_cookie;
  return std::nullopt;
}

std::string Service::sessionCookie(const std::string& token, Instant expires) const {
  long max_age = std::max<long>(0, static_cast<long>((expires - clock_.now()).count()));
  return std::string(kSessionCookie) + "=" + token + "; Path=/; Max-Age=" +
         std::to_string(max_age) + "; HttpOnly; SameSite=Strict" +
         (config_.secure_cookies ? "; Secure" : "");
}

std::string Service::clearedSessionCookie() const {
  return std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" +
         (config_.secure_cookies ? "; Secure" : "");
}

void Service::auditRefusal(const Request& req, int status) {
  if (!req.user) return;
  auto detail = obj();
  detail.set("method", req.method);
  detail.set("route", routeLabel(req));
  detail.set("status", status);
  // Best effort: a refusal is answered even if the log cannot take it now.
  (void)audit::recordAudit(*store_, clock_,
                           {req.user->actor(), "access.refused", std::nullopt, toJson(detail)});
}

Result<Case> Service::visibleCase(const Request& req) const {
  auto id = pathId(req, "id", "ärendet");
  if (!id) return std::unexpected(id.error());
  auto c = diarium_->getCase(*id);
  if (!c) return c;
  if (!req.user || caseSight(*req.user, *c, organisation_) == Sight::kHidden) {
    return std::unexpected(Error::notFound("ärendet finns inte"));
  }
  return c;
}

Case Service::asSeenBy(const Request& req, Case c) const {
  if (req.user && caseSight(*req.user, c, organisation_) == Sight::kFull) return c;
  return Diarium::maskForPublic(std::move(c));
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

  auto refused = authenticate(req, *m.route);
  if (refused) return *refused;
  if (!m.route->access.allows(req.user)) {
    if (!req.user) {
      return Response::problem(Error::unauthenticated("logga in först (Authorization: Bearer)"))
          .header("WWW-Authenticate", "Bearer");
    }
    auto res = Response::problem(Error::forbidden("rollen " + std::string(roleName(req.user->role)) +
                                                  " får inte göra detta"));
    auditRefusal(req, res.status);
    return res;
  }
  try {
    Response res = m.route->handler(req);
    if (res.status == 403 && req.user) auditRefusal(req, res.status);
    return res;
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
