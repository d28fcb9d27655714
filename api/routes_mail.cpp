// Expediering and the outbox over HTTP (kansli/mail.h, kansli/expediering.h):
// what the secretary sees of the e-mail after a meeting (sent, waiting for a
// later attempt, failed, uncertain, the post list) and what they may do
// about it (send again, mark as sent by post, print the extract).
#include <Poco/JSON/Array.h>

#include "kansli/expediering.h"
#include "mail_worker.h"
#include "service.h"

namespace kansli::api {
namespace {

std::string statusLabel(const std::string& status, int attempts) {
  if (status == "queued") return attempts > 0 ? "Väntar på nytt försök" : "Köad";
  if (status == "sending") return "Skickas";
  if (status == "sent") return "Skickad";
  if (status == "failed") return "Misslyckades";
  if (status == "uncertain") return "Osäker: avbröts vid omstart";
  if (status == "post") return "Skickas per post";
  if (status == "posted") return "Skickad per post";
  return status;
}

Poco::JSON::Object entryJson(const OutboxEntry& e) {
  auto o = obj();
  o.set("id", e.id);
  o.set("kind", e.kind);
  o.set("status", e.status);
  o.set("status_label", statusLabel(e.status, e.attempts));
  o.set("recipient", e.recipient_name);
  if (e.recipient_address) o.set("address", *e.recipient_address);
  o.set("subject", e.subject);
  if (e.note) o.set("note", *e.note);
  if (e.meeting_id) o.set("meeting", *e.meeting_id);
  if (e.decision_id) o.set("decision", *e.decision_id);
  if (e.case_id) o.set("case", *e.case_id);
  o.set("attempts", e.attempts);
  if (e.next_attempt_at) o.set("next_attempt_at", *e.next_attempt_at);
  if (e.last_error) o.set("last_error", *e.last_error);
  o.set("created_at", e.created_at);
  if (e.sent_at) o.set("sent_at", *e.sent_at);
  if (e.document_number) o.set("document", *e.document_number);
  if (e.attachment_name) {
    o.set("attachment", "/api/v1/outbox/" + std::to_string(e.id) + "/attachment");
  }
  return o;
}

Response entries(Service& s, const std::vector<OutboxEntry>& list) {
  Poco::JSON::Array items;
  for (const auto& e : list) items.add(entryJson(e));
  auto o = obj();
  o.set("mail_configured", s.mailWorker() != nullptr);
  o.set("items", items);
  return Response::json(200, o);
}

}  // namespace

void addMailRoutes(Router& r, Service& s) {
  const auto secretary = Access::roles_({Role::kNamndsekreterare});

  // Bevakning: the caller's reminders (an officer's deadlines, a secretary's
  // motions nearing their year).
  r.add("GET", "/api/v1/reminders", Access::signedIn(), [&s](Request&, const User& user) {
    auto list = s.engine().reminders().forUser(user);
    if (!list) return Response::problem(list.error());
    Poco::JSON::Array items;
    for (const auto& rm : *list) {
      auto o = obj();
      o.set("kind", rm.kind);
      o.set("case", rm.case_id);
      o.set("dnr", rm.dnr);
      o.set("subject", rm.subject);
      o.set("deadline", rm.deadline);
      o.set("days_left", rm.days_left);
      o.set("what", rm.what);
      items.add(o);
    }
    auto o = obj();
    o.set("days_ahead", s.engine().reminders().options().days_ahead);
    o.set("items", items);
    return Response::json(200, o);
  });

  r.add("GET", "/api/v1/meetings/{id}/expediering", secretary, [&s](Request& req, const User& user) {
    auto id = pathId(req, "id", "sammanträdet");
    if (!id) return Response::problem(id.error());
    auto m = s.meetings().get(*id, user);
    if (!m || (user.committee && *user.committee != m->committee)) {
      return Response::problem(Error::notFound("sammanträdet finns inte"));
    }
    // Attested minutes are expedited at once; a meeting attested while the
    // service was down (or before this version) is done on first sight.
    if (m->attested_at) {
      auto queued = s.engine().expediering().queueMeeting(m->id);
      if (!queued) return Response::problem(queued.error());
      if (*queued > 0 && s.mailWorker()) s.mailWorker()->wake();
    }
    auto list = s.engine().outbox().ofMeeting(m->id, user);
    if (!list) return Response::problem(list.error());
    return entries(s, *list);
  });

  r.add("GET", "/api/v1/outbox", secretary, [&s](Request& req, const User& user) {
    std::vector<FieldError> errors;
    auto limit = queryInteger(req, "limit", 1, 500, "måste vara 1-500", errors);
    if (!errors.empty()) return Response::problem(Error::invalid("ogiltig fråga", errors));
    auto list = s.engine().outbox().ofCommittee(user, static_cast<int>(limit.value_or(100)));
    if (!list) return Response::problem(list.error());
    return entries(s, *list);
  });

  r.add("GET", "/api/v1/outbox/{id}", secretary, [&s](Request& req, const User& user) {
    auto id = pathId(req, "id", "utskicket");
    if (!id) return Response::problem(id.error());
    auto e = s.engine().outbox().entry(*id, user);
    if (!e) return Response::problem(e.error());
    return Response::json(200, entryJson(*e));
  });

  r.add("GET", "/api/v1/outbox/{id}/attachment", secretary, [&s](Request& req, const User& user) {
    auto id = pathId(req, "id", "utskicket");
    if (!id) return Response::problem(id.error());
    auto a = s.engine().outbox().attachment(*id, user);
    if (!a) return Response::problem(a.error());
    Response res;
    res.content_type = a->media_type;
    res.body = a->bytes;
    res.header("Content-Disposition", "attachment; filename=\"" + a->name + "\"");
    return res;
  });

  r.add("POST", "/api/v1/outbox/{id}/retry", secretary, [&s](Request& req, const User& user) {
    auto id = pathId(req, "id", "utskicket");
    if (!id) return Response::problem(id.error());
    auto e = s.engine().outbox().retry(*id, user);
    if (!e) return Response::problem(e.error());
    if (s.mailWorker()) s.mailWorker()->wake();
    return Response::json(200, entryJson(*e));
  });

  r.add("POST", "/api/v1/outbox/{id}/posted", secretary, [&s](Request& req, const User& user) {
    auto id = pathId(req, "id", "utskicket");
    if (!id) return Response::problem(id.error());
    auto e = s.engine().outbox().markPosted(*id, user);
    if (!e) return Response::problem(e.error());
    return Response::json(200, entryJson(*e));
  });
}

}  // namespace kansli::api
