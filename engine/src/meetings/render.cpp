// The printed record of a meeting: the kallelse (with the beslutsunderlag),
// the protocol and the extract, as template values (docs/templates.md lists
// every one). What a reader may not see of a secret case is left out here,
// before any template sees it.
#include <algorithm>
#include <map>

#include "access/seen.h"
#include "kansli/access.h"
#include "kansli/meetings.h"
#include "kansli/text.h"
#include "meetings/records.h"
#include "store/accounts_repo.h"
#include "store/diarium_repo.h"
#include "store/meetings_repo.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {

using meetings::genitive;
using meetings::joinNames;

namespace {

// Paragraphs of free text: blank lines separate them.
Value paragraphs(const std::string& text) {
  Value list = Value::list();
  std::string current;
  auto flush = [&] {
    std::string t = text::trim(current);
    if (!t.empty()) list.push(Value::record().set("text", t));
    current.clear();
  };
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    if (text::trim(line).empty()) {
      flush();
    } else {
      current += (current.empty() ? "" : " ") + line;
    }
    pos = end + 1;
  }
  flush();
  return list;
}

Value textList(const std::vector<std::string>& lines) {
  Value list = Value::list();
  for (const auto& l : lines) {
    if (!text::trim(l).empty()) list.push(Value::record().set("text", text::trim(l)));
  }
  return list;
}

std::string voteLabel(const std::string& v) {
  if (v == "ja") return "Ja";
  if (v == "nej") return "Nej";
  return "Avstår";
}

std::string dotted(std::string t) {
  std::replace(t.begin(), t.end(), ':', '.');
  return t;
}

std::string capitalised(std::string s) {
  if (!s.empty() && std::islower(static_cast<unsigned char>(s[0]))) {
    s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  }
  return s;
}

}  // namespace

Result<Template> Meetings::templateNamed(const std::string& name) const {
  return cachedTemplate(name, template_override_dir_);
}

