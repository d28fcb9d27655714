#include "store/meetings_repo.h"
#include "store/postgres/pg.h"

namespace kansli::store {
namespace {

MeetingRow meetingFrom(const PgStmt& s) {
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
  m.end_time = s.optStr(14);
  m.adjust_date = s.optStr(15);
  m.adjust_place = s.optStr(16);
  if (!s.isNull(17)) m.first_paragraph = static_cast<int>(s.i64(17));
  m.notice_version = static_cast<int>(s.i64(18));
  m.notice_pending = s.str(19);
  return m;
}

#define KANSLI_MEETING_COLUMNS                                                         \
  "id, committee, date, time, place, chair, adjusters, attendance, minutes_drawn,"    \
  " attested_at, posted_on, appeal_until, created_at, created_by, end_time,"          \
  " adjust_date, adjust_place, first_paragraph, notice_version, notice_pending"

template <class Row, class F>
Result<std::vector<Row>> all(PgStmt& s, F from) {
  std::vector<Row> out;
  while (true) {
    auto row = s.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return out;
    out.push_back(from(s));
  }
}

DecisionRow decisionFrom(const PgStmt& s) {
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
  d.version = static_cast<int>(s.i64(9));
  return d;
}

#define KANSLI_DECISION_COLUMNS \
  "id, meeting_id, position, case_id, outcome, text, details, recorded_at, recorded_by, version"

class PgMeetings final : public MeetingsRepo {
 public:
  explicit PgMeetings(PgTx& tx) : tx_(tx) {}
  Result<std::int64_t> meetingInsert(const MeetingRow& m) override;
  Result<std::optional<MeetingRow>> meetingById(std::int64_t id) override;
  Result<std::vector<MeetingRow>> meetingList( const std::optional<std::string>& committee) override;
  Result<std::vector<MeetingRow>> meetingsPostedSince(const std::string& appeal_from) override;
  Result<void> meetingSetMinutesDrawn(std::int64_t id) override;
  Result<void> meetingSetAttested(std::int64_t id, const std::string& at) override;
  Result<void> meetingSetPosted(std::int64_t id, const std::string& posted_on, const std::string& appeal_until) override;
  Result<void> meetingUpdate(const MeetingRow& m) override;
  Result<void> meetingSetNoticePending(std::int64_t id, const std::string& json) override;
  Result<void> noticeInsert(std::int64_t meeting_id, const NoticeRow& n) override;
  Result<std::vector<NoticeRow>> noticesOf(std::int64_t meeting_id) override;
  Result<void> agendaDelete(std::int64_t meeting_id, int position) override;
  Result<void> agendaRenumber(std::int64_t meeting_id, const std::vector<std::pair<int, int>>& moves) override;
  Result<int> paragraphLast(const std::string& committee, int year) override;
  Result<void> paragraphSkipTo(const std::string& committee, int year, int next) override;
  Result<void> decisionUpdate(const DecisionRow& d) override;
  Result<void> decisionVersionInsert(const DecisionVersionRow& v) override;
  Result<std::vector<DecisionVersionRow>> decisionVersionsOf(std::int64_t decision_id) override;
  Result<std::int64_t> rectificationInsert(const RectificationRow& r) override;
  Result<std::vector<RectificationRow>> rectificationsOf(std::int64_t decision_id) override;
  Result<std::optional<RectificationRow>> rectificationById(std::int64_t id) override;
  Result<std::vector<RectificationRow>> rectificationsReportedAt(std::int64_t meeting_id) override;
  Result<int> rectificationsReport(const std::string& committee, const std::string& before_date, std::int64_t meeting_id) override;
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
  Result<void> attestationInsert(std::int64_t meeting_id, const AttestationRow& a) override;
  Result<std::vector<AttestationRow>> attestationsOf(std::int64_t meeting_id) override;

