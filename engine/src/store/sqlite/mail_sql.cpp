#include "store/mail_repo.h"
#include "store/sqlite/sqlite.h"

namespace kansli::store {
namespace {

#define KANSLI_OUTBOX_COLUMNS                                                              \
  "id, kind, dedupe_key, committee, meeting_id, decision_id, case_id, recipient_name,"    \
  " recipient_address, subject, body, attachment_name, attachment_type, status, note,"    \
  " attempts, next_attempt_at, last_error, message_id, created_at, created_by, sent_at,"  \
  " document_number"

std::optional<std::int64_t> optI64(const Stmt& s, int col) {
  if (s.isNull(col)) return std::nullopt;
  return s.i64(col);
}

OutboxRow outboxFrom(const Stmt& s) {
  OutboxRow r;
  r.id = s.i64(0);
  r.kind = s.str(1);
  r.dedupe_key = s.str(2);
  r.committee = s.optStr(3);
  r.meeting_id = optI64(s, 4);
  r.decision_id = optI64(s, 5);
  r.case_id = optI64(s, 6);
  r.recipient_name = s.str(7);
  r.recipient_address = s.optStr(8);
  r.subject = s.str(9);
  r.body = s.str(10);
  r.attachment_name = s.optStr(11);
  r.attachment_type = s.optStr(12);
  r.status = s.str(13);
  r.note = s.optStr(14);
  r.attempts = static_cast<int>(s.i64(15));
  r.next_attempt_at = s.optStr(16);
  r.last_error = s.optStr(17);
  r.message_id = s.str(18);
  r.created_at = s.str(19);
  r.created_by = s.str(20);
  r.sent_at = s.optStr(21);
  if (!s.isNull(22)) r.document_number = static_cast<int>(s.i64(22));
  return r;
}

template <class Row, class F>
Result<std::vector<Row>> all(Stmt& s, F from) {
  std::vector<Row> out;
  while (true) {
    auto row = s.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return out;
    out.push_back(from(s));
  }
}

class SqliteMail final : public MailRepo {
 public:
  explicit SqliteMail(SqliteTx& tx) : tx_(tx) {}

  Result<std::optional<std::int64_t>> outboxInsertIfNew(const OutboxRow& r) override {
    auto s = tx_.prepare(
        "INSERT INTO outbox(kind, dedupe_key, committee, meeting_id, decision_id, case_id,"
        " recipient_name, recipient_address, subject, body, attachment_name, attachment_type,"
        " attachment, status, note, attempts, next_attempt_at, message_id, created_at,"
        " created_by) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(dedupe_key) DO NOTHING");
    if (!s) return std::unexpected(s.error());
    s->bind(1, r.kind).bind(2, r.dedupe_key).bind(3, r.committee);
    s->bind(4, r.meeting_id).bind(5, r.decision_id).bind(6, r.case_id);
    s->bind(7, r.recipient_name).bind(8, r.recipient_address).bind(9, r.subject).bind(10, r.body);
    s->bind(11, r.attachment_name).bind(12, r.attachment_type);
    if (r.attachment) {
      s->bindBlob(13, *r.attachment);
    } else {
      s->bindNull(13);
    }
    s->bind(14, r.status).bind(15, r.note).bind(16, r.attempts).bind(17, r.next_attempt_at);
    s->bind(18, r.message_id).bind(19, r.created_at).bind(20, r.created_by);
    KANSLI_TRY(s->run());
    if (tx_.changes() == 0) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{tx_.lastInsertId()};
  }

  Result<std::optional<OutboxRow>> outboxById(std::int64_t id) override {
    auto s = tx_.prepare("SELECT " KANSLI_OUTBOX_COLUMNS ", attachment FROM outbox WHERE id = ?");
    if (!s) return std::unexpected(s.error());
    s->bind(1, id);
    auto row = s->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::optional<OutboxRow>{};
    OutboxRow r = outboxFrom(*s);
    if (!s->isNull(23)) r.attachment = s->blob(23);
    return std::optional<OutboxRow>{std::move(r)};
  }

