// The outbox (kansli/mail.h): e-mail waiting for delivery, being delivered,
// delivered or given up, and the reminders' bookkeeping.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kansli/error.h"

namespace kansli::store {

struct OutboxRow {
  std::int64_t id = 0;
  std::string kind;        // expediering, paminnelse, motionsvarning
  std::string dedupe_key;  // one message per purpose and recipient
  std::optional<std::string> committee;
  std::optional<std::int64_t> meeting_id, decision_id, case_id;
  std::string recipient_name;
  std::optional<std::string> recipient_address;
  std::string subject, body;
  std::optional<std::string> attachment_name, attachment_type;
  std::optional<std::string> attachment;  // bytes; empty in listings
  std::string status;
  std::optional<std::string> note;
  int attempts = 0;
  std::optional<std::string> next_attempt_at, last_error;
  std::string message_id;
  std::string created_at, created_by;
  std::optional<std::string> sent_at;
  std::optional<int> document_number;
};

// What a delivery step changes on a row.
struct OutboxUpdate {
  std::string status;
  int attempts = 0;
  std::optional<std::string> next_attempt_at, last_error, sent_at;
  std::optional<int> document_number;
};

class MailRepo {
 public:
  virtual ~MailRepo() = default;
  // Inserts the row unless one with its dedupe_key exists; the new id, or
  // nullopt when it existed.
  virtual Result<std::optional<std::int64_t>> outboxInsertIfNew(const OutboxRow& r) = 0;
  // With the attachment's bytes.
  virtual Result<std::optional<OutboxRow>> outboxById(std::int64_t id) = 0;
  // Without the attachments' bytes, oldest first.
  virtual Result<std::vector<OutboxRow>> outboxOfMeeting(std::int64_t meeting_id) = 0;
  // nullopt: every committee's.
  virtual Result<std::vector<OutboxRow>> outboxOfCommittee(
      const std::optional<std::string>& committee, int limit) = 0;
  // Queued rows whose next attempt is due at `now` (ISO 8601), oldest first.
  virtual Result<std::vector<std::int64_t>> outboxDue(const std::string& now, int limit) = 0;
  // Rows in `status`.
  virtual Result<std::vector<std::int64_t>> outboxWithStatus(const std::string& status) = 0;
  // Changes the row from status `from` only; false when it was not in it.
  virtual Result<bool> outboxUpdate(std::int64_t id, const std::string& from,
                                    const OutboxUpdate& u) = 0;
  // Rows per status.
  virtual Result<std::vector<std::pair<std::string, std::int64_t>>> outboxCounts() = 0;

  // Meetings whose minutes are attested but whose extracts are not yet in
  // the outbox, and marking one done.
  virtual Result<std::vector<std::int64_t>> meetingsToExpedite() = 0;
  virtual Result<void> meetingSetExpedited(std::int64_t meeting_id, const std::string& at) = 0;
};

}  // namespace kansli::store
