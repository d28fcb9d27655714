#include "meetings_json.h"

#include <Poco/JSON/Array.h>

namespace kansli::api {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Array strings(const std::vector<std::string>& v) {
  Array a;
  for (const auto& s : v) a.add(s);
  return a;
}

// Field errors of an inner object get the outer path: "motions[0]." + "mover".
void prefixed(std::vector<FieldError>& errors, const std::string& prefix,
              std::vector<FieldError>&& inner) {
  for (auto& e : inner) errors.push_back({prefix + "." + e.field, std::move(e.message)});
}

// Each object of the array `key` (at most `max`), or an error naming it.
template <class F>
void eachObject(const Object::Ptr& body, const std::string& key, std::size_t max,
                const std::string& shape, std::vector<FieldError>& errors, F f) {
  if (!body->has(key) || body->isNull(key)) return;
  auto a = body->getArray(key);
  if (!a) {
    errors.push_back({key, "måste vara en lista " + shape});
    return;
  }
  if (a->size() > max) {
    errors.push_back({key, "högst " + std::to_string(max)});
    return;
  }
  for (size_t i = 0; i < a->size(); ++i) {
    auto o = a->getObject(static_cast<unsigned>(i));
    if (!o) {
      errors.push_back({key + "[" + std::to_string(i) + "]", "måste vara ett objekt " + shape});
      return;
    }
    f(o, key + "[" + std::to_string(i) + "]");
  }
}

std::optional<int> intField(const Object::Ptr& o, const std::string& key, int lo, int hi,
                            std::vector<FieldError>& errors) {
  if (!o->has(key) || o->isNull(key)) return std::nullopt;
  auto v = o->get(key);
  if (!v.isInteger()) {
    errors.push_back({key, "måste vara ett heltal"});
    return std::nullopt;
  }
  auto n = v.convert<long long>();
  if (n < lo || n > hi) {
    errors.push_back({key, "måste vara " + std::to_string(lo) + "-" + std::to_string(hi)});
    return std::nullopt;
  }
  return static_cast<int>(n);
}

std::vector<Attendee> readAttendance(const Object::Ptr& body, std::vector<FieldError>& errors) {
  std::vector<Attendee> out;
  eachObject(body, "attendance", 200, "{name, role, username?, party?, substitute_for?}", errors,
             [&](const Object::Ptr& p, const std::string& path) {
               std::vector<FieldError> inner;
               auto name = stringField(p, "name", inner, true, 200);
               auto role = stringField(p, "role", inner, false, 200);
               auto username = stringField(p, "username", inner, false, 64);
               auto party = stringField(p, "party", inner, false, 40);
               auto substitute = stringField(p, "substitute_for", inner, false, 200);
               prefixed(errors, path, std::move(inner));
               if (!name) return;
               Attendee a{*name, role.value_or("ledamot")};
               if (username && !username->empty()) a.username = username;
               if (party && !party->empty()) a.party = party;
               if (substitute && !substitute->empty()) a.substitute_for = substitute;
               out.push_back(std::move(a));
             });
  return out;
}

}  // namespace

std::vector<std::string> stringList(const Object::Ptr& o, const std::string& key,
                                    std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  if (!o->has(key) || o->isNull(key)) return out;
  auto a = o->getArray(key);
  if (!a) {
    errors.push_back({key, "måste vara en lista av strängar"});
    return out;
  }
  if (a->size() > 100) {
    errors.push_back({key, "högst 100"});
    return out;
  }
  for (size_t i = 0; i < a->size(); ++i) {
    auto v = a->get(static_cast<unsigned>(i));
    if (!v.isString()) {
      errors.push_back({key, "måste vara en lista av strängar"});
      return out;
    }
    auto s = v.convert<std::string>();
    if (s.size() > 2000) {
      errors.push_back({key + "[" + std::to_string(i) + "]", "är för långt (högst 2000 byte)"});
      return out;
    }
    out.push_back(s);
  }
  return out;
}