  Result<std::vector<OutboxRow>> outboxOfMeeting(std::int64_t meeting_id) override {
    auto s = tx_.prepare("SELECT " KANSLI_OUTBOX_COLUMNS
                         " FROM outbox WHERE meeting_id = ? ORDER BY id");
    if (!s) return std::unexpected(s.error());
    s->bind(1, meeting_id);
    return all<OutboxRow>(*s, outboxFrom);
  }

  Result<std::vector<OutboxRow>> outboxOfCommittee(const std::optional<std::string>& committee,
                                                   int limit) override {
    auto s = tx_.prepare("SELECT " KANSLI_OUTBOX_COLUMNS
                         " FROM outbox WHERE (?1 IS NULL OR committee = ?1) ORDER BY id DESC LIMIT ?2");
    if (!s) return std::unexpected(s.error());
    s->bind(1, committee).bind(2, limit);
    return all<OutboxRow>(*s, outboxFrom);
  }

  Result<std::vector<std::int64_t>> outboxDue(const std::string& now, int limit) override {
    auto s = tx_.prepare(
        "SELECT id FROM outbox WHERE status = 'queued'"
        " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT ?");
    if (!s) return std::unexpected(s.error());
    s->bind(1, now).bind(2, limit);
    return all<std::int64_t>(*s, [](const Stmt& st) { return st.i64(0); });
  }

  Result<std::vector<std::int64_t>> outboxWithStatus(const std::string& status) override {
    auto s = tx_.prepare("SELECT id FROM outbox WHERE status = ? ORDER BY id");
    if (!s) return std::unexpected(s.error());
    s->bind(1, status);
    return all<std::int64_t>(*s, [](const Stmt& st) { return st.i64(0); });
  }

  Result<bool> outboxUpdate(std::int64_t id, const std::string& from,
                            const OutboxUpdate& u) override {
    auto s = tx_.prepare(
        "UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?,"
        " sent_at = coalesce(?, sent_at), document_number = coalesce(?, document_number)"
        " WHERE id = ? AND status = ?");
    if (!s) return std::unexpected(s.error());
    s->bind(1, u.status).bind(2, u.attempts).bind(3, u.next_attempt_at).bind(4, u.last_error);
    s->bind(5, u.sent_at);
    if (u.document_number) {
      s->bind(6, *u.document_number);
    } else {
      s->bindNull(6);
    }
    s->bind(7, id).bind(8, from);
    KANSLI_TRY(s->run());
    return tx_.changes() > 0;
  }

  Result<std::vector<std::pair<std::string, std::int64_t>>> outboxCounts() override {
    auto s = tx_.prepare("SELECT status, count(*) FROM outbox GROUP BY status ORDER BY status");
    if (!s) return std::unexpected(s.error());
    return all<std::pair<std::string, std::int64_t>>(
        *s, [](const Stmt& st) { return std::pair<std::string, std::int64_t>{st.str(0), st.i64(1)}; });
  }

  Result<std::vector<std::int64_t>> meetingsToExpedite() override {
    auto s = tx_.prepare(
        "SELECT id FROM meetings WHERE attested_at IS NOT NULL AND expedited_at IS NULL"
        " ORDER BY id");
    if (!s) return std::unexpected(s.error());
    return all<std::int64_t>(*s, [](const Stmt& st) { return st.i64(0); });
  }

  Result<void> meetingSetExpedited(std::int64_t meeting_id, const std::string& at) override {
    auto s = tx_.prepare("UPDATE meetings SET expedited_at = ? WHERE id = ? AND expedited_at IS NULL");
    if (!s) return std::unexpected(s.error());
    s->bind(1, at).bind(2, meeting_id);
    return s->run();
  }

 private:
  SqliteTx& tx_;
};

}  // namespace

std::unique_ptr<MailRepo> makeMailRepo(SqliteTx& tx) { return std::make_unique<SqliteMail>(tx); }

}  // namespace kansli::store