Value Meetings::meetingValues(const Meeting& m, const std::vector<const AgendaItem*>& items,
                              const SightOf& sight) const {
  const Committee* cm = org_.committee(m.committee);
  const std::string committee_name = cm ? cm->name : m.committee;
  auto displayName = [&](const std::string& username) {
    auto u = store_.read([&](store::Tx& tx) { return tx.accounts().userByName(username); });
    return u && *u ? (*u)->display_name : username;
  };
  Value meeting = Value::record();
  meeting.set("committee_id", m.committee);
  meeting.set("committee_name", committee_name);
  meeting.set("committee_genitive", genitive(committee_name));
  meeting.set("date", m.date);
  if (m.time) meeting.set("start_time", dotted(*m.time));
  if (m.end_time) meeting.set("end_time", dotted(*m.end_time));
  meeting.set("place", m.place.value_or(""));
  meeting.set("chair", m.chair ? displayName(*m.chair) : std::string());
  meeting.set("secretary", displayName(m.created_by));
  if (!m.notices.empty()) {
    Instant sent;
    if (parseInstant(m.notices.back().sent_at, sent)) {
      meeting.set("notice_date", formatDate(stockholmDate(sent)));
    }
    if (m.notices.back().version > 1) {
      meeting.set("notice_version", std::to_string(m.notices.back().version));
      meeting.set("notice_changes", textList(m.notices.back().changes));
    }
  }
  std::vector<int> numbers;
  for (const auto* a : items) {
    if (a->paragraph) numbers.push_back(*a->paragraph);
  }
  std::chrono::year_month_day held;
  parseDate(m.date, held);
  auto paragraphLabel = [&](int n) {
    return cm ? cm->formatParagraph(n, int(held.year())) : "§ " + std::to_string(n);
  };
  if (!numbers.empty()) {
    auto [lo, hi] = std::minmax_element(numbers.begin(), numbers.end());
    meeting.set("paragraphs", *lo == *hi ? paragraphLabel(*lo)
                                         : paragraphLabel(*lo) + "–" + paragraphLabel(*hi));
  }
  if (m.attested_at) {
    Instant at;
    if (parseInstant(*m.attested_at, at)) meeting.set("adjust_date", formatDate(stockholmDate(at)));
  } else if (m.adjust_date) {
    meeting.set("adjust_date", *m.adjust_date);
  }
  if (m.adjust_place) meeting.set("adjust_place", *m.adjust_place);
  if (m.posted_on) meeting.set("posted_date", *m.posted_on);
  if (m.appeal_until) meeting.set("appeal_until", *m.appeal_until);

  // Who was there: members (the chair first as the list is written),
  // serving substitutes with whom they serve for, substitutes who did not
  // serve, and officials.
  Value members = Value::list(), substitutes = Value::list(), present_substitutes = Value::list(),
        officials = Value::list();
  for (const auto& p : m.attendance) {
    Value person = Value::record().set("name", p.name).set("role", p.role);
    if (p.party) person.set("party", *p.party);
    switch (presenceOf(p)) {
      case Presence::kMember:
        members.push(std::move(person));
        break;
      case Presence::kServingSubstitute:
        if (p.substitute_for) person.set("role", "ersättare för " + *p.substitute_for);
        person.set("title", p.role);
        substitutes.push(std::move(person));
        break;
      case Presence::kSubstitute:
        present_substitutes.push(std::move(person));
        break;
      case Presence::kOfficial:
        person.set("title", p.role);
        officials.push(std::move(person));
        break;
    }
  }
  meeting.set("members", members);
  meeting.set("substitutes", substitutes);
  meeting.set("present_substitutes", present_substitutes);
  meeting.set("officials", officials);
  Value adjusters = Value::list();
  for (const auto& a : m.adjusters) adjusters.push(Value::record().set("name", displayName(a)));
  meeting.set("adjusters", adjusters);
  Value attested_by = Value::list();
  for (const auto& a : m.attestations) {
    attested_by.push(Value::record()
                         .set("name", displayName(a.username))
                         .set("role", a.capacity == "ordforande" ? "ordförande" : "justerare")
                         .set("title", a.at.substr(0, 10)));
  }
  meeting.set("attested_by", attested_by);

  // Rättelser of earlier minutes reported in these.
  Value rect = Value::list();
  for (const auto& r : m.rectifications) {
    rect.push(Value::record()
                  .set("text", r.text)
                  .set("reason", r.reason)
                  .set("date", r.recorded_at.substr(0, 10))
                  .set("decision", rectifiedDecisionLabel(r.id)));
  }
  meeting.set("rectifications", rect);

  Value list = Value::list();
  for (const auto* a : items) {
    Value item = Value::record();
    item.set("number", std::to_string(a->position));
    item.set("kind", a->kind);
    item.set("kind_label", agendaItemKindLabel(a->kind));
    if (a->paragraph) item.set("paragraph", paragraphLabel(*a->paragraph));
    item.set("title", a->title);
    if (a->dnr) item.set("dnr", *a->dnr);
    std::optional<std::string> secret;  // the provision, when masked for this reader
    if (a->case_id) {
      auto c = diarium_.getCase(*a->case_id);
      // No officer for a case with secrecy: the minutes are public.
      if (c && c->officer && !c->secrecy) item.set("officer", displayName(*c->officer));
      if (c && c->secrecy && !sight(*c)) secret = c->secrecy->provision;
    }
    if (secret) {
      item.set("secrecy", "Uppgifter i ärendet omfattas av sekretess enligt " + *secret +
                              ". Beslutet i sin helhet finns hos nämndens sekreterare.");
    }
    if (a->decision && !secret) {
      const Decision& d = *a->decision;
      const DecisionInput& in = d.input;
      item.set("outcome", d.outcome);
      item.set("outcome_label", capitalised(outcomeText(d.outcome)));
      item.set("decision", d.text);
      item.set("decision_heading", genitive(committee_name) + (in.proposes_to ? " förslag" : " beslut"));
      if (!in.clauses.empty()) {
        item.set("decision_intro", meetings::decisionIntro(in, org_, m.committee));
        Value clauses = Value::list();
        for (const auto& c : in.clauses) clauses.push(Value::record().set("text", meetings::clauseText(c)));
        item.set("decision_clauses", clauses);
      }
      if (in.text) item.set("decision_text", paragraphs(*in.text));
      if (in.summary) item.set("summary", paragraphs(*in.summary));
      item.set("basis", textList(in.basis));
      if (in.proposal) {
        item.set("proposal_heading", in.proposal->heading);
        if (in.proposal->text) item.set("proposal_text", *in.proposal->text);
        Value clauses = Value::list();
        for (const auto& c : in.proposal->clauses) clauses.push(Value::record().set("text", meetings::clauseText(c)));
        item.set("proposal_clauses", clauses);
      }
      if (!in.speakers.empty()) item.set("speakers", joinNames(in.speakers));
      Value motions = Value::list();
      for (const auto& mo : in.motions) {
        motions.push(Value::record()
                         .set("mover", mo.mover)
                         .set("supporters", joinNames(mo.supporters))
                         .set("text", mo.text)
                         .set("line", meetings::motionLine(mo)));
      }
      item.set("motions", motions);
      std::vector<std::string> props = in.propositions;
      if (in.proposition && !text::trim(*in.proposition).empty()) props.insert(props.begin(), *in.proposition);
      item.set("propositions", textList(props));
      Value votings = Value::list();
      std::vector<Voting> all = in.votings;
      if (in.votes) all.insert(all.begin(), Voting{"Omröstning", {}, *in.votes, ""});
      for (const auto& v : all) {
        Value ballots = Value::list();
        std::vector<std::string> yes, no, abstain;
        for (const auto& b : v.ballots) {
          ballots.push(Value::record().set("name", b.name).set("vote", voteLabel(b.vote)));
          (b.vote == "ja" ? yes : b.vote == "nej" ? no : abstain).push_back(b.name);
        }
        votings.push(Value::record()
                         .set("proposition", v.proposition)
                         .set("result", meetings::votingResultLine(v, committee_name))
                         .set("yes", std::to_string(v.totals.yes))
                         .set("no", std::to_string(v.totals.no))
                         .set("abstain", std::to_string(v.totals.abstain))
                         .set("yes_names", joinNames(yes))
                         .set("no_names", joinNames(no))
                         .set("abstain_names", joinNames(abstain))
                         .set("ballots", ballots));
      }
      item.set("votings", votings);
      Value reservations = Value::list();
      for (const auto& r : in.reservations) {
        reservations.push(Value::record()
                              .set("name", r.name)
                              .set("reason", r.reason.value_or(""))
                              .set("line", meetings::reservationLine(r)));
      }
      item.set("reservations", reservations);
      Value notes = Value::list();
      for (const auto& n : in.notes) {
        notes.push(Value::record()
                       .set("name", n.name)
                       .set("text", n.text)
                       .set("line", text::trim(n.name) + " lämnar följande protokollsanteckning: " +
                                        text::trim(n.text)));
      }
      item.set("notes", notes);
      Value jav = Value::list();
      for (const auto& j : in.disqualified) {
        jav.push(Value::record().set("name", j).set(
            "line", text::trim(j) + " anmäler jäv och deltar inte i handläggningen av ärendet."));
      }
      item.set("disqualified", jav);
      Value to = Value::list();
      for (const auto& s : in.send_to) to.push(Value::record().set("name", parseSendToName(s)));
      item.set("send_to", to);
      if (d.version > 1) item.set("version", std::to_string(d.version));
      Value history = Value::list();
      for (const auto& h : d.history) {
        history.push(Value::record()
                         .set("version", std::to_string(h.version))
                         .set("date", h.replaced_at.substr(0, 10))
                         .set("reason", h.reason));
      }
      item.set("corrections", history);
      Value rects = Value::list();
      for (const auto& r : d.rectifications) {
        Value rv = Value::record().set("text", r.text).set("reason", r.reason).set("date", r.recorded_at.substr(0, 10));
        if (r.reported_date) rv.set("reported_date", *r.reported_date);
        rects.push(std::move(rv));
      }
      item.set("rectifications", rects);
    }
    list.push(std::move(item));
  }
  meeting.set("items", list);
  return Value::record().set("meeting", meeting).set("org", orgValues(orgFactsOf(org_)));
}