Object decisionJson(const Decision& d, const Organisation& org,
                    const std::optional<std::string>& masked) {
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
  o.set("version", d.version);
  o.set("attested", d.attested);
  if (d.posted_on) o.set("posted_on", *d.posted_on);
  if (d.appeal_until) o.set("appeal_until", *d.appeal_until);
  if (masked) {
    o.set("secrecy", "Uppgifter i ärendet omfattas av sekretess enligt " + *masked + ".");
    return o;
  }
  o.set("text", d.text);
  const DecisionInput& in = d.input;
  o.set("clauses", strings(in.clauses));
  if (in.summary) o.set("summary", *in.summary);
  o.set("basis", strings(in.basis));
  if (in.proposal) {
    auto p = obj();
    p.set("heading", in.proposal->heading);
    if (in.proposal->text) p.set("text", *in.proposal->text);
    p.set("clauses", strings(in.proposal->clauses));
    o.set("proposal", p);
  }
  o.set("speakers", strings(in.speakers));
  Array motions;
  for (const auto& m : in.motions) {
    auto mo = obj();
    mo.set("mover", m.mover);
    mo.set("text", m.text);
    mo.set("supporters", strings(m.supporters));
    motions.add(mo);
  }
  o.set("motions", motions);
  o.set("propositions", strings(in.propositions));
  if (in.proposition) o.set("proposition", *in.proposition);
  if (in.votes) {
    auto v = obj();
    v.set("yes", in.votes->yes);
    v.set("no", in.votes->no);
    v.set("abstain", in.votes->abstain);
    o.set("votes", v);
  }
  Array votings;
  for (const auto& v : in.votings) {
    auto vo = obj();
    vo.set("proposition", v.proposition);
    Array ballots;
    for (const auto& b : v.ballots) {
      auto bo = obj();
      bo.set("name", b.name);
      bo.set("vote", b.vote);
      ballots.add(bo);
    }
    vo.set("ballots", ballots);
    vo.set("yes", v.totals.yes);
    vo.set("no", v.totals.no);
    vo.set("abstain", v.totals.abstain);
    vo.set("result", v.result);
    votings.add(vo);
  }
  o.set("votings", votings);
  Array res;
  for (const auto& r : in.reservations) {
    auto ro = obj();
    ro.set("name", r.name);
    if (r.reason) ro.set("reason", *r.reason);
    res.add(ro);
  }
  o.set("reservations", res);
  Array notes;
  for (const auto& n : in.notes) {
    auto no = obj();
    no.set("name", n.name);
    no.set("text", n.text);
    notes.add(no);
  }
  o.set("notes", notes);
  o.set("disqualified", strings(in.disqualified));
  o.set("send_to", strings(in.send_to));
  if (in.proposes_to) o.set("proposes_to", *in.proposes_to);
  o.set("recorded_at", d.recorded_at);
  o.set("recorded_by", d.recorded_by);
  Array history;
  for (const auto& h : d.history) {
    auto ho = obj();
    ho.set("version", h.version);
    ho.set("outcome", h.outcome);
    ho.set("text", h.text);
    ho.set("recorded_at", h.recorded_at);
    ho.set("recorded_by", h.recorded_by);
    ho.set("replaced_at", h.replaced_at);
    ho.set("replaced_by", h.replaced_by);
    ho.set("reason", h.reason);
    history.add(ho);
  }
  o.set("history", history);
  Array rects;
  for (const auto& r : d.rectifications) {
    auto ro = obj();
    ro.set("id", r.id);
    ro.set("text", r.text);
    ro.set("reason", r.reason);
    ro.set("recorded_at", r.recorded_at);
    ro.set("recorded_by", r.recorded_by);
    if (r.reported_meeting) ro.set("reported_meeting", *r.reported_meeting);
    if (r.reported_date) ro.set("reported_date", *r.reported_date);
    rects.add(ro);
  }
  o.set("rectifications", rects);
  return o;
}

