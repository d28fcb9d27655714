// The repositories: every SQL statement of the engine, grouped by concept, as
// functions over a store::Tx. Engine services call these; nothing outside
// engine/src/store/ writes SQL. Signatures use plain engine types so that a
// PostgreSQL implementation can provide the same functions.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kansli/audit.h"
#include "kansli/error.h"
#include "kansli/store.h"

namespace kansli::store {

// --- audit ---------------------------------------------------------------
struct ChainTip {
  std::int64_t seq = 0;
  std::string hash;
};
Result<std::optional<ChainTip>> auditTip(Tx& tx);
Result<void> auditInsert(Tx& tx, const audit::Event& e);
Result<std::vector<audit::Event>> auditByCase(Tx& tx, std::int64_t case_id);
// Calls fn for every event in seq order; stops early when fn returns false.
Result<void> auditScan(Tx& tx, const std::function<bool(const audit::Event&)>& fn);

// --- users and sessions ----------------------------------------------------
struct UserRow {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string password_hash;
  std::string role;
  std::optional<std::string> unit;
  std::optional<std::string> committee;
  bool disabled = false;
  int failed_logins = 0;
  std::optional<std::string> locked_until;
  std::string title;  // the directory fields (migration 0006)
  std::string email;
  std::string phone;
};
Result<std::int64_t> userInsert(Tx& tx, const UserRow& u, const std::string& created_at);
Result<std::optional<UserRow>> userByName(Tx& tx, const std::string& username);
Result<std::optional<UserRow>> userById(Tx& tx, std::int64_t id);
Result<std::int64_t> userCount(Tx& tx);
Result<void> userSetLoginFailures(Tx& tx, std::int64_t id, int failures,
                                  const std::optional<std::string>& locked_until);

struct SessionRow {
  std::string token_hash;
  std::int64_t user_id = 0;
  std::string created_at;
  std::string expires_at;
  std::optional<std::string> revoked_at;
};
Result<void> sessionInsert(Tx& tx, const SessionRow& s);
Result<std::optional<SessionRow>> sessionByHash(Tx& tx, const std::string& token_hash);
Result<void> sessionRevoke(Tx& tx, const std::string& token_hash, const std::string& at);
// Revokes every open session of a user; returns how many.
Result<std::int64_t> sessionRevokeAll(Tx& tx, std::int64_t user_id, const std::string& at);
Result<std::vector<UserRow>> userList(Tx& tx);
Result<void> userSetDisabled(Tx& tx, std::int64_t id, bool disabled);

}  // namespace kansli::store

// --- diarium ----------------------------------------------------------------
#include "kansli/diarium.h"

namespace kansli::store {

// Draws the next number of (series, year): 1 for a new year.
Result<int> dnrDraw(Tx& tx, const std::string& series, int year);
// Makes sure later draws come after `number` (imports keep old numbers).
Result<void> dnrBumpTo(Tx& tx, const std::string& series, int year, int number);

Result<std::int64_t> caseInsert(Tx& tx, const Case& c, bool imported);
Result<std::optional<Case>> caseById(Tx& tx, std::int64_t id);
Result<std::optional<Case>> caseByDnr(Tx& tx, const std::string& dnr);
Result<bool> caseSeriesNumberTaken(Tx& tx, const std::string& series, int year, int number);
// Writes the mutable columns and senders and bumps the version.
Result<void> caseUpdate(Tx& tx, const Case& c);

struct CaseListParams {
  const CaseQuery* query = nullptr;
  std::optional<std::string> fts;  // an FTS5 query already made safe
  bool public_view = false;
  std::string today;               // for overdue
  std::optional<std::int64_t> after_id;
  std::optional<double> after_rank;
  // The caller's sight (kansli/access.h CaseScope): a committee, and units
  // as a JSON array of ids (with an officer whose own cases count too).
  std::optional<std::string> scope_committee;
  std::optional<std::string> scope_units_json;
  std::optional<std::string> scope_officer;
  // With fts: newest first (by id, descending) instead of by bm25 rank; the
  // diarium chooses it for words so common that ranking every hit would cost
  // more than it tells (Diarium::listCases).
  bool newest_first = false;
  // Cases left out (a JSON array of ids): those a search by case number has
  // already listed before its full-text hits.
  std::optional<std::string> exclude_ids_json;
};
struct CaseListRow {
  Case c;
  double rank = 0;
};
Result<std::vector<CaseListRow>> caseList(Tx& tx, const CaseListParams& p);
// The cases with case number `number` (and `year`, and `dnr` when given)
// that pass p's filters and scope (p.fts, the cursor and the limit are not
// used), newest first, at most `max`. A case number exists once per series
// and year, so these are few; the index cases_by_number finds them.
struct CaseNumber {
  int number = 0;
  std::optional<int> year;
  std::optional<std::string> dnr;
};
Result<std::vector<CaseListRow>> caseListByNumber(Tx& tx, const CaseListParams& p,
                                                  const CaseNumber& n, int max);
// Whether the FTS5 query `fts` matches more than `n` cases (in the public or
// the full index). Reads at most n + 1 rowids, never ranks.
Result<bool> searchMatchesMoreThan(Tx& tx, const std::string& fts, bool public_view,
                                   std::int64_t n);

// Replaces the case's rows in both search indexes.
Result<void> searchIndex(Tx& tx, std::int64_t case_id, const std::string& subject,
                         const std::string& senders, const std::string& documents,
                         const std::string& public_subject, const std::string& public_senders,
                         const std::string& public_documents);

Result<int> documentNextNumber(Tx& tx, std::int64_t case_id);
Result<std::int64_t> documentInsert(Tx& tx, const Document& d,
                                    const std::optional<std::string>& content);
Result<std::vector<Document>> documentsOf(Tx& tx, std::int64_t case_id);
Result<std::optional<std::pair<std::string, std::string>>> documentContent(Tx& tx,
                                                                           std::int64_t case_id,
                                                                           int number);

Result<void> correctionInsert(Tx& tx, std::int64_t case_id, const Correction& c);
Result<std::vector<Correction>> correctionsOf(Tx& tx, std::int64_t case_id);

}  // namespace kansli::store

