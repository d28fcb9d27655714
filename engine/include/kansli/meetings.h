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
// The secretary's rules (each refusal names the rule and changes nothing):
//   * the agenda is built, changed and reordered until the minutes are
//     drawn; once the notice (kallelse) is sent, each change is an audit
//     event and waits for the notice's next version (sendNotice);
//   * time, place and attendance (with whom a substitute serves for) may be
//     changed until justering;
//   * a decision is recorded on or after the meeting day, never before; a
//     standing item takes no outcome or "noteras";
//   * until justering a decision is corrected by a new version (the old one
//     kept with who and why); after it, only by a rättelse, which the
//     protocol of the committee's next meeting reports;
//   * one person never attests alone: the chair and each adjuster are
//     distinct ledamöter (or ersättare) of the committee, present at the
//     meeting, never the secretary keeping the minutes; each confirms it is
//     them (their password again, kConfirmationValidity before).
//
// Thread-safe: all members may be called concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kansli/accounts.h"
#include "kansli/casework.h"
#include "kansli/diarium.h"

namespace kansli {

// Who was at the meeting. `role` as the minutes write it ("ordförande",
// "ledamot", "ersättare", "sekreterare", "förvaltningschef", ...);
// `substitute_for` names the member a serving substitute (tjänstgörande
// ersättare) replaces; `username` ties a person to their Kansli account (the
// chair and the adjusters must have one; matched by display name otherwise).
struct Attendee {
  std::string name;
  std::string role;
  std::optional<std::string> username = {};
  std::optional<std::string> party = {};
  std::optional<std::string> substitute_for = {};
};

// How an attendee takes part: members and serving substitutes decide, vote
// and may attest; substitutes who do not serve and officials do not.
enum class Presence { kMember, kServingSubstitute, kSubstitute, kOfficial };
Presence presenceOf(const Attendee& a);
// Decides: a member or a serving substitute.
inline bool decides(const Attendee& a) {
  auto p = presenceOf(a);
  return p == Presence::kMember || p == Presence::kServingSubstitute;
}

struct NewMeeting {
  std::string committee;
  std::string date;  // YYYY-MM-DD
  std::optional<std::string> time;
  std::optional<std::string> place;
  std::optional<std::string> chair;     // username
  std::vector<std::string> adjusters;   // usernames
  std::vector<Attendee> attendance;
  std::optional<std::string> end_time = {};
  std::optional<std::string> adjust_date = {};   // the justering planned for
  std::optional<std::string> adjust_place = {};
  // The paragraph the minutes start from, when numbering continues from
  // another system (never a number already used).
  std::optional<int> first_paragraph = {};
};

// What a secretary may change in a meeting until justering; fields left
// empty stay. After the notice was sent, a change of time or place is
// written to the next version of the notice.
struct MeetingChange {
  std::optional<std::string> time, end_time, place, adjust_date, adjust_place, chair;
  std::optional<std::vector<std::string>> adjusters;
  std::optional<std::vector<Attendee>> attendance;
  std::optional<int> first_paragraph;
};

struct Motion {  // yrkande: "<mover> med instämmande av <supporters> yrkar <text>."
  std::string mover;
  std::string text;
  std::vector<std::string> supporters = {};
};

struct Reservation {
  std::string name;
  std::optional<std::string> reason;  // the written grounds
};

struct Votes {  // the totals of a vote
  int yes = 0;
  int no = 0;
  int abstain = 0;
};

// One vote (votering): the proposition order ("Ja för arbetsutskottets
// förslag, nej för bifall till motionen"), each member's vote and the result.
struct Ballot {
  std::string name;
  std::string vote;  // "ja", "nej", "avstar"
};
struct Voting {
  std::string proposition;
  std::vector<Ballot> ballots;  // may be empty when only totals are kept
  Votes totals;                 // counted from the ballots when given
  std::string result;           // "Med 8 ja-röster mot 5 nej-röster beslutar ..."
};

struct ProtocolNote {  // protokollsanteckning
  std::string name;
  std::string text;
};

// The proposal the committee decided on (beredningens förslag): "Arbetsutskottets
// förslag" with its wording and points.
struct Proposal {
  std::string heading;
  std::optional<std::string> text;
  std::vector<std::string> clauses;
};

struct DecisionInput {
  // One of decisionOutcomeIds(); for a standing item (val av justerare,
  // anmälan av delegationsbeslut, information) "noteras" or empty.
  std::string outcome;
  std::vector<std::string> clauses;  // "att ..." points, or sentences; or
  std::optional<std::string> text;   // free decision text
  // What the minutes say before the decision.
  std::optional<std::string> summary = {};  // sammanfattning (paragraphs: blank lines)
  std::vector<std::string> basis = {};      // beslutsunderlag, one a line
  std::optional<Proposal> proposal = {};
  std::vector<std::string> speakers = {};   // "Under överläggningen yttrar sig ..."
  std::vector<Motion> motions;
  // Beslutsgång: the chair's propositions and what the committee found it
  // had adopted, one sentence each. `proposition` is the older single field.
  std::vector<std::string> propositions = {};
  std::optional<std::string> proposition;
  std::optional<Votes> votes;          // the older totals-only vote
  std::vector<Voting> votings = {};
  std::vector<Reservation> reservations;
  std::vector<ProtocolNote> notes = {};  // protokollsanteckningar
  std::vector<std::string> disqualified;  // jäv: who left the room
  std::vector<std::string> send_to;       // "Beslutet skickas till"
  // The committee this decision proposes a decision to (KS to KF): the
  // minutes then write "<nämnd> föreslår <kf> besluta" and "<nämnd>s förslag".
  std::optional<std::string> proposes_to = {};
};

// An earlier version of a decision, replaced before justering.
struct DecisionVersion {
  int version = 0;
  std::string outcome;
  std::string text;
  std::string recorded_at, recorded_by;
  std::string replaced_at, replaced_by, reason;
};

// A rättelse after justering, and the meeting whose protocol reports it.
struct Rectification {
  std::int64_t id = 0;
  std::string text;    // the correct wording
  std::string reason;  // what was wrong
  std::string recorded_at, recorded_by;
  std::optional<std::int64_t> reported_meeting;
  std::optional<std::string> reported_date;  // that meeting's date
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
  int version = 1;
  std::vector<DecisionVersion> history;       // earlier versions, oldest first
  std::vector<Rectification> rectifications;  // after justering
  bool attested = false;
  std::optional<std::string> posted_on;
  std::optional<std::string> appeal_until;
};

// Standing items: "val_av_justerare", "delegationsbeslut", "information",
// "ovrigt"; a case is "arende".
const std::vector<std::string>& agendaItemKinds();
std::string agendaItemKindLabel(std::string_view kind);  // "Val av justerare"

struct AgendaItem {
  int position = 0;
  std::string kind = "arende";
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
  std::string method;     // how they confirmed it was them: "lösenord" (later e-legitimation)
  std::optional<std::string> confirmed_at;
};

// How an adjuster showed it was them just before attesting: their password
// again (Accounts::confirmPassword), later e-identification (BankID). Valid
// for kConfirmationValidity.
struct Confirmation {
  std::string method;  // "lösenord"
  Instant at;
};
inline constexpr std::chrono::minutes kConfirmationValidity{5};

// A version of the notice (kallelse) as sent.
struct Notice {
  int version = 0;
  std::string sent_at, sent_by;
  std::vector<std::string> changes;  // since the version before
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
  std::optional<std::string> end_time, adjust_date, adjust_place;
  std::optional<int> first_paragraph;
  int notice_version = 0;                     // 0: the notice is not sent
  std::vector<Notice> notices;
  std::vector<std::string> pending_changes;   // since the notice: for its next version
  std::vector<Rectification> rectifications;  // reported in these minutes
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

// bifall, avslag, delvis_bifall, besvarad, aterremiss, bordlaggning,
// avskrivning, noteras (standing items only)
const std::vector<std::string>& decisionOutcomeIds();
std::string outcomeText(std::string_view id);  // "delvis bifall"

// One part of the kallelse med handlingar: its outline entry and document.
struct AgendaPart {
  std::string outline;  // "Punkt 2: SOCN 2020/262 Förebyggande ..."
  doc::Document document;
};

// Reads take a Viewer (kansli/access.h). Meetings, their agendas and
// unattested decisions are shown to those who work for the committee
// (kNotFound for everyone else); attested decisions to everyone, the public
// too; posted minutes to the public on the notice board.
class Meetings {
 public:
  // Templates (kallelse, protokoll, protokollsutdrag) are looked up in
  // `template_override_dir` (the municipality's) first, then the shipped ones.
  Meetings(store::Store& store, const Clock& clock, const Organisation& org, Diarium& diarium,
           CaseFlow& flow, Memos& memos, std::filesystem::path template_override_dir = {});