Object meetingJson(const Meeting& m, const Organisation& org,
                   const std::function<std::optional<std::string>(const Decision&)>& masked) {
  auto o = obj();
  o.set("id", m.id);
  o.set("committee", m.committee);
  if (auto* c = org.committee(m.committee)) o.set("committee_name", c->name);
  o.set("date", m.date);
  if (m.time) o.set("time", *m.time);
  if (m.end_time) o.set("end_time", *m.end_time);
  if (m.place) o.set("place", *m.place);
  if (m.chair) o.set("chair", *m.chair);
  o.set("adjusters", strings(m.adjusters));
  if (m.adjust_date) o.set("adjust_date", *m.adjust_date);
  if (m.adjust_place) o.set("adjust_place", *m.adjust_place);
  if (m.first_paragraph) o.set("first_paragraph", *m.first_paragraph);
  Array attendance;
  for (const auto& a : m.attendance) {
    auto ao = obj();
    ao.set("name", a.name);
    ao.set("role", a.role);
    if (a.username) ao.set("username", *a.username);
    if (a.party) ao.set("party", *a.party);
    if (a.substitute_for) ao.set("substitute_for", *a.substitute_for);
    switch (presenceOf(a)) {
      case Presence::kMember: ao.set("presence", "ledamot"); break;
      case Presence::kServingSubstitute: ao.set("presence", "tjanstgorande_ersattare"); break;
      case Presence::kSubstitute: ao.set("presence", "ersattare"); break;
      case Presence::kOfficial: ao.set("presence", "ovrig"); break;
    }
    attendance.add(ao);
  }
  o.set("attendance", attendance);
  o.set("notice_version", m.notice_version);
  Array notices;
  for (const auto& n : m.notices) {
    auto no = obj();
    no.set("version", n.version);
    no.set("sent_at", n.sent_at);
    no.set("sent_by", n.sent_by);
    no.set("changes", strings(n.changes));
    notices.add(no);
  }
  o.set("notices", notices);
  o.set("pending_changes", strings(m.pending_changes));
  o.set("minutes_drawn", m.minutes_drawn);
  o.set("attested", m.attested_at.has_value());
  if (m.attested_at) o.set("attested_at", *m.attested_at);
  if (m.posted_on) o.set("posted_on", *m.posted_on);
  if (m.appeal_until) o.set("appeal_until", *m.appeal_until);
  Array items;
  for (const auto& a : m.items) {
    auto io = obj();
    io.set("item", a.position);
    io.set("kind", a.kind);
    io.set("kind_label", agendaItemKindLabel(a.kind));
    if (a.case_id) io.set("case", *a.case_id);
    if (a.dnr) io.set("dnr", *a.dnr);
    io.set("title", a.title);
    if (a.paragraph) io.set("paragraph", *a.paragraph);
    if (a.decision) {
      io.set("decision", decisionJson(*a.decision, org, masked ? masked(*a.decision) : std::nullopt));
    }
    items.add(io);
  }
  o.set("items", items);
  Array att;
  for (const auto& a : m.attestations) {
    auto ao = obj();
    ao.set("username", a.username);
    ao.set("capacity", a.capacity);
    ao.set("at", a.at);
    ao.set("method", a.method);
    if (a.confirmed_at) ao.set("confirmed_at", *a.confirmed_at);
    att.add(ao);
  }
  o.set("attestations", att);
  Array reported;
  for (const auto& r : m.rectifications) {
    auto ro = obj();
    ro.set("id", r.id);
    ro.set("text", r.text);
    ro.set("reason", r.reason);
    ro.set("recorded_at", r.recorded_at);
    reported.add(ro);
  }
  o.set("rectifications_reported", reported);
  return o;
}

NewMeeting readNewMeeting(const Object::Ptr& body, std::vector<FieldError>& errors) {
  NewMeeting m;
  m.committee = stringField(body, "committee", errors, true, 40).value_or("");
  m.date = stringField(body, "date", errors, true, 20).value_or("");
  m.time = stringField(body, "time", errors, false, 5);
  m.end_time = stringField(body, "end_time", errors, false, 5);
  m.place = stringField(body, "place", errors, false, 200);
  m.chair = stringField(body, "chair", errors, false, 64);
  m.adjusters = stringList(body, "adjusters", errors);
  m.adjust_date = stringField(body, "adjust_date", errors, false, 20);
  m.adjust_place = stringField(body, "adjust_place", errors, false, 200);
  m.first_paragraph = intField(body, "first_paragraph", 1, 100000, errors);
  m.attendance = readAttendance(body, errors);
  return m;
}

MeetingChange readMeetingChange(const Object::Ptr& body, std::vector<FieldError>& errors) {
  MeetingChange c;
  c.time = stringField(body, "time", errors, false, 5);
  c.end_time = stringField(body, "end_time", errors, false, 5);
  c.place = stringField(body, "place", errors, false, 200);
  c.chair = stringField(body, "chair", errors, false, 64);
  c.adjust_date = stringField(body, "adjust_date", errors, false, 20);
  c.adjust_place = stringField(body, "adjust_place", errors, false, 200);
  c.first_paragraph = intField(body, "first_paragraph", 1, 100000, errors);
  if (body->has("adjusters")) c.adjusters = stringList(body, "adjusters", errors);
  if (body->has("attendance")) c.attendance = readAttendance(body, errors);
  return c;
}

