#include "meetings/records.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>

#include "kansli/text.h"
#include "store/meetings_repo.h"
#include "store/tx.h"
#include "util/json.h"

namespace kansli::meetings {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::vector<std::string> strings(const Object::Ptr& o, const char* key) {
  std::vector<std::string> out;
  if (auto a = o->getArray(key)) {
    for (size_t i = 0; i < a->size(); ++i) {
      out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
    }
  }
  return out;
}

void readMotions(const Object::Ptr& o, DecisionInput& d) {
  if (auto a = o->getArray("motions")) {
    for (size_t i = 0; i < a->size(); ++i) {
      auto m = a->getObject(static_cast<unsigned>(i));
      d.motions.push_back({m->getValue<std::string>("mover"), m->getValue<std::string>("text")});
    }
  }
}

void readReservations(const Object::Ptr& o, DecisionInput& d) {
  if (auto a = o->getArray("reservations")) {
    for (size_t i = 0; i < a->size(); ++i) {
      auto r = a->getObject(static_cast<unsigned>(i));
      Reservation res{r->getValue<std::string>("name"), std::nullopt};
      if (r->has("reason")) res.reason = r->getValue<std::string>("reason");
      d.reservations.push_back(res);
    }
  }
}

Array toArray(const std::vector<std::string>& v) {
  Array a;
  for (const auto& x : v) a.add(x);
  return a;
}

// A code point the index tokenizer (FTS5 unicode61) takes as part of a word:
// letters and digits. Punctuation, symbols and spaces separate words.
bool wordCodePoint(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  }
  if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7) return false;       // Latin-1 punctuation, × ÷
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;                // punctuation, symbols, arrows
  if (cp >= 0x3000 && cp <= 0x303F) return false;                // CJK punctuation
  return true;
}

// The words of `s` in order, each with its folded form.
std::vector<std::pair<std::string, std::string>> words(const std::string& s) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) out.emplace_back(word, text::foldSv(word));
    word.clear();
  };
  char32_t cp = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = text::decodeUtf8(s, i, cp);
    if (n == 0) {
      flush();
      ++i;
      continue;
    }
    if (wordCodePoint(cp)) {
      word.append(s, i, n);
    } else {
      flush();
    }
    i += n;
  }
  flush();
  return out;
}

bool isSecret(const std::optional<Secrecy>& s, const std::string& field) {
  return s && std::find(s->fields.begin(), s->fields.end(), field) != s->fields.end();
}

}  // namespace

std::string attendanceJson(const std::vector<Attendee>& a) {
  Array arr;
  for (const auto& p : a) {
    auto o = json::ordered();
    o.set("name", p.name);
    o.set("role", p.role);
    arr.add(o);
  }
  return json::str(arr);
}

Result<std::vector<Attendee>> attendanceFrom(const std::string& stored, std::int64_t meeting_id) {
  std::vector<Attendee> out;
  try {
    Poco::JSON::Parser p;
    auto arr = p.parse(stored).extract<Array::Ptr>();
    for (size_t i = 0; i < arr->size(); ++i) {
      auto o = arr->getObject(static_cast<unsigned>(i));
      out.push_back({o->optValue<std::string>("name", ""), o->optValue<std::string>("role", "")});
    }
  } catch (const std::exception& e) {
    return std::unexpected(Error::internal("närvarolistan för sammanträde " +
                                           std::to_string(meeting_id) +
                                           " är skadad i databasen: " + e.what()));
  }
  return out;
}

std::string detailsJson(const DecisionInput& d) {
  auto o = json::ordered();
  o.set("clauses", toArray(d.clauses));
  if (d.text) o.set("text", *d.text);
  Array motions;
  for (const auto& m : d.motions) {
    auto mo = json::ordered();
    mo.set("mover", m.mover);
    mo.set("text", m.text);
    motions.add(mo);
  }
  o.set("motions", motions);
  if (d.proposition) o.set("proposition", *d.proposition);
  if (d.votes) {
    auto v = json::ordered();
    v.set("yes", d.votes->yes);
    v.set("no", d.votes->no);
    v.set("abstain", d.votes->abstain);
    o.set("votes", v);
  }
  Array res;
  for (const auto& r : d.reservations) {
    auto ro = json::ordered();
    ro.set("name", r.name);
    if (r.reason) ro.set("reason", *r.reason);
    res.add(ro);
  }
  o.set("reservations", res);
  o.set("disqualified", toArray(d.disqualified));
  o.set("send_to", toArray(d.send_to));
  return json::str(o);
}