std::string Meetings::parseSendToName(const std::string& written) {
  std::string s = text::trim(written);
  auto open = s.rfind('<');
  if (open != std::string::npos && !s.empty() && s.back() == '>' && open > 0) {
    return text::trim(s.substr(0, open));
  }
  return s;
}

std::string Meetings::rectifiedDecisionLabel(std::int64_t rectification_id) const {
  auto label = store_.read([&](store::Tx& tx) -> Result<std::string> {
    KANSLI_ASSIGN_OR_RETURN(auto rows, tx.meetings().rectificationById(rectification_id));
    if (!rows) return std::string();
    KANSLI_ASSIGN_OR_RETURN(auto d, tx.meetings().decisionById(rows->decision_id));
    if (!d) return std::string();
    KANSLI_ASSIGN_OR_RETURN(auto m, meetings::loadMeeting(tx, d->meeting_id));
    const Committee* cm = org_.committee(m.committee);
    for (const auto& a : m.items) {
      if (a.position != d->position) continue;
      std::string p = a.paragraph && cm ? cm->formatParagraph(*a.paragraph, std::stoi(m.date.substr(0, 4)))
                                        : "punkt " + std::to_string(a.position);
      return "protokollet " + m.date + " " + p;
    }
    return std::string();
  });
  return label ? *label : std::string();
}

