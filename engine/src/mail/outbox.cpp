#include <openssl/rand.h>

#include <algorithm>

#include "access/seen.h"
#include "kansli/audit.h"
#include "kansli/mail.h"
#include "kansli/text.h"
#include "store/diarium_repo.h"
#include "store/mail_repo.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {
namespace {

OutboxEntry entryFrom(const store::OutboxRow& r) {
  OutboxEntry e;
  e.id = r.id;
  e.kind = r.kind;
  e.status = r.status;
  e.committee = r.committee;
  e.meeting_id = r.meeting_id;
  e.decision_id = r.decision_id;
  e.case_id = r.case_id;
  e.recipient_name = r.recipient_name;
  e.recipient_address = r.recipient_address;
  e.subject = r.subject;
  e.note = r.note;
  e.attachment_name = r.attachment_name;
  e.attempts = r.attempts;
  e.next_attempt_at = r.next_attempt_at;
  e.last_error = r.last_error;
  e.created_at = r.created_at;
  e.sent_at = r.sent_at;
  e.document_number = r.document_number;
  return e;
}

std::string randomHex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size()));
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

// What the SMTP server said, cut to a length the secretary can read; never
// more than one line.
std::string shortError(std::string msg) {
  for (auto& c : msg) {
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  }
  msg = text::toValidUtf8(msg);
  if (msg.size() > 500) msg = msg.substr(0, 500) + " …";
  return msg;
}

constexpr std::string_view kSystemActor = "system";

}  // namespace

bool plausibleEmail(std::string_view a) {
  if (a.empty() || a.size() > 254) return false;
  auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || a.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  for (unsigned char c : a) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' ||
        c == ';' || c == ':' || c == '"' || c == '\\' || c == '[' || c == ']') {
      return false;
    }
  }
  std::string_view domain = a.substr(at + 1);
  auto dot = domain.rfind('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size() &&
         domain.find("..") == std::string_view::npos && domain.front() != '.';
}

Outbox::Outbox(store::Store& store, const Clock& clock, MailOptions options)
    : store_(store), clock_(clock), options_(options) {}

Result<std::optional<std::int64_t>> Outbox::enqueueIn(store::Tx& tx, const NewMail& m,
                                                      const audit::Actor& by) const {
  store::OutboxRow r;
  r.kind = m.kind;
  r.dedupe_key = m.dedupe_key;
  r.committee = m.committee;
  r.meeting_id = m.meeting_id;
  r.decision_id = m.decision_id;
  r.case_id = m.case_id;
  r.recipient_name = m.recipient_name;
  r.subject = m.subject;
  r.body = m.body;
  r.note = m.note;
  if (m.recipient_address && plausibleEmail(*m.recipient_address)) {
    r.recipient_address = m.recipient_address;
    r.status = "queued";
  } else {
    r.status = "post";
    if (!r.note) r.note = "ingen e-postadress";
  }
  if (m.attachment) {
    r.attachment_name = m.attachment->name;
    r.attachment_type = m.attachment->media_type;
    r.attachment = m.attachment->bytes;
  }
  r.message_id = "<kansli." + randomHex(12) + "@kansli.invalid>";
  r.created_at = formatInstant(clock_.now());
  r.created_by = by.username;
  KANSLI_ASSIGN_OR_RETURN(auto id, tx.mail().outboxInsertIfNew(r));
  if (id) {
    audit::Detail d;
    d.set("outbox", *id);
    d.set("kind", r.kind);
    d.set("status", r.status);
    if (r.meeting_id) d.set("meeting", *r.meeting_id);
    if (r.decision_id) d.set("decision", *r.decision_id);
    KANSLI_TRY(audit::appendAudit(tx, clock_.now(), {by, "mail.queue", r.case_id, d.json()}));
  }
  return id;
}

namespace {

// The committee's secretary handles its messages; a secretary without a
// committee (a municipality with one secretariat) handles all.
Result<void> mayHandle(const store::OutboxRow& r, const User& user) {
  if (user.committee && r.committee && *user.committee != *r.committee) {
    return std::unexpected(Error::notFound("utskicket finns inte"));
  }
  if (user.role != Role::kNamndsekreterare) {
    return std::unexpected(Error::forbidden("bara nämndsekreteraren hanterar utskicken"));
  }
  return ok();
}

}  // namespace

Result<OutboxEntry> Outbox::entry(std::int64_t id, const User& user) const {
  KANSLI_ASSIGN_OR_RETURN(auto r, store_.read([&](store::Tx& tx) { return tx.mail().outboxById(id); }));
  if (!r) return std::unexpected(Error::notFound("utskicket finns inte"));
  KANSLI_TRY(mayHandle(*r, user));
  return entryFrom(*r);
}