Result<DecisionInput> detailsFrom(const std::string& outcome, const std::string& stored,
                                  std::int64_t decision_id) {
  DecisionInput d;
  d.outcome = outcome;
  try {
    Poco::JSON::Parser p;
    auto o = p.parse(stored).extract<Object::Ptr>();
    d.clauses = strings(o, "clauses");
    if (o->has("text")) d.text = o->getValue<std::string>("text");
    readMotions(o, d);
    if (o->has("proposition")) d.proposition = o->getValue<std::string>("proposition");
    if (auto v = o->getObject("votes")) {
      d.votes = Votes{v->getValue<int>("yes"), v->getValue<int>("no"), v->getValue<int>("abstain")};
    }
    readReservations(o, d);
    d.disqualified = strings(o, "disqualified");
    d.send_to = strings(o, "send_to");
  } catch (const std::exception& e) {
    return std::unexpected(Error::internal("beslut " + std::to_string(decision_id) +
                                           " är skadat i databasen: " + e.what()));
  }
  return d;
}

std::string decisionText(const DecisionInput& d, const std::string& committee_name) {
  std::string out = d.text.value_or("");
  if (!d.clauses.empty()) {
    if (!out.empty()) out += "\n\n";
    out += committee_name + " beslutar";
    for (const auto& c : d.clauses) {
      std::string clause = text::trim(c);
      if (clause.rfind("att ", 0) != 0) clause = "att " + clause;
      out += "\n\n" + clause;
    }
  }
  return out;
}

std::string memoPlainText(const Memo& memo) {
  std::string out = memo.title + "\n";
  auto inlines = [&](const MemoInlines& content) {
    for (const auto& in : content) {
      if (const auto* t = std::get_if<MemoText>(&in)) {
        out += t->text + " ";
      } else if (const auto* f = std::get_if<MemoFootnote>(&in)) {
        for (const auto& fi : f->content) {
          if (const auto* ft = std::get_if<MemoText>(&fi)) out += ft->text + " ";
        }
      }
    }
    out += "\n";
  };
  for (const auto& section : memo.sections) {
    out += section.heading + "\n";
    for (const auto& block : section.blocks) {
      if (const auto* p = std::get_if<MemoParagraph>(&block)) {
        inlines(p->content);
      } else if (const auto* l = std::get_if<MemoList>(&block)) {
        for (const auto& item : l->items) inlines(item);
      } else if (const auto* h = std::get_if<MemoSubheading>(&block)) {
        out += h->text + "\n";
      }
    }
  }
  return out;
}

std::set<std::string> secretWords(const Case& c, const std::vector<Document>& docs) {
  std::set<std::string> out;
  auto add = [&](const std::string& s) {
    for (auto& [word, folded] : words(s)) out.insert(folded);
  };
  if (isSecret(c.secrecy, "subject")) add(c.subject);
  if (isSecret(c.secrecy, "senders")) {
    for (const auto& s : c.senders) {
      add(s.name);
      if (s.organisation) add(*s.organisation);
    }
  }
  for (const auto& d : docs) {
    if (isSecret(d.secrecy, "title")) add(d.title);
    if (isSecret(d.secrecy, "counterpart") && d.counterpart) add(*d.counterpart);
  }
  return out;
}

