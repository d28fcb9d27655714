// E-mail from Kansli: the outbox every message waits in, and its delivery.
//
// Nothing is sent where it arises. Expediering (the extract of a decision to
// those it is sent to, kansli/expediering.h) and reminders (bevakning) write
// messages to an outbox in the store; a delivery loop (api/mail_worker.h, over
// SMTP) hands what is due to a MailTransport. So a message survives a restart,
// and "nothing is sent twice" is a property of the store:
//
//   queued ──claim──▶ sending ──accepted──▶ sent
//     ▲                  │  └──refused for good / too many attempts──▶ failed
//     └─later attempt────┘ (transient failure: backoff 1, 2, 4 ... min, ≤ 6 h)
//   sending found at start (the process stopped mid-delivery) ──▶ uncertain
//   failed, uncertain, queued ──retry (the secretary: now)──▶ queued
//   post (no address, or a case with secrecy) ──sent by post (the secretary)──▶ posted
//
// Before a message is handed to the transport its `sending` state is
// committed; a message left `sending` by a crash may or may not have reached
// the server, and is never resent on its own: the secretary sees it as
// uncertain and decides. Each message has one Message-ID for all attempts,
// so a receiving system can tell a resend from a new message.
//
// Secrecy: e-mail leaves the municipality's systems unencrypted end to end,
// so no outbox message carries a secret part of a case (an OSL-secret
// subject, sender or decision text): callers mask or send by post instead
// (kansli/expediering.h says how).
//
// Thread-safe: all members may be called concurrently; the delivery loop is
// one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kansli/accounts.h"
#include "kansli/audit.h"
#include "kansli/clock.h"
#include "kansli/error.h"

namespace kansli {

namespace store {
class Store;
class Tx;
}  // namespace store

struct MailAttachment {
  std::string name;        // "protokollsutdrag-SOCN-2020-262.pdf"
  std::string media_type;  // "application/pdf"
  std::string bytes;
};

// One message as the transport sends it: plain text UTF-8, one recipient.
struct MailMessage {
  std::int64_t outbox_id = 0;
  std::string message_id;  // "<outbox-12.3f9a…@kansli>"
  std::string to_name;
  std::string to_address;
  std::string subject;
  std::string body;
  std::optional<MailAttachment> attachment;
};

struct MailFailure {
  std::string message;     // what the server or the connection said
  bool permanent = false;  // the server refused the message or address for good (5xx)
};

// Hands a message to a mail server. Implemented over SMTP in api/ (all
// Poco::Net lives there) and by fakes in tests.
class MailTransport {
 public:
  virtual ~MailTransport() = default;
  // nullopt when the server accepted the message for delivery.
  virtual std::optional<MailFailure> send(const MailMessage& m) = 0;
};

// An outbox message as the secretary sees it (without the attachment's bytes).
struct OutboxEntry {
  std::int64_t id = 0;
  std::string kind;    // expediering, paminnelse, motionsvarning
  std::string status;  // queued, sending, sent, failed, uncertain, post, posted
  std::optional<std::string> committee;
  std::optional<std::int64_t> meeting_id, decision_id, case_id;
  std::string recipient_name;
  std::optional<std::string> recipient_address;
  std::string subject;
  std::optional<std::string> note;  // why by post
  std::optional<std::string> attachment_name;
  int attempts = 0;
  std::optional<std::string> next_attempt_at;  // when queued after a failure
  std::optional<std::string> last_error;
  std::string created_at;
  std::optional<std::string> sent_at;
  std::optional<int> document_number;  // the utgående handling in the case
};

// A message for the outbox (written by expediering and the reminders).
struct NewMail {
  std::string kind;
  std::string dedupe_key;  // one message per purpose and recipient, ever
  std::optional<std::string> committee;
  std::optional<std::int64_t> meeting_id, decision_id, case_id;
  std::string recipient_name;
  std::optional<std::string> recipient_address;  // nullopt: by post
  std::optional<std::string> note;
  std::string subject;
  std::string body;
  std::optional<MailAttachment> attachment;
};

struct MailOptions {
  int max_attempts = 8;
  std::chrono::seconds first_retry{60};       // then doubled per attempt
  std::chrono::seconds max_retry{6 * 3600};
};

// After a message is sent (or posted), inside the same write transaction:
// expediering registers it as an utgående handling in its case and answers
// the document's number; other kinds answer nullopt.
using DeliveryRecorder = std::function<Result<std::optional<int>>(
    store::Tx& tx, const OutboxEntry& entry, const std::string& how, const std::string& by)>;

class Outbox {
 public:
  Outbox(store::Store& store, const Clock& clock, MailOptions options = {});

  void setDeliveryRecorder(DeliveryRecorder recorder) { recorder_ = std::move(recorder); }

  // Puts a message in the outbox (inside the caller's write transaction)
  // unless one with its dedupe_key is there; the new id or nullopt.
  Result<std::optional<std::int64_t>> enqueueIn(store::Tx& tx, const NewMail& m,
                                                const audit::Actor& by) const;

  // What the committee's secretary sees: the messages of a meeting, the
  // latest of their committee (newest first), one message and its
  // attachment (to print for the post). Another committee's messages are
  // kNotFound; other roles kForbidden.
  Result<std::vector<OutboxEntry>> ofMeeting(std::int64_t meeting_id, const User& user) const;
  Result<std::vector<OutboxEntry>> ofCommittee(const User& user, int limit) const;
  Result<OutboxEntry> entry(std::int64_t id, const User& user) const;
  Result<MailAttachment> attachment(std::int64_t id, const User& user) const;

  // The committee's secretary sends a failed, uncertain or waiting message
  // again now (kConflict from any other state), or records that a message on the post
  // list was sent by post. kForbidden for anyone else; kNotFound for a
  // message of another committee.
  Result<OutboxEntry> retry(std::int64_t id, const User& user);
  Result<OutboxEntry> markPosted(std::int64_t id, const User& user);

  // --- The delivery loop's steps -------------------------------------------
  // At start: every `sending` message becomes `uncertain`. Answers how many.
  Result<int> recoverInterrupted();
  // Sends what is due, one message at a time, through `transport`.
  struct DeliveryReport {
    int sent = 0;
    int deferred = 0;  // failed for now, to be tried again later
    int failed = 0;    // given up
    std::string last_error;
  };
  Result<DeliveryReport> deliverDue(MailTransport& transport, int max = 50);
  // Messages per status.
  Result<std::map<std::string, std::int64_t>> counts() const;

 private:
  Result<OutboxEntry> secretaryStep(std::int64_t id, const User& user, const std::string& from,
                                    const std::string& action);

  store::Store& store_;
  const Clock& clock_;
  MailOptions options_;
  DeliveryRecorder recorder_;
};

// A plausible e-mail address (local@domain.tld, no spaces or control
// characters, at most 254 bytes): what Kansli accepts as one.
bool plausibleEmail(std::string_view address);

}  // namespace kansli