Result<MailAttachment> Outbox::attachment(std::int64_t id, const User& user) const {
  KANSLI_ASSIGN_OR_RETURN(auto r, store_.read([&](store::Tx& tx) { return tx.mail().outboxById(id); }));
  if (!r) return std::unexpected(Error::notFound("utskicket finns inte"));
  KANSLI_TRY(mayHandle(*r, user));
  if (!r->attachment) return std::unexpected(Error::notFound("utskicket har ingen bilaga"));
  // The attachment of a secret case is its extract in full (it goes by post,
  // printed by the secretary): reading it is a secret read, logged first.
  if (r->case_id) {
    KANSLI_ASSIGN_OR_RETURN(auto c, store_.read([&](store::Tx& tx) { return tx.diarium().caseById(*r->case_id); }));
    if (c && c->secrecy) KANSLI_TRY(recordSecretReads(store_, clock_.now(), user, {*r->case_id}));
  }
  return MailAttachment{r->attachment_name.value_or("bilaga"),
                        r->attachment_type.value_or("application/octet-stream"), *r->attachment};
}

Result<std::vector<OutboxEntry>> Outbox::ofMeeting(std::int64_t meeting_id,
                                                   const User& user) const {
  if (user.role != Role::kNamndsekreterare) {
    return std::unexpected(Error::forbidden("bara nämndsekreteraren hanterar utskicken"));
  }
  KANSLI_ASSIGN_OR_RETURN(auto rows, store_.read([&](store::Tx& tx) { return tx.mail().outboxOfMeeting(meeting_id); }));
  std::vector<OutboxEntry> out;
  for (const auto& r : rows) {
    if (mayHandle(r, user)) out.push_back(entryFrom(r));
  }
  return out;
}

Result<std::vector<OutboxEntry>> Outbox::ofCommittee(const User& user, int limit) const {
  if (user.role != Role::kNamndsekreterare) {
    return std::unexpected(Error::forbidden("bara nämndsekreteraren hanterar utskicken"));
  }
  KANSLI_ASSIGN_OR_RETURN(auto rows, store_.read([&](store::Tx& tx) {
    return tx.mail().outboxOfCommittee(user.committee, std::clamp(limit, 1, 500));
  }));
  std::vector<OutboxEntry> out;
  for (const auto& r : rows) out.push_back(entryFrom(r));
  return out;
}

Result<OutboxEntry> Outbox::secretaryStep(std::int64_t id, const User& user,
                                          const std::string& from, const std::string& action) {
  return store_.write([&](store::Tx& tx) -> Result<OutboxEntry> {
    KANSLI_ASSIGN_OR_RETURN(auto r, tx.mail().outboxById(id));
    if (!r) return std::unexpected(Error::notFound("utskicket finns inte"));
    KANSLI_TRY(mayHandle(*r, user));
    // Sending again: a failed or uncertain message, or one waiting for a later
    // attempt (the secretary does not want to wait for the backoff).
    const bool retryable = r->status == "failed" || r->status == "uncertain" || r->status == "queued";
    if ((action == "retry" && !retryable) || (action != "retry" && r->status != from)) {
      return std::unexpected(Error::conflict(
          action == "retry"
              ? "bara ett utskick som misslyckats, är osäkert eller väntar kan skickas igen (det här är " +
                    r->status + ")"
              : "bara ett utskick på listan för post kan markeras som skickat med post (det här är " +
                    r->status + ")"));
    }
    store::OutboxUpdate u;
    u.attempts = r->attempts;
    const std::string now = formatInstant(clock_.now());
    if (action == "retry") {
      u.status = "queued";
      u.next_attempt_at = now;
      u.last_error = r->last_error;
    } else {
      u.status = "posted";
      u.sent_at = now;
      if (recorder_) {
        KANSLI_ASSIGN_OR_RETURN(u.document_number, recorder_(tx, entryFrom(*r), "post", user.username));
      }
    }
    KANSLI_ASSIGN_OR_RETURN(bool changed, tx.mail().outboxUpdate(id, r->status, u));
    if (!changed) return std::unexpected(Error::conflict("utskicket ändrades samtidigt; läs om"));
    audit::Detail d;
    d.set("outbox", id);
    d.set("recipient", r->recipient_name);
    d.set("from", r->status);
    d.set("to", u.status);
    KANSLI_TRY(audit::appendAudit(tx, clock_.now(),
                                  {user.actor(), action == "retry" ? "mail.retry" : "mail.posted",
                                   r->case_id, d.json()}));
    KANSLI_ASSIGN_OR_RETURN(auto after, tx.mail().outboxById(id));
    return entryFrom(*after);
  });
}

Result<OutboxEntry> Outbox::retry(std::int64_t id, const User& user) {
  return secretaryStep(id, user, "failed", "retry");
}

Result<OutboxEntry> Outbox::markPosted(std::int64_t id, const User& user) {
  return secretaryStep(id, user, "post", "posted");
}