Meetings::SightOf Meetings::sightFor(const Viewer& viewer) const {
  return [this, viewer](const Case& c) { return caseSight(viewer, c, org_) == Sight::kFull; };
}

Result<void> Meetings::noteSecretShown(const std::vector<const AgendaItem*>& items,
                                       const Viewer& viewer) const {
  if (viewer.isPublic()) return ok();
  std::vector<std::int64_t> shown;
  for (const auto* a : items) {
    if (!a->case_id) continue;
    auto c = diarium_.getCase(*a->case_id);
    if (c && c->secrecy && caseSight(viewer, *c, org_) == Sight::kFull) shown.push_back(c->id);
  }
  if (shown.empty()) return ok();
  return recordSecretReads(store_, clock_.now(), viewer, shown);
}

std::optional<std::string> Meetings::decisionSecrecy(const Decision& d, const Viewer& viewer,
                                                     std::vector<std::int64_t>& shown) const {
  if (!d.case_id) return std::nullopt;
  auto c = diarium_.getCase(*d.case_id);
  if (!c || !c->secrecy) return std::nullopt;
  if (caseSight(viewer, *c, org_) == Sight::kFull) {
    shown.push_back(c->id);
    return std::nullopt;
  }
  return c->secrecy->provision;
}

Result<void> Meetings::noteDecisionsShown(const std::vector<std::int64_t>& case_ids,
                                          const Viewer& viewer) const {
  if (case_ids.empty() || viewer.isPublic()) return ok();
  return recordSecretReads(store_, clock_.now(), viewer, case_ids);
}

Result<doc::Document> Meetings::renderWhole(std::int64_t meeting_id, const std::string& tmpl,
                                            bool needs_minutes, const Viewer& viewer) const {
  auto loaded = store_.read([&](store::Tx& tx) { return meetings::loadMeeting(tx, meeting_id); });
  if (needs_minutes && viewer.isPublic()) {
    // The public reads the minutes on the notice board, once posted.
    if (!loaded || !loaded->posted_on) {
      return std::unexpected(Error::notFound("protokollet är inte anslaget"));
    }
  } else if (viewer.isPublic()) {
    // ... and the kallelse once it is sent.
    if (!loaded || loaded->notice_version == 0) {
      return std::unexpected(Error::notFound("kallelsen är inte skickad"));
    }
  } else {
    if (!loaded) return std::unexpected(loaded.error());
    if (!seesCommitteeWork(viewer, loaded->committee, org_)) {
      return std::unexpected(Error::notFound("sammanträdet finns inte"));
    }
  }
  Meeting m = std::move(*loaded);
  if (needs_minutes && !m.minutes_drawn) {
    return std::unexpected(Error::conflict("protokollet är inte upprättat än"));
  }
  KANSLI_ASSIGN_OR_RETURN(auto t, templateNamed(tmpl));
  std::vector<const AgendaItem*> items;
  for (const auto& a : m.items) items.push_back(&a);
  auto values = meetingValues(m, items, sightFor(viewer));
  KANSLI_TRY(noteSecretShown(items, viewer));
  return expand(t, values);
}