  Result<Meeting> create(const NewMeeting& m, const User& user);
  Result<Meeting> get(std::int64_t id, const Viewer& viewer) const;
  // The meetings the viewer sees, of one committee or of all.
  Result<std::vector<Meeting>> list(const std::optional<std::string>& committee,
                                    const Viewer& viewer) const;
  // Time, place, attendance, chair and adjusters, until justering.
  Result<Meeting> update(std::int64_t meeting_id, const MeetingChange& change, const User& user);
  // A case (case_id) or a standing item (title, and its kind: by default the
  // kind its title names, "Val av justerare", or "ovrigt"), at `position`
  // (1-based; default last).
  Result<Meeting> addItem(std::int64_t meeting_id, std::optional<std::int64_t> case_id,
                          std::optional<std::string> title, const User& user,
                          std::optional<std::string> kind = {},
                          std::optional<int> position = {});
  // Takes an undecided item off the agenda; its case is ready for a later
  // meeting again.
  Result<Meeting> removeItem(std::int64_t meeting_id, int position, const User& user);
  // `order` lists every item's current position in the new order.
  Result<Meeting> reorder(std::int64_t meeting_id, const std::vector<int>& order,
                          const User& user);
  // Sends the notice: its first version, or the next with what changed.
  Result<Meeting> sendNotice(std::int64_t meeting_id, const User& user);
  // Records the item's decision and moves its case. The decision search
  // index gets the item's title, the decision text and, for a case without
  // secrecy, the approved memo's words; never a word of a secret case's
  // secret parts, since the public searches it.
  Result<Decision> recordDecision(std::int64_t meeting_id, int position, const DecisionInput& d,
                                  const User& user);
  // A new version of a recorded decision before justering (`reason` kept).
  Result<Decision> correctDecision(std::int64_t meeting_id, int position,
                                   const DecisionInput& d, const std::string& reason,
                                   const User& user);
  // A rättelse of an attested decision: `text` is the correct wording.
  Result<Decision> rectify(std::int64_t meeting_id, int position, const std::string& text,
                           const std::string& reason, const User& user);
  Result<Meeting> drawMinutes(std::int64_t meeting_id, const User& user);
  Result<Meeting> attest(std::int64_t meeting_id, const User& user,
                         const std::optional<Confirmation>& confirmation);
  Result<Meeting> post(std::int64_t meeting_id, const User& user);

