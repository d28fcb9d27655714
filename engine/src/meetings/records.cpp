#include "meetings/records.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "kansli/audit.h"
#include "kansli/text.h"
#include "store/diarium_repo.h"
#include "store/meetings_repo.h"
#include "store/tx.h"
#include "kansli/json_text.h"
#include "util/json.h"

namespace kansli {

Presence presenceOf(const Attendee& a) {
  const std::string& r = a.role;
  auto has = [&](const char* word) { return r.find(word) != std::string::npos; };
  if (has("sekreterare") || has("tjänsteperson") || has("tjänsteman") || has("chef") ||
      has("handläggare") || has("direktör") || has("föredragande") || has("övrig")) {
    return Presence::kOfficial;
  }
  if (has("ersättare")) {
    return a.substitute_for || has("tjänstgörande") || has("ersättare för")
               ? Presence::kServingSubstitute
               : Presence::kSubstitute;
  }
  return a.substitute_for ? Presence::kServingSubstitute : Presence::kMember;
}

namespace meetings {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Array stringsArray(const std::vector<std::string>& v) {
  Array a;
  for (const auto& s : v) a.add(s);
  return a;
}

std::vector<std::string> stringsOf(const Object::Ptr& o, const char* key) {
  std::vector<std::string> out;
  if (auto a = o->getArray(key)) {
    for (size_t i = 0; i < a->size(); ++i) {
      out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
    }
  }
  return out;
}

bool startsLower(const std::string& s) {
  if (s.empty()) return false;
  unsigned char c = static_cast<unsigned char>(s[0]);
  if (c < 0x80) return std::islower(c) != 0;
  // å ä ö é (C3 A5/A4/B6/A9) are lower case; Å Ä Ö É (C3 85/84/96/89) are not.
  if (c == 0xC3 && s.size() > 1) {
    unsigned char n = static_cast<unsigned char>(s[1]);
    return n >= 0xA0;
  }
  return false;
}

// "Bifall till förslaget" -> "bifall till förslaget" (not "SD", "KF").
std::string lowerFirst(std::string s) {
  if (s.size() >= 2 && std::isupper(static_cast<unsigned char>(s[0])) &&
      std::islower(static_cast<unsigned char>(s[1]))) {
    s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  }
  return s;
}

std::string withFullStop(std::string s) {
  s = text::trim(s);
  if (!s.empty() && s.back() != '.' && s.back() != '!' && s.back() != '?' && s.back() != ':') {
    s += '.';
  }
  return s;
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
    if (p.username) o.set("username", *p.username);
    if (p.party) o.set("party", *p.party);
    if (p.substitute_for) o.set("substitute_for", *p.substitute_for);
    arr.add(o);
  }
  return jsonText(arr);
}

Result<std::vector<Attendee>> attendanceFrom(const std::string& json, std::int64_t meeting_id) {
  std::vector<Attendee> out;
  try {
    Poco::JSON::Parser p;
    auto arr = p.parse(json).extract<Array::Ptr>();
    for (size_t i = 0; i < arr->size(); ++i) {
      auto o = arr->getObject(static_cast<unsigned>(i));
      Attendee a{o->getValue<std::string>("name"), o->getValue<std::string>("role")};
      if (o->has("username")) a.username = o->getValue<std::string>("username");
      if (o->has("party")) a.party = o->getValue<std::string>("party");
      if (o->has("substitute_for")) a.substitute_for = o->getValue<std::string>("substitute_for");
      out.push_back(std::move(a));
    }
  } catch (const std::exception&) {
    return std::unexpected(Error::internal("närvaron för sammanträde " + std::to_string(meeting_id) +
                                           " är skadad i databasen"));
  }
  return out;
}

std::string linesJson(const std::vector<std::string>& lines) {
  return jsonText(stringsArray(lines));
}

std::vector<std::string> linesFrom(const std::string& json) {
  std::vector<std::string> out;
  try {
    Poco::JSON::Parser p;
    auto arr = p.parse(json).extract<Array::Ptr>();
    for (size_t i = 0; i < arr->size(); ++i) {
      out.push_back(arr->getElement<std::string>(static_cast<unsigned>(i)));
    }
  } catch (const std::exception&) {
  }
  return out;
}

std::string detailsJson(const DecisionInput& d) {
  auto o = json::ordered();
  o.set("clauses", stringsArray(d.clauses));
  if (d.text) o.set("text", *d.text);
  if (d.summary) o.set("summary", *d.summary);
  if (!d.basis.empty()) o.set("basis", stringsArray(d.basis));
  if (d.proposal) {
    auto p = json::ordered();
    p.set("heading", d.proposal->heading);
    if (d.proposal->text) p.set("text", *d.proposal->text);
    p.set("clauses", stringsArray(d.proposal->clauses));
    o.set("proposal", p);
  }
  if (!d.speakers.empty()) o.set("speakers", stringsArray(d.speakers));
  Array motions;
  for (const auto& m : d.motions) {
    auto mo = json::ordered();
    mo.set("mover", m.mover);
    mo.set("text", m.text);
    if (!m.supporters.empty()) mo.set("supporters", stringsArray(m.supporters));
    motions.add(mo);
  }
  o.set("motions", motions);
  if (!d.propositions.empty()) o.set("propositions", stringsArray(d.propositions));
  if (d.proposition) o.set("proposition", *d.proposition);
  if (d.votes) {
    auto v = json::ordered();
    v.set("yes", d.votes->yes);
    v.set("no", d.votes->no);
    v.set("abstain", d.votes->abstain);
    o.set("votes", v);
  }
  if (!d.votings.empty()) {
    Array votings;
    for (const auto& v : d.votings) {
      auto vo = json::ordered();
      vo.set("proposition", v.proposition);
      Array ballots;
      for (const auto& b : v.ballots) {
        auto bo = json::ordered();
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
  }
  Array res;
  for (const auto& r : d.reservations) {
    auto ro = json::ordered();
    ro.set("name", r.name);
    if (r.reason) ro.set("reason", *r.reason);
    res.add(ro);
  }
  o.set("reservations", res);
  if (!d.notes.empty()) {
    Array notes;
    for (const auto& n : d.notes) {
      auto no = json::ordered();
      no.set("name", n.name);
      no.set("text", n.text);
      notes.add(no);
    }
    o.set("notes", notes);
  }
  o.set("disqualified", stringsArray(d.disqualified));
  o.set("send_to", stringsArray(d.send_to));
  if (d.proposes_to) o.set("proposes_to", *d.proposes_to);
  return jsonText(o);
}

Result<DecisionInput> detailsFrom(const std::string& outcome, const std::string& json,
                                  std::int64_t decision_id) {
  DecisionInput d;
  d.outcome = outcome;
  try {
    Poco::JSON::Parser p;
    auto o = p.parse(json).extract<Object::Ptr>();
    d.clauses = stringsOf(o, "clauses");
    if (o->has("text")) d.text = o->getValue<std::string>("text");
    if (o->has("summary")) d.summary = o->getValue<std::string>("summary");
    d.basis = stringsOf(o, "basis");
    if (auto po = o->getObject("proposal")) {
      Proposal pr;
      pr.heading = po->getValue<std::string>("heading");
      if (po->has("text")) pr.text = po->getValue<std::string>("text");
      pr.clauses = stringsOf(po, "clauses");
      d.proposal = pr;
    }
    d.speakers = stringsOf(o, "speakers");
    if (auto a = o->getArray("motions")) {
      for (size_t i = 0; i < a->size(); ++i) {
        auto m = a->getObject(static_cast<unsigned>(i));
        d.motions.push_back({m->getValue<std::string>("mover"), m->getValue<std::string>("text"),
                             stringsOf(m, "supporters")});
      }
    }
    d.propositions = stringsOf(o, "propositions");
    if (o->has("proposition")) d.proposition = o->getValue<std::string>("proposition");
    if (auto v = o->getObject("votes")) {
      d.votes = Votes{v->getValue<int>("yes"), v->getValue<int>("no"), v->getValue<int>("abstain")};
    }
    if (auto a = o->getArray("votings")) {
      for (size_t i = 0; i < a->size(); ++i) {
        auto vo = a->getObject(static_cast<unsigned>(i));
        Voting v;
        v.proposition = vo->getValue<std::string>("proposition");
        if (auto b = vo->getArray("ballots")) {
          for (size_t j = 0; j < b->size(); ++j) {
            auto bo = b->getObject(static_cast<unsigned>(j));
            v.ballots.push_back({bo->getValue<std::string>("name"), bo->getValue<std::string>("vote")});
          }
        }
        v.totals = Votes{vo->getValue<int>("yes"), vo->getValue<int>("no"),
                         vo->getValue<int>("abstain")};
        v.result = vo->getValue<std::string>("result");
        d.votings.push_back(std::move(v));
      }
    }
    if (auto a = o->getArray("reservations")) {
      for (size_t i = 0; i < a->size(); ++i) {
        auto r = a->getObject(static_cast<unsigned>(i));
        Reservation res{r->getValue<std::string>("name"), std::nullopt};
        if (r->has("reason")) res.reason = r->getValue<std::string>("reason");
        d.reservations.push_back(res);
      }
    }
    if (auto a = o->getArray("notes")) {
      for (size_t i = 0; i < a->size(); ++i) {
        auto n = a->getObject(static_cast<unsigned>(i));
        d.notes.push_back({n->getValue<std::string>("name"), n->getValue<std::string>("text")});
      }
    }
    d.disqualified = stringsOf(o, "disqualified");
    d.send_to = stringsOf(o, "send_to");
    if (o->has("proposes_to")) d.proposes_to = o->getValue<std::string>("proposes_to");
  } catch (const std::exception&) {
    return std::unexpected(Error::internal("beslut " + std::to_string(decision_id) +
                                           " är skadat i databasen"));
  }
  return d;
}

std::string clauseText(const std::string& clause) {
  std::string c = text::trim(clause);
  if (c.rfind("att ", 0) == 0 || !startsLower(c)) return c;
  return "att " + c;
}

std::string decisionText(const DecisionInput& d, const std::string& committee_name) {
  std::string out = d.text.value_or("");
  if (!d.clauses.empty()) {
    if (!out.empty()) out += "\n\n";
    out += committee_name + " beslutar";
    for (const auto& c : d.clauses) out += "\n\n" + clauseText(c);
  }
  return out;
}

std::string genitive(const std::string& name) {
  if (name.empty()) return name;
  char last = name.back();
  if (last == 's' || last == 'x' || last == 'z') return name;
  return name + "s";
}

std::string decisionIntro(const DecisionInput& d, const Organisation& org,
                          const std::string& committee) {
  const Committee* cm = org.committee(committee);
  std::string name = cm ? cm->name : committee;
  if (d.proposes_to) {
    const Committee* to = org.committee(*d.proposes_to);
    std::string target = to ? to->name : *d.proposes_to;
    return name + " föreslår " + lowerFirst(target) + " besluta följande:";
  }
  return name + " beslutar";
}

std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " och " : ", ";
    out += text::trim(names[i]);
  }
  return out;
}

std::string motionLine(const Motion& m) {
  std::string out = text::trim(m.mover);
  if (!m.supporters.empty()) out += " med instämmande av " + joinNames(m.supporters);
  std::string what = lowerFirst(text::trim(m.text));
  if (what.rfind("yrkar ", 0) == 0) what = what.substr(6);
  return withFullStop(out + " yrkar " + what);
}

std::string reservationLine(const Reservation& r) {
  std::string out = text::trim(r.name) + " reserverar sig mot beslutet";
  if (r.reason && !text::trim(*r.reason).empty()) {
    return withFullStop(out + ": " + text::trim(*r.reason));
  }
  return out + ".";
}

std::string votingResultLine(const Voting& v, const std::string& committee_name) {
  if (!text::trim(v.result).empty()) return withFullStop(v.result);
  std::string out = "Med " + std::to_string(v.totals.yes) + " ja-röster mot " +
                    std::to_string(v.totals.no) + " nej-röster";
  if (v.totals.abstain > 0) out += ", " + std::to_string(v.totals.abstain) + " avstår,";
  out += " har " + lowerFirst(committee_name) + " beslutat enligt " +
         (v.totals.yes >= v.totals.no ? "ja" : "nej") + "-propositionen.";
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
                                           workflow::GuardKind guard,
                                           const std::string& outcome) {
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

Result<Meeting> loadMeeting(store::Tx& tx, std::int64_t id) {
  KANSLI_ASSIGN_OR_RETURN(auto row, tx.meetings().meetingById(id));
  if (!row) return std::unexpected(Error::notFound("sammanträdet finns inte"));
  const auto& r = *row;
  Meeting m;
  m.id = r.id;
  m.committee = r.committee;
  m.date = r.date;
  m.time = r.time;
  m.place = r.place;
  m.chair = r.chair;
  m.adjusters = text::splitList(r.adjusters);
  KANSLI_ASSIGN_OR_RETURN(m.attendance, attendanceFrom(r.attendance_json, r.id));
  m.end_time = r.end_time;
  m.adjust_date = r.adjust_date;
  m.adjust_place = r.adjust_place;
  m.first_paragraph = r.first_paragraph;
  m.notice_version = r.notice_version;
  m.pending_changes = linesFrom(r.notice_pending);
  m.minutes_drawn = r.minutes_drawn;
  m.attested_at = r.attested_at;
  m.posted_on = r.posted_on;
  m.appeal_until = r.appeal_until;
  m.created_by = r.created_by;
  KANSLI_ASSIGN_OR_RETURN(auto notices, tx.meetings().noticesOf(id));
  for (const auto& n : notices) {
    m.notices.push_back({n.version, n.sent_at, n.sent_by, linesFrom(n.changes_json)});
  }
  KANSLI_ASSIGN_OR_RETURN(auto items, tx.meetings().agendaOf(id));
  KANSLI_ASSIGN_OR_RETURN(auto decisions, tx.meetings().decisionsOfMeeting(id));
  for (const auto& a : items) {
    AgendaItem item;
    item.position = a.position;
    item.kind = a.kind;
    item.case_id = a.case_id;
    item.dnr = a.dnr;
    item.title = a.title;
    item.paragraph = a.paragraph;
    for (const auto& d : decisions) {
      if (d.position != a.position) continue;
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
      dec.version = d.version;
      KANSLI_ASSIGN_OR_RETURN(auto versions, tx.meetings().decisionVersionsOf(d.id));
      for (const auto& v : versions) {
        dec.history.push_back({v.version, v.outcome, v.text, v.recorded_at, v.recorded_by,
                               v.replaced_at, v.replaced_by, v.reason});
      }
      KANSLI_ASSIGN_OR_RETURN(auto rect, tx.meetings().rectificationsOf(d.id));
      for (const auto& x : rect) {
        dec.rectifications.push_back({x.id, x.text, x.reason, x.recorded_at, x.recorded_by,
                                      x.reported_meeting_id, x.reported_date});
      }
      dec.attested = m.attested_at.has_value();
      dec.posted_on = m.posted_on;
      dec.appeal_until = m.appeal_until;
      item.decision = dec;
    }
    m.items.push_back(std::move(item));
  }
  KANSLI_ASSIGN_OR_RETURN(auto att, tx.meetings().attestationsOf(id));
  for (const auto& a : att) {
    m.attestations.push_back({a.username, a.capacity, a.at, a.method, a.confirmed_at});
  }
  KANSLI_ASSIGN_OR_RETURN(auto reported, tx.meetings().rectificationsReportedAt(id));
  for (const auto& x : reported) {
    m.rectifications.push_back({x.id, x.text, x.reason, x.recorded_at, x.recorded_by,
                                x.reported_meeting_id, x.reported_date});
  }
  return m;
}

Result<void> seeDecisionsOf(store::Tx& tx, Meeting& m, const Viewer& viewer,
                            const Organisation& org, std::vector<std::int64_t>& secret_reads) {
  for (auto& a : m.items) {
    if (!a.decision || !a.case_id) continue;
    KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(*a.case_id));
    if (!c || !c->secrecy) continue;
    if (caseSight(viewer, *c, org) == Sight::kFull) {
      if (std::find(secret_reads.begin(), secret_reads.end(), c->id) == secret_reads.end()) {
        secret_reads.push_back(c->id);
      }
      continue;
    }
    Decision& d = *a.decision;
    const std::string note =
        "Beslutet innehåller uppgifter som omfattas av sekretess (" + c->secrecy->provision + ").";
    d.text = note;
    d.input.text = note;
    // Every word of the secretary's record may quote a secret part: only
    // its shape stays (who voted how, who reserved themselves, who left).
    d.input.clauses.clear();
    d.input.summary.reset();
    d.input.basis.clear();
    d.input.proposal.reset();
    d.input.motions.clear();
    d.input.propositions.clear();
    d.input.proposition.reset();
    for (auto& r : d.input.reservations) r.reason.reset();
    d.input.notes.clear();
    for (auto& v : d.input.votings) {
      v.proposition = note;
      v.result.clear();
    }
    for (auto& v : d.history) v.text = note;
    for (auto& r : d.rectifications) {
      r.text = note;
      r.reason.clear();
    }
  }
  return ok();
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

std::string kindFromTitle(const std::string& title) {
  std::string t = text::trim(title);
  std::string lower;
  for (char c : t) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.rfind("val av justerare", 0) == 0) return "val_av_justerare";
  if (lower.find("delegationsbeslut") != std::string::npos) return "delegationsbeslut";
  if (lower.rfind("information", 0) == 0) return "information";
  return "ovrigt";
}

std::vector<FieldError> checkAttendance(const std::vector<Attendee>& attendance) {
  std::vector<FieldError> errors;
  std::map<std::string, int> seen;
  for (size_t i = 0; i < attendance.size(); ++i) {
    const auto& a = attendance[i];
    std::string f = "attendance[" + std::to_string(i) + "]";
    if (text::trim(a.name).empty()) errors.push_back({f + ".name", "ange namnet"});
    if (auto [it, fresh] = seen.emplace(text::trim(a.name), static_cast<int>(i)); !fresh) {
      errors.push_back({f + ".name", a.name + " står redan som närvarande"});
    }
  }
  for (size_t i = 0; i < attendance.size(); ++i) {
    const auto& a = attendance[i];
    if (!a.substitute_for) continue;
    std::string f = "attendance[" + std::to_string(i) + "].substitute_for";
    std::string whom = text::trim(*a.substitute_for);
    if (whom.empty()) {
      errors.push_back({f, "ange vilken ledamot ersättaren tjänstgör för"});
      continue;
    }
    if (whom == text::trim(a.name)) {
      errors.push_back({f, "en ersättare kan inte tjänstgöra för sig själv"});
      continue;
    }
    auto it = seen.find(whom);
    if (it != seen.end() && presenceOf(attendance[static_cast<size_t>(it->second)]) == Presence::kMember) {
      errors.push_back({f, whom + " är själv närvarande och tjänstgör; ersättaren kan inte tjänstgöra för " + whom});
    }
    for (size_t j = 0; j < i; ++j) {
      if (attendance[j].substitute_for && text::trim(*attendance[j].substitute_for) == whom) {
        errors.push_back({f, "en annan ersättare tjänstgör redan för " + whom});
      }
    }
  }
  return errors;
}

}  // namespace meetings
}  // namespace kansli
