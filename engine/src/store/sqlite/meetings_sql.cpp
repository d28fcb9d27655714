#include "store/meetings_repo.h"
#include "store/sqlite/sqlite.h"

namespace kansli::store {
namespace {

MeetingRow meetingFrom(const Stmt& s) {
  MeetingRow m;
  m.id = s.i64(0);
  m.committee = s.str(1);
  m.date = s.str(2);
  m.time = s.optStr(3);
  m.place = s.optStr(4);
  m.chair = s.optStr(5);
  m.adjusters = s.str(6);
  m.attendance_json = s.str(7);
  m.minutes_drawn = s.i64(8) != 0;
  m.attested_at = s.optStr(9);
  m.posted_on = s.optStr(10);
  m.appeal_until = s.optStr(11);
  m.created_at = s.str(12);
  m.created_by = s.str(13);
  return m;
}

#define KANSLI_MEETING_COLUMNS                                                         \
  "id, committee, date, time, place, chair, adjusters, attendance, minutes_drawn,"    \
  " attested_at, posted_on, appeal_until, created_at, created_by"

template <class Row, class F>
Result<std::vector<Row>> all(Stmt& s, F from) {
  std::vector<Row> out;
  while (true) {
    KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
    if (!row) return out;
    out.push_back(from(s));
  }
}

DecisionRow decisionFrom(const Stmt& s) {
  DecisionRow d;
  d.id = s.i64(0);
  d.meeting_id = s.i64(1);
  d.position = static_cast<int>(s.i64(2));
  if (!s.isNull(3)) d.case_id = s.i64(3);
  d.outcome = s.str(4);
  d.text = s.str(5);
  d.details_json = s.str(6);
  d.recorded_at = s.str(7);
  d.recorded_by = s.str(8);
  return d;
}

#define KANSLI_DECISION_COLUMNS \
  "id, meeting_id, position, case_id, outcome, text, details, recorded_at, recorded_by"

class SqliteMeetings final : public MeetingsRepo {
 public:
  explicit SqliteMeetings(SqliteTx& tx) : tx_(tx) {}
  Result<std::int64_t> meetingInsert(const MeetingRow& m) override;
  Result<std::optional<MeetingRow>> meetingById(std::int64_t id) override;
  Result<std::vector<MeetingRow>> meetingList( const std::optional<std::string>& committee) override;
  Result<std::vector<MeetingRow>> meetingsPostedSince(const std::string& appeal_from) override;
  Result<void> meetingSetMinutesDrawn(std::int64_t id) override;
  Result<void> meetingSetAttested(std::int64_t id, const std::string& at) override;
  Result<void> meetingSetPosted(std::int64_t id, const std::string& posted_on, const std::string& appeal_until) override;
  Result<std::vector<AgendaRow>> agendaOf(std::int64_t meeting_id) override;
  Result<void> agendaInsert(const AgendaRow& a) override;
  Result<void> agendaSetParagraph(std::int64_t meeting_id, int position, int paragraph) override;
  Result<int> paragraphDraw(const std::string& committee, int year) override;
  Result<std::int64_t> decisionInsert(const DecisionRow& d) override;
  Result<std::optional<DecisionRow>> decisionAt(std::int64_t meeting_id, int position) override;
  Result<std::optional<DecisionRow>> decisionById(std::int64_t id) override;
  Result<std::vector<DecisionRow>> decisionsOfMeeting(std::int64_t meeting_id) override;
  Result<void> decisionIndex(std::int64_t decision_id, const std::string& text, const std::string& memo_text) override;
  Result<std::vector<std::int64_t>> decisionSearch(const DecisionListParams& p) override;
  Result<void> attestationInsert(std::int64_t meeting_id, const std::string& username, const std::string& capacity, const std::string& at) override;
  Result<std::vector<std::array<std::string, 3>>> attestationsOf( std::int64_t meeting_id) override;