DecisionInput readDecision(const Object::Ptr& body, std::vector<FieldError>& errors) {
  DecisionInput d;
  d.outcome = stringField(body, "outcome", errors, false, 40).value_or("");
  d.text = stringField(body, "text", errors, false, 20000);
  d.clauses = stringList(body, "clauses", errors);
  d.summary = stringField(body, "summary", errors, false, 20000);
  d.basis = stringList(body, "basis", errors);
  d.speakers = stringList(body, "speakers", errors);
  d.propositions = stringList(body, "propositions", errors);
  d.proposition = stringField(body, "proposition", errors, false, 4000);
  d.disqualified = stringList(body, "disqualified", errors);
  d.send_to = stringList(body, "send_to", errors);
  d.proposes_to = stringField(body, "proposes_to", errors, false, 40);
  if (body->has("proposal") && !body->isNull("proposal")) {
    auto p = body->getObject("proposal");
    if (!p) {
      errors.push_back({"proposal", "måste vara ett objekt {heading, text?, clauses?}"});
    } else {
      std::vector<FieldError> inner;
      Proposal pr;
      pr.heading = stringField(p, "heading", inner, true, 200).value_or("");
      pr.text = stringField(p, "text", inner, false, 4000);
      pr.clauses = stringList(p, "clauses", inner);
      prefixed(errors, "proposal", std::move(inner));
      d.proposal = pr;
    }
  }
  eachObject(body, "motions", 100, "{mover, text, supporters?}", errors,
             [&](const Object::Ptr& mo, const std::string& path) {
               std::vector<FieldError> inner;
               auto mover = stringField(mo, "mover", inner, true, 200);
               auto txt = stringField(mo, "text", inner, true, 4000);
               auto supporters = stringList(mo, "supporters", inner);
               prefixed(errors, path, std::move(inner));
               if (mover && txt) d.motions.push_back({*mover, *txt, supporters});
             });
  eachObject(body, "reservations", 100, "{name, reason?}", errors,
             [&](const Object::Ptr& ro, const std::string& path) {
               std::vector<FieldError> inner;
               auto name = stringField(ro, "name", inner, true, 200);
               auto reason = stringField(ro, "reason", inner, false, 4000);
               prefixed(errors, path, std::move(inner));
               if (name) d.reservations.push_back({*name, reason});
             });
  eachObject(body, "notes", 100, "{name, text}", errors,
             [&](const Object::Ptr& no, const std::string& path) {
               std::vector<FieldError> inner;
               auto name = stringField(no, "name", inner, true, 200);
               auto txt = stringField(no, "text", inner, true, 4000);
               prefixed(errors, path, std::move(inner));
               if (name && txt) d.notes.push_back({*name, *txt});
             });
  eachObject(body, "votings", 20, "{proposition, ballots?, yes?, no?, abstain?, result?}", errors,
             [&](const Object::Ptr& vo, const std::string& path) {
               std::vector<FieldError> inner;
               Voting v;
               v.proposition = stringField(vo, "proposition", inner, true, 2000).value_or("");
               v.result = stringField(vo, "result", inner, false, 2000).value_or("");
               v.totals.yes = intField(vo, "yes", 0, 10000, inner).value_or(0);
               v.totals.no = intField(vo, "no", 0, 10000, inner).value_or(0);
               v.totals.abstain = intField(vo, "abstain", 0, 10000, inner).value_or(0);
               eachObject(vo, "ballots", 500, "{name, vote}", inner,
                          [&](const Object::Ptr& bo, const std::string& bpath) {
                            std::vector<FieldError> b_inner;
                            auto name = stringField(bo, "name", b_inner, true, 200);
                            auto vote = stringField(bo, "vote", b_inner, true, 10);
                            prefixed(inner, bpath, std::move(b_inner));
                            if (name && vote) v.ballots.push_back({*name, *vote});
                          });
               prefixed(errors, path, std::move(inner));
               d.votings.push_back(std::move(v));
             });
  if (body->has("votes") && !body->isNull("votes")) {
    auto v = body->getObject("votes");
    if (!v) {
      errors.push_back({"votes", "ange yes, no och abstain som heltal"});
    } else {
      std::vector<FieldError> inner;
      auto yes = intField(v, "yes", 0, 10000, inner);
      auto no = intField(v, "no", 0, 10000, inner);
      auto abstain = intField(v, "abstain", 0, 10000, inner);
      if (!yes || !no) inner.push_back({"yes", "ange yes och no som heltal"});
      prefixed(errors, "votes", std::move(inner));
      if (yes && no) d.votes = Votes{*yes, *no, abstain.value_or(0)};
    }
  }
  // Ballots' totals follow from the ballots.
  for (auto& v : d.votings) {
    if (v.ballots.empty() || v.totals.yes || v.totals.no || v.totals.abstain) continue;
    for (const auto& b : v.ballots) {
      if (b.vote == "ja") ++v.totals.yes;
      if (b.vote == "nej") ++v.totals.no;
      if (b.vote == "avstar") ++v.totals.abstain;
    }
  }
  return d;
}

}  // namespace kansli::api