Result<int> Outbox::recoverInterrupted() {
  return store_.write([&](store::Tx& tx) -> Result<int> {
    KANSLI_ASSIGN_OR_RETURN(auto ids, tx.mail().outboxWithStatus("sending"));
    for (auto id : ids) {
      KANSLI_ASSIGN_OR_RETURN(auto r, tx.mail().outboxById(id));
      store::OutboxUpdate u;
      u.status = "uncertain";
      u.attempts = r->attempts;
      u.last_error =
          "Kansli stannade medan meddelandet lämnades till e-postservern; det kan ha skickats. "
          "Kontrollera med mottagaren och skicka igen vid behov.";
      KANSLI_TRY(tx.mail().outboxUpdate(id, "sending", u));
      audit::Detail d;
      d.set("outbox", id);
      d.set("recipient", r->recipient_name);
      KANSLI_TRY(audit::appendAudit(tx, clock_.now(), {audit::Actor::system(), "mail.uncertain",
                                                 r->case_id, d.json()}));
    }
    return static_cast<int>(ids.size());
  });
}

Result<Outbox::DeliveryReport> Outbox::deliverDue(MailTransport& transport, int max) {
  DeliveryReport report;
  for (int i = 0; i < max; ++i) {
    // Claim one message: committed as `sending` before the transport sees it.
    auto claimed = store_.write([&](store::Tx& tx) -> Result<std::optional<store::OutboxRow>> {
      KANSLI_ASSIGN_OR_RETURN(auto due, tx.mail().outboxDue(formatInstant(clock_.now()), 1));
      if (due.empty()) return std::optional<store::OutboxRow>{};
      KANSLI_ASSIGN_OR_RETURN(auto r, tx.mail().outboxById(due.front()));
      store::OutboxUpdate u;
      u.status = "sending";
      u.attempts = r->attempts + 1;
      u.last_error = r->last_error;
      KANSLI_ASSIGN_OR_RETURN(bool changed, tx.mail().outboxUpdate(r->id, "queued", u));
      if (!changed) return std::optional<store::OutboxRow>{};
      r->attempts = u.attempts;
      return r;
    });
    if (!claimed) return std::unexpected(claimed.error());
    if (!*claimed) break;
    const store::OutboxRow& r = **claimed;

    MailMessage m;
    m.outbox_id = r.id;
    m.message_id = r.message_id;
    m.to_name = r.recipient_name;
    m.to_address = r.recipient_address.value_or("");
    m.subject = r.subject;
    m.body = r.body;
    if (r.attachment) {
      m.attachment = MailAttachment{r.attachment_name.value_or("bilaga"),
                                    r.attachment_type.value_or("application/octet-stream"),
                                    *r.attachment};
    }
    std::optional<MailFailure> failure;
    try {
      failure = transport.send(m);
    } catch (const std::exception& e) {
      failure = MailFailure{e.what(), false};
    }

    auto recorded = store_.write([&](store::Tx& tx) -> Result<void> {
      store::OutboxUpdate u;
      u.attempts = r.attempts;
      const Instant now = clock_.now();
      audit::Detail d;
      d.set("outbox", r.id);
      d.set("recipient", r.recipient_name);
      d.set("attempt", r.attempts);
      std::string action;
      if (!failure) {
        u.status = "sent";
        u.sent_at = formatInstant(now);
        if (recorder_) {
          KANSLI_ASSIGN_OR_RETURN(u.document_number,
                                  recorder_(tx, entryFrom(r), "e-post", std::string(kSystemActor)));
        }
        action = "mail.sent";
        if (u.document_number) d.set("document", *u.document_number);
      } else {
        u.last_error = shortError(failure->message);
        d.set("error", *u.last_error);
        report.last_error = *u.last_error;
        if (failure->permanent || r.attempts >= options_.max_attempts) {
          u.status = "failed";
          action = "mail.failed";
          ++report.failed;
        } else {
          ++report.deferred;
          // 1, 2, 4, ... minutes after this attempt, at most max_retry.
          std::chrono::seconds wait = options_.first_retry * (1LL << std::min(r.attempts - 1, 20));
          if (wait > options_.max_retry) wait = options_.max_retry;
          u.status = "queued";
          u.next_attempt_at = formatInstant(now + wait);
          d.set("next_attempt_at", *u.next_attempt_at);
          action = "mail.retry_later";
        }
      }
      KANSLI_ASSIGN_OR_RETURN(bool changed, tx.mail().outboxUpdate(r.id, "sending", u));
      if (!changed) return std::unexpected(Error::internal("utskicket lämnade läget sending"));
      KANSLI_TRY(audit::appendAudit(tx, clock_.now(), {audit::Actor::system(), action, r.case_id, d.json()}));
      return ok();
    });
    if (!recorded) return std::unexpected(recorded.error());
    if (!failure) ++report.sent;
  }
  return report;
}

Result<std::map<std::string, std::int64_t>> Outbox::counts() const {
  KANSLI_ASSIGN_OR_RETURN(auto rows, store_.read([&](store::Tx& tx) { return tx.mail().outboxCounts(); }));
  std::map<std::string, std::int64_t> out;
  for (const auto& [k, v] : rows) out[k] = v;
  return out;
}

}  // namespace kansli