  Result<Decision> decision(std::int64_t id, const Viewer& viewer) const;
  Result<std::vector<Decision>> decisions(const DecisionQuery& q, const Viewer& viewer) const;
  // Posted minutes whose appeal period runs today or later.
  Result<std::vector<Meeting>> noticeBoard() const;

  // The meeting as template values (kallelse, protokoll), and one decision as
  // an extract (protokollsutdrag), as `viewer` may read them (the public
  // reads the minutes once posted). A secret case's item is masked (no decision text, yrkanden,
  // votes ...: a note of the secrecy instead) unless the viewer sees the
  // case in full, which is then logged as case.secret_read.
  Result<doc::Document> renderAgenda(std::int64_t meeting_id, const Viewer& viewer) const;
  Result<doc::Document> renderMinutes(std::int64_t meeting_id, const Viewer& viewer) const;
  Result<doc::Document> renderExtract(std::int64_t decision_id, const Viewer& viewer) const;
  // The kallelse med handlingar: the notice, then each case item's approved
  // memo (the beslutsunderlag), as `viewer` may read them: a secret case's
  // memo only for those who see the case in full.
  Result<std::vector<AgendaPart>> agendaWithMemos(std::int64_t meeting_id,
                                                  const Viewer& viewer) const;
  // The secrecy provision of a decision whose case `viewer` sees masked (its
  // text, yrkanden, votes ... are then not shown); nullopt when the decision
  // is shown in full. A secret case shown in full is added to `shown`, which
  // the caller logs with noteDecisionsShown before answering.
  std::optional<std::string> decisionSecrecy(const Decision& d, const Viewer& viewer,
                                             std::vector<std::int64_t>& shown) const;
  Result<void> noteDecisionsShown(const std::vector<std::int64_t>& case_ids,
                                  const Viewer& viewer) const;

 private:
  // Whether a reader sees a case with its secret parts.
  using SightOf = std::function<bool(const Case&)>;
  SightOf sightFor(const Viewer& viewer) const;
  Result<void> noteSecretShown(const std::vector<const AgendaItem*>& items,
                               const Viewer& viewer) const;
  static std::string parseSendToName(const std::string& written);
  std::string rectifiedDecisionLabel(std::int64_t rectification_id) const;
  // After the notice is sent, a change of the agenda waits for its next version.
  Result<void> noteChange(store::Tx& tx, const Meeting& m, const std::string& line) const;
  Result<Template> templateNamed(const std::string& name) const;
  Result<doc::Document> renderWhole(std::int64_t meeting_id, const std::string& tmpl,
                                    bool needs_minutes, const Viewer& viewer) const;
  Value meetingValues(const Meeting& m, const std::vector<const AgendaItem*>& items,
                      const SightOf& sight) const;
  // {title and decision text, memo text} for the decision search index.
  Result<std::pair<std::string, std::string>> decisionIndexText(
      store::Tx& tx, const AgendaItem& item, const std::string& decision_text) const;
  Result<void> moveCaseOnDecision(store::Tx& tx, const AgendaItem& item, const DecisionInput& d,
                                  const std::string& text, const User& user, Instant now);
  Result<void> moveCasesOnAttestation(store::Tx& tx, const Meeting& m, Instant now);

  store::Store& store_;
  const Clock& clock_;
  const Organisation& org_;
  Diarium& diarium_;
  CaseFlow& flow_;
  Memos& memos_;
  std::filesystem::path template_override_dir_;
};

}  // namespace kansli
