#include "meetings/rules.h"

#include <algorithm>
#include <set>

#include "kansli/text.h"
#include "meetings/records.h"
#include "store/accounts_repo.h"
#include "store/tx.h"

namespace kansli::meetings {
namespace {

bool blank(const std::string& s) { return text::trim(s).empty(); }

// "Lisa Larsson (M)" -> "Lisa Larsson".
std::string withoutParty(const std::string& s) {
  std::string t = text::trim(s);
  if (!t.empty() && t.back() == ')') {
    auto open = t.rfind(" (");
    if (open != std::string::npos) return text::trim(t.substr(0, open));
  }
  return t;
}

bool isStanding(const std::string& kind) {
  return kind == "val_av_justerare" || kind == "delegationsbeslut" || kind == "information";
}

}  // namespace

bool names(const std::string& written, const Attendee& a) {
  std::string w = text::trim(written);
  if (w.empty()) return false;
  if (w == text::trim(a.name)) return true;
  if (a.party && w == text::trim(a.name) + " (" + *a.party + ")") return true;
  return withoutParty(w) == withoutParty(a.name);
}

std::vector<FieldError> checkDecisionShape(const DecisionInput& d) {
  std::vector<FieldError> errors;
  const auto& outcomes = decisionOutcomeIds();
  if (!d.outcome.empty() &&
      std::find(outcomes.begin(), outcomes.end(), d.outcome) == outcomes.end()) {
    std::string list;
    for (const auto& o : outcomes) list += (list.empty() ? "" : ", ") + o;
    errors.push_back({"outcome", "okänt beslut " + d.outcome + " (kända: " + list + ")"});
  }
  const bool noted = d.outcome.empty() || d.outcome == "noteras";
  if (!noted && d.clauses.empty() && (!d.text || blank(*d.text))) {
    errors.push_back({"clauses", "skriv beslutet som att-satser eller som text"});
  }
  for (const auto& c : d.clauses) {
    if (blank(c)) errors.push_back({"clauses", "en att-sats är tom"});
  }
  if (d.proposal) {
    if (blank(d.proposal->heading)) errors.push_back({"proposal.heading", "ange rubriken, t.ex. Arbetsutskottets förslag"});
    for (const auto& c : d.proposal->clauses) {
      if (blank(c)) errors.push_back({"proposal.clauses", "en punkt i förslaget är tom"});
    }
  }
  for (size_t i = 0; i < d.speakers.size(); ++i) {
    if (blank(d.speakers[i])) errors.push_back({"speakers[" + std::to_string(i) + "]", "ett namn är tomt"});
  }
  for (size_t i = 0; i < d.motions.size(); ++i) {
    const auto& m = d.motions[i];
    std::string f = "motions[" + std::to_string(i) + "]";
    if (blank(m.mover)) {
      errors.push_back({f + ".mover", "ange vem som yrkar"});
    } else if (blank(m.text)) {
      errors.push_back({f + ".text", "ange vad " + text::trim(m.mover) + " yrkar"});
    } else if (text::trim(m.mover) == text::trim(m.text)) {
      // The web form once sent a line without "namn:" as both: printed twice.
      errors.push_back({f + ".mover", "yrkandet saknar förslagsställare: namn och yrkande är samma text"});
    }
    for (const auto& s : m.supporters) {
      if (blank(s)) errors.push_back({f + ".supporters", "ett namn är tomt"});
      if (text::trim(s) == text::trim(m.mover)) {
        errors.push_back({f + ".supporters", text::trim(s) + " kan inte instämma i sitt eget yrkande"});
      }
    }
  }
  for (size_t i = 0; i < d.propositions.size(); ++i) {
    if (blank(d.propositions[i])) errors.push_back({"propositions[" + std::to_string(i) + "]", "en proposition är tom"});
  }
  if (d.votes && (d.votes->yes < 0 || d.votes->no < 0 || d.votes->abstain < 0)) {
    errors.push_back({"votes", "rösterna kan inte vara negativa"});
  }
  for (size_t i = 0; i < d.votings.size(); ++i) {
    const auto& v = d.votings[i];
    std::string f = "votings[" + std::to_string(i) + "]";
    if (blank(v.proposition)) {
      errors.push_back({f + ".proposition", "ange propositionsordningen (vad ja och nej betyder)"});
    }
    std::set<std::string> voters;
    Votes counted;
    for (size_t j = 0; j < v.ballots.size(); ++j) {
      const auto& b = v.ballots[j];
      std::string bf = f + ".ballots[" + std::to_string(j) + "]";
      if (blank(b.name)) errors.push_back({bf + ".name", "ange ledamotens namn"});
      if (!voters.insert(text::trim(b.name)).second) {
        errors.push_back({bf + ".name", text::trim(b.name) + " har redan röstat"});
      }
      if (b.vote == "ja") {
        ++counted.yes;
      } else if (b.vote == "nej") {
        ++counted.no;
      } else if (b.vote == "avstar") {
        ++counted.abstain;
      } else {
        errors.push_back({bf + ".vote", "rösten är ja, nej eller avstar"});
      }
    }
    if (v.totals.yes < 0 || v.totals.no < 0 || v.totals.abstain < 0) {
      errors.push_back({f, "rösterna kan inte vara negativa"});
    }
    if (!v.ballots.empty() && (v.totals.yes || v.totals.no || v.totals.abstain) &&
        (v.totals.yes != counted.yes || v.totals.no != counted.no ||
         v.totals.abstain != counted.abstain)) {
      errors.push_back({f, "summan (" + std::to_string(v.totals.yes) + " ja, " +
                               std::to_string(v.totals.no) + " nej, " +
                               std::to_string(v.totals.abstain) +
                               " avstår) stämmer inte med rösterna (" +
                               std::to_string(counted.yes) + " ja, " + std::to_string(counted.no) +
                               " nej, " + std::to_string(counted.abstain) + " avstår)"});
    }
    if (v.ballots.empty() && v.totals.yes + v.totals.no + v.totals.abstain == 0) {
      errors.push_back({f + ".ballots", "ange hur var och en röstade, eller summorna"});
    }
  }
  for (size_t i = 0; i < d.reservations.size(); ++i) {
    if (blank(d.reservations[i].name)) {
      errors.push_back({"reservations[" + std::to_string(i) + "].name", "ange vem som reserverar sig"});
    }
  }
  for (size_t i = 0; i < d.notes.size(); ++i) {
    std::string f = "notes[" + std::to_string(i) + "]";
    if (blank(d.notes[i].name)) errors.push_back({f + ".name", "ange vem som lämnar anteckningen"});
    if (blank(d.notes[i].text)) errors.push_back({f + ".text", "anteckningen är tom"});
  }
  for (size_t i = 0; i < d.disqualified.size(); ++i) {
    if (blank(d.disqualified[i])) errors.push_back({"disqualified[" + std::to_string(i) + "]", "ett namn är tomt"});
  }
  for (size_t i = 0; i < d.send_to.size(); ++i) {
    if (blank(d.send_to[i])) errors.push_back({"send_to[" + std::to_string(i) + "]", "en mottagare är tom"});
  }
  return errors;
}

Result<void> checkDecisionAt(const DecisionInput& d, const Meeting& m, const AgendaItem& item,
                             const Organisation& org) {
  std::vector<FieldError> errors;
  const bool noted = d.outcome.empty() || d.outcome == "noteras";
  if (isStanding(item.kind) && !noted) {
    return std::unexpected(Error::unprocessable(
        "punkten " + agendaItemKindLabel(item.kind) + " är en stående punkt; den tar inget utfall eller \"noteras\", inte " + outcomeText(d.outcome),
        {{"outcome", "en stående punkt noteras, utan bifall eller avslag"}}));
  }
  if (item.case_id && noted) {
    return std::unexpected(Error::unprocessable(
        "ett ärende avgörs med ett utfall (" + std::string("bifall, avslag, …") + "); \"noteras\" är för stående punkter",
        {{"outcome", "ange utfallet i ärendet"}}));
  }
  if (d.proposes_to) {
    if (!org.committee(*d.proposes_to)) {
      errors.push_back({"proposes_to", "okänd nämnd: " + *d.proposes_to});
    } else if (*d.proposes_to == m.committee) {
      errors.push_back({"proposes_to", "nämnden föreslår en annan nämnd, inte sig själv"});
    }
  }
  std::vector<const Attendee*> deciders;
  for (const auto& a : m.attendance) {
    if (decides(a)) deciders.push_back(&a);
  }
  // Without recorded attendance the people rules cannot be checked (a
  // meeting entered afterwards from a paper protocol).
  if (!deciders.empty()) {
    auto find = [&](const std::string& name) -> const Attendee* {
      for (const auto* a : deciders) {
        if (names(name, *a)) return a;
      }
      return nullptr;
    };
    auto disqualified = [&](const std::string& name) {
      for (const auto& j : d.disqualified) {
        if (withoutParty(j) == withoutParty(name)) return true;
      }
      return false;
    };
    auto mustDecide = [&](const std::string& field, const std::string& name, const char* what) {
      if (!find(name)) {
        errors.push_back({field, text::trim(name) + " är inte tjänstgörande ledamot eller ersättare vid sammanträdet och kan inte " + what});
      } else if (disqualified(name)) {
        errors.push_back({field, text::trim(name) + " har anmält jäv i ärendet och kan inte " + what});
      }
    };
    for (size_t i = 0; i < d.motions.size(); ++i) {
      std::string f = "motions[" + std::to_string(i) + "]";
      mustDecide(f + ".mover", d.motions[i].mover, "yrka");
      for (const auto& s : d.motions[i].supporters) mustDecide(f + ".supporters", s, "instämma i ett yrkande");
    }
    for (size_t i = 0; i < d.votings.size(); ++i) {
      const auto& v = d.votings[i];
      for (size_t j = 0; j < v.ballots.size(); ++j) {
        mustDecide("votings[" + std::to_string(i) + "].ballots[" + std::to_string(j) + "].name",
                   v.ballots[j].name, "rösta");
      }
      int cast = v.ballots.empty() ? v.totals.yes + v.totals.no + v.totals.abstain
                                   : static_cast<int>(v.ballots.size());
      int eligible = 0;
      for (const auto* a : deciders) {
        if (!disqualified(a->name)) ++eligible;
      }
      if (cast > eligible) {
        errors.push_back({"votings[" + std::to_string(i) + "]",
                          std::to_string(cast) + " röster men bara " + std::to_string(eligible) +
                              " tjänstgörande utan jäv"});
      }
    }
    for (size_t i = 0; i < d.reservations.size(); ++i) {
      mustDecide("reservations[" + std::to_string(i) + "].name", d.reservations[i].name,
                 "reservera sig (bara den som deltagit i beslutet kan det)");
    }
    for (size_t i = 0; i < d.disqualified.size(); ++i) {
      bool present = false;
      for (const auto& a : m.attendance) present = present || names(d.disqualified[i], a);
      if (!present) {
        errors.push_back({"disqualified[" + std::to_string(i) + "]",
                          text::trim(d.disqualified[i]) + " finns inte bland de närvarande"});
      }
    }
  }
  if (!errors.empty()) {
    return std::unexpected(Error::unprocessable("beslutet stämmer inte med sammanträdet", errors));
  }
  return ok();
}

Result<void> checkMeetingDay(const Meeting& m, const std::string& today) {
  if (today < m.date) {
    return std::unexpected(ruleBroken(
        ErrorCode::kConflict, "sammanträdet hålls " + m.date +
                                  "; ett beslut kan inte registreras före sammanträdesdagen (i dag är det " +
                                  today + ")"));
  }
  return ok();
}

Result<void> checkAdjusters(store::Tx& tx, const Meeting& m, bool at_justering) {
  const bool presence = at_justering;
  std::vector<FieldError> errors;
  if (at_justering && !m.chair) {
    errors.push_back({"chair", "ange ordföranden, som justerar protokollet"});
  }
  if (at_justering && m.adjusters.empty()) {
    errors.push_back({"adjusters", "ange minst en justerare: ordföranden justerar aldrig ensam"});
  }
  std::set<std::string> seen;
  auto person = [&](const std::string& field, const std::string& username) -> Result<void> {
    if (!seen.insert(username).second) {
      errors.push_back({field, username + " är redan ordförande eller justerare; var och en justerar bara en gång"});
      return ok();
    }
    KANSLI_ASSIGN_OR_RETURN(auto u, tx.accounts().userByName(username));
    if (!u) {
      errors.push_back({field, "ingen användare " + username});
      return ok();
    }
    if (u->role != "ledamot" || !u->committee || *u->committee != m.committee) {
      errors.push_back({field, username + " är inte ledamot eller ersättare i nämnden" +
                                   std::string(u->role == "namndsekreterare"
                                                   ? " (sekreteraren som för protokollet justerar inte)"
                                                   : "")});
      return ok();
    }
    if (username == m.created_by) {
      errors.push_back({field, username + " för protokollet och kan inte justera det"});
      return ok();
    }
    if (presence) {
      bool present = false;
      for (const auto& a : m.attendance) {
        bool is_them = (a.username && *a.username == username) ||
                       (!a.username && text::trim(a.name) == text::trim(u->display_name));
        if (is_them && decides(a)) present = true;
      }
      if (!present) {
        errors.push_back({field, u->display_name + " (" + username +
                                     ") finns inte bland de tjänstgörande närvarande vid sammanträdet"});
      }
    }
    return ok();
  };
  if (m.chair) KANSLI_TRY(person("chair", *m.chair));
  for (const auto& a : m.adjusters) KANSLI_TRY(person("adjusters", a));
  if (!errors.empty()) {
    return std::unexpected(Error::unprocessable(
        "protokollet justeras av ordföranden och minst en justerare, alla olika ledamöter i nämnden som är närvarande",
        errors));
  }
  return ok();
}

}  // namespace kansli::meetings
