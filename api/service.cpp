#include "service.h"

#include <filesystem>

#include "log.h"

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
