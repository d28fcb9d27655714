// Meetings, decisions and the notice board over HTTP: the secretary's steps
// (meeting, agenda, notice, decisions and their corrections, minutes,
// justering, anslag), the printed documents, and what members and the public
// read. JSON in and out is meetings_json.cpp's.
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <iterator>

#include "documents.h"
#include "kansli/meetings.h"
#include "kansli/writers.h"
#include "mail_worker.h"
#include "meetings_json.h"
#include "service.h"

namespace kansli::api {
namespace {

Result<std::int64_t> idParam(const Request& req, const char* name, const char* what) {
  return pathId(req, name, what);
}

// The meeting of the route's {id}, if the caller works for its committee
// (the engine answers 404 otherwise). Posted minutes are public anyway, at
// /api/v1/public/anslag.
Result<Meeting> visibleMeeting(Service& s, const Request& req, const Viewer& viewer) {
  auto id = idParam(req, "id", "sammanträdet");
  if (!id) return std::unexpected(id.error());
  return s.meetings().get(*id, viewer);
}

// Decisions of a secret case, as a reader sees them: masked (the provision)
// unless the reader sees the case in full, which the engine logs
// (case.secret_read) before the answer leaves.
class DecisionSight {
 public:
  DecisionSight(Service& s, Viewer viewer) : s_(s), viewer_(std::move(viewer)) {}
  std::optional<std::string> operator()(const Decision& d) {
    return s_.meetings().decisionSecrecy(d, viewer_, shown_);
  }
  // Logs what was shown in full; an answer that cannot be logged is not given.
  Result<void> noteReads() { return s_.meetings().noteDecisionsShown(shown_, viewer_); }