 private:
  SqliteTx& tx_;
};

}  // namespace

Result<std::int64_t> SqliteMeetings::meetingInsert(const MeetingRow& m) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "INSERT INTO meetings(committee, date, time, place, chair, adjusters, attendance,"
      " created_at, created_by) VALUES(?,?,?,?,?,?,?,?,?)"));
  s.bind(1, m.committee).bind(2, m.date).bind(3, m.time).bind(4, m.place).bind(5, m.chair);
  s.bind(6, m.adjusters).bind(7, m.attendance_json).bind(8, m.created_at).bind(9, m.created_by);
  KANSLI_TRY(s.run());
  return tx_.lastInsertId();
}

Result<std::optional<MeetingRow>> SqliteMeetings::meetingById(std::int64_t id) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare("SELECT " KANSLI_MEETING_COLUMNS " FROM meetings WHERE id = ?"));
  s.bind(1, id);
  KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
  if (!row) return std::optional<MeetingRow>{};
  return std::optional<MeetingRow>{meetingFrom(s)};
}

Result<std::vector<MeetingRow>> SqliteMeetings::meetingList(const std::optional<std::string>& committee) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare("SELECT " KANSLI_MEETING_COLUMNS " FROM meetings"
                      " WHERE (?1 IS NULL OR committee = ?1) ORDER BY date DESC, id DESC LIMIT 200"));
  s.bind(1, committee);
  return all<MeetingRow>(s, meetingFrom);
}

Result<std::vector<MeetingRow>> SqliteMeetings::meetingsPostedSince(const std::string& appeal_from) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare("SELECT " KANSLI_MEETING_COLUMNS " FROM meetings"
                      " WHERE posted_on IS NOT NULL AND appeal_until >= ? ORDER BY posted_on DESC"));
  s.bind(1, appeal_from);
  return all<MeetingRow>(s, meetingFrom);
}

Result<void> SqliteMeetings::meetingSetMinutesDrawn(std::int64_t id) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare("UPDATE meetings SET minutes_drawn = 1 WHERE id = ?"));
  s.bind(1, id);
  return s.run();
}

Result<void> SqliteMeetings::meetingSetAttested(std::int64_t id, const std::string& at) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare("UPDATE meetings SET attested_at = ? WHERE id = ? AND attested_at IS NULL"));
  s.bind(1, at).bind(2, id);
  return s.run();
}

Result<void> SqliteMeetings::meetingSetPosted(std::int64_t id, const std::string& posted_on,
                              const std::string& appeal_until) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "UPDATE meetings SET posted_on = ?, appeal_until = ? WHERE id = ? AND posted_on IS NULL"));
  s.bind(1, posted_on).bind(2, appeal_until).bind(3, id);
  return s.run();
}

Result<std::vector<AgendaRow>> SqliteMeetings::agendaOf(std::int64_t meeting_id) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "SELECT a.meeting_id, a.position, a.case_id, c.dnr, a.title, a.paragraph FROM agenda_items a"
      " LEFT JOIN cases c ON c.id = a.case_id WHERE a.meeting_id = ? ORDER BY a.position"));
  s.bind(1, meeting_id);
  return all<AgendaRow>(s, [](const Stmt& st) {
    AgendaRow a;
    a.meeting_id = st.i64(0);
    a.position = static_cast<int>(st.i64(1));
    if (!st.isNull(2)) a.case_id = st.i64(2);
    a.dnr = st.optStr(3);
    a.title = st.str(4);
    if (!st.isNull(5)) a.paragraph = static_cast<int>(st.i64(5));
    return a;
  });
}

Result<void> SqliteMeetings::agendaInsert(const AgendaRow& a) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "INSERT INTO agenda_items(meeting_id, position, case_id, title) VALUES(?,?,?,?)"));
  s.bind(1, a.meeting_id).bind(2, a.position);
  if (a.case_id) {
    s.bind(3, *a.case_id);
  } else {
    s.bindNull(3);
  }
  s.bind(4, a.title);
  return s.run();
}