 private:
  PgTx& tx_;
};

}  // namespace

Result<std::int64_t> PgMeetings::meetingInsert(const MeetingRow& m) {
  auto s = tx_.prepare(
      "INSERT INTO meetings(committee, date, time, place, chair, adjusters, attendance,"
      " created_at, created_by, end_time, adjust_date, adjust_place, first_paragraph)"
      " VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id");
  if (!s) return std::unexpected(s.error());
  s->bind(1, m.committee).bind(2, m.date).bind(3, m.time).bind(4, m.place).bind(5, m.chair);
  s->bind(6, m.adjusters).bind(7, m.attendance_json).bind(8, m.created_at).bind(9, m.created_by);
  s->bind(10, m.end_time).bind(11, m.adjust_date).bind(12, m.adjust_place);
  s->bind(13, m.first_paragraph);
  KANSLI_TRY(s->step());
  return s->i64(0);
}

Result<void> PgMeetings::meetingUpdate(const MeetingRow& m) {
  auto s = tx_.prepare(
      "UPDATE meetings SET time = $1, end_time = $2, place = $3, chair = $4, adjusters = $5,"
      " attendance = $6, adjust_date = $7, adjust_place = $8, first_paragraph = $9,"
      " notice_pending = $10 WHERE id = $11 AND attested_at IS NULL");
  if (!s) return std::unexpected(s.error());
  s->bind(1, m.time).bind(2, m.end_time).bind(3, m.place).bind(4, m.chair).bind(5, m.adjusters);
  s->bind(6, m.attendance_json).bind(7, m.adjust_date).bind(8, m.adjust_place);
  s->bind(9, m.first_paragraph).bind(10, m.notice_pending).bind(11, m.id);
  KANSLI_TRY(s->run());
  if (s->changes() == 0) return std::unexpected(Error::conflict("protokollet är justerat"));
  return ok();
}

Result<void> PgMeetings::meetingSetNoticePending(std::int64_t id, const std::string& json) {
  auto s = tx_.prepare("UPDATE meetings SET notice_pending = $1 WHERE id = $2");
  if (!s) return std::unexpected(s.error());
  s->bind(1, json).bind(2, id);
  return s->run();
}

Result<void> PgMeetings::noticeInsert(std::int64_t meeting_id, const NoticeRow& n) {
  auto s = tx_.prepare(
      "INSERT INTO meeting_notices(meeting_id, version, sent_at, sent_by, changes)"
      " VALUES($1,$2,$3,$4,$5)");
  if (!s) return std::unexpected(s.error());
  s->bind(1, meeting_id).bind(2, n.version).bind(3, n.sent_at).bind(4, n.sent_by);
  s->bind(5, n.changes_json);
  KANSLI_TRY(s->run());
  auto u = tx_.prepare(
      "UPDATE meetings SET notice_version = $1, notice_pending = '[]' WHERE id = $2");
  if (!u) return std::unexpected(u.error());
  u->bind(1, n.version).bind(2, meeting_id);
  return u->run();
}

Result<std::vector<NoticeRow>> PgMeetings::noticesOf(std::int64_t meeting_id) {
  auto s = tx_.prepare(
      "SELECT version, sent_at, sent_by, changes FROM meeting_notices WHERE meeting_id = $1"
      " ORDER BY version");
  if (!s) return std::unexpected(s.error());
  s->bind(1, meeting_id);
  return all<NoticeRow>(*s, [](const PgStmt& st) {
    return NoticeRow{static_cast<int>(st.i64(0)), st.str(1), st.str(2), st.str(3)};
  });
}

Result<std::optional<MeetingRow>> PgMeetings::meetingById(std::int64_t id) {
  auto s = tx_.prepare("SELECT " KANSLI_MEETING_COLUMNS " FROM meetings WHERE id = $1");
  if (!s) return std::unexpected(s.error());
  s->bind(1, id);
  auto row = s->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<MeetingRow>{};
  return std::optional<MeetingRow>{meetingFrom(*s)};
}

Result<std::vector<MeetingRow>> PgMeetings::meetingList(const std::optional<std::string>& committee) {
  auto s = tx_.prepare("SELECT " KANSLI_MEETING_COLUMNS " FROM meetings"
                      " WHERE ($1::text IS NULL OR committee = $1) ORDER BY date DESC, id DESC LIMIT 200");
  if (!s) return std::unexpected(s.error());
  s->bind(1, committee);
  return all<MeetingRow>(*s, meetingFrom);
}

Result<std::vector<MeetingRow>> PgMeetings::meetingsPostedSince(const std::string& appeal_from) {
  auto s = tx_.prepare("SELECT " KANSLI_MEETING_COLUMNS " FROM meetings"
                      " WHERE posted_on IS NOT NULL AND appeal_until >= $1 ORDER BY posted_on DESC");
  if (!s) return std::unexpected(s.error());
  s->bind(1, appeal_from);
  return all<MeetingRow>(*s, meetingFrom);
}

Result<void> PgMeetings::meetingSetMinutesDrawn(std::int64_t id) {
  auto s = tx_.prepare("UPDATE meetings SET minutes_drawn = 1 WHERE id = $1");
  if (!s) return std::unexpected(s.error());
  s->bind(1, id);
  return s->run();
}

Result<void> PgMeetings::meetingSetAttested(std::int64_t id, const std::string& at) {
  auto s = tx_.prepare("UPDATE meetings SET attested_at = $1 WHERE id = $2 AND attested_at IS NULL");
  if (!s) return std::unexpected(s.error());
  s->bind(1, at).bind(2, id);
  return s->run();
}

Result<void> PgMeetings::meetingSetPosted(std::int64_t id, const std::string& posted_on,
                              const std::string& appeal_until) {
  auto s = tx_.prepare(
      "UPDATE meetings SET posted_on = $1, appeal_until = $2 WHERE id = $3 AND posted_on IS NULL");
  if (!s) return std::unexpected(s.error());
  s->bind(1, posted_on).bind(2, appeal_until).bind(3, id);
  return s->run();
}

Result<std::vector<AgendaRow>> PgMeetings::agendaOf(std::int64_t meeting_id) {
  auto s = tx_.prepare(
      "SELECT a.meeting_id, a.position, a.case_id, c.dnr, a.title, a.paragraph, a.kind"
      " FROM agenda_items a LEFT JOIN cases c ON c.id = a.case_id WHERE a.meeting_id = $1"
      " ORDER BY a.position");
  if (!s) return std::unexpected(s.error());
  s->bind(1, meeting_id);
  return all<AgendaRow>(*s, [](const PgStmt& st) {
    AgendaRow a;
    a.meeting_id = st.i64(0);
    a.position = static_cast<int>(st.i64(1));
    if (!st.isNull(2)) a.case_id = st.i64(2);
    a.dnr = st.optStr(3);
    a.title = st.str(4);
    if (!st.isNull(5)) a.paragraph = static_cast<int>(st.i64(5));
    a.kind = st.str(6);
    return a;
  });
}

Result<void> PgMeetings::agendaInsert(const AgendaRow& a) {
  auto s = tx_.prepare(
      "INSERT INTO agenda_items(meeting_id, position, case_id, title, kind)"
      " VALUES($1,$2,$3,$4,$5)");
  if (!s) return std::unexpected(s.error());
  s->bind(1, a.meeting_id).bind(2, a.position);
  if (a.case_id) {
    s->bind(3, *a.case_id);
  } else {
    s->bindNull(3);
  }
  s->bind(4, a.title).bind(5, a.kind);
  return s->run();
}

Result<void> PgMeetings::agendaDelete(std::int64_t meeting_id, int position) {
  auto s = tx_.prepare("DELETE FROM agenda_items WHERE meeting_id = $1 AND position = $2");
  if (!s) return std::unexpected(s.error());
  s->bind(1, meeting_id).bind(2, position);
  return s->run();
}

Result<void> PgMeetings::agendaRenumber(std::int64_t meeting_id,
                                        const std::vector<std::pair<int, int>>& moves) {
  // Two steps, so no position is ever taken twice: first to -to, then flip.
  static const char* const kItemsAway =
      "UPDATE agenda_items SET position = $1 WHERE meeting_id = $2 AND position = $3";
  static const char* const kDecisionsAway =
      "UPDATE decisions SET position = $1 WHERE meeting_id = $2 AND position = $3";
  for (const auto& [from, to] : moves) {
    for (const char* sql : {kItemsAway, kDecisionsAway}) {
      auto s = tx_.prepare(sql);
      if (!s) return std::unexpected(s.error());
      s->bind(1, -to).bind(2, meeting_id).bind(3, from);
      KANSLI_TRY(s->run());
    }
  }
  for (const char* sql :
       {"UPDATE agenda_items SET position = -position WHERE meeting_id = $1 AND position < 0",
        "UPDATE decisions SET position = -position WHERE meeting_id = $1 AND position < 0"}) {
    auto s = tx_.prepare(sql);
    if (!s) return std::unexpected(s.error());
    s->bind(1, meeting_id);
    KANSLI_TRY(s->run());
  }
  return ok();
}

Result<void> PgMeetings::agendaSetParagraph(std::int64_t meeting_id, int position, int paragraph) {
  auto s = tx_.prepare(
      "UPDATE agenda_items SET paragraph = $1 WHERE meeting_id = $2 AND position = $3"
      " AND paragraph IS NULL");
  if (!s) return std::unexpected(s.error());
  s->bind(1, paragraph).bind(2, meeting_id).bind(3, position);
  return s->run();
}

Result<int> PgMeetings::paragraphDraw(const std::string& committee, int year) {
  auto s = tx_.prepare(
      "INSERT INTO paragraph_sequences(committee, year, last_number) VALUES($1, $2, 1)"
      " ON CONFLICT(committee, year) DO UPDATE"
      " SET last_number = paragraph_sequences.last_number + 1"
      " RETURNING last_number");
  if (!s) return std::unexpected(s.error());
  s->bind(1, committee).bind(2, year);
  auto row = s->step();
  if (!row) return std::unexpected(row.error());
  return static_cast<int>(s->i64(0));
}

Result<int> PgMeetings::paragraphLast(const std::string& committee, int year) {
  auto s = tx_.prepare(
      "SELECT last_number FROM paragraph_sequences WHERE committee = $1 AND year = $2");
  if (!s) return std::unexpected(s.error());
  s->bind(1, committee).bind(2, year);
  auto row = s->step();
  if (!row) return std::unexpected(row.error());
  return *row ? static_cast<int>(s->i64(0)) : 0;
}

Result<void> PgMeetings::paragraphSkipTo(const std::string& committee, int year, int next) {
  auto s = tx_.prepare(
      "INSERT INTO paragraph_sequences(committee, year, last_number) VALUES($1, $2, $3)"
      " ON CONFLICT(committee, year) DO UPDATE SET last_number = $3"
      " WHERE paragraph_sequences.last_number < $3");
  if (!s) return std::unexpected(s.error());
  s->bind(1, committee).bind(2, year).bind(3, next - 1);
  return s->run();
}

Result<std::int64_t> PgMeetings::decisionInsert(const DecisionRow& d) {
  auto s = tx_.prepare(
      "INSERT INTO decisions(meeting_id, position, case_id, outcome, text, details, recorded_at,"
      " recorded_by) VALUES($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id");
  if (!s) return std::unexpected(s.error());
  s->bind(1, d.meeting_id).bind(2, d.position);
  if (d.case_id) {
    s->bind(3, *d.case_id);
  } else {
    s->bindNull(3);
  }
  s->bind(4, d.outcome).bind(5, d.text).bind(6, d.details_json).bind(7, d.recorded_at);
  s->bind(8, d.recorded_by);
  KANSLI_TRY(s->step());
  return s->i64(0);
}

Result<std::optional<DecisionRow>> PgMeetings::decisionAt(std::int64_t meeting_id, int position) {
  auto s = tx_.prepare("SELECT " KANSLI_DECISION_COLUMNS
                      " FROM decisions WHERE meeting_id = $1 AND position = $2");
  if (!s) return std::unexpected(s.error());
  s->bind(1, meeting_id).bind(2, position);
  auto row = s->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<DecisionRow>{};
  return std::optional<DecisionRow>{decisionFrom(*s)};
}

Result<std::optional<DecisionRow>> PgMeetings::decisionById(std::int64_t id) {
  auto s = tx_.prepare("SELECT " KANSLI_DECISION_COLUMNS " FROM decisions WHERE id = $1");
  if (!s) return std::unexpected(s.error());
  s->bind(1, id);
  auto row = s->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<DecisionRow>{};
  return std::optional<DecisionRow>{decisionFrom(*s)};
}

Result<std::vector<DecisionRow>> PgMeetings::decisionsOfMeeting(std::int64_t meeting_id) {
  auto s = tx_.prepare("SELECT " KANSLI_DECISION_COLUMNS
                      " FROM decisions WHERE meeting_id = $1 ORDER BY position");
  if (!s) return std::unexpected(s.error());
  s->bind(1, meeting_id);
  return all<DecisionRow>(*s, decisionFrom);
}

Result<void> PgMeetings::decisionUpdate(const DecisionRow& d) {
  auto s = tx_.prepare(
      "UPDATE decisions SET outcome = $1, text = $2, details = $3, recorded_at = $4,"
      " recorded_by = $5, version = $6 WHERE id = $7");
  if (!s) return std::unexpected(s.error());
  s->bind(1, d.outcome).bind(2, d.text).bind(3, d.details_json).bind(4, d.recorded_at);
  s->bind(5, d.recorded_by).bind(6, d.version).bind(7, d.id);
  return s->run();
}

Result<void> PgMeetings::decisionVersionInsert(const DecisionVersionRow& v) {
  auto s = tx_.prepare(
      "INSERT INTO decision_versions(decision_id, version, outcome, text, details, recorded_at,"
      " recorded_by, replaced_at, replaced_by, reason) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)");
  if (!s) return std::unexpected(s.error());
  s->bind(1, v.decision_id).bind(2, v.version).bind(3, v.outcome).bind(4, v.text);
  s->bind(5, v.details_json).bind(6, v.recorded_at).bind(7, v.recorded_by);
  s->bind(8, v.replaced_at).bind(9, v.replaced_by).bind(10, v.reason);
  return s->run();
}

Result<std::vector<DecisionVersionRow>> PgMeetings::decisionVersionsOf(std::int64_t decision_id) {
  auto s = tx_.prepare(
      "SELECT decision_id, version, outcome, text, details, recorded_at, recorded_by,"
      " replaced_at, replaced_by, reason FROM decision_versions WHERE decision_id = $1"
      " ORDER BY version");
  if (!s) return std::unexpected(s.error());
  s->bind(1, decision_id);
  return all<DecisionVersionRow>(*s, [](const PgStmt& st) {
    return DecisionVersionRow{st.i64(0), static_cast<int>(st.i64(1)), st.str(2), st.str(3),
                              st.str(4), st.str(5), st.str(6), st.str(7), st.str(8), st.str(9)};
  });
}

namespace {
RectificationRow rectificationFrom(const PgStmt& st) {
  RectificationRow r;
  r.id = st.i64(0);
  r.decision_id = st.i64(1);
  r.text = st.str(2);
  r.reason = st.str(3);
  r.recorded_at = st.str(4);
  r.recorded_by = st.str(5);
  if (!st.isNull(6)) r.reported_meeting_id = st.i64(6);
  r.reported_date = st.optStr(7);
  return r;
}
}  // namespace

Result<std::int64_t> PgMeetings::rectificationInsert(const RectificationRow& r) {
  auto s = tx_.prepare(
      "INSERT INTO rectifications(decision_id, text, reason, recorded_at, recorded_by)"
      " VALUES($1,$2,$3,$4,$5) RETURNING id");
  if (!s) return std::unexpected(s.error());
  s->bind(1, r.decision_id).bind(2, r.text).bind(3, r.reason).bind(4, r.recorded_at);
  s->bind(5, r.recorded_by);
  KANSLI_TRY(s->step());
  return s->i64(0);
}

Result<std::vector<RectificationRow>> PgMeetings::rectificationsOf(std::int64_t decision_id) {
  auto s = tx_.prepare(
      "SELECT r.id, r.decision_id, r.text, r.reason, r.recorded_at, r.recorded_by,"
      " r.reported_meeting_id, m.date FROM rectifications r"
      " LEFT JOIN meetings m ON m.id = r.reported_meeting_id WHERE r.decision_id = $1"
      " ORDER BY r.id");
  if (!s) return std::unexpected(s.error());
  s->bind(1, decision_id);
  return all<RectificationRow>(*s, rectificationFrom);
}

Result<std::optional<RectificationRow>> PgMeetings::rectificationById(std::int64_t id) {
  auto s = tx_.prepare(
      "SELECT r.id, r.decision_id, r.text, r.reason, r.recorded_at, r.recorded_by,"
      " r.reported_meeting_id, m.date FROM rectifications r"
      " LEFT JOIN meetings m ON m.id = r.reported_meeting_id WHERE r.id = $1");
  if (!s) return std::unexpected(s.error());
  s->bind(1, id);
  auto row = s->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<RectificationRow>{};
  return std::optional<RectificationRow>{rectificationFrom(*s)};
}

Result<std::vector<RectificationRow>> PgMeetings::rectificationsReportedAt(std::int64_t meeting_id) {
  auto s = tx_.prepare(
      "SELECT r.id, r.decision_id, r.text, r.reason, r.recorded_at, r.recorded_by,"
      " r.reported_meeting_id, m.date FROM rectifications r"
      " LEFT JOIN meetings m ON m.id = r.reported_meeting_id WHERE r.reported_meeting_id = $1"
      " ORDER BY r.id");
  if (!s) return std::unexpected(s.error());
  s->bind(1, meeting_id);
  return all<RectificationRow>(*s, rectificationFrom);
}

Result<int> PgMeetings::rectificationsReport(const std::string& committee,
                                             const std::string& before_date,
                                             std::int64_t meeting_id) {
  auto s = tx_.prepare(
      "UPDATE rectifications SET reported_meeting_id = $1 WHERE reported_meeting_id IS NULL"
      " AND decision_id IN (SELECT d.id FROM decisions d JOIN meetings m ON m.id = d.meeting_id"
      " WHERE m.committee = $2 AND m.date < $3)");
  if (!s) return std::unexpected(s.error());
  s->bind(1, meeting_id).bind(2, committee).bind(3, before_date);
  KANSLI_TRY(s->run());
  return static_cast<int>(s->changes());
}

Result<void> PgMeetings::decisionIndex(std::int64_t decision_id, const std::string& text,
                           const std::string& memo_text) {
  auto s = tx_.prepare(
      "INSERT INTO decision_search(decision_id, doc) VALUES($1,"
      " setweight(to_tsvector('kansli_sv', $2), 'A') || setweight(to_tsvector('kansli_sv', $3), 'A'))"
      " ON CONFLICT (decision_id) DO UPDATE SET doc = excluded.doc");
  if (!s) return std::unexpected(s.error());
  s->bind(1, decision_id).bind(2, pgSearchableText(text)).bind(3, pgSearchableText(memo_text));
  return s->run();
}

#define KANSLI_DECISION_FILTERS                                                      \
  " ($1::text IS NULL OR m.committee = $1) AND ($2::text IS NULL OR d.outcome = $2)" \
  " AND ($3::text IS NULL OR c.dnr = $3) AND ($4::text IS NULL OR m.date >= $4)"     \
  " AND ($5::text IS NULL OR m.date <= $5)"                                          \
  " AND ($6::text IS NULL OR substr(m.date, 1, 4) = $6)"                             \
  " AND ($7 = 0 OR m.attested_at IS NOT NULL OR m.committee = $10)"                  \
  " AND ($11::json IS NULL OR d.id NOT IN (SELECT json_array_elements_text($11)::bigint))"

// A parameter a statement has no use for, named so that it has a type: true.
#define KANSLI_UNUSED(N, TYPE) " AND ($" #N "::" TYPE " IS NULL OR TRUE)"

Result<std::vector<std::int64_t>> PgMeetings::decisionSearch(const DecisionListParams& p) {
  static const char* const kPlain =
      "SELECT d.id FROM decisions d JOIN meetings m ON m.id = d.meeting_id"
      " LEFT JOIN cases c ON c.id = d.case_id WHERE" KANSLI_DECISION_FILTERS
      KANSLI_UNUSED(9, "text") " ORDER BY m.date DESC, d.position LIMIT $8";
  // Best match first: ts_rank, the decision's text and the memo's weighing
  // alike (as bm25 does on the SQLite store's two columns).
  static const char* const kSearch =
      "SELECT d.id FROM (SELECT decision_id AS did,"
      "  -ts_rank('{0.1, 0.2, 0.5, 1.0}', doc, q)::float8 AS r"
      "  FROM decision_search, to_tsquery('kansli_sv', $9) q WHERE doc @@ q) s"
      " JOIN decisions d ON d.id = s.did"
      " JOIN meetings m ON m.id = d.meeting_id LEFT JOIN cases c ON c.id = d.case_id"
      " WHERE" KANSLI_DECISION_FILTERS " ORDER BY s.r, d.id LIMIT $8";
  // The decisions on the cases a case number names (cases_by_number finds them).
  static const char* const kByNumber =
      "SELECT d.id FROM cases c JOIN decisions d ON d.case_id = c.id"
      " JOIN meetings m ON m.id = d.meeting_id"
      " WHERE c.number = $12 AND ($13::integer IS NULL OR c.year = $13)"
      " AND ($14::text IS NULL OR c.dnr = $14) AND" KANSLI_DECISION_FILTERS
      KANSLI_UNUSED(9, "text") " ORDER BY m.date DESC, d.position LIMIT $8";
  auto run = [&](const char* sql, int limit,
                 const std::optional<std::string>& exclude) -> Result<std::vector<std::int64_t>> {
    auto s = tx_.prepare(sql);
    if (!s) return std::unexpected(s.error());
    s->bind(1, p.committee).bind(2, p.outcome).bind(3, p.dnr).bind(4, p.from).bind(5, p.to);
    if (p.year) {
      s->bind(6, std::to_string(*p.year));
    } else {
      s->bindNull(6);
    }
    s->bind(7, p.attested_only ? 1 : 0).bind(8, limit).bind(10, p.unattested_committee);
    if (p.words) s->bind(9, pgTsQuery(*p.words));
    s->bind(11, exclude);
    if (p.case_number) {
      s->bind(12, p.case_number->number).bind(13, p.case_number->year);
      s->bind(14, p.case_number->dnr);
    }
    return all<std::int64_t>(*s, [](const PgStmt& st) { return st.i64(0); });
  };
  std::vector<std::int64_t> out;
  std::optional<std::string> exclude;
  if (p.case_number) {
    auto first = run(kByNumber, p.limit, std::nullopt);
    if (!first) return std::unexpected(first.error());
    out = std::move(*first);
    if (static_cast<int>(out.size()) >= p.limit || !p.words) return out;
    std::string json = "[";
    for (std::size_t i = 0; i < out.size(); ++i) json += (i ? "," : "") + std::to_string(out[i]);
    exclude = json + "]";
  }
  auto rest = run(p.words ? kSearch : kPlain, p.limit - static_cast<int>(out.size()), exclude);
  if (!rest) return std::unexpected(rest.error());
  out.insert(out.end(), rest->begin(), rest->end());
  return out;
}

Result<void> PgMeetings::attestationInsert(std::int64_t meeting_id, const AttestationRow& a) {
  auto s = tx_.prepare(
      "INSERT INTO attestations(meeting_id, username, capacity, at, method, confirmed_at)"
      " VALUES($1,$2,$3,$4,$5,$6)");
  if (!s) return std::unexpected(s.error());
  s->bind(1, meeting_id).bind(2, a.username).bind(3, a.capacity).bind(4, a.at);
  s->bind(5, a.method).bind(6, a.confirmed_at);
  return s->run();
}

Result<std::vector<AttestationRow>> PgMeetings::attestationsOf(std::int64_t meeting_id) {
  auto s = tx_.prepare(
      "SELECT username, capacity, at, method, confirmed_at FROM attestations"
      " WHERE meeting_id = $1 ORDER BY at COLLATE \"C\", username COLLATE \"C\"");
  if (!s) return std::unexpected(s.error());
  s->bind(1, meeting_id);
  return all<AttestationRow>(*s, [](const PgStmt& st) {
    return AttestationRow{st.str(0), st.str(1), st.str(2), st.str(3), st.optStr(4)};
  });
}

std::unique_ptr<MeetingsRepo> makePgMeetingsRepo(PgTx& tx) { return std::make_unique<PgMeetings>(tx); }

}  // namespace kansli::store