// --- case work: memos, agenda status ------------------------------------------
namespace kansli::store {

struct MemoRow {
  std::int64_t case_id = 0;
  int version = 0;
  std::string xml;
  std::string sha256;
  std::string created_at;
  std::string created_by;
  std::optional<std::string> approved_at;
  std::optional<std::string> approved_by;
};
Result<std::optional<MemoRow>> memoLatest(Tx& tx, std::int64_t case_id);
Result<std::optional<MemoRow>> memoVersion(Tx& tx, std::int64_t case_id, int version);
Result<std::vector<MemoRow>> memoVersions(Tx& tx, std::int64_t case_id);  // without xml
Result<void> memoInsert(Tx& tx, const MemoRow& m);
Result<void> memoApprove(Tx& tx, std::int64_t case_id, int version, const std::string& at,
                         const std::string& by);

// Where a case stands with the committee: its latest agenda item.
struct AgendaStatus {
  bool on_agenda = false;  // on an agenda, not yet decided
  std::optional<std::int64_t> meeting_id;
  std::optional<int> position;
  std::optional<std::string> outcome;  // the decision's, when recorded
  std::optional<int> paragraph;
  std::optional<std::string> meeting_date;
  bool attested = false;
  std::optional<std::string> posted_on;
  std::optional<std::string> appeal_until;
};
Result<AgendaStatus> caseAgendaStatus(Tx& tx, std::int64_t case_id);
Result<bool> documentKindExists(Tx& tx, std::int64_t case_id, const std::string& kind);

}  // namespace kansli::store

// --- meetings -------------------------------------------------------------------
namespace kansli::store {

struct MeetingRow {
  std::int64_t id = 0;
  std::string committee, date;
  std::optional<std::string> time, place, chair;
  std::string adjusters;        // comma separated usernames
  std::string attendance_json;  // [{name, role}]
  bool minutes_drawn = false;
  std::optional<std::string> attested_at, posted_on, appeal_until;
  std::string created_at, created_by;
};
Result<std::int64_t> meetingInsert(Tx& tx, const MeetingRow& m);
Result<std::optional<MeetingRow>> meetingById(Tx& tx, std::int64_t id);
Result<std::vector<MeetingRow>> meetingList(Tx& tx, const std::optional<std::string>& committee);
Result<std::vector<MeetingRow>> meetingsPostedSince(Tx& tx, const std::string& appeal_from);
Result<void> meetingSetMinutesDrawn(Tx& tx, std::int64_t id);
Result<void> meetingSetAttested(Tx& tx, std::int64_t id, const std::string& at);
Result<void> meetingSetPosted(Tx& tx, std::int64_t id, const std::string& posted_on,
                              const std::string& appeal_until);

struct AgendaRow {
  std::int64_t meeting_id = 0;
  int position = 0;
  std::optional<std::int64_t> case_id;
  std::optional<std::string> dnr;
  std::string title;
  std::optional<int> paragraph;
};
Result<std::vector<AgendaRow>> agendaOf(Tx& tx, std::int64_t meeting_id);
Result<void> agendaInsert(Tx& tx, const AgendaRow& a);
Result<void> agendaSetParagraph(Tx& tx, std::int64_t meeting_id, int position, int paragraph);
Result<int> paragraphDraw(Tx& tx, const std::string& committee, int year);

struct DecisionRow {
  std::int64_t id = 0;
  std::int64_t meeting_id = 0;
  int position = 0;
  std::optional<std::int64_t> case_id;
  std::string outcome, text, details_json, recorded_at, recorded_by;
};
Result<std::int64_t> decisionInsert(Tx& tx, const DecisionRow& d);
Result<std::optional<DecisionRow>> decisionAt(Tx& tx, std::int64_t meeting_id, int position);
Result<std::optional<DecisionRow>> decisionById(Tx& tx, std::int64_t id);
Result<std::vector<DecisionRow>> decisionsOfMeeting(Tx& tx, std::int64_t meeting_id);
Result<void> decisionIndex(Tx& tx, std::int64_t decision_id, const std::string& text,
                           const std::string& memo_text);

struct DecisionListParams {
  std::optional<std::string> fts, committee, outcome, dnr, from, to;
  std::optional<int> year;
  bool attested_only = false;
  std::optional<std::string> unattested_committee;  // exempt from attested_only
  int limit = 50;
  // A search by case number: the decisions on the cases it names come first
  // (newest meeting first), then the full-text hits (fts) without them.
  std::optional<CaseNumber> case_number;
};
// Decision ids matching, newest meeting first (or best match first with fts).
Result<std::vector<std::int64_t>> decisionSearch(Tx& tx, const DecisionListParams& p);

Result<void> attestationInsert(Tx& tx, std::int64_t meeting_id, const std::string& username,
                               const std::string& capacity, const std::string& at);
Result<std::vector<std::array<std::string, 3>>> attestationsOf(Tx& tx, std::int64_t meeting_id);

}  // namespace kansli::store