Result<void> SqliteMeetings::agendaSetParagraph(std::int64_t meeting_id, int position, int paragraph) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "UPDATE agenda_items SET paragraph = ? WHERE meeting_id = ? AND position = ?"
      " AND paragraph IS NULL"));
  s.bind(1, paragraph).bind(2, meeting_id).bind(3, position);
  return s.run();
}

Result<int> SqliteMeetings::paragraphDraw(const std::string& committee, int year) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "INSERT INTO paragraph_sequences(committee, year, last_number) VALUES(?, ?, 1)"
      " ON CONFLICT(committee, year) DO UPDATE SET last_number = last_number + 1"
      " RETURNING last_number"));
  s.bind(1, committee).bind(2, year);
  KANSLI_TRY(s.step());
  int n = static_cast<int>(s.i64(0));
  (void)s.step();
  return n;
}

Result<std::int64_t> SqliteMeetings::decisionInsert(const DecisionRow& d) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "INSERT INTO decisions(meeting_id, position, case_id, outcome, text, details, recorded_at,"
      " recorded_by) VALUES(?,?,?,?,?,?,?,?)"));
  s.bind(1, d.meeting_id).bind(2, d.position);
  if (d.case_id) {
    s.bind(3, *d.case_id);
  } else {
    s.bindNull(3);
  }
  s.bind(4, d.outcome).bind(5, d.text).bind(6, d.details_json).bind(7, d.recorded_at);
  s.bind(8, d.recorded_by);
  KANSLI_TRY(s.run());
  return tx_.lastInsertId();
}

Result<std::optional<DecisionRow>> SqliteMeetings::decisionAt(std::int64_t meeting_id, int position) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare("SELECT " KANSLI_DECISION_COLUMNS
                      " FROM decisions WHERE meeting_id = ? AND position = ?"));
  s.bind(1, meeting_id).bind(2, position);
  KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
  if (!row) return std::optional<DecisionRow>{};
  return std::optional<DecisionRow>{decisionFrom(s)};
}

Result<std::optional<DecisionRow>> SqliteMeetings::decisionById(std::int64_t id) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare("SELECT " KANSLI_DECISION_COLUMNS " FROM decisions WHERE id = ?"));
  s.bind(1, id);
  KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
  if (!row) return std::optional<DecisionRow>{};
  return std::optional<DecisionRow>{decisionFrom(s)};
}

Result<std::vector<DecisionRow>> SqliteMeetings::decisionsOfMeeting(std::int64_t meeting_id) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare("SELECT " KANSLI_DECISION_COLUMNS
                      " FROM decisions WHERE meeting_id = ? ORDER BY position"));
  s.bind(1, meeting_id);
  return all<DecisionRow>(s, decisionFrom);
}

Result<void> SqliteMeetings::decisionIndex(std::int64_t decision_id, const std::string& text,
                           const std::string& memo_text) {
  KANSLI_ASSIGN_OR_RETURN(auto del, tx_.prepare("DELETE FROM decision_search WHERE rowid = ?"));
  del.bind(1, decision_id);
  KANSLI_TRY(del.run());
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare("INSERT INTO decision_search(rowid, text, memo) VALUES(?,?,?)"));
  s.bind(1, decision_id).bind(2, text).bind(3, memo_text);
  return s.run();
}

#define KANSLI_DECISION_FILTERS                                                      \
  " (?1 IS NULL OR m.committee = ?1) AND (?2 IS NULL OR d.outcome = ?2)"            \
  " AND (?3 IS NULL OR c.dnr = ?3) AND (?4 IS NULL OR m.date >= ?4)"                \
  " AND (?5 IS NULL OR m.date <= ?5) AND (?6 IS NULL OR substr(m.date, 1, 4) = ?6)" \
  " AND (?7 = 0 OR m.attested_at IS NOT NULL OR m.committee = ?10)"                 \
  " AND (?14 IS NULL OR d.id NOT IN (SELECT value FROM json_each(?14)))"