std::string withoutWords(const std::string& text, const std::set<std::string>& secret) {
  std::string out;
  for (auto& [word, folded] : words(text)) {
    if (secret.count(folded)) continue;
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

const workflow::Transition* findTransition(const workflow::Workflow& wf, const std::string& state,
                                           workflow::GuardKind guard, const std::string& outcome) {
  for (const auto* t : wf.transitionsFrom(state)) {
    for (const auto& g : t->guards) {
      if (g.kind != guard) continue;
      if (guard != workflow::GuardKind::kDecisionOutcome ||
          std::find(g.args.begin(), g.args.end(), outcome) != g.args.end()) {
        return t;
      }
    }
  }
  return nullptr;
}

User systemUser() {
  User u;
  u.username = audit::Actor::system().username;
  u.display_name = "Kansli (sammanträde)";
  u.role = Role::kNamndsekreterare;  // the workflow lets the secretary's steps through
  return u;
}

namespace {

Result<Decision> decisionOf(const store::DecisionRow& d, const store::AgendaRow& a,
                            const Meeting& m) {
  Decision dec;
  dec.id = d.id;
  dec.meeting_id = d.meeting_id;
  dec.position = d.position;
  dec.case_id = d.case_id;
  dec.dnr = a.dnr;
  dec.committee = m.committee;
  dec.meeting_date = m.date;
  dec.paragraph = a.paragraph;
  dec.title = a.title;
  dec.outcome = d.outcome;
  dec.text = d.text;
  KANSLI_ASSIGN_OR_RETURN(dec.input, detailsFrom(d.outcome, d.details_json, d.id));
  dec.recorded_at = d.recorded_at;
  dec.recorded_by = d.recorded_by;
  dec.attested = m.attested_at.has_value();
  dec.posted_on = m.posted_on;
  dec.appeal_until = m.appeal_until;
  return dec;
}

Meeting meetingOf(const store::MeetingRow& r) {
  Meeting m;
  m.id = r.id;
  m.committee = r.committee;
  m.date = r.date;
  m.time = r.time;
  m.place = r.place;
  m.chair = r.chair;
  m.adjusters = text::splitList(r.adjusters);
  m.minutes_drawn = r.minutes_drawn;
  m.attested_at = r.attested_at;
  m.posted_on = r.posted_on;
  m.appeal_until = r.appeal_until;
  m.created_by = r.created_by;
  return m;
}

}  // namespace

Result<Meeting> loadMeeting(store::Tx& tx, std::int64_t id) {
  KANSLI_ASSIGN_OR_RETURN(auto row, tx.meetings().meetingById(id));
  if (!row) return std::unexpected(Error::notFound("sammanträdet finns inte"));
  Meeting m = meetingOf(*row);
  KANSLI_ASSIGN_OR_RETURN(m.attendance, attendanceFrom(row->attendance_json, id));
  KANSLI_ASSIGN_OR_RETURN(auto items, tx.meetings().agendaOf(id));
  KANSLI_ASSIGN_OR_RETURN(auto decisions, tx.meetings().decisionsOfMeeting(id));
  for (const auto& a : items) {
    AgendaItem item{a.position, a.case_id, a.dnr, a.title, a.paragraph, std::nullopt};
    for (const auto& d : decisions) {
      if (d.position != a.position) continue;
      KANSLI_ASSIGN_OR_RETURN(item.decision, decisionOf(d, a, m));
    }
    m.items.push_back(std::move(item));
  }
  KANSLI_ASSIGN_OR_RETURN(auto att, tx.meetings().attestationsOf(id));
  for (const auto& a : att) m.attestations.push_back({a[0], a[1], a[2]});
  return m;
}

Result<std::vector<Meeting>> loadMeetings(store::Tx& tx,
                                          const std::vector<store::MeetingRow>& rows) {
  std::vector<Meeting> out;
  for (const auto& r : rows) {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, r.id));
    out.push_back(std::move(m));
  }
  return out;
}

Result<void> requireSecretaryOf(const Meeting& m, const User& user) {
  if (user.role != Role::kNamndsekreterare) {
    return std::unexpected(Error::forbidden("bara nämndsekreteraren gör detta"));
  }
  if (user.committee && *user.committee != m.committee) {
    return std::unexpected(Error::forbidden("du är sekreterare i en annan nämnd"));
  }
  return ok();
}

Error ruleBroken(ErrorCode code, const std::string& msg) { return Error{code, msg, {}, {}}; }

}  // namespace kansli::meetings