 private:
  Service& s_;
  Viewer viewer_;
  std::vector<std::int64_t> shown_;
};

Response meetingAnswer(Service& s, const Viewer& viewer, const Meeting& m, int status = 200) {
  DecisionSight sight(s, viewer);
  auto o = meetingJson(m, s.organisation(), [&](const Decision& d) { return sight(d); });
  if (auto logged = sight.noteReads(); !logged) return Response::problem(logged.error());
  return Response::json(status, o);
}

Response decisionAnswer(Service& s, const Viewer& viewer, const Decision& d, int status = 200) {
  DecisionSight sight(s, viewer);
  auto o = decisionJson(d, s.organisation(), sight(d));
  if (auto logged = sight.noteReads(); !logged) return Response::problem(logged.error());
  return Response::json(status, o);
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
  if (auto y = queryInteger(req, "year", 1900, 2200, "måste vara ett årtal 1900-2200", errors)) {
    q.year = static_cast<int>(*y);
  }
  if (auto l = queryInteger(req, "limit", 1, 200, "måste vara 1-200", errors)) {
    q.limit = static_cast<int>(*l);
  }
  // A filter value that names no outcome would match nothing by mistake.
  const auto& outcomes = decisionOutcomeIds();
  if (q.outcome && std::find(outcomes.begin(), outcomes.end(), *q.outcome) == outcomes.end()) {
    errors.push_back({"outcome", "okänt utfall: välj bifall, avslag, delvis_bifall, besvarad, "
                                 "aterremiss, bordlaggning, avskrivning eller noteras"});
  }
  if (!errors.empty()) return std::unexpected(Error::invalid("ogiltiga sökvillkor", errors));
  return q;
}

Response decisionList(Service& s, const DecisionQuery& q, const Viewer& viewer) {
  auto list = s.meetings().decisions(q, viewer);
  if (!list) return Response::problem(list.error());
  DecisionSight sight(s, viewer);
  Poco::JSON::Array items;
  for (const auto& d : *list) items.add(decisionJson(d, s.organisation(), sight(d)));
  if (auto logged = sight.noteReads(); !logged) return Response::problem(logged.error());
  auto o = obj();
  o.set("items", items);
  return Response::json(200, o);
}

// The kallelse: as a document in any format, or with format=pdf the
// kallelse med handlingar (one PDF: the notice, then each item's approved
// memo, an outline entry per part, page numbers across the whole), unless
// handlingar=nej.
Response agendaAnswer(Service& s, const Request& req, std::int64_t meeting_id,
                      const Viewer& viewer) {
  auto negotiated = negotiateFormat(req, {"html", "txt", "pdf", "docx", "odt"}, "html");
  if (!negotiated) return negotiated.error();
  const std::string& format = *negotiated;
  auto handlingar = req.queryParam("handlingar").value_or("ja");
  if (handlingar != "ja" && handlingar != "nej") {
    return Response::problem(Error::invalid("handlingar är ja eller nej", {{"handlingar", "ja eller nej"}}));
  }
  bool with_memos = format == "pdf" && handlingar == "ja";
  if (!with_memos) {
    auto d = s.meetings().renderAgenda(meeting_id, viewer);
    if (!d) return Response::problem(d.error());
    return documentResponse(*d, format);
  }
  auto parts = s.meetings().agendaWithMemos(meeting_id, viewer);
  if (!parts) return Response::problem(parts.error());
  std::vector<PdfPart> pdf_parts;
  for (auto& p : *parts) pdf_parts.push_back({p.outline, std::move(p.document)});
  auto pdf = writePdfBundle(pdf_parts);
  if (!pdf) return Response::problem(pdf.error());
  Response res;
  res.content_type = "application/pdf";
  res.body = std::move(*pdf);
  auto m = s.meetings().get(meeting_id, viewer);
  std::string name = m ? "kallelse-" + m->committee + "-" + m->date + ".pdf" : "kallelse.pdf";
  res.header("Content-Disposition", "inline; filename=\"" + name + "\"");
  return res;
}

std::optional<int> intFrom(const Poco::Dynamic::Var& v) {
  if (!v.isInteger()) return std::nullopt;
  auto n = v.convert<long long>();
  if (n < 1 || n > 100000) return std::nullopt;
  return static_cast<int>(n);
}

void addMeetingSteps(Router& r, Service& s) {
  const auto secretary = Access::roles_({Role::kNamndsekreterare});

  r.add("POST", "/api/v1/meetings", secretary, [&s](Request& req, const User& user) {
    auto body = parseJsonBody(req);
    if (!body) return Response::problem(body.error());
    std::vector<FieldError> errors;
    NewMeeting m = readNewMeeting(*body, errors);
    if (!errors.empty()) return Response::problem(Error::invalid("sammanträdet är inte giltigt", errors));
    auto created = s.meetings().create(m, user);
    if (!created) return Response::problem(created.error());
    return meetingAnswer(s, user, *created, 201)
        .header("Location", "/api/v1/meetings/" + std::to_string(created->id));
  });

  r.add("PATCH", "/api/v1/meetings/{id}", secretary, [&s](Request& req, const User& user) {
    auto id = idParam(req, "id", "sammanträdet");
    if (!id) return Response::problem(id.error());
    auto body = parseJsonBody(req);
    if (!body) return Response::problem(body.error());
    std::vector<FieldError> errors;
    MeetingChange c = readMeetingChange(*body, errors);
    if (!errors.empty()) return Response::problem(Error::invalid("ändringen är inte giltig", errors));
    auto m = s.meetings().update(*id, c, user);
    if (!m) return Response::problem(m.error());
    return meetingAnswer(s, user, *m);
  });

  r.add("POST", "/api/v1/meetings/{id}/items", secretary, [&s](Request& req, const User& user) {
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
    auto kind = stringField(*body, "kind", errors, false, 40);
    std::optional<int> position;
    if ((*body)->has("position") && !(*body)->isNull("position")) {
      position = intFrom((*body)->get("position"));
      if (!position) errors.push_back({"position", "måste vara ett heltal från 1"});
    }
    if (!errors.empty()) return Response::problem(Error::invalid("punkten är inte giltig", errors));
    auto m = s.meetings().addItem(*id, case_id, title, user, kind, position);
    if (!m) return Response::problem(m.error());
    return meetingAnswer(s, user, *m, 201);
  });

  r.add("DELETE", "/api/v1/meetings/{id}/items/{n}", secretary, [&s](Request& req, const User& user) {
    auto id = idParam(req, "id", "sammanträdet");
    if (!id) return Response::problem(id.error());
    auto n = idParam(req, "n", "punkten");
    if (!n || *n > 100000) return Response::problem(Error::notFound("punkten finns inte"));
    auto m = s.meetings().removeItem(*id, static_cast<int>(*n), user);
    if (!m) return Response::problem(m.error());
    return meetingAnswer(s, user, *m);
  });

  r.add("PUT", "/api/v1/meetings/{id}/agenda/order", secretary, [&s](Request& req, const User& user) {
    auto id = idParam(req, "id", "sammanträdet");
    if (!id) return Response::problem(id.error());
    auto body = parseJsonBody(req);
    if (!body) return Response::problem(body.error());
    std::vector<int> order;
    auto a = (*body)->getArray("order");
    bool good = a && a->size() <= 500;
    for (size_t i = 0; good && i < a->size(); ++i) {
      auto n = intFrom(a->get(static_cast<unsigned>(i)));
      if (!n) good = false;
      else order.push_back(*n);
    }
    if (!good) {
      return Response::problem(Error::invalid("ordningen är inte giltig",
                                              {{"order", "en lista med punkternas nummer i ny ordning"}}));
    }
    auto m = s.meetings().reorder(*id, order, user);
    if (!m) return Response::problem(m.error());
    return meetingAnswer(s, user, *m);
  });

  r.add("POST", "/api/v1/meetings/{id}/notice", secretary, [&s](Request& req, const User& user) {
    auto id = idParam(req, "id", "sammanträdet");
    if (!id) return Response::problem(id.error());
    auto m = s.meetings().sendNotice(*id, user);
    if (!m) return Response::problem(m.error());
    return meetingAnswer(s, user, *m);
  });

  r.add("POST", "/api/v1/meetings/{id}/items/{n}/decision", secretary, [&s](Request& req, const User& user) {
    auto id = idParam(req, "id", "sammanträdet");
    if (!id) return Response::problem(id.error());
    auto n = idParam(req, "n", "punkten");
    if (!n || *n > 100000) return Response::problem(Error::notFound("punkten finns inte"));
    auto body = parseJsonBody(req);
    if (!body) return Response::problem(body.error());
    std::vector<FieldError> errors;
    DecisionInput d = readDecision(*body, errors);
    if (!errors.empty()) return Response::problem(Error::invalid("beslutet är inte giltigt", errors));
    auto dec = s.meetings().recordDecision(*id, static_cast<int>(*n), d, user);
    if (!dec) return Response::problem(dec.error());
    return decisionAnswer(s, user, *dec, 201)
        .header("Location", "/api/v1/decisions/" + std::to_string(dec->id));
  });

  r.add("PUT", "/api/v1/meetings/{id}/items/{n}/decision", secretary, [&s](Request& req, const User& user) {
    auto id = idParam(req, "id", "sammanträdet");
    if (!id) return Response::problem(id.error());
    auto n = idParam(req, "n", "punkten");
    if (!n || *n > 100000) return Response::problem(Error::notFound("punkten finns inte"));
    auto body = parseJsonBody(req);
    if (!body) return Response::problem(body.error());
    std::vector<FieldError> errors;
    DecisionInput d = readDecision(*body, errors);
    auto reason = stringField(*body, "reason", errors, true, 2000);
    if (!errors.empty()) return Response::problem(Error::invalid("rättelsen är inte giltig", errors));
    auto dec = s.meetings().correctDecision(*id, static_cast<int>(*n), d, *reason, user);
    if (!dec) return Response::problem(dec.error());
    return decisionAnswer(s, user, *dec);
  });

  r.add("POST", "/api/v1/meetings/{id}/items/{n}/decision/rattelse", secretary, [&s](Request& req, const User& user) {
    auto id = idParam(req, "id", "sammanträdet");
    if (!id) return Response::problem(id.error());
    auto n = idParam(req, "n", "punkten");
    if (!n || *n > 100000) return Response::problem(Error::notFound("punkten finns inte"));
    auto body = parseJsonBody(req);
    if (!body) return Response::problem(body.error());
    std::vector<FieldError> errors;
    auto text = stringField(*body, "text", errors, true, 20000);
    auto reason = stringField(*body, "reason", errors, true, 2000);
    if (!errors.empty()) return Response::problem(Error::invalid("rättelsen är inte giltig", errors));
    auto dec = s.meetings().rectify(*id, static_cast<int>(*n), *text, *reason, user);
    if (!dec) return Response::problem(dec.error());
    return decisionAnswer(s, user, *dec, 201);
  });

  r.add("POST", "/api/v1/meetings/{id}/minutes", secretary, [&s](Request& req, const User& user) {
    auto id = idParam(req, "id", "sammanträdet");
    if (!id) return Response::problem(id.error());
    auto m = s.meetings().drawMinutes(*id, user);
    if (!m) return Response::problem(m.error());
    return meetingAnswer(s, user, *m);
  });

  // Justering: the adjuster has confirmed their password on this session
  // (POST /api/v1/session/confirm) within the last five minutes.
  r.add("POST", "/api/v1/meetings/{id}/attest", Access::signedIn(), [&s](Request& req, const User& user) {
    auto id = idParam(req, "id", "sammanträdet");
    if (!id) return Response::problem(id.error());
    auto confirmed = s.accounts().confirmedAt(req.session_token);
    if (!confirmed) return Response::problem(confirmed.error());
    std::optional<Confirmation> confirmation;
    if (*confirmed) confirmation = Confirmation{"lösenord", **confirmed};
    auto m = s.meetings().attest(*id, user, confirmation);
    if (!m) return Response::problem(m.error());
    if (m->attested_at) {
      // Expediering: the extracts go to the outbox now. A failure here does
      // not undo the justering; the delivery loop and the expediering page
      // queue what is missing.
      auto queued = s.engine().expediering().queueMeeting(m->id);
      if (queued && *queued > 0 && s.mailWorker()) s.mailWorker()->wake();
    }
    return meetingAnswer(s, user, *m);
  });

  r.add("POST", "/api/v1/meetings/{id}/post", secretary, [&s](Request& req, const User& user) {
    auto id = idParam(req, "id", "sammanträdet");
    if (!id) return Response::problem(id.error());
    auto m = s.meetings().post(*id, user);
    if (!m) return Response::problem(m.error());
    return meetingAnswer(s, user, *m);
  });
}

void addMeetingReads(Router& r, Service& s) {
  r.add("GET", "/api/v1/meetings", Access::signedIn(), [&s](Request& req, const User& user) {
    std::optional<std::string> committee = req.queryParam("committee");
    if (committee && committee->empty()) committee.reset();
    auto list = s.meetings().list(committee, user);
    if (!list) return Response::problem(list.error());
    DecisionSight sight(s, user);
    Poco::JSON::Array items;
    for (const auto& m : *list) {
      items.add(meetingJson(m, s.organisation(), [&](const Decision& d) { return sight(d); }));
    }
    if (auto logged = sight.noteReads(); !logged) return Response::problem(logged.error());
    auto o = obj();
    o.set("items", items);
    return Response::json(200, o);
  });

  r.add("GET", "/api/v1/meetings/{id}", Access::signedIn(), [&s](Request& req, const User& user) {
    auto m = visibleMeeting(s, req, user);
    if (!m) return Response::problem(m.error());
    return meetingAnswer(s, user, *m);
  });

  r.add("GET", "/api/v1/meetings/{id}/agenda", Access::signedIn(), [&s](Request& req, const User& user) {
    auto m = visibleMeeting(s, req, user);
    if (!m) return Response::problem(m.error());
    return agendaAnswer(s, req, m->id, user);
  });

  r.add("GET", "/api/v1/meetings/{id}/protocol", Access::signedIn(), [&s](Request& req, const User& user) {
    auto m = visibleMeeting(s, req, user);
    if (!m) return Response::problem(m.error());
    auto format = negotiateFormat(req, {"html", "txt", "pdf", "docx", "odt"}, "html");
    if (!format) return format.error();
    auto d = s.meetings().renderMinutes(m->id, user);
    if (!d) return Response::problem(d.error());
    return documentResponse(*d, *format);
  });

  r.add("GET", "/api/v1/decisions", Access::signedIn(), [&s](Request& req, const User& user) {
    auto q = decisionQuery(req);
    if (!q) return Response::problem(q.error());
    // Those who work for a committee see its decisions as recorded; the
    // rest (and admins) once the minutes are attested, as the public does
    // (the engine decides from the viewer).
    return decisionList(s, *q, user);
  });

  // One decision as `viewer` sees it: as recorded by those who work for
  // the committee, once attested by everyone (the engine answers 404 else).
  auto oneDecision = [&s](Request& req, const Viewer& viewer) {
    auto id = idParam(req, "id", "beslutet");
    if (!id) return Response::problem(id.error());
    auto d = s.meetings().decision(*id, viewer);
    if (!d) return Response::problem(d.error());
    auto negotiated = negotiateFormat(req, {"json", "txt", "html", "pdf", "docx", "odt"}, "json");
    if (!negotiated) return negotiated.error();
    const std::string& format = *negotiated;
    if (format == "json") {
      DecisionSight sight(s, viewer);
      auto o = decisionJson(*d, s.organisation(), sight(*d));
      if (auto logged = sight.noteReads(); !logged) return Response::problem(logged.error());
      return Response::json(200, o);
    }
    auto doc = s.meetings().renderExtract(*id, viewer);
    if (!doc) return Response::problem(doc.error());
    return documentResponse(*doc, format);
  };
  r.add("GET", "/api/v1/decisions/{id}", Access::signedIn(),
        [oneDecision](Request& req, const User& user) { return oneDecision(req, user); });

  r.addPublic("GET", "/api/v1/public/decisions", [&s](Request& req, const Visitor&) {
    auto q = decisionQuery(req);
    if (!q) return Response::problem(q.error());
    return decisionList(s, *q, Viewer::anonymous());
  });
  r.addPublic("GET", "/api/v1/public/decisions/{id}", [oneDecision](Request& req, const Visitor&) {
    return oneDecision(req, Viewer::anonymous());
  });

  // The kallelse as the public may read it, once sent: secret items masked,
  // secret memos left out of the PDF with handlingar (the engine answers 404
  // before the notice is sent).
  r.addPublic("GET", "/api/v1/public/meetings/{id}/agenda", [&s](Request& req, const Visitor&) {
    auto id = idParam(req, "id", "sammanträdet");
    if (!id) return Response::problem(id.error());
    return agendaAnswer(s, req, *id, Viewer::anonymous());
  });

  r.addPublic("GET", "/api/v1/public/anslag", [&s](Request&, const Visitor&) {
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
      o.set("posted_on", *m.posted_on);
      o.set("appeal_until", *m.appeal_until);
      o.set("protocol", "/api/v1/public/anslag/" + std::to_string(m.id) + "/protocol");
      items.add(o);
    }
    auto o = obj();
    o.set("items", items);
    return Response::json(200, o);
  });

  r.addPublic("GET", "/api/v1/public/anslag/{id}/protocol", [&s](Request& req, const Visitor&) {
    auto id = idParam(req, "id", "sammanträdet");
    if (!id) return Response::problem(id.error());
    auto format = negotiateFormat(req, {"html", "txt", "pdf", "docx", "odt"}, "html");
    if (!format) return format.error();
    auto d = s.meetings().renderMinutes(*id, Viewer::anonymous());
    if (!d) return Response::problem(d.error());
    return documentResponse(*d, *format);
  });
}

}  // namespace

void addMeetingRoutes(Router& r, Service& s) {
  addMeetingSteps(r, s);
  addMeetingReads(r, s);
}

}  // namespace kansli::api