Result<std::vector<std::int64_t>> SqliteMeetings::decisionSearch(const DecisionListParams& p) {
  static const char* const kPlain =
      "SELECT d.id FROM decisions d JOIN meetings m ON m.id = d.meeting_id"
      " LEFT JOIN cases c ON c.id = d.case_id WHERE" KANSLI_DECISION_FILTERS
      " ORDER BY m.date DESC, d.position LIMIT ?8";
  static const char* const kSearch =
      "SELECT d.id FROM (SELECT rowid AS did, bm25(decision_search) AS r FROM decision_search"
      " WHERE decision_search MATCH ?9) s JOIN decisions d ON d.id = s.did"
      " JOIN meetings m ON m.id = d.meeting_id LEFT JOIN cases c ON c.id = d.case_id"
      " WHERE" KANSLI_DECISION_FILTERS " ORDER BY s.r, d.id LIMIT ?8";
  // The decisions on the cases a case number names (cases_by_number finds them).
  static const char* const kByNumber =
      "SELECT d.id FROM cases c JOIN decisions d ON d.case_id = c.id"
      " JOIN meetings m ON m.id = d.meeting_id"
      " WHERE c.number = ?11 AND (?12 IS NULL OR c.year = ?12) AND (?13 IS NULL OR c.dnr = ?13)"
      " AND" KANSLI_DECISION_FILTERS " ORDER BY m.date DESC, d.position LIMIT ?8";
  auto run = [&](const char* sql, int limit,
                 const std::optional<std::string>& exclude) -> Result<std::vector<std::int64_t>> {
    KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(sql));
    s.bind(1, p.committee).bind(2, p.outcome).bind(3, p.dnr).bind(4, p.from).bind(5, p.to);
    if (p.year) {
      s.bind(6, std::to_string(*p.year));
    } else {
      s.bindNull(6);
    }
    s.bind(7, p.attested_only ? 1 : 0).bind(8, limit).bind(10, p.unattested_committee);
    if (p.words) s.bind(9, ftsMatch(*p.words));
    if (p.case_number) {
      s.bind(11, p.case_number->number).bind(12, p.case_number->year).bind(13, p.case_number->dnr);
    }
    s.bind(14, exclude);
    return all<std::int64_t>(s, [](const Stmt& st) { return st.i64(0); });
  };
  std::vector<std::int64_t> out;
  std::optional<std::string> exclude;
  if (p.case_number) {
    KANSLI_ASSIGN_OR_RETURN(auto first, run(kByNumber, p.limit, std::nullopt));
    out = std::move(first);
    if (static_cast<int>(out.size()) >= p.limit || !p.words) return out;
    std::string json = "[";
    for (std::size_t i = 0; i < out.size(); ++i) json += (i ? "," : "") + std::to_string(out[i]);
    exclude = json + "]";
  }
  KANSLI_ASSIGN_OR_RETURN(auto rest, run(p.words ? kSearch : kPlain, p.limit - static_cast<int>(out.size()), exclude));
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

Result<void> SqliteMeetings::attestationInsert(std::int64_t meeting_id, const std::string& username,
                               const std::string& capacity, const std::string& at) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "INSERT INTO attestations(meeting_id, username, capacity, at) VALUES(?,?,?,?)"));
  s.bind(1, meeting_id).bind(2, username).bind(3, capacity).bind(4, at);
  return s.run();
}

Result<std::vector<std::array<std::string, 3>>> SqliteMeetings::attestationsOf(std::int64_t meeting_id) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "SELECT username, capacity, at FROM attestations WHERE meeting_id = ? ORDER BY at, username"));
  s.bind(1, meeting_id);
  return all<std::array<std::string, 3>>(s, [](const Stmt& st) {
    return std::array<std::string, 3>{st.str(0), st.str(1), st.str(2)};
  });
}

std::unique_ptr<MeetingsRepo> makeMeetingsRepo(SqliteTx& tx) { return std::make_unique<SqliteMeetings>(tx); }

}  // namespace kansli::store