Result<doc::Document> Meetings::renderAgenda(std::int64_t meeting_id, const Viewer& viewer) const {
  return renderWhole(meeting_id, "kallelse", false, viewer);
}

Result<doc::Document> Meetings::renderMinutes(std::int64_t meeting_id, const Viewer& viewer) const {
  return renderWhole(meeting_id, "protokoll", true, viewer);
}

Result<doc::Document> Meetings::renderExtract(std::int64_t decision_id, const Viewer& viewer) const {
  KANSLI_ASSIGN_OR_RETURN(auto d, decision(decision_id, viewer));
  KANSLI_ASSIGN_OR_RETURN(
      auto m, store_.read([&](store::Tx& tx) { return meetings::loadMeeting(tx, d.meeting_id); }));
  KANSLI_ASSIGN_OR_RETURN(auto t, templateNamed("protokollsutdrag"));
  std::vector<const AgendaItem*> items;
  for (const auto& a : m.items) {
    if (a.decision && a.decision->id == decision_id) items.push_back(&a);
  }
  Value v = meetingValues(m, items, sightFor(viewer));
  KANSLI_TRY(noteSecretShown(items, viewer));
  Value extract = Value::record();
  auto u = store_.read([&](store::Tx& tx) { return tx.accounts().userByName(m.created_by); });
  extract.set("certifier", u && *u ? (*u)->display_name : m.created_by);
  if (m.attested_at) {
    Instant at;
    if (parseInstant(*m.attested_at, at)) extract.set("date", formatDate(stockholmDate(at)));
  }
  v.set("extract", extract);
  return expand(t, v);
}

Result<std::vector<AgendaPart>> Meetings::agendaWithMemos(std::int64_t meeting_id,
                                                          const Viewer& viewer) const {
  // renderAgenda decides whether the viewer may read the kallelse at all.
  KANSLI_ASSIGN_OR_RETURN(auto notice, renderAgenda(meeting_id, viewer));
  KANSLI_ASSIGN_OR_RETURN(
      auto m, store_.read([&](store::Tx& tx) { return meetings::loadMeeting(tx, meeting_id); }));
  std::vector<AgendaPart> parts;
  parts.push_back({"Kallelse och föredragningslista", std::move(notice)});
  auto sees = sightFor(viewer);
  for (const auto& a : m.items) {
    std::string outline = "Punkt " + std::to_string(a.position) + ": " +
                          (a.dnr ? *a.dnr + " " : std::string()) + a.title;
    if (!a.case_id) continue;
    KANSLI_ASSIGN_OR_RETURN(auto c, diarium_.getCase(*a.case_id));
    // A secret case's memo is the committee's beslutsunderlag for those who
    // may read it; left out of every other version (the public's, members').
    // So is the memo of an open case with a secret document (its list of
    // handlingar names them).
    if (!sees(c)) {
      KANSLI_ASSIGN_OR_RETURN(auto docs, store_.read([&](store::Tx& tx) {
        return tx.diarium().documentsOf(c.id);
      }));
      bool secret_doc = std::any_of(docs.begin(), docs.end(), [](const Document& d) { return d.secrecy.has_value(); });
      if (c.secrecy || secret_doc) continue;
    }
    KANSLI_ASSIGN_OR_RETURN(auto versions, memos_.versions(*a.case_id, viewer));
    std::optional<int> approved;
    for (const auto& v : versions) {
      if (v.approved_at) approved = v.version;
    }
    if (!approved) continue;
    // Rendered as the viewer may read it; a full reading of a secret memo is
    // logged by the memo service (case.secret_read).
    KANSLI_ASSIGN_OR_RETURN(auto memo, memos_.render(*a.case_id, approved, viewer));
    parts.push_back({outline, std::move(memo)});
  }
  return parts;
}

}  // namespace kansli
