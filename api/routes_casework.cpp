// Workflows, transitions and memos over HTTP.
#include <Poco/JSON/Array.h>

#include "case_json.h"
#include "documents.h"
#include "kansli/casework.h"
#include "kansli/text.h"
#include "service.h"

namespace kansli::api {


namespace {

Poco::JSON::Object transitionJson(const workflow::Transition& t) {
  auto o = obj();
  o.set("id", t.id);
  o.set("label", t.label);
  Poco::JSON::Array from;
  for (const auto& f : t.from) from.add(f);
  o.set("from", from);
  o.set("to", t.to);
  Poco::JSON::Array roles;
  for (auto r : t.roles) roles.add(std::string(roleName(r)));
  o.set("roles", roles);
  Poco::JSON::Array guards;
  for (const auto& g : t.guards) {
    auto go = obj();
    go.set("name", std::string(g.name()));
    if (!g.description.empty()) go.set("description", g.description);
    if (!g.args.empty()) {
      Poco::JSON::Array args;
      for (const auto& a : g.args) args.add(a);
      go.set("args", args);
    }
    guards.add(go);
  }
  o.set("guards", guards);
  Poco::JSON::Array effects;
  for (const auto& e : t.effects) {
    auto eo = obj();
    eo.set("name", std::string(e.name()));
    if (!e.arg.empty()) eo.set("arg", e.arg);
    if (e.period) eo.set("period", e.period->iso());
    effects.add(eo);
  }
  o.set("effects", effects);
  Poco::JSON::Array fields;
  for (const auto& f : t.requestFields()) fields.add(f);
  o.set("request_fields", fields);
  return o;
}

Poco::JSON::Object workflowJson(const workflow::Workflow& wf) {
  auto o = obj();
  o.set("id", wf.id);
  o.set("version", wf.version);
  o.set("label", wf.label);
  Poco::JSON::Array kinds;
  for (const auto& k : wf.kinds) kinds.add(k);
  o.set("kinds", kinds);
  if (wf.case_deadline) {
    auto d = obj();
    d.set("period", wf.case_deadline->period.iso());
    d.set("label", wf.case_deadline->label);
    o.set("case_deadline", d);
  }
  Poco::JSON::Array states;
  for (const auto& s : wf.states) {
    auto so = obj();
    so.set("id", s.id);
    so.set("label", s.label);
    so.set("initial", s.initial);
    so.set("final", s.final);
    if (s.deadline) so.set("deadline", s.deadline->iso());
    states.add(so);
  }
  o.set("states", states);
  Poco::JSON::Array transitions;
  for (const auto& t : wf.transitions) transitions.add(transitionJson(t));
  o.set("transitions", transitions);
  return o;
}

Result<std::int64_t> caseId(const Request& req) { return pathId(req, "id", "ärendet"); }

// If-Match: "7" (or W/"7", or 7): the version a change is made from.
// Missing: nullopt (the engine answers it with 428, after it has answered
// whether the case is there for the caller at all). An entity-tag that is not
// one of ours ("abc", *) can never match the case's current one: 412, as any
// other tag that does not match (RFC 9110 13.1.1); -1 stands for it.
std::optional<std::int64_t> ifMatch(const Request& req) {
  std::string v = req.header("if-match");
  if (v.empty()) return std::optional<std::int64_t>{};
  if (v.rfind("W/", 0) == 0) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  auto n = text::parseInteger(v, 0, 999'999'999'999'999'999);
  return n && *n >= 1 ? *n : -1;
}

std::optional<int> versionParam(const Request& req, const char* name, std::vector<FieldError>& errors) {
  auto n = queryInteger(req, name, 1, 1'000'000'000, "måste vara ett positivt heltal", errors);
  if (!n) return std::nullopt;
  return static_cast<int>(*n);
}

Poco::JSON::Object memoVersionJson(const MemoVersion& m) {
  auto o = obj();
  o.set("version", m.version);
  o.set("sha256", m.sha256);
  o.set("created_at", m.created_at);
  o.set("created_by", m.created_by);
  o.set("approved", m.approved_at.has_value());
  o.set("status", m.approved_at ? "godkänd" : "utkast");
  if (m.approved_at) o.set("approved_at", *m.approved_at);
  if (m.approved_by) o.set("approved_by", *m.approved_by);
  return o;
}

Response listWorkflows(Service& s, Request&, const User&) {
  Poco::JSON::Array items;
  for (const auto& wf : s.workflows().all()) items.add(workflowJson(wf));
  auto o = obj();
  o.set("items", items);
  return Response::json(200, o);
}

Response getWorkflow(Service& s, Request& req, const User&) {
  const auto* wf = s.workflows().latest(req.params.at("id"));
  if (auto v = req.queryParam("version")) {
    auto n = text::parseInteger(*v, 1, 1'000'000'000);
    wf = n ? s.workflows().find(req.params.at("id"), static_cast<int>(*n)) : nullptr;
  }
  if (!wf) return Response::problem(Error::notFound("arbetsgången finns inte"));
  return Response::json(200, workflowJson(*wf));
}

Response availableTransitions(Service& s, Request& req, const User& user) {
  auto id = caseId(req);
  if (!id) return Response::problem(id.error());
  auto list = s.caseFlow().available(*id, user);
  if (!list) return Response::problem(list.error());
  auto blocked = s.caseFlow().blocked(*id, user);
  if (!blocked) return Response::problem(blocked.error());
  Poco::JSON::Array items;
  for (const auto* t : *list) items.add(transitionJson(*t));
  // Those the caller's role may take but not yet, and what is missing.
  Poco::JSON::Array held;
  for (const auto& b : *blocked) {
    auto bo = obj();
    bo.set("id", b.transition->id);
    bo.set("label", b.transition->label);
    Poco::JSON::Array reasons;
    for (const auto& why : b.reasons) reasons.add(why);
    bo.set("reasons", reasons);
    held.add(bo);
  }
  auto o = obj();
  o.set("items", items);
  o.set("blocked", held);
  return Response::json(200, o);
}

Response takeTransition(Service& s, Request& req, const User& user) {
  auto id = caseId(req);
  if (!id) return Response::problem(id.error());
  auto body = parseJsonBody(req);
  if (!body) return Response::problem(body.error());
  std::vector<FieldError> errors;
  TransitionRequest tr;
  tr.transition = stringField(*body, "transition", errors, true, 64).value_or("");
  tr.comment = stringField(*body, "comment", errors, false, 4000);
  tr.unit = stringField(*body, "unit", errors, false, 64);
  tr.officer = stringField(*body, "officer", errors, false, 64);
  tr.expected_version = ifMatch(req);
  if (!errors.empty()) return Response::problem(Error::invalid("begäran är ofullständig", errors));
  auto result = s.caseFlow().take(*id, tr, user);
  if (!result && result.error().code == ErrorCode::kPreconditionRequired) {
    return Response::problem(Error{ErrorCode::kPreconditionRequired,
                                   "ange ärendets version i If-Match (värdet från ETag)",
                                   {{"If-Match", "saknas"}},
                                   {}});
  }
  if (!result) return Response::problem(result.error());
  std::string out;
  JsonText j(out);
  j.beginObject();
  writeCaseMembers(j, result->c, s.organisation());
  j.member("transition", tr.transition);
  j.member("from", result->from);
  j.endObject();
  return Response::json(200, std::move(out)).header("ETag", "\"" + std::to_string(result->c.version) + "\"");
}

// The target version of a migration: checked as a 64-bit value first
// (getValue<int> threw, a 500, on numbers outside int).
std::optional<int> migrationVersion(const Poco::JSON::Object::Ptr& body,
                                    std::vector<FieldError>& errors) {
  auto v = body->has("version") ? body->get("version") : Poco::Dynamic::Var();
  Poco::Int64 n = 0;
  try {
    n = v.isInteger() ? v.convert<Poco::Int64>() : 0;
  } catch (const Poco::Exception&) {
    n = 0;  // beyond 64 bits
  }
  if (n < 1 || n > 1'000'000) {
    errors.push_back({"version", "måste vara ett heltal 1-1000000"});
    return std::nullopt;
  }
  return static_cast<int>(n);
}

Response migrateCase(Service& s, Request& req, const User& user) {
  auto id = caseId(req);
  if (!id) return Response::problem(id.error());
  auto body = parseJsonBody(req);
  if (!body) return Response::problem(body.error());
  std::vector<FieldError> errors;
  auto reason = stringField(*body, "reason", errors, true, 2000);
  auto version = migrationVersion(*body, errors);
  if (!errors.empty()) return Response::problem(Error::invalid("begäran är ofullständig", errors));
  auto c = s.caseFlow().migrate(*id, *version, *reason, user);
  if (!c) return Response::problem(c.error());
  return Response::json(200, caseJson(*c, s.organisation()));
}

Response saveMemo(Service& s, Request& req, const User& user) {
  auto id = caseId(req);
  if (!id) return Response::problem(id.error());
  std::string ct = req.header("content-type");
  if (!ct.empty() && ct.find("xml") == std::string::npos) {
    return Response::problem(
        Error::invalid("tjänsteskrivelsen skickas som XML (Content-Type: application/xml)",
                       {{"Content-Type", "förväntade application/xml"}}));
  }
  auto saved = s.memos().saveDraft(*id, req.body, user);
  if (!saved) return Response::problem(saved.error());
  return Response::json(201, memoVersionJson(*saved))
      .header("Location", "/api/v1/cases/" + std::to_string(*id) +
                              "/memo?version=" + std::to_string(saved->version));
}

Response getMemo(Service& s, Request& req, const User& user) {
  auto id = caseId(req);
  if (!id) return Response::problem(id.error());
  std::vector<FieldError> errors;
  // Without a version: the decision basis (the approved version); with
  // version=latest: the newest, draft or not (the editor's).
  const bool latest = req.queryParam("version").value_or("") == "latest";
  auto version = latest ? std::nullopt : versionParam(req, "version", errors);
  auto negotiated = negotiateFormat(req, {"xml", "txt", "html", "pdf", "docx", "odt"}, "xml");
  if (!negotiated) return negotiated.error();
  const std::string& format = *negotiated;
  if (!errors.empty()) return Response::problem(Error::invalid("ogiltig version", errors));
  // Which version is meant (numbered, so the rendering below is that one).
  auto choice = s.memos().choose(*id, version, latest, user);
  if (!choice) return Response::problem(choice.error());
  const int number = choice->version;
  const bool approved = choice->approved;
  auto stamp = [&](Response res) {
    res.header("X-Memo-Version", std::to_string(number));
    res.header("X-Memo-Status", approved ? "godkand" : "utkast");
    return res;
  };
  if (format == "xml") {
    auto m = s.memos().version(*id, number, user);
    if (!m) return Response::problem(m.error());
    Response res;
    res.content_type = "application/xml; charset=utf-8";
    res.body = m->xml;
    return stamp(std::move(res.header("ETag", "\"" + m->sha256 + "\"")));
  }
  auto d = s.memos().render(*id, number, user, RenderOptions{.cancelled = req.client_gone});
  if (!d) return Response::problem(d.error());
  return stamp(documentResponse(*d, format, req.client_gone));
}

Response memoVersions(Service& s, Request& req, const User& user) {
  auto id = caseId(req);
  if (!id) return Response::problem(id.error());
  auto list = s.memos().versions(*id, user);
  if (!list) return Response::problem(list.error());
  int basis = 0;
  for (const auto& m : *list) {
    if (m.approved_at) basis = m.version;
  }
  Poco::JSON::Array items;
  for (const auto& m : *list) {
    auto o = memoVersionJson(m);
    o.set("decision_basis", m.version == basis);
    items.add(o);
  }
  auto o = obj();
  o.set("items", items);
  return Response::json(200, o);
}

Response memoDiff(Service& s, Request& req, const User& user) {
  auto id = caseId(req);
  if (!id) return Response::problem(id.error());
  std::vector<FieldError> errors;
  auto from = versionParam(req, "from", errors);
  auto to = versionParam(req, "to", errors);
  if (!from) errors.push_back({"from", "fältet krävs"});
  if (!to) errors.push_back({"to", "fältet krävs"});
  if (!errors.empty()) return Response::problem(Error::invalid("ange from och to", errors));
  auto d = s.memos().diff(*id, *from, *to, user);
  if (!d) return Response::problem(d.error());
  Response res;
  res.content_type = "text/plain; charset=utf-8";
  res.body = *d;
  return res;
}

}  // namespace

void addCaseworkRoutes(Router& r, Service& s) {
  const auto anyone = Access::signedIn();
  const auto officers = Access::roles_({Role::kHandlaggare, Role::kEnhetschef});
  r.add("GET", "/api/v1/workflows", anyone, handler(s, listWorkflows));
  r.add("GET", "/api/v1/workflows/{id}", anyone, handler(s, getWorkflow));
  r.add("GET", "/api/v1/cases/{id}/transitions", anyone, handler(s, availableTransitions));
  r.add("POST", "/api/v1/cases/{id}/transitions",
        Access::roles_({Role::kRegistrator, Role::kHandlaggare, Role::kEnhetschef,
                        Role::kNamndsekreterare, Role::kAdmin}),
        handler(s, takeTransition));
  r.add("POST", "/api/v1/cases/{id}/migrate", Access::roles_({Role::kAdmin}),
        handler(s, migrateCase));
  r.add("PUT", "/api/v1/cases/{id}/memo", officers, handler(s, saveMemo));
  r.add("GET", "/api/v1/cases/{id}/memo", anyone, handler(s, getMemo));
  r.add("GET", "/api/v1/cases/{id}/memo/versions", anyone, handler(s, memoVersions));
  r.add("GET", "/api/v1/cases/{id}/memo/diff", anyone, handler(s, memoDiff));
}

}  // namespace kansli::api
