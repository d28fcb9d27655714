// Committee meetings and decisions: from agenda to posted minutes.
//
// The committee secretary creates a meeting, puts ready cases (those whose
// workflow can go "on the agenda" from where they stand, with an approved
// memo) and standing items on its agenda, records one decision per item,
// draws up the minutes (paragraphs numbered per committee and year in agenda
// order, never reused), has them attested by the chair and the adjusters
// (justering; attested minutes are frozen) and posts them on the notice board
// (anslag), which fixes the last day of appeal (lagen (1930:173): three weeks,
// moved past non-working days; kansli/calendar.h).
//
// Each step moves the cases it concerns through their workflow inside the same
// store transaction (CaseFlow::takeIn), so a meeting and its cases never
// disagree: an agenda item puts the case "on the agenda"; a decision moves it
// to decided, back to investigation (återremiss) or back to ready for the next
// meeting (bordläggning); the attestation of the minutes moves its cases on.
//
// Thread-safe: all members may be called concurrently.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kansli/accounts.h"
#include "kansli/casework.h"
#include "kansli/diarium.h"

namespace kansli {

struct Attendee {
  std::string name;
  std::string role;  // "ordförande", "ledamot", "ersättare för X", "sekreterare", ...
};

struct NewMeeting {
  std::string committee;
  std::string date;  // YYYY-MM-DD
  std::optional<std::string> time;
  std::optional<std::string> place;
  std::optional<std::string> chair;     // username
  std::vector<std::string> adjusters;   // usernames
  std::vector<Attendee> attendance;
};

struct Motion {  // yrkande
  std::string mover;
  std::string text;
};

struct Reservation {
  std::string name;
  std::optional<std::string> reason;
};

struct Votes {
  int yes = 0;
  int no = 0;
  int abstain = 0;
};

struct DecisionInput {
  std::string outcome;               // one of decisionOutcomeIds()
  std::vector<std::string> clauses;  // "att ..." points; or
  std::optional<std::string> text;   // free decision text
  std::vector<Motion> motions;
  std::optional<std::string> proposition;  // propositionsordning and its result
  std::optional<Votes> votes;
  std::vector<Reservation> reservations;
  std::vector<std::string> disqualified;   // jäv
  std::vector<std::string> send_to;        // "Beslutet skickas till"
};

struct Decision {
  std::int64_t id = 0;
  std::int64_t meeting_id = 0;
  int position = 0;
  std::optional<std::int64_t> case_id;
  std::optional<std::string> dnr;
  std::string committee;
  std::string meeting_date;
  std::optional<int> paragraph;
  std::string title;
  std::string outcome;
  std::string text;  // the decision as written in the minutes
  DecisionInput input;
  std::string recorded_at;
  std::string recorded_by;
  bool attested = false;
  std::optional<std::string> posted_on;
  std::optional<std::string> appeal_until;
};

struct AgendaItem {
  int position = 0;
  std::optional<std::int64_t> case_id;
  std::optional<std::string> dnr;
  std::string title;
  std::optional<int> paragraph;
  std::optional<Decision> decision;
};

struct Attestation {
  std::string username;
  std::string capacity;  // "ordforande" or "justerare"
  std::string at;
};

struct Meeting {
  std::int64_t id = 0;
  std::string committee;
  std::string date;
  std::optional<std::string> time;
  std::optional<std::string> place;
  std::optional<std::string> chair;
  std::vector<std::string> adjusters;
  std::vector<Attendee> attendance;
  bool minutes_drawn = false;
  std::optional<std::string> attested_at;
  std::optional<std::string> posted_on;
  std::optional<std::string> appeal_until;
  std::vector<AgendaItem> items;
  std::vector<Attestation> attestations;
  std::string created_by;
};

// Which decisions: attested ones for everyone, and before justering those
// of the committee the viewer works for (Meetings::decisions). q reads as
// the case search's (kansli/diarium.h CaseQuery::q): decisions on the cases
// a case number names come first, then the full-text hits in the decision
// text and the approved memo.
struct DecisionQuery {
  std::optional<std::string> q, committee, outcome, dnr, from, to;
  std::optional<int> year;
  int limit = 50;
};

// bifall, avslag, delvis_bifall, besvarad, aterremiss, bordlaggning, avskrivning
const std::vector<std::string>& decisionOutcomeIds();
std::string outcomeText(std::string_view id);  // "delvis bifall"

// Reads take a Viewer (kansli/access.h). Meetings, their agendas and
// unattested decisions are shown to those who work for the committee
// (kNotFound for everyone else); attested decisions to everyone, the public
// too; posted minutes to the public on the notice board.
class Meetings {
 public:
  // Templates (kallelse, protokoll, protokollsutdrag) are looked up in
  // `template_override_dir` (the municipality's) first, then the shipped ones.
  Meetings(store::Store& store, const Clock& clock, const Organisation& org, CaseFlow& flow,
           std::filesystem::path template_override_dir = {});

  Result<Meeting> create(const NewMeeting& m, const User& user);
  Result<Meeting> get(std::int64_t id, const Viewer& viewer) const;
  // The meetings the viewer sees, of one committee or of all.
  Result<std::vector<Meeting>> list(const std::optional<std::string>& committee,
                                    const Viewer& viewer) const;
  // A case (case_id) or a standing item (title).
  Result<Meeting> addItem(std::int64_t meeting_id, std::optional<std::int64_t> case_id,
                          std::optional<std::string> title, const User& user);
  // Records the item's decision and moves its case. The decision search
  // index gets the item's title, the decision text and, for a case without
  // secrecy, the approved memo's words; never a word of a secret case's
  // secret parts, since the public searches it.
  Result<Decision> recordDecision(std::int64_t meeting_id, int position, const DecisionInput& d,
                                  const User& user);
  Result<Meeting> drawMinutes(std::int64_t meeting_id, const User& user);
  Result<Meeting> attest(std::int64_t meeting_id, const User& user);
  Result<Meeting> post(std::int64_t meeting_id, const User& user);

  Result<Decision> decision(std::int64_t id, const Viewer& viewer) const;
  Result<std::vector<Decision>> decisions(const DecisionQuery& q, const Viewer& viewer) const;
  // Posted minutes whose appeal period runs today or later.
  Result<std::vector<Meeting>> noticeBoard() const;

  // The meeting as template values (kallelse, protokoll), and one decision as
  // an extract (protokollsutdrag). The public reads the minutes once posted.
  Result<doc::Document> renderAgenda(std::int64_t meeting_id, const Viewer& viewer) const;
  Result<doc::Document> renderMinutes(std::int64_t meeting_id, const Viewer& viewer) const;
  Result<doc::Document> renderExtract(std::int64_t decision_id, const Viewer& viewer) const;

 private:
  struct Printed;
  Result<Printed> loadPrinted(store::Tx& tx, std::int64_t meeting_id) const;
  Result<Template> templateNamed(const std::string& name) const;
  Value meetingValues(const Printed& p, const std::vector<const AgendaItem*>& items) const;
  // {title and decision text, memo text} for the decision search index.
  Result<std::pair<std::string, std::string>> decisionIndexText(
      store::Tx& tx, const AgendaItem& item, const std::string& decision_text) const;
  Result<void> moveCaseOnDecision(store::Tx& tx, const AgendaItem& item, const DecisionInput& d,
                                  const std::string& text, const User& user, Instant now);
  Result<void> moveCasesOnAttestation(store::Tx& tx, const Meeting& m, Instant now);

  store::Store& store_;
  const Clock& clock_;
  const Organisation& org_;
  CaseFlow& flow_;
  std::filesystem::path template_override_dir_;
};

}  // namespace kansli
