// Meetings, decisions and the notice board over HTTP.
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <iterator>

#include "documents.h"
#include "kansli/meetings.h"
#include "service.h"

namespace kansli::api {
namespace {

Result<std::int64_t> idParam(const Request& req, const char* name, const char* what) {
  return pathId(req, name, what);
}

Poco::JSON::Array strings(const std::vector<std::string>& v) {
  Poco::JSON::Array a;
  for (const auto& s : v) a.add(s);
  return a;
}

Poco::JSON::Object decisionJson(const Decision& d, const Organisation& org) {
  auto o = obj();
  o.set("id", d.id);
  o.set("meeting", d.meeting_id);
  o.set("committee", d.committee);
  if (auto* c = org.committee(d.committee)) o.set("committee_name", c->name);
  o.set("meeting_date", d.meeting_date);
  o.set("item", d.position);
  if (d.paragraph) {
    o.set("paragraph", *d.paragraph);
    if (auto* c = org.committee(d.committee)) {
      o.set("paragraph_label", c->formatParagraph(*d.paragraph, std::stoi(d.meeting_date.substr(0, 4))));
    }
  }
  if (d.case_id) o.set("case", *d.case_id);
  if (d.dnr) o.set("dnr", *d.dnr);
  o.set("title", d.title);
  o.set("outcome", d.outcome);
  o.set("outcome_label", outcomeText(d.outcome));
  o.set("text", d.text);
  o.set("clauses", strings(d.input.clauses));
  Poco::JSON::Array motions;
  for (const auto& m : d.input.motions) {
    auto mo = obj();
    mo.set("mover", m.mover);
    mo.set("text", m.text);
    motions.add(mo);
  }
  o.set("motions", motions);
  if (d.input.proposition) o.set("proposition", *d.input.proposition);
  if (d.input.votes) {
    auto v = obj();
    v.set("yes", d.input.votes->yes);
    v.set("no", d.input.votes->no);
    v.set("abstain", d.input.votes->abstain);
    o.set("votes", v);
  }
  Poco::JSON::Array res;
  for (const auto& r : d.input.reservations) {
    auto ro = obj();
    ro.set("name", r.name);
    if (r.reason) ro.set("reason", *r.reason);
    res.add(ro);
  }
  o.set("reservations", res);
  o.set("disqualified", strings(d.input.disqualified));
  o.set("send_to", strings(d.input.send_to));
  o.set("attested", d.attested);
  if (d.posted_on) o.set("posted_on", *d.posted_on);
  if (d.appeal_until) o.set("appeal_until", *d.appeal_until);
  return o;
}

Poco::JSON::Object meetingJson(const Meeting& m, const Organisation& org) {
  auto o = obj();
  o.set("id", m.id);
  o.set("committee", m.committee);
  if (auto* c = org.committee(m.committee)) o.set("committee_name", c->name);
  o.set("date", m.date);
  if (m.time) o.set("time", *m.time);
  if (m.place) o.set("place", *m.place);
  if (m.chair) o.set("chair", *m.chair);
  o.set("adjusters", strings(m.adjusters));
  Poco::JSON::Array attendance;
  for (const auto& a : m.attendance) {
    auto ao = obj();
    ao.set("name", a.name);
    ao.set("role", a.role);
    attendance.add(ao);
  }
  o.set("attendance", attendance);
  o.set("minutes_drawn", m.minutes_drawn);
  o.set("attested", m.attested_at.has_value());
  if (m.attested_at) o.set("attested_at", *m.attested_at);
  if (m.posted_on) o.set("posted_on", *m.posted_on);
  if (m.appeal_until) o.set("appeal_until", *m.appeal_until);
  Poco::JSON::Array items;
  for (const auto& a : m.items) {
    auto io = obj();
    io.set("item", a.position);
    if (a.case_id) io.set("case", *a.case_id);
    if (a.dnr) io.set("dnr", *a.dnr);
    io.set("title", a.title);
    if (a.paragraph) io.set("paragraph", *a.paragraph);
    if (a.decision) io.set("decision", decisionJson(*a.decision, org));
    items.add(io);
  }
  o.set("items", items);
  Poco::JSON::Array att;
  for (const auto& a : m.attestations) {
    auto ao = obj();
    ao.set("username", a.username);
    ao.set("capacity", a.capacity);
    ao.set("at", a.at);
    att.add(ao);
  }
  o.set("attestations", att);
  return o;
}

std::vector<std::string> stringList(const Poco::JSON::Object::Ptr& o, const std::string& key,
                                    std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  if (!o->has(key) || o->isNull(key)) return out;
  auto a = o->getArray(key);
  if (!a) {
    errors.push_back({key, "måste vara en lista av strängar"});
    return out;
  }
  for (size_t i = 0; i < a->size() && i < 100; ++i) {
    auto v = a->get(static_cast<unsigned>(i));
    if (!v.isString()) {
      errors.push_back({key, "måste vara en lista av strängar"});
      return out;
    }
    auto s = v.convert<std::string>();
    if (s.size() > 2000) {
      errors.push_back({key, "ett värde är för långt"});
      return out;
    }
    out.push_back(s);
  }
  return out;
}

Result<DecisionQuery> decisionQuery(const Request& req) {
  DecisionQuery q;
  auto get = [&](const char* k) -> std::optional<std::string> {
    auto v = req.queryParam(k);
    if (!v || v->empty()) return std::nullopt;
    return v;
  };
  q.q = get("q");
  q.committee = get("committee");
  q.outcome = get("outcome");
  q.dnr = get("dnr");
  q.from = get("from");
  q.to = get("to");
  std::vector<FieldError> errors;
  // A filter value that names no outcome would match nothing by mistake.
  static const char* const kOutcomes[] = {"bifall",     "avslag",       "delvis_bifall", "besvarad",
                                          "aterremiss", "bordlaggning", "avskrivning"};
  if (q.outcome && std::find(std::begin(kOutcomes), std::end(kOutcomes), *q.outcome) ==
                       std::end(kOutcomes)) {
    errors.push_back({"outcome", "okänt utfall: välj bifall, avslag, delvis_bifall, besvarad, "
                                 "aterremiss, bordlaggning eller avskrivning"});
  }
  if (auto y = queryInteger(req, "year", 1900, 2200, "måste vara ett årtal 1900-2200", errors)) {
    q.year = static_cast<int>(*y);
  }
  if (auto l = queryInteger(req, "limit", 1, 200, "måste vara 1-200", errors)) {
    q.limit = static_cast<int>(*l);
  }
  if (!errors.empty()) return std::unexpected(Error::invalid("ogiltiga sökvillkor", errors));
  return q;
}

Response decisionList(Service& s, const DecisionQuery& q, const Viewer& viewer) {
  auto list = s.meetings().decisions(q, viewer);
  if (!list) return Response::problem(list.error());
  Poco::JSON::Array items;
  for (const auto& d : *list) items.add(decisionJson(d, s.organisation()));
  auto o = obj();
  o.set("items", items);
  return Response::json(200, o);
}

std::vector<Attendee> attendance(const Poco::JSON::Object::Ptr& body,
                                 std::vector<FieldError>& errors) {
  std::vector<Attendee> out;
  if (!body->has("attendance")) return out;
  auto a = body->getArray("attendance");
  if (!a) {
    errors.push_back({"attendance", "måste vara en lista {name, role}"});
    return out;
  }
  for (size_t i = 0; i < a->size() && i < 200; ++i) {
    auto p = a->getObject(static_cast<unsigned>(i));
    if (!p) {
      errors.push_back({"attendance", "måste vara en lista {name, role}"});
      break;
    }
    std::vector<FieldError> inner;
    auto name = stringField(p, "name", inner, true, 200);
    auto role = stringField(p, "role", inner, false, 200);
    for (auto& e : inner) {
      errors.push_back({"attendance[" + std::to_string(i) + "]." + e.field, e.message});
    }
    if (name) out.push_back({*name, role.value_or("ledamot")});
  }
  return out;
}

Response createMeeting(Service& s, Request& req, const User& user) {
  auto body = parseJsonBody(req);
  if (!body) return Response::problem(body.error());
  std::vector<FieldError> errors;
  NewMeeting m;
  m.committee = stringField(*body, "committee", errors, true, 40).value_or("");
  m.date = stringField(*body, "date", errors, true, 20).value_or("");
  m.time = stringField(*body, "time", errors, false, 5);
  m.place = stringField(*body, "place", errors, false, 200);
  m.chair = stringField(*body, "chair", errors, false, 64);
  m.adjusters = stringList(*body, "adjusters", errors);
  m.attendance = attendance(*body, errors);
  if (!errors.empty()) return Response::problem(Error::invalid("sammanträdet är inte giltigt", errors));
  auto created = s.meetings().create(m, user);
  if (!created) return Response::problem(created.error());
  return Response::json(201, meetingJson(*created, s.organisation()))
      .header("Location", "/api/v1/meetings/" + std::to_string(created->id));
}

Response listMeetings(Service& s, Request& req, const User& user) {
  std::optional<std::string> committee = req.queryParam("committee");
  if (committee && committee->empty()) committee.reset();
  auto list = s.meetings().list(committee, user);
  if (!list) return Response::problem(list.error());
  Poco::JSON::Array items;
  for (const auto& m : *list) items.add(meetingJson(m, s.organisation()));
  auto o = obj();
  o.set("items", items);
  return Response::json(200, o);
}

Response getMeeting(Service& s, Request& req, const User& user) {
  auto id = idParam(req, "id", "sammanträdet");
  if (!id) return Response::problem(id.error());
  auto m = s.meetings().get(*id, user);
  if (!m) return Response::problem(m.error());
  return Response::json(200, meetingJson(*m, s.organisation()));
}

Response addItem(Service& s, Request& req, const User& user) {
  auto id = idParam(req, "id", "sammanträdet");
  if (!id) return Response::problem(id.error());
  auto body = parseJsonBody(req);
  if (!body) return Response::problem(body.error());
  std::vector<FieldError> errors;
  std::optional<std::int64_t> case_id;
  if ((*body)->has("case") && !(*body)->isNull("case")) {
    auto v = (*body)->get("case");
    if (!v.isInteger()) {
      errors.push_back({"case", "måste vara ärendets id"});
    } else {
      case_id = v.convert<std::int64_t>();
    }
  }
  auto title = stringField(*body, "title", errors, false, 2000);
  if (!errors.empty()) return Response::problem(Error::invalid("punkten är inte giltig", errors));
  auto m = s.meetings().addItem(*id, case_id, title, user);
  if (!m) return Response::problem(m.error());
  return Response::json(201, meetingJson(*m, s.organisation()));
}

void readMotions(const Poco::JSON::Object::Ptr& body, DecisionInput& d,
                 std::vector<FieldError>& errors) {
  auto motions = body->getArray("motions");
  if (!motions) return;
  for (size_t i = 0; i < motions->size() && i < 100; ++i) {
    auto mo = motions->getObject(static_cast<unsigned>(i));
    if (!mo) {
      errors.push_back({"motions", "måste vara en lista {mover, text}"});
      break;
    }
    std::vector<FieldError> inner;
    auto mover = stringField(mo, "mover", inner, true, 200);
    auto txt = stringField(mo, "text", inner, true, 4000);
    for (auto& e : inner) {
      errors.push_back({"motions[" + std::to_string(i) + "]." + e.field, e.message});
    }
    if (mover && txt) d.motions.push_back({*mover, *txt});
  }
}

void readReservations(const Poco::JSON::Object::Ptr& body, DecisionInput& d,
                      std::vector<FieldError>& errors) {
  auto res = body->getArray("reservations");
  if (!res) return;
  for (size_t i = 0; i < res->size() && i < 100; ++i) {
    auto ro = res->getObject(static_cast<unsigned>(i));
    if (!ro) {
      errors.push_back({"reservations", "måste vara en lista {name, reason?}"});
      break;
    }
    std::vector<FieldError> inner;
    auto name = stringField(ro, "name", inner, true, 200);
    auto reason = stringField(ro, "reason", inner, false, 4000);
    for (auto& e : inner) {
      errors.push_back({"reservations[" + std::to_string(i) + "]." + e.field, e.message});
    }
    if (name) d.reservations.push_back({*name, reason});
  }
}

DecisionInput decisionInput(const Poco::JSON::Object::Ptr& body, std::vector<FieldError>& errors) {
  DecisionInput d;
  d.outcome = stringField(body, "outcome", errors, true, 40).value_or("");
  d.text = stringField(body, "text", errors, false, 20000);
  d.clauses = stringList(body, "clauses", errors);
  d.proposition = stringField(body, "proposition", errors, false, 4000);
  d.disqualified = stringList(body, "disqualified", errors);
  d.send_to = stringList(body, "send_to", errors);
  readMotions(body, d, errors);
  readReservations(body, d, errors);
  if (auto v = body->getObject("votes")) {
    try {
      d.votes = Votes{v->getValue<int>("yes"), v->getValue<int>("no"), v->optValue<int>("abstain", 0)};
    } catch (...) {
      errors.push_back({"votes", "ange yes, no och abstain som heltal"});
    }
  }
  return d;
}

Response recordDecision(Service& s, Request& req, const User& user) {
  auto id = idParam(req, "id", "sammanträdet");
  if (!id) return Response::problem(id.error());
  auto n = idParam(req, "n", "punkten");
  if (!n || *n > 100000) return Response::problem(Error::notFound("punkten finns inte"));
  auto body = parseJsonBody(req);
  if (!body) return Response::problem(body.error());
  std::vector<FieldError> errors;
  DecisionInput d = decisionInput(*body, errors);
  if (!errors.empty()) return Response::problem(Error::invalid("beslutet är inte giltigt", errors));
  auto dec = s.meetings().recordDecision(*id, static_cast<int>(*n), d, user);
  if (!dec) return Response::problem(dec.error());
  return Response::json(201, decisionJson(*dec, s.organisation()))
      .header("Location", "/api/v1/decisions/" + std::to_string(dec->id));
}

// A step on a meeting that answers with the meeting (minutes, attest, post).
template <Result<Meeting> (Meetings::*kStep)(std::int64_t, const User&)>
Response meetingStep(Service& s, Request& req, const User& user) {
  auto id = idParam(req, "id", "sammanträdet");
  if (!id) return Response::problem(id.error());
  auto m = (s.meetings().*kStep)(*id, user);
  if (!m) return Response::problem(m.error());
  return Response::json(200, meetingJson(*m, s.organisation()));
}

// A printed document of a meeting (kallelse, protokoll) in the asked format.
template <Result<doc::Document> (Meetings::*kRender)(std::int64_t, const Viewer&) const>
Response printed(Service& s, Request& req, const Viewer& viewer) {
  auto id = idParam(req, "id", "sammanträdet");
  if (!id) return Response::problem(id.error());
  auto d = (s.meetings().*kRender)(*id, viewer);
  if (!d) return Response::problem(d.error());
  auto format = negotiateFormat(req, {"html", "txt", "pdf", "docx", "odt"}, "html");
  if (!format) return format.error();
  return documentResponse(*d, *format);
}

Response agenda(Service& s, Request& req, const User& user) {
  return printed<&Meetings::renderAgenda>(s, req, user);
}
Response protocol(Service& s, Request& req, const User& user) {
  return printed<&Meetings::renderMinutes>(s, req, user);
}
Response postedProtocol(Service& s, Request& req, const Visitor&) {
  return printed<&Meetings::renderMinutes>(s, req, Viewer::anonymous());
}

Response decisions(Service& s, Request& req, const User& user) {
  auto q = decisionQuery(req);
  if (!q) return Response::problem(q.error());
  return decisionList(s, *q, user);
}

Response publicDecisions(Service& s, Request& req, const Visitor&) {
  auto q = decisionQuery(req);
  if (!q) return Response::problem(q.error());
  return decisionList(s, *q, Viewer::anonymous());
}

Response oneDecision(Service& s, Request& req, const Viewer& viewer) {
  auto id = idParam(req, "id", "beslutet");
  if (!id) return Response::problem(id.error());
  auto d = s.meetings().decision(*id, viewer);
  if (!d) return Response::problem(d.error());
  auto format = negotiateFormat(req, {"json", "txt", "html", "pdf"}, "json");
  if (!format) return format.error();
  if (*format == "json") return Response::json(200, decisionJson(*d, s.organisation()));
  auto doc = s.meetings().renderExtract(*id, viewer);
  if (!doc) return Response::problem(doc.error());
  return documentResponse(*doc, *format);
}

Response decision(Service& s, Request& req, const User& user) { return oneDecision(s, req, user); }
Response publicDecision(Service& s, Request& req, const Visitor&) {
  return oneDecision(s, req, Viewer::anonymous());
}

Response noticeBoard(Service& s, Request&, const Visitor&) {
  auto list = s.meetings().noticeBoard();
  if (!list) return Response::problem(list.error());
  Poco::JSON::Array items;
  for (const auto& m : *list) {
    auto o = obj();
    o.set("meeting", m.id);
    o.set("committee", m.committee);
    if (auto* c = s.organisation().committee(m.committee)) o.set("committee_name", c->name);
    o.set("meeting_date", m.date);
    o.set("document", "Protokoll");
    o.set("posted_on", m.posted_on.value_or(""));
    o.set("appeal_until", m.appeal_until.value_or(""));
    o.set("protocol", "/api/v1/public/anslag/" + std::to_string(m.id) + "/protocol");
    items.add(o);
  }
  auto o = obj();
  o.set("items", items);
  return Response::json(200, o);
}

}  // namespace

void addMeetingRoutes(Router& r, Service& s) {
  const auto secretary = Access::roles_({Role::kNamndsekreterare});
  const auto anyone = Access::signedIn();
  r.add("POST", "/api/v1/meetings", secretary, handler(s, createMeeting));
  r.add("GET", "/api/v1/meetings", anyone, handler(s, listMeetings));
  r.add("GET", "/api/v1/meetings/{id}", anyone, handler(s, getMeeting));
  r.add("POST", "/api/v1/meetings/{id}/items", secretary, handler(s, addItem));
  r.add("POST", "/api/v1/meetings/{id}/items/{n}/decision", secretary, handler(s, recordDecision));
  r.add("POST", "/api/v1/meetings/{id}/minutes", secretary,
        handler(s, meetingStep<&Meetings::drawMinutes>));
  r.add("POST", "/api/v1/meetings/{id}/attest", anyone, handler(s, meetingStep<&Meetings::attest>));
  r.add("POST", "/api/v1/meetings/{id}/post", secretary, handler(s, meetingStep<&Meetings::post>));
  r.add("GET", "/api/v1/meetings/{id}/agenda", anyone, handler(s, agenda));
  r.add("GET", "/api/v1/meetings/{id}/protocol", anyone, handler(s, protocol));
  r.add("GET", "/api/v1/decisions", anyone, handler(s, decisions));
  r.add("GET", "/api/v1/decisions/{id}", anyone, handler(s, decision));
  r.addPublic("GET", "/api/v1/public/decisions", handler(s, publicDecisions));
  r.addPublic("GET", "/api/v1/public/decisions/{id}", handler(s, publicDecision));
  r.addPublic("GET", "/api/v1/public/anslag", handler(s, noticeBoard));
  r.addPublic("GET", "/api/v1/public/anslag/{id}/protocol", handler(s, postedProtocol));
}

}  // namespace kansli::api
